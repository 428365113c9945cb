//! Per-process and overall metrics, derived from the event log alone.

use crate::event::{Event, TimedEvent};
use crate::ids::{Pid, Tick};
use crate::scenario::Scenario;
use serde::Serialize;

/// One process's figures. Times are ticks; `None` where the run never got there.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ProcessMetrics {
    pub name: String,
    pub pid: Pid,
    /// The parent when it exited (its current parent while it lives).
    pub ppid: Pid,
    pub arrival: Tick,
    pub first_run: Option<Tick>,
    /// When it exited.
    pub completion: Option<Tick>,
    pub exit_code: Option<i32>,
    pub reaped_at: Option<Tick>,
    pub reaped_by: Option<Pid>,
    /// completion − arrival.
    pub turnaround: Option<u64>,
    /// Ticks spent in the ready state (including context switches towards it).
    pub waiting: u64,
    /// first_run − arrival.
    pub response: Option<u64>,
    pub cpu_time: u64,
    /// Ticks spent blocked (IO, waiting for a device).
    pub blocked_time: u64,
    /// The queue level it was last at (multilevel policies; 0 otherwise).
    pub level: usize,
    /// The process a thread belongs to (its own pid for a process).
    pub process: Pid,
    /// Ticks spent waiting for the GIL (0 without one).
    pub gil_wait: u64,
    /// A process with threads: the ticks of its life in which at least one of its threads ran
    /// (its `cpu_time` adds up its threads' CPU, more when two ran at once). `None` for a
    /// thread and for a process that never had one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub on_cpu: Option<u64>,
}

/// Means over the processes that finished (`finished` of them); `None` (JSON `null`, text
/// `-`) when none has: an average of nothing is not 0.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Averages {
    pub turnaround: Option<f64>,
    pub waiting: Option<f64>,
    pub response: Option<f64>,
    /// How many processes the averages cover: those that finished.
    pub finished: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Metrics {
    /// In pid order: the scenario's processes, then the forked ones in fork order.
    pub processes: Vec<ProcessMetrics>,
    pub averages: Averages,
    /// Time of the last exit.
    pub makespan: u64,
    /// Busy CPU ticks / (CPUs × makespan).
    pub cpu_utilization: f64,
    /// Processes completed per tick.
    pub throughput: f64,
    /// Dispatches of a process other than the one that last ran on that CPU.
    pub context_switches: u64,
    /// One row per thread of every process that ever had more than one, in tid order (a
    /// main thread's row carries the process's figures of that thread alone).
    pub threads: Vec<ProcessMetrics>,
    /// Dispatches of another thread of the process that last ran on that CPU.
    pub thread_switches: u64,
}

/// A process's own ticks, whatever number of threads it has: each tick of its life is on a CPU
/// (at least one of its threads ran), waiting (one was ready or waiting for the GIL and none
/// ran) or blocked (none was either), so that turnaround = on CPU + waiting + blocked
/// (docs/threads.md). Kept for every process, read for those with threads.
#[derive(Clone, Copy, Debug, Default)]
struct ProcessTicks {
    /// Its threads running and ready now, and since when.
    running: u32,
    ready: u32,
    since: Tick,
    on_cpu: u64,
    waiting: u64,
    blocked: u64,
}

impl ProcessTicks {
    /// Counts the ticks since the last change of its threads (the process being alive).
    fn settle(&mut self, now: Tick) {
        let elapsed = now.since(self.since);
        self.since = now;
        if self.running > 0 {
            self.on_cpu += elapsed;
        } else if self.ready > 0 {
            self.waiting += elapsed;
        } else {
            self.blocked += elapsed;
        }
    }

    /// One of its threads leaves phase `from` for `to`.
    fn moved(&mut self, from: Phase, to: Phase) {
        match from {
            Phase::Running => self.running -= 1,
            Phase::Ready | Phase::GilWait => self.ready -= 1,
            Phase::Absent | Phase::Blocked | Phase::Done => {}
        }
        match to {
            Phase::Running => self.running += 1,
            Phase::Ready | Phase::GilWait => self.ready += 1,
            Phase::Absent | Phase::Blocked | Phase::Done => {}
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    Absent,
    Ready,
    Running,
    Blocked,
    GilWait,
    Done,
}

fn row(name: &str, pid: Pid, ppid: Pid, arrival: Tick) -> ProcessMetrics {
    ProcessMetrics {
        name: name.to_string(),
        pid,
        ppid,
        arrival,
        first_run: None,
        completion: None,
        exit_code: None,
        reaped_at: None,
        reaped_by: None,
        turnaround: None,
        waiting: 0,
        response: None,
        cpu_time: 0,
        blocked_time: 0,
        level: 0,
        process: pid,
        gil_wait: 0,
        on_cpu: None,
    }
}

/// Derives the metrics of a run from its log.
pub fn derive(scenario: &Scenario, log: &[TimedEvent]) -> Metrics {
    let mut fold = MetricsFold::new(scenario);
    for timed in log {
        fold.push(timed);
    }
    fold.finish(scenario)
}

/// The metrics as a fold over the events as they happen: a run can be measured without keeping
/// its log (memory grows with the processes, not with the events).
#[derive(Clone, Debug)]
pub struct MetricsFold {
    // Forked processes get their row (and phase) at their fork event.
    phase: Vec<Phase>,
    since: Vec<Tick>,
    rows: Vec<ProcessMetrics>,
    /// By row; a process's own ticks at its main thread's row.
    process_ticks: Vec<ProcessTicks>,
    /// By row: whether the process has spawned a thread.
    has_threads: Vec<bool>,
    last_on_cpu: Vec<Option<Pid>>,
    /// `rules.switch_on_redispatch` and `rules.first_dispatch_cost`: which dispatches count.
    count_redispatch: bool,
    count_first_dispatch: bool,
    context_switches: u64,
    thread_switches: u64,
    last_time: Option<Tick>,
    /// MLFQ boosts so far, and for each row the boosts its level accounts for: a boost puts
    /// every unfinished process at the top level, applied to a row when its level is next
    /// set, when it finishes, or at the end (a boost costs O(1), not a pass over every row).
    boosts: u64,
    level_boosts: Vec<u64>,
}

impl MetricsFold {
    pub fn new(scenario: &Scenario) -> MetricsFold {
        let count = scenario.processes.len();
        MetricsFold {
            phase: vec![Phase::Absent; count],
            since: vec![Tick::ZERO; count],
            process_ticks: vec![ProcessTicks::default(); count],
            has_threads: vec![false; count],
            rows: scenario
                .processes
                .iter()
                .enumerate()
                .map(|(index, spec)| {
                    row(&spec.name, Pid::from_index(index), Pid::INIT, spec.arrival)
                })
                .collect(),
            last_on_cpu: vec![None; scenario.cpus],
            count_redispatch: scenario.rules.switch_on_redispatch,
            count_first_dispatch: scenario.rules.first_dispatch_cost,
            context_switches: 0,
            thread_switches: 0,
            last_time: None,
            boosts: 0,
            level_boosts: vec![0; count],
        }
    }

    /// Applies the boosts row `index` missed, unless it finished before them.
    fn settle_level(&mut self, index: usize) {
        if self.phase[index] != Phase::Done && self.level_boosts[index] < self.boosts {
            self.rows[index].level = 0;
        }
        self.level_boosts[index] = self.boosts;
    }

    /// Takes one more event into account.
    pub fn push(&mut self, timed: &TimedEvent) {
        let TimedEvent { time, event } = timed;
        self.last_time = Some(*time);
        let Some(pid) = event.pid() else {
            if let Event::Boost = event {
                // Every unfinished process is now at the top level (see `settle_level`).
                self.boosts += 1;
            }
            return;
        };
        let index = pid.index();
        if index < self.rows.len() {
            self.settle_level(index);
        }
        let (rows, phase, since) = (&mut self.rows, &mut self.phase, &mut self.since);
        let next = match event {
            Event::Admit { .. } => {
                rows[index].arrival = *time;
                Some(Phase::Ready)
            }
            Event::Dispatch { cpu, level, .. } => {
                rows[index].level = *level;
                let process = rows[index].process;
                // The same thread again is a thread switch in a process with threads.
                let same_process = |last: Pid| {
                    rows[last.index()].process == process
                        && (last != pid || process != pid || self.has_threads[process.index()])
                };
                match self.last_on_cpu[cpu.0] {
                    Some(last) if last == pid && !self.count_redispatch => {}
                    Some(last) if same_process(last) => self.thread_switches += 1,
                    Some(_) => self.context_switches += 1,
                    None if self.count_first_dispatch => self.context_switches += 1,
                    None => {}
                }
                self.last_on_cpu[cpu.0] = Some(pid);
                Some(Phase::Running)
            }
            Event::Preempt { .. } | Event::Wake { .. } | Event::Rollback { .. } => {
                Some(Phase::Ready)
            }
            Event::Block { .. } => Some(Phase::Blocked),
            Event::GilWait { .. } | Event::GilDrop { .. } => Some(Phase::GilWait),
            Event::GilTake { waited: true, .. } => Some(Phase::Ready),
            Event::ThreadExit { .. } => {
                rows[index].completion = Some(*time);
                Some(Phase::Done)
            }
            Event::Spawn { thread, name, .. } => {
                let process = rows[index].process;
                self.has_threads[process.index()] = true;
                let ppid = rows[process.index()].ppid;
                rows.push(ProcessMetrics {
                    process,
                    ..row(name, *thread, ppid, *time)
                });
                phase.push(Phase::Absent);
                since.push(*time);
                self.process_ticks.push(ProcessTicks::default());
                self.has_threads.push(false);
                self.level_boosts.push(self.boosts);
                None
            }
            Event::Exit { code, .. } => {
                rows[index].completion = Some(*time);
                rows[index].exit_code = Some(*code);
                Some(Phase::Done)
            }
            Event::Fork { child, name, .. } => {
                rows.push(row(name, *child, pid, *time));
                phase.push(Phase::Absent);
                since.push(*time);
                self.process_ticks.push(ProcessTicks::default());
                self.has_threads.push(false);
                self.level_boosts.push(self.boosts);
                None
            }
            Event::Reparent { to, .. } => {
                if rows[index].completion.is_none() {
                    rows[index].ppid = *to;
                }
                None
            }
            Event::Reap { by, .. } => {
                rows[index].reaped_at = Some(*time);
                rows[index].reaped_by = Some(*by);
                None
            }
            Event::QuantumRenewed { level, .. } => {
                rows[index].level = *level;
                None
            }
            Event::Demote { to, .. } => {
                rows[index].level = *to;
                None
            }
            Event::ContextSwitch { .. }
            | Event::IoStart { .. }
            | Event::ToFront { .. }
            | Event::Boost
            | Event::ForkFailed { .. }
            | Event::SpawnFailed { .. }
            | Event::Kill { .. }
            | Event::DeadlineMiss { .. }
            | Event::NoSuchChild { .. }
            | Event::Acquire { .. }
            | Event::Release { .. }
            | Event::ReleaseNotHeld { .. }
            | Event::SetEvent { .. }
            | Event::ClearEvent { .. }
            | Event::Put { .. }
            | Event::Get { .. }
            | Event::Deadlock { .. }
            | Event::Abort { .. }
            | Event::JoinFailed { .. }
            | Event::ForkRefused { .. }
            | Event::GilTake { waited: false, .. }
            | Event::Read { .. }
            | Event::Write { .. }
            | Event::Print { .. }
            | Event::TaskQueued { .. }
            | Event::TaskStart { .. }
            | Event::TaskDone { .. }
            | Event::ResultRaised { .. }
            | Event::NoResult { .. }
            | Event::WrongEnd { .. }
            | Event::Input { .. }
            | Event::SelectTooMany { .. }
            | Event::SignalSent { .. }
            | Event::Stop { .. }
            | Event::Continue { .. }
            | Event::HandlerRun { .. }
            | Event::HangUp { .. }
            | Event::InputFailed { .. }
            | Event::PoolMisuse { .. }
            | Event::Raise { .. }
            | Event::Signal { .. }
            | Event::GaveUp { .. }
            | Event::QueueTaskDone { .. }
            | Event::TooManyTaskDone { .. }
            | Event::Selected { .. }
            | Event::CoroutineCreate { .. }
            | Event::CoroutineSwitch { .. }
            | Event::CoroutinePark { .. }
            | Event::CoroutineWaitMessage { .. }
            | Event::CoroutineWake { .. }
            | Event::CoroutineDone { .. }
            | Event::CoroutineFailed { .. } => None,
        };
        if let Some(next) = next {
            let elapsed = time.since(since[index]);
            let row = &mut rows[index];
            match phase[index] {
                Phase::Ready => row.waiting += elapsed,
                Phase::Running => {
                    row.cpu_time += elapsed;
                    // First run: the first tick it executes, not a dispatch it lost at once.
                    if elapsed > 0 {
                        row.first_run.get_or_insert(since[index]);
                    }
                }
                Phase::Blocked => row.blocked_time += elapsed,
                Phase::GilWait => row.gil_wait += elapsed,
                Phase::Absent | Phase::Done => {}
            }
            let process = row.process.index();
            // A process is alive from its main thread's admission to its exit.
            if !matches!(phase[process], Phase::Absent | Phase::Done) {
                self.process_ticks[process].settle(*time);
            } else {
                self.process_ticks[process].since = *time;
            }
            self.process_ticks[process].moved(phase[index], next);
            phase[index] = next;
            since[index] = *time;
        }
    }

    /// The metrics of everything pushed.
    pub fn finish(mut self, scenario: &Scenario) -> Metrics {
        for index in 0..self.rows.len() {
            self.settle_level(index);
        }
        let MetricsFold {
            mut rows,
            phase,
            since,
            process_ticks,
            context_switches,
            thread_switches,
            last_time,
            ..
        } = self;
        // A process running when the log ends has run since its dispatch, if time has passed.
        for ((row, phase), since) in rows.iter_mut().zip(&phase).zip(&since) {
            if *phase == Phase::Running && last_time.is_some_and(|t| t > *since) {
                row.first_run.get_or_insert(*since);
            }
        }
        for row in &mut rows {
            row.turnaround = row.completion.map(|c| c.since(row.arrival));
            row.response = row.first_run.map(|f| f.since(row.arrival));
        }
        let (rows, threads) = split_threads(rows, &process_ticks);
        // The last exit; a run that ends with processes stuck (deadlocked) ends at its last event.
        let makespan = rows
            .iter()
            .filter_map(|row| row.completion)
            .chain(last_time)
            .max()
            .unwrap_or(Tick::ZERO)
            .0;
        // In 128 bits: up to 1024 CPUs busy up to 2^62 ticks each (scenario::limits).
        let busy: u128 = rows.iter().map(|row| u128::from(row.cpu_time)).sum();
        let completed = rows.iter().filter(|row| row.completion.is_some()).count();
        let ratio = |numerator: f64, denominator: f64| {
            if denominator > 0.0 {
                numerator / denominator
            } else {
                0.0
            }
        };
        Metrics {
            averages: {
                let finished: Vec<&ProcessMetrics> =
                    rows.iter().filter(|row| row.completion.is_some()).collect();
                Averages {
                    turnaround: mean(finished.iter().filter_map(|row| row.turnaround)),
                    waiting: mean(finished.iter().map(|row| row.waiting)),
                    response: mean(finished.iter().filter_map(|row| row.response)),
                    finished: finished.len(),
                }
            },
            processes: rows,
            makespan,
            cpu_utilization: ratio(busy as f64, scenario.cpus as f64 * makespan as f64),
            throughput: ratio(completed as f64, makespan as f64),
            context_switches,
            threads,
            thread_switches,
        }
    }
}

/// Splits the rows of every task into process rows and thread rows. A process that ever had
/// more than one thread gets a row per thread (its main thread's under Python's name for
/// it); its own row sums its threads' CPU and GIL times, starts at its first thread's first
/// run, and counts its own ticks on a CPU, waiting and blocked (`ProcessTicks`).
fn split_threads(
    rows: Vec<ProcessMetrics>,
    process_ticks: &[ProcessTicks],
) -> (Vec<ProcessMetrics>, Vec<ProcessMetrics>) {
    if rows.iter().all(|row| row.process == row.pid) {
        return (rows, Vec::new());
    }
    let mut threaded = vec![false; rows.len()];
    for row in rows.iter().filter(|row| row.process != row.pid) {
        threaded[row.process.index()] = true;
    }
    let mut threads = Vec::new();
    let mut processes: Vec<ProcessMetrics> = Vec::new();
    let mut position = vec![usize::MAX; rows.len()];
    for row in rows {
        let process = row.process.index();
        if row.process == row.pid {
            if threaded[process] {
                threads.push(ProcessMetrics {
                    name: crate::scenario::MAIN_THREAD_NAME.to_string(),
                    ..row.clone()
                });
            }
            position[process] = processes.len();
            let ticks = process_ticks[process];
            processes.push(if threaded[process] {
                ProcessMetrics {
                    waiting: ticks.waiting,
                    blocked_time: ticks.blocked,
                    on_cpu: Some(ticks.on_cpu),
                    ..row
                }
            } else {
                row
            });
            continue;
        }
        let total = &mut processes[position[process]];
        total.cpu_time += row.cpu_time;
        total.gil_wait += row.gil_wait;
        total.first_run = match (total.first_run, row.first_run) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        total.response = total.first_run.map(|f| f.since(total.arrival));
        threads.push(row);
    }
    (processes, threads)
}

fn mean(values: impl Iterator<Item = u64>) -> Option<f64> {
    let (sum, count) = values.fold((0u128, 0u64), |(s, c), v| (s + v as u128, c + 1));
    (count > 0).then(|| sum as f64 / count as f64)
}
