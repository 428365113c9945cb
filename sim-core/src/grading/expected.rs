//! Checking an exercise's own `expected:` block. There is one checker of the answer format:
//! the known answers are graded against the exercise's answer key exactly as a student's
//! answer is (the key computed once; one behaviour for namesakes; one validation of the
//! names), with a rubric that asks precisely the questions the block answers. An answer that
//! does not earn its full points is a difference.

use super::grade::{grade_answer, unknown_name};
use super::key::AnswerKey;
use crate::answer::Answer;
use crate::engine::RunError;
use crate::exercise::{Exercise, Problem};
use crate::report::{Difference, ExpectedOutcome};
use crate::rubric::{QuestionKind, Rubric};
use std::collections::BTreeMap;

/// Checks `exercise`'s `expected:` block against its run (or matrix analysis); `None` when it
/// has no such block.
pub fn check_expected(
    exercise: &Exercise,
    max_events: usize,
) -> Result<Option<ExpectedOutcome>, RunError> {
    let Some(expected) = &exercise.expected else {
        return Ok(None);
    };
    let differences = match &exercise.problem {
        Problem::Scenario(scenario) => {
            let key = AnswerKey::new(
                (**scenario).clone(),
                rubric_asking(expected),
                &expected.times(),
                max_events,
            )?;
            differences(expected, &key)
        }
        Problem::Matrix(matrix) => {
            let graded =
                super::matrix::grade_answer("expected", expected, matrix, &rubric_asking(expected));
            graded
                .items
                .into_iter()
                .filter(|item| item.got.is_some() && item.points < item.max_points)
                .map(|item| Difference {
                    question: item.question,
                    expected: item.got.unwrap_or_default(),
                    got: item.expected,
                })
                .collect()
        }
    };
    Ok(Some(ExpectedOutcome {
        ok: differences.is_empty(),
        differences,
    }))
}

/// The known answers of `expected` that the run behind `key` does not give.
pub fn differences(expected: &Answer, key: &AnswerKey) -> Vec<Difference> {
    if let Some((path, name)) = unknown_name(expected, key) {
        return vec![Difference {
            question: path,
            expected: format!("a process called {name}"),
            got: "no such process".into(),
        }];
    }
    let graded = grade_answer("expected", expected, key);
    let mut differences = Vec::new();
    let mut asked: Vec<String> = Vec::new();
    for item in graded.items {
        asked.push(item.question.clone());
        if let Some(theirs) = item.got
            && item.points < item.max_points
        {
            differences.push(Difference {
                question: item.question,
                expected: theirs,
                got: item.expected,
            });
        }
    }
    // Known answers to questions the run has no answer for (a completion of a process that
    // never completes, a chart of a CPU that does not exist, the state of a process that does
    // not exist yet): the run's answer is "none".
    for (question, theirs, run) in answered(expected) {
        if !asked.contains(&question) && theirs != run {
            differences.push(Difference {
                question,
                expected: theirs,
                got: run.to_string(),
            });
        }
    }
    differences
}

/// The rubric that asks exactly the questions `answer` answers, 1 point each, with no credit
/// for following through from one's own values: a known answer is right or it is not.
pub fn rubric_asking(answer: &Answer) -> Rubric {
    let mut kinds: Vec<QuestionKind> = Vec::new();
    for process in answer.processes.values() {
        let fields = [
            (process.first_run.is_some(), QuestionKind::FirstRun),
            (process.completion.is_some(), QuestionKind::Completion),
            (process.turnaround.is_some(), QuestionKind::Turnaround),
            (process.waiting.is_some(), QuestionKind::Waiting),
            (process.response.is_some(), QuestionKind::Response),
            (process.pid.is_some(), QuestionKind::Pid),
            (process.parent.is_some(), QuestionKind::Parent),
            (process.exit_code.is_some(), QuestionKind::ExitCode),
            (process.exited_at.is_some(), QuestionKind::ExitedAt),
            (process.reaped_at.is_some(), QuestionKind::ReapedAt),
            (process.reaped_by.is_some(), QuestionKind::ReapedBy),
            (process.vruntime.is_some(), QuestionKind::Vruntime),
        ];
        kinds.extend(
            fields
                .into_iter()
                .filter(|(given, _)| *given)
                .map(|(_, k)| k),
        );
    }
    let whole = [
        (answer.averages.is_some(), QuestionKind::Averages),
        (answer.gantt.is_some(), QuestionKind::Gantt),
        (answer.order.is_some(), QuestionKind::Order),
        (!answer.states_at.is_empty(), QuestionKind::StatesAt),
        (!answer.zombies_at.is_empty(), QuestionKind::ZombiesAt),
        (!answer.tree_at.is_empty(), QuestionKind::TreeAt),
        (answer.safe.is_some(), QuestionKind::Safe),
        (answer.sequence.is_some(), QuestionKind::Sequence),
        (answer.granted.is_some(), QuestionKind::Granted),
        (answer.requests.is_some(), QuestionKind::Requests),
        (answer.deadlocked.is_some(), QuestionKind::Deadlocked),
        (answer.missed.is_some(), QuestionKind::Missed),
        (answer.schedulable.is_some(), QuestionKind::Schedulable),
        (answer.utilization.is_some(), QuestionKind::Utilization),
        (!answer.response_time.is_empty(), QuestionKind::ResponseTime),
        (answer.output.is_some(), QuestionKind::Output),
        (!answer.variables.is_empty(), QuestionKind::Variables),
    ];
    kinds.extend(
        whole
            .into_iter()
            .filter(|(given, _)| *given)
            .map(|(_, k)| k),
    );
    let points: BTreeMap<QuestionKind, f64> = kinds.into_iter().map(|kind| (kind, 1.0)).collect();
    Rubric {
        points: Some(points),
        follow_through: false,
        at: Some(answer.times()),
        ..Rubric::default()
    }
}

/// Each question the answer gives a value for that a run may have no answer to, as
/// (question, the answer's value, what the run then says).
fn answered(answer: &Answer) -> Vec<(String, String, &'static str)> {
    let mut out = Vec::new();
    for (name, process) in &answer.processes {
        let numbers = [
            ("first_run", process.first_run),
            ("completion", process.completion),
            ("turnaround", process.turnaround),
            ("response", process.response),
            ("exited_at", process.exited_at),
            ("reaped_at", process.reaped_at),
        ];
        for (field, value) in numbers {
            if let Some(value) = value {
                out.push((format!("{name}.{field}"), value.to_string(), "none"));
            }
        }
        if let Some(code) = process.exit_code {
            out.push((format!("{name}.exit_code"), code.to_string(), "none"));
        }
        if let Some(by) = &process.reaped_by {
            out.push((format!("{name}.reaped_by"), by.trim().to_string(), "none"));
        }
        if let Some(vruntime) = process.vruntime {
            out.push((
                format!("{name}.vruntime"),
                crate::text::number(vruntime),
                "none (the policy keeps no vruntime)",
            ));
        }
    }
    if let Some(crate::answer::GanttAnswer::PerCpu(charts)) = &answer.gantt {
        for (cpu, chart) in charts {
            out.push((format!("gantt.{cpu}"), chart.clone(), "no such CPU"));
        }
    }
    for (time, states) in &answer.states_at {
        for (name, state) in states {
            let run = if name == "init" {
                "blocked"
            } else {
                "not created yet"
            };
            out.push((
                format!("states_at.{time}.{name}"),
                crate::answer::state_word(state),
                run,
            ));
        }
    }
    for (time, parents) in &answer.tree_at {
        for (name, parent) in parents {
            out.push((
                format!("tree_at.{time}.{name}"),
                parent.trim().to_string(),
                "not alive",
            ));
        }
    }
    out
}
