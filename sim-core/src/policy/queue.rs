//! The two ready-queue shapes the policies share.
//!
//! Determinism: both break ties by insertion order (a sequence number that only grows), so two
//! processes entering at the same instant keep the order in which the engine enqueued them
//! (arrivals in scenario order, then IO completions in issue order).

use crate::ids::Pid;
use std::collections::{BTreeSet, VecDeque};

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

    /// Empties the queue, returning its processes in order.
    pub fn drain(&mut self) -> Vec<Pid> {
        self.items.drain(..).collect()
    }
}

/// A queue ordered by a key fixed at insertion (smallest first), then by insertion order.
#[derive(Clone, Debug)]
pub struct KeyedQueue<K: Ord + Copy> {
    order: BTreeSet<(K, u64, Pid)>,
    /// The entry of each queued pid (indexed by `Pid::index`), for O(log n) removal.
    entries: Vec<Option<(K, u64)>>,
    next_sequence: u64,
}

impl<K: Ord + Copy> KeyedQueue<K> {
    pub fn new(process_count: usize) -> Self {
        KeyedQueue {
            order: BTreeSet::new(),
            entries: vec![None; process_count],
            next_sequence: 0,
        }
    }

    pub fn insert(&mut self, pid: Pid, key: K) {
        let sequence = self.next_sequence;
        self.next_sequence += 1;
        self.order.insert((key, sequence, pid));
        // Forked processes get pids beyond the scenario's: the table grows with them.
        if pid.index() >= self.entries.len() {
            self.entries.resize(pid.index() + 1, None);
        }
        self.entries[pid.index()] = Some((key, sequence));
    }

    /// Changes every queued key by `change`, keeping each process's place among equal keys.
    pub fn map_keys(&mut self, change: impl Fn(K) -> K) {
        let order = std::mem::take(&mut self.order);
        for (key, sequence, pid) in order {
            let key = change(key);
            self.entries[pid.index()] = Some((key, sequence));
            self.order.insert((key, sequence, pid));
        }
    }

    /// The key `pid` is queued with.
    pub fn key_of(&self, pid: Pid) -> Option<K> {
        self.entries
            .get(pid.index())
            .copied()
            .flatten()
            .map(|(key, _)| key)
    }

    pub fn first(&self) -> Option<(K, Pid)> {
        self.order.first().map(|&(key, _, pid)| (key, pid))
    }

    pub fn remove(&mut self, pid: Pid) {
        if let Some((key, sequence)) = self.entries.get_mut(pid.index()).and_then(Option::take) {
            self.order.remove(&(key, sequence, pid));
        }
    }

    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }

    /// Whether any queued process has exactly this key.
    pub fn contains_key(&self, key: K) -> bool {
        self.order
            .range((key, 0, crate::ids::Pid(0))..)
            .next()
            .is_some_and(|&(k, _, _)| k == key)
    }

    pub fn to_vec(&self) -> Vec<Pid> {
        self.order.iter().map(|&(_, _, pid)| pid).collect()
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
}
