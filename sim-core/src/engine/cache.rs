//! The cache model (`cache:`, docs/policies.md), as OSTEP's multi.py has it. Each CPU's cache
//! holds the working sets of some processes: a process dispatched to a CPU whose cache does
//! not hold it starts warming it; after `warmup` ticks of running there its working set is in
//! (at the front), and the cache drops the sets at its back, each to be warmed again, until
//! the sets fit in `size`. A process whose working set is in the cache of its CPU does
//! `warm_rate` ticks of work a tick; others one. Only the running process warms a cache, so a
//! running process's speed changes at most once a slice, when its warm-up ends.

use crate::ids::{CpuId, Pid};
use crate::scenario::{CacheConfig, Scenario};

pub(super) struct Caches {
    config: CacheConfig,
    /// The working set of each process, by `Pid::index` (forked processes: 0).
    working_set: Vec<u64>,
    cpus: Vec<CpuCache>,
    /// Ticks each CPU ran a process faster than one work a tick.
    pub warm_ticks: Vec<u64>,
}

#[derive(Default, Clone)]
struct CpuCache {
    /// Whose working sets are in, most recent first.
    contents: Vec<Pid>,
    /// Processes warming this cache, with the ticks of running here they still need.
    warming: Vec<(Pid, u64)>,
}

/// How a process runs on a CPU from now on.
enum Pace {
    /// `warm_rate` work a tick.
    Warm,
    /// One work a tick for this many ticks, then warm.
    WarmingFor(u64),
    /// One work a tick for good (its working set does not fit the cache).
    Cold,
}

impl Caches {
    pub fn new(config: CacheConfig, scenario: &Scenario) -> Caches {
        let working_set = scenario.processes.iter().map(|p| p.working_set).collect();
        Caches {
            config,
            working_set,
            cpus: vec![CpuCache::default(); scenario.cpus],
            warm_ticks: vec![0; scenario.cpus],
        }
    }

    fn set_of(&self, pid: Pid) -> u64 {
        self.working_set.get(pid.index()).copied().unwrap_or(0)
    }

    /// `pid` is dispatched to `cpu`: it starts warming the cache unless it is in or warming.
    pub fn dispatched(&mut self, cpu: CpuId, pid: Pid) {
        let cache = &self.cpus[cpu.0];
        if cache.contents.contains(&pid) || cache.warming.iter().any(|&(p, _)| p == pid) {
            return;
        }
        if self.config.warmup_ticks == 0 {
            self.cpus[cpu.0].contents.insert(0, pid);
            self.fit(cpu);
        } else {
            self.cpus[cpu.0]
                .warming
                .push((pid, self.config.warmup_ticks));
        }
    }

    /// Drops working sets from the back until the rest fit (each dropped one warms again).
    fn fit(&mut self, cpu: CpuId) {
        // A dropped set runs at least one cold tick before it is back (multi.py counts the
        // warm-up down after each tick, from 0 too).
        let warmup = self.config.warmup_ticks.max(1);
        loop {
            let total: u64 = self.cpus[cpu.0]
                .contents
                .iter()
                .map(|&pid| self.set_of(pid))
                .sum();
            if total <= self.config.size {
                return;
            }
            let Some(dropped) = self.cpus[cpu.0].contents.pop() else {
                return;
            };
            self.cpus[cpu.0].warming.push((dropped, warmup));
        }
    }

    fn pace(&self, cpu: CpuId, pid: Pid) -> Pace {
        let cache = &self.cpus[cpu.0];
        if cache.contents.contains(&pid) {
            return Pace::Warm;
        }
        let fits = self.set_of(pid) <= self.config.size;
        match cache.warming.iter().find(|&&(p, _)| p == pid) {
            Some(&(_, left)) if fits => Pace::WarmingFor(left),
            _ => Pace::Cold,
        }
    }

    /// The ticks `pid` needs on `cpu` to do `work`, from the cache as it is.
    pub fn ticks_for(&self, cpu: CpuId, pid: Pid, work: u64) -> u64 {
        let rate = self.config.warm_rate.max(1);
        match self.pace(cpu, pid) {
            Pace::Warm => work.div_ceil(rate),
            Pace::WarmingFor(left) if work > left => left + (work - left).div_ceil(rate),
            Pace::WarmingFor(_) | Pace::Cold => work,
        }
    }

    /// The work `pid` does running `ticks` on `cpu` from now, without changing the cache.
    pub fn work_in(&self, cpu: CpuId, pid: Pid, ticks: u64) -> u64 {
        let rate = self.config.warm_rate.max(1);
        match self.pace(cpu, pid) {
            Pace::Warm => ticks.saturating_mul(rate),
            Pace::WarmingFor(left) if ticks > left => {
                left.saturating_add((ticks - left).saturating_mul(rate))
            }
            Pace::WarmingFor(_) | Pace::Cold => ticks,
        }
    }

    /// `pid` ran `ticks` on `cpu`: the work it did; its warm-up goes on (and may end).
    pub fn ran(&mut self, cpu: CpuId, pid: Pid, ticks: u64) -> u64 {
        let work = self.work_in(cpu, pid, ticks);
        let warm_from = match self.pace(cpu, pid) {
            Pace::Warm => Some(0),
            Pace::WarmingFor(left) => Some(left),
            Pace::Cold => None,
        };
        if let Some(from) = warm_from
            && ticks > from
            && self.config.warm_rate > 1
        {
            self.warm_ticks[cpu.0] += ticks - from;
        }
        // The warm-up counts down by the ticks run; when it ends the set goes in at the front.
        let warmup = self.config.warmup_ticks.max(1);
        let cache = &mut self.cpus[cpu.0];
        if let Some(at) = cache.warming.iter().position(|&(p, _)| p == pid) {
            let left = cache.warming[at].1;
            if ticks >= left {
                cache.warming.remove(at);
                cache.contents.insert(0, pid);
                self.fit(cpu);
                // A set too big for the cache is dropped at once and warms again, round after
                // round, never warm: only what is left of the last round matters.
                let cache = &mut self.cpus[cpu.0];
                if let Some(again) = cache.warming.iter_mut().find(|(p, _)| *p == pid) {
                    let rounds_left = (ticks - left) % warmup;
                    again.1 = warmup - rounds_left;
                }
            } else {
                cache.warming[at].1 = left - ticks;
            }
        }
        work
    }

    /// Whose working sets each CPU's cache holds, most recent first.
    pub fn contents(&self, cpu: CpuId) -> Vec<Pid> {
        self.cpus[cpu.0].contents.clone()
    }
}
