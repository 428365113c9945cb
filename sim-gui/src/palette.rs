//! Colours: one per process (stable by pid), and the normal and projector themes.

use egui::Color32;
use sim_core::Pid;

/// Distinct, colour-blind-friendly hues (Okabe–Ito, then Tableau), cycled by pid.
const CHIP_COLOURS: [Color32; 12] = [
    Color32::from_rgb(0, 114, 178),
    Color32::from_rgb(230, 159, 0),
    Color32::from_rgb(0, 158, 115),
    Color32::from_rgb(204, 121, 167),
    Color32::from_rgb(86, 180, 233),
    Color32::from_rgb(213, 94, 0),
    Color32::from_rgb(240, 228, 66),
    Color32::from_rgb(148, 103, 189),
    Color32::from_rgb(140, 86, 75),
    Color32::from_rgb(127, 127, 127),
    Color32::from_rgb(188, 189, 34),
    Color32::from_rgb(23, 190, 207),
];

/// The colour of a process, which its threads share (`pid` is the process's).
pub fn process_colour(pid: Pid) -> Color32 {
    CHIP_COLOURS[(pid.0 as usize).wrapping_sub(2) % CHIP_COLOURS.len()]
}

/// The colour of a task: its process's hue, a lighter or darker shade for each spawned thread
/// (cycling through six), so a process's threads read as one family and still apart.
pub fn task_colour(process: Pid, pid: Pid) -> Color32 {
    let base = process_colour(process);
    if process == pid {
        return base;
    }
    const SHADES: [(bool, f32); 6] = [
        (true, 0.25),
        (false, 0.3),
        (true, 0.5),
        (false, 0.5),
        (true, 0.7),
        (false, 0.65),
    ];
    let (lighter, amount) = SHADES[(pid.0.wrapping_sub(process.0 + 1) % 6) as usize];
    if lighter {
        base.lerp_to_gamma(Color32::WHITE, amount)
    } else {
        base.lerp_to_gamma(Color32::BLACK, amount)
    }
}

/// Black or white, whichever reads better on `background`.
pub fn text_on(background: Color32) -> Color32 {
    let [r, g, b, _] = background.to_array();
    let luma = 0.299 * r as f32 + 0.587 * g as f32 + 0.114 * b as f32;
    if luma > 150.0 {
        Color32::BLACK
    } else {
        Color32::WHITE
    }
}

pub const IDLE: Color32 = Color32::from_gray(120);
pub const HIGHLIGHT: Color32 = Color32::from_rgb(255, 64, 64);
/// The GIL token on the chip of the thread that holds it.
pub const GIL: Color32 = Color32::from_rgb(255, 204, 0);
/// The badge that numbers a chip as its caption in the strip does.
pub const BADGE: Color32 = Color32::from_rgb(255, 244, 170);
/// The token of a lock (or semaphore) on the chip of a thread that holds it.
pub const LOCK: Color32 = Color32::from_rgb(150, 225, 150);
