//! The rubric: which questions a scenario asks and what each is worth, from its `grading:`
//! block (docs/grading.md).
//!
//! ```yaml
//! grading:
//!   waiting: 1          # points per process
//!   turnaround: 1
//!   averages: 2         # points per average in the key
//!   gantt: 3            # points per CPU's chart
//!   tolerance: 0.05     # for averages; default 0.01
//!   follow_through: true  # credit a value that follows from the student's own earlier value
//!   at: [5, 9]          # times of the states_at / zombies_at / tree_at questions
//!   accept: any_outcome # output and variables: right if some schedule gives them
//! ```
//! `points: {waiting: 1, ...}` may hold the question kinds instead of the top level.

use crate::answer::AVERAGE_TOLERANCE;
use crate::scenario::ScenarioError;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What a question is about. Per-process kinds are asked once per process.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum QuestionKind {
    FirstRun,
    Completion,
    Turnaround,
    Waiting,
    Response,
    Pid,
    Parent,
    ExitCode,
    ExitedAt,
    ReapedAt,
    ReapedBy,
    /// A process's final vruntime under `cfs` or `eevdf`, in ticks to three decimals (within
    /// the rubric's `tolerance`).
    Vruntime,
    /// One question per average (turnaround, waiting, response).
    Averages,
    /// One question per CPU.
    Gantt,
    Order,
    /// One question per process and time.
    StatesAt,
    /// One question per time.
    ZombiesAt,
    /// One question per process and time.
    TreeAt,
    /// Matrix exercises: is the state safe?
    Safe,
    /// Matrix exercises: a safe sequence (or the order of the others, detection); any valid
    /// one is right.
    Sequence,
    /// Matrix exercises: is the request granted?
    Granted,
    /// Matrix exercises: how each item of a request stream was decided; one question per item.
    Requests,
    /// The deadlocked processes (matrix detection, or the deadlocks of a run).
    Deadlocked,
    /// The jobs of periodic tasks that miss their deadline in the run (`T2#1`), as a set.
    Missed,
    /// Whether the task set is schedulable under the scenario's real-time policy (the
    /// schedulability analysis's verdict).
    Schedulable,
    /// The task set's utilisation, Σ wcet / period (within the rubric's `tolerance`).
    Utilization,
    /// One question per task: its worst-case response time by response-time analysis (rm,
    /// dm), or `miss` when it passes its deadline.
    ResponseTime,
    /// One question per line the run prints, in order.
    Output,
    /// One question per variable (its final value).
    Variables,
}

impl QuestionKind {
    pub const ALL: [QuestionKind; 29] = [
        QuestionKind::FirstRun,
        QuestionKind::Completion,
        QuestionKind::Turnaround,
        QuestionKind::Waiting,
        QuestionKind::Response,
        QuestionKind::Pid,
        QuestionKind::Parent,
        QuestionKind::ExitCode,
        QuestionKind::ExitedAt,
        QuestionKind::ReapedAt,
        QuestionKind::ReapedBy,
        QuestionKind::Vruntime,
        QuestionKind::Averages,
        QuestionKind::Gantt,
        QuestionKind::Order,
        QuestionKind::StatesAt,
        QuestionKind::ZombiesAt,
        QuestionKind::TreeAt,
        QuestionKind::Safe,
        QuestionKind::Sequence,
        QuestionKind::Granted,
        QuestionKind::Requests,
        QuestionKind::Deadlocked,
        QuestionKind::Missed,
        QuestionKind::Schedulable,
        QuestionKind::Utilization,
        QuestionKind::ResponseTime,
        QuestionKind::Output,
        QuestionKind::Variables,
    ];

    /// As written in rubrics and answers.
    pub fn name(self) -> &'static str {
        match self {
            QuestionKind::FirstRun => "first_run",
            QuestionKind::Completion => "completion",
            QuestionKind::Turnaround => "turnaround",
            QuestionKind::Waiting => "waiting",
            QuestionKind::Response => "response",
            QuestionKind::Pid => "pid",
            QuestionKind::Parent => "parent",
            QuestionKind::ExitCode => "exit_code",
            QuestionKind::ExitedAt => "exited_at",
            QuestionKind::ReapedAt => "reaped_at",
            QuestionKind::ReapedBy => "reaped_by",
            QuestionKind::Vruntime => "vruntime",
            QuestionKind::Averages => "averages",
            QuestionKind::Gantt => "gantt",
            QuestionKind::Order => "order",
            QuestionKind::StatesAt => "states_at",
            QuestionKind::ZombiesAt => "zombies_at",
            QuestionKind::TreeAt => "tree_at",
            QuestionKind::Safe => "safe",
            QuestionKind::Sequence => "sequence",
            QuestionKind::Granted => "granted",
            QuestionKind::Requests => "requests",
            QuestionKind::Deadlocked => "deadlocked",
            QuestionKind::Missed => "missed",
            QuestionKind::Schedulable => "schedulable",
            QuestionKind::Utilization => "utilization",
            QuestionKind::ResponseTime => "response_time",
            QuestionKind::Output => "output",
            QuestionKind::Variables => "variables",
        }
    }

    pub fn named(name: &str) -> Option<QuestionKind> {
        QuestionKind::ALL
            .into_iter()
            .find(|kind| kind.name() == name)
    }
}

/// The `grading:` block as written: question kinds with points, and the options.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(transparent)]
pub struct RubricFile(pub BTreeMap<String, RubricValue>);

#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
#[serde(untagged)]
pub enum RubricValue {
    Flag(bool),
    Number(f64),
    Times(Vec<u64>),
    Points(BTreeMap<String, f64>),
    Word(String),
    Words(BTreeMap<String, String>),
}

/// When Gradescope shows a result or a test (`visibility:`, its autograder's words).
pub const VISIBILITIES: [&str; 4] = ["visible", "hidden", "after_due_date", "after_published"];

/// Gradescope's visibility of the results and of each kind of question.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Visibility {
    /// The whole result's and every test's not named below (default `visible`).
    pub default: &'static str,
    pub questions: BTreeMap<QuestionKind, &'static str>,
}

impl Default for Visibility {
    fn default() -> Visibility {
        Visibility {
            default: "visible",
            questions: BTreeMap::new(),
        }
    }
}

impl Visibility {
    /// The visibility of a graded item, by its question's name (`completion.P1`, `requests[2]`).
    pub fn of_question(&self, question: &str) -> &'static str {
        // `averages.turnaround`, `requests[2]`: the kind first; `P2.waiting`: after the name.
        let mut parts = question.split(['.', '[']);
        let first = parts.next().and_then(QuestionKind::named);
        let kind = first.or_else(|| parts.find_map(QuestionKind::named));
        kind.and_then(|kind| self.questions.get(&kind).copied())
            .unwrap_or(self.default)
    }
}

/// Which runs the `output` and `variables` questions accept (`accept:`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Accept {
    /// The documented order's run only.
    #[default]
    Documented,
    /// Any outcome `procsim explore` finds: the answer is graded against the outcome closest
    /// to it, and the feedback names the schedule that gives it.
    AnyOutcome,
}

impl Accept {
    pub const NAMES: [(&'static str, Accept); 2] = [
        ("documented", Accept::Documented),
        ("any_outcome", Accept::AnyOutcome),
    ];
}

/// A validated rubric.
#[derive(Clone, Debug, PartialEq)]
pub struct Rubric {
    /// Points per question of each kind asked; `None`: the default questions, 1 point each
    /// (every per-process metric and average of the key).
    pub points: Option<BTreeMap<QuestionKind, f64>>,
    /// How far an average may be from the key's and still be right.
    pub tolerance: f64,
    /// A wrong value that follows correctly from the student's own earlier values gets credit.
    pub follow_through: bool,
    /// Times of the questions about a given time; `None`: those of the scenario's `expected:`.
    pub at: Option<Vec<u64>>,
    /// Which runs the output and variables questions accept.
    pub accept: Accept,
    /// When Gradescope shows the results and each kind of question (`visibility:`).
    pub visibility: Visibility,
    /// Whether Gradescope's leaderboard lists each submission's score (`leaderboard: true`).
    pub leaderboard: bool,
}

impl Default for Rubric {
    fn default() -> Rubric {
        Rubric {
            points: None,
            tolerance: AVERAGE_TOLERANCE,
            follow_through: true,
            at: None,
            accept: Accept::Documented,
            visibility: Visibility::default(),
            leaderboard: false,
        }
    }
}

/// Most points one question may be worth: scores stay finite however many questions there are.
pub const MAX_POINTS: f64 = 1_000_000.0;

/// The questions asked when a scenario has no rubric.
pub const DEFAULT_KINDS: [QuestionKind; 5] = [
    QuestionKind::Completion,
    QuestionKind::Turnaround,
    QuestionKind::Waiting,
    QuestionKind::Response,
    QuestionKind::Averages,
];

impl Rubric {
    /// Points of one question of `kind`, if asked.
    pub fn points_of(&self, kind: QuestionKind) -> Option<f64> {
        match &self.points {
            Some(points) => points.get(&kind).copied(),
            None => DEFAULT_KINDS.contains(&kind).then_some(1.0),
        }
    }

    /// Checks a `grading:` block, naming the field at fault.
    pub fn from_file(file: &RubricFile) -> Result<Rubric, ScenarioError> {
        let mut rubric = Rubric::default();
        let mut points = BTreeMap::new();
        let kinds: Vec<&str> = QuestionKind::ALL.iter().map(|k| k.name()).collect();
        let mut add = |name: &str, value: f64, path: String| -> Result<(), ScenarioError> {
            let kind = QuestionKind::named(name).ok_or_else(|| {
                ScenarioError::invalid(
                    &path,
                    format!(
                        "unknown question `{name}`, expected one of {} (or tolerance, follow_through, at, points, accept, visibility, leaderboard)",
                        kinds.join(", ")
                    ),
                )
            })?;
            if !(value.is_finite() && (0.0..=MAX_POINTS).contains(&value)) {
                return Err(ScenarioError::invalid(
                    path,
                    format!("expected points from 0 to {MAX_POINTS}, got {value}"),
                ));
            }
            points.insert(kind, value);
            Ok(())
        };
        for (key, value) in &file.0 {
            let path = format!("grading.{key}");
            match (key.as_str(), value) {
                ("tolerance", RubricValue::Number(tolerance))
                    if tolerance.is_finite() && *tolerance >= 0.0 =>
                {
                    rubric.tolerance = *tolerance
                }
                ("tolerance", _) => {
                    return Err(ScenarioError::invalid(
                        path,
                        "expected a tolerance of at least 0, such as 0.01",
                    ));
                }
                ("leaderboard", RubricValue::Flag(flag)) => rubric.leaderboard = *flag,
                ("leaderboard", _) => {
                    return Err(ScenarioError::invalid(path, "expected true or false"));
                }
                ("follow_through", RubricValue::Flag(flag)) => rubric.follow_through = *flag,
                ("follow_through", _) => {
                    return Err(ScenarioError::invalid(path, "expected true or false"));
                }
                ("at", RubricValue::Times(times)) => rubric.at = Some(times.clone()),
                ("at", _) => {
                    return Err(ScenarioError::invalid(
                        path,
                        "expected a list of times, such as [5, 9]",
                    ));
                }
                ("accept", value) => {
                    let word = match value {
                        RubricValue::Word(word) => Some(word.as_str()),
                        _ => None,
                    };
                    rubric.accept = Accept::NAMES
                        .iter()
                        .find(|(name, _)| Some(*name) == word)
                        .map(|&(_, accept)| accept)
                        .ok_or_else(|| {
                            ScenarioError::invalid(
                                &path,
                                "expected any_outcome (an output or variables answer some schedule gives is right) or documented (the default)",
                            )
                        })?;
                }
                ("visibility", value) => {
                    let word = |word: &str, path: &str| {
                        VISIBILITIES
                            .into_iter()
                            .find(|known| *known == word)
                            .ok_or_else(|| {
                                ScenarioError::invalid(
                                    path,
                                    format!(
                                        "unknown visibility `{word}`, expected {}",
                                        VISIBILITIES.join(", ")
                                    ),
                                )
                            })
                    };
                    match value {
                        RubricValue::Word(default) => {
                            rubric.visibility.default = word(default, &path)?;
                        }
                        RubricValue::Words(map) => {
                            for (name, value) in map {
                                let at = format!("{path}.{name}");
                                let value = word(value, &at)?;
                                if name == "default" {
                                    rubric.visibility.default = value;
                                    continue;
                                }
                                let kind = QuestionKind::named(name).ok_or_else(|| {
                                    ScenarioError::invalid(
                                        &at,
                                        format!("unknown question `{name}` (or default)"),
                                    )
                                })?;
                                rubric.visibility.questions.insert(kind, value);
                            }
                        }
                        _ => {
                            return Err(ScenarioError::invalid(
                                path,
                                "expected a visibility (visible, hidden, after_due_date, after_published) or a map of them by question, such as {default: visible, sequence: after_due_date}",
                            ));
                        }
                    }
                }
                ("points", RubricValue::Points(map)) => {
                    for (name, value) in map {
                        add(name, *value, format!("grading.points.{name}"))?;
                    }
                }
                (name, RubricValue::Number(value)) => add(name, *value, path)?,
                (name, _) => {
                    return Err(ScenarioError::invalid(
                        path,
                        format!("expected the points of `{name}`, a number"),
                    ));
                }
            }
        }
        if !points.is_empty() {
            rubric.points = Some(points);
        }
        Ok(rubric)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rubric(yaml: &str) -> Result<Rubric, String> {
        let file: RubricFile = crate::yaml::parse(yaml).unwrap();
        Rubric::from_file(&file).map_err(|e| e.one_line("s.yaml"))
    }

    #[test]
    fn reads_flat_and_nested_points_and_the_options() {
        let flat =
            rubric("{waiting: 1, turnaround: 1, averages: 2, gantt: 3, tolerance: 0.05}").unwrap();
        assert_eq!(flat.points_of(QuestionKind::Gantt), Some(3.0));
        assert_eq!(flat.points_of(QuestionKind::Completion), None);
        assert_eq!(flat.tolerance, 0.05);
        let nested = rubric("{points: {gantt: 3}, follow_through: false, at: [5]}").unwrap();
        assert_eq!(nested.points_of(QuestionKind::Gantt), Some(3.0));
        assert!(!nested.follow_through);
        assert_eq!(nested.at, Some(vec![5]));
        assert_eq!(
            Rubric::default().points_of(QuestionKind::Waiting),
            Some(1.0)
        );
        assert_eq!(Rubric::default().points_of(QuestionKind::Gantt), None);
    }

    #[test]
    fn visibility_is_one_word_or_one_per_question() {
        let all = rubric("{visibility: hidden}").unwrap();
        assert_eq!(all.visibility.of_question("P1.waiting"), "hidden");
        let some =
            rubric("{visibility: {default: after_due_date, averages: visible, requests: hidden}}")
                .unwrap();
        assert_eq!(some.visibility.default, "after_due_date");
        assert_eq!(
            some.visibility.of_question("averages.turnaround"),
            "visible"
        );
        assert_eq!(some.visibility.of_question("requests[2]"), "hidden");
        assert_eq!(some.visibility.of_question("P1.waiting"), "after_due_date");
        assert!(
            rubric("{visibility: secret}")
                .unwrap_err()
                .contains("grading.visibility: unknown visibility `secret`, expected visible, hidden, after_due_date, after_published")
        );
        assert!(
            rubric("{visibility: {gant: hidden}}")
                .unwrap_err()
                .contains("grading.visibility.gant: unknown question `gant`")
        );
    }

    #[test]
    fn names_the_field_at_fault() {
        assert!(
            rubric("{wating: 1}")
                .unwrap_err()
                .starts_with("s.yaml: grading.wating: unknown question `wating`")
        );
        assert!(rubric("{gantt: -1}").unwrap_err().contains("grading.gantt"));
        assert!(
            rubric("{gantt: 1e308}")
                .unwrap_err()
                .contains("expected points from 0 to 1000000, got")
        );
        assert!(
            rubric("{tolerance: true}")
                .unwrap_err()
                .contains("grading.tolerance")
        );
        assert!(
            rubric("{accept: every}")
                .unwrap_err()
                .starts_with("s.yaml: grading.accept: expected any_outcome")
        );
    }

    #[test]
    fn accept_any_outcome_is_read_and_documented_is_the_default() {
        assert_eq!(
            rubric("{output: 1, accept: any_outcome}").unwrap().accept,
            Accept::AnyOutcome
        );
        assert_eq!(rubric("{output: 1}").unwrap().accept, Accept::Documented);
    }
}
