//! The worked solution of `procsim key --format markdown`: the schedule and every figure with
//! the arithmetic that gives it, as an instructor would write it on the board.

use super::key::{AnswerKey, round};
use crate::ids::Pid;
use crate::render::gantt_text;
use crate::rubric::QuestionKind;
use std::fmt::Write;

pub fn markdown(key: &AnswerKey) -> String {
    let report = &key.report;
    let scenario = &key.scenario;
    let mut out = String::new();
    // Names are the scenario author's (or a generated student's) text: escaped, so that none
    // opens a link, raw HTML or a table cell.
    let md = crate::text::markdown_text;
    let _ = writeln!(out, "# Answer key: {}\n", md(&scenario.name));
    let _ = writeln!(
        out,
        "Policy: {}; {} CPU{}.\n",
        report.policy,
        scenario.cpus,
        if scenario.cpus == 1 { "" } else { "s" }
    );
    let _ = writeln!(out, "## Rules in force\n");
    for rule in &key.policy_rules {
        let _ = writeln!(out, "- {rule}");
    }
    let _ = writeln!(
        out,
        "- Ties: by entry into the ready queue, then by scenario order; at one time, ends of \
         slices first, then arrivals, then IO completions (docs/policies.md).\n"
    );
    let schedule = gantt_text(&report.gantt, report.cpus);
    let fence = crate::text::markdown_fence(&schedule);
    let _ = writeln!(out, "## Schedule\n\n{fence}text\n{schedule}{fence}\n");
    let _ = writeln!(out, "## Per process\n");
    // The run's measures under their one name (`measures`), with how each is computed.
    let heading = |name: &str| {
        crate::measures::named(crate::measures::PROCESS, name)
            .about
            .heading
    };
    let _ = writeln!(
        out,
        "| {} | {} | {} | Blocked | {} | {} | {} = completion − arrival | {} = turnaround − CPU − blocked | {} = first run − arrival |",
        heading("name"),
        heading("arrival"),
        heading("cpu_time"),
        heading("first_run"),
        heading("completion"),
        heading("turnaround"),
        heading("waiting"),
        heading("response"),
    );
    let _ = writeln!(out, "|---|---|---|---|---|---|---|---|---|");
    let show = |v: Option<u64>| v.map_or("-".to_string(), |v| v.to_string());
    for (label, row) in key.processes() {
        let label = md(label);
        let blocked = row.blocked();
        // A process with threads: its CPU adds up its threads', and its equation counts the
        // ticks in which one of them ran (see the note under the table).
        let cpu = match row.on_cpu {
            Some(on_cpu) => format!("{} ({on_cpu} on a CPU)", row.cpu_time),
            None => row.cpu_time.to_string(),
        };
        let _ = writeln!(
            out,
            "| {label} | {} | {cpu} | {blocked} | {} | {} | {} − {} = {} | {} − {} − {blocked} = {} | {} − {} = {} |",
            row.arrival,
            show(row.first_run),
            show(row.completion),
            show(row.completion),
            row.arrival,
            show(row.turnaround),
            show(row.turnaround),
            row.ticks_on_cpu(),
            row.waiting,
            show(row.first_run),
            row.arrival,
            show(row.response),
        );
    }
    if report.processes.iter().any(|row| row.on_cpu.is_some()) {
        let _ = writeln!(
            out,
            "\nA process with threads: its CPU adds up its threads' CPU; in its equation, CPU is \
             the ticks in which at least one of them ran (\"on a CPU\"), waiting the ticks in which \
             one was ready and none ran, blocked the ticks in which none was either \
             (docs/threads.md)."
        );
        threads_table(&mut out, key);
    }
    let _ = writeln!(out, "\n## Averages\n");
    // Over the processes that finished, as the report's averages (an average of what never
    // ended is not taken).
    let finished: Vec<&crate::report::ProcessRow> = report
        .processes
        .iter()
        .filter(|row| row.completion.is_some())
        .collect();
    let mut average = |name: &str, values: Vec<u64>, mean: Option<f64>| {
        let sum = values
            .iter()
            .map(u64::to_string)
            .collect::<Vec<_>>()
            .join(" + ");
        let mean = crate::text::maybe_number(mean.map(round));
        let _ = if values.is_empty() {
            writeln!(out, "- {name}: no process finished = {mean}")
        } else {
            writeln!(out, "- {name} = ({sum}) / {} = {mean}", values.len())
        };
    };
    average(
        "turnaround",
        finished.iter().filter_map(|r| r.turnaround).collect(),
        report.averages.turnaround,
    );
    average(
        "waiting",
        finished.iter().map(|r| r.waiting).collect(),
        report.averages.waiting,
    );
    average(
        "response",
        finished.iter().filter_map(|r| r.response).collect(),
        report.averages.response,
    );
    let unfinished = report.processes.len() - finished.len();
    if unfinished > 0 {
        let _ = writeln!(
            out,
            "\n{unfinished} process{} never finished and {} not in the averages.",
            if unfinished == 1 { "" } else { "es" },
            if unfinished == 1 { "is" } else { "are" }
        );
    }
    if key.asks(QuestionKind::Vruntime) {
        let _ = writeln!(
            out,
            "\n## vruntime\n\nvruntime grows by ran × 1024 / weight (weight from nice: 1024 at 0), from where the process was placed; at the end:\n\n| Process | CPU | Final vruntime |\n|---|---|---|"
        );
        for (label, row) in key.processes() {
            let _ = writeln!(
                out,
                "| {} | {} | {} |",
                md(label),
                row.cpu_time,
                super::key::vruntime_of(row).map_or("-".into(), |v| format!("{v:.3}"))
            );
        }
    }
    if !report.jobs.is_empty() {
        let _ = writeln!(
            out,
            "\n## Jobs\n\nEach task releases a job every period; a job unfinished at its deadline misses it.\n\n| Task | Job | Release | Start | Finish | Deadline | Response | Missed |\n|---|---|---|---|---|---|---|---|"
        );
        let dash = |value: Option<u64>| value.map_or("-".to_string(), |v| v.to_string());
        for job in &report.jobs {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} | {} | {} |",
                md(&job.task),
                job.job,
                job.release,
                dash(job.start),
                dash(job.finish),
                job.deadline,
                dash(job.response),
                job.missed_word()
            );
        }
    }
    if let Some(analysis) = &key.schedulability
        && [
            QuestionKind::Schedulable,
            QuestionKind::Utilization,
            QuestionKind::ResponseTime,
        ]
        .into_iter()
        .any(|kind| key.asks(kind))
    {
        // The worked analysis, as `procsim analyze` prints it, in a code block (task names
        // are the user's: the fence is longer than any run of backticks in them).
        let text = crate::schedulability::explain(analysis);
        let fence = crate::text::markdown_fence(&text);
        let _ = writeln!(out, "\n## Schedulability\n\n{fence}text\n{text}{fence}");
    }
    let order: Vec<String> = key
        .completion_order()
        .into_iter()
        .map(|group| {
            group
                .iter()
                .map(|label| md(label))
                .collect::<Vec<_>>()
                .join(" = ")
        })
        .collect();
    let _ = writeln!(out, "\n## Order of completion\n\n{}", order.join(", "));
    let lifecycle = scenario.forks()
        || [
            QuestionKind::Parent,
            QuestionKind::ExitCode,
            QuestionKind::ReapedAt,
            QuestionKind::ReapedBy,
        ]
        .into_iter()
        .any(|kind| key.asks(kind));
    if lifecycle {
        let _ = writeln!(
            out,
            "\n## Lifecycle\n\n| Process | PID | Parent at exit | Exit status | Exited | Reaped | Reaped by |\n|---|---|---|---|---|---|---|"
        );
        for (label, row) in key.processes() {
            let label = md(label);
            let _ = writeln!(
                out,
                "| {label} | {} | {} | {} | {} | {} | {} |",
                row.pid,
                md(&key.label(Pid(row.ppid))),
                row.exit_code.map_or("-".into(), |c| c.to_string()),
                show(row.exited_at),
                show(row.reaped_at),
                row.reaped_by.map_or("-".into(), |p| md(&key.label(Pid(p))))
            );
        }
    }
    for (time, snapshot) in key.snapshots() {
        let _ = writeln!(out, "\n## At t={time}\n");
        for process in &snapshot.processes {
            let _ = writeln!(
                out,
                "- {} (parent {}): {}",
                md(&key.label(process.pid)),
                md(&key.label(process.ppid)),
                process.state.label()
            );
        }
    }
    out
}

/// The threads' own figures: each tick of a thread's life is on a CPU, ready, blocked or
/// waiting for its process's GIL.
fn threads_table(out: &mut String, key: &AnswerKey) {
    let show = |v: Option<u64>| v.map_or("-".to_string(), |v| v.to_string());
    let _ = writeln!(
        out,
        "\n### Per thread\n\n| Thread | Arrival | CPU | Blocked | GIL wait | Completion | \
         Turnaround = completion − arrival | Waiting = turnaround − CPU − blocked − GIL wait |\n\
         |---|---|---|---|---|---|---|---|"
    );
    for row in &key.report.threads {
        let turnaround = row.turnaround.unwrap_or(0);
        let blocked = turnaround.saturating_sub(row.waiting + row.cpu_time + row.gil_wait);
        let _ = writeln!(
            out,
            "| {}/{} | {} | {} | {blocked} | {} | {} | {} − {} = {} | {} − {} − {blocked} − {} = {} |",
            crate::text::markdown_text(&key.label(Pid(row.pid))),
            crate::text::markdown_text(&row.name),
            row.arrival,
            row.cpu_time,
            row.gil_wait,
            show(row.completion),
            show(row.completion),
            row.arrival,
            show(row.turnaround),
            show(row.turnaround),
            row.cpu_time,
            row.gil_wait,
            row.waiting,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rubric::Rubric;
    use crate::scenario::Scenario;

    fn solution(yaml: &str) -> String {
        let scenario = Scenario::from_yaml(yaml).unwrap();
        let key = AnswerKey::new(scenario, Rubric::default(), &[], 100_000).unwrap();
        markdown(&key)
    }

    /// The value of `a − b − c` or `(a + b) / n`, where the text is such a sum; `None` for
    /// anything else (a heading, a dash).
    fn evaluate(expression: &str) -> Option<f64> {
        let expression = expression.trim();
        if let Some((sum, count)) = expression.split_once(") / ") {
            let sum: f64 = sum
                .trim_start_matches('(')
                .split(" + ")
                .map(|term| term.trim().parse::<f64>().ok())
                .sum::<Option<f64>>()?;
            return Some(sum / count.trim().parse::<f64>().ok()?);
        }
        let mut terms = expression
            .split(" − ")
            .map(|t| t.trim().parse::<f64>().ok());
        let first = terms.next()??;
        terms.try_fold(first, |total, term| Some(total - term?))
    }

    /// Every `expression = value` in the text whose expression is arithmetic, checked.
    fn check_equations(text: &str) -> usize {
        let mut checked = 0;
        for line in text.lines() {
            // An average line, "- name = (a + b) / n = m", or a table row's cells.
            let pieces: Vec<&str> = match line.strip_prefix("- ") {
                Some(average) => average
                    .split_once(" = ")
                    .map(|(_, sum)| sum)
                    .into_iter()
                    .collect(),
                None => line.split('|').collect(),
            };
            for piece in pieces {
                let Some((expression, value)) = piece.rsplit_once(" = ") else {
                    continue;
                };
                let (Some(computed), Ok(value)) =
                    (evaluate(expression), value.trim().parse::<f64>())
                else {
                    continue;
                };
                assert!(
                    (computed - value).abs() < 0.01,
                    "{expression} is {computed}, not {value}, in\n{line}"
                );
                checked += 1;
            }
        }
        checked
    }

    /// Defect of issue 30: "Waiting = 6 − 12 − 0 = 2" for a process with threads on two CPUs.
    #[test]
    fn every_equation_holds_for_processes_with_threads() {
        let text = solution(
            "name: t\ncpus: 2\npolicy: fcfs\nprocesses:\n\
             - {name: app, program: [{spawn: {name: A, program: [{cpu: 6}]}}, {spawn: {name: B, program: [{cpu: 6}]}}, {join: A}, {join: B}]}\n\
             - {name: late, arrival: 1, program: [{cpu: 2}, {io: 3}, {cpu: 1}]}\n",
        );
        assert!(text.contains("| app | 0 | 12 (6 on a CPU) |"), "{text}");
        assert!(text.contains("### Per thread"), "{text}");
        assert!(check_equations(&text) >= 3 * 2 + 3 * 2 + 3, "{text}");
    }

    /// Defect of issue 30: "(4) / 3 = 4" when two of three processes never finish.
    #[test]
    fn averages_divide_by_the_processes_that_finished() {
        let text = solution(
            "name: d\ncpus: 2\npolicy: fcfs\nresources: [{name: L1}, {name: L2}]\nprocesses:\n\
             - {name: a, program: [{acquire: L1}, {cpu: 2}, {acquire: L2}]}\n\
             - {name: b, program: [{acquire: L2}, {cpu: 2}, {acquire: L1}]}\n\
             - {name: solo, program: [{cpu: 4}]}\n",
        );
        assert!(text.contains("- turnaround = (6) / 1 = 6"), "{text}");
        assert!(
            text.contains("2 processes never finished and are not in the averages."),
            "{text}"
        );
        check_equations(&text);
    }

    /// Names carry a scenario author's or a student's text: in the worked solution none may
    /// open a link, raw HTML, emphasis or a table cell, nor close the schedule's code fence.
    #[test]
    fn names_cannot_change_the_markdown() {
        let text = solution(
            "name: \"x|y <script>\"\npolicy: fcfs\nprocesses:\n\
             - {name: \"a|b\", burst: 2}\n- {name: \"[l](http://e) ```\", burst: 1}\n",
        );
        assert!(
            text.starts_with("# Answer key: x\\|y \\<script\\>\n"),
            "{text}"
        );
        // Outside the schedule's code block (where text is shown as it is), nothing raw.
        let fence_start = text.find("````text").unwrap();
        let fence_end = fence_start + 8 + text[fence_start + 8..].find("````").unwrap();
        let outside = format!("{}{}", &text[..fence_start], &text[fence_end + 4..]);
        assert!(
            !outside.contains("<script>") && !outside.contains("[l](http"),
            "{text}"
        );
        // Every row of the table has its 9 cells: no name adds one.
        let rows: Vec<&str> = text
            .lines()
            .filter(|l| l.starts_with("| a") || l.starts_with("| \\["))
            .collect();
        assert_eq!(rows.len(), 2, "{text}");
        for row in rows {
            let cells = row.replace("\\|", "").matches('|').count();
            assert_eq!(cells, 10, "{row}");
        }
        // The schedule's fence is longer than the name's backticks.
        assert!(text.contains("## Schedule\n\n````text\n"), "{text}");
        check_equations(&text);
    }
}
