//! Coroutines in a thread's event loop (docs/coroutines.md): the examples of the notes, the
//! rules as examples, and the invariants as properties (one coroutine at a time per thread, and
//! one only while the thread can run).

use crate::support::{report_of, scenario};
use proptest::prelude::*;
use sim_core::pcb::{BlockReason, ProcState};
use sim_core::{RunReport, Simulator};

fn lines(report: &RunReport) -> Vec<&str> {
    report.output.iter().map(|l| l.text.as_str()).collect()
}

#[test]
fn a_plain_sleep_blocks_every_coroutine_and_the_patch_parks_only_its_own() {
    let text = "name: g\npolicy: fcfs\nprocesses:\n\
        - {name: P, monkey_patch: PATCH, program: [{coroutine: {name: a, program: [{sleep: 5}, {print: a}]}}, \
           {coroutine: {name: b, program: [{cpu: 1}, {print: b}]}}, {await: a}, {await: b}]}\n";
    // Patched: a parks, b runs at once (0-1) and prints first.
    let patched = report_of(scenario(&text.replace("PATCH", "true")));
    assert_eq!(lines(&patched), ["b", "a"]);
    assert_eq!(patched.output[0].time, 1);
    // Not patched: a's sleep blocks the thread; b runs after a, 5-6.
    let blocking = report_of(scenario(&text.replace("PATCH", "false")));
    assert_eq!(lines(&blocking), ["a", "b"]);
    assert_eq!(blocking.output[1].time, 6);
}

#[test]
fn coroutine_rows_count_cpu_and_parked_time_and_mistakes_are_failed_steps() {
    let report = report_of(scenario(
        "name: c\npolicy: fcfs\nprocesses:\n\
         - {name: P, program: [{coroutine: {name: w, program: [{cpu: 3}, {async_sleep: 4}, {cpu: 2}]}}, \
            {coroutine: {name: w, program: [{cpu: 1}]}}, {await: nobody}, {await: w}]}\n",
    ));
    assert_eq!(report.coroutines.len(), 1);
    let w = &report.coroutines[0];
    assert_eq!((w.cpu_time, w.parked, w.completion), (5, 4, Some(9)));
    let errors: Vec<&str> = report.errors.iter().map(|e| e.message.as_str()).collect();
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(errors[0].contains("already has a coroutine called w"));
    assert!(errors[1].contains("no coroutine called nobody"));
}

#[test]
fn killing_a_process_drops_its_parked_coroutines() {
    let report = report_of(scenario(
        "name: k\npolicy: fcfs\ncpus: 2\nprocesses:\n\
         - {name: parent, program: [{fork: {name: c, program: [{coroutine: {name: s, program: [{async_sleep: 50}, {print: late}]}}, {await: s}]}}, \
            {cpu: 2}, {kill: c}, {wait: c}]}\n",
    ));
    assert!(report.output.is_empty());
    assert_eq!(report.makespan, 2);
    // s parked at 0 and was dropped with its thread at 2: it ended then, parked 2 ticks.
    let s = &report.coroutines[0];
    assert_eq!((s.parked, s.completion), (2, Some(2)));
}

/// A coroutine its thread leaves unfinished (the thread's program ends without awaiting it)
/// ends with the thread, and counts as parked until then.
#[test]
fn a_coroutine_left_parked_ends_with_its_thread() {
    let report = report_of(scenario(
        "name: t\npolicy: fcfs\nprocesses:\n\
         - {name: P, program: [{spawn: {name: T, program: [{coroutine: {name: s, program: [{async_sleep: 50}, {print: late}]}}, \
            {coroutine: {name: q, program: [{cpu: 1}]}}, {await: q}, {cpu: 3}]}}, {join: T}]}\n",
    ));
    assert!(report.output.is_empty(), "{:?}", report.output);
    let s = report.coroutines.iter().find(|c| c.name == "s").unwrap();
    assert_eq!((s.parked, s.completion, s.cpu_time), (4, Some(4), 0));
    // Seen mid-run, a parked coroutine has been parked since it parked.
    let mut simulator = sim_core::Simulator::new(scenario(
        "name: t\npolicy: fcfs\nprocesses:\n\
         - {name: P, program: [{coroutine: {name: s, program: [{async_sleep: 50}]}}, {await: s}]}\n",
    ));
    simulator.advance_to(sim_core::ids::Tick(6), 1000).unwrap();
    let s = &sim_core::RunReport::of(&simulator).coroutines[0];
    assert_eq!((s.parked, s.completion), (6, None));
}

/// A coroutine's work: CPU, yields, async sleeps, IO (blocking or patched).
fn work() -> impl Strategy<Value = Vec<String>> {
    proptest::collection::vec(
        prop_oneof![
            3 => (1u64..4).prop_map(|t| format!("{{cpu: {t}}}")),
            2 => Just("{yield: {}}".to_string()),
            2 => (1u64..5).prop_map(|t| format!("{{async_sleep: {t}}}")),
            1 => (1u64..5).prop_map(|t| format!("{{io: {t}}}")),
            1 => (1u64..5).prop_map(|t| format!("{{sleep: {t}}}")),
        ],
        1..5,
    )
}

prop_compose! {
    fn coroutine_yaml()(
        cpus in 1usize..3,
        switch_cost in 0u64..2,
        processes in proptest::collection::vec(
            (any::<bool>(), any::<bool>(), proptest::collection::vec(work(), 1..4), work()),
            1..3,
        ),
    ) -> String {
        let mut yaml = format!(
            "name: random coroutines\ncpus: {cpus}\npolicy: {{kind: rr, quantum: 2}}\nrules: {{coroutine_switch: {switch_cost}}}\nprocesses:\n"
        );
        for (index, (patch, gil, coroutines, own)) in processes.into_iter().enumerate() {
            let mut steps = Vec::new();
            for (k, work) in coroutines.iter().enumerate() {
                steps.push(format!("{{coroutine: {{name: c{k}, program: [{}]}}}}", work.join(", ")));
            }
            steps.extend(own);
            for k in 0..coroutines.len() {
                steps.push(format!("{{await: c{k}}}"));
            }
            // A thread of the process runs its own loop too.
            steps.insert(0, "{spawn: {name: T, program: [{coroutine: {name: t0, program: [{async_sleep: 2}, {cpu: 1}]}}, {yield: {}}, {await: t0}]}}".into());
            steps.push("{join: T}".into());
            yaml.push_str(&format!(
                "  - {{name: P{index}, monkey_patch: {patch}, gil: {gil}, program: [{}]}}\n",
                steps.join(", ")
            ));
        }
        yaml
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    /// At most one coroutine runs per thread, and only while the thread can run: a thread
    /// waiting in its loop runs none; every run finishes, the same way twice.
    #[test]
    fn one_coroutine_at_a_time_and_only_while_its_thread_runs(yaml in coroutine_yaml()) {
        let scenario = scenario(&yaml);
        let mut simulator = Simulator::new(scenario.clone());
        while simulator.step().is_some() {
            let snapshot = simulator.snapshot();
            for thread in snapshot.processes.iter() {
                let current = snapshot
                    .coroutines
                    .iter()
                    .filter(|c| c.tid == thread.pid && c.current)
                    .count();
                prop_assert!(current <= 1, "{} runs {} coroutines at t={}", &thread.name, current, snapshot.time.0);
                let running = snapshot.coroutines.iter().filter(|c| c.tid == thread.pid && c.state == "running").count();
                prop_assert_eq!(running, current);
                if thread.state == (ProcState::Blocked { reason: BlockReason::EventLoop }) {
                    prop_assert_eq!(current, 0, "a thread waiting in its loop runs nothing");
                }
                if thread.state.has_exited() {
                    prop_assert!(snapshot.coroutines.iter().all(|c| c.tid != thread.pid));
                }
            }
            prop_assert!(simulator.log().len() < 200_000, "runaway run");
        }
        prop_assert!(simulator.is_finished(), "stuck:\n{}", yaml);
        let mut again = Simulator::new(scenario);
        again.run_to_end(usize::MAX).unwrap();
        prop_assert_eq!(again.log(), simulator.log());
    }
}

/// docs/servers.md's table gives each server model's response times and CPU: the runs agree.
#[test]
fn the_server_comparison_in_the_docs_matches_the_runs() {
    let docs = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/servers.md"),
    )
    .unwrap();
    let mut checked = 0;
    for line in docs
        .lines()
        .filter(|l| l.starts_with('|') && l.contains(".yaml`"))
    {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        let file = cells[2].trim_matches('`');
        let times: Vec<u64> = cells[3].split(", ").map(|t| t.parse().unwrap()).collect();
        let cpu: u64 = cells[5].split_whitespace().next().unwrap().parse().unwrap();
        let path = crate::support::scenarios_dir().join("servers").join(file);
        let report = report_of(scenario(&std::fs::read_to_string(&path).unwrap()));
        let clients: Vec<u64> = report
            .processes
            .iter()
            .filter(|p| p.name.starts_with("client"))
            .map(|p| p.turnaround.unwrap())
            .collect();
        assert_eq!(clients, times, "{file}: response times");
        let server = report
            .processes
            .iter()
            .find(|p| p.name == "server")
            .unwrap();
        assert_eq!(server.cpu_time, cpu, "{file}: the server's CPU");
        checked += 1;
    }
    assert_eq!(checked, 6, "every server model of the table is checked");
}

/// A coroutine waiting in `select` on a socket, and another with 3 ticks of work, under the
/// given patch: when does the worker finish?
fn worker_done_with_select(patch: &str) -> u64 {
    let report = report_of(scenario(&format!(
        "name: s\npolicy: fcfs\nsockets: [{{name: s}}]\nprocesses:\n\
         - {{name: server, monkey_patch: {patch}, program: [\
            {{coroutine: {{name: poller, program: [{{select: [s], on: {{s: [{{recv: s}}, {{print: got}}]}}}}]}}}}, \
            {{coroutine: {{name: worker, program: [{{cpu: 3}}, {{print: worked}}]}}}}, \
            {{await: poller}}, {{await: worker}}]}}\n\
         - {{name: sender, arrival: 10, program: [{{send: s}}]}}\n"
    )));
    report
        .output
        .iter()
        .find(|l| l.text == "worked")
        .map(|l| l.time)
        .unwrap()
}

#[test]
fn a_patched_select_parks_only_its_greenlet_and_an_unpatched_one_blocks_the_thread() {
    // Patched: the poller parks, the worker runs 0-3.
    assert_eq!(worker_done_with_select("{modules: [select]}"), 3);
    assert_eq!(worker_done_with_select("true"), 3);
    // Not patched: the select blocks the thread until the message at 10.
    assert_eq!(worker_done_with_select("{modules: [time, socket, os]}"), 13);
    assert_eq!(worker_done_with_select("false"), 13);
}

#[test]
fn a_patched_recv_waits_for_its_message_and_then_takes_it() {
    let yaml = |patch: &str| {
        format!(
            "name: r\npolicy: fcfs\nsockets: [{{name: s}}]\nprocesses:\n\
             - {{name: server, monkey_patch: {patch}, program: [\
                {{coroutine: {{name: reader, program: [{{recv: s}}, {{print: got}}]}}}}, \
                {{coroutine: {{name: worker, program: [{{sleep: 2}}, {{print: slept}}]}}}}, \
                {{await: reader}}, {{await: worker}}]}}\n\
             - {{name: sender, arrival: 5, program: [{{send: s}}]}}\n"
        )
    };
    let at = |report: &RunReport, text: &str| {
        report
            .output
            .iter()
            .find(|l| l.text == text)
            .map(|l| l.time)
    };
    let patched = report_of(scenario(&yaml("{modules: [socket, time]}")));
    assert_eq!(at(&patched, "slept"), Some(2));
    assert_eq!(at(&patched, "got"), Some(5));
    // `socket` not patched: the reader's recv holds the thread until 5; the worker's patched
    // sleep starts only then.
    let unpatched = report_of(scenario(&yaml("{modules: [time]}")));
    assert_eq!(at(&unpatched, "got"), Some(5));
    assert_eq!(at(&unpatched, "slept"), Some(7));
}

#[test]
fn unknown_monkey_patch_modules_are_refused_where_they_stand() {
    let error = crate::support::load_error(
        "name: m\npolicy: fcfs\nprocesses:\n  - name: p\n    monkey_patch: {modules: [time, threading]}\n    program: [{cpu: 1}]\n",
        "m.yaml",
    );
    assert!(error.contains("m.yaml:5:"), "{error}");
    assert!(error.contains("unknown module `threading`"), "{error}");
}
