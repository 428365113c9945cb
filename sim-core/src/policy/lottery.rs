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
//!
//! Speed (uniform draw): the winner is random, so its PCB is out of the cache when it is
//! chosen. The draw's raw number is therefore taken from the generator one draw ahead (the same
//! numbers, in the same order), and after a dispatch `upcoming` guesses the next winner: the
//! holder of that number if the next draw comes when the process dispatched first rejoins the
//! line, its quantum over. The engine fetches the guess's PCB meanwhile; when the guess holds,
//! the draw takes it without looking the number up again. A guess changes no outcome.

use super::{Deschedule, FifoQueue, Policy, ProcTable, ReadyReason};
use crate::event::{Choice, ChoiceRule, Event, Measure};
use crate::ids::Pid;
use crate::random::{PythonRandom, SeededRng};
use crate::scenario::{LotteryDraw, Scenario};
use std::cell::Cell;
use std::collections::VecDeque;

pub struct Lottery {
    quantum_ticks: u64,
    draw: Draw,
    /// The ready queue as the uniform draw walks it.
    in_line: TicketLine,
    /// The ready queue for the OSTEP draw, which walks it in pid order (classroom-sized: a
    /// sort of the queue per draw, as lottery.py walks its job list).
    ready: FifoQueue,
    by_pid: Vec<Pid>,
    /// The uniform draw's next raw number, taken from the generator at the end of a draw.
    drawn_ahead: Option<u64>,
    /// The processes on CPUs and their tickets, first dispatched first: the first one's
    /// quantum likely ends first, and it rejoins the line before the next draw.
    running: VecDeque<(Pid, u64)>,
    /// What `upcoming` guessed (it takes `&self`).
    guess: Cell<Option<Guess>>,
    /// The last draw: its winner, the ticket drawn and the tickets in the draw.
    last_draw: Option<(Pid, u64, u64)>,
}

/// The longest `running` gets (a hint only: a process that leaves a CPU unseen is forgotten).
const RUNNING_KEPT: usize = 256;

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
    /// The last holder found and its place: the engine removes the winner of a draw at
    /// once, and this spares a read of `place_of` (a line out of the cache by then).
    drawn: Option<(Pid, usize)>,
    /// Removals and compactions so far: after either, a guess's holder may be stale.
    departures: u64,
    /// Nobody waits before this place.
    first: usize,
    waiting: usize,
}

/// The holder of ticket number `winner`, found before the draw: still its holder at the draw
/// if nobody left the line meanwhile (processes joining at the back change no holder before
/// them).
#[derive(Clone, Copy, Debug, PartialEq)]
struct Guess {
    winner: u64,
    departures: u64,
    pid: Pid,
    place: usize,
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

    /// Takes `pid` out of the line; its tickets, 0 if it was not waiting.
    fn remove(&mut self, pid: Pid) -> u64 {
        let place = match self.drawn {
            Some((drawn, place)) if drawn == pid => {
                self.drawn = None;
                self.place_of[pid.index()] = None;
                place
            }
            _ => match self.place_of.get_mut(pid.index()).and_then(Option::take) {
                Some(place) => place,
                None => return 0,
            },
        };
        let tickets = u64::from(std::mem::take(&mut self.places[place].tickets));
        if tickets > 0 {
            self.subtract(place, tickets);
            self.waiting -= 1;
            self.departures += 1;
        }
        while self.first < self.places.len() && self.places[self.first].tickets == 0 {
            self.first += 1;
        }
        tickets
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
        self.drawn = None;
        self.departures += 1;
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
    /// to end: the first place whose tickets so far exceed it; `guess`'s holder when it still
    /// holds. Kept as `drawn` for `remove`.
    fn draw(&mut self, winner: u64, guess: Option<Guess>) -> Option<Pid> {
        let (pid, place) = match guess {
            Some(guess) if (guess.winner, guess.departures) == (winner, self.departures) => {
                (guess.pid, guess.place)
            }
            _ => self.holder(winner)?,
        };
        debug_assert_eq!(self.holder(winner), Some((pid, place)), "a stale guess");
        self.drawn = Some((pid, place));
        Some(pid)
    }

    /// The holder of the number a draw would make of `raw` if the line's total were `total`
    /// (the tickets of processes that join first included), when that number is held by a
    /// process waiting now.
    fn guess(&self, raw: u64, total: u64) -> Option<Guess> {
        let winner = SeededRng::reduce(raw, total.max(1))?;
        if winner >= self.total {
            return None;
        }
        let (pid, place) = self.holder(winner)?;
        Some(Guess {
            winner,
            departures: self.departures,
            pid,
            place,
        })
    }

    /// The holder of ticket number `winner` and its place.
    fn holder(&self, mut winner: u64) -> Option<(Pid, usize)> {
        // The last block whose prefix stays at or below `winner`, by halving steps; the
        // holder is in the block after it. Without branches: which way each step goes is a
        // coin toss, which a predicted branch would get wrong half the time.
        let mut block = 0;
        let mut step = self.tree.len().next_power_of_two() / 2;
        while step > 0 {
            let next = block + step;
            let sum = self.tree.get(next).copied().unwrap_or(u64::MAX);
            let take = sum <= winner;
            winner -= if take { sum } else { 0 };
            block = if take { next } else { block };
            step /= 2;
        }
        let start = block * BLOCK;
        let end = (start + BLOCK).min(self.places.len());
        let places = self.places.get(start..end)?;
        places.iter().enumerate().find_map(|(offset, place)| {
            let tickets = u64::from(place.tickets);
            if winner < tickets {
                return Some((place.pid, start + offset));
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
            drawn_ahead: None,
            running: VecDeque::new(),
            guess: Cell::new(None),
            last_draw: None,
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

    fn left_cpu(&mut self, pid: Pid) {
        if let Some(at) = self.running.iter().position(|&(running, _)| running == pid) {
            self.running.remove(at);
        }
    }
}

impl Policy for Lottery {
    fn enqueue(&mut self, pid: Pid, _why: ReadyReason, procs: &ProcTable) -> Option<Event> {
        self.left_cpu(pid);
        match self.draw {
            // Tickets never change during a run: read once, as it enters.
            Draw::Uniform(_) => self.in_line.push_back(pid, procs.get(pid).tickets),
            Draw::Ostep(_) => self.ready.push_back(pid),
        }
        None
    }

    fn select(&mut self, procs: &ProcTable) -> Option<Pid> {
        self.last_draw = None;
        if self.waiting() <= 1 {
            return self.front();
        }
        // At most 10,000 tickets a process (scenario::limits): the sum fits in 64 bits for
        // any number of processes that fits in memory.
        let (chosen, winner, total) = match &mut self.draw {
            Draw::Uniform(rng) => {
                let total = self.in_line.total;
                let winner = rng.below_after(self.drawn_ahead.take(), total);
                self.drawn_ahead = Some(rng.next_u64());
                (self.in_line.draw(winner, self.guess.take()), winner, total)
            }
            Draw::Ostep(random) => {
                let total: u64 = self.ready.iter().map(|p| procs.get(p).tickets).sum();
                let winner = (random.random() * 1_000_001.0) as u64 % total;
                // lottery.py's order of job numbers (pids, sorted in a buffer kept from draw
                // to draw).
                self.by_pid.clear();
                self.by_pid.extend(self.ready.iter());
                self.by_pid.sort_unstable();
                (
                    winning(self.by_pid.iter().copied(), winner, procs),
                    winner,
                    total,
                )
            }
        };
        self.last_draw = chosen.map(|pid| (pid, winner, total));
        chosen.or_else(|| self.front())
    }

    fn why(&self, chosen: Pid, _procs: &ProcTable) -> Choice {
        match self.last_draw {
            Some((winner, drawn, of)) if winner == chosen => {
                Choice::keyed(ChoiceRule::TicketDrawn, Measure::Ticket { drawn, of }, None)
            }
            // No draw: the only one waiting.
            _ => Choice::first_in_line(None),
        }
    }

    fn upcoming(&self) -> Option<Pid> {
        let Draw::Uniform(_) = self.draw else {
            return None;
        };
        let rejoining = self.running.front().map_or(0, |&(_, tickets)| tickets);
        let guess = self
            .in_line
            .guess(self.drawn_ahead?, self.in_line.total + rejoining);
        self.guess.set(guess);
        guess.map(|guess| guess.pid)
    }

    fn remove(&mut self, pid: Pid) {
        match self.draw {
            Draw::Uniform(_) => {
                let tickets = self.in_line.remove(pid);
                if tickets > 0 {
                    if self.running.len() == RUNNING_KEPT {
                        self.running.pop_front();
                    }
                    self.running.push_back((pid, tickets));
                }
            }
            Draw::Ostep(_) => self.ready.remove(pid),
        }
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

    fn exited(&mut self, pid: Pid) {
        self.left_cpu(pid);
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

    /// The holder of ticket number `winner` walking through `queue`.
    fn walk(queue: &[(Pid, u64)], mut winner: u64) -> Option<Pid> {
        queue.iter().find_map(|&(pid, tickets)| {
            if winner < tickets {
                return Some(pid);
            }
            winner -= tickets;
            None
        })
    }

    /// The tree's holder of every ticket number against a walk through the queue, over
    /// random entries (many more than the first 64 places, so the line makes room again and
    /// again), removals from anywhere and draws whose winners leave.
    #[test]
    fn holders_match_a_walk_through_the_queue() {
        let mut next = numbers(7);
        let mut line = TicketLine::default();
        let mut queue: Vec<(Pid, u64)> = Vec::new();
        let mut drawn_earlier = None;
        for _ in 0..3_000 {
            let pid = Pid::from_index(next(200) as usize);
            let leaving = match next(6) {
                // A draw whose winner leaves at once, as the engine removes it, or some
                // steps later: from the place the draw found, which must still be the
                // winner's (the line may have made room).
                choice @ (0 | 1) if line.total > 0 => {
                    let winner = next(line.total);
                    let drawn = line.draw(winner, None);
                    assert_eq!(drawn, walk(&queue, winner), "{winner}");
                    match choice {
                        0 => drawn,
                        _ => {
                            drawn_earlier = drawn;
                            None
                        }
                    }
                }
                2 => Some(drawn_earlier.take().unwrap_or(pid)),
                3 => Some(pid),
                _ => None,
            };
            if let Some(pid) = leaving {
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
                let held = line.holder(winner).map(|(pid, _)| pid);
                assert_eq!(held, walk(&queue, winner), "{winner}");
            }
        }
    }

    /// A guess at the next draw, then what happens before it: only the expected tickets join
    /// (the guess holds), or someone leaves and others join with as many tickets (the same
    /// total, but the holders after the one who left moved down), or the line makes room
    /// (the places moved), or more tickets join than guessed (another number is drawn).
    /// Every draw's winner must be the walk's, and so must its place be (`draw` checks that
    /// in debug builds).
    #[test]
    fn a_guess_holds_only_while_nobody_leaves() {
        let mut next = numbers(11);
        let mut line = TicketLine::default();
        let mut queue: Vec<(Pid, u64)> = Vec::new();
        let mut pids = (0..).map(Pid::from_index);
        let mut join = |line: &mut TicketLine, queue: &mut Vec<_>, tickets| {
            let pid = pids.next().expect("pids enough");
            line.push_back(pid, tickets);
            queue.push((pid, tickets));
        };
        let leave = |line: &mut TicketLine, queue: &mut Vec<(Pid, u64)>, pid| {
            line.remove(pid);
            queue.retain(|&(waiting, _)| waiting != pid);
        };
        for _ in 0..40 {
            join(&mut line, &mut queue, next(100) + 1);
        }
        for round in 0..3_000 {
            if round % 4 == 2 {
                // Fill the line's places, so that the next entry makes room.
                while line.places.len() < line.capacity {
                    join(&mut line, &mut queue, next(100) + 1);
                    let first = queue[0].0;
                    leave(&mut line, &mut queue, first);
                }
            }
            let raw = next(u64::MAX);
            let joining = next(100) + 1;
            let guess = line.guess(raw, line.total + joining);
            if round % 4 == 1 {
                let (pid, tickets) = queue[next(queue.len() as u64) as usize];
                leave(&mut line, &mut queue, pid);
                join(&mut line, &mut queue, tickets);
            }
            join(&mut line, &mut queue, joining + u64::from(round % 4 == 3));
            let winner = SeededRng::reduce(raw, line.total).expect("a raw number kept");
            let drawn = line.draw(winner, guess);
            assert_eq!(drawn, walk(&queue, winner), "round {round}");
            leave(&mut line, &mut queue, drawn.expect("a winner"));
        }
    }
}
