//! Helpers shared by the test modules.

use sim_core::exercise::Exercise;
use sim_core::{RunReport, Scenario, Simulator};
use std::path::{Path, PathBuf};

/// The repository's scenarios/ folder.
pub fn scenarios_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../scenarios")
}

/// Every scenario file under scenarios/, sorted.
pub fn scenario_files() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
            .map(|entry| entry.unwrap().path())
            .collect();
        entries.sort();
        for path in entries {
            if path.is_dir() {
                walk(&path, out);
            } else if matches!(
                path.extension().and_then(|e| e.to_str()),
                Some("yaml" | "yml")
            ) {
                out.push(path);
            }
        }
    }
    let mut files = Vec::new();
    walk(&scenarios_dir(), &mut files);
    files
}

/// A scenario or matrix exercise file, panicking with the error.
pub fn load_exercise(path: &Path) -> Exercise {
    let text = std::fs::read_to_string(path).unwrap();
    Exercise::from_yaml(&text)
        .unwrap_or_else(|e| panic!("{}", e.detailed(&path.display().to_string())))
}

/// Runs a scenario to the end and returns the simulator.
pub fn run(scenario: Scenario) -> Simulator {
    let mut simulator = Simulator::new(scenario);
    simulator
        .run_to_end(sim_core::DEFAULT_MAX_EVENTS)
        .expect("the run stays within the event limit");
    simulator
}

pub fn report_of(scenario: Scenario) -> RunReport {
    RunReport::of(&run(scenario))
}

/// A scenario from YAML text, panicking with the error.
pub fn scenario(text: &str) -> Scenario {
    Scenario::from_yaml(text).unwrap_or_else(|e| panic!("{}", e.detailed("<test>")))
}

/// An exercise (a problem with its rubric and known answers) from YAML text.
pub fn exercise(text: &str) -> Exercise {
    Exercise::from_yaml(text).unwrap_or_else(|e| panic!("{}", e.detailed("<test>")))
}

/// The differences between an exercise's `expected:` block and its run, by question.
pub fn differing_questions(exercise: &Exercise) -> Vec<String> {
    sim_core::grading::check_expected(exercise, sim_core::DEFAULT_MAX_EVENTS)
        .unwrap()
        .map(|outcome| {
            outcome
                .differences
                .into_iter()
                .map(|d| d.question)
                .collect()
        })
        .unwrap_or_default()
}
