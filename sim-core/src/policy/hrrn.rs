//! Highest response ratio next (non-preemptive).
//!
//! Rules: the next process is the ready one with the highest response ratio
//! (w + s) / s, where w is how long it has waited in the ready queue so far and s the length of
//! its current CPU burst; it then runs until it blocks or exits. Ratios are compared exactly.
//! Ties: earlier entry into the ready queue, then scenario order.
//!
//! Ratios grow with time at a rate of 1/s, so no fixed order of the queue lasts. But among
//! the processes with the same burst s, the one that entered first has waited longest and wins
//! (or ties and wins by entry): only the first of each burst length can be chosen. The queue is
//! kept as one first-in, first-out line per burst length, and a choice compares the heads of
//! the lines that hold someone — a few dozen in a classroom run or a generated workload,
//! instead of every waiting process (at worst, every burst length differs: as many).

use super::{Policy, ProcTable, ReadyReason};
use crate::event::{Choice, ChoiceRule, Event, Measure};
use crate::ids::{Pid, Tick};
use std::collections::{BTreeMap, VecDeque};

/// In `line_of_pid`: waiting in no line.
const NOT_QUEUED: u32 = u32::MAX;

#[derive(Default)]
pub struct Hrrn {
    /// One line per burst length ever queued, kept when it empties (its buffer is reused):
    /// nothing is allocated once the run's lines have grown.
    lines: Vec<Line>,
    line_of: BTreeMap<u64, usize>,
    /// The lines that hold someone, in no particular order: a choice looks at these only.
    active: Vec<usize>,
    /// The first of each line of `active`, at the same index: a choice reads one small array,
    /// not a buffer per line.
    heads: Vec<Queued>,
    /// The process the last choice found, with its line: removing it (to dispatch it) needs
    /// no lookup.
    chosen: Option<(Pid, usize)>,
    /// The last choice's figures, for `why`.
    reason: Option<LastChoice>,
    /// The likely next choice (a hint: the engine fetches its PCB early).
    upcoming: Option<Pid>,
    /// The line each queued pid waits in (indexed by `Pid::index`; `NOT_QUEUED` if none):
    /// four bytes a process, so that the table of 100,000 stays in the cache.
    line_of_pid: Vec<u32>,
    next_sequence: u64,
    queued: usize,
    /// The longest burst ever queued (at least 1).
    longest_burst: u64,
}

/// A choice with the figures it compared: each one's wait and burst.
#[derive(Clone, Copy)]
struct LastChoice {
    chosen: Pid,
    waited_and_burst: (u64, u64),
    runner_up: Option<(Pid, (u64, u64))>,
}

struct Line {
    members: VecDeque<Queued>,
    /// Where the line is in `active`, while it holds someone.
    active_at: Option<usize>,
}

#[derive(Clone, Copy)]
struct Queued {
    sequence: u64,
    pid: Pid,
    /// When it entered the ready queue and its burst (at least 1), as its PCB had them then:
    /// neither changes while it waits, and a choice reads them here, not in every PCB.
    since: Tick,
    burst: u64,
}

/// A candidate with its wait and burst, as the choice compares them.
#[derive(Clone, Copy)]
struct Rated<T> {
    queued: Queued,
    with: T,
    waited: u64,
    burst: u64,
}

impl<T> Rated<T> {
    fn new((queued, with): (Queued, T), (waited, burst): (u64, u64)) -> Self {
        Rated {
            queued,
            with,
            waited,
            burst,
        }
    }

    /// A higher ratio, or an equal one and an earlier entry. (w + s) / s = 1 + w / s, so a
    /// beats b when wa * sb > wb * sa, compared exactly in 128 bits.
    fn beats<U>(&self, other: &Rated<U>) -> bool {
        self.beats_within::<false, U>(other)
    }

    /// As `beats`; `NARROW` when every wait and burst is below 2^32, so that the products
    /// fit in 64 bits (cheaper to form and compare).
    fn beats_within<const NARROW: bool, U>(&self, other: &Rated<U>) -> bool {
        let (ours, theirs) = if NARROW {
            (
                u128::from(self.waited * other.burst),
                u128::from(other.waited * self.burst),
            )
        } else {
            (
                u128::from(self.waited) * u128::from(other.burst),
                u128::from(other.waited) * u128::from(self.burst),
            )
        };
        ours > theirs || (ours == theirs && self.queued.sequence < other.queued.sequence)
    }
}

impl Hrrn {
    /// The choice among `candidates`: the highest response ratio, the earliest entry among
    /// equals; and the second best, the runner-up. `waited_and_burst` gives each one's w and s.
    fn best<const NARROW: bool, T: Copy>(
        candidates: impl Iterator<Item = (Queued, T)>,
        waited_and_burst: impl Fn(&(Queued, T)) -> (u64, u64),
    ) -> (Option<Rated<T>>, Option<Rated<T>>) {
        let mut best: Option<Rated<T>> = None;
        let mut second: Option<Rated<T>> = None;
        for candidate in candidates {
            let rated = Rated::new(candidate, waited_and_burst(&candidate));
            match best {
                Some(chosen) if !rated.beats_within::<NARROW, _>(&chosen) => {
                    if second.is_none_or(|second| rated.beats_within::<NARROW, _>(&second)) {
                        second = Some(rated);
                    }
                }
                _ => second = best.replace(rated),
            }
        }
        (best, second)
    }

    /// Every queued process in entry order (for views).
    fn in_entry_order(&self) -> Vec<Queued> {
        let mut all: Vec<Queued> = self.queued_in_any_order().collect();
        all.sort_unstable_by_key(|queued| queued.sequence);
        all
    }

    fn queued_in_any_order(&self) -> impl Iterator<Item = Queued> + '_ {
        self.active
            .iter()
            .flat_map(|&line| self.lines[line].members.iter().copied())
    }
}

impl Policy for Hrrn {
    fn enqueue(&mut self, pid: Pid, _why: ReadyReason, procs: &ProcTable) -> Option<Event> {
        self.remove(pid);
        let pcb = procs.get(pid);
        let burst = pcb.remaining_ticks;
        let queued = Queued {
            sequence: self.next_sequence,
            pid,
            since: pcb.state_since,
            burst: burst.max(1),
        };
        self.next_sequence += 1;
        self.longest_burst = self.longest_burst.max(queued.burst);
        let line = match self.line_of.get(&burst) {
            Some(&line) => line,
            None => {
                self.lines.push(Line {
                    members: VecDeque::new(),
                    active_at: None,
                });
                self.line_of.insert(burst, self.lines.len() - 1);
                self.lines.len() - 1
            }
        };
        self.lines[line].members.push_back(queued);
        if self.lines[line].active_at.is_none() {
            self.lines[line].active_at = Some(self.active.len());
            self.active.push(line);
            self.heads.push(queued);
        }
        if pid.index() >= self.line_of_pid.len() {
            self.line_of_pid.resize(pid.index() + 1, NOT_QUEUED);
        }
        self.line_of_pid[pid.index()] = u32::try_from(line).expect("fewer than 2^32 lines");
        self.queued += 1;
        None
    }

    fn select(&mut self, procs: &ProcTable) -> Option<Pid> {
        let now = procs.now;
        let rate = |queued: &Queued| (now.since(queued.since), queued.burst);
        let heads = self.heads.iter().copied().zip(self.active.iter().copied());
        // Waits are at most `now`; bursts at most the longest ever queued.
        let narrow = now.0 <= u64::from(u32::MAX) && self.longest_burst <= u64::from(u32::MAX);
        let (best, second) = if narrow {
            Self::best::<true, _>(heads, |(queued, _)| rate(queued))
        } else {
            Self::best::<false, _>(heads, |(queued, _)| rate(queued))
        };
        self.chosen = best.map(|rated| (rated.queued.pid, rated.with));
        // The runner-up: the best of the other lines' heads, or the one behind the choice in
        // its line. Likely the next choice too.
        let behind = best
            .and_then(|rated| self.lines[rated.with].members.get(1))
            .map(|&queued| Rated::new((queued, ()), rate(&queued)));
        let runner_up = match (second, behind) {
            (Some(second), Some(behind)) if second.beats(&behind) => Some(second.queued),
            (second, behind) => behind
                .map(|rated| rated.queued)
                .or(second.map(|rated| rated.queued)),
        };
        self.upcoming = runner_up.map(|queued| queued.pid);
        self.reason = best.map(|rated| LastChoice {
            chosen: rated.queued.pid,
            waited_and_burst: (rated.waited, rated.burst),
            runner_up: runner_up.map(|queued| (queued.pid, rate(&queued))),
        });
        let chosen = best.map(|rated| rated.queued.pid);
        // Debug builds (the test suite) compare with a look at every waiting process, as its
        // PCB stands now.
        if cfg!(debug_assertions) && self.queued <= 256 {
            let live = |queued: &Queued| {
                let pcb = procs.get(queued.pid);
                (now.since(pcb.state_since), pcb.remaining_ticks.max(1))
            };
            let everyone = self.queued_in_any_order().map(|queued| (queued, ()));
            let (everyone, _) = Self::best::<false, _>(everyone, |(queued, _)| live(queued));
            assert_eq!(chosen, everyone.map(|rated| rated.queued.pid));
        }
        chosen
    }

    fn upcoming(&self) -> Option<Pid> {
        self.upcoming
    }

    fn why(&self, chosen: Pid, _procs: &ProcTable) -> Choice {
        let ratio = |(waited, burst): (u64, u64)| Measure::Ratio {
            numerator: waited.saturating_add(burst),
            denominator: burst,
        };
        match self.reason {
            Some(last) if last.chosen == chosen => Choice::keyed(
                ChoiceRule::HighestResponseRatio,
                ratio(last.waited_and_burst),
                last.runner_up.map(|(pid, rate)| (pid, ratio(rate))),
            ),
            _ => Choice::first_in_line(None),
        }
    }

    fn remove(&mut self, pid: Pid) {
        let line = match self.chosen.take() {
            // The last choice, dispatched: its line is known. (Every other change to the
            // queue goes through here first and forgets the choice.)
            Some((chosen, line)) if chosen == pid => {
                self.line_of_pid[pid.index()] = NOT_QUEUED;
                line
            }
            _ => match self.line_of_pid.get_mut(pid.index()) {
                Some(line) if *line != NOT_QUEUED => std::mem::replace(line, NOT_QUEUED) as usize,
                _ => return,
            },
        };
        let members = &mut self.lines[line].members;
        if let Some(position) = members.iter().position(|queued| queued.pid == pid) {
            members.remove(position);
            self.queued -= 1;
        }
        let Some(at) = self.lines[line].active_at else {
            return;
        };
        match self.lines[line].members.front() {
            Some(&head) => self.heads[at] = head,
            None => {
                self.lines[line].active_at = None;
                self.active.swap_remove(at);
                self.heads.swap_remove(at);
                if let Some(&moved) = self.active.get(at) {
                    self.lines[moved].active_at = Some(at);
                }
            }
        }
    }

    fn queues(&self) -> Vec<Vec<Pid>> {
        vec![
            self.in_entry_order()
                .into_iter()
                .map(|queued| queued.pid)
                .collect(),
        ]
    }

    fn nobody_ready(&self) -> bool {
        self.queued == 0
    }

    fn rules(&self) -> Vec<String> {
        vec![
            "hrrn: the ready process with the highest response ratio (waiting + burst) / burst runs next, until it blocks or exits.".into(),
            "hrrn: ties go to the earlier entry into the ready queue, then scenario order.".into(),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::test_support::{numbers, table};

    /// Whether a (waited, burst, entry) beats another: a higher ratio, then an earlier entry.
    fn beats(candidate: (u64, u64, u64), best: (u64, u64, u64)) -> bool {
        let ours = u128::from(candidate.0) * u128::from(best.1);
        let theirs = u128::from(best.0) * u128::from(candidate.1);
        ours > theirs || (ours == theirs && candidate.2 < best.2)
    }

    /// The lines and their heads against a look at every waiting process, over random
    /// entries (many bursts alike), choices and removals.
    #[test]
    fn chooses_as_a_look_at_everyone_does() {
        chooses_as_everyone_from(0);
        // Times past 2^32 and bursts past it: the products no longer fit in 64 bits.
        chooses_as_everyone_from(1 << 40);
    }

    fn chooses_as_everyone_from(start: u64) {
        let mut next = numbers(99);
        let mut pcbs = table(&[(1, 0); 30]);
        let mut policy = Hrrn::default();
        // (pid, since, burst, entry) of every waiting process.
        let mut waiting: Vec<(Pid, u64, u64, u64)> = Vec::new();
        let mut entries = 0;
        for now in start..start + 5_000 {
            let pid = Pid::from_index(next(30) as usize);
            let procs = |pcbs| ProcTable {
                pcbs,
                now: Tick(now),
            };
            match next(4) {
                0 | 1 => {
                    let pcb = &mut pcbs[pid.index()];
                    // From 2^40 on, some bursts near 2^60 too: products past 64 bits.
                    let bursts = [0, 1, 5, 40, next(200), (1 << 60) + next(9)];
                    let kinds = if start == 0 { 5 } else { 6 };
                    pcb.remaining_ticks = bursts[next(kinds) as usize];
                    // It enters the ready queue now (its wait starts).
                    pcb.state_since = Tick(now);
                    let (since, burst) = (pcb.state_since.0, pcb.remaining_ticks.max(1));
                    policy.enqueue(pid, ReadyReason::Admitted, &procs(&pcbs));
                    waiting.retain(|entry| entry.0 != pid);
                    waiting.push((pid, since, burst, entries));
                    entries += 1;
                }
                2 => {
                    policy.remove(pid);
                    waiting.retain(|entry| entry.0 != pid);
                }
                _ => {
                    let chosen = policy.select(&procs(&pcbs));
                    let mut best: Option<(Pid, (u64, u64, u64))> = None;
                    for &(pid, since, burst, entry) in &waiting {
                        let candidate = (now - since, burst, entry);
                        if best.is_none_or(|(_, b)| beats(candidate, b)) {
                            best = Some((pid, candidate));
                        }
                    }
                    assert_eq!(chosen, best.map(|(pid, _)| pid), "at {now}");
                    // The runner-up is the best of the others.
                    let mut second: Option<(Pid, (u64, u64, u64))> = None;
                    for &(pid, since, burst, entry) in &waiting {
                        let candidate = (now - since, burst, entry);
                        if Some(pid) != chosen && second.is_none_or(|(_, b)| beats(candidate, b)) {
                            second = Some((pid, candidate));
                        }
                    }
                    if let Some(chosen) = chosen {
                        let why = policy.why(chosen, &procs(&pcbs));
                        assert_eq!(why.runner_up, second.map(|(pid, _)| pid), "at {now}");
                    }
                    if let Some(pid) = chosen.filter(|_| next(2) == 0) {
                        policy.remove(pid);
                        waiting.retain(|entry| entry.0 != pid);
                    }
                }
            }
            assert_eq!(policy.nobody_ready(), waiting.is_empty());
        }
    }
}
