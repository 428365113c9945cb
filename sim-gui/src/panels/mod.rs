//! One panel per file. A panel is a view: it takes what it draws (the playback, the view's
//! settings) and returns the [`Action`]s the user asked for; `app.rs` applies them. No panel
//! sees the app, and none holds a scheduling rule.

pub mod allocation_graph;
pub mod compare;
pub mod controls;
pub mod error;
pub mod event_log;
pub mod gallery;
pub mod gantt;
pub mod machine;
pub mod metrics;
pub mod pcb_table;
pub mod process_tree;
pub mod resources;
pub mod state_diagram;
pub mod theme;
pub mod toolbar;
pub mod values;

use crate::app::SortColumn;
use crate::gallery::GalleryEntry;
use sim_core::Pid;
use std::path::PathBuf;

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
}
