//! An exercise: a file of `scenarios/` or of a course. It is a problem (a scenario to simulate,
//! or a matrix exercise to solve) plus what grading needs: the rubric (`grading:`) and the
//! known answers (`expected:`). The scenario itself knows nothing of either.

use crate::answer::Answer;
use crate::matrix::Matrix;
use crate::rubric::{Rubric, RubricFile};
use crate::scenario::{Scenario, ScenarioError};
use crate::yaml;
use serde::Deserialize;

/// A problem with its rubric and known answers.
#[derive(Clone, Debug, PartialEq)]
pub struct Exercise {
    pub problem: Problem,
    /// What `procsim grade` asks and what each question is worth.
    pub rubric: Rubric,
    /// Known answers, in the answer format, if the file gives them.
    pub expected: Option<Answer>,
}

/// What an exercise asks about.
#[derive(Clone, Debug, PartialEq)]
pub enum Problem {
    Scenario(Box<Scenario>),
    Matrix(Box<Matrix>),
}

/// The two keys of an exercise file that are not the problem's. Every other key is the
/// problem's and is checked by the scenario or matrix parser.
#[derive(Debug, Default, Deserialize)]
struct ExerciseKeys {
    #[serde(default)]
    grading: Option<RubricFile>,
    #[serde(default)]
    expected: Option<Answer>,
}

impl Exercise {
    /// Whether the exercise says its run ends with processes that never exit: it states a
    /// deadlock, or that each process left (`report.stuck`) is blocked at a time in
    /// `states_at` after the run's end, or they wait for a lock a terminated process holds
    /// (Python's `terminate()`). The scenario suites let such a run end unfinished.
    pub fn expects_unfinished(&self, report: &crate::report::RunReport) -> bool {
        let Some(expected) = &self.expected else {
            return !report.held_by_dead.is_empty();
        };
        let declares_deadlock = expected.deadlocked.as_ref().is_some_and(|d| !d.is_empty());
        let declares_stuck = expected.states_at.iter().any(|(&time, states)| {
            time >= report.makespan
                && report.stuck.iter().all(|name| {
                    states
                        .get(name)
                        .is_some_and(|state| crate::answer::state_word(state) == "blocked")
                })
        });
        declares_deadlock || declares_stuck || !report.held_by_dead.is_empty()
    }

    /// Reads a scenario (YAML, or JSON: text that opens with `{`) or, when the text has the matrix shape (`processes` as a map of
    /// `allocation` rows), a matrix exercise, then its rubric and known answers. Errors are
    /// those of the shape the text is closer to: the matrix's when it parses as a matrix file,
    /// the scenario's otherwise.
    pub fn from_yaml(text: &str) -> Result<Exercise, ScenarioError> {
        // A scenario is read once, its rubric and known answers in the same pass.
        let read = Scenario::parse_text::<RubricFile, Answer>(text).and_then(|(mut file, json)| {
            let keys = ExerciseKeys {
                grading: file.grading.take(),
                expected: file.expected.take(),
            };
            Scenario::validate_text(file, text, json).map(|scenario| (scenario, keys))
        });
        let (problem, keys) = match read {
            Ok((scenario, keys)) => (Problem::Scenario(Box::new(scenario)), keys),
            Err(scenario_error) => match Matrix::from_yaml(text) {
                Ok(matrix) => {
                    let keys: ExerciseKeys = if yaml::looks_like_json(text) {
                        yaml::parse_json(text)?
                    } else {
                        yaml::parse_document(text)?
                    };
                    (Problem::Matrix(Box::new(matrix)), keys)
                }
                Err(matrix_error @ ScenarioError::Invalid { .. }) => return Err(matrix_error),
                // Without a `policy` or a key only scenarios have, the file is meant as a
                // matrix exercise; with one, as a scenario that lacks its `policy`.
                Err(matrix_error)
                    if !SCENARIO_ONLY_KEYS
                        .iter()
                        .any(|key| has_top_level_key(text, key)) =>
                {
                    return Err(matrix_error);
                }
                Err(_) => return Err(scenario_error),
            },
        };
        let rubric = match &keys.grading {
            Some(rubric) => Rubric::from_file(rubric).map_err(|error| error.located(text))?,
            None => Rubric::default(),
        };
        if let Some(expected) = &keys.expected {
            problem
                .check_names(expected, "expected")
                .map_err(|error| error.located(text))?;
        }
        Ok(Exercise {
            problem,
            rubric,
            expected: keys.expected,
        })
    }

    /// An exercise of a scenario with the default rubric and no known answers.
    pub fn of_scenario(scenario: Scenario) -> Exercise {
        Exercise {
            problem: Problem::Scenario(Box::new(scenario)),
            rubric: Rubric::default(),
            expected: None,
        }
    }

    /// The scenario, if the problem is one.
    pub fn scenario(&self) -> Option<&Scenario> {
        match &self.problem {
            Problem::Scenario(scenario) => Some(scenario),
            Problem::Matrix(_) => None,
        }
    }

    /// The matrix exercise, if the problem is one.
    pub fn matrix(&self) -> Option<&Matrix> {
        match &self.problem {
            Problem::Matrix(matrix) => Some(matrix),
            Problem::Scenario(_) => None,
        }
    }

    /// The times the answer key must show the run at: the rubric's `at`, or else the times
    /// of the known answers' `states_at`, `zombies_at` and `tree_at`.
    pub fn key_times(&self) -> Vec<u64> {
        let mut times = match (&self.rubric.at, &self.expected) {
            (Some(times), _) => times.clone(),
            (None, Some(expected)) => expected.times(),
            (None, None) => Vec::new(),
        };
        times.sort_unstable();
        times.dedup();
        times
    }
}

/// Top-level keys of a scenario that a matrix exercise does not have.
const SCENARIO_ONLY_KEYS: [&str; 25] = [
    "policy",
    "cpus",
    "seed",
    "rules",
    "devices",
    "events",
    "queues",
    "pipes",
    "sockets",
    "deadlock",
    "workload",
    "max_processes",
    "max_threads",
    "globals",
    "shared",
    "scheduler",
    "cache",
    "runtime",
    "pools",
    "programs",
    "stdin",
    "gui",
    "tasks",
    "horizon",
    "on_miss",
];

/// Whether a line of the document starts with `key:` (a block-style top-level key): a cheap
/// look that works even when the document does not parse.
fn has_top_level_key(text: &str, key: &str) -> bool {
    if yaml::looks_like_json(text) {
        return text.contains(&format!("\"{key}\""));
    }
    text.lines().any(|line| {
        line.strip_prefix(key)
            .is_some_and(|rest| rest.trim_start().starts_with(':'))
    })
}

impl Problem {
    /// Every process an answer names must be one the problem can have (`init` included for
    /// scenarios; a namesake as `name(pid)`); the error names the field, under `prefix`.
    /// Whether the run really has it is the grader's check (`grading::grade_answer`).
    pub fn check_names(&self, answer: &Answer, prefix: &str) -> Result<(), ScenarioError> {
        let (known, threads): (Vec<String>, Vec<&str>) = match self {
            Problem::Scenario(scenario) => {
                let mut names: Vec<String> = scenario
                    .process_names()
                    .into_iter()
                    .map(|name| name.into_owned())
                    .collect();
                names.push("init".into());
                (names, scenario.thread_names().into_iter().collect())
            }
            Problem::Matrix(matrix) => (
                matrix.processes.iter().map(|p| p.name.clone()).collect(),
                Vec::new(),
            ),
        };
        let known: Vec<&str> = known.iter().map(String::as_str).collect();
        // A thread is `process/thread`, as runs label it.
        let is_thread = |name: &str| {
            name.split_once('/').is_some_and(|(process, thread)| {
                known.contains(&process) && threads.contains(&thread)
            })
        };
        if let Problem::Scenario(scenario) = self {
            for (task, response) in &answer.response_time {
                let path = format!("{prefix}.response_time.{task}");
                let tasks = scenario.realtime.as_ref().map(|rt| &rt.tasks[..]);
                if !tasks.unwrap_or_default().iter().any(|t| t.name == *task) {
                    return Err(ScenarioError::invalid(
                        path,
                        format!("no task is named `{task}`"),
                    ));
                }
                if let crate::answer::ResponseTimeAnswer::Word(word) = response
                    && word.trim() != "miss"
                {
                    return Err(ScenarioError::invalid(
                        path,
                        format!("expected a number of ticks or `miss`, got `{word}`"),
                    ));
                }
            }
            for name in answer.variables.keys() {
                let shared = scenario.shared.iter().any(|v| v.name == *name);
                let global = name.rsplit_once('.').is_some_and(|(_, variable)| {
                    scenario.globals.iter().any(|v| v.name == variable)
                });
                if !shared && !global {
                    return Err(ScenarioError::invalid(
                        format!("{prefix}.variables.{name}"),
                        format!(
                            "no variable is called `{name}`: write a shared variable by its name, a global as `process.name`"
                        ),
                    ));
                }
            }
        }
        for (path, name) in answer.named_processes() {
            // Namesakes are told apart by their pid, as the answer key labels them: `bomb(3)`.
            let base = match name.strip_suffix(')').and_then(|n| n.rsplit_once('(')) {
                Some((base, pid)) if pid.parse::<u32>().is_ok() => base,
                _ => name,
            };
            if !known.contains(&name) && !known.contains(&base) && !is_thread(name) {
                return Err(ScenarioError::invalid(
                    format!("{prefix}.{path}"),
                    format!("no process is named `{name}`"),
                ));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_come_from_the_shape_the_file_is_closer_to() {
        let scenario =
            Exercise::from_yaml("name: s\npolicy: fcfs\nprocesses: [{name: P, burst: 0}]\n");
        assert!(
            scenario
                .unwrap_err()
                .one_line("f")
                .contains("processes[0].burst"),
        );
        let matrix = Exercise::from_yaml(
            "name: m\nresources: {A: 1}\nprocesses:\n  P0: {allocation: [2], max: [2]}\n",
        );
        assert!(
            matrix
                .unwrap_err()
                .one_line("f")
                .contains("more than the (1) instances")
        );
        let both = Exercise::from_yaml(
            "name: m\nresources: {A: 1}\nprocesses:\n  P0: {allocation: [1], max: [1]}\n",
        );
        assert!(matches!(both.map(|e| e.problem), Ok(Problem::Matrix(_))));
        // No `policy`, but keys only a scenario has: a scenario that lacks its policy, not a
        // matrix exercise with unknown fields.
        for text in [
            "name: w\nworkload: {count: 3, cpu: 2}\n",
            "name: s\ncpus: 2\nprocesses: [{name: P, burst: 2}]\n",
        ] {
            let error = Exercise::from_yaml(text).unwrap_err().one_line("f");
            assert!(error.contains("missing field `policy`"), "{error}");
        }
    }

    /// `SCENARIO_ONLY_KEYS` is the scenario's top-level fields less the matrix exercise's, as
    /// serde lists them when it meets an unknown field: a key added to either fails here.
    #[test]
    fn scenario_only_keys_are_the_fields_a_matrix_lacks() {
        fn fields<T: serde::de::DeserializeOwned + std::fmt::Debug>() -> Vec<String> {
            let error = yaml::parse_document::<T>("not_a_field: 1\n").unwrap_err();
            let message = error.to_string();
            let (_, list) = message
                .split_once("expected one of ")
                .unwrap_or_else(|| panic!("{message}"));
            list.split(", ")
                .map(|name| name.trim().trim_matches('`').to_string())
                .collect()
        }
        let matrix = fields::<crate::matrix::MatrixFile>();
        let mut only: Vec<String> = fields::<crate::scenario::ScenarioFile>()
            .into_iter()
            .filter(|name| !matrix.contains(name))
            .collect();
        let mut listed: Vec<String> = SCENARIO_ONLY_KEYS.iter().map(|k| k.to_string()).collect();
        only.sort();
        listed.sort();
        assert_eq!(listed, only);
    }

    #[test]
    fn rubric_and_expected_belong_to_the_exercise() {
        let text = "name: s\npolicy: fcfs\nprocesses: [{name: P, burst: 2}]\n\
                    grading: {gantt: 3}\nexpected: {processes: {P: {completion: 2}}}\n";
        let exercise = Exercise::from_yaml(text).unwrap();
        assert_eq!(
            exercise
                .rubric
                .points_of(crate::rubric::QuestionKind::Gantt),
            Some(3.0)
        );
        assert_eq!(
            exercise.expected.unwrap().processes["P"].completion,
            Some(2)
        );
        let typo = Exercise::from_yaml(
            "name: s\npolicy: fcfs\nprocesses: [{name: P, burst: 2}]\n\
             expected: {processes: {Q: {completion: 2}}}\n",
        );
        assert_eq!(
            typo.unwrap_err().unlocated().one_line("s.yaml"),
            "s.yaml: expected.processes.Q: no process is named `Q`"
        );
        let bad_rubric = Exercise::from_yaml(
            "name: s\npolicy: fcfs\nprocesses: [{name: P, burst: 2}]\ngrading: {wating: 1}\n",
        );
        assert!(
            bad_rubric
                .unwrap_err()
                .unlocated()
                .one_line("s.yaml")
                .starts_with("s.yaml: grading.wating: unknown question")
        );
    }
}
