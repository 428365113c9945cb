//! The state at a time (`procsim run --at T`): CPUs, ready queue, devices, every process.

use crate::ids::Pid;
use crate::scenario::Scenario;
use crate::snapshot::Snapshot;
use crate::text::table;
use std::fmt::Write;

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
    if scenario.rules.cache.is_some() {
        for cpu in &snapshot.cpus {
            let _ = writeln!(out, "{} cache warm for: {}", cpu.cpu, names(&cpu.warm));
        }
    }
    if snapshot.ready_queues.len() == 1 {
        let _ = writeln!(out, "ready queue: {}", names(&snapshot.ready_queues[0]));
    } else if scenario.rules.scheduler.per_cpu_queues {
        for (cpu, queue) in snapshot.ready_queues.iter().enumerate() {
            let _ = writeln!(out, "ready queue of CPU{cpu}: {}", names(queue));
        }
    } else {
        let queue_names = scenario.policy.queue_names();
        for (level, queue) in snapshot.ready_queues.iter().enumerate() {
            match queue_names.as_ref().and_then(|n| n.get(level)) {
                Some(name) => {
                    let _ = writeln!(out, "ready queue {name}: {}", names(queue));
                }
                None => {
                    let _ = writeln!(out, "ready queue level {level}: {}", names(queue));
                }
            }
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
    for gil in &snapshot.gils {
        let holder = gil.holder.map_or("nobody".to_string(), name);
        let _ = writeln!(
            out,
            "GIL of {}: held by {holder}; waiting for the GIL {}",
            name(gil.pid),
            names(&gil.waiting)
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
        if queue.kind.is_message_channel() {
            let _ = writeln!(
                out,
                "{} {}: {} messages; waiting to receive {}",
                queue.kind.name(),
                queue.name,
                queue.items,
                names(&queue.waiting_to_get)
            );
            continue;
        }
        let _ = writeln!(
            out,
            "queue {}: {}; waiting to put {}; waiting to get {}",
            queue.name,
            queue.fill(),
            names(&queue.waiting_to_put),
            names(&queue.waiting_to_get)
        );
    }
    let _ = writeln!(out);
    let sched = super::sched_names(snapshot.processes.iter().map(|p| &p.sched));
    let mut headers = vec![
        "PID",
        "Name",
        "State",
        "Step",
        "Remaining",
        "CPU",
        "Waiting",
        "Blocked",
        "IO left",
    ];
    headers.extend(sched.iter().copied());
    let rows: Vec<Vec<String>> = snapshot
        .processes
        .iter()
        .map(|p| {
            let mut cells = vec![
                p.pid.to_string(),
                p.name.clone(),
                p.state_detail(scenario),
                p.step.clone(),
                p.remaining_ticks.to_string(),
                p.cpu_ticks.to_string(),
                p.ready_ticks.to_string(),
                p.blocked_ticks.to_string(),
                p.io_left.map_or(String::new(), |t| t.to_string()),
            ];
            cells.extend(super::sched_cells(&sched, &p.sched));
            cells
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
