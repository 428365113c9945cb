//! The two ready-queue shapes the policies share.
//!
//! Determinism: both break ties by insertion order (a sequence number that only grows), so two
//! processes entering at the same instant keep the order in which the engine enqueued them
//! (arrivals in scenario order, then IO completions in issue order).

use crate::ids::Pid;
use std::collections::VecDeque;

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
/// An indexed 4-ary heap (shallower than a binary one: fewer cache misses in a queue of
/// 100,000): insertion, removal of any process and the first are O(log n), and
/// once the heap has grown to the queue's length nothing is allocated (a `BTreeSet` allocates
/// and frees nodes as it goes, at a good share of a run's events).
#[derive(Clone, Debug)]
pub struct KeyedQueue<K: Ord + Copy> {
    heap: Vec<Queued<K>>,
    /// Where each queued pid sits in `heap` (indexed by `Pid::index`; [`NOT_QUEUED`] if it is
    /// not queued): 4 bytes a process, so that the table of 100,000 stays in cache.
    position: Vec<u32>,
    next_sequence: u64,
}

#[derive(Clone, Copy, Debug)]
struct Queued<K> {
    key: K,
    sequence: u64,
    pid: Pid,
}

impl<K: Ord + Copy> Queued<K> {
    fn before(&self, other: &Queued<K>) -> bool {
        (self.key, self.sequence) < (other.key, other.sequence)
    }
}

/// Children of a node of a [`KeyedQueue`]'s heap.
const ARITY: usize = 4;

fn children(at: usize) -> impl Iterator<Item = usize> {
    (ARITY * at + 1)..=(ARITY * at + ARITY)
}

/// The position of a process that is not in a [`KeyedQueue`].
const NOT_QUEUED: u32 = u32::MAX;

impl<K: Ord + Copy> KeyedQueue<K> {
    pub fn new(process_count: usize) -> Self {
        KeyedQueue {
            heap: Vec::new(),
            position: vec![NOT_QUEUED; process_count],
            next_sequence: 0,
        }
    }

    pub fn insert(&mut self, pid: Pid, key: K) {
        self.remove(pid);
        let sequence = self.next_sequence;
        self.next_sequence += 1;
        // Forked processes get pids beyond the scenario's: the table grows with them.
        if pid.index() >= self.position.len() {
            self.position.resize(pid.index() + 1, NOT_QUEUED);
        }
        self.heap.push(Queued { key, sequence, pid });
        self.sift_up(self.heap.len() - 1);
    }

    /// Changes every queued key by `change`, keeping each process's place among equal keys.
    pub fn map_keys(&mut self, change: impl Fn(K) -> K) {
        for queued in &mut self.heap {
            queued.key = change(queued.key);
        }
        for at in (0..self.heap.len() / 2).rev() {
            self.sift_down(at);
        }
    }

    /// The key `pid` is queued with.
    pub fn key_of(&self, pid: Pid) -> Option<K> {
        let at = self.at(pid)?;
        Some(self.heap[at].key)
    }

    pub fn first(&self) -> Option<(K, Pid)> {
        self.heap.first().map(|queued| (queued.key, queued.pid))
    }

    pub fn remove(&mut self, pid: Pid) {
        let Some(at) = self.at(pid) else {
            return;
        };
        self.position[pid.index()] = NOT_QUEUED;
        let last = self.heap.len() - 1;
        self.heap.swap(at, last);
        self.heap.pop();
        if at < self.heap.len() {
            self.place(at);
            self.sift_down(at);
            self.sift_up(at);
        }
    }

    pub fn is_empty(&self) -> bool {
        self.heap.is_empty()
    }

    /// Whether any queued process has exactly this key: a search of the heap that skips the
    /// subtrees whose top comes after `key`, so it sees only the keys up to `key`.
    pub fn contains_key(&self, key: K) -> bool {
        let mut stack = Vec::new();
        let mut at = 0;
        loop {
            if let Some(queued) = self.heap.get(at)
                && queued.key <= key
            {
                if queued.key == key {
                    return true;
                }
                stack.extend(children(at).skip(1));
                at = ARITY * at + 1;
                continue;
            }
            match stack.pop() {
                Some(next) => at = next,
                None => return false,
            }
        }
    }

    /// The queued processes in order (for views: it sorts a copy).
    pub fn to_vec(&self) -> Vec<Pid> {
        let mut sorted = self.heap.clone();
        sorted.sort_unstable_by_key(|queued| (queued.key, queued.sequence));
        sorted.into_iter().map(|queued| queued.pid).collect()
    }

    /// Where `pid` is in the heap, if it is queued.
    fn at(&self, pid: Pid) -> Option<usize> {
        let at = *self.position.get(pid.index())?;
        (at != NOT_QUEUED).then_some(at as usize)
    }

    /// Notes the position of the process now at `at`.
    fn place(&mut self, at: usize) {
        self.position[self.heap[at].pid.index()] = at as u32;
    }

    fn sift_up(&mut self, mut at: usize) {
        while at > 0 {
            let parent = (at - 1) / ARITY;
            if !self.heap[at].before(&self.heap[parent]) {
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
                if self.heap[child].before(&self.heap[first]) {
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

    /// The heap against a plain sorted list, over many random inserts, removals, key changes
    /// and lookups.
    #[test]
    fn keyed_queue_keeps_the_order_of_a_sorted_list() {
        let mut state: u64 = 12345;
        let mut next = |range: u64| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (state >> 33) % range
        };
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
                    queue.map_keys(|key| key - 1);
                    for entry in &mut model {
                        entry.0 -= 1;
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
            assert_eq!(
                queue.key_of(pid),
                model.iter().find(|e| e.2 == pid).map(|e| e.0)
            );
        }
    }
}
