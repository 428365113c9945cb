//! The two ready-queue shapes the policies share.
//!
//! Determinism: both break ties by insertion order (a sequence number that only grows), so two
//! processes entering at the same instant keep the order in which the engine enqueued them
//! (arrivals in scenario order, then IO completions in issue order).

use crate::ids::Pid;
use hashbrown::HashTable;
use std::collections::VecDeque;
use std::hash::{BuildHasher, Hash};

/// A first-in, first-out queue.
#[derive(Clone, Debug, Default)]
pub struct FifoQueue {
    items: VecDeque<Pid>,
}

impl FifoQueue {
    pub fn push_back(&mut self, pid: Pid) {
        self.items.push_back(pid);
    }

    pub fn push_front(&mut self, pid: Pid) {
        self.items.push_front(pid);
    }

    pub fn front(&self) -> Option<Pid> {
        self.items.front().copied()
    }

    /// The first in line other than `pid`: the runner-up when `pid` is chosen.
    pub fn first_other_than(&self, pid: Pid) -> Option<Pid> {
        self.items.iter().copied().find(|&other| other != pid)
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Removes `pid`; O(1) when it is at the front, as it is when dispatched.
    pub fn remove(&mut self, pid: Pid) {
        if self.items.front() == Some(&pid) {
            self.items.pop_front();
        } else if let Some(at) = self.items.iter().position(|&p| p == pid) {
            self.items.remove(at);
        }
    }

    pub fn to_vec(&self) -> Vec<Pid> {
        self.items.iter().copied().collect()
    }

    pub fn iter(&self) -> impl Iterator<Item = Pid> + '_ {
        self.items.iter().copied()
    }

    /// Inserts `pid` so that `index` processes stand before it.
    pub fn insert(&mut self, index: usize, pid: Pid) {
        self.items.insert(index.min(self.items.len()), pid);
    }

    /// Empties the queue, keeping its buffer.
    pub fn clear(&mut self) {
        self.items.clear();
    }
}

/// A queue ordered by a key fixed at insertion (smallest first), then by insertion order.
///
/// Processes with equal keys wait in one first-in, first-out line, and a 4-ary heap orders the
/// lines by key. Ready queues repeat their keys (burst lengths, priorities, passes), so a queue
/// of 100,000 processes has a few hundred lines: the heap stays in cache, and taking the first
/// process is taking the front of a line. Insertion and removal of the first cost O(log k) for
/// k distinct keys; a process removed from inside a line leaves its entry there, dropped when
/// it reaches the front. Lines are recycled with their buffers, so once the queue has grown
/// nothing is allocated.
#[derive(Clone, Debug)]
pub struct KeyedQueue<K: Ord + Copy + Hash> {
    /// The lines' keys, smallest on top, with where each line is in `lines`.
    heap: Vec<Top<K>>,
    lines: Vec<Line<K>>,
    /// Lines not in use, ready for a new key.
    spare: Vec<u32>,
    /// The line in use for each key.
    line_of: HashTable<u32>,
    /// Each process's entry (indexed by `Pid::index`): its sequence ([`NOT_QUEUED`] if it is
    /// not queued) and its line.
    tickets: Vec<Ticket>,
    len: usize,
    next_sequence: u64,
}

#[derive(Clone, Copy, Debug)]
struct Top<K> {
    key: K,
    line: u32,
}

#[derive(Clone, Debug)]
struct Line<K> {
    key: K,
    /// (sequence, pid), oldest first; the front entry is always a queued process's.
    waiting: VecDeque<(u64, Pid)>,
    /// How many entries are of processes still queued here.
    live: usize,
    /// How many are not (removed from inside the line, not yet at its front).
    stale: usize,
    /// Where the line's key is in the heap.
    heap_at: u32,
}

#[derive(Clone, Copy, Debug)]
struct Ticket {
    sequence: u64,
    line: u32,
}

const NOT_QUEUED: Ticket = Ticket {
    sequence: u64::MAX,
    line: u32::MAX,
};

/// Children of a node of a [`KeyedQueue`]'s heap.
const ARITY: usize = 4;

fn children(at: usize) -> impl Iterator<Item = usize> {
    (ARITY * at + 1)..=(ARITY * at + ARITY)
}

fn hash_key<K: Hash>(key: &K) -> u64 {
    foldhash::fast::FixedState::with_seed(0).hash_one(key)
}

impl<K: Ord + Copy + Hash> KeyedQueue<K> {
    pub fn new(process_count: usize) -> Self {
        KeyedQueue {
            heap: Vec::new(),
            lines: Vec::new(),
            spare: Vec::new(),
            line_of: HashTable::new(),
            tickets: vec![NOT_QUEUED; process_count],
            len: 0,
            next_sequence: 0,
        }
    }

    pub fn insert(&mut self, pid: Pid, key: K) {
        self.remove(pid);
        let sequence = self.next_sequence;
        self.next_sequence += 1;
        self.push(pid, key, sequence);
    }

    /// Queues `pid` with `key` behind every entry of its line (whose sequences are smaller).
    fn push(&mut self, pid: Pid, key: K, sequence: u64) {
        // Forked processes get pids beyond the scenario's: the table grows with them.
        if pid.index() >= self.tickets.len() {
            self.tickets.resize(pid.index() + 1, NOT_QUEUED);
        }
        let line = self.line_for(key);
        let entry = &mut self.lines[line as usize];
        entry.waiting.push_back((sequence, pid));
        entry.live += 1;
        self.tickets[pid.index()] = Ticket { sequence, line };
        self.len += 1;
    }

    /// The line of `key`, opened (a spare one if there is one) if no process waits with it.
    fn line_for(&mut self, key: K) -> u32 {
        let lines = &self.lines;
        if let Some(&line) = self
            .line_of
            .find(hash_key(&key), |&line| lines[line as usize].key == key)
        {
            return line;
        }
        let line = match self.spare.pop() {
            Some(line) => {
                self.lines[line as usize].key = key;
                line
            }
            None => {
                self.lines.push(Line {
                    key,
                    waiting: VecDeque::new(),
                    live: 0,
                    stale: 0,
                    heap_at: 0,
                });
                u32::try_from(self.lines.len() - 1).expect("fewer than 2^32 keys")
            }
        };
        let lines = &self.lines;
        self.line_of.insert_unique(hash_key(&key), line, |&line| {
            hash_key(&lines[line as usize].key)
        });
        self.heap.push(Top { key, line });
        self.sift_up(self.heap.len() - 1);
        line
    }

    /// Changes every queued key by `change`, keeping each process's place among equal keys.
    pub fn map_keys(&mut self, change: impl Fn(K) -> K) {
        for line in &mut self.lines {
            line.key = change(line.key);
        }
        let lines = &self.lines;
        self.line_of.clear();
        let mut merged = false;
        for top in &mut self.heap {
            top.key = lines[top.line as usize].key;
            let hash = hash_key(&top.key);
            if self
                .line_of
                .find(hash, |&line| lines[line as usize].key == top.key)
                .is_some()
            {
                merged = true;
            } else {
                self.line_of
                    .insert_unique(hash, top.line, |&line| hash_key(&lines[line as usize].key));
            }
        }
        if merged {
            // Two keys became one (a change that saturates): their lines merge by sequence.
            let entries = self.entries();
            self.clear();
            for (key, sequence, pid) in entries {
                self.push(pid, key, sequence);
            }
            return;
        }
        for at in (0..self.heap.len() / 2).rev() {
            self.sift_down(at);
        }
    }

    /// The key `pid` is queued with.
    pub fn key_of(&self, pid: Pid) -> Option<K> {
        // The first (a choice) without a read of the cold table of tickets.
        if let Some((key, first)) = self.first()
            && first == pid
        {
            return Some(key);
        }
        let ticket = self.ticket(pid)?;
        Some(self.lines[ticket.line as usize].key)
    }

    /// The queued process other than `pid` that comes first: the runner-up of a choice of
    /// `pid` (the first). Behind the first in its line (an equal key), else the first of the
    /// line with the next key (a child of the heap's root).
    pub fn runner_up(&self, pid: Pid) -> Option<(K, Pid)> {
        // Whether an entry is of a process still queued there. A line's front always is, and
        // with no stale entry in the line every entry is: the table of tickets (cold memory
        // with 100,000 processes) is read only past stale entries.
        let queued = |line: &Line<K>, at: usize, (sequence, other): (u64, Pid)| {
            other != pid
                && (at == 0 || line.stale == 0 || self.tickets[other.index()].sequence == sequence)
        };
        let first_other = |line: &Line<K>| {
            line.waiting
                .iter()
                .enumerate()
                .find(|&(at, &entry)| queued(line, at, entry))
                .map(|(_, &(_, other))| (line.key, other))
        };
        let top = self.heap.first()?;
        if let Some(found) = first_other(&self.lines[top.line as usize]) {
            return Some(found);
        }
        // The line with the next key: a child of the heap's root.
        let next = self
            .heap
            .iter()
            .skip(1)
            .take(ARITY)
            .min_by_key(|top| top.key)?;
        first_other(&self.lines[next.line as usize])
    }

    pub fn first(&self) -> Option<(K, Pid)> {
        let top = self.heap.first()?;
        let (_, pid) = self.lines[top.line as usize].waiting.front()?;
        Some((top.key, *pid))
    }

    pub fn remove(&mut self, pid: Pid) {
        // The first process (dispatched) is removed without reading its ticket: a table of
        // 100,000 is cold memory.
        let first = self.heap.first().and_then(|top| {
            let &(sequence, front) = self.lines[top.line as usize].waiting.front()?;
            (front == pid).then_some(Ticket {
                sequence,
                line: top.line,
            })
        });
        let Some(ticket) = first.or_else(|| self.ticket(pid)) else {
            return;
        };
        self.tickets[pid.index()] = NOT_QUEUED;
        self.len -= 1;
        let line = &mut self.lines[ticket.line as usize];
        line.live -= 1;
        if line.live == 0 {
            self.close(ticket.line);
            return;
        }
        if line.waiting.front() != Some(&(ticket.sequence, pid)) {
            line.stale += 1;
            return;
        }
        line.waiting.pop_front();
        // Entries of processes removed from inside the line may now be at its front.
        while line.stale > 0 {
            let &(sequence, front) = line.waiting.front().expect("a live entry is behind");
            if self.tickets[front.index()].sequence == sequence {
                break;
            }
            line.waiting.pop_front();
            line.stale -= 1;
        }
    }

    /// Takes the line (now without a queued process) out of the heap, and keeps it as a spare.
    fn close(&mut self, line: u32) {
        let entry = &mut self.lines[line as usize];
        entry.waiting.clear();
        entry.stale = 0;
        let (key, at) = (entry.key, entry.heap_at as usize);
        self.line_of
            .find_entry(hash_key(&key), |&other| other == line)
            .expect("an open line is in the table")
            .remove();
        self.spare.push(line);
        let last = self.heap.len() - 1;
        self.heap.swap(at, last);
        self.heap.pop();
        if at < self.heap.len() {
            self.place(at);
            self.sift_down(at);
            self.sift_up(at);
        }
    }

    /// Closes every line.
    fn clear(&mut self) {
        for top in std::mem::take(&mut self.heap) {
            let line = &mut self.lines[top.line as usize];
            line.waiting.clear();
            line.live = 0;
            line.stale = 0;
            self.spare.push(top.line);
        }
        self.line_of.clear();
        for ticket in &mut self.tickets {
            *ticket = NOT_QUEUED;
        }
        self.len = 0;
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// How many processes are queued.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether any queued process has exactly this key.
    pub fn contains_key(&self, key: K) -> bool {
        self.line_of
            .find(hash_key(&key), |&line| self.lines[line as usize].key == key)
            .is_some()
    }

    /// The queued processes in order (for views: it sorts a copy).
    pub fn to_vec(&self) -> Vec<Pid> {
        self.entries().into_iter().map(|(_, _, pid)| pid).collect()
    }

    /// Every queued process as (key, sequence, pid), in order.
    fn entries(&self) -> Vec<(K, u64, Pid)> {
        let mut entries: Vec<(K, u64, Pid)> = self
            .heap
            .iter()
            .flat_map(|top| {
                let line = &self.lines[top.line as usize];
                line.waiting
                    .iter()
                    .filter(|&&(sequence, pid)| self.tickets[pid.index()].sequence == sequence)
                    .map(move |&(sequence, pid)| (line.key, sequence, pid))
            })
            .collect();
        entries.sort_unstable_by_key(|&(key, sequence, _)| (key, sequence));
        entries
    }

    /// The entry of `pid`, if it is queued.
    fn ticket(&self, pid: Pid) -> Option<Ticket> {
        let ticket = *self.tickets.get(pid.index())?;
        (ticket.sequence != NOT_QUEUED.sequence).then_some(ticket)
    }

    /// Notes the heap position of the line whose key is now at `at`.
    fn place(&mut self, at: usize) {
        self.lines[self.heap[at].line as usize].heap_at = at as u32;
    }

    fn sift_up(&mut self, mut at: usize) {
        while at > 0 {
            let parent = (at - 1) / ARITY;
            if self.heap[at].key >= self.heap[parent].key {
                break;
            }
            self.heap.swap(at, parent);
            self.place(at);
            at = parent;
        }
        self.place(at);
    }

    fn sift_down(&mut self, mut at: usize) {
        loop {
            let mut first = at;
            for child in children(at).take_while(|&child| child < self.heap.len()) {
                if self.heap[child].key < self.heap[first].key {
                    first = child;
                }
            }
            if first == at {
                break;
            }
            self.heap.swap(at, first);
            self.place(at);
            at = first;
        }
        self.place(at);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::test_support::numbers;

    #[test]
    fn keyed_queue_breaks_ties_by_insertion() {
        let mut queue = KeyedQueue::new(4);
        queue.insert(Pid(4), 3);
        queue.insert(Pid(2), 3);
        queue.insert(Pid(3), 1);
        assert_eq!(queue.to_vec(), vec![Pid(3), Pid(4), Pid(2)]);
        queue.remove(Pid(4));
        assert_eq!(queue.to_vec(), vec![Pid(3), Pid(2)]);
        assert!(queue.contains_key(3) && !queue.contains_key(2));
    }

    /// The lines against a plain sorted list, over many random inserts, removals, key changes
    /// and lookups.
    #[test]
    fn keyed_queue_keeps_the_order_of_a_sorted_list() {
        let mut next = numbers(12345);
        let mut queue = KeyedQueue::new(40);
        let mut model: Vec<(i64, u64, Pid)> = Vec::new();
        let mut sequence = 0;
        for _ in 0..20_000 {
            let pid = Pid::from_index(next(40) as usize);
            match next(10) {
                0..=4 => {
                    let key = next(8) as i64;
                    queue.insert(pid, key);
                    model.retain(|&(_, _, p)| p != pid);
                    model.push((key, sequence, pid));
                    sequence += 1;
                }
                5..=7 => {
                    queue.remove(pid);
                    model.retain(|&(_, _, p)| p != pid);
                }
                8 => {
                    // Floored: some keys become one, and their lines merge.
                    queue.map_keys(|key| (key - 1).max(-3));
                    for entry in &mut model {
                        entry.0 = (entry.0 - 1).max(-3);
                    }
                }
                _ => {
                    let key = next(8) as i64 - 4;
                    assert_eq!(
                        queue.contains_key(key),
                        model.iter().any(|&(k, _, _)| k == key)
                    );
                }
            }
            model.sort();
            assert_eq!(
                queue.to_vec(),
                model.iter().map(|&(_, _, p)| p).collect::<Vec<_>>()
            );
            assert_eq!(
                queue.first(),
                model.first().map(|&(key, _, pid)| (key, pid))
            );
            // The runner-up of a choice of the first is the second.
            if let Some((_, first)) = queue.first() {
                assert_eq!(
                    queue.runner_up(first),
                    model.get(1).map(|&(key, _, pid)| (key, pid))
                );
            }
            assert_eq!(
                queue.key_of(pid),
                model.iter().find(|e| e.2 == pid).map(|e| e.0)
            );
        }
    }
}
