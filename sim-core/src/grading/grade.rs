//! Grading one answer file against an [`AnswerKey`]: every question asked becomes an item with
//! its points and feedback a student can learn from.

pub use super::items::GradedItem;
use super::items::{
    busy, first_difference, graded_number, missing, overlap, score_item, show, show_i,
};
use super::key::{AnswerKey, round, zombies};
use crate::answer::{Answer, GanttAnswer, ProcessAnswer, parse_gantt, run_gantt};
use crate::explore::OutcomeCount;
use crate::ids::Pid;
use crate::report::ProcessRow;
use crate::rubric::QuestionKind;
use serde::Serialize;

/// Largest answer file read, in bytes.
pub const MAX_ANSWER_BYTES: usize = 1024 * 1024;

/// The grade of one file. Field names are a contract (docs/grading.md).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GradedFile {
    pub file: String,
    pub score: f64,
    pub max_score: f64,
    pub items: Vec<GradedItem>,
    /// Why the file could not be graded (it scores 0).
    pub error: Option<String>,
}

/// How the answer text is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AnswerFormat {
    Yaml,
    Json,
}

impl AnswerFormat {
    /// JSON for `.json` files, YAML otherwise.
    pub fn of_file(file: &str) -> AnswerFormat {
        if file.to_ascii_lowercase().ends_with(".json") {
            AnswerFormat::Json
        } else {
            AnswerFormat::Yaml
        }
    }
}

/// Reads an answer, with the same limits as scenarios (size, depth, aliases).
pub fn parse_answer(text: &str, format: AnswerFormat) -> Result<Answer, String> {
    let text = crate::yaml::without_bom(text);
    match format {
        AnswerFormat::Yaml => crate::yaml::parse::<Answer>(text).map_err(|e| e.one_line("")),
        AnswerFormat::Json => {
            if text.len() > MAX_ANSWER_BYTES {
                return Err(format!(
                    "input is {} bytes, over the limit of {MAX_ANSWER_BYTES} bytes (1 MiB)",
                    text.len()
                ));
            }
            crate::yaml::json_keys_once(text)
                .and_then(|()| serde_json::from_str::<Answer>(text))
                .map_err(|e| {
                    format!(
                        "{}:{}: {}",
                        e.line(),
                        e.column(),
                        e.to_string().split(" at line ").next().unwrap_or_default()
                    )
                })
        }
    }
}

/// Grades the answer in `text` (from `file`) against `key`. Never fails: a file that cannot be
/// read as an answer scores 0 with an `error`.
pub fn grade(file: &str, text: &str, key: &AnswerKey) -> GradedFile {
    match parse_answer(text, AnswerFormat::of_file(file)) {
        Ok(answer) => grade_answer(file, &answer, key),
        Err(error) => failed(file, key, error.trim_start_matches(':').trim().to_string()),
    }
}

/// Grades an answer already read. An answer naming a process the run does not have scores 0
/// with an `error` naming the field.
pub fn grade_answer(file: &str, answer: &Answer, key: &AnswerKey) -> GradedFile {
    if let Err(error) = check_names(answer, key) {
        return failed(file, key, error);
    }
    let items = Grader::new(key).questions(Some(answer));
    GradedFile {
        file: file.to_string(),
        score: round(items.iter().map(|item| item.points).sum()),
        max_score: max_score(key),
        items,
        error: None,
    }
}

/// The most a file can score against `key`.
fn max_score(key: &AnswerKey) -> f64 {
    let questions = Grader::new(key).questions(None);
    round(questions.iter().map(|item| item.max_points).sum())
}

fn failed(file: &str, key: &AnswerKey, error: String) -> GradedFile {
    GradedFile {
        file: file.to_string(),
        score: 0.0,
        max_score: max_score(key),
        items: Vec::new(),
        error: Some(error),
    }
}

/// Every process an answer names must be one of the run's (by its label: its name, or
/// `name(pid)` when names repeat), or init.
fn check_names(answer: &Answer, key: &AnswerKey) -> Result<(), String> {
    match unknown_name(answer, key) {
        None => Ok(()),
        Some((path, name)) => {
            let known: Vec<&str> = key.processes().map(|(label, _)| label).collect();
            Err(format!(
                "{path}: no process is named `{name}` (the scenario has {})",
                known.join(", ")
            ))
        }
    }
}

/// The first name in `answer` that is not one of the run's processes (nor init), with the
/// path of the field that names it.
pub(crate) fn unknown_name(answer: &Answer, key: &AnswerKey) -> Option<(String, String)> {
    answer
        .named_processes()
        .into_iter()
        .find(|(path, name)| {
            // Per-process figures are asked of processes only; states of threads too.
            let known = if path.starts_with("processes.") {
                key.row_named(name).is_some()
            } else {
                key.knows(name)
            };
            *name != "init" && !known
        })
        .map(|(path, name)| (path, name.to_string()))
}

struct Grader<'a> {
    key: &'a AnswerKey,
}

impl<'a> Grader<'a> {
    fn new(key: &'a AnswerKey) -> Grader<'a> {
        Grader { key }
    }

    /// Every question asked, graded against `answer` (`None`: just the questions, ungraded).
    fn questions(&self, answer: Option<&Answer>) -> Vec<GradedItem> {
        let key = self.key;
        let mut items = Vec::new();
        let empty = ProcessAnswer::default();
        for (label, row) in key.processes() {
            let theirs = answer
                .and_then(|a| a.processes.get(label))
                .unwrap_or(&empty);
            for kind in QuestionKind::ALL {
                if let Some(points) = key.rubric.points_of(kind)
                    && let Some(item) = self.process_item(kind, points, label, row, theirs)
                {
                    items.push(item);
                }
            }
        }
        if let Some(points) = key.rubric.points_of(QuestionKind::Averages) {
            self.averages(points, answer, &mut items);
        }
        if let Some(points) = key.rubric.points_of(QuestionKind::Gantt) {
            for cpu in 0..key.scenario.cpus {
                items.push(self.gantt(points, cpu, answer));
            }
        }
        if let Some(points) = key.rubric.points_of(QuestionKind::Order) {
            items.push(self.order(points, answer));
        }
        if let Some(points) = key.rubric.points_of(QuestionKind::Deadlocked) {
            let expected = crate::answer::deadlocked_names(&key.report);
            let theirs = answer
                .and_then(|a| a.deadlocked.as_ref())
                .map(crate::answer::name_set);
            let how = if expected.is_empty() {
                "no deadlock forms".to_string()
            } else {
                format!("{} end in a circular wait", expected.join(", "))
            };
            items.push(score_item(
                "deadlocked".into(),
                expected.join(", "),
                theirs.map(|names| names.join(", ")),
                points,
                &how,
                None,
            ));
        }
        self.real_time(answer, &mut items);
        // Under `accept: any_outcome`, the outcome some schedule gives that is closest to the
        // answer, when it is closer than the documented run's.
        let outcome = self.closest_outcome(answer);
        let before = items.len();
        if let Some(points) = key.rubric.points_of(QuestionKind::Output) {
            self.output(points, answer, outcome, &mut items);
        }
        if let Some(points) = key.rubric.points_of(QuestionKind::Variables) {
            let variables = outcome.map_or(&key.report.variables, |o| &o.outcome.variables);
            for (name, value) in variables {
                let theirs = answer.and_then(|a| a.variables.get(name));
                items.push(score_item(
                    format!("variables.{name}"),
                    value.to_string(),
                    theirs.map(|v| v.to_string()),
                    points,
                    &format!("{name} ends at {value} (see the trace's reads and writes)"),
                    None,
                ));
            }
        }
        if let Some(outcome) = outcome {
            let schedule = crate::explore::schedule_text(&outcome.witness);
            for item in &mut items[before..] {
                item.feedback = if item.points == item.max_points {
                    format!(
                        "correct for the schedule {schedule}, one of the run's possible outcomes (`procsim run --schedule {schedule}` replays it)"
                    )
                } else {
                    format!(
                        "{} — graded against the schedule {schedule}, the possible outcome closest to your answer",
                        item.feedback
                    )
                };
            }
        }
        self.timeline(answer, &mut items);
        items
    }

    /// One question per line the run prints (or `outcome`, another schedule's), in order
    /// (`output.1` is the first); lines an answer adds past the run's are one more question,
    /// worth nothing if there are none.
    fn output(
        &self,
        points: f64,
        answer: Option<&Answer>,
        outcome: Option<&OutcomeCount>,
        items: &mut Vec<GradedItem>,
    ) {
        // (who printed it, the text, when; `None` for another schedule's line)
        let lines: Vec<(&str, &str, Option<u64>)> = match outcome {
            Some(outcome) => outcome
                .outcome
                .lines
                .iter()
                .map(|(name, text)| (name.as_str(), text.as_str(), None))
                .collect(),
            None => self
                .key
                .report
                .output
                .iter()
                .map(|line| (line.name.as_str(), line.text.as_str(), Some(line.time)))
                .collect(),
        };
        let theirs = answer.and_then(|a| a.output.as_ref());
        for (index, &(name, text, time)) in lines.iter().enumerate() {
            let got = theirs.map(|t| t.get(index).map_or(String::new(), |s| s.trim().to_string()));
            let when = time.map_or_else(String::new, |time| format!(" at t={time}"));
            items.push(score_item(
                format!("output.{}", index + 1),
                text.to_string(),
                got,
                points,
                &format!("line {} is printed by {name}{when}", index + 1),
                None,
            ));
        }
        if let Some(extra) = theirs.filter(|t| t.len() > lines.len()) {
            items.push(score_item(
                format!("output.{}", lines.len() + 1),
                "(no more lines)".into(),
                Some(extra[lines.len()..].join(" / ")),
                points,
                &format!("the run prints {} lines", lines.len()),
                None,
            ));
        }
    }

    /// Under `accept: any_outcome`: the outcome whose output and variables agree with the
    /// most of `answer`'s (the first found of those that agree as much), if it agrees with
    /// more than the documented run does.
    fn closest_outcome(&self, answer: Option<&Answer>) -> Option<&'a OutcomeCount> {
        let accepted = self.key.outcomes.as_ref()?;
        let answer = answer?;
        let agreement = |texts: &[&str], variables: &std::collections::BTreeMap<String, i64>| {
            let lines = answer.output.as_ref().map_or(0, |theirs| {
                let same = texts
                    .iter()
                    .zip(theirs)
                    .filter(|(run, theirs)| **run == theirs.trim())
                    .count();
                same + usize::from(theirs.len() == texts.len())
            });
            let values = answer
                .variables
                .iter()
                .filter(|(name, value)| variables.get(*name) == Some(value))
                .count();
            lines + values
        };
        let documented: Vec<&str> = self
            .key
            .report
            .output
            .iter()
            .map(|line| line.text.as_str())
            .collect();
        let mut best = agreement(&documented, &self.key.report.variables);
        let mut closest = None;
        for outcome in &accepted.outcomes {
            let texts: Vec<&str> = outcome
                .outcome
                .lines
                .iter()
                .map(|(_, text)| text.as_str())
                .collect();
            let score = agreement(&texts, &outcome.outcome.variables);
            if score > best {
                best = score;
                closest = Some(outcome);
            }
        }
        closest
    }

    fn process_item(
        &self,
        kind: QuestionKind,
        points: f64,
        label: &str,
        row: &ProcessRow,
        theirs: &ProcessAnswer,
    ) -> Option<GradedItem> {
        let key = self.key;
        let number = |value: Option<u64>| value.map(|v| v.to_string());
        let arrival = row.arrival;
        let (on_cpu, blocked) = (row.ticks_on_cpu(), row.blocked());
        // (the key's value, the student's, how the key's value comes, what their own earlier
        // values give for this one)
        let (expected, got, how, follows): (
            Option<String>,
            Option<String>,
            String,
            Option<String>,
        ) = match kind {
            QuestionKind::FirstRun => (
                number(row.first_run),
                number(theirs.first_run),
                format!("{label} first runs at {}", show(row.first_run)),
                None,
            ),
            QuestionKind::Completion => (
                number(row.completion),
                number(theirs.completion),
                format!(
                    "{label} completes at {} (see the Gantt chart)",
                    show(row.completion)
                ),
                None,
            ),
            QuestionKind::Turnaround => (
                number(row.turnaround),
                number(theirs.turnaround),
                format!(
                    "turnaround = completion − arrival = {} − {arrival} = {}",
                    show(row.completion),
                    show(row.turnaround)
                ),
                theirs
                    .completion
                    .map(|c| c.saturating_sub(arrival).to_string()),
            ),
            QuestionKind::Waiting => (
                Some(row.waiting.to_string()),
                number(theirs.waiting),
                format!(
                    "waiting = turnaround − {} − blocked time = {} − {on_cpu} − {blocked} = {}",
                    if row.on_cpu.is_some() {
                        "ticks on a CPU (one of its threads ran)"
                    } else {
                        "CPU time"
                    },
                    show(row.turnaround),
                    row.waiting
                ),
                theirs
                    .turnaround
                    .or_else(|| theirs.completion.map(|c| c.saturating_sub(arrival)))
                    .map(|t| t.saturating_sub(on_cpu + blocked).to_string()),
            ),
            QuestionKind::Response => (
                number(row.response),
                number(theirs.response),
                format!(
                    "response = first run − arrival = {} − {arrival} = {}",
                    show(row.first_run),
                    show(row.response)
                ),
                theirs
                    .first_run
                    .map(|f| f.saturating_sub(arrival).to_string()),
            ),
            QuestionKind::Pid => (
                Some(row.pid.to_string()),
                theirs.pid.map(|p| p.to_string()),
                format!(
                    "{label} is pid {}: pids are handed out in creation order",
                    row.pid
                ),
                None,
            ),
            QuestionKind::Parent => (
                Some(key.label(Pid(row.ppid))),
                theirs.parent.clone(),
                format!(
                    "when {label} exited its parent was {}",
                    key.label(Pid(row.ppid))
                ),
                None,
            ),
            QuestionKind::ExitCode => (
                row.exit_code.map(|c| c.to_string()),
                theirs.exit_code.map(|c| c.to_string()),
                format!("{label} exits with status {}", show_i(row.exit_code)),
                None,
            ),
            QuestionKind::ExitedAt => (
                number(row.exited_at),
                number(theirs.exited_at),
                format!("{label} exits at {}", show(row.exited_at)),
                None,
            ),
            QuestionKind::ReapedAt => (
                number(row.reaped_at),
                number(theirs.reaped_at),
                format!(
                    "{label} is reaped at {} by {}",
                    show(row.reaped_at),
                    row.reaped_by.map_or("nobody".into(), |p| key.label(Pid(p)))
                ),
                None,
            ),
            QuestionKind::ReapedBy => (
                row.reaped_by.map(|p| key.label(Pid(p))),
                theirs.reaped_by.clone(),
                format!(
                    "{label} is reaped by {}",
                    row.reaped_by.map_or("nobody".into(), |p| key.label(Pid(p)))
                ),
                None,
            ),
            QuestionKind::Vruntime => {
                let value = super::key::vruntime_of(row)?;
                let shown = |value: f64| format!("{value:.3}");
                let question = format!("{label}.{}", kind.name());
                let how =
                    format!("vruntime grows by ran × 1024 / weight: {label} ends at {value:.3}");
                return Some(graded_number(
                    question,
                    value,
                    shown(value),
                    theirs.vruntime,
                    key.rubric.tolerance,
                    points,
                    &how,
                ));
            }
            _ => return None,
        };
        let expected = expected?;
        Some(score_item(
            format!("{label}.{}", kind.name()),
            expected,
            got.map(|g| g.trim().to_string()),
            points,
            &how,
            follows.filter(|_| key.rubric.follow_through),
        ))
    }

    /// The questions about a task set: the jobs that miss, and the schedulability analysis.
    fn real_time(&self, answer: Option<&Answer>, items: &mut Vec<GradedItem>) {
        let key = self.key;
        if let Some(points) = key.rubric.points_of(QuestionKind::Missed)
            && key.scenario.realtime.is_some()
        {
            let expected = key.missed_jobs();
            let theirs = answer
                .and_then(|a| a.missed.as_ref())
                .map(crate::answer::name_set);
            let how = if expected.is_empty() {
                "every job finishes by its deadline".to_string()
            } else {
                format!(
                    "{} {} unfinished at {} deadline (see the jobs table)",
                    expected.join(", "),
                    if expected.len() == 1 { "is" } else { "are" },
                    if expected.len() == 1 { "its" } else { "their" }
                )
            };
            let mut sorted = expected.clone();
            sorted.sort();
            items.push(score_item(
                "missed".into(),
                sorted.join(", "),
                theirs.map(|names| names.join(", ")),
                points,
                &how,
                None,
            ));
        }
        let Some(analysis) = &key.schedulability else {
            return;
        };
        if let Some(points) = key.rubric.points_of(QuestionKind::Schedulable) {
            items.push(score_item(
                "schedulable".into(),
                analysis.schedulable.to_string(),
                answer
                    .and_then(|a| a.schedulable)
                    .map(|flag| flag.to_string()),
                points,
                &analysis.verdict(),
                None,
            ));
        }
        if let Some(points) = key.rubric.points_of(QuestionKind::Utilization) {
            let value = super::key::utilization_shown(analysis);
            let question = "utilization".to_string();
            let how = format!(
                "U = Σ wcet / period = {}",
                analysis
                    .utilization_fraction
                    .clone()
                    .unwrap_or_else(|| format!("{value:.3}"))
            );
            items.push(graded_number(
                question,
                analysis.utilization,
                format!("{value:.3}"),
                answer.and_then(|a| a.utilization),
                key.rubric.tolerance,
                points,
                &how,
            ));
        }
        if let Some(points) = key.rubric.points_of(QuestionKind::ResponseTime) {
            for task in &analysis.response_times {
                let expected = task
                    .response
                    .map_or_else(|| "miss".to_string(), |r| r.to_string());
                let iterations: Vec<String> = task.iterations.iter().map(u64::to_string).collect();
                items.push(score_item(
                    format!("{}.response_time", task.task),
                    expected,
                    answer
                        .and_then(|a| a.response_time.get(&task.task))
                        .map(|r| r.to_string()),
                    points,
                    &format!(
                        "R = {} {}",
                        iterations.join(" → "),
                        if task.meets {
                            format!("settles within the deadline {}", task.deadline)
                        } else {
                            format!("passes the deadline {}", task.deadline)
                        }
                    ),
                    None,
                ));
            }
        }
    }

    fn averages(&self, points: f64, answer: Option<&Answer>, items: &mut Vec<GradedItem>) {
        let key = self.key;
        let averages = &key.report.averages;
        let rows: Vec<(&str, &ProcessRow)> = key.processes().collect();
        let theirs = answer.and_then(|a| a.averages.as_ref());
        type Field = fn(&ProcessAnswer) -> Option<u64>;
        let fields: [(&str, Option<f64>, Option<f64>, Field); 3] = [
            (
                "turnaround",
                averages.turnaround,
                theirs.and_then(|a| a.turnaround),
                |p| p.turnaround,
            ),
            (
                "waiting",
                averages.waiting,
                theirs.and_then(|a| a.waiting),
                |p| p.waiting,
            ),
            (
                "response",
                averages.response,
                theirs.and_then(|a| a.response),
                |p| p.response,
            ),
        ];
        for (name, value, got, field) in fields {
            // No process finished: there is no average to ask about.
            let Some(value) = value else {
                continue;
            };
            let values: Vec<String> = rows
                .iter()
                .filter(|(_, row)| row.completion.is_some())
                .filter_map(|(_, row)| match name {
                    "turnaround" => row.turnaround,
                    "waiting" => Some(row.waiting),
                    _ => row.response,
                })
                .map(|v| v.to_string())
                .collect();
            let how = format!(
                "average {name} = ({}) / {} = {}",
                values.join(" + "),
                values.len(),
                crate::text::number(value)
            );
            // Their own per-process values, if they gave them all.
            let own: Option<Vec<u64>> = answer.and_then(|a| {
                rows.iter()
                    .map(|(label, _)| a.processes.get(*label).and_then(field))
                    .collect()
            });
            let own_mean = own
                .filter(|v| !v.is_empty())
                .map(|v| v.iter().map(|&x| x as f64).sum::<f64>() / v.len() as f64);
            let tolerance = key.rubric.tolerance;
            let close = |a: f64, b: f64| (a - b).abs() <= tolerance + 1e-9;
            let question = format!("averages.{name}");
            let expected = crate::text::number(round(value));
            let item = match got {
                None => missing(question, expected, points),
                Some(got) if close(got, value) => GradedItem {
                    question,
                    expected,
                    got: Some(crate::text::number(got)),
                    points,
                    max_points: points,
                    feedback: "correct".into(),
                },
                Some(got)
                    if key.rubric.follow_through
                        && own_mean.is_some_and(|mean| close(got, mean)) =>
                {
                    GradedItem {
                        question,
                        expected,
                        got: Some(crate::text::number(got)),
                        points,
                        max_points: points,
                        feedback: format!(
                            "follows from your own per-process values (the key: {how})"
                        ),
                    }
                }
                Some(got) => GradedItem {
                    question,
                    expected,
                    got: Some(crate::text::number(got)),
                    points: 0.0,
                    max_points: points,
                    feedback: format!("not within {tolerance} of the key: {how}"),
                },
            };
            items.push(item);
        }
    }

    /// A chart earns the share of the schedule's busy ticks it gets right.
    fn gantt(&self, points: f64, cpu: usize, answer: Option<&Answer>) -> GradedItem {
        let key = run_gantt(&self.key.report.gantt, cpu);
        let question = format!("gantt.cpu{cpu}");
        let expected = crate::answer::format_gantt(&key);
        let text = answer.and_then(|a| match &a.gantt {
            Some(GanttAnswer::Single(text)) if cpu == 0 => Some(text.clone()),
            Some(GanttAnswer::PerCpu(map)) => map
                .iter()
                .find(|(name, _)| name.trim_start_matches("cpu").parse() == Ok(cpu))
                .map(|(_, text)| text.clone()),
            _ => None,
        });
        let Some(text) = text else {
            return missing(question, expected, points);
        };
        let slices = match parse_gantt(&text) {
            Ok(slices) => slices,
            Err(error) => {
                return GradedItem {
                    question,
                    expected,
                    got: Some(text),
                    points: 0.0,
                    max_points: points,
                    feedback: format!("unreadable chart: {error}"),
                };
            }
        };
        let agreed = overlap(&key, &slices);
        let total = busy(&key).max(busy(&slices));
        let share = if total == 0 {
            1.0
        } else {
            agreed as f64 / total as f64
        };
        let feedback = if share >= 1.0 {
            "correct".to_string()
        } else {
            let first = first_difference(&key, &slices);
            format!(
                "{agreed} of {total} busy ticks agree with the schedule{}",
                first.map_or(String::new(), |d| format!("; first difference: {d}"))
            )
        };
        GradedItem {
            question,
            expected,
            got: Some(crate::answer::format_gantt(&slices)),
            points: round(points * share),
            max_points: points,
            feedback,
        }
    }

    /// Processes completing at the same time may come in any order.
    fn order(&self, points: f64, answer: Option<&Answer>) -> GradedItem {
        let groups = self.key.completion_order();
        let expected = groups
            .iter()
            .map(|group| group.join(" = "))
            .collect::<Vec<_>>()
            .join(", ");
        let Some(order) = answer.and_then(|a| a.order.as_ref()) else {
            return missing("order".into(), expected, points);
        };
        let got: Vec<String> = order.iter().map(|name| name.trim().to_string()).collect();
        let mut at = 0;
        let mut right = got.len() == groups.iter().map(Vec::len).sum::<usize>();
        for group in &groups {
            if !right {
                break;
            }
            let mut part: Vec<&String> =
                got[at..(at + group.len()).min(got.len())].iter().collect();
            let mut want: Vec<&String> = group.iter().collect();
            part.sort();
            want.sort();
            right = part == want;
            at += group.len();
        }
        GradedItem {
            question: "order".into(),
            expected,
            got: Some(got.join(", ")),
            points: if right { points } else { 0.0 },
            max_points: points,
            feedback: if right {
                "correct".into()
            } else {
                "processes finish in order of completion time (see the Gantt chart)".into()
            },
        }
    }

    fn timeline(&self, answer: Option<&Answer>, items: &mut Vec<GradedItem>) {
        let key = self.key;
        let rubric = &key.rubric;
        for (&time, snapshot) in key.snapshots() {
            if let Some(points) = rubric.points_of(QuestionKind::StatesAt) {
                for process in &snapshot.processes {
                    let label = key.label(process.pid);
                    let got = answer
                        .and_then(|a| a.states_at.get(&time))
                        .and_then(|states| states.get(&label))
                        .map(|state| crate::answer::state_word(state));
                    items.push(score_item(
                        format!("states_at.{time}.{label}"),
                        process.state.label().to_string(),
                        got,
                        points,
                        &format!("at t={time} {label} is {}", process.state.label()),
                        None,
                    ));
                }
            }
            if let Some(points) = rubric.points_of(QuestionKind::ZombiesAt) {
                let expected = zombies(key, snapshot);
                let got = answer.and_then(|a| a.zombies_at.get(&time)).map(|names| {
                    let mut names: Vec<String> =
                        names.iter().map(|n| n.trim().to_string()).collect();
                    names.sort();
                    names.join(", ")
                });
                items.push(score_item(
                    format!("zombies_at.{time}"),
                    expected.join(", "),
                    got,
                    points,
                    "a zombie has exited and is not reaped yet",
                    None,
                ));
            }
            if let Some(points) = rubric.points_of(QuestionKind::TreeAt) {
                for process in snapshot
                    .processes
                    .iter()
                    .filter(|p| p.state.stat().is_some())
                {
                    let label = key.label(process.pid);
                    let got = answer
                        .and_then(|a| a.tree_at.get(&time))
                        .and_then(|tree| tree.get(&label))
                        .map(|parent| parent.trim().to_string());
                    let parent = key.label(process.ppid);
                    items.push(score_item(
                        format!("tree_at.{time}.{label}"),
                        parent.clone(),
                        got,
                        points,
                        &format!("at t={time} the parent of {label} is {parent}"),
                        None,
                    ));
                }
            }
        }
    }
}
