//! The application: what is loaded, the view-only state, and the frame layout.

use crate::gallery::{self, GalleryEntry};
use crate::panels;
use crate::playback::Playback;
use crate::policy_choice::PolicyChoice;
use crate::view::{Action, ViewState};
pub use crate::view::{ScreenshotSlot, SortColumn, UploadSlot};
use sim_core::Scenario;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// Where the loaded scenario came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    Gallery(&'static str),
    File(PathBuf),
    /// A file uploaded or dropped in the browser, by its name.
    Upload(String),
    /// A scenario a link carried (`#yaml=`).
    Link,
}

impl Source {
    pub fn label(&self) -> String {
        match self {
            Source::Gallery(path) => format!("built-in: {path}"),
            Source::File(path) => path.display().to_string(),
            Source::Upload(name) => name.clone(),
            Source::Link => "the link's scenario".to_string(),
        }
    }
}

pub struct ProcsimApp {
    pub source: Source,
    /// The scenario as loaded (the policy switcher edits a copy).
    pub loaded: Option<Scenario>,
    pub playback: Option<Playback>,
    /// The same workload under a second policy, when comparing.
    pub compare: Option<Playback>,
    /// The last load error, shown in the window instead of the scenario.
    pub error: Option<String>,
    /// The text of the scenario as loaded (what "Copy link" carries).
    pub loaded_text: Option<String>,
    pub view: ViewState,
    /// A schedule to replay (`--schedule`, from `procsim explore`): kept across reloads.
    pub schedule: Option<sim_core::scenario::Schedule>,
    /// The panel the loaded scenario's lesson needs (`Scenario::focus`, found once at load).
    pub scenario_focus: sim_core::scenario::Focus,
    /// The outcomes `procsim explore` found for the scenario as shown (the Outcomes panel);
    /// dropped when the scenario, its policy or its seed changes.
    pub outcomes: Option<sim_core::explore::Exploration>,
    file_modified: Option<SystemTime>,
    seconds_since_file_check: f64,
}

impl ProcsimApp {
    /// The app on the gallery's first demo.
    pub fn new() -> ProcsimApp {
        let mut app = ProcsimApp {
            source: Source::Gallery(gallery::first_demo().path),
            loaded: None,
            playback: None,
            compare: None,
            error: None,
            loaded_text: None,
            scenario_focus: sim_core::scenario::Focus::Averages,
            schedule: None,
            outcomes: None,
            view: ViewState {
                selected: None,
                three_state: false,
                projector: false,
                show_states: true,
                show_log: true,
                projector_drawn: false,
                show_gallery: false,
                captions: true,
                focus: None,
                focus_pinned: false,
                seed: 0,
                shuffled: false,
                has_tasks: false,
                gallery_search: String::new(),
                dark: None,
                sort: SortColumn::Pid,
                sort_descending: false,
                folded: Default::default(),
                policy: PolicyChoice::of(&sim_core::scenario::PolicyConfig::Fcfs(
                    Default::default(),
                )),
                compare_policy: PolicyChoice::of(&sim_core::scenario::PolicyConfig::Rr {
                    quantum_ticks: 4,
                }),
                comparing: false,
                path_input: String::new(),
                status: None,
                jump_input: String::new(),
                gantt_rect: None,
                screenshot: ScreenshotSlot::default(),
                uploaded: UploadSlot::default(),
            },
            file_modified: None,
            seconds_since_file_check: 0.0,
        };
        app.open_gallery(gallery::first_demo());
        app
    }

    /// The app on a file; a bad file shows its error in the window.
    pub fn with_file(path: &Path) -> ProcsimApp {
        let mut app = ProcsimApp::new();
        app.open_file(path);
        app
    }

    pub fn open_gallery(&mut self, entry: GalleryEntry) {
        self.source = Source::Gallery(entry.path);
        self.file_modified = None;
        self.load_text(entry.text, entry.path);
    }

    pub fn open_file(&mut self, path: &Path) {
        self.source = Source::File(path.to_path_buf());
        self.view.path_input = path.display().to_string();
        self.file_modified = modified(path);
        match std::fs::read_to_string(path) {
            Ok(text) => self.load_text(&text, &path.display().to_string()),
            Err(error) => self.fail(format!("cannot read {}: {error}", path.display())),
        }
    }

    /// Parses and loads a scenario; on error keeps the error for the window.
    pub fn load_text(&mut self, text: &str, origin: &str) {
        match Scenario::from_yaml(text) {
            Ok(mut scenario) => {
                self.loaded_text = Some(text.to_string());
                self.scenario_focus = scenario.focus();
                if !self.view.focus_pinned {
                    self.view.focus = None;
                }
                scenario.schedule = self.schedule.clone();
                self.view.policy = PolicyChoice::of(&scenario.policy);
                self.view.seed = scenario.seed;
                self.view.shuffled =
                    scenario.rules.same_instant == sim_core::scenario::SameInstant::Shuffled;
                self.view.has_tasks = scenario.realtime.is_some();
                self.view.selected = None;
                // Nothing of the previous scenario lingers: its status line, its "Jump to t".
                self.view.status = None;
                self.view.jump_input.clear();
                self.error = None;
                self.outcomes = None;
                self.playback = Some(Playback::new(scenario.clone()));
                self.loaded = Some(scenario);
                self.rebuild_compare();
            }
            Err(error) => self.fail(error.detailed(origin)),
        }
    }

    /// Opens what a link names (`?scenario=` or `#yaml=`, [`crate::link`]).
    pub fn open_link(&mut self, target: crate::link::LinkTarget) {
        match target {
            crate::link::LinkTarget::BuiltIn(path) => {
                if let Some(entry) = gallery::entries().into_iter().find(|e| e.path == path) {
                    self.open_gallery(entry);
                }
            }
            crate::link::LinkTarget::Yaml(text) => {
                self.source = Source::Link;
                self.file_modified = None;
                self.load_text(&text, "the link's scenario");
            }
        }
    }

    /// What a link to the scenario shown carries: a built-in one by its path, any other by
    /// its text.
    pub fn link_target(&self) -> Option<crate::link::LinkTarget> {
        match &self.source {
            Source::Gallery(path) => Some(crate::link::LinkTarget::BuiltIn(path.to_string())),
            _ => self.loaded_text.clone().map(crate::link::LinkTarget::Yaml),
        }
    }

    /// Replays `schedule` (`procsim-gui FILE --schedule 0,1`, or an outcome picked in the
    /// Outcomes panel): the choices at the choice points that `procsim explore` printed for
    /// an outcome.
    pub fn replay_schedule(&mut self, schedule: sim_core::scenario::Schedule) {
        self.schedule = Some(schedule.clone());
        if let Some(scenario) = &mut self.loaded {
            scenario.schedule = Some(schedule);
        }
        self.apply_policy();
    }

    fn fail(&mut self, message: String) {
        self.error = Some(message);
        self.playback = None;
        self.compare = None;
        self.loaded = None;
    }

    /// The loaded workload under the policy and seed chosen in the toolbar.
    fn scenario_as_shown(&self) -> Option<Scenario> {
        let mut scenario = self.loaded.clone()?;
        scenario.set_policy(self.view.policy.config());
        scenario.seed = self.view.seed;
        Some(scenario)
    }

    /// Lists every outcome of the scenario as shown (sim-core's `explore`, at most
    /// `GUI_EXPLORE_MAX_RUNS` runs), for the Outcomes panel.
    pub fn explore_outcomes(&mut self) {
        let Some(mut scenario) = self.scenario_as_shown() else {
            return;
        };
        scenario.schedule = None;
        let options = sim_core::explore::ExploreOptions {
            max_runs: GUI_EXPLORE_MAX_RUNS,
            max_events: crate::playback::MAX_EVENTS,
            ..sim_core::explore::ExploreOptions::default()
        };
        match sim_core::explore::explore(&scenario, options) {
            Ok(exploration) => {
                self.view.status = Some(format!(
                    "{} outcome{} over {} schedule{}{}",
                    exploration.outcomes.len(),
                    if exploration.outcomes.len() == 1 {
                        ""
                    } else {
                        "s"
                    },
                    exploration.runs,
                    if exploration.runs == 1 { "" } else { "s" },
                    if exploration.complete {
                        String::new()
                    } else {
                        format!(
                            " (stopped at {GUI_EXPLORE_MAX_RUNS}: procsim explore --max-runs goes further)"
                        )
                    }
                ));
                self.outcomes = Some(exploration);
            }
            Err(error) => self.view.status = Some(format!("cannot explore: {error}")),
        }
    }

    /// Re-runs the loaded workload under the policy chosen in the toolbar.
    pub fn apply_policy(&mut self) {
        if let Some(scenario) = self.scenario_as_shown() {
            let speed = self.playback.as_ref().map_or(2.0, |p| p.speed);
            let mut playback = Playback::new(scenario);
            playback.speed = speed;
            self.playback = Some(playback);
            self.rebuild_compare();
        }
    }

    pub fn rebuild_compare(&mut self) {
        self.compare = match (&self.loaded, self.view.comparing) {
            (Some(scenario), true) => {
                let mut scenario = scenario.clone();
                scenario.set_policy(self.view.compare_policy.config());
                scenario.seed = self.view.seed;
                let mut playback = Playback::new(scenario);
                playback.jump_to(f64::MAX);
                Some(playback)
            }
            _ => None,
        };
    }

    /// Reloads the file when it changed on disk (checked once a second).
    fn watch_file(&mut self, ctx: &egui::Context, seconds: f64) {
        if matches!(self.source, Source::File(_)) {
            // Repaint at least once a second, so a change on disk shows without a mouse move.
            ctx.request_repaint_after(std::time::Duration::from_secs(1));
        }
        self.seconds_since_file_check += seconds;
        if self.seconds_since_file_check < 1.0 {
            return;
        }
        self.seconds_since_file_check = 0.0;
        if let Source::File(path) = &self.source {
            let now = modified(path);
            if now.is_some() && now != self.file_modified {
                let path = path.clone();
                self.open_file(&path);
                self.view.status = Some(format!("reloaded {}", path.display()));
            }
        }
    }

    /// Draws the whole app into `ui` and advances playback by the frame's time.
    pub fn show(&mut self, ui: &mut egui::Ui) {
        let seconds = f64::from(ui.input(|i| i.stable_dt)).min(0.1);
        self.watch_file(ui.ctx(), seconds);
        self.handle_dropped_files(ui);
        self.handle_keys(ui);
        self.handle_screenshots(ui);
        if let Some(playback) = &mut self.playback {
            playback.update(seconds);
            if playback.playing {
                ui.ctx().request_repaint();
            }
        }
        panels::theme::apply(ui.ctx(), self.view.projector, self.view.dark);

        #[cfg(target_arch = "wasm32")]
        if let Some(playback) = &self.playback {
            let file = match &self.source {
                Source::Upload(name) => format!("{name}: "),
                _ => String::new(),
            };
            crate::browser::set_title(&format!(
                "procsim — {file}{} — t = {} ({})",
                playback.scenario().name,
                playback.display_tick().0,
                if playback.playing {
                    "playing"
                } else {
                    "paused"
                }
            ));
        }
        let mut actions = Vec::new();
        // A short window (1280×720 in projector mode) keeps every box to what it needs, so the
        // machine, the focus panel and the Gantt chart fit the first screen; the scenario's
        // title then stands in the toolbar for its path.
        let compact = ui.available_height() < COMPACT_BELOW;
        let source = match (&self.playback, compact) {
            (Some(playback), true) => format!(
                "{} — {}",
                playback.scenario().name,
                playback.scenario().policy.describe()
            ),
            _ => self.source.label(),
        };
        let has_scenario = self.loaded.is_some();
        egui::Panel::top("toolbar").show(ui, |ui| {
            actions.extend(panels::toolbar::toolbar_ui(
                ui,
                &source,
                has_scenario,
                &mut self.view,
            ));
        });
        if self.view.show_gallery {
            let view = &mut self.view;
            egui::CentralPanel::default().show(ui, |ui| {
                actions.extend(panels::gallery::gallery_ui(
                    ui,
                    crate::gallery::cards(),
                    &mut view.gallery_search,
                ));
            });
            self.apply_all(actions, ui.ctx());
            return;
        }
        let Some(playback) = &self.playback else {
            if let Some(error) = &self.error {
                egui::CentralPanel::default().show(ui, |ui| panels::error::error_ui(ui, error));
            }
            self.apply_all(actions, ui.ctx());
            return;
        };
        // One frame per repaint: every panel draws from it.
        let frame = playback.frame();
        let compare = self
            .compare
            .as_ref()
            .filter(|_| self.view.comparing)
            .map(Playback::frame);
        let focus = self.view.focus.unwrap_or(self.scenario_focus);
        let view = &mut self.view;
        // Switching projector mode on gives the machine the room: the side panels fold away.
        if view.projector && !view.projector_drawn {
            view.show_states = false;
            view.show_log = false;
        }
        view.projector_drawn = view.projector;
        let selected = view.selected;
        egui::Panel::bottom("controls").show(ui, |ui| {
            actions.extend(panels::controls::controls_ui(
                ui,
                &frame,
                &mut view.jump_input,
            ));
        });
        if view.show_log {
            egui::Panel::right("log")
                .default_size(340.0)
                .resizable(true)
                .show(ui, |ui| {
                    if ui.small_button("fold »").on_hover_text("L").clicked() {
                        view.show_log = false;
                    }
                    actions.extend(panels::event_log::event_log_ui(ui, &frame, selected));
                });
        } else {
            egui::Panel::right("log strip")
                .exact_size(30.0)
                .resizable(false)
                .show(ui, |ui| {
                    if ui.button("«").on_hover_text("Event log (L)").clicked() {
                        view.show_log = true;
                    }
                });
        }
        if view.show_states {
            egui::Panel::left("states")
                .default_size(280.0)
                .resizable(true)
                .show(ui, |ui| {
                    if ui.small_button("« fold").on_hover_text("S").clicked() {
                        view.show_states = false;
                    }
                    panels::state_diagram::state_diagram_ui(ui, &frame, &mut view.three_state);
                    // The focus panel shows the averages when they are the lesson.
                    if focus != sim_core::scenario::Focus::Averages {
                        ui.separator();
                        panels::metrics::metrics_ui(ui, &frame);
                    }
                });
        } else {
            egui::Panel::left("states strip")
                .exact_size(30.0)
                .resizable(false)
                .show(ui, |ui| {
                    if ui
                        .button("»")
                        .on_hover_text("States and metrics (S)")
                        .clicked()
                    {
                        view.show_states = true;
                    }
                });
        }
        let captions = if view.captions {
            panels::captions::captions(&frame)
        } else {
            Vec::new()
        };
        egui::CentralPanel::default().show(ui, |ui| {
            if !compact {
                let title = format!(
                    "{} — {}",
                    frame.scenario.name,
                    frame.scenario.policy.describe()
                );
                ui.heading(title);
                if let Some(description) = &frame.scenario.description {
                    ui.label(description);
                }
            }
            egui::ScrollArea::vertical().show(ui, |ui| {
                let width = ui.available_width();
                let focus_width = (width * 0.36).clamp(180.0, 560.0);
                // The first screen: the machine, the captions and the Gantt chart on the
                // left, the lesson's panel on the right.
                ui.horizontal_top(|ui| {
                    let left = ui.allocate_ui_with_layout(
                        egui::vec2(width - focus_width - 12.0, 0.0),
                        egui::Layout::top_down(egui::Align::Min),
                        |ui| {
                            let actions = panels::machine::machine_ui(
                                ui, &frame, selected, &captions, compact,
                            );
                            if view.captions {
                                panels::captions::caption_strip_ui(ui, &frame, &captions, compact);
                            }
                            let gantt = panels::gantt::gantt_ui(ui, &frame, selected, compact);
                            (actions, gantt)
                        },
                    );
                    let (machine_actions, gantt) = left.inner;
                    actions.extend(machine_actions);
                    view.gantt_rect = Some(gantt);
                    let height = left.response.rect.height().max(120.0);
                    // A rule between the columns, as tall as the left one.
                    let (rule, _) =
                        ui.allocate_exact_size(egui::vec2(12.0, height), egui::Sense::hover());
                    ui.painter().vline(
                        rule.center().x,
                        rule.y_range(),
                        ui.visuals().widgets.noninteractive.bg_stroke,
                    );
                    let panel = ui.allocate_ui_with_layout(
                        egui::vec2(focus_width, height),
                        egui::Layout::top_down(egui::Align::Min),
                        |ui| {
                            ui.set_max_height(height);
                            egui::ScrollArea::both()
                                .id_salt("focus panel")
                                .max_height(height)
                                .show(ui, |ui| {
                                    panels::focus::focus_menu_ui(
                                        ui,
                                        focus,
                                        (&mut view.focus, &mut view.focus_pinned),
                                    );
                                    panels::focus::focus_ui(ui, &frame, focus);
                                });
                        },
                    );
                    // The panel as a node of its own (screen readers, and the layout tests).
                    let node = ui.interact(
                        panel.response.rect,
                        ui.scope_id().with("focus panel"),
                        egui::Sense::hover(),
                    );
                    let name = format!("focus panel: {}", focus.word());
                    node.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Group, true, &name));
                });
                panels::machine::summary_ui(ui, &frame.snapshot);
                panels::machine::legend_ui(ui, &frame.snapshot);
                if let Some(other) = &compare {
                    ui.separator();
                    panels::compare::compare_ui(ui, &frame, other, selected);
                }
                ui.separator();
                actions.extend(panels::pcb_table::pcb_table_ui(
                    ui,
                    &frame,
                    (view.sort, view.sort_descending),
                    &view.folded,
                    selected,
                ));
                use sim_core::scenario::Focus;
                ui.separator();
                panels::process_tree::process_tree_ui(ui, &frame);
                if panels::values::shows(frame.scenario) && !panels::focus::draws_values(focus) {
                    ui.separator();
                    panels::values::values_ui(ui, &frame);
                }
                if !frame.scenario.sync.is_empty() && focus != Focus::Resources {
                    ui.separator();
                    panels::resources::resources_ui(ui, &frame);
                }
            });
        });
        if let Some(exploration) = &self.outcomes {
            let replaying = self.schedule.as_ref().map(|s| &s.choices[..]);
            // Top right, over the machine; it may be dragged away from what it covers.
            let corner = ui.ctx().content_rect().right_top() + egui::vec2(-600.0, 70.0);
            egui::Window::new("Outcomes")
                .title_bar(false)
                .default_pos(corner.max(egui::pos2(40.0, 70.0)))
                .default_width(560.0)
                .resizable(true)
                .show(ui.ctx(), |ui| {
                    egui::ScrollArea::vertical()
                        .max_height(ui.ctx().content_rect().height() * 0.6)
                        .show(ui, |ui| {
                            actions.extend(panels::outcomes::outcomes_ui(
                                ui,
                                exploration,
                                replaying,
                            ));
                        });
                });
        }
        self.apply_all(actions, ui.ctx());
    }

    /// Carries out what the panels asked for, in order.
    pub fn apply_all(&mut self, actions: Vec<Action>, ctx: &egui::Context) {
        for action in actions {
            self.apply(action, ctx);
        }
    }

    /// Carries out one action.
    pub fn apply(&mut self, action: Action, ctx: &egui::Context) {
        match action {
            Action::Select(pid) => self.view.selected = pid,
            Action::ToggleThreads(pid) => {
                if !self.view.folded.remove(&pid) {
                    self.view.folded.insert(pid);
                }
            }
            Action::SortBy(column) => {
                if self.view.sort == column {
                    self.view.sort_descending = !self.view.sort_descending;
                } else {
                    self.view.sort = column;
                    self.view.sort_descending = false;
                }
            }
            Action::OpenGallery(entry) => {
                self.open_gallery(entry);
                self.view.show_gallery = false;
            }
            Action::ToggleGallery => self.view.show_gallery = !self.view.show_gallery,
            Action::Upload => {
                #[cfg(target_arch = "wasm32")]
                crate::browser::upload(self.view.uploaded.clone(), ctx.clone());
            }
            Action::OpenFile(path) => self.open_file(&path),
            Action::ApplyPolicy => {
                // Another policy or seed: other outcomes.
                self.outcomes = None;
                self.apply_policy()
            }
            Action::ExploreOutcomes => self.explore_outcomes(),
            Action::CloseOutcomes => self.outcomes = None,
            Action::ReplaySchedule(choices) => {
                let preemptions = self
                    .outcomes
                    .as_ref()
                    .map_or(sim_core::scenario::DEFAULT_PREEMPTIONS, |e| e.preemptions);
                match choices {
                    Some(choices) => self.replay_schedule(sim_core::scenario::Schedule {
                        preemptions,
                        ..sim_core::scenario::Schedule::new(choices)
                    }),
                    None => {
                        self.schedule = None;
                        if let Some(scenario) = &mut self.loaded {
                            scenario.schedule = None;
                        }
                        self.apply_policy();
                    }
                }
            }
            Action::RebuildCompare => self.rebuild_compare(),
            Action::CopyLink =>
            {
                #[cfg(target_arch = "wasm32")]
                if let Some(target) = self.link_target() {
                    let link = crate::link::make(&crate::browser::page_address(), &target);
                    self.view.status = Some(format!(
                        "link copied ({} characters): it opens this scenario",
                        link.chars().count()
                    ));
                    ctx.copy_text(link);
                }
            }
            Action::ExportSvg => self.export_svg(),
            Action::ExportPng => {
                let slot = self.view.screenshot.clone();
                let repaint = ctx.clone();
                ctx.request_screenshot(move |image| {
                    if let Ok(mut slot) = slot.lock() {
                        *slot = Some(image);
                    }
                    repaint.request_repaint();
                });
            }
            Action::Restart
            | Action::StepBack
            | Action::StepForward
            | Action::EventBack
            | Action::EventForward
            | Action::TickBack
            | Action::TickForward
            | Action::TogglePlay
            | Action::SetSpeed(_)
            | Action::JumpTo(_) => {
                if let Some(playback) = &mut self.playback {
                    match action {
                        Action::Restart => playback.restart(),
                        Action::StepBack => {
                            playback.playing = false;
                            playback.step_back();
                        }
                        Action::StepForward => {
                            playback.playing = false;
                            playback.step_forward();
                        }
                        Action::EventBack => playback.step_event_back(),
                        Action::EventForward => playback.step_event_forward(),
                        Action::TickBack => playback.tick_back(),
                        Action::TickForward => playback.tick_forward(),
                        Action::TogglePlay => {
                            playback.playing = !playback.playing && !playback.is_at_end();
                        }
                        Action::SetSpeed(speed) => playback.speed = speed,
                        Action::JumpTo(time) => {
                            playback.playing = false;
                            playback.jump_to(time);
                        }
                        _ => {}
                    }
                }
            }
        }
    }

    /// Writes the whole run's Gantt chart as SVG next to the working directory.
    fn export_svg(&mut self) {
        let Some(playback) = &self.playback else {
            return;
        };
        let report = playback.final_report();
        let svg = sim_core::render::gantt_svg_with_jobs(
            &report.gantt,
            report.cpus,
            &report.scenario,
            &report.jobs,
        );
        let file = format!("{}-gantt.svg", sim_core::render::slug(&report.scenario));
        self.view.status = Some(save(&file, svg.as_bytes(), "image/svg+xml"));
    }

    /// Cuts the Gantt chart out of a screenshot the "Export Gantt (PNG)" button asked for.
    fn handle_screenshots(&mut self, ui: &egui::Ui) {
        let screenshot = self
            .view
            .screenshot
            .lock()
            .ok()
            .and_then(|mut slot| slot.take());
        let Some(image) = screenshot else {
            return;
        };
        let (Some(rect), Some(playback)) = (self.view.gantt_rect, &self.playback) else {
            return;
        };
        let file = format!(
            "{}-gantt.png",
            sim_core::render::slug(&playback.scenario().name)
        );
        let pixels_per_point = ui.ctx().pixels_per_point();
        self.view.status = Some(
            match crate::export::png_of_region(&image, rect, pixels_per_point) {
                Ok(png) => save(&file, &png, "image/png"),
                Err(error) => format!("cannot write {file}: {error}"),
            },
        );
    }

    fn handle_dropped_files(&mut self, ui: &egui::Ui) {
        let dropped = ui.input(|i| i.raw.dropped_files.clone());
        if let Some(file) = dropped.first() {
            #[cfg(not(target_arch = "wasm32"))]
            {
                let path = file.path().to_path_buf();
                self.open_file(&path);
            }
            // In a browser a dropped file is read asynchronously; it arrives like an upload.
            #[cfg(target_arch = "wasm32")]
            {
                let (file, slot, ctx) =
                    (file.clone(), self.view.uploaded.clone(), ui.ctx().clone());
                wasm_bindgen_futures::spawn_local(async move {
                    if let Ok(bytes) = file.bytes_async().await {
                        let name = file.path().display().to_string();
                        let text = String::from_utf8_lossy(&bytes).into_owned();
                        if let Ok(mut slot) = slot.lock() {
                            *slot = Some((name, text));
                        }
                        ctx.request_repaint();
                    }
                });
            }
        }
        let uploaded = self
            .view
            .uploaded
            .lock()
            .ok()
            .and_then(|mut slot| slot.take());
        if let Some((name, text)) = uploaded {
            self.source = Source::Upload(name.clone());
            self.file_modified = None;
            self.load_text(&text, &name);
        }
    }

    fn handle_keys(&mut self, ui: &egui::Ui) {
        if ui.memory(|m| m.focused().is_some()) {
            return; // typing in a text field
        }
        let (space, right, left, home, shift) = ui.input(|i| {
            (
                i.key_pressed(egui::Key::Space),
                i.key_pressed(egui::Key::ArrowRight),
                i.key_pressed(egui::Key::ArrowLeft),
                i.key_pressed(egui::Key::Home),
                i.modifiers.shift,
            )
        });
        let (states, log, gallery) = ui.input(|i| {
            (
                i.key_pressed(egui::Key::S),
                i.key_pressed(egui::Key::L),
                i.key_pressed(egui::Key::G),
            )
        });
        if gallery {
            self.view.show_gallery = !self.view.show_gallery;
        }
        if ui.input(|i| i.key_pressed(egui::Key::C)) {
            self.view.captions = !self.view.captions;
        }
        if ui.input(|i| i.key_pressed(egui::Key::O)) {
            let action = if self.outcomes.is_some() {
                Action::CloseOutcomes
            } else {
                Action::ExploreOutcomes
            };
            self.apply(action, ui.ctx());
        }
        if states {
            self.view.show_states = !self.view.show_states;
        }
        if log {
            self.view.show_log = !self.view.show_log;
        }
        // Presenter remotes send Page Up / Page Down; + and − change the speed.
        let (event_back, event_on) = ui.input(|i| {
            (
                i.key_pressed(egui::Key::Comma),
                i.key_pressed(egui::Key::Period),
            )
        });
        let (page_up, page_down, faster, slower, full_screen) = ui.input(|i| {
            (
                i.key_pressed(egui::Key::PageUp),
                i.key_pressed(egui::Key::PageDown),
                i.key_pressed(egui::Key::Plus) || i.key_pressed(egui::Key::Equals),
                i.key_pressed(egui::Key::Minus),
                i.key_pressed(egui::Key::F11),
            )
        });
        if full_screen {
            let now = ui.input(|i| i.viewport().fullscreen.unwrap_or(false));
            ui.ctx()
                .send_viewport_cmd(egui::ViewportCommand::Fullscreen(!now));
        }
        let speed = self.playback.as_ref().map_or(2.0, |p| p.speed);
        let pressed = [
            (event_back, Action::EventBack),
            (event_on, Action::EventForward),
            (page_up, Action::StepBack),
            (page_down, Action::StepForward),
            (faster, Action::SetSpeed(next_speed(speed, true))),
            (slower, Action::SetSpeed(next_speed(speed, false))),
            (space, Action::TogglePlay),
            (right && !shift, Action::StepForward),
            (left && !shift, Action::StepBack),
            (right && shift, Action::TickForward),
            (left && shift, Action::TickBack),
            (home, Action::Restart),
        ];
        for (key, action) in pressed {
            if key {
                self.apply(action, ui.ctx());
            }
        }
    }
}

/// The speed after `+` (`faster`) or `−`: the next of 0.25, 0.5, 1, 2, 5, 10, 20, 50, 100,
/// 200 ticks a second.
pub fn next_speed(speed: f64, faster: bool) -> f64 {
    const SPEEDS: [f64; 10] = [0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0, 200.0];
    if faster {
        SPEEDS
            .into_iter()
            .find(|&s| s > speed + 1e-9)
            .unwrap_or(200.0)
    } else {
        SPEEDS
            .into_iter()
            .rev()
            .find(|&s| s < speed - 1e-9)
            .unwrap_or(0.25)
    }
}

/// Below this height (points) of the window the layout is compact: 1280×720 in projector
/// mode is 411 points high, 1600×1000 is 571.
const COMPACT_BELOW: f32 = 640.0;

/// Most runs the Outcomes panel explores (the window waits for them): enough for the
/// course's races; `procsim explore --max-runs` goes further.
pub const GUI_EXPLORE_MAX_RUNS: u64 = 20_000;

impl Default for ProcsimApp {
    fn default() -> Self {
        ProcsimApp::new()
    }
}

impl eframe::App for ProcsimApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.show(ui);
    }
}

/// Saves an export: a file in the working directory, or a download in a browser. Returns the
/// status line that says what happened.
fn save(file: &str, bytes: &[u8], mime: &str) -> String {
    #[cfg(target_arch = "wasm32")]
    {
        let _ = full_path;
        match crate::browser::download(file, bytes, mime) {
            Ok(()) => format!("downloaded {file}"),
            Err(error) => error,
        }
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = mime;
        match std::fs::write(file, bytes) {
            Ok(()) => format!("wrote {}", full_path(file)),
            Err(error) => format!("cannot write {file}: {error}"),
        }
    }
}

/// The full path of a file just written in the working directory, for status lines.
fn full_path(file: &str) -> String {
    std::fs::canonicalize(file).map_or_else(|_| file.to_string(), |p| p.display().to_string())
}

fn modified(path: &Path) -> Option<SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}
