//! Values, Python's runtime, pools and the IPC toolbox (docs/python.md): the rules as examples.

use crate::support::{report_of, scenario};
use sim_core::answer::Answer;
use sim_core::grading::grade_answer;

fn lines(report: &sim_core::RunReport) -> Vec<&str> {
    report.output.iter().map(|l| l.text.as_str()).collect()
}

#[test]
fn map_waits_for_every_copy_and_pool_misuse_is_a_failed_step() {
    let report = report_of(scenario(
        "name: m\ncpus: 2\npolicy: fcfs\npools: [{name: p, workers: 2}]\nprocesses:\n\
         - {name: main, program: [{join_pool: p}, {map: {pool: p, count: 5, task: [{cpu: 2}]}}, {print: mapped}, \
            {close: p}, {apply_async: {pool: p, task: [{cpu: 1}]}}, {join_pool: p}, {print: joined}]}\n",
    ));
    assert_eq!(lines(&report), ["mapped", "joined"]);
    // 5 two-tick tasks on 2 workers: 2 + 2 + 1 rounds.
    assert_eq!(report.output[0].time, 6);
    assert_eq!(report.tasks.len(), 5);
    let workers: std::collections::BTreeSet<u32> =
        report.tasks.iter().filter_map(|t| t.worker).collect();
    assert_eq!(workers.len(), 2, "two workers serve every task");
    let errors: Vec<&str> = report.errors.iter().map(|e| e.message.as_str()).collect();
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(errors[0].contains("still running"));
    assert!(errors[1].contains("the pool is closed"));
}

#[test]
fn a_pool_pays_the_fork_cost_of_its_workers_at_first_use() {
    let report = report_of(scenario(
        "name: m\ncpus: 2\npolicy: fcfs\nrules: {fork_cost: 3}\npools: [{name: p, workers: 2}]\nprocesses:\n\
         - {name: main, program: [{apply: {pool: p, task: [{cpu: 1}]}}, {apply: {pool: p, task: [{cpu: 1}]}}]}\n",
    ));
    // 6 ticks of forks, then the first task 6-7, the second 7-8.
    let finished: Vec<Option<u64>> = report.tasks.iter().map(|t| t.finished).collect();
    assert_eq!(finished, [Some(7), Some(8)]);
}

#[test]
fn output_and_variables_are_graded_line_by_line_and_name_by_name() {
    let exercise = sim_core::exercise::Exercise::from_yaml(
        "name: g\npolicy: fcfs\nshared: {n: 0}\nglobals: {x: 5}\nprocesses:\n\
         - {name: A, program: [{set_reg: 3}, {write: n}, {print: one}, {print: \"n={n}\"}]}\n\
         grading: {output: 1, variables: 1}\n",
    )
    .unwrap();
    let key = sim_core::grading::AnswerKey::of_exercise(&exercise, 10_000)
        .unwrap()
        .unwrap();
    let answer: Answer =
        serde_json::from_str(r#"{"output": ["one", "n=4"], "variables": {"n": 3, "A.x": 6}}"#)
            .unwrap();
    let graded = grade_answer("student", &answer, &key);
    let scores: Vec<(String, f64)> = graded
        .items
        .iter()
        .map(|item| (item.question.clone(), item.points))
        .collect();
    assert_eq!(
        scores,
        [
            ("output.1".to_string(), 1.0),
            ("output.2".to_string(), 0.0),
            ("variables.A.x".to_string(), 0.0),
            ("variables.n".to_string(), 1.0),
        ]
    );
}

#[test]
fn a_blocked_get_with_a_timeout_gets_the_item_if_it_comes_in_time() {
    let report = report_of(scenario(
        "name: t\ncpus: 2\npolicy: fcfs\nqueues: [{name: q}]\nprocesses:\n\
         - {name: late, program: [{cpu: 4}, {set_reg: 9}, {put: {queue: q, value: reg}}]}\n\
         - {name: waiter, program: [{get: {queue: q, timeout: 5}, else: [{print: gave up}]}, {print: \"got {reg}\"}]}\n",
    ));
    assert_eq!(lines(&report), ["got 9"]);
    assert_eq!(report.output[0].time, 4);
}

#[test]
fn a_reentrant_lock_is_taken_again_by_its_holder_and_released_as_often() {
    let report = report_of(scenario(
        "name: r\ncpus: 2\npolicy: fcfs\nresources: [{name: R, reentrant: true}]\nprocesses:\n\
         - {name: A, program: [{acquire: R}, {acquire: R}, {cpu: 2}, {release: R}, {cpu: 2}, {release: R}]}\n\
         - {name: B, arrival: 1, program: [{acquire: R}, {print: B in}, {release: R}]}\n",
    ));
    // B gets R only after A's second release, at 4.
    assert_eq!(report.output[0].time, 4);
}

#[test]
fn scenarios_without_values_print_no_output_variables_or_tasks() {
    let report = report_of(scenario(
        "name: s\npolicy: fcfs\nprocesses: [{name: A, burst: 2}]\n",
    ));
    let json = serde_json::to_value(&report).unwrap();
    for field in ["output", "variables", "tasks", "held_by_dead"] {
        assert!(json.get(field).is_none(), "{field}");
    }
}

#[test]
fn select_runs_the_branch_of_each_readable_socket_in_list_order() {
    let report = report_of(scenario(
        "name: s\ncpus: 2\npolicy: fcfs\nsockets: [{name: a}, {name: b}, {name: c}]\nprocesses:\n\
         - {name: peer, program: [{cpu: 2}, {set_reg: 7}, {send: {socket: b, value: reg}}, {send: c}]}\n\
         - {name: server, program: [{select: [a, b, c], on: {a: [{print: a}], c: [{recv: c}, {print: c}], b: [{recv: b}, {print: \"b {reg}\"}]}}, \
            {recv: {socket: a, block: false}, else: [{print: EAGAIN}]}]}\n",
    ));
    assert_eq!(lines(&report), ["b 7", "c", "EAGAIN"]);
    assert_eq!(report.output[0].time, 2);
}

#[test]
fn select_pays_per_watched_socket_and_epoll_per_ready_one() {
    let run = |call: &str, rules: &str| {
        report_of(scenario(&format!(
            "name: s\npolicy: fcfs\nrules: {rules}\nsockets: [{{name: a}}, {{name: b}}, {{name: c}}, {{name: d}}]\nprocesses:\n\
             - {{name: peer, program: [{{send: a}}]}}\n\
             - {{name: server, program: [{{{call}: [a, b, c, d], on: {{a: [{{recv: a}}]}}}}]}}\n"
        )))
    };
    let select = run("select", "{select_cost: 2}");
    let epoll = run("epoll_wait", "{epoll_cost: 2}");
    let server_cpu = |r: &sim_core::RunReport| {
        r.processes
            .iter()
            .find(|p| p.name == "server")
            .unwrap()
            .cpu_time
    };
    assert_eq!(server_cpu(&select), 8, "4 watched sockets x 2");
    assert_eq!(server_cpu(&epoll), 2, "1 ready socket x 2");
}

/// An epoll_wait's set is fixed when it finds sockets ready; one that becomes readable while
/// it pays for that set is returned by the next call, which pays for it.
#[test]
fn epoll_returns_the_set_it_paid_for() {
    let report = report_of(scenario(
        "name: e
cpus: 2
policy: fcfs
rules: {epoll_cost: 2}
sockets: [{name: a}, {name: b}]
processes:
         - {name: peer, program: [{send: a}, {cpu: 2}, {send: b}]}
         - {name: server, program: [{cpu: 1},             {epoll_wait: [a, b], on: {a: [{recv: a}, {print: a}], b: [{recv: b}, {print: b}]}},             {epoll_wait: [a, b], on: {a: [{recv: a}, {print: a}], b: [{recv: b}, {print: b}]}}]}
",
    ));
    // At 1 only a is readable: the call pays 2 for it (1-3) while b arrives at 2.
    let printed: Vec<(u64, &str)> = report
        .output
        .iter()
        .map(|line| (line.time, line.text.as_str()))
        .collect();
    assert_eq!(printed, [(3, "a"), (5, "b")]);
    let server = report
        .processes
        .iter()
        .find(|p| p.name == "server")
        .unwrap();
    assert_eq!(server.cpu_time, 5, "1 + one socket x 2, twice");
}

mod properties {
    use proptest::prelude::*;
    use sim_core::{RunReport, Simulator};

    /// Work for a task or a program: CPU, IO, value steps, a loop, a branch.
    fn work() -> impl Strategy<Value = Vec<String>> {
        proptest::collection::vec(
            prop_oneof![
                3 => (1u64..4).prop_map(|t| format!("{{cpu: {t}}}")),
                1 => (0u64..4).prop_map(|t| format!("{{io: {t}}}")),
                2 => Just("{read: x}, {add: 1}, {write: x}".to_string()),
                1 => (1u64..3).prop_map(|n| format!("{{repeat: {n}, steps: [{{read: s}}, {{cpu: 1}}, {{add: 1}}, {{write: s}}]}}")),
                1 => (-1i64..3).prop_map(|v| format!("{{if: {{reg: {{lt: {v}}}}}, then: [{{print: \"lt {{reg}}\"}}], else: [{{cpu: 1}}]}}")),
                1 => Just("{put: {queue: q, value: reg}}, {get: {queue: q, block: false}, else: [{print: empty}]}".to_string()),
            ],
            1..4,
        )
    }

    prop_compose! {
        fn pool_yaml()(
            cpus in 1usize..4,
            workers in 1usize..4,
            runtime in prop_oneof![Just("posix"), Just("python")],
            submissions in proptest::collection::vec((0u8..3, work()), 1..5),
            own in work(),
        ) -> String {
            let mut steps: Vec<String> = Vec::new();
            for (kind, task) in &submissions {
                let task = task.join(", ");
                steps.push(match kind {
                    0 => format!("{{apply: {{pool: p, task: [{task}]}}}}"),
                    1 => format!("{{apply_async: {{pool: p, task: [{task}], callback: [{{print: cb}}]}}}}"),
                    _ => format!("{{map: {{pool: p, count: 2, task: [{task}]}}}}"),
                });
            }
            steps.extend(own);
            steps.push("{close: p}".into());
            steps.push("{join_pool: p}".into());
            format!(
                "name: random pool\ncpus: {cpus}\npolicy: {{kind: rr, quantum: 2}}\nruntime: {runtime}\n\
                 globals: {{x: 0}}\nshared: {{s: 0}}\nqueues: [{{name: q}}]\npools: [{{name: p, workers: {workers}}}]\n\
                 processes:\n  - {{name: main, program: [{}]}}\n",
                steps.join(", ")
            )
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

        /// Every task submitted runs once, on a worker, after it was queued; every process
        /// ends; the run is deterministic.
        #[test]
        fn pools_run_every_task_once_and_finish(yaml in pool_yaml()) {
            let scenario = crate::support::scenario(&yaml);
            let mut simulator = Simulator::new(scenario.clone());
            simulator.run_to_end(200_000).unwrap();
            prop_assert!(simulator.is_finished(), "stuck:\n{}", yaml);
            let report = RunReport::of(&simulator);
            for task in &report.tasks {
                let (started, finished) = (task.started.unwrap(), task.finished.unwrap());
                prop_assert!(task.queued <= started && started <= finished);
                prop_assert!(task.worker.is_some());
            }
            let mut again = Simulator::new(scenario);
            again.run_to_end(200_000).unwrap();
            prop_assert_eq!(again.log(), simulator.log());
        }
    }
}

/// `runtime: python`: a daemonic process may not have children (multiprocessing's
/// "daemonic processes are not allowed to have children"); the failed step is listed.
#[test]
fn a_daemonic_process_may_not_fork_under_the_python_runtime() {
    let yaml = |runtime: &str| {
        format!(
            "name: d\npolicy: fcfs\ncpus: 2\nruntime: {runtime}\nprocesses:\n\
             - {{name: main, program: [{{fork: {{name: logger, daemon: true, program: \
                [{{fork: {{name: helper, program: [{{cpu: 1}}]}}}}, {{cpu: 2}}]}}}}, {{wait: logger}}]}}\n"
        )
    };
    let python = report_of(scenario(&yaml("python")));
    assert_eq!(python.errors.len(), 1, "{:?}", python.errors);
    assert!(
        python.errors[0]
            .message
            .contains("daemonic processes are not allowed to have children")
    );
    assert!(!python.processes.iter().any(|p| p.name == "helper"));
    let posix = report_of(scenario(&yaml("posix")));
    assert!(posix.errors.is_empty(), "{:?}", posix.errors);
    assert!(posix.processes.iter().any(|p| p.name == "helper"));
}

fn process<'r>(report: &'r sim_core::RunReport, name: &str) -> &'r sim_core::report::ProcessRow {
    report
        .processes
        .iter()
        .find(|p| p.name == name)
        .unwrap_or_else(|| panic!("no process {name}"))
}

fn stderr(report: &sim_core::RunReport) -> Vec<String> {
    report
        .stderr
        .iter()
        .map(|l| format!("{}: {}", l.name, l.text))
        .collect()
}

/// `runtime: python`: a failed step raises; uncaught, the thread's later steps do not run,
/// its exception goes to stderr and a main thread's process exits with code 1.
#[test]
fn an_uncaught_failure_ends_the_python_process_with_exit_code_1() {
    let yaml = |runtime: &str| {
        format!(
            "name: d\npolicy: fcfs\ncpus: 2\nruntime: {runtime}\nprocesses:\n\
             - {{name: main, program: [{{fork: {{name: logger, program: [{{join: never_started}}, {{print: after}}]}}}}, \
                {{wait: logger}}, {{print: parent}}]}}\n"
        )
    };
    let python = report_of(scenario(&yaml("python")));
    assert_eq!(lines(&python), ["parent"]);
    assert_eq!(process(&python, "logger").exit_code, Some(1));
    assert_eq!(
        stderr(&python),
        ["logger: RuntimeError: cannot join thread before it is started"]
    );
    assert_eq!(python.errors.len(), 1, "the failed step is still listed");
    // posix: a failed call returns an error and the program goes on.
    let posix = report_of(scenario(&yaml("posix")));
    assert_eq!(lines(&posix), ["after", "parent"]);
    assert_eq!(process(&posix, "logger").exit_code, Some(0));
    assert!(posix.stderr.is_empty());
}

#[test]
fn a_daemonic_process_forking_raises_assertion_error() {
    let report = report_of(scenario(
        "name: d\npolicy: fcfs\nruntime: python\nprocesses:\n\
         - {name: main, program: [{fork: {name: logger, daemon: true, program: [{fork: {name: h, program: [{cpu: 1}]}}, {cpu: 2}]}}, {wait: logger}]}\n",
    ));
    assert_eq!(
        stderr(&report),
        ["logger: AssertionError: daemonic processes are not allowed to have children"]
    );
    // Its `cpu: 2` never runs.
    assert_eq!(process(&report, "logger").cpu_time, 0);
    assert_eq!(process(&report, "logger").exit_code, Some(1));
}

#[test]
fn try_catches_a_raise_and_goes_on_after_its_except_leaving_the_loops_inside_it() {
    let report = report_of(scenario(
        "name: t\npolicy: fcfs\nruntime: python\nprocesses:\n\
         - {name: main, program: [{repeat: 3, steps: [{try: [{repeat: 2, steps: [{join: nobody}, {print: never}]}], \
            except: [{print: caught}]}, {print: after}]}, {print: done}]}\n",
    ));
    assert_eq!(
        lines(&report),
        [
            "caught", "after", "caught", "after", "caught", "after", "done"
        ]
    );
    assert!(report.stderr.is_empty());
    assert_eq!(process(&report, "main").exit_code, Some(0));
    // Nothing raised: the `except` steps are skipped.
    let quiet = report_of(scenario(
        "name: t\npolicy: fcfs\nruntime: python\nprocesses:\n\
         - {name: main, program: [{try: [{cpu: 1}], except: [{print: caught}]}, {print: after}]}\n",
    ));
    assert_eq!(lines(&quiet), ["after"]);
}

#[test]
fn an_uncaught_raise_in_a_thread_ends_only_the_thread() {
    let report = report_of(scenario(
        "name: t\npolicy: fcfs\nruntime: python\nprocesses:\n\
         - {name: main, program: [{spawn: {name: T, program: [{join: T}, {print: never}]}}, {join: T}, {join: T}, {print: main}]}\n",
    ));
    // Joining a thread already joined returns at once in Python: no failure.
    assert_eq!(lines(&report), ["main"]);
    assert_eq!(
        stderr(&report),
        ["main/T: RuntimeError: cannot join current thread"]
    );
    assert_eq!(report.errors.len(), 1, "{:?}", report.errors);
    assert_eq!(process(&report, "main").exit_code, Some(0));
}

#[test]
fn a_main_thread_that_raises_exits_with_1_after_its_threads_and_children() {
    let report = report_of(scenario(
        "name: t\npolicy: fcfs\ncpus: 2\nruntime: python\nprocesses:\n\
         - {name: main, program: [{spawn: {name: T, program: [{cpu: 5}, {print: thread}]}}, \
            {fork: {name: child, program: [{cpu: 7}]}}, {wait: nobody}, {print: never}]}\n",
    ));
    assert_eq!(lines(&report), ["thread"]);
    assert_eq!(
        stderr(&report),
        ["main: AssertionError: can only join a started process"]
    );
    let main = process(&report, "main");
    assert_eq!(main.exit_code, Some(1));
    // Python's exit joins the thread (5) and the non-daemonic child (7) first.
    assert_eq!(main.completion, Some(7));
}

#[test]
fn a_pool_task_that_raises_ends_the_task_not_the_worker_and_apply_raises_it_again() {
    let yaml = |apply: &str| {
        format!(
            "name: p\npolicy: fcfs\nruntime: python\npools: [{{name: p, workers: 1}}]\nprocesses:\n\
             - {{name: main, program: [{apply}, \
                {{apply: {{pool: p, task: [{{print: second}}]}}}}, {{close: p}}, {{join_pool: p}}, {{print: done}}]}}\n"
        )
    };
    let failing = "{apply: {pool: p, task: [{join: nobody}, {print: never}]}}";
    // The worker loop catches what the task raises (nothing on stderr from the worker); the
    // caller's apply raises it again: uncaught, main stops with status 1.
    let uncaught = report_of(scenario(&yaml(failing)));
    assert_eq!(lines(&uncaught), Vec::<String>::new());
    assert_eq!(
        stderr(&uncaught),
        ["main: RuntimeError: cannot join thread before it is started"]
    );
    assert_eq!(process(&uncaught, "main").exit_code, Some(1));
    let caught = report_of(scenario(&yaml(&format!(
        "{{try: [{failing}], except: [{{print: caught}}]}}"
    ))));
    assert_eq!(lines(&caught), ["caught", "second", "done"]);
    assert!(caught.stderr.is_empty());
    assert_eq!(process(&caught, "main").exit_code, Some(0));
}

#[test]
fn calls_give_back_what_their_tasks_return() {
    let report = report_of(scenario(
        "name: r\npolicy: fcfs\ncpus: 2\npools: [{name: p, workers: 2}]\nglobals: {i: 7}\nprocesses:\n\
         - {name: main, program: [{set_reg: 1}, {apply: {pool: p, task: [{cpu: 1}]}}, {print: 'none leaves {reg}'}, \
            {apply: {pool: p, task: [{return: 5}, {print: never}]}}, {print: 'apply {reg}'}, \
            {apply_async: {pool: p, task: [{cpu: 3}, {return: 6}], as: r}}, {print: 'async {reg}'}, \
            {get_result: r}, {print: 'get {reg}'}, {get_result: r}, {print: 'again {reg}'}, \
            {map: {pool: p, count: 3, task: [{print: 'task {i} reg {reg}'}, {add: 100}, {return: reg}], as: out}}, \
            {print: '{out} {i}'}, {map: {pool: p, count: 2, task: [{cpu: 1}], as: nones}}, {print: '{nones}'}]}\n",
    ));
    assert_eq!(
        lines(&report),
        [
            "none leaves 1",
            "apply 5",
            "async 5",
            "get 6",
            "again 6",
            "task 0 reg 0",
            "task 1 reg 1",
            "task 2 reg 2",
            "[100, 101, 102] 7",
            "[None, None]"
        ]
    );
}

#[test]
fn return_and_get_result_are_checked_where_they_stand() {
    for (step, expected) in [
        ("{return: 3}", "`return` ends a pool task"),
        (
            "{apply: {pool: p, task: [{return: x}]}}",
            "expected a number or `reg`, got `x`",
        ),
        (
            "{apply: {pool: p, task: [{spawn: {name: t, program: [{return: 1}]}}]}}",
            "`return` ends a pool task",
        ),
        (
            "{get_result: r}",
            "unknown result `r`: name an `apply_async`'s result first",
        ),
        (
            "{apply: {pool: p, task: [{cpu: 1}], as: r}}",
            "`as` names an `apply_async`'s result",
        ),
        (
            "{map: {pool: p, count: 2, task: [{cpu: 1}], as: x}}",
            "`x` already means something in a `print`",
        ),
        (
            "{map: {pool: p, count: 2, task: [{cpu: 1}], as: 'a b'}}",
            "expected a name such as `results`",
        ),
    ] {
        let error = crate::support::load_error(
            &format!(
                "name: q\npolicy: fcfs\npools: [{{name: p}}]\nglobals: {{x: 0}}\nprocesses:\n  - name: main\n    program:\n      - {step}\n"
            ),
            "q.yaml",
        );
        assert!(error.contains(expected), "{step}: {error}");
        assert!(error.contains("q.yaml:8:"), "{step}: {error}");
    }
}

#[test]
fn get_result_of_a_name_not_given_yet_fails_as_python_raises_name_error() {
    let report = report_of(scenario(
        "name: n\npolicy: fcfs\nruntime: python\npools: [{name: p}]\nprocesses:\n\
         - {name: main, program: [{if: {reg: {eq: 1}}, then: [{apply_async: {pool: p, task: [{cpu: 1}], as: r}}]}, \
            {try: [{get_result: r}], except: [{print: NameError}]}]}\n",
    ));
    assert_eq!(lines(&report), ["NameError"]);
}

#[test]
fn try_is_refused_outside_the_python_runtime_where_it_stands() {
    let error = crate::support::load_error(
        "name: t\npolicy: fcfs\nprocesses:\n  - name: main\n    program:\n      - try: [{cpu: 1}]\n        except: []\n",
        "t.yaml",
    );
    assert!(error.contains("t.yaml:6:"), "{error}");
    assert!(error.contains("runtime: python"), "{error}");
}

#[test]
fn a_child_is_alive_until_its_signal_takes_effect_after_signal_delay() {
    let yaml = |delay: u64| {
        format!(
            "name: s\npolicy: fcfs\ncpus: 2\nruntime: python\nrules: {{signal_delay: {delay}}}\nprocesses:\n\
             - {{name: main, program: [{{fork: {{name: c, program: [{{cpu: 50}}]}}}}, {{kill: c}}, \
                {{if: {{child: c, alive: true}}, then: [{{print: alive}}], else: [{{print: dead}}]}}, {{wait: c}}, \
                {{if: {{child: c, exitcode: -15}}, then: [{{print: terminated}}]}}]}}\n"
        )
    };
    let delayed = report_of(scenario(&yaml(3)));
    assert_eq!(lines(&delayed), ["alive", "terminated"]);
    // It ran on the second CPU until the signal took effect.
    assert_eq!(process(&delayed, "c").completion, Some(3));
    assert_eq!(process(&delayed, "c").cpu_time, 3);
    let at_once = report_of(scenario(&yaml(0)));
    assert_eq!(lines(&at_once), ["dead", "terminated"]);
    assert_eq!(process(&at_once, "c").completion, Some(0));
}

#[test]
fn a_signal_to_a_child_that_exits_first_does_nothing() {
    let report = report_of(scenario(
        "name: s\npolicy: fcfs\ncpus: 2\nruntime: python\nrules: {signal_delay: 5}\nprocesses:\n\
         - {name: main, program: [{fork: {name: c, program: [{cpu: 2}]}}, {kill: c}, {wait: c}]}\n",
    ));
    assert_eq!(process(&report, "c").exit_code, Some(0));
    assert_eq!(process(&report, "c").completion, Some(2));
}

#[test]
fn exitcode_is_none_until_the_child_exits_and_only_ne_holds_then() {
    let report = report_of(scenario(
        "name: e\npolicy: fcfs\ncpus: 2\nprocesses:\n\
         - {name: main, program: [{fork: {name: c, program: [{cpu: 2}, {exit: 3}]}}, \
            {if: {child: c, exitcode: {ne: 3}}, then: [{print: none-ne}]}, \
            {if: {child: c, exitcode: {lt: 100}}, then: [{print: never}]}, \
            {if: {child: c, exitcode: {ge: -100}}, then: [{print: never}]}, \
            {wait: c}, {if: {child: c, exitcode: 3}, then: [{print: three}]}, \
            {if: {child: c, alive: false}, then: [{print: gone}]}, \
            {if: {child: nobody, alive: false}, then: [{print: never-started}]}]}\n",
    ));
    // After the reap too the exit code is known (Python's `exitcode` stays set).
    assert_eq!(
        lines(&report),
        ["none-ne", "three", "gone", "never-started"]
    );
}

#[test]
fn a_thread_is_alive_from_its_spawn_to_its_end() {
    let report = report_of(scenario(
        "name: t\npolicy: fcfs\ncpus: 2\nprocesses:\n\
         - {name: main, program: [{if: {thread: T, alive: true}, then: [{print: never}]}, \
            {spawn: {name: T, program: [{cpu: 2}]}}, {if: {thread: T, alive: true}, then: [{print: running}]}, \
            {join: T}, {if: {thread: T, alive: false}, then: [{print: ended}]}]}\n",
    ));
    assert_eq!(lines(&report), ["running", "ended"]);
}

#[test]
fn questions_of_a_child_or_thread_are_checked_where_they_stand() {
    for (condition, expected) in [
        ("{child: c, alive: 1}", "expected `true` or `false`"),
        (
            "{child: c, exitcode: yes}",
            "expected a number or a comparison",
        ),
        (
            "{thread: t, exitcode: 0}",
            "a thread is asked `alive`, not `exitcode`",
        ),
        (
            "{child: c}",
            "expected `child: NAME` and one of `alive`, `exitcode`",
        ),
        (
            "{child: c, exitcode: {about: 1}}",
            "unknown comparison `about`",
        ),
    ] {
        let error = crate::support::load_error(
            &format!(
                "name: q\npolicy: fcfs\nprocesses:\n  - name: main\n    program:\n      - if: {condition}\n        then: [{{cpu: 1}}]\n"
            ),
            "q.yaml",
        );
        assert!(error.contains(expected), "{condition}: {error}");
        assert!(error.contains("q.yaml:6:"), "{condition}: {error}");
    }
}

#[test]
fn a_queue_event_semaphore_and_lock_answer_what_python_would() {
    let report = report_of(scenario(
        "name: q\npolicy: fcfs\nqueues: [{name: q, capacity: 2}, {name: u}]\nevents: [{name: e}]\n\
         resources: [{name: s, instances: 3}, {name: l}]\nprocesses:\n\
         - {name: main, program: [\
            {if: {queue: q, empty: true}, then: [{print: empty}]}, {put: q}, {put: q}, {put: u}, \
            {if: {queue: q, full: true}, then: [{print: full}]}, \
            {if: {queue: u, full: false}, then: [{print: unbounded-never-full}]}, \
            {if: {queue: q, size: {ge: 2}}, then: [{print: two}]}, \
            {if: {event: e, is_set: false}, then: [{print: clear}]}, {set: e}, \
            {if: {event: e, is_set: true}, then: [{print: set}]}, {acquire: s}, \
            {if: {semaphore: s, value: 2}, then: [{print: two-free}]}, \
            {if: {lock: l, locked: false}, then: [{print: free}]}, {acquire: l}, \
            {if: {lock: l, locked: true}, then: [{print: held}]}, \
            {print: '{q.qsize()} {q.empty()} {q.full()} {e.is_set()} {s.get_value()} {l.locked()}'}]}\n",
    ));
    assert_eq!(
        lines(&report),
        [
            "empty",
            "full",
            "unbounded-never-full",
            "two",
            "clear",
            "set",
            "two-free",
            "free",
            "held",
            "2 False True True 2 True"
        ]
    );
}

#[test]
fn print_asks_a_child_or_thread_as_python_prints_it() {
    let report = report_of(scenario(
        "name: p\npolicy: fcfs\ncpus: 2\nprocesses:\n\
         - {name: main, program: [{print: '{c.is_alive()} {c.exitcode}'}, \
            {fork: {name: c, program: [{cpu: 2}, {exit: 3}]}}, {print: '{c.is_alive()} {c.exitcode}'}, \
            {spawn: {name: t, program: [{cpu: 1}]}}, {print: 'thread {t.is_alive()}'}, \
            {wait: c}, {join: t}, {print: '{c.is_alive()} {c.exitcode} thread {t.is_alive()}'}]}\n",
    ));
    assert_eq!(
        lines(&report),
        [
            "False None",
            "True None",
            "thread True",
            "False 3 thread False"
        ]
    );
}

#[test]
fn questions_of_primitives_are_checked_where_they_stand() {
    for (step, expected) in [
        (
            "{if: {queue: nope, size: 1}, then: [{cpu: 1}]}",
            "unknown queue `nope`, expected one of q",
        ),
        (
            "{if: {queue: q, size: yes}, then: [{cpu: 1}]}",
            "expected a number or a comparison",
        ),
        (
            "{if: {queue: q, length: 1}, then: [{cpu: 1}]}",
            "a queue is asked `size` or `empty` or `full`, not `length`",
        ),
        (
            "{if: {event: e, is_set: 1}, then: [{cpu: 1}]}",
            "expected `true` or `false`",
        ),
        (
            "{if: {lock: s, locked: true}, then: [{cpu: 1}]}",
            "`s` is a semaphore of 3, not a lock",
        ),
        (
            "{if: {semaphore: x, value: 1}, then: [{cpu: 1}]}",
            "unknown resource `x`",
        ),
        ("{print: '{q.size()}'}", "unknown question `size()`"),
        ("{print: '{nope.qsize()}'}", "unknown queue `nope`"),
    ] {
        let error = crate::support::load_error(
            &format!(
                "name: q\npolicy: fcfs\nqueues: [{{name: q}}]\nevents: [{{name: e}}]\n\
                 resources: [{{name: s, instances: 3}}]\nprocesses:\n  - name: main\n    program:\n      - {step}\n"
            ),
            "q.yaml",
        );
        assert!(error.contains(expected), "{step}: {error}");
        assert!(error.contains("q.yaml:9:"), "{step}: {error}");
    }
}

#[test]
fn the_wrong_end_of_a_one_way_pipe_fails_and_posix_goes_on() {
    let report = report_of(scenario(
        "name: w\npolicy: fcfs\npipes: [{name: c, duplex: false}]\nprocesses:\n\
         - {name: main, program: [{recv: {pipe: c, end: 1, block: false}}, {send: {pipe: c, end: 0}}, \
            {send: {pipe: c, end: 1, value: reg}}, {recv: c}, {send: c}, {recv: {pipe: c, end: 0}}, {print: ok}]}\n",
    ));
    assert_eq!(lines(&report), ["ok"]);
    assert_eq!(report.errors.len(), 2, "{:?}", report.errors);
    assert!(
        report.errors[0]
            .message
            .contains("recv on one-way pipe c fails")
    );
    assert!(
        report.errors[1]
            .message
            .contains("send on one-way pipe c fails")
    );
}

#[test]
fn pipe_ends_are_checked_where_they_stand() {
    for (yaml, expected, line) in [
        (
            "pipes: [{name: c}]\nprocesses:\n  - name: m\n    program:\n      - send: {pipe: c, end: 1}\n",
            "`end` names a connection of a one-way pipe",
            7,
        ),
        (
            "pipes: [{name: c, duplex: false}]\nprocesses:\n  - name: m\n    program:\n      - send: {pipe: c, end: 2}\n",
            "a pipe has ends 0 (it receives) and 1 (it sends), got 2",
            7,
        ),
        (
            "sockets: [{name: s, duplex: false}]\nprocesses:\n  - name: m\n    program: [{cpu: 1}]\n",
            "`duplex: false` is a pipe's option",
            3,
        ),
    ] {
        let error = crate::support::load_error(&format!("name: q\npolicy: fcfs\n{yaml}"), "q.yaml");
        assert!(error.contains(expected), "{yaml}: {error}");
        assert!(
            error.contains(&format!("q.yaml:{line}:")),
            "{yaml}: {error}"
        );
    }
}

#[test]
fn input_reads_stdin_in_order_shared_by_a_posix_child_and_fails_as_python_says() {
    let yaml = |runtime: &str| {
        format!(
            "name: i\npolicy: fcfs\nruntime: {runtime}\nstdin: [5, ' 6 ', seven, 8]\nglobals: {{x: 0}}\nprocesses:\n\
             - {{name: main, program: [{{input: {{into: x}}}}, {{print: 'x {{x}}'}}, \
                {{fork: {{name: c, program: [{{input: {{}}}}, {{print: 'child {{reg}}'}}]}}}}, {{wait: c}}, \
                {{input: {{}}}}, {{print: 'main {{reg}}'}}, {{input: {{}}}}, {{print: 'main {{reg}}'}}]}}\n"
        )
    };
    // POSIX: the child shares the stream and reads " 6 "; main's "seven" fails (its register
    // keeps 0), then it reads 8.
    let posix = report_of(scenario(&yaml("posix")));
    assert_eq!(lines(&posix), ["x 5", "child 6", "main 0", "main 8"]);
    assert_eq!(posix.errors.len(), 1);
    assert!(
        posix.errors[0]
            .message
            .contains("\"seven\" is not a whole number")
    );
    // Python: the child's stdin is closed (EOFError, uncaught: the child exits 1); main reads
    // 6, then int("seven") raises ValueError.
    let python = report_of(scenario(&yaml("python")));
    assert_eq!(lines(&python), ["x 5", "main 6"]);
    assert_eq!(
        stderr(&python),
        [
            "c: EOFError: EOF when reading a line",
            "main: ValueError: invalid literal for int() with base 10: 'seven'"
        ]
    );
}

#[test]
fn stdin_and_input_are_checked_where_they_stand() {
    for (yaml, expected, line) in [
        (
            "stdin: [1]\nprocesses:\n  - name: m\n    program:\n      - input: {into: nope}\n",
            "unknown variable `nope`",
            7,
        ),
        (
            "stdin: [1, \"a\\u0007b\"]\nprocesses:\n  - name: m\n    program: [{input: {}}]\n",
            "stdin[1]: must not contain control characters",
            3,
        ),
        (
            "processes:\n  - name: m\n    program:\n      - input: {from: x}\n",
            "unknown field `from`",
            6,
        ),
    ] {
        let error = crate::support::load_error(&format!("name: q\npolicy: fcfs\n{yaml}"), "q.yaml");
        assert!(error.contains(expected), "{yaml}: {error}");
        assert!(
            error.contains(&format!("q.yaml:{line}:")),
            "{yaml}: {error}"
        );
    }
}
