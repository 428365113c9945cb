//! The ASCII Gantt chart, one lane per CPU.

use crate::gantt::GanttSlice;
use crate::ids::CpuId;
use crate::text::{display_width, pad_right};
use std::fmt::Write;

/// Widest Gantt chart, in characters, before it wraps onto more rows.
const GANTT_WIDTH: usize = 72;

/// An ASCII Gantt chart, one lane per CPU, e.g.
/// ```text
/// CPU0 |P1                      |P2 |P3 |
///      0                        24  27  30
/// ```
/// Each slice is at least wide enough for its label; long charts wrap onto more rows.
pub fn gantt_text(slices: &[GanttSlice], cpus: usize) -> String {
    let mut out = String::new();
    for cpu in 0..cpus {
        let lane: Vec<&GanttSlice> = slices.iter().filter(|s| s.cpu == CpuId(cpu)).collect();
        let Some(end) = lane.last().map(|s| s.end.0) else {
            continue;
        };
        let label = format!("CPU{cpu}");
        let labelled: Vec<(String, String, u64)> = lane
            .iter()
            .map(|slice| {
                let name = slice.name.clone().unwrap_or_else(|| "-".to_string());
                (name, slice.start.0.to_string(), slice.end.0 - slice.start.0)
            })
            .collect();
        let widths_at = |scale: f64| -> Vec<usize> {
            labelled
                .iter()
                .map(|(name, stamp, ticks)| {
                    let scaled = (*ticks as f64 * scale).round() as usize;
                    scaled.max(display_width(name) + 1).max(stamp.len() + 1)
                })
                .collect()
        };
        // The scale shrinks by tenths until the lane fits (or no scale is left: then it wraps).
        // A lane's width only grows with the scale, so the first scale of that sequence that
        // fits is found by bisection: a few passes over the slices, not one per step (a chart
        // that can never fit took about 200).
        let mut scales = vec![(GANTT_WIDTH as f64 / end.max(1) as f64).min(4.0)];
        while let Some(&last) = scales.last().filter(|&&last| last > 1e-9) {
            scales.push(last * 0.9);
        }
        let fits =
            |scale: f64| widths_at(scale).iter().map(|w| w + 1).sum::<usize>() <= GANTT_WIDTH;
        let first_fitting = scales.partition_point(|&scale| !fits(scale));
        let widths = widths_at(scales[first_fitting.min(scales.len() - 1)]);
        let mut cells: Vec<(String, String)> = Vec::new();
        for ((name, stamp, _), width) in labelled.iter().zip(widths) {
            cells.push((
                format!("|{}", pad_right(name, width)),
                pad_right(stamp, width + 1),
            ));
        }
        // Wrap into rows no wider than the chart width.
        let mut row_bar = String::new();
        let mut row_time = String::new();
        let indent = " ".repeat(label.len() + 1);
        let mut first = true;
        let flush = |bar: &str, time: &str, first: bool, out: &mut String, last: Option<u64>| {
            let head = if first { &label } else { &indent[1..] };
            let mut bar = bar.to_string();
            let mut time = time.to_string();
            if let Some(end) = last {
                bar.push('|');
                time = format!("{}{}", time.trim_end(), {
                    let pad = display_width(&bar).saturating_sub(time.trim_end().len() + 1);
                    format!("{}{end}", " ".repeat(pad))
                });
            } else {
                bar.push('|');
            }
            let _ = writeln!(out, "{head} {bar}");
            let _ = writeln!(out, "{indent}{}", time.trim_end());
        };
        for (bar, time) in &cells {
            if !row_bar.is_empty() && display_width(&row_bar) + display_width(bar) > GANTT_WIDTH {
                flush(&row_bar, &row_time, first, &mut out, None);
                first = false;
                row_bar.clear();
                row_time.clear();
            }
            row_bar.push_str(bar);
            row_time.push_str(time);
        }
        flush(&row_bar, &row_time, first, &mut out, Some(end));
    }
    out
}
