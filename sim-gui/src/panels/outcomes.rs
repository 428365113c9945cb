//! The Outcomes panel: every outcome `procsim explore` finds for the scenario (sim-core's
//! `explore`, run by the app when asked), each with how many schedules reach it; a click
//! replays its witness in the timeline. The documented order is the first row's way back.

use crate::panels::Action;
use sim_core::explore::{Exploration, OutcomeCount};

/// The list, with the schedule replayed now (`None`: the documented order) marked.
pub fn outcomes_ui(
    ui: &mut egui::Ui,
    exploration: &Exploration,
    replaying: Option<&[usize]>,
) -> Vec<Action> {
    let mut actions = Vec::new();
    ui.horizontal(|ui| {
        ui.heading("Outcomes");
        if ui
            .small_button("close")
            .on_hover_text("hide the outcomes (O)")
            .clicked()
        {
            actions.push(Action::CloseOutcomes);
        }
    });
    let schedules = if exploration.complete {
        "every schedule".to_string()
    } else if exploration.sample.is_some() {
        "a random sample of schedules".to_string()
    } else {
        "the first schedules only: others may give more".to_string()
    };
    ui.label(format!(
        "{} outcome{} over {} run{} ({schedules}; at most {} forced switch{} a run). \
         Click one to replay the schedule that gives it.",
        exploration.outcomes.len(),
        plural(exploration.outcomes.len()),
        exploration.runs,
        plural(exploration.runs as usize),
        exploration.preemptions,
        if exploration.preemptions == 1 {
            ""
        } else {
            "es"
        },
    ));
    let documented = replaying.is_none_or(|choices| choices.iter().all(|&c| c == 0));
    if !documented
        && ui
            .button("Back to the documented order")
            .on_hover_text("the plain run: alternative 0 at every choice point")
            .clicked()
    {
        actions.push(Action::ReplaySchedule(None));
    }
    egui::Grid::new("outcomes")
        .num_columns(3)
        .striped(true)
        .show(ui, |ui| {
            for (number, found) in exploration.outcomes.iter().enumerate() {
                let shown = match replaying {
                    Some(choices) => trimmed(choices) == found.witness.as_slice(),
                    None => found.witness.is_empty(),
                };
                let label = format!("{}. {}", number + 1, summary(found));
                let row = ui
                    .selectable_label(shown, label)
                    .on_hover_text(details(found));
                ui.label(format!(
                    "{} schedule{}",
                    found.schedules,
                    plural(found.schedules as usize)
                ));
                ui.monospace(if found.witness.is_empty() {
                    "documented order".to_string()
                } else {
                    format!(
                        "--schedule {}",
                        sim_core::explore::schedule_text(&found.witness)
                    )
                });
                ui.end_row();
                if row.clicked() {
                    actions.push(Action::ReplaySchedule(
                        (!found.witness.is_empty()).then(|| found.witness.clone()),
                    ));
                }
            }
        });
    actions
}

/// One line: the output, the variables, who deadlocked or was stuck.
fn summary(found: &OutcomeCount) -> String {
    let outcome = &found.outcome;
    let mut parts = Vec::new();
    if !outcome.output.is_empty() {
        const SHOWN: usize = 4;
        let mut lines: Vec<&str> = outcome
            .output
            .iter()
            .take(SHOWN)
            .map(String::as_str)
            .collect();
        if outcome.output.len() > SHOWN {
            lines.push("…");
        }
        parts.push(lines.join(" · "));
    }
    if !outcome.variables.is_empty() {
        parts.push(
            outcome
                .variables
                .iter()
                .map(|(name, value)| format!("{name} = {value}"))
                .collect::<Vec<_>>()
                .join(", "),
        );
    }
    if !outcome.deadlocked.is_empty() {
        parts.push(format!("deadlock: {}", outcome.deadlocked.join(", ")));
    } else if !outcome.stuck.is_empty() {
        parts.push(format!("stuck: {}", outcome.stuck.join(", ")));
    }
    if parts.is_empty() {
        parts.push("no output".to_string());
    }
    parts.join("  |  ")
}

/// The whole outcome, for the row's tooltip.
fn details(found: &OutcomeCount) -> String {
    let outcome = &found.outcome;
    let mut text = String::new();
    for line in &outcome.output {
        text.push_str(line);
        text.push('\n');
    }
    let codes: Vec<String> = outcome
        .exit_codes
        .iter()
        .map(|(name, code)| format!("{name} {code}"))
        .collect();
    text.push_str(&format!(
        "exit codes: {}",
        if codes.is_empty() {
            "none".to_string()
        } else {
            codes.join(", ")
        }
    ));
    text
}

/// A schedule without its trailing documented choices, as witnesses are written.
fn trimmed(choices: &[usize]) -> &[usize] {
    let end = choices
        .iter()
        .rposition(|&c| c != 0)
        .map_or(0, |last| last + 1);
    &choices[..end]
}

fn plural(count: usize) -> &'static str {
    if count == 1 { "" } else { "s" }
}
