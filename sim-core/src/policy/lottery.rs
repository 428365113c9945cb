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
    draw: Draw,
    /// The ready queue as the uniform draw walks it.
    in_line: TicketLine,
    /// The ready queue for the OSTEP draw, which walks it in pid order (classroom-sized: a
    /// sort of the queue per draw, as lottery.py walks its job list).
    ready: FifoQueue,
    by_pid: Vec<Pid>,
}

/// The ready processes in queue order, each at a place with its tickets, and a Fenwick tree of
/// the tickets of each block of 16 places: the total, and the holder of any ticket number, in
/// O(log places) (a walk through the queue was O(queue), with a PCB read per process). The
/// tree over blocks is small enough to stay in the cache; a block's places are two lines.
#[derive(Default)]
struct TicketLine {
    /// Who waits at each place, in queue order; places are used once.
    places: Vec<Place>,
    /// Places in use before the line makes room again (a multiple of `BLOCK`).
    capacity: usize,
    /// The tree: `tree[i]` (from 1) sums the tickets of the `i & -i` blocks ending at `i`.
    tree: Vec<u64>,
    total: u64,
    /// The place of each waiting pid (indexed by `Pid::index`).
    place_of: Vec<Option<usize>>,
    /// Nobody waits before this place.
    first: usize,
    waiting: usize,
}

/// A process and its tickets; no tickets once it left (a process holds at least one).
#[derive(Clone, Copy)]
struct Place {
    pid: Pid,
    tickets: u32,
}

impl Place {
    fn waiting(&self) -> Option<Pid> {
        (self.tickets > 0).then_some(self.pid)
    }
}

/// Places a block of the tree holds.
const BLOCK: usize = 16;

impl TicketLine {
    fn push_back(&mut self, pid: Pid, tickets: u64) {
        self.remove(pid);
        if self.places.len() == self.capacity {
            self.make_room();
        }
        let place = self.places.len();
        // At most 10,000 tickets a process (scenario::limits), at least 1.
        let tickets = u32::try_from(tickets.max(1)).unwrap_or(u32::MAX);
        self.places.push(Place { pid, tickets });
        self.add(place, u64::from(tickets));
        if pid.index() >= self.place_of.len() {
            self.place_of.resize(pid.index() + 1, None);
        }
        self.place_of[pid.index()] = Some(place);
        self.waiting += 1;
    }

    fn remove(&mut self, pid: Pid) {
        let Some(place) = self.place_of.get_mut(pid.index()).and_then(Option::take) else {
            return;
        };
        let tickets = std::mem::take(&mut self.places[place].tickets);
        if tickets > 0 {
            self.subtract(place, u64::from(tickets));
            self.waiting -= 1;
        }
        while self.first < self.places.len() && self.places[self.first].tickets == 0 {
            self.first += 1;
        }
    }

    /// Moves the waiting processes to the first places, in order, with room for as many more
    /// again: places are used once, so this runs once per that many entries.
    fn make_room(&mut self) {
        // In place: nothing is allocated once the line has grown.
        self.places.retain(|place| place.tickets > 0);
        self.capacity = (2 * self.places.len()).max(64).next_multiple_of(BLOCK);
        self.tree.clear();
        self.tree.resize(self.capacity / BLOCK + 1, 0);
        self.total = 0;
        self.first = 0;
        for place in 0..self.places.len() {
            let Place { pid, tickets } = self.places[place];
            self.add(place, u64::from(tickets));
            self.place_of[pid.index()] = Some(place);
        }
    }

    fn add(&mut self, place: usize, tickets: u64) {
        let mut node = place / BLOCK + 1;
        while node < self.tree.len() {
            self.tree[node] += tickets;
            node += node & node.wrapping_neg();
        }
        self.total += tickets;
    }

    fn subtract(&mut self, place: usize, tickets: u64) {
        let mut node = place / BLOCK + 1;
        while node < self.tree.len() {
            self.tree[node] -= tickets;
            node += node & node.wrapping_neg();
        }
        self.total -= tickets;
    }

    /// Who holds ticket number `winner` (below `total`) when the queue lays its tickets end
    /// to end: the first place whose tickets so far exceed it.
    fn holder(&self, mut winner: u64) -> Option<Pid> {
        // The last block whose prefix stays at or below `winner`, by halving steps; the
        // holder is in the block after it.
        let mut block = 0;
        let mut step = self.tree.len().next_power_of_two() / 2;
        while step > 0 {
            let next = block + step;
            if next < self.tree.len() && self.tree[next] <= winner {
                winner -= self.tree[next];
                block = next;
            }
            step /= 2;
        }
        let start = block * BLOCK;
        let end = (start + BLOCK).min(self.places.len());
        self.places.get(start..end)?.iter().find_map(|place| {
            let tickets = u64::from(place.tickets);
            if winner < tickets {
                return Some(place.pid);
            }
            winner -= tickets;
            None
        })
    }

    fn front(&self) -> Option<Pid> {
        self.places.get(self.first).and_then(Place::waiting)
    }

    fn iter(&self) -> impl Iterator<Item = Pid> + '_ {
        self.places[self.first..].iter().filter_map(Place::waiting)
    }
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
            in_line: TicketLine::default(),
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

    fn waiting(&self) -> usize {
        match self.draw {
            Draw::Uniform(_) => self.in_line.waiting,
            Draw::Ostep(_) => self.ready.len(),
        }
    }

    fn front(&self) -> Option<Pid> {
        match self.draw {
            Draw::Uniform(_) => self.in_line.front(),
            Draw::Ostep(_) => self.ready.front(),
        }
    }
}

impl Policy for Lottery {
    fn enqueue(&mut self, pid: Pid, _why: ReadyReason, procs: &ProcTable) -> Option<Event> {
        match self.draw {
            // Tickets never change during a run: read once, as it enters.
            Draw::Uniform(_) => self.in_line.push_back(pid, procs.get(pid).tickets),
            Draw::Ostep(_) => self.ready.push_back(pid),
        }
        None
    }

    fn select(&mut self, procs: &ProcTable) -> Option<Pid> {
        if self.waiting() <= 1 {
            return self.front();
        }
        // At most 10,000 tickets a process (scenario::limits): the sum fits in 64 bits for
        // any number of processes that fits in memory.
        let chosen = match &mut self.draw {
            Draw::Uniform(rng) => self.in_line.holder(rng.below(self.in_line.total)),
            Draw::Ostep(random) => {
                let total: u64 = self.ready.iter().map(|p| procs.get(p).tickets).sum();
                let winner = (random.random() * 1_000_001.0) as u64 % total;
                // lottery.py's order of job numbers (pids, sorted in a buffer kept from draw
                // to draw).
                self.by_pid.clear();
                self.by_pid.extend(self.ready.iter());
                self.by_pid.sort_unstable();
                winning(self.by_pid.iter().copied(), winner, procs)
            }
        };
        chosen.or_else(|| self.front())
    }

    fn remove(&mut self, pid: Pid) {
        match self.draw {
            Draw::Uniform(_) => self.in_line.remove(pid),
            Draw::Ostep(_) => self.ready.remove(pid),
        }
    }

    fn queues(&self) -> Vec<Vec<Pid>> {
        match self.draw {
            Draw::Uniform(_) => vec![self.in_line.iter().collect()],
            Draw::Ostep(_) => vec![self.ready.to_vec()],
        }
    }

    fn nobody_ready(&self) -> bool {
        self.waiting() == 0
    }

    fn quantum(&self, _pid: Pid) -> Option<u64> {
        Some(self.quantum_ticks)
    }

    fn renewal_is_stable(&self, _pid: Pid, _procs: &ProcTable) -> bool {
        self.waiting() == 0
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::test_support::numbers;

    /// The tree's holder of every ticket number against a walk through the queue, over
    /// random entries (many more than the first 64 places, so the line makes room again and
    /// again) and removals from anywhere.
    #[test]
    fn holders_match_a_walk_through_the_queue() {
        let mut next = numbers(7);
        let mut line = TicketLine::default();
        let mut queue: Vec<(Pid, u64)> = Vec::new();
        for _ in 0..3_000 {
            let pid = Pid::from_index(next(200) as usize);
            if next(3) == 0 {
                line.remove(pid);
                queue.retain(|&(waiting, _)| waiting != pid);
            } else {
                let tickets = next(100) + 1;
                line.push_back(pid, tickets);
                queue.retain(|&(waiting, _)| waiting != pid);
                queue.push((pid, tickets));
            }
            let total: u64 = queue.iter().map(|&(_, tickets)| tickets).sum();
            assert_eq!(line.total, total);
            assert_eq!(line.waiting, queue.len());
            assert_eq!(line.front(), queue.first().map(|&(pid, _)| pid));
            assert!(line.iter().eq(queue.iter().map(|&(pid, _)| pid)));
            for winner in [0, total / 3, total / 2, total.saturating_sub(1)] {
                let mut left = winner;
                let walked = queue.iter().find(|&&(_, tickets)| {
                    let holds = left < tickets;
                    left = left.saturating_sub(tickets);
                    holds
                });
                assert_eq!(line.holder(winner), walked.map(|&(pid, _)| pid), "{winner}");
            }
        }
    }
}
