//! Hostile and careless input: no panic, no hang, no unbounded work. Values whose sums could
//! overflow are refused by name; runs that would pass the largest time or the event limit stop
//! with a clear error, even inside one instant.

use crate::support::{exercise, scenario};
use sim_core::{RunError, RunReport, Scenario, Simulator, render};

fn error_of(text: &str) -> String {
    Scenario::from_yaml(text)
        .unwrap_err()
        .unlocated()
        .one_line("s.yaml")
}

#[test]
fn values_whose_sums_could_overflow_are_refused_naming_the_field_and_the_limit() {
    let cases = [
        (
            "processes: [{name: A, arrival: 18446744073709551615, burst: 1}]",
            "s.yaml: processes[0].arrival: expected at most 1000000000000000 ticks, got 18446744073709551615",
        ),
        (
            "processes: [{name: A, burst: 1000000000000001}]",
            "s.yaml: processes[0].burst: expected at most 1000000000000000 ticks",
        ),
        (
            "processes: [{name: A, program: [{io: 9223372036854775808}]}]",
            "s.yaml: processes[0].program[0].io: expected at most",
        ),
        (
            "processes: [{name: A, program: [{sleep: 9223372036854775808}]}]",
            "s.yaml: processes[0].program[0].sleep: expected at most",
        ),
        (
            "rules: {context_switch: 18446744073709551615}\nprocesses: [{name: A, burst: 1}]",
            "s.yaml: rules.context_switch: expected at most 1000000000000000 ticks",
        ),
        (
            "processes: [{name: A, tickets: 9223372036854775808, burst: 1}]",
            "s.yaml: processes[0].tickets: expected at most 10000 tickets",
        ),
        (
            "resources: [{name: R, instances: 18446744073709551615}]\nprocesses: [{name: A, burst: 1}]",
            "s.yaml: resources[0].instances: expected at most 1000000000",
        ),
        (
            "queues: [{name: Q, capacity: 18446744073709551615}]\nprocesses: [{name: A, burst: 1}]",
            "s.yaml: queues[0].capacity: expected at most 1000000000",
        ),
        (
            "max_processes: 18446744073709551615\nprocesses: [{name: A, burst: 1}]",
            "s.yaml: max_processes: expected at most 4194304 processes",
        ),
    ];
    for (body, want) in cases {
        let got = error_of(&format!("name: x\npolicy: fcfs\n{body}\n"));
        assert!(
            got.starts_with(want),
            "{body}:\n  got  {got}\n  want {want}"
        );
    }
    let quantum = error_of(
        "name: x\npolicy: {kind: rr, quantum: 18446744073709551615}\nprocesses: [{name: A, burst: 1}]\n",
    );
    assert!(
        quantum.starts_with("s.yaml: policy.quantum: expected at most 1000000000000000 ticks"),
        "{quantum}"
    );
    let matrix = sim_core::exercise::Exercise::from_yaml(
        "name: m\nresources: {A: 18446744073709551615}\nprocesses:\n  P0: {allocation: [1], max: [1]}\n",
    )
    .unwrap_err()
    .unlocated()
    .one_line("m.yaml");
    assert!(
        matrix.starts_with("m.yaml: resources: expected numbers of at most 1000000000"),
        "{matrix}"
    );
}

#[test]
fn the_largest_values_run_to_the_right_answer() {
    let simulator = crate::support::run(scenario(
        "name: x\npolicy: {kind: lottery, quantum: 1000000000000000}\nprocesses:\n\
         - {name: A, tickets: 10000, arrival: 1000000000000000, burst: 1000000000000000}\n\
         - {name: B, tickets: 10000, arrival: 1000000000000000, burst: 1000000000000000}\n",
    ));
    let report = RunReport::of(&simulator);
    assert_eq!(report.makespan, 3_000_000_000_000_000);
    let stride = crate::support::run(scenario(
        "name: x\npolicy: {kind: stride, quantum: 1000000000000000}\nprocesses:\n\
         - {name: A, tickets: 1, burst: 1000000000000000}\n\
         - {name: B, tickets: 1, burst: 1000000000000000}\n",
    ));
    assert_eq!(RunReport::of(&stride).makespan, 2_000_000_000_000_000);
}

#[test]
fn a_run_past_the_largest_time_stops_with_a_clear_error() {
    // 5,000 bursts of 10^15 ticks add up past 2^62.
    let steps = vec!["{cpu: 1000000000000000}"; 5_000].join(", ");
    let mut simulator = Simulator::new(scenario(&format!(
        "name: long\npolicy: fcfs\nprocesses: [{{name: A, program: [{steps}]}}]\n"
    )));
    let error = simulator.run_to_end(1_000_000).unwrap_err();
    assert!(matches!(error, RunError::TimeLimit { .. }), "{error}");
    assert!(
        error
            .to_string()
            .contains("the largest time procsim simulates")
    );
}

#[test]
fn the_event_limit_counts_the_zero_time_events_of_one_instant() {
    // The process forks 2,000 times at t=0, as it first runs: a cascade of zero-time forks
    // (and their admissions) within one instant.
    let mut simulator = Simulator::new(scenario(
        "name: bomb\npolicy: fcfs\nprocesses: [{name: bomb, program: [{repeat: 2000, steps: [{fork: {name: child, program: [{cpu: 1}]}}]}, {cpu: 1}]}]\n",
    ));
    let error = simulator.run_to_end(1_000).unwrap_err();
    assert!(matches!(error, RunError::EventLimit { .. }), "{error}");
    assert!(
        simulator.log().len() <= 1_001,
        "{} events logged",
        simulator.log().len()
    );
    assert_eq!(simulator.now().0, 0, "stopped within the first instant");
}

#[test]
fn names_of_any_length_render_without_panicking() {
    let long = "P".repeat(70_000);
    let text = format!(
        "name: x\npolicy: {{kind: rr, quantum: 2}}\nprocesses: [{{name: {long}, burst: 3}}, {{name: B, burst: 2}}]\n\
         grading: {{gantt: 1, waiting: 1}}\n"
    );
    let exercise = exercise(&text);
    let scenario = exercise.scenario().unwrap().clone();
    let simulator = crate::support::run(scenario.clone());
    let report = RunReport::of(&simulator);
    assert!(render::report_text(&report).contains(&long));
    assert!(render::snapshot_text(&scenario, &simulator.snapshot()).contains(&long));
    assert!(render::trace_text(&scenario, simulator.roster(), simulator.log()).contains(&long));
    let key = sim_core::grading::AnswerKey::of_exercise(&exercise, 1_000)
        .unwrap()
        .unwrap();
    assert!(sim_core::grading::solution::markdown(&key).contains(&long));
    let graded = sim_core::grading::grade(
        "a.yaml",
        &format!("processes: {{{long}: {{waiting: 2}}}}\n"),
        &key,
    );
    assert!(sim_core::grading::formats::text(&[graded]).contains("a.yaml"));
    // An implicit YAML key is at most 1024 characters: a long one is written `? KEY`.
    let matrix = sim_core::matrix::Matrix::from_yaml(&format!(
        "name: m\nresources: {{A: 3}}\nprocesses:\n  ? {long}\n  : {{allocation: [1], max: [2]}}\n"
    ))
    .unwrap();
    assert!(sim_core::matrix::explain(&matrix).contains(&long));
}

#[test]
fn several_cpus_log_no_more_renewals_than_one() {
    // Two uncontested processes on two CPUs, quantum 1, bursts of 10^12 ticks.
    let mut simulator = Simulator::new(scenario(
        "name: x\ncpus: 2\npolicy: {kind: rr, quantum: 1}\n\
         processes: [{name: A, burst: 1000000000000}, {name: B, burst: 1000000000000}]\n",
    ));
    simulator.run_to_end(50).unwrap();
    let report = RunReport::of(&simulator);
    assert_eq!(report.makespan, 1_000_000_000_000);
    assert!(report.processes.iter().all(|p| p.waiting == 0));
    // A third process arriving late is served at its quantum boundary, as without the shortcut.
    let mut late = Simulator::new(scenario(
        "name: x\ncpus: 2\npolicy: {kind: rr, quantum: 1}\n\
         processes: [{name: A, burst: 100}, {name: B, burst: 100}, {name: C, arrival: 50, burst: 2}]\n",
    ));
    late.run_to_end(10_000).unwrap();
    let report = RunReport::of(&late);
    let c = report.processes.iter().find(|p| p.name == "C").unwrap();
    // At t=50 both quanta expire as C arrives: C enters the queue first (docs/policies.md).
    assert_eq!(c.first_run, Some(50), "{report:?}");
    assert_eq!(report.makespan, 101);
}

mod any_valid_scenario {
    //! Random scenarios with extreme values: whatever passes validation runs to its end or
    //! stops at a limit, and the log stays within the event limit.
    use proptest::prelude::*;
    use sim_core::{RunError, Scenario, Simulator};

    fn ticks() -> impl Strategy<Value = u64> {
        prop_oneof![
            0u64..5,
            Just(1_000_000_000_000_000u64),
            Just(1_000_000_000_000_001u64),
            any::<u64>(),
        ]
    }

    fn step() -> impl Strategy<Value = String> {
        prop_oneof![
            ticks().prop_map(|t| format!("{{cpu: {t}}}")),
            ticks().prop_map(|t| format!("{{io: {t}}}")),
            ticks().prop_map(|t| format!("{{sleep: {t}}}")),
            Just("{fork: {name: child}}".to_string()),
            Just("{fork: {name: kid, program: [{fork: {name: grandkid}}, {cpu: 1}]}}".to_string()),
            Just("{wait: any}".to_string()),
            Just("{acquire: L}".to_string()),
            Just("{release: L}".to_string()),
            Just("{put: Q}".to_string()),
            Just("{get: Q}".to_string()),
            Just("{set: E}".to_string()),
            Just("{wait_event: E}".to_string()),
            (0u8..=255).prop_map(|c| format!("{{exit: {c}}}")),
        ]
    }

    fn scenario() -> impl Strategy<Value = String> {
        let policy = prop_oneof![
            Just("fcfs".to_string()),
            Just("srtf".to_string()),
            ticks().prop_map(|q| format!("{{kind: rr, quantum: {q}}}")),
            Just("{kind: mlfq, boost: 5}".to_string()),
            ticks().prop_map(|q| format!("{{kind: lottery, quantum: {q}}}")),
            ticks().prop_map(|q| format!("{{kind: stride, quantum: {q}}}")),
            Just("{kind: priority, preemptive: true}".to_string()),
        ];
        let process = (ticks(), 1u64..=10_000, prop::collection::vec(step(), 1..6));
        (1usize..4, policy, ticks(), prop::collection::vec(process, 1..5)).prop_map(
            |(cpus, policy, switch, processes)| {
                let mut text = format!(
                    "name: any\ncpus: {cpus}\npolicy: {policy}\nrules: {{context_switch: {switch}}}\n\
                     max_processes: 40\nresources: [{{name: L}}]\nqueues: [{{name: Q, capacity: 1}}]\n\
                     events: [{{name: E}}]\nprocesses:\n"
                );
                for (index, (arrival, tickets, steps)) in processes.into_iter().enumerate() {
                    text.push_str(&format!(
                        "  - {{name: P{index}, arrival: {arrival}, tickets: {tickets}, program: [{}]}}\n",
                        steps.join(", ")
                    ));
                }
                text
            },
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(128))]

        #[test]
        fn runs_to_the_end_or_stops_at_a_limit(text in scenario()) {
            let Ok(scenario) = Scenario::from_yaml(&text) else {
                return Ok(());
            };
            let limit = 20_000;
            let mut simulator = Simulator::new(scenario);
            match simulator.run_to_end(limit) {
                Ok(()) => {
                    let report = sim_core::RunReport::of(&simulator);
                    let _ = sim_core::render::report_text(&report);
                }
                Err(RunError::EventLimit { .. } | RunError::TimeLimit { .. } | RunError::ZeroTimeLimit { .. }) => {}
            }
            prop_assert!(simulator.log().len() <= limit + 1, "{} events", simulator.log().len());
        }
    }
}

#[test]
fn students_numbers_of_any_size_grade_without_overflow() {
    let exercise = exercise(
        "name: x\npolicy: fcfs\nprocesses: [{name: A, burst: 3}, {name: B, burst: 2}]\n\
         grading: {completion: 1, turnaround: 1, waiting: 1, averages: 1, gantt: 1}\n",
    );
    let key = sim_core::grading::AnswerKey::of_exercise(&exercise, 1_000)
        .unwrap()
        .unwrap();
    let max = u64::MAX;
    let answer = format!(
        "processes: {{A: {{completion: {max}, turnaround: {max}, waiting: {max}}}, B: {{completion: {max}, turnaround: {max}, waiting: {max}}}}}\n\
         averages: {{turnaround: 1e308, waiting: -1e308}}\n\
         gantt: \"A 0-{max}, B 0-{max}\"\n"
    );
    let graded = sim_core::grading::grade("a.yaml", &answer, &key);
    assert!(graded.error.is_none(), "{graded:?}");
    // Only the follow-through credit of the turnarounds (huge, but consistent) is earned.
    assert_eq!(graded.score, 2.0, "{graded:?}");
    let gantt = graded
        .items
        .iter()
        .find(|i| i.question == "gantt.cpu0")
        .unwrap();
    assert_eq!(gantt.points, 0.0, "{gantt:?}");
}

mod workloads {
    //! The `workload:` block: generated processes, deterministic by seed, with clear errors.
    use crate::support::scenario;
    use sim_core::Scenario;

    fn error_of(text: &str) -> String {
        Scenario::from_yaml(text)
            .unwrap_err()
            .unlocated()
            .one_line("w.yaml")
    }

    #[test]
    fn a_name_template_cannot_make_names_longer_than_the_limit() {
        let many = "{i}".repeat(2000);
        let text = format!(
            "name: w\npolicy: fcfs\nworkload: {{count: 1000000, cpu: 1, name: \"{many}\"}}\n"
        );
        assert_eq!(
            error_of(&text),
            "w.yaml: workload.name: the names it makes would be up to 14000 bytes long; at most 256 (write {i} once or twice)"
        );
        // The longest allowed: 249 letters and a 7-digit index.
        let longest = format!("{}{{i}}", "a".repeat(249));
        let text = format!(
            "name: w\npolicy: fcfs\nworkload: {{count: 1000000, cpu: 1, name: \"{longest}\"}}\n"
        );
        let error = Scenario::from_yaml(&text)
            .err()
            .map(|e| e.unlocated().one_line("w.yaml"));
        assert_eq!(error, None);
        let text = text.replace(&longest, &format!("a{longest}"));
        assert!(error_of(&text).contains("up to 257 bytes"));
    }

    #[test]
    fn the_same_seed_gives_the_same_workload() {
        let text = "name: w\nseed: 3\npolicy: fcfs\nworkload: {count: 50, arrival: {exponential: {mean: 10}}, \
                    cpu: {normal: {mean: 5, sd: 2}}, bursts: 3, io_time: [1, 4]}\n";
        let first = scenario(text);
        assert_eq!(first, scenario(text));
        assert_eq!(first.processes.len(), 50);
        assert_eq!(first.processes[0].name, "P1");
        assert_eq!(first.processes[49].name, "P50");
        assert!(first.processes.iter().all(|p| p.program.len() == 5));
        let other = scenario(&text.replace("seed: 3", "seed: 4"));
        assert_ne!(first.processes, other.processes);
    }

    #[test]
    fn processes_drawn_alike_share_one_program() {
        let text = "name: w\nseed: 2\npolicy: fcfs\nworkload: {count: 400, cpu: [1, 3], bursts: 2, io_time: [1, 2]}\n";
        let generated = scenario(text);
        let programs = &generated.processes;
        // 3 × 2 × 3 = 18 possible programs among 400 processes.
        let mut distinct: Vec<&std::sync::Arc<[sim_core::scenario::Step]>> = Vec::new();
        for process in programs {
            if !distinct
                .iter()
                .any(|p| std::sync::Arc::ptr_eq(p, &process.program))
            {
                distinct.push(&process.program);
            }
        }
        assert!(distinct.len() <= 18, "{} programs kept", distinct.len());
        // Sharing changes nothing in the run: the same as with programs of their own.
        let mut unshared = generated.clone();
        for process in &mut unshared.processes {
            process.program = process.program.iter().cloned().collect();
        }
        assert_eq!(
            crate::support::report_of(generated),
            crate::support::report_of(unshared)
        );
    }

    #[test]
    fn a_workload_sits_beside_declared_processes() {
        let with = scenario(
            "name: w\npolicy: fcfs\nprocesses: [{name: teacher, burst: 2}]\n\
             workload: {count: 3, arrival: {every: 5}, cpu: 4}\n",
        );
        let names: Vec<&str> = with.processes.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["teacher", "P1", "P2", "P3"]);
        let arrivals: Vec<u64> = with.processes.iter().map(|p| p.arrival.0).collect();
        assert_eq!(arrivals, [0, 0, 5, 10]);
    }

    #[test]
    fn arrivals_are_times_except_every_and_exponential_which_space_them() {
        let times =
            scenario("name: w\npolicy: fcfs\nworkload: {count: 4, arrival: 3, cpu: [1, 9]}\n");
        let arrivals: Vec<u64> = times.processes.iter().map(|p| p.arrival.0).collect();
        assert_eq!(arrivals, [3, 3, 3, 3]);
        let uniform =
            scenario("name: w\npolicy: fcfs\nworkload: {count: 100, arrival: [10, 20], cpu: 1}\n");
        assert!(
            uniform
                .processes
                .iter()
                .all(|p| (10..=20).contains(&p.arrival.0))
        );
        assert!(uniform.processes.iter().any(|p| p.arrival.0 != 10));
        let random = scenario(
            "name: w\nseed: 1\npolicy: fcfs\nworkload: {count: 200, arrival: {exponential: {mean: 4}}, cpu: 2}\n",
        );
        let arrivals: Vec<u64> = random.processes.iter().map(|p| p.arrival.0).collect();
        assert!(arrivals.windows(2).all(|pair| pair[0] <= pair[1]));
        // 200 gaps of mean 4: the last arrival is near 800.
        assert!((600..1000).contains(&arrivals[199]), "{}", arrivals[199]);
    }

    #[test]
    fn workload_mistakes_name_their_field() {
        assert!(
            error_of("name: w\npolicy: fcfs\nworkload: {count: 2, cpu: 3, bursts: 2}\n")
                .starts_with("w.yaml: workload.io_time: processes of several bursts need")
        );
        assert!(
            error_of("name: w\npolicy: fcfs\nworkload: {count: 0, cpu: 3}\n")
                .starts_with("w.yaml: workload.count: expected 1 to")
        );
        assert!(
            error_of("name: w\npolicy: fcfs\nworkload: {count: 2, cpu: {every: 3}}\n")
                .starts_with("w.yaml: workload.cpu: `every` spaces arrivals")
        );
        assert!(
            error_of("name: w\npolicy: fcfs\nprocesses: [{name: P1, burst: 1}]\nworkload: {count: 2, cpu: 3}\n")
                .contains("generated process `P1` takes a name already in use")
        );
        assert!(
            error_of(
                "name: w\npolicy: fcfs\nworkload: {count: 2, cpu: {exponential: {mean: -1}}}\n"
            )
            .starts_with("w.yaml: workload.cpu: expected a mean above 0")
        );
        assert!(
            error_of("name: w\npolicy: fcfs\nworkload: {count: 10000000, cpu: 3, bursts: 1000, io_time: 1}\n")
                .contains("at most 20000000 may be generated")
        );
    }
}

#[test]
fn multiprocessor_settings_are_checked_naming_the_field() {
    let cases = [
        (
            "cpus: 2\npolicy: sjf\nscheduler: {queues: per_cpu}\nprocesses: [{name: A, burst: 1}]",
            "scheduler.queues",
        ),
        (
            "cpus: 2\npolicy: fcfs\nscheduler: {queues: ring}\nprocesses: [{name: A, burst: 1}]",
            "expected global or per_cpu",
        ),
        (
            "cpus: 2\npolicy: fcfs\nscheduler: {steal_every: 5}\nprocesses: [{name: A, burst: 1}]",
            "scheduler.steal_every",
        ),
        (
            "cpus: 2\npolicy: fcfs\nscheduler: {slices: global}\nprocesses: [{name: A, burst: 1}]",
            "scheduler.slices",
        ),
        (
            "cpus: 2\npolicy: fcfs\nprocesses: [{name: A, burst: 1, affinity: [2]}]",
            "processes[0].affinity[0]: expected a CPU from 0 to 1, got 2",
        ),
        (
            "cpus: 2\npolicy: srtf\nprocesses: [{name: A, burst: 1, affinity: [1]}]",
            "affinity works with the fcfs and rr policies",
        ),
        (
            "policy: fcfs\ncache: {size: 10, warmup: 2, warm_rate: 0}\nprocesses: [{name: A, burst: 1}]",
            "cache.warm_rate",
        ),
        (
            "cpus: 2\npolicy: fcfs\nscheduler: {dispatch: random}\nprocesses: [{name: A, burst: 1}]",
            "expected lowest_first or shuffled",
        ),
        (
            "cpus: 2\npolicy: fcfs\nscheduler: {queues: per_cpu, steal_check: strict}\nprocesses: [{name: A, burst: 1}]",
            "expected affinity or multi_py",
        ),
    ];
    for (body, expected) in cases {
        let error = error_of(&format!("name: t\n{body}"));
        assert!(error.contains(expected), "{body}\n=> {error}");
    }
}

#[test]
fn a_warm_cache_makes_work_go_faster_and_remaining_counts_work() {
    // A alone on one CPU, cache warm after 4 ticks, then 3 work a tick: 4 + ceil(26/3) = 13.
    let scenario = scenario(
        "name: t\npolicy: fcfs\ncache: {size: 10, warmup: 4, warm_rate: 3}\nprocesses: [{name: A, burst: 30, working_set: 10}]",
    );
    let mut simulator = Simulator::new(scenario.clone());
    simulator.run_to_end(1000).unwrap();
    let report = RunReport::of(&simulator);
    assert_eq!(report.processes[0].completion, Some(13));
    assert_eq!(report.processes[0].cpu_time, 13);
    assert_eq!(simulator.cpu_warm_ticks(), vec![9]);
    // At t=6: 4 cold ticks and 2 warm ones done, 30 - 4 - 6 = 20 left.
    let mut simulator = Simulator::new(scenario.clone());
    simulator.advance_to(sim_core::Tick(6), 1000).unwrap();
    assert_eq!(simulator.snapshot().processes[0].remaining_ticks, 20);
    // A working set larger than the cache never runs warm.
    let big = scenario_text_with_set(11);
    let mut simulator = Simulator::new(crate::support::scenario(&big));
    simulator.run_to_end(1000).unwrap();
    assert_eq!(RunReport::of(&simulator).processes[0].completion, Some(30));
}

fn scenario_text_with_set(working_set: u64) -> String {
    format!(
        "name: t\npolicy: fcfs\ncache: {{size: 10, warmup: 4, warm_rate: 3}}\nprocesses: [{{name: A, burst: 30, working_set: {working_set}}}]"
    )
}

#[test]
fn the_gantt_svg_parses_as_xml_whatever_the_names() {
    let report = crate::support::report_of(crate::support::scenario(
        "name: \"t<&>\\\"'\\uFFFE\"\npolicy: fcfs\nprocesses:\n  - {name: \"a<&>\\uFFFF\", burst: 2}\n  - {name: \"b'\\\"\", burst: 1}\n",
    ));
    let svg = sim_core::render::gantt_svg(&report.gantt, 1, "t<&>\"'\u{fffe}");
    let document = roxmltree::Document::parse(&svg).unwrap_or_else(|e| panic!("{e}\n{svg}"));
    let texts: Vec<&str> = document.descendants().filter_map(|n| n.text()).collect();
    assert!(
        texts.iter().any(|t| t.contains("a<&>\\u{ffff}")),
        "{texts:?}"
    );
    assert!(texts.iter().any(|t| t.contains("b'\"")), "{texts:?}");
}

#[test]
fn an_unclosed_brace_is_named_not_the_value_the_parser_trips_on_after_it() {
    let error = crate::support::load_error(
        "name: x\npolicy: {kind: rr, quantum: 2\nprocesses: [{name: A, burst: 1}]\n",
        "u.yaml",
    );
    assert!(
        error.starts_with("error: u.yaml:2:9: the `{` here is never closed"),
        "{error}"
    );
    assert!(error.contains("^ never closed"), "{error}");
    // An error before the bracket is still that error.
    let earlier = crate::support::load_error(
        "name: x\npolicy: rr\nquantum: 2\nprocesses: [{name: A, burst: 1}\n",
        "u.yaml",
    );
    assert!(
        earlier.contains("u.yaml:3:1: unknown field `quantum`"),
        "{earlier}"
    );
}

#[test]
fn a_float_that_is_not_finite_is_refused_in_words_about_the_field() {
    let error = match sim_core::exercise::Exercise::from_yaml(
        "name: x\npolicy: fcfs\nprocesses: [{name: A, burst: 1}]\ngrading: {tolerance: .nan}\n",
    ) {
        Ok(_) => panic!("a tolerance of .nan is accepted"),
        Err(error) => error.detailed("n.yaml"),
    };
    assert!(
        error.contains(
            "n.yaml:4:22: `tolerance` must be a finite number (not .nan or .inf), found .nan"
        ),
        "{error}"
    );
    assert!(!error.contains("configured policy"), "{error}");
}

#[test]
fn a_loop_of_prints_keeps_a_bounded_report_and_counts_the_rest() {
    use sim_core::report::MAX_LINES_KEPT;
    let extra = 5;
    let looping = scenario(&format!(
        "name: prints\npolicy: fcfs\nprocesses:\n  - name: A\n    program: [{{repeat: {}, steps: [{{print: x}}]}}]\n",
        MAX_LINES_KEPT + extra
    ));
    // Streamed: no event kept, not even within the instant, and a million lines at most.
    let streamed = sim_core::report::run_streamed(looping, usize::MAX).unwrap();
    assert_eq!(streamed.output.len(), MAX_LINES_KEPT);
    assert_eq!(streamed.not_kept.output, extra as u64);
    let text = render::report_text(&streamed);
    assert!(
        text.contains(&format!(
            "… and {extra} more lines, counted but not kept (a report keeps the first {MAX_LINES_KEPT})"
        )),
        "{}",
        &text[text.len().saturating_sub(2000)..]
    );
    let json = serde_json::to_value(&streamed).unwrap();
    assert_eq!(json["not_kept"]["output"], extra as u64);
    // A report that kept everything says nothing of it.
    let small = sim_core::report::run_streamed(
        scenario("name: p\npolicy: fcfs\nprocesses: [{name: A, program: [{print: x}]}]\n"),
        usize::MAX,
    )
    .unwrap();
    assert!(
        serde_json::to_value(&small)
            .unwrap()
            .get("not_kept")
            .is_none()
    );
}

#[test]
fn a_select_on_five_thousand_sockets_validates_in_linear_time() {
    // Each watched name was looked up among every channel, and checked against every other
    // watched one: quadratic (100,000 sockets took minutes). Now a B-tree lookup each.
    let n = 5_000;
    let names: Vec<String> = (0..n).map(|i| format!("s{i}")).collect();
    let yaml = format!(
        "name: sel\npolicy: fcfs\nrules: {{fd_setsize: 1000000}}\nsockets: [{}]\nprocesses:\n  - name: server\n    program:\n      - select: [{}]\n        on: {{{}}}\n  - {{name: c, program: [{{send: s5}}]}}\n",
        names
            .iter()
            .map(|s| format!("{{name: {s}}}"))
            .collect::<Vec<_>>()
            .join(", "),
        names.join(", "),
        names
            .iter()
            .map(|s| format!("{s}: [{{recv: {s}}}]"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let scenario = scenario(&yaml);
    assert_eq!(scenario.sync.queues.len(), n);
    // A name watched twice is still refused, and a branch for a socket not watched.
    let twice = yaml.replacen("select: [s0, s1,", "select: [s0, s0,", 1);
    assert!(
        error_of(&twice).contains("`s0` is watched twice"),
        "{}",
        error_of(&twice)
    );
}

#[test]
fn a_matrix_walk_keeps_and_shows_a_bounded_part_of_a_worst_case_scan() {
    // Each pass finishes only the last process still waiting: 800 processes are visited
    // 320,400 times, two Work numbers each — past the 250,000 numbers a walk keeps.
    let n = 800;
    let mut text = format!("name: worst\nresources: {{A: {n}, B: 1}}\nprocesses:\n");
    for i in 0..n {
        text.push_str(&format!(
            "  P{i}: {{allocation: [1, 0], max: [{}, 0]}}\n",
            n - i
        ));
    }
    let matrix = sim_core::matrix::Matrix::from_yaml(&text).unwrap();
    let walk = sim_core::matrix::explain(&matrix);
    let shown = walk.lines().filter(|line| line.contains("<= Work")).count();
    assert_eq!(shown, 125_000);
    assert!(
        walk.contains(
            "    … and 195400 more checks, made but not shown (a walk shows at most 250000 numbers of Work); the result below is complete\n"
        ),
        "{}",
        &walk[walk.len() - 2000..]
    );
    // The answers are whole: every process finishes, the last one first.
    let analysis = serde_json::to_value(matrix.analyze()).unwrap();
    assert_eq!(analysis["safe"], true);
    assert_eq!(analysis["sequence"][0], "P799");
    assert_eq!(analysis["sequence"][799], "P0");
    assert!(walk.ends_with("Result: safe.\n"));
}
