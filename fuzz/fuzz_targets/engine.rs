//! Structure-aware: random valid-shaped scenarios with extreme values (times near the limits,
//! many forks, deep nesting of children, resources and queues). Whatever passes validation
//! runs to its end or stops at a limit, without panicking, within the event limit.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use sim_core::{RunError, Scenario, Simulator};

#[derive(Arbitrary, Debug)]
struct Workload {
    cpus: u8,
    policy: u8,
    quantum: Extreme,
    context_switch: Extreme,
    processes: Vec<Process>,
}

#[derive(Arbitrary, Debug)]
struct Process {
    arrival: Extreme,
    tickets: u16,
    steps: Vec<StepGen>,
}

#[derive(Arbitrary, Debug)]
enum StepGen {
    Cpu(Extreme),
    Io(Extreme),
    Sleep(Extreme),
    Fork(Vec<StepGen>),
    Wait,
    Exit(u8),
    Acquire,
    Release,
    Put,
    Get,
    SetEvent,
    WaitEvent,
    Spawn(Vec<StepGen>),
    Join,
    Repeat(u8, Vec<StepGen>),
    Add(i8),
    ReadWrite,
    IfReg(i8, Vec<StepGen>),
    GetTimeout(u8),
    Apply(Vec<StepGen>),
    ApplyAsync,
    ClosePool,
    Coroutine(Vec<StepGen>),
    Yield,
    AsyncSleep(u8),
    Await,
    Switch,
    Select,
}

/// A tick value: small, at the limit, or anything.
#[derive(Arbitrary, Debug)]
enum Extreme {
    Small(u8),
    Limit,
    AboveLimit,
    Any(u64),
}

impl Extreme {
    fn ticks(&self) -> u64 {
        match self {
            Extreme::Small(n) => u64::from(*n),
            Extreme::Limit => 1_000_000_000_000_000,
            Extreme::AboveLimit => 1_000_000_000_000_001,
            Extreme::Any(n) => *n,
        }
    }
}

fn program(steps: &[StepGen], depth: usize, out: &mut String) {
    out.push('[');
    for (index, step) in steps.iter().take(12).enumerate() {
        if index > 0 {
            out.push_str(", ");
        }
        match step {
            StepGen::Cpu(t) => out.push_str(&format!("{{cpu: {}}}", t.ticks())),
            StepGen::Io(t) => out.push_str(&format!("{{io: {}}}", t.ticks())),
            StepGen::Sleep(t) => out.push_str(&format!("{{sleep: {}}}", t.ticks())),
            StepGen::Fork(child) if depth < 3 => {
                out.push_str(&format!("{{fork: {{name: c{depth}{index}, program: "));
                program(child, depth + 1, out);
                out.push_str("}}");
            }
            StepGen::Fork(_) => out.push_str("{fork: {name: leaf}}"),
            StepGen::Wait => out.push_str("{wait: any}"),
            StepGen::Exit(code) => out.push_str(&format!("{{exit: {code}}}")),
            StepGen::Acquire => out.push_str("{acquire: L}"),
            StepGen::Release => out.push_str("{release: L}"),
            StepGen::Put => out.push_str("{put: Q}"),
            StepGen::Get => out.push_str("{get: Q}"),
            StepGen::SetEvent => out.push_str("{set: E}"),
            StepGen::WaitEvent => out.push_str("{wait_event: E}"),
            StepGen::Spawn(thread) if depth < 3 => {
                out.push_str(&format!("{{spawn: {{name: t{depth}{index}, program: "));
                program(thread, depth + 1, out);
                out.push_str("}}");
            }
            StepGen::Spawn(_) | StepGen::Join => out.push_str(&format!("{{join: t{depth}0}}")),
            StepGen::Repeat(times, body) if depth < 3 && !body.is_empty() => {
                out.push_str(&format!("{{repeat: {times}, steps: "));
                program(body, depth + 1, out);
                out.push('}');
            }
            StepGen::IfReg(value, body) if depth < 3 && !body.is_empty() => {
                out.push_str(&format!("{{if: {{reg: {{lt: {value}}}}}, then: "));
                program(body, depth + 1, out);
                out.push_str(", else: [{print: \"r={reg} x={x}\"}]}");
            }
            StepGen::Repeat(..) | StepGen::IfReg(..) => out.push_str("{set_reg: 1}"),
            StepGen::Add(n) => out.push_str(&format!("{{add: {n}}}")),
            StepGen::ReadWrite => out.push_str("{read: x}, {add: 1}, {write: x}"),
            StepGen::GetTimeout(ticks) => out.push_str(&format!(
                "{{get: {{queue: Q, timeout: {}}}, else: [{{put: {{queue: Q, value: reg}}}}]}}",
                1 + u64::from(*ticks)
            )),
            StepGen::Apply(task) if depth < 3 && !task.is_empty() => {
                out.push_str("{apply: {pool: pool, task: ");
                program(task, depth + 1, out);
                out.push_str("}}");
            }
            StepGen::Apply(_) | StepGen::ApplyAsync => out.push_str(
                "{apply_async: {pool: pool, task: [{cpu: 1}], callback: [{print: done}]}}",
            ),
            StepGen::ClosePool => out.push_str("{close: pool}, {join_pool: pool}"),
            StepGen::Coroutine(body) if depth < 3 && !body.is_empty() => {
                out.push_str(&format!("{{coroutine: {{name: g{depth}{index}, program: "));
                program(body, depth + 1, out);
                out.push_str("}}");
            }
            StepGen::Coroutine(_) | StepGen::Yield => out.push_str("{yield: {}}"),
            StepGen::AsyncSleep(ticks) => {
                out.push_str(&format!("{{async_sleep: {}}}", 1 + u64::from(*ticks)))
            }
            StepGen::Await => out.push_str(&format!("{{await: g{depth}0}}")),
            StepGen::Switch => out.push_str(&format!("{{switch: g{depth}0}}")),
            StepGen::Select => out.push_str(
                "{select: [S], on: {S: [{recv: S}]}}, {send: {socket: S, value: reg}}",
            ),
        }
    }
    out.push(']');
}

fn yaml(workload: &Workload) -> String {
    let policy = match workload.policy % 11 {
        0 => "fcfs".to_string(),
        1 => "sjf".to_string(),
        2 => "srtf".to_string(),
        3 => format!("{{kind: rr, quantum: {}}}", workload.quantum.ticks()),
        4 => format!("{{kind: priority, preemptive: true, quantum: {}}}", workload.quantum.ticks()),
        5 => "{kind: mlfq, boost: 7}".to_string(),
        6 => format!("{{kind: lottery, quantum: {}}}", workload.quantum.ticks()),
        7 => format!("{{kind: stride, quantum: {}}}", workload.quantum.ticks()),
        8 => format!("{{kind: cfs, latency: {}}}", workload.quantum.ticks()),
        9 => format!(
            "{{kind: eevdf, slice: {}, run_to_parity: {}}}",
            workload.quantum.ticks(),
            workload.cpus % 2 == 0
        ),
        _ => "hrrn".to_string(),
    };
    let mut text = format!(
        "name: fuzz\ncpus: {}\npolicy: {policy}\nrules: {{context_switch: {}, coroutine_switch: 1, select_cost: 1}}\nmax_processes: 64\n\
         resources: [{{name: L}}]\nqueues: [{{name: Q, capacity: 2}}]\nevents: [{{name: E}}]\n\
         globals: {{x: 0}}\npools: [{{name: pool, workers: 2}}]\nruntime: {}\nsockets: [{{name: S}}]\nprocesses:\n",
        1 + workload.cpus % 4,
        workload.context_switch.ticks(),
        if workload.cpus % 2 == 0 { "posix" } else { "python" }
    );
    for (index, process) in workload.processes.iter().take(8).enumerate() {
        let mut steps = String::new();
        program(&process.steps, 0, &mut steps);
        text.push_str(&format!(
            "  - {{name: P{index}, arrival: {}, tickets: {}, gil: {}, monkey_patch: {}, program: {steps}}}\n",
            process.arrival.ticks(),
            process.tickets,
            process.tickets % 2 == 0,
            process.tickets % 3 == 0
        ));
    }
    text
}

fuzz_target!(|workload: Workload| {
    let text = yaml(&workload);
    let Ok(scenario) = Scenario::from_yaml(&text) else {
        return;
    };
    let limit = 20_000;
    let mut simulator = Simulator::new(scenario);
    match simulator.run_to_end(limit) {
        Ok(()) => {
            let _ = sim_core::RunReport::of(&simulator);
        }
        Err(
            RunError::EventLimit { .. } | RunError::TimeLimit { .. } | RunError::ZeroTimeLimit { .. },
        ) => {}
    }
    assert!(simulator.log().len() <= limit + 1);
});
