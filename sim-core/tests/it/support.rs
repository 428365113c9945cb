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

/// Runs a scenario to the end and returns the simulator. Five million events at most: a run
/// that never ends fails here, instead of filling the machine's memory.
pub fn run(scenario: Scenario) -> Simulator {
    let mut simulator = Simulator::new(scenario);
    simulator
        .run_to_end(5_000_000)
        .expect("the run stays within the event limit");
    simulator
}

pub fn report_of(scenario: Scenario) -> RunReport {
    RunReport::of(&run(scenario))
}

/// Runs the scenario `yaml` to the end: the simulator, with its log, and the report.
pub fn run_yaml(yaml: &str) -> (Simulator, RunReport) {
    let simulator = run(scenario(yaml));
    let report = RunReport::of(&simulator);
    (simulator, report)
}

/// A report's Gantt chart as known answers write it: `a 0-2, b 2-4`.
pub fn gantt_text(report: &RunReport) -> String {
    sim_core::answer::format_gantt(&sim_core::answer::run_gantt(&report.gantt, 0))
}

/// The events at time `t` of `yaml`'s run, as `verb name` (the thread named by the roster,
/// `P/T` for a thread; `-` for none): for the same-instant tests.
pub fn events_at(yaml: &str, t: u64) -> Vec<String> {
    let simulator = run(scenario(yaml));
    simulator
        .log()
        .iter()
        .filter(|e| e.time.0 == t)
        .map(|e| {
            let who = e.event.pid().map_or("-".to_string(), |pid| {
                simulator.roster().name(pid).to_string()
            });
            format!("{} {who}", e.event.verb())
        })
        .collect()
}

/// The position of `event` among `events`, failing if it is missing.
pub fn at(events: &[String], event: &str) -> usize {
    events
        .iter()
        .position(|e| e == event)
        .unwrap_or_else(|| panic!("no `{event}` in {events:?}"))
}

/// A scenario from YAML text, panicking with the error.
pub fn scenario(text: &str) -> Scenario {
    Scenario::from_yaml(text).unwrap_or_else(|e| panic!("{}", e.detailed("<test>")))
}

/// The error of a scenario's YAML text that does not load, as `FILE:LINE:COL: ...` with
/// `origin` for the file: for the tests that errors point where they stand.
pub fn load_error(text: &str, origin: &str) -> String {
    match Scenario::from_yaml(text) {
        Ok(_) => panic!("the scenario loads:\n{text}"),
        Err(error) => error.detailed(origin),
    }
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

/// Any policy of the table with any options: each option drawn by its kind from the table
/// (`scenario::policies::POLICIES`), the combinations the policy refuses left out. A policy
/// added to the table is in every property test that draws its policy here (but the real-time
/// ones, which need a task set).
pub fn any_policy() -> impl proptest::strategy::Strategy<Value = sim_core::scenario::PolicyConfig> {
    use proptest::prelude::*;
    use sim_core::scenario::policies::{self, OptionDefault, OptionKind, OptionSpec, POLICIES};
    use sim_core::scenario::{BetweenFile, LevelFile, MlqQueueFile, PolicyFile, PolicyOptions};

    #[derive(Clone, Debug)]
    enum Setting {
        Unwritten,
        Number(u64),
        Flag(bool),
        Word(&'static str),
        Levels(Vec<(u64, u64)>),
        Aging(sim_core::scenario::AgingFile),
        /// MLQ queues, each under one of a few policies (by number, see `queue_policy`).
        Queues(Vec<(u8, u64)>),
        Between(Option<Vec<u64>>),
    }

    /// A queue's policy for MLQ: round robin, FCFS, SRTF, preemptive priority, CFS, EEVDF.
    fn queue_policy(kind: u8, quantum: u64) -> PolicyOptions {
        let mut options = PolicyOptions {
            kind: ["rr", "fcfs", "srtf", "priority", "cfs", "eevdf"][kind as usize % 6].to_string(),
            ..PolicyOptions::default()
        };
        match options.kind.as_str() {
            "rr" => options.quantum = Some(quantum),
            "priority" => options.preemptive = Some(true),
            _ => {}
        }
        options
    }

    fn setting(option: &'static OptionSpec) -> BoxedStrategy<Setting> {
        let written = match option.kind {
            OptionKind::Ticks => (1u64..6).prop_map(Setting::Number).boxed(),
            OptionKind::TicksOrNever => prop_oneof![Just(0u64), 5u64..40]
                .prop_map(Setting::Number)
                .boxed(),
            OptionKind::Count => (0u64..4).prop_map(Setting::Number).boxed(),
            OptionKind::Aging => {
                use sim_core::scenario::AgingFile;
                prop_oneof![
                    (0u64..4).prop_map(AgingFile::PerPick),
                    (1u64..6, 1u64..3).prop_map(|(every, by)| AgingFile::Timed { every, by }),
                ]
                .prop_map(Setting::Aging)
                .boxed()
            }
            OptionKind::Flag => any::<bool>().prop_map(Setting::Flag).boxed(),
            OptionKind::Choice(words) => prop::sample::select(words.to_vec())
                .prop_map(Setting::Word)
                .boxed(),
            OptionKind::Levels => proptest::collection::vec((1u64..6, 1u64..3), 1..4)
                .prop_map(Setting::Levels)
                .boxed(),
            OptionKind::Queues => proptest::collection::vec((0u8..6, 1u64..4), 1..4)
                .prop_map(Setting::Queues)
                .boxed(),
            OptionKind::Between => prop_oneof![
                Just(Setting::Between(None)),
                proptest::collection::vec(1u64..6, 1..4).prop_map(|s| Setting::Between(Some(s))),
            ]
            .boxed(),
        };
        if option.default == OptionDefault::Required {
            written
        } else {
            prop_oneof![Just(Setting::Unwritten), written].boxed()
        }
    }

    // The real-time policies schedule the jobs of `tasks:`, which these scenarios have not:
    // their own property test draws task sets (realtime.rs).
    let kinds: Vec<_> = POLICIES
        .iter()
        .filter(|spec| !spec.schedules_tasks())
        .collect();
    prop::sample::select(kinds)
        .prop_flat_map(|spec| {
            let settings: Vec<BoxedStrategy<Setting>> = spec.options.iter().map(setting).collect();
            (Just(spec), settings)
        })
        .prop_filter_map("options the policy refuses together", |(spec, settings)| {
            let mut options = PolicyOptions {
                kind: spec.name.to_string(),
                ..PolicyOptions::default()
            };
            for (option, setting) in spec.options.iter().zip(settings) {
                match setting {
                    Setting::Unwritten => {}
                    Setting::Number(value) => {
                        options.set_number(option.name, Some(value)).then_some(())?
                    }
                    Setting::Aging(value) => *options.aging_mut() = Some(value),
                    Setting::Flag(value) => *options.flag_mut(option.name)? = Some(value),
                    Setting::Word(value) => options
                        .set_word(option.name, Some(value.to_string()))
                        .then_some(())?,
                    Setting::Queues(queues) => {
                        options.queues = Some(
                            queues
                                .into_iter()
                                .enumerate()
                                .map(|(index, (kind, quantum))| MlqQueueFile {
                                    name: format!("q{index}"),
                                    policy: PolicyFile::Options(Box::new(queue_policy(
                                        kind, quantum,
                                    ))),
                                })
                                .collect(),
                        )
                    }
                    Setting::Between(None) => {
                        options.between = Some(BetweenFile::Word("priority".into()))
                    }
                    Setting::Between(Some(slices)) => {
                        // One slice per queue (slices of another length are refused).
                        let count = options.queues.as_ref().map_or(1, Vec::len);
                        let slices = (0..count).map(|i| slices[i % slices.len()]).collect();
                        options.between = Some(BetweenFile::Slices { slices })
                    }
                    Setting::Levels(levels) => {
                        options.levels = Some(
                            levels
                                .into_iter()
                                .map(|(quantum, allotment)| LevelFile {
                                    quantum,
                                    allotment: Some(allotment),
                                })
                                .collect(),
                        )
                    }
                }
            }
            policies::validate(&options).ok()
        })
}

/// A policy as a scenario writes it (JSON is YAML's flow style).
pub fn policy_yaml(policy: &sim_core::scenario::PolicyConfig) -> String {
    serde_json::to_string(&policy.options()).expect("options serialize")
}
