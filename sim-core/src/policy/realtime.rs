//! The real-time policies of periodic tasks: EDF, RM, DM and LLF (docs/realtime.md).
//!
//! The four differ only in the key a job is ranked by, the least first: its absolute deadline
//! (EDF), its task's period (RM) or relative deadline (DM) — fixed priorities — or its laxity,
//! deadline − now − remaining work (LLF). A job that becomes ready preempts the running one
//! when its key is strictly less; under LLF the laxity of a waiting job falls by one a tick
//! while the running job's stays put, so the policy's timer preempts at the first tick a
//! waiting job's laxity is strictly less than the running one's. Ties: the earlier release
//! (first come, first served, as SimSo's uniprocessor schedulers), then the task listed first.
//! Processes that are not jobs are background work: they run, first
//! come first served (one a job preempted keeps its place at the front), only while no job is
//! ready, and any job takes the CPU from them.

use super::{Deschedule, KeyedQueue, Policy, ProcTable, ReadyReason, TimerOutcome};
use crate::event::{Choice, ChoiceRule, Event, Measure, PreemptReason};
use crate::ids::{CpuId, Pid, Tick};
use crate::scenario::{RealTime, RealTimeRule, Scenario};

/// How a ready process is ranked: every job before any background process.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Key {
    /// `value`: the rule's key (under LLF the latest start, deadline − remaining, which orders
    /// waiting jobs as their laxities do at any one time).
    Job {
        value: i64,
        release: Tick,
        task: usize,
    },
    /// First come, first served: `order` counts entries into the queue; one a job took the
    /// CPU from keeps its place at the front (counted down from −1).
    Background { order: i64 },
}

/// The process on the CPU, as the policy dispatched it.
#[derive(Clone, Copy, Debug)]
struct Running {
    pid: Pid,
    /// Whether it is a job (else background work).
    job: bool,
    /// A job's laxity, which does not change while it runs (0 for background work).
    laxity: i64,
}

pub struct RealTimePolicy {
    rule: RealTimeRule,
    realtime: Option<RealTime>,
    ready: KeyedQueue<Key>,
    running: Option<Running>,
    /// The next background entry's place at the back, and at the front.
    next_back: i64,
    next_front: i64,
}

impl RealTimePolicy {
    pub fn new(rule: RealTimeRule, scenario: &Scenario) -> Self {
        RealTimePolicy {
            rule,
            realtime: scenario.realtime.clone(),
            ready: KeyedQueue::new(scenario.processes.len()),
            running: None,
            next_back: 0,
            next_front: -1,
        }
    }

    /// `pid`'s key as of `procs.now`; `None` for background work.
    fn key(&self, pid: Pid, procs: &ProcTable) -> Option<Key> {
        let realtime = self.realtime.as_ref()?;
        let job = realtime.job_of(pid)?;
        let task = realtime.task_of(job);
        let value = match self.rule {
            RealTimeRule::Edf => job.deadline.0 as i64,
            RealTimeRule::Rm => task.period as i64,
            RealTimeRule::Dm => task.deadline as i64,
            RealTimeRule::Llf => job.deadline.0 as i64 - procs.get(pid).remaining_ticks as i64,
        };
        Some(Key::Job {
            value,
            release: job.release,
            task: job.task,
        })
    }

    /// A job's laxity at `procs.now`: deadline − now − remaining work (exact for a process not
    /// running: a running one's PCB is charged at instants only).
    fn laxity(&self, pid: Pid, procs: &ProcTable) -> Option<i64> {
        let job = self.realtime.as_ref()?.job_of(pid)?;
        Some(job.deadline.0 as i64 - procs.now.0 as i64 - procs.get(pid).remaining_ticks as i64)
    }

    /// The value a choice shows: under LLF the laxity at `now`, else the key itself.
    fn shown(&self, key: Key, now: Tick) -> Option<Measure> {
        match key {
            Key::Job { value, .. } if self.rule == RealTimeRule::Llf => {
                Some(Measure::Whole(value - now.0 as i64))
            }
            Key::Job { value, .. } => Some(Measure::Whole(value)),
            Key::Background { .. } => None,
        }
    }

    fn choice_rule(&self) -> ChoiceRule {
        match self.rule {
            RealTimeRule::Edf => ChoiceRule::EarliestDeadline,
            RealTimeRule::Rm => ChoiceRule::ShortestPeriod,
            RealTimeRule::Dm => ChoiceRule::ShortestRelativeDeadline,
            RealTimeRule::Llf => ChoiceRule::LeastLaxity,
        }
    }

    fn preempt_reason(&self, by: Pid) -> PreemptReason {
        match self.rule {
            RealTimeRule::Edf => PreemptReason::EarlierAbsoluteDeadline { by },
            RealTimeRule::Rm => PreemptReason::ShorterPeriod { by },
            RealTimeRule::Dm => PreemptReason::ShorterRelativeDeadline { by },
            RealTimeRule::Llf => PreemptReason::LessLaxity { by },
        }
    }

    fn left_cpu(&mut self, pid: Pid) {
        if self.running.is_some_and(|running| running.pid == pid) {
            self.running = None;
        }
    }

    /// Under LLF, when the first waiting job's laxity falls strictly below the running job's:
    /// its laxity at t is `latest start − t`.
    fn laxity_crossing(&self) -> Option<(Tick, Pid)> {
        if self.rule != RealTimeRule::Llf {
            return None;
        }
        let running = self.running.filter(|running| running.job)?;
        let (Key::Job { value, .. }, waiting) = self.ready.first()? else {
            return None;
        };
        let time = value - running.laxity + 1;
        Some((Tick(u64::try_from(time).ok()?), waiting))
    }
}

impl Policy for RealTimePolicy {
    fn enqueue(&mut self, pid: Pid, why: ReadyReason, procs: &ProcTable) -> Option<Event> {
        self.left_cpu(pid);
        let key = self.key(pid, procs).unwrap_or_else(|| {
            // Background work a job took the CPU from keeps its place at the front.
            let order = if why == ReadyReason::Preempted {
                self.next_front -= 1;
                self.next_front + 1
            } else {
                self.next_back += 1;
                self.next_back - 1
            };
            Key::Background { order }
        });
        self.ready.insert(pid, key);
        None
    }

    fn select(&mut self, _procs: &ProcTable) -> Option<Pid> {
        self.upcoming()
    }

    fn upcoming(&self) -> Option<Pid> {
        self.ready.first().map(|(_, pid)| pid)
    }

    fn why(&self, chosen: Pid, procs: &ProcTable) -> Choice {
        let Some(key) = self.ready.key_of(chosen) else {
            return Choice::first_in_line(None);
        };
        let runner_up = self.ready.runner_up(chosen);
        match self.shown(key, procs.now) {
            Some(value) => Choice::keyed(
                self.choice_rule(),
                value,
                runner_up.and_then(|(key, pid)| Some((pid, self.shown(key, procs.now)?))),
            ),
            // Background work runs only while no job is ready.
            None => Choice::first_in_line(runner_up.map(|(_, pid)| pid)),
        }
    }

    fn remove(&mut self, pid: Pid) {
        self.ready.remove(pid);
    }

    fn dispatched(&mut self, pid: Pid, procs: &ProcTable) {
        let job = self.key(pid, procs).is_some();
        let laxity = self.laxity(pid, procs).unwrap_or(0);
        self.running = Some(Running { pid, job, laxity });
    }

    fn queues(&self) -> Vec<Vec<Pid>> {
        vec![self.ready.to_vec()]
    }

    fn nobody_ready(&self) -> bool {
        self.ready.is_empty()
    }

    fn may_preempt(&self) -> bool {
        true
    }

    fn preemption(
        &self,
        candidate: Pid,
        running: &[(CpuId, Pid)],
        procs: &ProcTable,
    ) -> Option<(CpuId, PreemptReason)> {
        let &(cpu, victim) = running.first()?;
        let Key::Job { value, .. } = self.ready.key_of(candidate)? else {
            return None;
        };
        let Some(Key::Job {
            value: victim_value,
            ..
        }) = self.key(victim, procs)
        else {
            return Some((cpu, PreemptReason::JobReleased { by: candidate }));
        };
        // Under LLF both keys are latest starts at `now`: their order is their laxities'.
        (value < victim_value).then(|| (cpu, self.preempt_reason(candidate)))
    }

    fn descheduled(
        &mut self,
        pid: Pid,
        _quantum_left: Option<u64>,
        _why: Deschedule,
        _procs: &ProcTable,
    ) -> Option<Event> {
        self.left_cpu(pid);
        None
    }

    fn quantum_expired(&mut self, pid: Pid, _procs: &ProcTable) -> Option<Event> {
        self.left_cpu(pid);
        None
    }

    fn renewal_is_stable(&self, _pid: Pid, _procs: &ProcTable) -> bool {
        self.rule != RealTimeRule::Llf
    }

    fn sched_values(&self, pid: Pid, procs: &ProcTable) -> Vec<(&'static str, Measure)> {
        let Some(realtime) = &self.realtime else {
            return Vec::new();
        };
        let Some(job) = realtime.job_of(pid) else {
            return Vec::new();
        };
        let pcb = procs.get(pid);
        let mut values = vec![("deadline", Measure::Whole(job.deadline.0 as i64))];
        // A laxity only while it is released and unfinished.
        if !pcb.state.has_exited() && pcb.state != crate::pcb::ProcState::New {
            let laxity = match self.running {
                // The running job's PCB is charged lazily: its laxity is the one it ran with.
                Some(running) if running.pid == pid => Some(running.laxity),
                _ => self.laxity(pid, procs),
            };
            values.extend(laxity.map(|laxity| ("laxity", Measure::Whole(laxity))));
        }
        values
    }

    fn next_timer(&self, after: Tick) -> Option<Tick> {
        self.laxity_crossing()
            .map(|(time, _)| time)
            .filter(|&time| time > after)
    }

    fn exited(&mut self, pid: Pid) {
        self.left_cpu(pid);
    }

    fn on_timer(&mut self, running: &[(CpuId, Pid)], procs: &ProcTable) -> TimerOutcome {
        let Some((time, waiting)) = self.laxity_crossing() else {
            return TimerOutcome::default();
        };
        let Some(&(_, pid)) = running.first() else {
            return TimerOutcome::default();
        };
        if time != procs.now || self.running.is_none_or(|running| running.pid != pid) {
            return TimerOutcome::default();
        }
        // The running job goes back to the queue with its laxity as of now.
        self.running = None;
        let Some(key) = self.key(pid, procs) else {
            return TimerOutcome::default();
        };
        self.ready.insert(pid, key);
        TimerOutcome {
            event: None,
            vacated: vec![pid],
            fresh_quanta: false,
            reason: Some(PreemptReason::LessLaxity { by: waiting }),
        }
    }

    fn rules(&self) -> Vec<String> {
        let name = self.rule.name();
        let mut rules = vec![
            match self.rule {
                RealTimeRule::Edf => "edf: the ready job with the earliest absolute deadline runs.",
                RealTimeRule::Rm => "rm: the ready job whose task has the shortest period runs (a fixed priority per task).",
                RealTimeRule::Dm => "dm: the ready job whose task has the shortest relative deadline runs (a fixed priority per task).",
                RealTimeRule::Llf => "llf: the ready job with the least laxity (deadline − now − remaining work) runs.",
            }
            .to_string(),
            format!("{name}: a job that becomes ready preempts the running one when its key is strictly less; equal keys never preempt."),
            format!("{name}: ties go to the earlier release, then to the task listed first in `tasks:`."),
            format!("{name}: processes that are not jobs run first come first served while no job is ready; any job takes the CPU from them."),
        ];
        if self.rule == RealTimeRule::Llf {
            rules.push("llf: a waiting job's laxity falls by one each tick while the running job's stays: the running job is preempted at the first tick a waiting job's laxity is strictly less.".into());
        }
        rules
    }
}
