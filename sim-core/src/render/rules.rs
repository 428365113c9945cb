//! The rules in force, for `--explain`: the same-tick order and the policy's rules.

use crate::scenario::Scenario;
use crate::text::ticks;
use std::fmt::Write;

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
    // The policy's one-line description, from the policy table.
    let _ = writeln!(
        out,
        "  {}: {}",
        scenario.policy.kind(),
        scenario.policy.spec().summary
    );
    let expired = if scenario.rules.preempted_before_arrivals {
        "before"
    } else {
        "after"
    };
    if let Some(preset) = scenario.rules.preset {
        let _ = writeln!(
            out,
            "  preset: {preset} (rules.preset): the conventions below that it sets are its source's, \
             unless the scenario writes them itself."
        );
    }
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
            "context switch: {} of idle CPU when a CPU starts {} (rules.context_switch{}{}).",
            ticks(scenario.rules.context_switch_ticks),
            match (
                scenario.rules.switch_on_redispatch,
                scenario.rules.first_dispatch_cost
            ) {
                (false, false) => "a process other than the one it ran last",
                (true, false) => "a process, even the one it ran last",
                (false, true) => {
                    "a process other than the one it ran last, and at its very first dispatch"
                }
                (true, true) => "a process, even the one it ran last or its very first",
            },
            if scenario.rules.switch_on_redispatch {
                ", rules.switch_on_redispatch"
            } else {
                ""
            },
            if scenario.rules.first_dispatch_cost {
                ", rules.first_dispatch_cost"
            } else {
                ""
            }
        ),
        if matches!(scenario.policy, crate::scenario::PolicyConfig::RealTime(_)) {
            "ties: by release, then by the order of the tasks in `tasks:` (background processes: \
             first come, first served)."
                .to_string()
        } else {
            "ties: by entry into the ready queue, then by scenario order.".to_string()
        },
        match scenario.rules.zero_time {
            crate::scenario::ZeroTime::OnCpu => {
                "zero time: a process runs its steps that take no time (fork, wait, kill, exit, \
                 acquire, print, ...) only while it holds a CPU, when it is dispatched or a burst \
                 of its own ends; one that arrives, is forked or wakes goes to the ready queue and \
                 runs them once dispatched; a lock, an item or a child's exit status is handed to \
                 a waiter at the instant it is released (rules.zero_time: on_cpu)."
            }
            crate::scenario::ZeroTime::Immediate => {
                "zero time: fork, wait (when it need not block), kill, exit and the other steps \
                 that take no time happen at the instant they are reached, on a CPU or not; a \
                 forked child becomes ready after its parent's own zero-time steps; a parent \
                 whose wait a child's exit ends goes on right after that exit \
                 (rules.zero_time: immediate)."
            }
        }
        .to_string(),
    ];
    let mut sync_rules = Vec::new();
    if let Some(realtime) = &scenario.realtime {
        sync_rules.push(format!(
            "deadlines: after the ends of running slices at t, a job still unfinished at its \
             deadline t misses it ({}), before the arrivals at t: a job that finishes at its \
             deadline meets it (tasks released before {}).",
            match realtime.on_miss {
                crate::scenario::OnMiss::Continue => "it runs on, late: on_miss: continue",
                crate::scenario::OnMiss::Abort => "it is aborted there: on_miss: abort",
            },
            realtime.horizon.0
        ));
    }
    if scenario.spawns() {
        sync_rules.push(format!(
            "threads: the policy schedules threads; spawn and join take no CPU of their own \
             (spawn costs {} of CPU, fork {}: rules.spawn_cost, rules.fork_cost); a switch \
             between two threads of one process costs {} of idle CPU (rules.thread_switch); a \
             process exits when its main thread's program and every non-daemon thread have ended.",
            ticks(scenario.rules.spawn_cost_ticks),
            ticks(scenario.rules.fork_cost_ticks),
            ticks(scenario.rules.thread_switch_ticks)
        ));
    }
    if scenario.processes.iter().any(|p| p.options.gil.is_some()) {
        sync_rules.push(
            "GIL: a thread of a GIL process is ready or running only while it holds the GIL; \
             the others wait for it first come, first served; the holder lets it go when it \
             blocks or ends, or, while others wait, once it has run its switch interval of CPU \
             since it took it, at its next switch point (switch_points: calls, CPython 3.10+: \
             a call, a loop's end or a tick of a cpu step, never inside bytecode steps; any: \
             before any further step)."
                .to_string(),
        );
    }
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
