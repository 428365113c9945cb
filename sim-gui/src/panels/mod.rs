//! One panel per file; each draws with a `*_ui(ui, app)` function.

pub mod allocation_graph;
pub mod compare;
pub mod controls;
pub mod error;
pub mod event_log;
pub mod gantt;
pub mod machine;
pub mod metrics;
pub mod pcb_table;
pub mod process_tree;
pub mod resources;
pub mod state_diagram;
pub mod theme;
pub mod toolbar;
