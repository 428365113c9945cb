//! Lottery scheduling: each ready process holds tickets; a draw picks the winner.
//!
//! Rules: when a CPU needs a process and more than one is ready, a number is drawn uniformly in
//! `0..total tickets of the ready processes` (the scenario's `seed` makes it reproducible) and
//! the ready processes are walked in queue order, the winner being the one whose ticket range
//! holds the number. A lone ready process needs no draw. The winner runs for at most `quantum`
//! ticks, then goes back to the ready queue; never preempted otherwise.
//!
//! With `draw: ostep`, the draw of OSTEP's lottery.py: `r = int(random() * 1000001)` from
//! CPython's generator seeded by the scenario's seed, the winning ticket `r % total`, and the
//! ticket ranges laid out over the ready processes in scenario (pid) order. The script draws
//! once per quantum whatever the number of jobs; here a lone ready process needs no draw either,
//! which changes no outcome (nobody else could win).

use super::{FifoQueue, Policy, ProcTable, ReadyReason};
use crate::event::Event;
use crate::ids::Pid;
use crate::random::{PythonRandom, SeededRng};
use crate::scenario::{LotteryDraw, Scenario};

pub struct Lottery {
    quantum_ticks: u64,
    ready: FifoQueue,
    draw: Draw,
    by_pid: Vec<Pid>,
}

/// The process holding ticket number `winner` when `order` lays the tickets end to end.
fn winning(order: impl Iterator<Item = Pid>, mut winner: u64, procs: &ProcTable) -> Option<Pid> {
    for pid in order {
        let tickets = procs.get(pid).tickets;
        if winner < tickets {
            return Some(pid);
        }
        winner -= tickets;
    }
    None
}

enum Draw {
    Uniform(Box<SeededRng>),
    Ostep(Box<PythonRandom>),
}

impl Lottery {
    pub fn new(quantum_ticks: u64, draw: LotteryDraw, scenario: &Scenario) -> Lottery {
        Lottery {
            quantum_ticks,
            ready: FifoQueue::default(),
            by_pid: Vec::new(),
            draw: match draw {
                LotteryDraw::Uniform => Draw::Uniform(Box::new(SeededRng::new(scenario.seed))),
                // CPython seeds with the seed's magnitude; scenario seeds are never negative.
                LotteryDraw::Ostep { skip_draws } => {
                    let mut random =
                        PythonRandom::seeded(i64::try_from(scenario.seed).unwrap_or(i64::MAX));
                    for _ in 0..skip_draws {
                        random.random();
                    }
                    Draw::Ostep(Box::new(random))
                }
            },
        }
    }
}

impl Policy for Lottery {
    fn enqueue(&mut self, pid: Pid, _why: ReadyReason, _procs: &ProcTable) -> Option<Event> {
        self.ready.push_back(pid);
        None
    }

    fn select(&mut self, procs: &ProcTable) -> Option<Pid> {
        if self.ready.len() <= 1 {
            return self.ready.front();
        }
        // At most 10,000 tickets a process (scenario::limits): the sum fits in 64 bits for
        // any number of processes that fits in memory.
        let total: u64 = self.ready.iter().map(|p| procs.get(p).tickets).sum();
        let winner = match &mut self.draw {
            Draw::Uniform(rng) => rng.below(total),
            Draw::Ostep(random) => (random.random() * 1_000_001.0) as u64 % total,
        };
        // The winner counts through the queue in order, or lottery.py's order of job numbers
        // (pids, sorted in a buffer kept from draw to draw).
        let chosen = match self.draw {
            Draw::Uniform(_) => winning(self.ready.iter(), winner, procs),
            Draw::Ostep(_) => {
                self.by_pid.clear();
                self.by_pid.extend(self.ready.iter());
                self.by_pid.sort_unstable();
                winning(self.by_pid.iter().copied(), winner, procs)
            }
        };
        chosen.or_else(|| self.ready.front())
    }

    fn remove(&mut self, pid: Pid) {
        self.ready.remove(pid);
    }

    fn queues(&self) -> Vec<Vec<Pid>> {
        vec![self.ready.to_vec()]
    }

    fn nobody_ready(&self) -> bool {
        self.ready.is_empty()
    }

    fn quantum(&self, _pid: Pid) -> Option<u64> {
        Some(self.quantum_ticks)
    }

    fn renewal_is_stable(&self, _pid: Pid, _procs: &ProcTable) -> bool {
        self.ready.is_empty()
    }

    fn rules(&self) -> Vec<String> {
        if let Draw::Ostep(_) = self.draw {
            return vec![
                format!(
                    "lottery: each time a CPU is free and several processes are ready, OSTEP lottery.py's draw picks one: r = int(random() * 1000001) from CPython's generator seeded by the scenario's seed, winning ticket r % total; it runs at most {}.",
                    crate::text::ticks(self.quantum_ticks)
                ),
                "lottery: the ticket ranges follow the processes' scenario (pid) order, as the script walks its job list; a lone ready process needs no draw.".into(),
            ];
        }
        vec![
            format!(
                "lottery: each time a CPU is free and several processes are ready, a seeded draw picks one with probability proportional to its tickets; it runs at most {}.",
                crate::text::ticks(self.quantum_ticks)
            ),
            "lottery: the ticket ranges follow the ready queue's order (entry, then scenario order); a lone ready process needs no draw.".into(),
        ]
    }
}
