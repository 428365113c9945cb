//! What the app asks of the browser (wasm32): downloads, the page's title, the file picker.
//! It knows nothing of the app; `web` starts the app in the page.

use wasm_bindgen::JsCast;

/// Offers `bytes` to the user as a download called `name`.
pub fn download(name: &str, bytes: &[u8], mime: &str) -> Result<(), String> {
    let fail = |what: &str| format!("cannot download {name}: {what}");
    let array = js_sys::Uint8Array::from(bytes);
    let parts = js_sys::Array::of1(&array);
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options)
        .map_err(|_| fail("no blob"))?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(|_| fail("no URL"))?;
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or_else(|| fail("no document"))?;
    let link = document
        .create_element("a")
        .map_err(|_| fail("no link"))?
        .dyn_into::<web_sys::HtmlAnchorElement>()
        .map_err(|_| fail("no link"))?;
    link.set_href(&url);
    link.set_download(name);
    link.click();
    let _ = web_sys::Url::revoke_object_url(&url);
    Ok(())
}

/// Sets the page's title.
pub fn set_title(title: &str) {
    if let Some(document) = web_sys::window().and_then(|w| w.document())
        && document.title() != title
    {
        document.set_title(title);
    }
}

/// Opens the browser's file picker; the chosen file's name and text arrive in `slot`.
pub fn upload(slot: crate::view::UploadSlot, ctx: egui::Context) {
    wasm_bindgen_futures::spawn_local(async move {
        let picked = rfd::AsyncFileDialog::new()
            .add_filter("scenario", &["yaml", "yml"])
            .pick_file()
            .await;
        if let Some(file) = picked {
            let text = String::from_utf8_lossy(&file.read().await).into_owned();
            if let Ok(mut slot) = slot.lock() {
                *slot = Some((file.file_name(), text));
            }
            ctx.request_repaint();
        }
    });
}

/// The page's address without its query or fragment (what a link to a scenario starts with).
pub fn page_address() -> String {
    web_sys::window()
        .map(|window| window.location())
        .and_then(|location| {
            Some(format!(
                "{}{}",
                location.origin().ok()?,
                location.pathname().ok()?
            ))
        })
        .unwrap_or_default()
}

/// The page address's query (`?scenario=...`) and fragment (`#yaml=...`).
pub fn query_and_fragment() -> (String, String) {
    let Some(location) = web_sys::window().map(|window| window.location()) else {
        return (String::new(), String::new());
    };
    (
        location.search().unwrap_or_default(),
        location.hash().unwrap_or_default(),
    )
}

/// The window's width in CSS pixels.
pub fn window_width() -> f64 {
    web_sys::window()
        .and_then(|window| window.inner_width().ok())
        .and_then(|width| width.as_f64())
        .unwrap_or(1600.0)
}
