//! The Unix lifecycle rules of docs/lifecycle.md, one test each: who is a zombie from when to
//! when, who adopts whom, who reaps whom, and with which exit status.

use crate::support::{report_of, run, scenario};
use sim_core::event::{ChildStep, Event};
use sim_core::pcb::ProcState;
use sim_core::report::ProcessRow;
use sim_core::{Pid, RunReport, Scenario, Simulator, Tick};

fn yaml(policy: &str, processes: &str) -> Scenario {
    scenario(&format!(
        "name: t\npolicy: {policy}\nprocesses:\n{processes}"
    ))
}

fn row<'a>(report: &'a RunReport, name: &str) -> &'a ProcessRow {
    report
        .processes
        .iter()
        .find(|row| row.name == name)
        .unwrap_or_else(|| panic!("no process {name}"))
}

/// (exited_at, reaped_at, reaped_by, exit_code, ppid) of `name`.
fn fate(report: &RunReport, name: &str) -> (u64, u64, u32, i32, u32) {
    let row = row(report, name);
    (
        row.exited_at.unwrap(),
        row.reaped_at.unwrap(),
        row.reaped_by.unwrap(),
        row.exit_code.unwrap(),
        row.ppid,
    )
}

fn state_at(scenario: &Scenario, time: u64, name: &str) -> Option<ProcState> {
    let mut simulator = Simulator::new(scenario.clone());
    simulator.advance_to(Tick(time), 100_000).unwrap();
    let snapshot = simulator.snapshot();
    snapshot
        .processes
        .iter()
        .find(|p| p.name == name)
        .map(|p| p.state)
}

#[test]
fn forked_children_take_the_next_pids_in_fork_order_and_inherit_the_priority() {
    let scenario = yaml(
        "fcfs",
        "- {name: A, priority: 4, program: [{fork: {name: a1, program: [{cpu: 1}]}}, {cpu: 1}]}\n\
         - {name: B, arrival: 5, program: [{fork: {name: b1, priority: 1, program: [{cpu: 1}]}}, {cpu: 1}]}\n",
    );
    let simulator = run(scenario);
    let pids: Vec<(String, u32, i64)> = simulator
        .snapshot()
        .processes
        .iter()
        .map(|p| (p.name.clone(), p.pid.0, p.priority))
        .collect();
    assert_eq!(
        pids,
        [
            ("A".to_string(), 2, 4),
            ("B".to_string(), 3, 0),
            ("a1".to_string(), 4, 4),
            ("b1".to_string(), 5, 1)
        ]
    );
    let report = RunReport::of(&simulator);
    assert_eq!(row(&report, "b1").arrival, 5, "a child arrives when forked");
}

#[test]
fn a_child_that_exits_first_is_a_zombie_until_its_parent_waits() {
    let scenario = yaml(
        "fcfs",
        "- {name: P, program: [{fork: {name: C, program: [{cpu: 1}, {exit: 7}]}}, {cpu: 4}, {wait: C}, {cpu: 1}]}\n",
    );
    // FCFS keeps P on the CPU 0-4; C runs when P blocks in its wait, and exits at 5 into the
    // waiting parent's hands: reaped at once, never a zombie for a tick.
    let report = report_of(scenario.clone());
    assert_eq!(fate(&report, "C"), (5, 5, 2, 7, 2));
    // With P busy in IO instead, C exits at 2 and stays a zombie until P's wait at 10.
    let scenario = yaml(
        "fcfs",
        "- {name: P, program: [{fork: {name: C, program: [{cpu: 1}, {exit: 7}]}}, {cpu: 1}, {io: 9}, {wait: C}]}\n",
    );
    let report = report_of(scenario.clone());
    assert_eq!(fate(&report, "C"), (2, 10, 2, 7, 2));
    assert_eq!(
        state_at(&scenario, 1, "C"),
        Some(ProcState::Running {
            cpu: sim_core::CpuId(0)
        })
    );
    assert_eq!(state_at(&scenario, 2, "C"), Some(ProcState::Zombie));
    assert_eq!(state_at(&scenario, 9, "C"), Some(ProcState::Zombie));
    assert_eq!(state_at(&scenario, 10, "C"), Some(ProcState::Terminated));
}

#[test]
fn a_parent_exiting_hands_living_and_zombie_children_to_init_which_reaps_zombies_at_once() {
    let scenario = yaml(
        "fcfs",
        "- name: P\n  program:\n\
         \x20   - fork: {name: quick, program: [{cpu: 1}, {exit: 2}]}\n\
         \x20   - fork: {name: slow, program: [{cpu: 5}]}\n\
         \x20   - io: 10\n",
    );
    // P blocks in IO at once. quick runs 0-1 and slow 1-6: both are zombies (P never waits)
    // until P exits at 10, when init adopts them and reaps them at once.
    let report = report_of(scenario);
    assert_eq!(fate(&report, "quick"), (1, 10, 1, 2, 2));
    assert_eq!(fate(&report, "slow"), (6, 10, 1, 0, 2));
    assert_eq!(fate(&report, "P"), (10, 10, 1, 0, 1));
}

#[test]
fn an_orphan_is_adopted_by_the_nearest_living_subreaper_else_init() {
    let chain = |subreaper: &str| {
        yaml(
            "fcfs",
            &format!(
                "- name: top\n  {subreaper}\n  program:\n\
                 \x20   - fork:\n\
                 \x20       name: mid\n\
                 \x20       program:\n\
                 \x20         - fork: {{name: leaf, program: [{{cpu: 3}}]}}\n\
                 \x20         - cpu: 1\n\
                 \x20   - io: 10\n\
                 \x20   - wait: any\n\
                 \x20   - wait: any\n"
            ),
        )
    };
    let report = report_of(chain("subreaper: true"));
    // mid exits at 1 and leaf (1-4) is adopted by top, whose two waits at 10 reap both.
    let (exited, reaped, by, _, ppid) = fate(&report, "leaf");
    assert_eq!((exited, reaped, by, ppid), (4, 10, 2, 2));
    let report = report_of(chain("subreaper: false"));
    let (exited, reaped, by, _, ppid) = fate(&report, "leaf");
    assert_eq!((exited, reaped, by, ppid), (4, 4, 1, 1));
}

#[test]
fn wait_for_a_child_that_does_not_exist_is_an_error_in_the_trace_and_the_process_goes_on() {
    let scenario = yaml(
        "fcfs",
        "- {name: P, program: [{wait: any}, {wait: ghost}, {kill: ghost}, {cpu: 2}]}\n",
    );
    let simulator = run(scenario);
    let failures: Vec<(ChildStep, String)> = simulator
        .log()
        .iter()
        .filter_map(|e| match &e.event {
            Event::NoSuchChild { step, target, .. } => Some((*step, target.clone())),
            _ => None,
        })
        .collect();
    assert_eq!(
        failures,
        [
            (ChildStep::Wait, "any".to_string()),
            (ChildStep::Wait, "ghost".to_string()),
            (ChildStep::Kill, "ghost".to_string())
        ]
    );
    let report = RunReport::of(&simulator);
    assert_eq!(report.errors.len(), 3);
    assert!(
        report.errors[1].message.contains("ECHILD"),
        "{:?}",
        report.errors
    );
    assert_eq!(row(&report, "P").completion, Some(2));
}

#[test]
fn kill_ends_a_child_with_status_minus_15_wherever_it_is_and_orphans_its_children() {
    // The victim is blocked on a device with one server: its request is cancelled and the
    // next request starts at once. P sleeps a tick so that V and G run (and queue on the disk).
    let scenario = scenario(
        "name: t\npolicy: fcfs\ndevices: [{name: disk, servers: 1}]\nprocesses:\n\
         - name: P\n  program:\n\
         \x20   - fork: {name: V, program: [{fork: {name: G, program: [{io: {device: disk, time: 5}}]}}, {io: {device: disk, time: 100}}]}\n\
         \x20   - sleep: 1\n\
         \x20   - cpu: 3\n\
         \x20   - kill: V\n\
         \x20   - kill: V\n\
         \x20   - cpu: 1\n\
         \x20   - wait: V\n",
    );
    let simulator = run(scenario);
    let report = RunReport::of(&simulator);
    // V is killed at 4 (its second kill is a no-op on a zombie), reaped by P's wait at 5.
    assert_eq!(fate(&report, "V"), (4, 5, 2, -15, 2));
    // G queued behind V on the disk: its service starts at 4, when V's request is cancelled.
    assert_eq!(fate(&report, "G"), (9, 9, 1, 0, 1));
    assert!(report.errors.is_empty(), "{:?}", report.errors);
}

#[test]
fn daemon_children_are_terminated_and_reaped_when_the_parents_program_ends_but_not_by_a_kill() {
    let scenario = scenario(
        "name: t\ncpus: 2\npolicy: fcfs\nprocesses:\n\
         - name: P\n  program:\n\
         \x20   - fork:\n\
         \x20       name: M\n\
         \x20       program:\n\
         \x20         - fork: {name: MD, daemon: true, program: [{io: 50}]}\n\
         \x20         - io: 100\n\
         \x20   - fork: {name: D, daemon: true, program: [{cpu: 50}]}\n\
         \x20   - sleep: 1\n\
         \x20   - cpu: 2\n\
         \x20   - kill: M\n\
         \x20   - cpu: 1\n",
    );
    let report = report_of(scenario);
    // P forks M and D and sleeps: M runs on CPU1, forks MD and waits for its IO; D runs on
    // CPU0 (0-50). P runs 1-3 on CPU1, kills M (no cleanup: M's daemon MD is orphaned, not
    // terminated), runs 3-4 and exits: its daemon D, still running, is terminated and reaped
    // by P; M, a zombie since 3, is reaped by init as P's orphan.
    assert_eq!(fate(&report, "D"), (4, 4, 2, -15, 2));
    assert_eq!(fate(&report, "M"), (3, 4, 1, -15, 2));
    assert_eq!(fate(&report, "MD"), (50, 50, 1, 0, 1));
}

#[test]
fn ignoring_sigchld_means_no_zombies_and_a_wait_that_fails_once_no_child_is_left() {
    let scenario = yaml(
        "fcfs",
        "- name: P\n  ignore_sigchld: true\n  program:\n\
         \x20   - fork: {name: C, program: [{cpu: 3}]}\n\
         \x20   - wait: C\n\
         \x20   - wait: C\n\
         \x20   - cpu: 1\n",
    );
    let simulator = run(scenario);
    let report = RunReport::of(&simulator);
    assert_eq!(fate(&report, "C"), (3, 3, 2, 0, 2));
    let log = simulator.log();
    assert!(log.iter().any(|e| matches!(
        e.event,
        Event::Wake {
            reason: sim_core::event::WakeReason::NoChildLeft,
            ..
        }
    )));
    // The first wait fails with ECHILD once C is gone; the second finds no child at all.
    assert_eq!(report.errors.len(), 2);
    assert_eq!(row(&report, "P").completion, Some(4));
}

#[test]
fn exit_ends_the_program_with_its_status() {
    let report = report_of(yaml(
        "fcfs",
        "- {name: P, program: [{cpu: 2}, {exit: 42}]}\n- {name: Q, burst: 1}\n",
    ));
    assert_eq!(fate(&report, "P"), (2, 2, 1, 42, 1));
    assert_eq!(fate(&report, "Q"), (3, 3, 1, 0, 1));
}

#[test]
fn a_fork_without_a_program_goes_on_with_the_parents_program_as_unix_fork_does() {
    // Round robin with a quantum of 1 and 3 ticks of work each: every process is forked and
    // tries its own forks before any exits (a process forks when it runs).
    let bombs = |forks: usize, limit: Option<usize>| {
        let limit = limit.map_or(String::new(), |l| format!("max_processes: {l}\n"));
        let steps = "{fork: {name: x}}, ".repeat(forks);
        scenario(&format!(
            "name: t\n{limit}policy: {{kind: rr, quantum: 1}}\nprocesses:\n- {{name: x, program: [{steps}{{cpu: 3}}]}}\n"
        ))
    };
    for forks in 0..5 {
        assert_eq!(report_of(bombs(forks, None)).processes.len(), 1 << forks);
    }
    let report = report_of(bombs(4, Some(8)));
    assert_eq!(report.processes.len(), 8);
    assert_eq!(report.errors.len(), 6);
    assert!(report.errors[0].message.contains("max_processes"));
    // The bomb is stopped, not the run: every process still runs its work and exits.
    assert!(
        report
            .processes
            .iter()
            .all(|p| p.cpu_time == 3 && p.reaped_by == Some(1))
    );
}

#[test]
fn lifecycle_mistakes_in_a_scenario_are_reported_with_their_field() {
    let error = |program: &str| {
        Scenario::from_yaml(&format!(
            "name: t\npolicy: fcfs\nprocesses:\n- {{name: P, program: {program}}}\n"
        ))
        .unwrap_err()
        .unlocated()
        .one_line("s.yaml")
    };
    assert_eq!(
        error("[{exit: 0}, {cpu: 1}]"),
        "s.yaml: processes[0].program[1]: this step is never reached: the program exits at step 0"
    );
    assert!(
        error("[{exit: 300}]")
            .contains("processes[0].program[0].exit: expected an exit status from 0 to 255")
    );
    assert!(
        error("[{fork: {name: any, program: [{cpu: 1}]}}]")
            .contains("program[0].fork.name: `any` is reserved")
    );
    assert!(
        error("[{fork: {name: c, program: []}}]")
            .contains("program[0].fork.program: expected at least one step")
    );
    assert!(error("[{fork: {name: c, colour: red}}]").starts_with("s.yaml:4:"));
    assert!(
        Scenario::from_yaml(
            "name: t\npolicy: fcfs\nmax_processes: 0\nprocesses: [{name: P, burst: 1}]"
        )
        .unwrap_err()
        .one_line("s.yaml")
        .contains("max_processes")
    );
}

#[test]
fn init_is_pid_1_and_never_a_process_of_the_table() {
    let simulator = run(yaml("fcfs", "- {name: P, burst: 1}\n"));
    assert!(
        simulator
            .snapshot()
            .processes
            .iter()
            .all(|p| p.pid != Pid::INIT)
    );
    assert_eq!(simulator.roster().name(Pid::INIT), "init");
}

#[test]
fn a_wait_failing_because_sigchld_is_ignored_is_a_failed_step_in_the_report() {
    let report = crate::support::report_of(crate::support::scenario(
        "name: s\npolicy: fcfs\nprocesses:\n\
         - {name: P, ignore_sigchld: true, program: [{fork: {name: C, program: [{cpu: 1}]}}, {wait: C}, {cpu: 1}]}\n",
    ));
    assert_eq!(report.errors.len(), 1, "{:?}", report.errors);
    assert!(report.errors[0].message.contains("ECHILD"));
}

/// The parent of each process living at `time`, by name.
fn parents_at(scenario: &Scenario, time: u64) -> Vec<(String, u32)> {
    let mut simulator = Simulator::new(scenario.clone());
    simulator.advance_to(Tick(time), 100_000).unwrap();
    simulator
        .snapshot()
        .processes
        .iter()
        .filter(|p| !p.state.has_exited())
        .map(|p| (p.name.clone(), p.ppid.0))
        .collect()
}

/// a (a subreaper) forks b, b forks c, c forks d; b exits at 3.
fn three_generations(orphans: &str) -> Scenario {
    scenario(&format!(
        "name: t\npolicy: fcfs\nrules: {{orphans: {orphans}}}\nprocesses:\n  - name: a\n    subreaper: true\n    program:\n      - fork:\n          name: b\n          program:\n            - fork:\n                name: c\n                program: [{{fork: {{name: d, program: [{{sleep: 9}}]}}}}, {{sleep: 9}}]\n            - sleep: 3\n      - sleep: 9\n"
    ))
}

#[test]
fn orphans_go_to_the_reaper_to_the_parent_or_with_their_whole_subtree() {
    // pids: a 2, b 3, c 4, d 5. At 4, b has exited.
    let reaper = parents_at(&three_generations("reaper"), 4);
    assert!(reaper.contains(&("c".into(), 2)) && reaper.contains(&("d".into(), 4)));
    let subtree = parents_at(&three_generations("subtree"), 4);
    assert!(subtree.contains(&("c".into(), 2)) && subtree.contains(&("d".into(), 2)));
    // Its parent is a: the same as the reaper here, but not a subreaper's rule.
    let parent = parents_at(&three_generations("parent"), 4);
    assert!(parent.contains(&("c".into(), 2)) && parent.contains(&("d".into(), 4)));
    let error = Scenario::from_yaml(
        "name: t\npolicy: fcfs\nrules: {orphans: grandparent}\nprocesses: [{name: a, burst: 1}]",
    )
    .unwrap_err()
    .to_string();
    assert!(error.contains("rules.orphans"), "{error}");
}

#[test]
fn local_reparenting_needs_no_subreaper() {
    // Without a subreaper, Unix hands c to init; `orphans: parent` hands it to a.
    let text = |orphans: &str| {
        format!(
            "name: t\npolicy: fcfs\nrules: {{orphans: {orphans}}}\nprocesses:\n  - name: a\n    program:\n      - fork: {{name: b, program: [{{fork: {{name: c, program: [{{sleep: 9}}]}}}}, {{sleep: 2}}]}}\n      - sleep: 9\n"
        )
    };
    assert!(parents_at(&scenario(&text("reaper")), 3).contains(&("c".into(), 1)));
    assert!(parents_at(&scenario(&text("parent")), 3).contains(&("c".into(), 2)));
}

#[test]
fn a_condition_on_children_counts_them() {
    // p forks c, then exits only if it has no children: it does not, and runs on.
    let scenario = yaml(
        "fcfs",
        "  - name: p\n    program: [{fork: {name: c, program: [{sleep: 5}]}}, {if: {children: {eq: 0}}, then: [{exit: 7}]}, {cpu: 2}]\n",
    );
    let report = report_of(scenario);
    assert_eq!(row(&report, "p").exit_code, Some(0));
    assert_eq!(row(&report, "p").completion, Some(2));
}

#[test]
fn forks_result_is_the_childs_pid_in_the_parent_and_0_in_the_child() {
    let report = crate::support::report_of(crate::support::scenario(
        "name: f\npolicy: fcfs\nprocesses:\n\
         - {name: P, program: [{set_reg: 7}, {fork: {name: C, result: reg}}, {print: \"{pid} got {reg}\"}]}\n\
         - {name: Q, program: [{set_reg: 7}, {fork: {name: D}}, {print: \"{pid} kept {reg}\"}]}\n",
    ));
    let lines: Vec<&str> = report.output.iter().map(|l| l.text.as_str()).collect();
    // P is pid 2, Q 3, C 4, D 5; without `result` the child keeps the parent's register.
    assert_eq!(lines, ["2 got 4", "3 kept 7", "4 got 0", "5 kept 7"]);
    let error = crate::support::load_error(
        "name: f\npolicy: fcfs\nprocesses:\n  - name: P\n    program:\n      - fork: {name: C, result: pid}\n",
        "f.yaml",
    );
    assert!(error.contains("f.yaml:6:"), "{error}");
    assert!(error.contains("expected `reg`"), "{error}");
}

#[test]
fn a_stopped_child_keeps_the_rest_of_its_burst_and_shows_t_until_sigcont() {
    let scenario = crate::support::scenario(
        "name: s\npolicy: fcfs\ncpus: 2\nprocesses:\n\
         - {name: sh, program: [{fork: {name: job, program: [{cpu: 10}]}}, {sleep: 4}, \
            {signal: {to: job, sig: SIGSTOP}}, {sleep: 5}, {signal: {to: job, sig: SIGCONT}}, \
            {signal: {to: job, sig: SIGCONT}}, {wait: job}]}\n",
    );
    let report = crate::support::report_of(scenario.clone());
    let job = report.processes.iter().find(|p| p.name == "job").unwrap();
    // 4 ticks, stopped 5, then the 6 left: done at 15, 10 ticks of CPU in all.
    assert_eq!(job.completion, Some(15));
    assert_eq!(job.cpu_time, 10);
    let mut simulator = sim_core::Simulator::new(scenario);
    simulator
        .advance_to(sim_core::Tick(6), sim_core::engine::DEFAULT_MAX_EVENTS)
        .unwrap();
    let ps = sim_core::ps::ps_rows(&simulator.snapshot(), false);
    let row = ps.iter().find(|row| row.name == "job").unwrap();
    assert_eq!(row.stat, "T");
    assert_eq!(row.state, "stopped");
}

#[test]
fn sigkill_and_sigusr1_terminate_and_nice_shows_in_stat_and_orders_priority() {
    let report = crate::support::report_of(crate::support::scenario(
        "name: k\npolicy: {kind: priority, priority_from: nice}\ncpus: 1\nprocesses:\n\
         - {name: low, nice: 10, program: [{cpu: 2}, {print: low}]}\n\
         - {name: high, nice: -10, program: [{fork: {name: c, program: [{sleep: 50}]}}, \
            {fork: {name: d, nice: 19, program: [{sleep: 50}]}}, {signal: {to: c, sig: SIGKILL}}, \
            {signal: {to: d, sig: SIGUSR1}}, {wait: c}, {wait: d}, {print: 'high {c.exitcode} {d.exitcode}'}]}\n",
    ));
    let lines: Vec<&str> = report.output.iter().map(|l| l.text.as_str()).collect();
    assert_eq!(lines, ["high -9 -10", "low"]);
}

#[test]
fn signal_steps_are_checked_where_they_stand() {
    for (yaml, expected) in [
        (
            "processes:\n  - name: m\n    program:\n      - signal: {to: c, sig: SIGHUP}\n",
            "unknown signal `SIGHUP`, expected one of SIGSTOP, SIGCONT, SIGTERM, SIGKILL, SIGUSR1",
        ),
        (
            "processes:\n  - name: m\n    program:\n      - on_signal: {sig: SIGKILL, steps: [{print: x}]}\n",
            "SIGKILL cannot be caught",
        ),
        (
            "processes:\n  - name: m\n    nice: 20\n    program: [{cpu: 1}]\n",
            "expected a nice value from -20 to 19, got 20",
        ),
    ] {
        let error = crate::support::load_error(&format!("name: q\npolicy: fcfs\n{yaml}"), "q.yaml");
        assert!(error.contains(expected), "{yaml}: {error}");
    }
    let error = crate::support::load_error(
        "name: q\npolicy: {kind: priority, priority_from: nice}\nprocesses:\n  - {name: m, priority: 3, program: [{cpu: 1}]}\n",
        "q.yaml",
    );
    assert!(error.contains("give `nice`"), "{error}");
}

#[test]
fn a_stopped_child_orphaned_by_its_parent_is_hung_up() {
    let report = crate::support::report_of(crate::support::scenario(
        "name: h\npolicy: fcfs\ncpus: 2\nprocesses:\n\
         - {name: sh, program: [{fork: {name: job, program: [{cpu: 10}]}}, {cpu: 2}, \
            {signal: {to: job, sig: SIGSTOP}}, {cpu: 1}]}\n",
    ));
    let job = report.processes.iter().find(|p| p.name == "job").unwrap();
    // Stopped at 2; its parent exits at 3: SIGHUP then SIGCONT end it (status -1).
    assert_eq!(job.completion, Some(3));
    assert_eq!(job.exit_code, Some(-1));
}

#[test]
fn a_signal_already_pending_absorbs_the_same_signal_sent_again() {
    let report = crate::support::report_of(crate::support::scenario(
        "name: p\npolicy: fcfs\ncpus: 2\nprocesses:\n\
         - {name: sh, program: [{fork: {name: c, program: [\
              {on_signal: {sig: SIGUSR1, steps: [{print: handled}]}}, {sleep: 5}, {print: done}]}}, \
            {sleep: 1}, {signal: {to: c, sig: SIGUSR1}}, {signal: {to: c, sig: SIGUSR1}}, \
            {signal: {to: c, sig: SIGUSR1}}, {wait: c}]}\n",
    ));
    let lines: Vec<&str> = report.output.iter().map(|l| l.text.as_str()).collect();
    // Three sent while c sleeps: one pending SIGUSR1, one handler run (signal(7)).
    assert_eq!(lines, ["handled", "done"]);
}
