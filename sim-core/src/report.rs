//! The report of a finished run: the JSON contract of `procsim run --format json`.

use crate::engine::{EventSink, RunError, Simulator};
use crate::event::{Event, TimedEvent};
use crate::gantt::{GanttFold, GanttSlice};
use crate::ids::Tick;
use crate::metrics::{Averages, Metrics, MetricsFold};
use crate::roster::Roster;
use crate::scenario::Scenario;
use serde::Serialize;
use std::collections::BTreeMap;

/// Everything `procsim run` reports. Field names are a contract (docs/scenario-format.md).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RunReport {
    pub scenario: String,
    pub policy: String,
    pub cpus: usize,
    pub processes: Vec<ProcessRow>,
    pub averages: Averages,
    pub gantt: Vec<GanttSlice>,
    pub makespan: u64,
    pub cpu_utilization: f64,
    pub throughput: f64,
    pub context_switches: u64,
    /// Dispatches of another thread of the process that last ran on that CPU; absent when no
    /// thread was ever spawned.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub thread_switches: Option<u64>,
    /// One row per thread of every process that ever had more than one, in tid order; absent
    /// when no thread was ever spawned.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub threads: Vec<ThreadRow>,
    /// The lines the programs printed, in order; absent when none did.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub output: Vec<OutputLine>,
    /// The lines written to stderr: the uncaught exceptions of `runtime: python` (their
    /// traceback's last line), in order; absent when there were none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub stderr: Vec<OutputLine>,
    /// Every task submitted to a pool, in submission order; absent when none was.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tasks: Vec<TaskRow>,
    /// Every coroutine created, in creation order (docs/coroutines.md); absent when none was.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub coroutines: Vec<CoroutineRow>,
    /// The final value of each shared variable (by name) and of each process's globals (as
    /// `process.name`); absent when the scenario declares none.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub variables: BTreeMap<String, i64>,
    /// Steps that failed (a fork over `max_processes`, a `wait` or
    /// `kill` with no such child), in time order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<TraceError>,
    /// How many lines of output, of stderr and failed steps the report counted but did not
    /// keep, past the first [`MAX_LINES_KEPT`] of each; absent when it kept them all.
    #[serde(skip_serializing_if = "NotKept::is_empty")]
    pub not_kept: NotKept,
    /// Every job of the periodic tasks (`tasks:`), by release then task order; absent
    /// without tasks (docs/realtime.md).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub jobs: Vec<JobRow>,
    /// How many jobs missed their deadline; absent without tasks.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deadline_misses: Option<u64>,
    /// Every deadlock, once, at the time it formed (docs/deadlock.md).
    pub deadlocks: Vec<DeadlockReport>,
    /// Processes that never exited: the run ended with them blocked (deadlocked, or waiting
    /// for something that never comes).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub stuck: Vec<String>,
    /// Processes stuck waiting for a lock or semaphore that a dead process still holds
    /// (`runtime: python`: `terminate()` does not release them); not a deadlock.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub held_by_dead: Vec<HeldByDead>,
    /// Whether the scenario's own `expected:` block matches the run; absent when it has none.
    /// The run does not know its exercise: `grading::check_expected` fills this in.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected: Option<ExpectedOutcome>,
}

/// Most lines of output, of stderr and failed steps a report keeps, each (about 130 bytes a
/// line: 130 MB at most each); the rest are counted. A loop of prints cannot grow a report
/// past its memory.
pub const MAX_LINES_KEPT: usize = 1_000_000;

/// What a report counted past [`MAX_LINES_KEPT`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct NotKept {
    pub output: u64,
    pub stderr: u64,
    pub errors: u64,
}

impl NotKept {
    pub fn is_empty(&self) -> bool {
        *self == NotKept::default()
    }
}

/// Adds `line` to `lines` unless they hold [`MAX_LINES_KEPT`] already; then counts it.
fn keep<T>(lines: &mut Vec<T>, not_kept: &mut u64, line: impl FnOnce() -> T) {
    if lines.len() < MAX_LINES_KEPT {
        lines.push(line());
    } else {
        *not_kept += 1;
    }
}

/// The outcome of checking a scenario's `expected:` answers against its run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ExpectedOutcome {
    pub ok: bool,
    pub differences: Vec<Difference>,
}

/// One known answer that the run does not give.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Difference {
    /// E.g. `P2.waiting`, `averages.turnaround`, `gantt.cpu0`, `order`, `states_at.5.P1`.
    pub question: String,
    /// What the scenario's `expected:` block says.
    pub expected: String,
    /// What the run gives.
    pub got: String,
}

/// A deadlock as `procsim run --format json` reports it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DeadlockReport {
    pub time: u64,
    pub processes: Vec<String>,
    pub resources: Vec<String>,
    /// Alternating process and resource names: each process waits for the next resource,
    /// which the next process holds; the last resource is held by the first process.
    pub cycle: Vec<String>,
}

/// A failed step, as the trace tells it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TraceError {
    pub time: u64,
    /// The process whose step failed.
    pub pid: u32,
    /// The thread whose step failed (the pid for a main thread).
    pub tid: u32,
    pub message: String,
}

/// One process in the report, in creation order: the scenario's processes (pids 2.., reserved
/// when the run starts), then the forked ones in fork order.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ProcessRow {
    pub name: String,
    pub pid: u32,
    /// The parent at the moment it exited (1 = init).
    pub ppid: u32,
    pub arrival: u64,
    pub first_run: Option<u64>,
    /// The exit time (equal to `exited_at`).
    pub completion: Option<u64>,
    pub exited_at: Option<u64>,
    pub reaped_at: Option<u64>,
    pub reaped_by: Option<u32>,
    pub exit_code: Option<i32>,
    pub turnaround: Option<u64>,
    pub waiting: u64,
    pub response: Option<u64>,
    pub cpu_time: u64,
    /// A process with threads: the ticks in which at least one of them ran (docs/threads.md);
    /// absent for a process that never had a thread.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub on_cpu: Option<u64>,
    /// The final queue level (multilevel policies only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<usize>,
    /// The policy's own values at the end (CFS: `vruntime`); empty for most policies.
    #[serde(skip_serializing_if = "crate::event::SchedValues::is_empty")]
    pub sched: crate::event::SchedValues,
}

impl ProcessRow {
    /// The ticks of its life it spent on a CPU: its CPU time, or for a process with threads
    /// the ticks in which at least one of them ran.
    pub fn ticks_on_cpu(&self) -> u64 {
        self.on_cpu.unwrap_or(self.cpu_time)
    }

    /// The ticks of its life it spent blocked: neither on a CPU nor waiting.
    pub fn blocked(&self) -> u64 {
        self.turnaround
            .unwrap_or(0)
            .saturating_sub(self.waiting + self.ticks_on_cpu())
    }
}

/// A resource a dead process holds while others wait for it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct HeldByDead {
    pub resource: String,
    /// The dead holder: its process, or `process/thread` for a thread.
    pub holder: String,
    /// The holder's process.
    pub pid: u32,
    /// The holding thread (the pid for a main thread).
    pub tid: u32,
    /// Who waits for it, in the order they would be served.
    pub waiting: Vec<String>,
}

/// A coroutine of a thread's event loop.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CoroutineRow {
    /// The process's pid.
    pub pid: u32,
    /// The thread whose loop it ran in.
    pub tid: u32,
    pub name: String,
    pub created: u64,
    pub completion: Option<u64>,
    /// Ticks of its thread's CPU it ran.
    pub cpu_time: u64,
    /// Ticks it spent parked in `async_*` waits.
    pub parked: u64,
}

/// The coroutine rows as a fold: who runs in each thread, and since when its thread runs.
#[derive(Clone, Debug, Default)]
struct CoroutineFold {
    rows: Vec<CoroutineRow>,
    /// Row of each (thread, name).
    index: BTreeMap<(crate::ids::Pid, String), usize>,
    /// The coroutine each thread with a loop runs.
    current: BTreeMap<crate::ids::Pid, String>,
    /// Since when each executing task has run.
    running: BTreeMap<crate::ids::Pid, Tick>,
    parked_since: BTreeMap<usize, Tick>,
}

impl CoroutineFold {
    /// Charges the time `thread` has run since `running` to the coroutine it runs.
    fn charge(&mut self, thread: crate::ids::Pid, now: Tick) {
        let Some(since) = self.running.get_mut(&thread) else {
            return;
        };
        let elapsed = now.since(*since);
        *since = now;
        if let Some(name) = self.current.get(&thread)
            && let Some(&row) = self.index.get(&(thread, name.clone()))
        {
            self.rows[row].cpu_time += elapsed;
        }
    }

    /// `thread` ended (by its program's end, an exit or a kill): the coroutines of its loop
    /// that had not finished end with it (greenlet throws `GreenletExit` into them as their
    /// thread goes), and one parked until then was parked until then.
    fn end_with_thread(&mut self, thread: crate::ids::Pid, now: Tick) {
        let start = (thread, String::new());
        let rows: Vec<usize> = self
            .index
            .range(start..)
            .take_while(|((pid, _), _)| *pid == thread)
            .map(|(_, &row)| row)
            .collect();
        for row in rows {
            if let Some(since) = self.parked_since.remove(&row) {
                self.rows[row].parked += now.since(since);
            }
            self.rows[row].completion.get_or_insert(now.0);
        }
    }

    /// The rows at `now`: a coroutine parked now has been parked since it parked.
    fn rows_at(mut self, now: Tick) -> Vec<CoroutineRow> {
        for (row, since) in std::mem::take(&mut self.parked_since) {
            self.rows[row].parked += now.since(since);
        }
        self.rows
    }

    fn push(
        &mut self,
        timed: &TimedEvent,
        process_of: impl Fn(crate::ids::Pid) -> crate::ids::Pid,
    ) {
        let now = timed.time;
        match &timed.event {
            Event::Dispatch { pid, .. } => {
                self.running.insert(*pid, now);
            }
            Event::Preempt { pid, .. }
            | Event::Block {
                pid, cpu: Some(_), ..
            }
            | Event::GilDrop { pid, .. } => {
                self.charge(*pid, now);
                self.running.remove(pid);
            }
            Event::Exit { pid, .. } | Event::ThreadExit { pid, .. } => {
                self.charge(*pid, now);
                self.running.remove(pid);
                self.end_with_thread(*pid, now);
            }
            Event::CoroutineCreate { pid, name } => {
                self.current.entry(*pid).or_insert_with(|| "main".into());
                self.index.insert((*pid, name.clone()), self.rows.len());
                self.rows.push(CoroutineRow {
                    pid: process_of(*pid).0,
                    tid: pid.0,
                    name: name.clone(),
                    created: now.0,
                    completion: None,
                    cpu_time: 0,
                    parked: 0,
                });
            }
            Event::CoroutineSwitch { pid, to, .. } => {
                self.charge(*pid, now);
                self.current.insert(*pid, to.clone());
            }
            Event::CoroutinePark { pid, name, .. }
            | Event::CoroutineWaitMessage { pid, name, .. } => {
                if let Some(&row) = self.index.get(&(*pid, name.clone())) {
                    self.parked_since.insert(row, now);
                }
            }
            Event::CoroutineWake { pid, name } => {
                if let Some(&row) = self.index.get(&(*pid, name.clone()))
                    && let Some(since) = self.parked_since.remove(&row)
                {
                    self.rows[row].parked += now.since(since);
                }
            }
            Event::CoroutineDone { pid, name } => {
                self.charge(*pid, now);
                if let Some(&row) = self.index.get(&(*pid, name.clone())) {
                    self.rows[row].completion = Some(now.0);
                }
            }
            _ => {}
        }
    }
}

/// A job of a periodic task (docs/realtime.md).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct JobRow {
    pub task: String,
    /// Its number within its task, from 1 (its process is `task#job`).
    pub job: u64,
    pub release: u64,
    /// When it first ran.
    pub start: Option<u64>,
    /// When it finished; none when it was aborted or the run ended first.
    pub finish: Option<u64>,
    /// Its absolute deadline.
    pub deadline: u64,
    /// Its response time, finish − release.
    pub response: Option<u64>,
    /// Whether it was unfinished at its deadline.
    pub missed: bool,
    /// Whether it was aborted at its deadline (`on_miss: abort`).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub aborted: bool,
}

impl JobRow {
    /// Whether it missed its deadline, in one word: `aborted`, `yes` or `no`.
    pub fn missed_word(&self) -> &'static str {
        match (self.missed, self.aborted) {
            (true, true) => "aborted",
            (true, false) => "yes",
            (false, _) => "no",
        }
    }
}

/// A task of a process pool (docs/python.md).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TaskRow {
    /// Its number, from 1, in submission order across pools.
    pub task: usize,
    pub pool: String,
    /// Who submitted it: the process, or `process/thread`.
    pub submitted_by: String,
    pub queued: u64,
    pub started: Option<u64>,
    pub finished: Option<u64>,
    /// The worker that ran it.
    pub worker: Option<u32>,
}

/// A line a program printed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct OutputLine {
    pub time: u64,
    /// The process's pid.
    pub pid: u32,
    /// The printing thread's id (the pid for the main thread).
    pub tid: u32,
    /// Who printed it: the process, or `process/thread`.
    pub name: String,
    pub text: String,
}

/// One thread in the report (docs/threads.md).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ThreadRow {
    /// The process's pid.
    pub pid: u32,
    /// The thread's id (the pid for the main thread).
    pub tid: u32,
    /// The thread's name (`MainThread` for the process's own).
    pub name: String,
    /// The process's name.
    pub process: String,
    /// When it was spawned (the process's arrival for the main thread).
    pub arrival: u64,
    pub first_run: Option<u64>,
    /// When it ended (the process's exit for the main thread).
    pub completion: Option<u64>,
    pub turnaround: Option<u64>,
    pub waiting: u64,
    pub response: Option<u64>,
    pub cpu_time: u64,
    /// Ticks spent waiting for the GIL; 0 without one.
    pub gil_wait: u64,
}

impl RunReport {
    /// The report of `simulator` as it stands (normally after `run_to_end`), from its log.
    pub fn of(simulator: &Simulator) -> RunReport {
        let mut fold = ReportFold::new(simulator.scenario());
        for timed in simulator.log() {
            fold.push(timed, simulator.scenario(), simulator.roster());
        }
        fold.finish(simulator)
    }
}

/// The averages and totals of a report, without the per-process rows and the Gantt chart:
/// `procsim run --summary --format json`. Field names are those of [`RunReport`].
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RunSummary {
    pub scenario: String,
    pub policy: String,
    pub cpus: usize,
    /// How many processes the run had, and how many finished.
    pub processes: usize,
    pub finished: usize,
    pub averages: Averages,
    pub makespan: u64,
    pub cpu_utilization: f64,
    pub throughput: f64,
    pub context_switches: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub thread_switches: Option<u64>,
}

impl RunSummary {
    pub fn of(report: &RunReport) -> RunSummary {
        RunSummary {
            scenario: report.scenario.clone(),
            policy: report.policy.clone(),
            cpus: report.cpus,
            processes: report.processes.len(),
            finished: report
                .processes
                .iter()
                .filter(|p| p.completion.is_some())
                .count(),
            averages: report.averages.clone(),
            makespan: report.makespan,
            cpu_utilization: report.cpu_utilization,
            throughput: report.throughput,
            context_switches: report.context_switches,
            thread_switches: report.thread_switches,
        }
    }
}

/// Most runs of a process a streamed report keeps for its Gantt chart (about 32 bytes each)
/// before it stops keeping them and rebuilds the chart by a second run once the first has
/// finished: a run that hits a limit never holds a chart of millions of slices. A scenario of
/// many processes may keep [`GANTT_RUNS_PER_PROCESS`] a process instead, which costs less than
/// the processes themselves.
pub const GANTT_RUNS_KEPT: usize = 1 << 20;

/// Runs of the chart kept per process of the scenario, when that is more than
/// [`GANTT_RUNS_KEPT`].
pub const GANTT_RUNS_PER_PROCESS: usize = 8;

/// Runs `scenario` to its end and reports it, folding the events as they happen and keeping no
/// event log: memory grows with the processes and the Gantt chart's slices, not with the
/// events. The report equals `RunReport::of` a full run.
pub fn run_streamed(scenario: Scenario, max_events: usize) -> Result<RunReport, RunError> {
    let kept = GANTT_RUNS_KEPT.max(
        scenario
            .processes
            .len()
            .saturating_mul(GANTT_RUNS_PER_PROCESS),
    );
    run_streamed_keeping(scenario, max_events, kept)
}

/// [`run_streamed`] without the Gantt chart (`gantt` is empty): for `procsim run --summary`,
/// whose memory then grows with the processes only, and which runs once.
pub fn run_streamed_without_chart(
    scenario: Scenario,
    max_events: usize,
) -> Result<RunReport, RunError> {
    let mut fold = ReportFold::new(&scenario);
    fold.gantt = None;
    let (simulator, fold) = fold_run(
        scenario,
        max_events,
        KeptFold {
            fold,
            gantt_runs_kept: 0,
        },
    )?;
    Ok(fold.fold.finish(&simulator))
}

/// [`run_streamed`], keeping at most `gantt_runs_kept` runs of the chart during the first run.
pub fn run_streamed_keeping(
    scenario: Scenario,
    max_events: usize,
    gantt_runs_kept: usize,
) -> Result<RunReport, RunError> {
    let fold = KeptFold {
        fold: ReportFold::new(&scenario),
        gantt_runs_kept,
    };
    let (simulator, KeptFold { mut fold, .. }) = fold_run(scenario, max_events, fold)?;
    if fold.gantt.is_none() {
        // The chart outgrew memory while the run might still have hit a limit: now that it
        // finished, run it again (the same, deterministically) for the chart alone.
        let scenario = simulator.scenario();
        let (_, ChartFold(gantt)) = fold_run(
            scenario.clone(),
            max_events,
            ChartFold(GanttFold::new(scenario)),
        )?;
        fold.gantt = Some(gantt);
    }
    Ok(fold.finish(&simulator))
}

/// A report's fold that lets its chart go once it passes `gantt_runs_kept` runs.
struct KeptFold {
    fold: ReportFold,
    gantt_runs_kept: usize,
}

impl EventSink for KeptFold {
    fn event(&mut self, timed: &TimedEvent, scenario: &Scenario, roster: &Roster) {
        self.fold.push(timed, scenario, roster);
        if self
            .fold
            .gantt
            .as_ref()
            .is_some_and(|g| g.runs() > self.gantt_runs_kept)
        {
            self.fold.gantt = None;
        }
    }
}

/// The Gantt chart alone, as a fold.
struct ChartFold(GanttFold);

impl EventSink for ChartFold {
    fn event(&mut self, timed: &TimedEvent, _: &Scenario, _: &Roster) {
        self.0.push(timed);
    }
}

/// Runs `scenario` to its end, handing every event to `sink` as it happens and keeping none;
/// returns the simulator where the run ended and the sink.
fn fold_run<S: EventSink>(
    scenario: Scenario,
    max_events: usize,
    sink: S,
) -> Result<(Simulator, S), RunError> {
    let mut simulator = Simulator::new(scenario);
    simulator.set_event_limit(max_events);
    simulator.set_sink(Box::new(sink));
    loop {
        simulator.check_time()?;
        if simulator.step().is_none() {
            let sink = simulator.take_sink::<S>().expect("the sink given above");
            return Ok((simulator, sink));
        }
        if simulator.events_logged() > max_events {
            return Err(RunError::EventLimit {
                limit: max_events,
                time: simulator.now(),
            });
        }
    }
}

/// The report as a fold over the events as they happen.
#[derive(Clone, Debug)]
pub struct ReportFold {
    metrics: MetricsFold,
    output: Vec<OutputLine>,
    stderr: Vec<OutputLine>,
    tasks: Vec<TaskRow>,
    coroutines: CoroutineFold,
    /// Each process's globals as its writes leave them, by pid; then the shared variables.
    globals: BTreeMap<crate::ids::Pid, Vec<i64>>,
    shared: Vec<i64>,
    /// `None` once the chart outgrew what a streamed run keeps ([`GANTT_RUNS_KEPT`]).
    gantt: Option<GanttFold>,
    errors: Vec<TraceError>,
    not_kept: NotKept,
    deadlocks: Vec<DeadlockReport>,
    /// The jobs that missed their deadline, and whether each was aborted.
    missed: BTreeMap<crate::ids::Pid, bool>,
}

impl ReportFold {
    pub fn new(scenario: &Scenario) -> ReportFold {
        let initial: Vec<i64> = scenario.globals.iter().map(|v| v.initial).collect();
        ReportFold {
            metrics: MetricsFold::new(scenario),
            output: Vec::new(),
            stderr: Vec::new(),
            tasks: Vec::new(),
            coroutines: CoroutineFold::default(),
            globals: if initial.is_empty() {
                BTreeMap::new()
            } else {
                (0..scenario.processes.len())
                    .map(|index| (crate::ids::Pid::from_index(index), initial.clone()))
                    .collect()
            },
            shared: scenario.shared.iter().map(|v| v.initial).collect(),
            gantt: Some(GanttFold::new(scenario)),
            errors: Vec::new(),
            not_kept: NotKept::default(),
            deadlocks: Vec::new(),
            missed: BTreeMap::new(),
        }
    }

    /// Takes one more event of a run of `scenario` into account (`roster` names processes).
    pub fn push(&mut self, timed: &TimedEvent, scenario: &Scenario, roster: &Roster) {
        self.metrics.push(timed);
        if let Some(gantt) = &mut self.gantt {
            gantt.push(timed);
        }
        let process_of = |pid: crate::ids::Pid| roster.get(pid).map_or(pid, |entry| entry.process);
        self.coroutines.push(timed, process_of);
        match &timed.event {
            Event::Print { pid, text } => {
                keep(&mut self.output, &mut self.not_kept.output, || OutputLine {
                    time: timed.time.0,
                    pid: process_of(*pid).0,
                    tid: pid.0,
                    name: roster.name(*pid).to_string(),
                    text: text.clone(),
                })
            }
            Event::Raise {
                pid,
                exception,
                caught: false,
                ..
            } => keep(&mut self.stderr, &mut self.not_kept.stderr, || OutputLine {
                time: timed.time.0,
                pid: process_of(*pid).0,
                tid: pid.0,
                name: roster.name(*pid).to_string(),
                text: exception.clone(),
            }),
            Event::TaskQueued { pid, pool, task } => self.tasks.push(TaskRow {
                task: *task,
                pool: scenario.pools[pool.0].name.clone(),
                submitted_by: roster.name(*pid).to_string(),
                queued: timed.time.0,
                started: None,
                finished: None,
                worker: None,
            }),
            Event::TaskStart { pid, task, .. } => {
                if let Some(row) = self.tasks.get_mut(task - 1) {
                    row.started = Some(timed.time.0);
                    row.worker = Some(pid.0);
                }
            }
            Event::TaskDone { task, .. } => {
                if let Some(row) = self.tasks.get_mut(task - 1) {
                    row.finished = Some(timed.time.0);
                }
            }
            Event::Fork { pid, child, .. } => {
                if let Some(values) = self.globals.get(pid).cloned() {
                    self.globals.insert(*child, values);
                }
            }
            Event::Write {
                pid,
                variable,
                value,
            } => match *variable {
                crate::scenario::Variable::Shared(index) => self.shared[index] = *value,
                crate::scenario::Variable::Global(index) => {
                    if let Some(values) = self.globals.get_mut(&process_of(*pid)) {
                        values[index] = *value;
                    }
                }
            },
            Event::ForkFailed { .. }
            | Event::SpawnFailed { .. }
            | Event::NoSuchChild { .. }
            | Event::ReleaseNotHeld { .. }
            | Event::JoinFailed { .. }
            | Event::ForkRefused { .. }
            | Event::PoolMisuse { .. }
            | Event::NoResult { .. }
            | Event::WrongEnd { .. }
            | Event::InputFailed { .. }
            | Event::SelectTooMany { .. }
            | Event::CoroutineFailed { .. }
            | Event::TooManyTaskDone { .. }
            | Event::Wake {
                reason: crate::event::WakeReason::NoChildLeft,
                ..
            } => {
                let thread = timed.event.pid();
                keep(&mut self.errors, &mut self.not_kept.errors, || TraceError {
                    time: timed.time.0,
                    pid: thread.map_or(0, |pid| process_of(pid).0),
                    tid: thread.map_or(0, |pid| pid.0),
                    message: crate::narrate::describe(&timed.event, scenario, roster),
                });
            }
            Event::DeadlineMiss { pid, aborted, .. } => {
                self.missed.insert(*pid, *aborted);
            }
            Event::Deadlock {
                processes,
                resources,
                cycle,
            } => self.deadlocks.push(DeadlockReport {
                time: timed.time.0,
                processes: processes
                    .iter()
                    .map(|&pid| roster.name(pid).to_string())
                    .collect(),
                resources: resources
                    .iter()
                    .map(|r| scenario.sync.resources[r.0].name.clone())
                    .collect(),
                cycle: crate::narrate::cycle_names(cycle, scenario, roster),
            }),
            _ => {}
        }
    }

    /// The report of the run so far; `simulator` is where it stands.
    pub fn finish(self, simulator: &Simulator) -> RunReport {
        let scenario = simulator.scenario();
        let multilevel = scenario.policy.is_multilevel();
        let Metrics {
            processes,
            averages,
            makespan,
            cpu_utilization,
            throughput,
            context_switches,
            threads,
            thread_switches,
        } = self.metrics.finish(scenario);
        // The roster names every process; a thread row carries its process's name.
        let process_name = |pid: crate::ids::Pid| simulator.roster().name(pid).to_string();
        let spawned = !threads.is_empty();
        let threads: Vec<ThreadRow> = threads
            .into_iter()
            .map(|row| ThreadRow {
                pid: row.process.0,
                tid: row.pid.0,
                process: process_name(row.process),
                name: row.name,
                arrival: row.arrival.0,
                first_run: row.first_run.map(|t| t.0),
                completion: row.completion.map(|t| t.0),
                turnaround: row.turnaround,
                waiting: row.waiting,
                response: row.response,
                cpu_time: row.cpu_time,
                gil_wait: row.gil_wait,
            })
            .collect();
        let gantt = self
            .gantt
            .map(|gantt| gantt.finish(scenario, simulator.roster(), Tick(makespan)))
            .unwrap_or_default();
        let jobs = scenario
            .realtime
            .as_ref()
            .map(|realtime| {
                realtime
                    .jobs
                    .iter()
                    .enumerate()
                    .map(|(index, job)| {
                        let pid = realtime.pid_of_job(index);
                        let row = &processes[pid.index()];
                        let aborted = self.missed.get(&pid).copied();
                        let finish = row.completion.filter(|_| aborted != Some(true));
                        JobRow {
                            task: realtime.task_of(job).name.clone(),
                            job: job.number,
                            release: job.release.0,
                            start: row.first_run.map(|t| t.0),
                            finish: finish.map(|t| t.0),
                            deadline: job.deadline.0,
                            response: finish.map(|t| t.since(job.release)),
                            missed: aborted.is_some(),
                            aborted: aborted == Some(true),
                        }
                    })
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default();
        let deadline_misses = scenario
            .realtime
            .as_ref()
            .map(|_| jobs.iter().filter(|job| job.missed).count() as u64);
        RunReport {
            scenario: scenario.name.clone(),
            policy: scenario.policy.describe(),
            cpus: scenario.cpus,
            processes: processes
                .into_iter()
                .map(|row| ProcessRow {
                    name: row.name,
                    pid: row.pid.0,
                    ppid: row.ppid.0,
                    arrival: row.arrival.0,
                    first_run: row.first_run.map(|t| t.0),
                    completion: row.completion.map(|t| t.0),
                    exited_at: row.completion.map(|t| t.0),
                    reaped_at: row.reaped_at.map(|t| t.0),
                    reaped_by: row.reaped_by.map(|p| p.0),
                    exit_code: row.exit_code,
                    turnaround: row.turnaround,
                    waiting: row.waiting,
                    response: row.response,
                    cpu_time: row.cpu_time,
                    on_cpu: row.on_cpu,
                    level: multilevel.then_some(row.level),
                    sched: simulator.sched_values(row.pid),
                })
                .collect(),
            averages,
            gantt,
            makespan,
            cpu_utilization,
            throughput,
            context_switches,
            thread_switches: spawned.then_some(thread_switches),
            threads,
            variables: {
                let roster = simulator.roster();
                let mut variables: BTreeMap<String, i64> = scenario
                    .shared
                    .iter()
                    .zip(&self.shared)
                    .map(|(spec, &value)| (spec.name.clone(), value))
                    .collect();
                for (pid, values) in &self.globals {
                    for (spec, &value) in scenario.globals.iter().zip(values) {
                        variables.insert(format!("{}.{}", roster.label(*pid), spec.name), value);
                    }
                }
                variables
            },
            output: self.output,
            stderr: self.stderr,
            tasks: self.tasks,
            coroutines: self.coroutines.rows_at(simulator.now()),
            errors: self.errors,
            not_kept: self.not_kept,
            jobs,
            deadline_misses,
            deadlocks: self.deadlocks,
            stuck: if simulator.next_instant().is_some() {
                Vec::new()
            } else {
                let roster = simulator.roster();
                simulator
                    .pcbs()
                    .iter()
                    .filter(|pcb| !pcb.state.has_exited() && pcb.arrival <= simulator.now())
                    .map(|pcb| roster.name(pcb.pid).to_string())
                    .collect()
            },
            held_by_dead: held_by_dead(simulator),
            expected: None,
        }
    }
}

/// The resources dead processes hold while others wait for them.
fn held_by_dead(simulator: &Simulator) -> Vec<HeldByDead> {
    let (roster, pcbs) = (simulator.roster(), simulator.pcbs());
    let mut stuck = Vec::new();
    for resource in &simulator.sync_view().resources {
        if resource.waiters.is_empty() {
            continue;
        }
        for &(holder, _) in &resource.holders {
            if pcbs[holder.index()].state.has_exited() {
                stuck.push(HeldByDead {
                    resource: resource.name.clone(),
                    holder: roster.name(holder).to_string(),
                    pid: pcbs[holder.index()].process.0,
                    tid: holder.0,
                    waiting: resource
                        .waiters
                        .iter()
                        .map(|&(pid, _)| roster.name(pid).to_string())
                        .collect(),
                });
            }
        }
    }
    stuck
}
