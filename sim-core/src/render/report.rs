//! The human report of a run: the Gantt chart, the process table, the summary, the
//! lifecycle table and the failed steps.

use super::gantt::gantt_text;
use crate::ids::Pid;
use crate::measures;
use crate::report::RunReport;
use crate::text::{maybe_number, number, table};
use std::fmt::Write;

/// The human report: a Gantt chart per CPU, the process table and the summary.
pub fn report_text(report: &RunReport) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{} — {}", report.scenario, report.policy);
    let _ = writeln!(out);
    out.push_str(&gantt_text(&report.gantt, report.cpus));
    let _ = writeln!(out);
    let columns = measures::pick(
        measures::PROCESS,
        &[
            "name",
            "pid",
            "arrival",
            "cpu_time",
            "first_run",
            "completion",
            "turnaround",
            "waiting",
            "response",
        ],
    );
    // The policy's own values (CFS's vruntime) as more columns.
    let sched = super::sched_names(report.processes.iter().map(|row| &row.sched));
    let rows: Vec<Vec<String>> = report
        .processes
        .iter()
        .map(|row| {
            let mut cells = measures::cells(&columns, row);
            cells.extend(super::sched_cells(&sched, &row.sched));
            cells
        })
        .collect();
    let mut headings = measures::headings(&columns);
    headings.extend(sched.iter().copied());
    out.push_str(&table(&headings, &rows));
    let _ = writeln!(out);
    out.push_str(&threads_text(report));
    out.push_str(&jobs_text(report));
    out.push_str(&totals_text(report));
    out.push_str(&values_text(report));
    out.push_str(&lifecycle_text(report));
    out
}

/// What the programs printed, the pools' tasks, and the final values of the variables.
fn values_text(report: &RunReport) -> String {
    let mut out = String::new();
    if !report.tasks.is_empty() {
        let headers = [
            "Task",
            "Pool",
            "Submitted by",
            "Queued",
            "Started",
            "Finished",
            "Worker",
        ];
        let rows: Vec<Vec<String>> = report
            .tasks
            .iter()
            .map(|t| {
                vec![
                    t.task.to_string(),
                    t.pool.clone(),
                    t.submitted_by.clone(),
                    t.queued.to_string(),
                    dash(t.started),
                    dash(t.finished),
                    t.worker.map_or("-".to_string(), |w| w.to_string()),
                ]
            })
            .collect();
        let _ = writeln!(out);
        let _ = writeln!(out, "Pool tasks:");
        out.push_str(&table(&headers, &rows));
    }
    if !report.coroutines.is_empty() {
        let headers = [
            "Coroutine",
            "PID",
            "TID",
            "Created",
            "Completion",
            "CPU",
            "Parked",
        ];
        let rows: Vec<Vec<String>> = report
            .coroutines
            .iter()
            .map(|c| {
                vec![
                    c.name.clone(),
                    c.pid.to_string(),
                    c.tid.to_string(),
                    c.created.to_string(),
                    dash(c.completion),
                    c.cpu_time.to_string(),
                    c.parked.to_string(),
                ]
            })
            .collect();
        let _ = writeln!(out);
        let _ = writeln!(out, "Coroutines:");
        out.push_str(&table(&headers, &rows));
    }
    if !report.output.is_empty() {
        let _ = writeln!(out);
        let _ = writeln!(out, "Output:");
        for line in &report.output {
            let _ = writeln!(out, "  t={} {}: {}", line.time, line.name, line.text);
        }
        not_kept_line(&mut out, report.not_kept.output, "line");
    }
    if !report.stderr.is_empty() {
        let _ = writeln!(out);
        let _ = writeln!(out, "Standard error:");
        for line in &report.stderr {
            let _ = writeln!(out, "  t={} {}: {}", line.time, line.name, line.text);
        }
        not_kept_line(&mut out, report.not_kept.stderr, "line");
    }
    if !report.variables.is_empty() {
        let _ = writeln!(out);
        let values: Vec<String> = report
            .variables
            .iter()
            .map(|(name, value)| format!("{name} = {value}"))
            .collect();
        let _ = writeln!(out, "Variables at the end: {}", values.join(", "));
    }
    out
}

/// A figure the run never got to is a dash.
fn dash(value: Option<u64>) -> String {
    value.map_or("-".to_string(), |v| v.to_string())
}

/// The jobs of the periodic tasks, with their deadlines and whether they met them.
fn jobs_text(report: &RunReport) -> String {
    let Some(misses) = report.deadline_misses else {
        return String::new();
    };
    let headers = [
        "Task", "Job", "Release", "Start", "Finish", "Deadline", "Response", "Missed",
    ];
    let rows: Vec<Vec<String>> = report
        .jobs
        .iter()
        .map(|job| {
            vec![
                job.task.clone(),
                job.job.to_string(),
                job.release.to_string(),
                dash(job.start),
                dash(job.finish),
                job.deadline.to_string(),
                dash(job.response),
                // A met deadline is left blank: the misses stand out.
                if job.missed { job.missed_word() } else { "" }.to_string(),
            ]
        })
        .collect();
    format!(
        "Jobs ({misses} deadline {}):\n{}\n",
        if misses == 1 { "miss" } else { "misses" },
        table(&headers, &rows)
    )
}

/// The threads table, when some process had more than one thread.
fn threads_text(report: &RunReport) -> String {
    if report.threads.is_empty() {
        return String::new();
    }
    let columns = measures::pick(
        measures::THREAD,
        &[
            "name",
            "process",
            "pid",
            "tid",
            "arrival",
            "cpu_time",
            "first_run",
            "completion",
            "turnaround",
            "waiting",
            "response",
            "gil_wait",
        ],
    );
    let rows: Vec<Vec<String>> = report
        .threads
        .iter()
        .map(|row| measures::cells(&columns, row))
        .collect();
    format!(
        "Threads:\n{}\n",
        table(&measures::headings(&columns), &rows)
    )
}

/// `procsim run --summary`: the scenario and policy, then the averages and totals only.
pub fn summary_text(report: &RunReport) -> String {
    let finished = report
        .processes
        .iter()
        .filter(|p| p.completion.is_some())
        .count();
    format!(
        "{} — {}\n{} of {} processes finished\n{}",
        report.scenario,
        report.policy,
        finished,
        report.processes.len(),
        totals_text(report)
    )
}

/// The averages and the totals, two lines.
fn totals_text(report: &RunReport) -> String {
    let a = &report.averages;
    // The averages cover the finished processes; say so when some did not finish.
    let over = if a.finished < report.processes.len() {
        format!(
            " (over the {} of {} processes that finished)",
            a.finished,
            report.processes.len()
        )
    } else {
        String::new()
    };
    let thread_switches = report
        .thread_switches
        .map(|n| format!("  thread switches {n}"))
        .unwrap_or_default();
    format!(
        "Average turnaround {}  waiting {}  response {}{over}\n\
         Makespan {}  CPU utilisation {:.1}%  throughput {} per tick  context switches {}{}\n",
        maybe_number(a.turnaround),
        maybe_number(a.waiting),
        maybe_number(a.response),
        report.makespan,
        report.cpu_utilization * 100.0,
        number(report.throughput),
        report.context_switches,
        thread_switches
    )
}

/// The lifecycle table (who was whose child, exit status, who reaped whom and when) and the
/// steps that failed, when the run has more to tell than "init reaped everyone at exit".
fn lifecycle_text(report: &RunReport) -> String {
    let mut out = String::new();
    let ordinary = |p: &crate::report::ProcessRow| {
        p.ppid == Pid::INIT.0
            && p.exit_code.is_none_or(|code| code == 0)
            && p.reaped_by.is_none_or(|by| by == Pid::INIT.0)
            && p.reaped_at == p.exited_at
    };
    if !report.processes.iter().all(ordinary) {
        let name_of = |pid: u32| {
            if pid == Pid::INIT.0 {
                "init".to_string()
            } else {
                report
                    .processes
                    .iter()
                    .find(|p| p.pid == pid)
                    .map_or_else(|| pid.to_string(), |p| format!("{}({pid})", p.name))
            }
        };
        let headers = [
            "Process",
            "PID",
            "PPID",
            "Exited",
            "Exit code",
            "Zombie",
            "Reaped",
            "Reaped by",
        ];
        let rows: Vec<Vec<String>> = report
            .processes
            .iter()
            .map(|p| {
                let zombie = match (p.exited_at, p.reaped_at) {
                    (Some(exit), Some(reap)) if reap > exit => format!("{exit}-{reap}"),
                    (Some(exit), None) => format!("{exit}-"),
                    _ => "-".to_string(),
                };
                vec![
                    p.name.clone(),
                    p.pid.to_string(),
                    p.ppid.to_string(),
                    dash(p.exited_at),
                    p.exit_code.map_or("-".to_string(), |c| c.to_string()),
                    zombie,
                    dash(p.reaped_at),
                    p.reaped_by.map_or("-".to_string(), name_of),
                ]
            })
            .collect();
        let _ = writeln!(out);
        let _ = writeln!(out, "Lifecycle (PPID = the parent when it exited):");
        out.push_str(&table(&headers, &rows));
    }
    if !report.errors.is_empty() {
        let _ = writeln!(out);
        let _ = writeln!(
            out,
            "Failed steps ({}):",
            report.errors.len() as u64 + report.not_kept.errors
        );
        for error in &report.errors {
            let _ = writeln!(out, "  t={}: {}", error.time, error.message);
        }
        not_kept_line(&mut out, report.not_kept.errors, "failed step");
    }
    for deadlock in &report.deadlocks {
        let _ = writeln!(out);
        if let [alone] = &deadlock.processes[..] {
            let _ = writeln!(
                out,
                "DEADLOCK at t={}: {alone} waits for itself and cannot go on.",
                deadlock.time
            );
        } else {
            let _ = writeln!(
                out,
                "DEADLOCK at t={}: {} wait for each other and none can go on.",
                deadlock.time,
                deadlock.processes.join(", ")
            );
        }
        // Each process waits for the next resource, held by the process after it.
        let cycle = &deadlock.cycle;
        for (index, pair) in cycle.chunks(2).enumerate() {
            if let [process, resource] = pair {
                let holder = cycle.get(2 * index + 2).unwrap_or(&cycle[0]);
                let _ = writeln!(
                    out,
                    "  {process} waits for {resource}, and {resource} is held by {holder};"
                );
            }
        }
        let cycle = crate::narrate::cycle_arrows(cycle);
        let _ = writeln!(out, "  cycle: {cycle}");
    }
    for held in &report.held_by_dead {
        let _ = writeln!(out);
        let _ = writeln!(
            out,
            "STUCK on a lock held by a dead process: {} is held by {}, which was terminated \
             holding it, and nobody will ever release it; waiting for it forever: {} (not a \
             deadlock: no cycle).",
            held.resource,
            held.holder,
            held.waiting.join(", ")
        );
    }
    if !report.stuck.is_empty() {
        let _ = writeln!(out);
        let _ = writeln!(
            out,
            "The run ended with {} still blocked: no process can progress.",
            report.stuck.join(", ")
        );
    }
    out
}

/// "… and N more lines, counted but not kept" under a list the report cut.
fn not_kept_line(out: &mut String, count: u64, what: &str) {
    if count > 0 {
        let _ = writeln!(
            out,
            "  … and {count} more {what}{}, counted but not kept (a report keeps the first {})",
            if count == 1 { "" } else { "s" },
            crate::report::MAX_LINES_KEPT
        );
    }
}
