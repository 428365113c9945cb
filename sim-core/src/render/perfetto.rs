//! The run in the Trace Event Format (JSON) that ui.perfetto.dev and chrome://tracing load:
//! one track per CPU with a slice per run of a process, one track per device with its IO, a
//! track of instants (arrivals, forks, exits, reaps, deadlocks), and flow arrows from each
//! wake-up to the dispatch that follows it. One tick is `tick_us` microseconds.

use crate::event::{Event, TimedEvent};
use crate::gantt;
use crate::ids::{Pid, Tick};
use crate::roster::Roster;
use crate::scenario::Scenario;
use serde_json::{Value, json};

/// The trace's `pid` (one "process": the simulated machine).
const MACHINE: u32 = 1;
/// The track of instants.
const EVENTS_TRACK: u32 = 0;

/// The track of CPU `cpu`.
fn cpu_track(cpu: usize) -> u32 {
    1 + cpu as u32
}

/// The track of device `device`.
fn device_track(device: usize) -> u32 {
    1000 + device as u32
}

/// The whole trace of a finished run, as JSON text.
pub fn perfetto_json(
    scenario: &Scenario,
    roster: &Roster,
    log: &[TimedEvent],
    end: Tick,
    tick_us: u64,
) -> String {
    let us = |t: Tick| t.0.saturating_mul(tick_us);
    let mut events: Vec<Value> = vec![json!({
        "ph": "M", "pid": MACHINE, "tid": EVENTS_TRACK, "name": "process_name",
        "args": {"name": format!("procsim: {}", scenario.name)}
    })];
    let mut name_track = |tid: u32, name: String, order: u32| {
        events.push(json!({"ph": "M", "pid": MACHINE, "tid": tid, "name": "thread_name", "args": {"name": name}}));
        events.push(json!({"ph": "M", "pid": MACHINE, "tid": tid, "name": "thread_sort_index", "args": {"sort_index": order}}));
    };
    name_track(EVENTS_TRACK, "events".into(), 0);
    for cpu in 0..scenario.cpus {
        name_track(cpu_track(cpu), format!("CPU{cpu}"), 1 + cpu as u32);
    }
    for (index, device) in scenario.devices.iter().enumerate() {
        let name = if index == 0 {
            "IO".to_string()
        } else {
            device.name.clone()
        };
        name_track(device_track(index), name, 1000 + index as u32);
    }
    // The CPU work each scenario process still had when each of its slices started.
    let mut used: Vec<u64> = Vec::new();
    for slice in gantt::derive(scenario, log, end) {
        let Some(pid) = slice.pid else { continue };
        let ran = slice.end.0 - slice.start.0;
        if used.len() <= pid.index() {
            used.resize(pid.index() + 1, 0);
        }
        let total = scenario
            .processes
            .get(pid.index())
            .map(|p| p.total_cpu_ticks());
        let mut args = json!({"pid": pid.0});
        if let Some(level) = slice.level {
            args["level"] = json!(level);
        }
        if let Some(total) = total {
            args["remaining"] = json!(total.saturating_sub(used[pid.index()]));
        }
        used[pid.index()] += ran;
        events.push(json!({
            "ph": "X", "pid": MACHINE, "tid": cpu_track(slice.cpu.0),
            "name": roster.name(pid), "ts": us(slice.start), "dur": ran.saturating_mul(tick_us),
            "args": args
        }));
    }
    for slice in gantt::device_slices(scenario, log, end) {
        events.push(json!({
            "ph": "X", "pid": MACHINE, "tid": device_track(slice.device.0),
            "name": roster.name(slice.pid), "ts": us(slice.start),
            "dur": (slice.end.0 - slice.start.0).saturating_mul(tick_us),
            "args": {"pid": slice.pid.0}
        }));
    }
    // Instants, and a flow from each wake-up to the next dispatch of the same process.
    let mut open_flows: Vec<(Pid, u64)> = Vec::new();
    let mut flow_id = 0u64;
    for TimedEvent { time, event } in log {
        let instant = match event {
            Event::Admit { pid } => Some(format!("{} arrives", roster.name(*pid))),
            Event::Fork { pid, name, .. } => Some(format!("{} forks {name}", roster.name(*pid))),
            Event::Exit { pid, code, .. } => Some(format!("{} exits ({code})", roster.name(*pid))),
            Event::Reap { pid, by, .. } => {
                Some(format!("{} reaps {}", roster.name(*by), roster.name(*pid)))
            }
            Event::Deadlock { processes, .. } => Some(format!(
                "deadlock: {}",
                processes
                    .iter()
                    .map(|&p| roster.name(p))
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
            _ => None,
        };
        if let Some(name) = instant {
            events.push(json!({
                "ph": "i", "pid": MACHINE, "tid": EVENTS_TRACK, "name": name, "ts": us(*time), "s": "t"
            }));
        }
        match event {
            Event::Wake { pid, .. } => {
                flow_id += 1;
                open_flows.retain(|(p, _)| p != pid);
                open_flows.push((*pid, flow_id));
                events.push(json!({
                    "ph": "s", "pid": MACHINE, "tid": EVENTS_TRACK, "name": "wake → dispatch",
                    "cat": "flow", "id": flow_id, "ts": us(*time)
                }));
            }
            Event::Dispatch { pid, cpu, .. } => {
                if let Some(at) = open_flows.iter().position(|(p, _)| p == pid) {
                    let (_, id) = open_flows.remove(at);
                    events.push(json!({
                        "ph": "f", "bp": "e", "pid": MACHINE, "tid": cpu_track(cpu.0),
                        "name": "wake → dispatch", "cat": "flow", "id": id, "ts": us(*time)
                    }));
                }
            }
            _ => {}
        }
    }
    let trace = json!({"traceEvents": events, "displayTimeUnit": "ms"});
    serde_json::to_string_pretty(&trace).unwrap_or_default() + "\n"
}
