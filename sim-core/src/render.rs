//! Text renderings for terminals: the report, the trace, the state at a time, the rules.
//! Pure functions from values to strings; printing is the caller's business.

use crate::event::TimedEvent;
use crate::gantt::GanttSlice;
use crate::ids::{CpuId, Pid};
use crate::report::RunReport;
use crate::roster::Roster;
use crate::scenario::Scenario;
use crate::snapshot::Snapshot;
use std::fmt::Write;

/// Widest Gantt chart, in characters, before it wraps onto more rows.
const GANTT_WIDTH: usize = 72;

/// The human report: a Gantt chart per CPU, the process table and the summary.
pub fn report_text(report: &RunReport) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{} — {}", report.scenario, report.policy);
    let _ = writeln!(out);
    out.push_str(&gantt_text(&report.gantt, report.cpus));
    let _ = writeln!(out);
    let headers = [
        "Process",
        "PID",
        "Arrival",
        "CPU",
        "First run",
        "Completion",
        "Turnaround",
        "Waiting",
        "Response",
    ];
    let opt = |v: Option<u64>| v.map_or("-".to_string(), |v| v.to_string());
    let rows: Vec<Vec<String>> = report
        .processes
        .iter()
        .map(|p| {
            vec![
                p.name.clone(),
                p.pid.to_string(),
                p.arrival.to_string(),
                p.cpu_time.to_string(),
                opt(p.first_run),
                opt(p.completion),
                opt(p.turnaround),
                p.waiting.to_string(),
                opt(p.response),
            ]
        })
        .collect();
    out.push_str(&table(&headers, &rows));
    let a = &report.averages;
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "Average turnaround {}  waiting {}  response {}",
        number(a.turnaround),
        number(a.waiting),
        number(a.response)
    );
    let _ = writeln!(
        out,
        "Makespan {}  CPU utilisation {:.1}%  throughput {} per tick  context switches {}",
        report.makespan,
        report.cpu_utilization * 100.0,
        number(report.throughput),
        report.context_switches
    );
    out.push_str(&lifecycle_text(report));
    out
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
        let opt = |v: Option<u64>| v.map_or("-".to_string(), |v| v.to_string());
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
                    opt(p.exited_at),
                    p.exit_code.map_or("-".to_string(), |c| c.to_string()),
                    zombie,
                    opt(p.reaped_at),
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
        let _ = writeln!(out, "Failed steps ({}):", report.errors.len());
        for error in &report.errors {
            let _ = writeln!(out, "  t={}: {}", error.time, error.message);
        }
    }
    for deadlock in &report.deadlocks {
        let _ = writeln!(out);
        let _ = writeln!(
            out,
            "DEADLOCK at t={}: {} wait for each other and none can go on.",
            deadlock.time,
            deadlock.processes.join(", ")
        );
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
        let cycle = crate::event::cycle_arrows(cycle);
        let _ = writeln!(out, "  cycle: {cycle}");
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

/// A number as a person writes it: integers without decimals, others to 2 places.
pub fn number(value: f64) -> String {
    if value.fract() == 0.0 {
        format!("{value:.0}")
    } else {
        format!("{value:.2}")
    }
}

/// An ASCII Gantt chart, one lane per CPU, e.g.
/// ```text
/// CPU0 |P1                      |P2 |P3 |
///      0                        24  27  30
/// ```
/// Each slice is at least wide enough for its label; long charts wrap onto more rows.
pub fn gantt_text(slices: &[GanttSlice], cpus: usize) -> String {
    let mut out = String::new();
    for cpu in 0..cpus {
        let lane: Vec<&GanttSlice> = slices.iter().filter(|s| s.cpu == CpuId(cpu)).collect();
        let Some(end) = lane.last().map(|s| s.end.0) else {
            continue;
        };
        let label = format!("CPU{cpu}");
        let labelled: Vec<(String, String, u64)> = lane
            .iter()
            .map(|slice| {
                let name = slice.name.clone().unwrap_or_else(|| "-".to_string());
                (name, slice.start.0.to_string(), slice.end.0 - slice.start.0)
            })
            .collect();
        let widths_at = |scale: f64| -> Vec<usize> {
            labelled
                .iter()
                .map(|(name, stamp, ticks)| {
                    let scaled = (*ticks as f64 * scale).round() as usize;
                    scaled.max(name.len() + 1).max(stamp.len() + 1)
                })
                .collect()
        };
        // Shrink the scale until the lane fits (or no scale is left: then it wraps).
        let mut scale = (GANTT_WIDTH as f64 / end.max(1) as f64).min(4.0);
        let mut widths = widths_at(scale);
        while widths.iter().map(|w| w + 1).sum::<usize>() > GANTT_WIDTH && scale > 1e-9 {
            scale *= 0.9;
            widths = widths_at(scale);
        }
        let mut cells: Vec<(String, String)> = Vec::new();
        for ((name, stamp, _), width) in labelled.iter().zip(widths) {
            cells.push((
                format!("|{name:<width$}", width = width),
                format!("{stamp:<width$}", width = width + 1),
            ));
        }
        // Wrap into rows no wider than the chart width.
        let mut row_bar = String::new();
        let mut row_time = String::new();
        let indent = " ".repeat(label.len() + 1);
        let mut first = true;
        let flush = |bar: &str, time: &str, first: bool, out: &mut String, last: Option<u64>| {
            let head = if first { &label } else { &indent[1..] };
            let mut bar = bar.to_string();
            let mut time = time.to_string();
            if let Some(end) = last {
                bar.push('|');
                time = format!("{}{}", time.trim_end(), {
                    let pad = bar.len().saturating_sub(time.trim_end().len() + 1);
                    format!("{}{end}", " ".repeat(pad))
                });
            } else {
                bar.push('|');
            }
            let _ = writeln!(out, "{head} {bar}");
            let _ = writeln!(out, "{indent}{}", time.trim_end());
        };
        for (bar, time) in &cells {
            if !row_bar.is_empty() && row_bar.len() + bar.len() > GANTT_WIDTH {
                flush(&row_bar, &row_time, first, &mut out, None);
                first = false;
                row_bar.clear();
                row_time.clear();
            }
            row_bar.push_str(bar);
            row_time.push_str(time);
        }
        flush(&row_bar, &row_time, first, &mut out, Some(end));
    }
    out
}

/// The event log, one event per line: time, kind, and the event in words.
/// `roster` names the processes (the run's, which may have forked before `log` starts).
pub fn trace_text(scenario: &Scenario, roster: &Roster, log: &[TimedEvent]) -> String {
    let mut out = String::new();
    for TimedEvent { time, event } in log {
        let _ = writeln!(
            out,
            "{:>6}  {:<9} {}",
            time.0,
            event.verb(),
            event.describe(scenario, roster)
        );
    }
    out
}

/// The rules in force, for `--explain`: the same-tick order and the policy's rules.
pub fn rules_text(scenario: &Scenario, policy_rules: &[String]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Rules in force ({}, {} CPU{}):",
        scenario.policy.describe(),
        scenario.cpus,
        if scenario.cpus == 1 { "" } else { "s" }
    );
    let expired = if scenario.rules.preempted_before_arrivals {
        "before"
    } else {
        "after"
    };
    let engine_rules = [
        "same tick: at each time t the engine applies, in order: (1) context switches that end at t, \
         (2) the ends of running slices, CPU by CPU (exit, IO issue, quantum expiry), (3) arrivals in \
         scenario order, (4) IO completions in the order the IOs were issued, (5) dispatch: idle \
         CPUs, lowest number first, take the policy's choice, then preemptions."
            .to_string(),
        format!(
            "same tick: a process whose quantum expired at t re-enters the ready queue {expired} the \
             processes that arrive or wake at t (rules.preempted_before_arrivals: {}).",
            scenario.rules.preempted_before_arrivals
        ),
        format!(
            "context switch: {} of idle CPU when a CPU starts a process other than the one it ran \
             last (rules.context_switch).",
            ticks(scenario.rules.context_switch_ticks)
        ),
        "ties: by entry into the ready queue, then by scenario order.".to_string(),
        "zero time: fork, wait (when it need not block), kill and exit happen at the instant they \
         are reached; a forked child becomes ready after its parent's own zero-time steps; a parent \
         whose wait a child's exit ends goes on right after that exit."
            .to_string(),
    ];
    let mut sync_rules = Vec::new();
    if !scenario.sync.is_empty() {
        sync_rules.push(
            "synchronisation: acquire, release, set, clear, put and get take no time; a process \
             that must wait blocks and gives up its CPU; waiters are served first come, first \
             served; a process that exits releases what it holds."
                .to_string(),
        );
    }
    if scenario.uses_resources() {
        let deadlock = &scenario.sync.deadlock;
        sync_rules.push(if deadlock.detect {
            format!(
                "deadlock: detected whenever a process blocks on a resource (multi-instance \
                 detection algorithm, cycle from the smallest pid); recovery: {}.",
                match deadlock.recover {
                    crate::scenario::Recovery::None =>
                        "none: the deadlocked processes stay blocked and the run ends when nothing can move",
                    crate::scenario::Recovery::AbortOne =>
                        "abort_one: abort the process with the lowest priority (largest number), then the youngest, and check again",
                    crate::scenario::Recovery::AbortAll =>
                        "abort_all: abort every process of the deadlock",
                    crate::scenario::Recovery::Preempt =>
                        "preempt: take the victim's resources (lowest priority, then youngest) and roll it back to the acquire of the oldest one",
                }
            )
        } else {
            "deadlock: detection is off.".to_string()
        });
        if deadlock.avoid == crate::scenario::Avoidance::Banker {
            sync_rules.push(
                "avoidance: banker's algorithm; a request waits while granting it would leave an \
                 unsafe state (claims from each process's `max`)."
                    .to_string(),
            );
        }
    }
    for rule in policy_rules.iter().chain(&engine_rules).chain(&sync_rules) {
        out.push_str(&bullet(rule, 96));
    }
    out
}

/// `n tick` or `n ticks`.
pub fn ticks(n: u64) -> String {
    if n == 1 {
        "1 tick".to_string()
    } else {
        format!("{n} ticks")
    }
}

/// `text` as a bullet point wrapped at `width` columns, continuation lines indented.
fn bullet(text: &str, width: usize) -> String {
    let mut out = String::new();
    let mut line = String::from("  -");
    for word in text.split_whitespace() {
        if line.len() + 1 + word.len() > width && line.trim() != "-" {
            out.push_str(&line);
            out.push('\n');
            line = String::from("   ");
        }
        line.push(' ');
        line.push_str(word);
    }
    out.push_str(&line);
    out.push('\n');
    out
}

/// The state at the snapshot's time: CPUs, ready queue, devices and every process.
pub fn snapshot_text(scenario: &Scenario, snapshot: &Snapshot) -> String {
    let name = |pid: Pid| snapshot.name(pid).to_string();
    let names = |pids: &[Pid]| {
        if pids.is_empty() {
            "(empty)".to_string()
        } else {
            pids.iter().map(|&p| name(p)).collect::<Vec<_>>().join(" ")
        }
    };
    let mut out = String::new();
    let _ = writeln!(out, "t={}", snapshot.time.0);
    for cpu in &snapshot.cpus {
        let what = match (cpu.running, cpu.switching_to) {
            (Some(pid), _) => name(pid),
            (None, Some(pid)) => format!("(switching to {})", name(pid)),
            (None, None) => "(idle)".to_string(),
        };
        let _ = writeln!(out, "{}: {what}", cpu.cpu);
    }
    if snapshot.ready_queues.len() == 1 {
        let _ = writeln!(out, "ready queue: {}", names(&snapshot.ready_queues[0]));
    } else {
        for (level, queue) in snapshot.ready_queues.iter().enumerate() {
            let _ = writeln!(out, "ready queue level {level}: {}", names(queue));
        }
    }
    for device in &snapshot.devices {
        if device.in_service.is_empty() && device.waiting.is_empty() {
            continue;
        }
        let _ = writeln!(
            out,
            "device {}: serving {}; waiting {}",
            device.name,
            names(&device.in_service),
            names(&device.waiting)
        );
    }
    for resource in &snapshot.sync.resources {
        let holders: Vec<String> = resource
            .holders
            .iter()
            .map(|&(pid, count)| with_count(&name(pid), count))
            .collect();
        let waiters: Vec<String> = resource
            .waiters
            .iter()
            .map(|&(pid, count)| with_count(&name(pid), count))
            .collect();
        let _ = writeln!(
            out,
            "resource {}: {} of {} free; held by {}; waiting {}",
            resource.name,
            resource.available,
            resource.instances,
            list_or_none(&holders),
            list_or_none(&waiters)
        );
    }
    for event in &snapshot.sync.events {
        let _ = writeln!(
            out,
            "event {}: {}; waiting {}",
            event.name,
            if event.set { "set" } else { "clear" },
            names(&event.waiters)
        );
    }
    for queue in &snapshot.sync.queues {
        let _ = writeln!(
            out,
            "queue {}: {} of {} items; waiting to put {}; waiting to get {}",
            queue.name,
            queue.items,
            queue.capacity,
            names(&queue.waiting_to_put),
            names(&queue.waiting_to_get)
        );
    }
    let _ = writeln!(out);
    let headers = [
        "PID",
        "Name",
        "State",
        "Step",
        "Remaining",
        "CPU",
        "Waiting",
        "Blocked",
    ];
    let rows: Vec<Vec<String>> = snapshot
        .processes
        .iter()
        .map(|p| {
            vec![
                p.pid.to_string(),
                p.name.clone(),
                p.state_detail(scenario),
                p.step.clone(),
                p.remaining_ticks.to_string(),
                p.cpu_ticks.to_string(),
                p.ready_ticks.to_string(),
                p.blocked_ticks.to_string(),
            ]
        })
        .collect();
    out.push_str(&table(&headers, &rows));
    out
}

fn with_count(name: &str, count: u64) -> String {
    if count == 1 {
        name.to_string()
    } else {
        format!("{name}×{count}")
    }
}

fn list_or_none(items: &[String]) -> String {
    if items.is_empty() {
        "(none)".to_string()
    } else {
        items.join(" ")
    }
}

/// A plain table with columns padded to their widest cell.
pub fn table(headers: &[&str], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let line = |cells: Vec<String>| {
        let padded: Vec<String> = cells
            .iter()
            .zip(&widths)
            .map(|(cell, &width)| format!("{cell:<width$}"))
            .collect();
        padded.join("  ").trim_end().to_string() + "\n"
    };
    let mut out = line(headers.iter().map(|h| h.to_string()).collect());
    out.push_str(&line(widths.iter().map(|&w| "-".repeat(w)).collect()));
    for row in rows {
        out.push_str(&line(row.clone()));
    }
    out
}

/// The Gantt chart as a standalone SVG image: one lane per CPU, a time axis, idle in grey.
pub fn gantt_svg(slices: &[GanttSlice], cpus: usize, title: &str) -> String {
    const LANE: f64 = 34.0;
    const LEFT: f64 = 60.0;
    const WIDTH: f64 = 900.0;
    let end = slices.iter().map(|s| s.end.0).max().unwrap_or(1).max(1) as f64;
    let scale = (WIDTH - LEFT - 20.0) / end;
    let height = 40.0 + cpus as f64 * (LANE + 8.0) + 30.0;
    let mut out = String::new();
    let _ = writeln!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" font-family="sans-serif" font-size="12">"#
    );
    let _ = writeln!(
        out,
        r#"<text x="10" y="20" font-size="15" font-weight="bold">{}</text>"#,
        escape(title)
    );
    for slice in slices {
        let x = LEFT + slice.start.0 as f64 * scale;
        let w = (slice.end.0 - slice.start.0) as f64 * scale;
        let y = 32.0 + slice.cpu.0 as f64 * (LANE + 8.0);
        let (fill, label) = match (&slice.name, slice.pid) {
            (Some(name), Some(pid)) => (svg_colour(pid), name.as_str()),
            _ => ("#dddddd".to_string(), ""),
        };
        let _ = writeln!(
            out,
            r#"<rect x="{x:.2}" y="{y:.2}" width="{w:.2}" height="{LANE}" fill="{fill}" stroke="black" stroke-width="0.5"/>"#
        );
        if !label.is_empty() && w > 7.0 * label.len() as f64 {
            let _ = writeln!(
                out,
                r#"<text x="{:.2}" y="{:.2}" text-anchor="middle" dominant-baseline="middle">{}</text>"#,
                x + w / 2.0,
                y + LANE / 2.0,
                escape(label)
            );
        }
    }
    for cpu in 0..cpus {
        let y = 32.0 + cpu as f64 * (LANE + 8.0) + LANE / 2.0;
        let _ = writeln!(
            out,
            r#"<text x="10" y="{y:.2}" dominant-baseline="middle">CPU{cpu}</text>"#
        );
    }
    let axis = 32.0 + cpus as f64 * (LANE + 8.0) + 4.0;
    let mut boundaries: Vec<u64> = slices.iter().flat_map(|s| [s.start.0, s.end.0]).collect();
    boundaries.sort_unstable();
    boundaries.dedup();
    let mut last_x = f64::NEG_INFINITY;
    for t in boundaries {
        let x = LEFT + t as f64 * scale;
        if x - last_x < 24.0 {
            continue; // keep labels readable
        }
        last_x = x;
        let _ = writeln!(
            out,
            r#"<text x="{x:.2}" y="{:.2}" text-anchor="middle">{t}</text>"#,
            axis + 12.0
        );
    }
    out.push_str("</svg>\n");
    out
}

fn svg_colour(pid: Pid) -> String {
    const COLOURS: [&str; 12] = [
        "#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442", "#9467bd",
        "#8c564b", "#7f7f7f", "#bcbd22", "#17becf",
    ];
    COLOURS[(pid.0 as usize).wrapping_sub(2) % COLOURS.len()].to_string()
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// A file-name-safe version of a name: lowercase ASCII letters and digits joined by dashes
/// (`problem` when nothing is left).
pub fn slug(name: &str) -> String {
    let lower: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let slug = lower
        .split('-')
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    if slug.is_empty() {
        "problem".into()
    } else {
        slug
    }
}
