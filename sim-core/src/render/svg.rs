//! The Gantt chart as a standalone SVG image.

use crate::gantt::GanttSlice;
use crate::ids::Pid;
use crate::report::JobRow;
use std::fmt::Write;

/// The Gantt chart as a standalone SVG image: one lane per CPU, a time axis, idle in grey.
pub fn gantt_svg(slices: &[GanttSlice], cpus: usize, title: &str) -> String {
    gantt_svg_with_jobs(slices, cpus, title, &[])
}

/// [`gantt_svg`] with the releases (▲) and deadlines (▼, red when missed) of a task set's
/// `jobs` on a strip above the lanes.
pub fn gantt_svg_with_jobs(
    slices: &[GanttSlice],
    cpus: usize,
    title: &str,
    jobs: &[JobRow],
) -> String {
    const LANE: f64 = 34.0;
    const LEFT: f64 = 60.0;
    const WIDTH: f64 = 900.0;
    let strip = if jobs.is_empty() { 0.0 } else { 18.0 };
    let end = slices
        .iter()
        .map(|s| s.end.0)
        .chain(jobs.iter().map(|job| job.deadline))
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let scale = (WIDTH - LEFT - 20.0) / end;
    let height = 40.0 + strip + cpus as f64 * (LANE + 8.0) + 30.0;
    let mut out = String::new();
    let _ = writeln!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" font-family="sans-serif" font-size="12">"#
    );
    let _ = writeln!(
        out,
        r#"<text x="10" y="20" font-size="15" font-weight="bold">{}</text>"#,
        escape(title)
    );
    // The strip of marks: a release points up from its bottom, a deadline down from its top.
    for job in jobs {
        let release = LEFT + job.release as f64 * scale;
        let deadline = LEFT + job.deadline as f64 * scale;
        let (top, bottom) = (28.0, 28.0 + strip);
        let _ = writeln!(
            out,
            r#"<polygon points="{:.2},{:.2} {:.2},{bottom:.2} {:.2},{bottom:.2}" fill="black"><title>{}</title></polygon>"#,
            release,
            bottom - 8.0,
            release - 4.0,
            release + 4.0,
            escape(&format!(
                "{}#{} released at {}",
                job.task, job.job, job.release
            ))
        );
        let colour = if job.missed { "#d00000" } else { "black" };
        let _ = writeln!(
            out,
            r#"<polygon points="{:.2},{top:.2} {:.2},{top:.2} {:.2},{:.2}" fill="{colour}"><title>{}</title></polygon>"#,
            deadline - 4.0,
            deadline + 4.0,
            deadline,
            top + 8.0,
            escape(&format!(
                "{}#{} due at {}{}",
                job.task,
                job.job,
                job.deadline,
                if job.missed { ", missed" } else { "" }
            ))
        );
    }
    for slice in slices {
        let x = LEFT + slice.start.0 as f64 * scale;
        let w = (slice.end.0 - slice.start.0) as f64 * scale;
        let y = 32.0 + strip + slice.cpu.0 as f64 * (LANE + 8.0);
        let (fill, label) = match (&slice.name, slice.pid) {
            (Some(name), Some(pid)) => (svg_colour(pid), name.as_str()),
            _ => ("#dddddd".to_string(), ""),
        };
        let _ = writeln!(
            out,
            r#"<rect x="{x:.2}" y="{y:.2}" width="{w:.2}" height="{LANE}" fill="{fill}" stroke="black" stroke-width="0.5"/>"#
        );
        if !label.is_empty() && w > 7.0 * label.len() as f64 {
            let _ = writeln!(
                out,
                r#"<text x="{:.2}" y="{:.2}" text-anchor="middle" dominant-baseline="middle">{}</text>"#,
                x + w / 2.0,
                y + LANE / 2.0,
                escape(label)
            );
        }
    }
    for cpu in 0..cpus {
        let y = 32.0 + strip + cpu as f64 * (LANE + 8.0) + LANE / 2.0;
        let _ = writeln!(
            out,
            r#"<text x="10" y="{y:.2}" dominant-baseline="middle">CPU{cpu}</text>"#
        );
    }
    let axis = 32.0 + strip + cpus as f64 * (LANE + 8.0) + 4.0;
    let mut boundaries: Vec<u64> = slices.iter().flat_map(|s| [s.start.0, s.end.0]).collect();
    boundaries.sort_unstable();
    boundaries.dedup();
    let mut last_x = f64::NEG_INFINITY;
    for t in boundaries {
        let x = LEFT + t as f64 * scale;
        if x - last_x < 24.0 {
            continue; // keep labels readable
        }
        last_x = x;
        let _ = writeln!(
            out,
            r#"<text x="{x:.2}" y="{:.2}" text-anchor="middle">{t}</text>"#,
            axis + 12.0
        );
    }
    out.push_str("</svg>\n");
    out
}

fn svg_colour(pid: Pid) -> String {
    const COLOURS: [&str; 12] = [
        "#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442", "#9467bd",
        "#8c564b", "#7f7f7f", "#bcbd22", "#17becf",
    ];
    COLOURS[(pid.0 as usize).wrapping_sub(2) % COLOURS.len()].to_string()
}

fn escape(text: &str) -> String {
    crate::text::xml_text(text)
}
