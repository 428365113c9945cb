//! The top bar: scenario gallery, opening files, the policy switcher, comparison, export, theme.

use crate::panels::Action;
use crate::policy_choice::PolicyChoice;
use crate::view::ViewState;
use sim_core::scenario::policies::{self, OptionDefault, OptionKind, OptionSpec};

/// The top bar. `source` names what is loaded; `has_scenario` whether there is a run to switch
/// policies of and export. Edits the view's own fields (the path typed, the policies chosen,
/// projector mode) and returns what the app must do.
pub fn toolbar_ui(
    ui: &mut egui::Ui,
    source: &str,
    has_scenario: bool,
    view: &mut ViewState,
) -> Vec<Action> {
    let mut actions = Vec::new();
    // One row: what a lecture uses inline, the rest in the More menu; on a narrow window
    // (projector mode on a small screen) the policy's options and the switches go there too.
    ui.horizontal(|ui| {
        let wide = ui.available_width() >= WIDE;
        ui.strong("procsim");
        ui.separator();
        if ui
            .button("Gallery…")
            .on_hover_text("every built-in scenario as a card, with a search (G)")
            .clicked()
        {
            actions.push(Action::ToggleGallery);
        }
        ui.scope(|ui| {
            ui.set_max_width(if wide { 320.0 } else { 150.0 });
            ui.add(egui::Label::new(egui::RichText::new(source).strong()).truncate())
                .on_hover_text(format!("the scenario shown: {source}"));
        });
        ui.separator();
        if has_scenario {
            ui.label("Policy:");
            if policy_ui(ui, "policy", &mut view.policy, wide, view.has_tasks) {
                actions.push(Action::ApplyPolicy);
            }
            // What a seed changes: the same-instant order when shuffled, a lottery's draws.
            if view.shuffled || view.policy.kind == "lottery" {
                ui.separator();
                seed_ui(ui, view, wide, &mut actions);
            }
            ui.separator();
            if ui
                .button("Outcomes…")
                .on_hover_text(
                    "every outcome the program can have over its choice points (procsim \
                     explore), each replayable in the timeline (O)",
                )
                .clicked()
            {
                actions.push(Action::ExploreOutcomes);
            }
        }
        let more = ui.menu_button("More…", |ui| {
            more_menu_ui(ui, has_scenario, view, wide, &mut actions);
        });
        more.response
            .on_hover_text("open a file, compare policies, export the Gantt chart, switches");
        if wide {
            ui.separator();
            switches_ui(ui, view);
        }
        if let Some(status) = &view.status {
            ui.separator();
            ui.add(egui::Label::new(status.as_str()).truncate())
                .on_hover_text(status.as_str());
        }
    });
    actions
}

/// From this width (points) the toolbar shows the policy's options and the switches inline.
const WIDE: f32 = 1100.0;

/// Projector mode and captions.
fn switches_ui(ui: &mut egui::Ui, view: &mut ViewState) {
    ui.checkbox(&mut view.projector, "Projector mode")
        .on_hover_text("large, high-contrast, for a lecture hall");
    ui.checkbox(&mut view.captions, "Captions")
        .on_hover_text("each move of the last instant in words, numbered on its chip (C)");
}

/// The seed of a run that draws, and Another run (the next seed); the seed's field only when
/// the toolbar is wide (else in the More menu).
fn seed_ui(ui: &mut egui::Ui, view: &mut ViewState, field: bool, actions: &mut Vec<Action>) {
    let help = "the seed of the run's draws: with same_instant: shuffled, the order \
                of what happens at one instant (who runs first after a fork, who \
                enters the ready queue first, which idle CPU picks first); with \
                lottery, the winning tickets";
    let mut changed = false;
    if field {
        let label = ui.label("Seed:").on_hover_text(help);
        changed |= ui
            .add(egui::DragValue::new(&mut view.seed).range(0..=u64::MAX))
            .labelled_by(label.id)
            .on_hover_text(help)
            .changed();
    }
    let again = ui.button("Another run").on_hover_text(format!(
        "the next seed: the same program, another draw (seed {})",
        view.seed
    ));
    if again.clicked() {
        view.seed = view.seed.wrapping_add(1);
        changed = true;
    }
    if changed {
        actions.push(Action::ApplyPolicy);
    }
}

/// The More menu: opening a file, the comparison, the exports, and (narrow) the seed and the
/// switches.
fn more_menu_ui(
    ui: &mut egui::Ui,
    has_scenario: bool,
    view: &mut ViewState,
    wide: bool,
    actions: &mut Vec<Action>,
) {
    // A path to type and Open make sense where there are files: not in a browser.
    #[cfg(not(target_arch = "wasm32"))]
    ui.horizontal(|ui| {
        let label = ui.label("File:");
        let input = ui
            .add(
                egui::TextEdit::singleline(&mut view.path_input)
                    .hint_text("path/to/scenario.yaml (or drop a file)")
                    .desired_width(220.0),
            )
            .labelled_by(label.id);
        let enter = input.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        if ui.button("Open").clicked() || enter {
            let path = std::path::PathBuf::from(view.path_input.trim());
            actions.push(Action::OpenFile(path));
        }
    });
    #[cfg(target_arch = "wasm32")]
    if ui
        .button("Browse…")
        .on_hover_text("upload a scenario file")
        .clicked()
    {
        actions.push(Action::Upload);
    }
    #[cfg(target_arch = "wasm32")]
    if has_scenario
        && ui
            .button("Copy link")
            .on_hover_text(
                "a link that opens this scenario: ?scenario= for a built-in one, #yaml= with \
                 the text for any other",
            )
            .clicked()
    {
        actions.push(Action::CopyLink);
    }
    #[cfg(not(target_arch = "wasm32"))]
    if ui.button("Browse…").clicked() {
        // The desktop's own file dialog (XDG portal on Linux); blocks until it closes.
        let picked = rfd::FileDialog::new()
            .set_title("Open a procsim scenario")
            .add_filter("scenario", &["yaml", "yml"])
            .pick_file();
        match picked {
            Some(path) => {
                view.path_input = path.display().to_string();
                actions.push(Action::OpenFile(path));
            }
            None => {
                view.status = Some(
                    "no file chosen (without a desktop file dialog: type a path or drop a file)"
                        .to_string(),
                );
            }
        }
    }
    if has_scenario {
        ui.separator();
        ui.horizontal(|ui| {
            if ui.checkbox(&mut view.comparing, "Compare with").changed() {
                actions.push(Action::RebuildCompare);
            }
            if view.comparing
                && policy_ui(
                    ui,
                    "compare",
                    &mut view.compare_policy,
                    true,
                    view.has_tasks,
                )
            {
                actions.push(Action::RebuildCompare);
            }
        });
        if !wide && (view.shuffled || view.policy.kind == "lottery") {
            ui.horizontal(|ui| seed_ui(ui, view, true, actions));
        }
        ui.separator();
        if ui.button("Export Gantt (SVG)").clicked() {
            actions.push(Action::ExportSvg);
        }
        if ui.button("Export Gantt (PNG)").clicked() {
            actions.push(Action::ExportPng);
        }
    }
    if !wide {
        ui.separator();
        switches_ui(ui, view);
    }
}

/// The policy and its options, as sim-core's policy table declares them; returns whether
/// anything changed. The real-time policies are offered only for a scenario with `tasks:`.
fn policy_ui(
    ui: &mut egui::Ui,
    id: &str,
    choice: &mut PolicyChoice,
    inline: bool,
    has_tasks: bool,
) -> bool {
    let before = choice.clone();
    let combo = egui::ComboBox::from_id_salt(id)
        .selected_text(choice.kind)
        .width(90.0)
        .show_ui(ui, |ui| {
            for spec in policies::POLICIES {
                if spec.schedules_tasks() && !has_tasks {
                    continue;
                }
                ui.selectable_value(&mut choice.kind, spec.name, spec.name)
                    .on_hover_text(spec.summary);
            }
        });
    let name = if id == "compare" {
        "second policy"
    } else {
        "policy"
    };
    ui.ctx().accesskit_node_builder(combo.response.id, |node| {
        node.set_label(name);
    });
    if inline {
        for option in choice.spec().options {
            if !in_menu(option) {
                option_ui(ui, option, choice);
            }
        }
    }
    options_menu(ui, id, choice, inline);
    *choice != before
}

/// Whether an option always sits in the options menu (words to choose, counts, aging).
fn in_menu(option: &OptionSpec) -> bool {
    matches!(
        option.kind,
        OptionKind::Choice(_) | OptionKind::Count | OptionKind::Aging
    )
}

/// One of the options that sit in the toolbar when it is wide: levels, a flag, ticks.
fn option_ui(ui: &mut egui::Ui, option: &OptionSpec, choice: &mut PolicyChoice) {
    let words = option.name.replace('_', " ");
    match option.kind {
        OptionKind::Levels => {
            let levels = choice.options.levels.as_ref().map_or(3, Vec::len);
            ui.label(format!("{levels} levels"))
                .on_hover_text(option.help);
        }
        // The queues and how they share the CPU are edited in the scenario; shown here.
        OptionKind::Queues => {
            let names: Vec<&str> = choice
                .options
                .queues
                .iter()
                .flatten()
                .map(|queue| queue.name.as_str())
                .collect();
            ui.label(format!("queues {}", names.join(" > ")))
                .on_hover_text(option.help);
        }
        OptionKind::Between => {
            let between = match &choice.options.between {
                Some(sim_core::scenario::BetweenFile::Slices { slices }) => {
                    sim_core::scenario::policies::slices_text(slices)
                }
                _ => "fixed priority".to_string(),
            };
            ui.label(between).on_hover_text(option.help);
        }
        OptionKind::Flag => {
            if let Some(flag) = choice.options.flag_mut(option.name) {
                let mut on = flag.unwrap_or(option.default == OptionDefault::Flag(true));
                ui.checkbox(&mut on, words).on_hover_text(option.help);
                *flag = Some(on);
            }
        }
        OptionKind::Choice(_) | OptionKind::Count | OptionKind::Aging => {}
        OptionKind::Ticks | OptionKind::TicksOrNever => {
            if option.default == OptionDefault::Unset {
                let mut on = !choice.off.contains(&option.name);
                ui.checkbox(&mut on, format!("use {words}"))
                    .on_hover_text(option.help);
                choice.off.retain(|name| *name != option.name);
                if !on {
                    choice.off.push(option.name);
                    return;
                }
            }
            let least = if option.kind == OptionKind::Ticks {
                1
            } else {
                0
            };
            // Not yet set for this policy: its default (a value another policy's option of
            // the same name left in another form does not count).
            let default = match option.default {
                OptionDefault::Number(number) => number,
                _ => least,
            };
            let mut ticks = choice.options.number(option.name).unwrap_or(default);
            let label = ui.label(words.as_str()).on_hover_text(option.help);
            ui.add(egui::DragValue::new(&mut ticks).range(least..=100_000))
                .labelled_by(label.id);
            choice.options.set_number(option.name, Some(ticks));
        }
    }
}

/// The policy's less common options (choices of words, counts) in one menu. A value is written
/// only when the user changes it, so that opening a scenario does not count as a change.
fn options_menu(ui: &mut egui::Ui, id: &str, choice: &mut PolicyChoice, inline: bool) {
    let spec = choice.spec();
    // With the toolbar narrow, every option is in the menu.
    let in_menu = |option: &&OptionSpec| !inline || in_menu(option);
    if !spec.options.iter().any(|option| in_menu(&option)) {
        return;
    }
    ui.push_id(id, |ui| {
        // Short: the toolbar has no room for words at projector size.
        let menu = ui.menu_button("…", |ui| {
            for option in spec.options.iter().filter(in_menu) {
                let words = option.name.replace('_', " ");
                match option.kind {
                    OptionKind::Choice(choices) => {
                        let current = choice
                            .options
                            .word(option.name)
                            .unwrap_or(choices[0])
                            .to_string();
                        let mut chosen = current.clone();
                        ui.label(words).on_hover_text(option.help);
                        ui.horizontal(|ui| {
                            for word in choices.iter() {
                                ui.radio_value(&mut chosen, word.to_string(), *word);
                            }
                        });
                        if chosen != current {
                            choice.options.set_word(option.name, Some(chosen));
                        }
                    }
                    OptionKind::Count => {
                        let current = choice.options.number(option.name).unwrap_or(0);
                        let mut count = current;
                        ui.horizontal(|ui| {
                            let label = ui.label(words.as_str()).on_hover_text(option.help);
                            ui.add(egui::DragValue::new(&mut count).range(0..=1_000_000))
                                .labelled_by(label.id);
                        });
                        if count != current {
                            choice.options.set_number(option.name, Some(count));
                        }
                    }
                    OptionKind::Aging => aging_menu(ui, &words, option.help, choice),
                    _ => {
                        ui.horizontal(|ui| option_ui(ui, option, choice));
                    }
                }
            }
        });
        let label = format!("{} options", spec.name);
        ui.ctx().accesskit_node_builder(menu.response.id, |node| {
            node.set_label(label.as_str());
        });
        menu.response
            .on_hover_text(format!("more {} options", spec.name));
    });
}

/// Priority's aging: levels per pick, or levels every so many ticks of waiting.
fn aging_menu(ui: &mut egui::Ui, words: &str, help: &str, choice: &mut PolicyChoice) {
    use sim_core::scenario::AgingFile;
    let value = choice.options.aging_mut();
    let current = value.unwrap_or(AgingFile::PerPick(0));
    let mut chosen = current;
    ui.label(words).on_hover_text(help);
    ui.horizontal(|ui| {
        let per_pick = matches!(chosen, AgingFile::PerPick(_));
        if ui.radio(per_pick, "per pick").clicked() && !per_pick {
            chosen = AgingFile::PerPick(1);
        }
        if ui.radio(!per_pick, "in time").clicked() && per_pick {
            chosen = AgingFile::Timed { every: 10, by: 1 };
        }
    });
    ui.horizontal(|ui| match &mut chosen {
        AgingFile::PerPick(levels) => {
            let label = ui.label("levels");
            ui.add(egui::DragValue::new(levels).range(0..=1_000_000))
                .labelled_by(label.id);
        }
        AgingFile::Timed { every, by } => {
            let label = ui.label("every");
            ui.add(egui::DragValue::new(every).range(1..=100_000))
                .labelled_by(label.id);
            let label = ui.label("ticks, by");
            ui.add(egui::DragValue::new(by).range(1..=1_000_000))
                .labelled_by(label.id);
        }
    });
    if chosen != current {
        *value = Some(chosen);
    }
}
