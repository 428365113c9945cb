//! What the user chose to look at and asked for: the types the app and the panels share,
//! below both (the app applies a panel's `Action`s; no panel sees the app).

use crate::gallery::GalleryEntry;
use crate::policy_choice::PolicyChoice;
use sim_core::Pid;
use std::path::PathBuf;

/// How the PCB table is sorted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SortColumn {
    Pid,
    Name,
    State,
    Priority,
    Remaining,
    CpuTime,
    Waiting,
}

/// What the user chose to look at; never scheduling state.
pub struct ViewState {
    pub selected: Option<Pid>,
    pub three_state: bool,
    pub projector: bool,
    /// Whether the states-and-metrics panel (left) and the event log (right) are open; closed,
    /// each is a narrow strip and the machine takes the width. Keys S and L toggle them.
    pub show_states: bool,
    pub show_log: bool,
    /// Whether each move of the last instant is captioned next to its chip (key C).
    pub captions: bool,
    /// The focus panel chosen in its menu (`None`: the scenario's), and whether it stays
    /// chosen for the next scenarios too (pinned).
    pub focus: Option<sim_core::scenario::Focus>,
    pub focus_pinned: bool,
    /// Whether the gallery of built-in scenarios fills the centre (key G).
    pub show_gallery: bool,
    /// The gallery's search text.
    pub gallery_search: String,
    /// Projector mode as last drawn, to fold the side panels away when it is switched on.
    pub projector_drawn: bool,
    /// The theme asked for on the command line (`--theme`): `Some(true)` dark, `Some(false)`
    /// light, `None` dark in projector mode only.
    pub dark: Option<bool>,
    pub sort: SortColumn,
    pub sort_descending: bool,
    /// Multi-threaded processes whose threads the process table hides (folded into one row).
    pub folded: std::collections::BTreeSet<Pid>,
    pub policy: PolicyChoice,
    pub compare_policy: PolicyChoice,
    /// The seed the runs use (the scenario's, until changed in the toolbar).
    pub seed: u64,
    /// Whether the loaded scenario draws its same-instant order (`same_instant: shuffled`).
    pub shuffled: bool,
    /// Whether the loaded scenario has periodic tasks: the real-time policies are offered
    /// only then.
    pub has_tasks: bool,
    pub comparing: bool,
    pub path_input: String,
    pub status: Option<String>,
    pub jump_input: String,
    /// Where the Gantt chart was drawn in the last frame (points).
    pub gantt_rect: Option<egui::Rect>,
    /// Where a file uploaded in the browser arrives.
    pub uploaded: UploadSlot,
    /// Where the screenshot "Export Gantt (PNG)" asks for arrives, to cut the chart from it.
    pub screenshot: ScreenshotSlot,
}

/// A file uploaded in the browser (its name and text), waiting for the next frame to load it.
pub type UploadSlot = std::sync::Arc<std::sync::Mutex<Option<(String, String)>>>;

/// Filled by eframe's screenshot callback, emptied by the next frame.
pub type ScreenshotSlot =
    std::sync::Arc<std::sync::Mutex<Option<std::sync::Arc<egui::ColorImage>>>>;

/// What the user asked for in a panel.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// Select this process everywhere (`None`: nobody).
    Select(Option<Pid>),
    /// Sort the process table by this column (again: reverse the order).
    SortBy(SortColumn),
    /// Fold a multi-threaded process's threads into its row in the process table, or unfold.
    ToggleThreads(Pid),
    Restart,
    /// Back to the previous event.
    StepBack,
    /// On to the next event.
    StepForward,
    /// One event back, inside an instant.
    EventBack,
    /// One event on, inside an instant.
    EventForward,
    /// One tick back.
    TickBack,
    /// One tick on.
    TickForward,
    TogglePlay,
    /// Playback speed, in ticks per second.
    SetSpeed(f64),
    /// Show the run at this time.
    JumpTo(f64),
    OpenGallery(GalleryEntry),
    /// Show the gallery of built-in scenarios, or hide it.
    ToggleGallery,
    /// Pick a scenario file in the browser's file picker (the web build's Browse…).
    Upload,
    OpenFile(PathBuf),
    /// Re-run the workload under the policy chosen in the toolbar.
    ApplyPolicy,
    /// Re-run (or drop) the comparison with the second policy.
    RebuildCompare,
    ExportSvg,
    /// Export the Gantt chart as drawn: the next frame's screenshot, cropped.
    ExportPng,
    /// Copy a link that opens the scenario shown (the browser build).
    CopyLink,
    /// Run `procsim explore` on the scenario as shown and list its outcomes (key O).
    ExploreOutcomes,
    CloseOutcomes,
    /// Replay this schedule (an outcome's witness); `None`: the documented order.
    ReplaySchedule(Option<Vec<usize>>),
}
