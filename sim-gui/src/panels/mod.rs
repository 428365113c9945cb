//! One panel per file. A panel is a view: it takes what it draws (the playback, the view's
//! settings) and returns the [`Action`]s the user asked for; `app.rs` applies them. No panel
//! sees the app, and none holds a scheduling rule.

pub mod allocation_graph;
pub mod captions;
pub mod compare;
pub mod controls;
pub mod error;
pub mod event_log;
pub mod focus;
pub mod gallery;
pub mod gantt;
pub mod machine;
pub mod metrics;
pub mod outcomes;
pub mod pcb_table;
pub mod process_tree;
pub mod resources;
pub mod state_diagram;
pub mod theme;
pub mod toolbar;
pub mod values;

pub use crate::view::Action;
