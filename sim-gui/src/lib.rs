//! procsim-gui: an animated classroom view of the procsim engine.
//!
//! The app drives `sim_core::Simulator` through [`playback::Playback`] and draws its snapshots
//! and event log. It contains no scheduling rule: every position, colour and sentence on screen
//! comes from the engine's state or log. One panel per file in `panels/`; each drawing function
//! takes `&mut egui::Ui` and is named `*_ui`.

pub mod app;
#[cfg(target_arch = "wasm32")]
pub mod browser;
pub mod export;
pub mod frame;
pub mod gallery;
pub mod link;
pub mod palette;
pub mod panels;
pub mod playback;
pub mod policy_choice;
pub mod view;
#[cfg(target_arch = "wasm32")]
pub mod web;

pub use app::ProcsimApp;
