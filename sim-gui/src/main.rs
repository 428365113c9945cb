//! `procsim-gui [FILE] [--smoke]`: the classroom view. With no FILE it opens the gallery's first
//! demo. `--smoke` plays for a moment and closes (a CI check that a real window works).

use sim_gui::ProcsimApp;
use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "usage: procsim-gui [FILE] [--smoke]\n\n\
Opens FILE (a procsim scenario, see docs/scenario-format.md), or a built-in demo.\n\
  --smoke   play the scenario for about two seconds, then close (exit 0 if all went well)\n\
Keys: space play/pause, → step forward, ← step back, Home restart.";

fn main() -> ExitCode {
    let mut file: Option<PathBuf> = None;
    let mut smoke = false;
    for argument in std::env::args().skip(1) {
        match argument.as_str() {
            "--smoke" => smoke = true,
            "-h" | "--help" => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            flag if flag.starts_with('-') => {
                eprintln!("error: unknown option {flag}\n\n{USAGE}");
                return ExitCode::from(2);
            }
            path => file = Some(PathBuf::from(path)),
        }
    }
    let mut app = match &file {
        Some(path) => ProcsimApp::with_file(path),
        None => ProcsimApp::new(),
    };
    if let Some(playback) = &mut app.playback {
        playback.playing = true;
    }
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("procsim")
            .with_inner_size([1400.0, 900.0])
            .with_drag_and_drop(true),
        ..Default::default()
    };
    let result = eframe::run_native(
        "procsim",
        options,
        Box::new(move |_creation| Ok(Box::new(Smoke::wrap(app, smoke)))),
    );
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: cannot open a window: {error}");
            ExitCode::FAILURE
        }
    }
}

/// The app, closing itself after a few seconds in `--smoke` mode.
struct Smoke {
    app: ProcsimApp,
    smoke: bool,
    seconds: f64,
}

impl Smoke {
    fn wrap(app: ProcsimApp, smoke: bool) -> Smoke {
        Smoke {
            app,
            smoke,
            seconds: 0.0,
        }
    }
}

impl eframe::App for Smoke {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.app.show(ui);
        if self.smoke {
            self.seconds += f64::from(ui.input(|i| i.stable_dt));
            ui.ctx().request_repaint();
            if self.seconds > 2.0 {
                ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
            }
        }
    }
}
