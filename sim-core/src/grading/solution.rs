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
    let _ = writeln!(out, "# Answer key: {}\n", scenario.name);
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
    let _ = writeln!(
        out,
        "## Schedule\n\n```text\n{}```\n",
        gantt_text(&report.gantt, report.cpus)
    );
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
        let turnaround = row.turnaround.unwrap_or(0);
        let blocked = turnaround.saturating_sub(row.waiting + row.cpu_time);
        let _ = writeln!(
            out,
            "| {label} | {} | {} | {blocked} | {} | {} | {} − {} = {} | {} − {} − {blocked} = {} | {} − {} = {} |",
            row.arrival,
            row.cpu_time,
            show(row.first_run),
            show(row.completion),
            show(row.completion),
            row.arrival,
            show(row.turnaround),
            show(row.turnaround),
            row.cpu_time,
            row.waiting,
            show(row.first_run),
            row.arrival,
            show(row.response),
        );
    }
    let _ = writeln!(out, "\n## Averages\n");
    let n = report.processes.len();
    let sum = |values: Vec<u64>| {
        values
            .iter()
            .map(u64::to_string)
            .collect::<Vec<_>>()
            .join(" + ")
    };
    let rows = &report.processes;
    let _ = writeln!(
        out,
        "- turnaround = ({}) / {n} = {}",
        sum(rows.iter().filter_map(|r| r.turnaround).collect()),
        crate::text::maybe_number(report.averages.turnaround.map(round))
    );
    let _ = writeln!(
        out,
        "- waiting = ({}) / {n} = {}",
        sum(rows.iter().map(|r| r.waiting).collect()),
        crate::text::maybe_number(report.averages.waiting.map(round))
    );
    let _ = writeln!(
        out,
        "- response = ({}) / {n} = {}",
        sum(rows.iter().filter_map(|r| r.response).collect()),
        crate::text::maybe_number(report.averages.response.map(round))
    );
    let order: Vec<String> = key
        .completion_order()
        .into_iter()
        .map(|group| group.join(" = "))
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
            let _ = writeln!(
                out,
                "| {label} | {} | {} | {} | {} | {} | {} |",
                row.pid,
                key.label(Pid(row.ppid)),
                row.exit_code.map_or("-".into(), |c| c.to_string()),
                show(row.exited_at),
                show(row.reaped_at),
                row.reaped_by.map_or("-".into(), |p| key.label(Pid(p)))
            );
        }
    }
    for (time, snapshot) in key.snapshots() {
        let _ = writeln!(out, "\n## At t={time}\n");
        for process in &snapshot.processes {
            let _ = writeln!(
                out,
                "- {} (parent {}): {}",
                key.label(process.pid),
                key.label(process.ppid),
                process.state.label()
            );
        }
    }
    out
}
