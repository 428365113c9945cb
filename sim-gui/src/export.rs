//! Exporting pictures: a region of a screenshot as PNG (the Gantt chart as drawn on screen).

use egui::{ColorImage, Rect};

/// The pixels of `region` (in points) cut from `screenshot`, encoded as PNG.
pub fn png_of_region(
    screenshot: &ColorImage,
    region: Rect,
    pixels_per_point: f32,
) -> Result<Vec<u8>, String> {
    let cut = screenshot.region(&region, Some(pixels_per_point));
    let [width, height] = cut.size;
    if width == 0 || height == 0 {
        return Err("the chart is not on screen".to_string());
    }
    let mut bytes = Vec::with_capacity(width * height * 4 + 1024);
    {
        let mut encoder = png::Encoder::new(&mut bytes, width as u32, height as u32);
        encoder.set_color(png::ColorType::Rgba);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header().map_err(|e| e.to_string())?;
        let rgba: Vec<u8> = cut
            .pixels
            .iter()
            .flat_map(|pixel| pixel.to_srgba_unmultiplied())
            .collect();
        writer.write_image_data(&rgba).map_err(|e| e.to_string())?;
    }
    Ok(bytes)
}

/// A whole screenshot encoded as PNG.
pub fn png_of_image(image: &ColorImage) -> Result<Vec<u8>, String> {
    let [width, height] = image.size;
    let points = Rect::from_min_size(
        egui::Pos2::ZERO,
        egui::Vec2::new(width as f32, height as f32),
    );
    png_of_region(image, points, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use egui::{Color32, Pos2};

    #[test]
    fn cuts_the_region_at_the_screen_scale_and_encodes_it() {
        let mut screenshot = ColorImage::filled([40, 20], Color32::WHITE);
        // A red block at points (5..10, 2..6) with 2 pixels per point.
        for y in 4..12 {
            for x in 10..20 {
                screenshot.pixels[y * 40 + x] = Color32::RED;
            }
        }
        let region = Rect::from_min_max(Pos2::new(5.0, 2.0), Pos2::new(10.0, 6.0));
        let png = png_of_region(&screenshot, region, 2.0).unwrap();
        let decoder = png::Decoder::new(std::io::Cursor::new(png));
        let mut reader = decoder.read_info().unwrap();
        let mut buffer = vec![0; reader.output_buffer_size().unwrap()];
        let info = reader.next_frame(&mut buffer).unwrap();
        assert_eq!((info.width, info.height), (10, 8));
        assert!(buffer.chunks(4).all(|p| p == [255, 0, 0, 255]));
    }
}
