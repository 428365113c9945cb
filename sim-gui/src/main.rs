//! `procsim-gui [FILE] [options]`: the classroom view. With no FILE it opens the gallery's first
//! demo. `--smoke` plays for a moment and closes (a CI check that a real window works);
//! `--screenshot FILE.png` draws the frame at `--at T` in a real window, saves it and exits.

use sim_gui::ProcsimApp;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::{Arc, Mutex};

const USAGE: &str = "usage: procsim-gui [FILE] [--at T [--event K]] [--size WxH] [--projector] [--theme light|dark]\n\
                     [--schedule CHOICES [--preemptions K]] [--outcomes] [--gallery] [--screenshot FILE.png]\n\
                     [--smoke]\n\n\
Opens FILE (a procsim scenario, see docs/scenario-format.md), or a built-in demo.\n\
  --at T              show the state at tick T (paused)\n\
  --event K           with --at T: the state after the K-th event of the instant at T\n\
  --size WxH          the window's size in points, e.g. 1600x1000 (default 1400x900)\n\
  --projector         projector mode: large text and chips, high contrast\n\
  --theme light|dark  the colours (default: dark in projector mode, light otherwise)\n\
  --schedule CHOICES  replay a schedule `procsim explore` printed, as 0,2,1\n\
  --preemptions K     the forced switches it may make, as explore was given (default 2)\n\
  --outcomes          open the Outcomes panel: every outcome over the choice points (O)\n\
  --screenshot FILE   draw the frame in a real window, save it as PNG and exit\n\
                      (exit 0; 1 with a message when it cannot draw)\n\
  --gallery           open on the gallery of built-in scenarios\n\
  --smoke             play the scenario for about two seconds, then close\n\
Keys: space play/pause, → / ← next / previous event, Shift+→ / Shift+← next / previous tick,\n\
Home restart.";

/// What the command line asks for.
#[derive(Debug, Default)]
struct Options {
    file: Option<PathBuf>,
    smoke: bool,
    gallery: bool,
    at: Option<u64>,
    event: Option<usize>,
    size: Option<[f32; 2]>,
    projector: bool,
    dark: Option<bool>,
    screenshot: Option<PathBuf>,
    schedule: Option<Vec<usize>>,
    preemptions: Option<u32>,
    outcomes: bool,
}

fn parse(args: &[String]) -> Result<Options, String> {
    let mut options = Options::default();
    let mut args = args.iter();
    while let Some(argument) = args.next() {
        let mut value = |flag: &str| {
            args.next()
                .cloned()
                .ok_or_else(|| format!("{flag} needs a value"))
        };
        match argument.as_str() {
            "--smoke" => options.smoke = true,
            "--gallery" => options.gallery = true,
            "--projector" => options.projector = true,
            "--outcomes" => options.outcomes = true,
            "--event" => {
                let text = value("--event")?;
                options.event = Some(text.parse().map_err(|_| {
                    format!("--event expects a count of events (a whole number ≥ 0), got {text}")
                })?);
            }
            "--at" => {
                let text = value("--at")?;
                options.at = Some(text.parse().map_err(|_| {
                    format!("--at expects a tick (a whole number ≥ 0), got {text}")
                })?);
            }
            "--size" => {
                let text = value("--size")?;
                let size = text
                    .split_once('x')
                    .and_then(|(w, h)| Some([w.parse::<f32>().ok()?, h.parse::<f32>().ok()?]))
                    .filter(|[w, h]| {
                        (200.0..=10_000.0).contains(w) && (200.0..=10_000.0).contains(h)
                    })
                    .ok_or_else(|| {
                        format!("--size expects WIDTHxHEIGHT such as 1600x1000, got {text}")
                    })?;
                options.size = Some(size);
            }
            "--theme" => {
                options.dark = match value("--theme")?.as_str() {
                    "dark" => Some(true),
                    "light" => Some(false),
                    other => return Err(format!("--theme expects light or dark, got {other}")),
                }
            }
            "--screenshot" => options.screenshot = Some(PathBuf::from(value("--screenshot")?)),
            "--schedule" => {
                let text = value("--schedule")?;
                options.schedule = Some(
                    sim_core::explore::parse_schedule(&text)
                        .map_err(|message| format!("--schedule: {message}"))?,
                );
            }
            "--preemptions" => {
                let text = value("--preemptions")?;
                options.preemptions = Some(text.parse().map_err(|_| {
                    format!("--preemptions expects a whole number ≥ 0, got {text}")
                })?);
            }
            flag if flag.starts_with('-') && flag != "-" => {
                return Err(format!("unknown option {flag}"));
            }
            path => options.file = Some(PathBuf::from(path)),
        }
    }
    if options.event.is_some() && options.at.is_none() {
        return Err("--event K needs --at T: the instant whose events it counts".to_string());
    }
    Ok(options)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "-h" || a == "--help") {
        println!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    let mut options = match parse(&args) {
        Ok(options) => options,
        Err(error) => {
            eprintln!("error: {error}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let mut app = match &options.file {
        Some(path) => ProcsimApp::with_file(path),
        None => ProcsimApp::new(),
    };
    if options.screenshot.is_some()
        && let Some(error) = &app.error
    {
        eprintln!("{error}");
        return ExitCode::FAILURE;
    }
    if let Some(choices) = options.schedule.take() {
        app.replay_schedule(sim_core::scenario::Schedule {
            preemptions: options
                .preemptions
                .unwrap_or(sim_core::scenario::DEFAULT_PREEMPTIONS),
            ..sim_core::scenario::Schedule::new(choices)
        });
    }
    if options.outcomes {
        app.explore_outcomes();
    }
    app.view.projector = options.projector;
    app.view.show_gallery = options.gallery;
    app.view.dark = options.dark;
    if let Some(playback) = &mut app.playback {
        match (options.at, options.event) {
            (Some(at), Some(event)) => playback.jump_to_event(sim_core::Tick(at), event),
            (Some(at), None) => playback.jump_to(at as f64),
            (None, _) => playback.playing = options.screenshot.is_none(),
        }
    }
    let size = options.size.unwrap_or([1400.0, 900.0]);
    let native = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("procsim")
            .with_inner_size(size)
            .with_drag_and_drop(true),
        ..Default::default()
    };
    let outcome: Arc<Mutex<Option<Result<String, String>>>> = Arc::default();
    let mode = match options.screenshot {
        Some(path) => Mode::Screenshot {
            path,
            frames: 0,
            requested: false,
            image: sim_gui::app::ScreenshotSlot::default(),
            outcome: outcome.clone(),
        },
        None if options.smoke => Mode::Smoke { seconds: 0.0 },
        None => Mode::Interactive,
    };
    let result = eframe::run_native(
        "procsim",
        native,
        Box::new(move |_creation| Ok(Box::new(Runner { app, mode }))),
    );
    if let Err(error) = result {
        eprintln!("error: cannot open a window: {error}");
        return ExitCode::FAILURE;
    }
    match outcome.lock().ok().and_then(|mut o| o.take()) {
        Some(Ok(message)) => {
            println!("{message}");
            ExitCode::SUCCESS
        }
        Some(Err(error)) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
        None => ExitCode::SUCCESS,
    }
}

/// How the window runs.
enum Mode {
    Interactive,
    /// Closes after about two seconds.
    Smoke {
        seconds: f64,
    },
    /// Draws a few frames (animations off), asks for a screenshot, saves it, closes.
    Screenshot {
        path: PathBuf,
        frames: u32,
        requested: bool,
        /// Where the window's screenshot arrives.
        image: sim_gui::app::ScreenshotSlot,
        outcome: Arc<Mutex<Option<Result<String, String>>>>,
    },
}

/// The app and the way its window runs.
struct Runner {
    app: ProcsimApp,
    mode: Mode,
}

/// Frames drawn before the screenshot is taken (the layout settles), and the most to wait for it.
const FRAMES_BEFORE_SCREENSHOT: u32 = 4;
const FRAMES_FOR_SCREENSHOT: u32 = 240;

impl eframe::App for Runner {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        if let Mode::Screenshot { .. } = self.mode {
            // Chips are drawn where they are, not gliding there.
            ui.ctx()
                .global_style_mut(|style| style.animation_time = 0.0);
        }
        self.app.show(ui);
        match &mut self.mode {
            Mode::Interactive => {}
            Mode::Smoke { seconds } => {
                *seconds += f64::from(ui.input(|i| i.stable_dt));
                ui.ctx().request_repaint();
                if *seconds > 2.0 {
                    ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
                }
            }
            Mode::Screenshot {
                path,
                frames,
                requested,
                image: slot,
                outcome,
            } => {
                *frames += 1;
                ui.ctx().request_repaint();
                let image = slot.lock().ok().and_then(|mut slot| slot.take());
                let done = if let Some(image) = image {
                    let written = sim_gui::export::png_of_image(&image)
                        .and_then(|png| std::fs::write(&*path, png).map_err(|e| e.to_string()))
                        .map(|()| {
                            format!(
                                "wrote {} ({}x{} pixels)",
                                path.display(),
                                image.size[0],
                                image.size[1]
                            )
                        })
                        .map_err(|e| format!("cannot write {}: {e}", path.display()));
                    Some(written)
                } else if *frames >= FRAMES_FOR_SCREENSHOT {
                    Some(Err("the window never delivered a screenshot".to_string()))
                } else {
                    if *frames >= FRAMES_BEFORE_SCREENSHOT && !*requested {
                        *requested = true;
                        let slot = slot.clone();
                        let repaint = ui.ctx().clone();
                        ui.ctx().request_screenshot(move |image| {
                            if let Ok(mut slot) = slot.lock() {
                                *slot = Some(image);
                            }
                            repaint.request_repaint();
                        });
                    }
                    None
                };
                if let Some(result) = done {
                    if let Ok(mut slot) = outcome.lock() {
                        *slot = Some(result);
                    }
                    ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
                }
            }
        }
    }
}
