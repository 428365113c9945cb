//! Who is whose child right now, kept so that `wait: any`, an exit and a reap cost O(log n)
//! even for a parent with 100,000 children (a process pool).

use crate::ids::Pid;
use std::collections::{BTreeMap, BTreeSet};

/// The current children (living or zombie) of every process except init, which needs no list:
/// it reaps its children the moment they exit.
#[derive(Clone, Debug, Default)]
pub(super) struct Families {
    families: Vec<Family>,
    /// Each process's place among its parent's children (the order in which it got them).
    place: Vec<u64>,
    next_place: u64,
}

#[derive(Clone, Debug, Default)]
struct Family {
    children: BTreeMap<u64, Pid>,
    zombies: BTreeSet<(u64, Pid)>,
    living: usize,
}

impl Families {
    pub fn new(processes: usize) -> Families {
        Families {
            families: vec![Family::default(); processes],
            place: vec![0; processes],
            next_place: 0,
        }
    }

    /// Makes room for a newly created process.
    pub fn push(&mut self) {
        self.families.push(Family::default());
        self.place.push(0);
    }

    /// `child` (a zombie if `zombie`) becomes the youngest child of `parent`.
    pub fn adopt(&mut self, parent: Pid, child: Pid, zombie: bool) {
        if parent == Pid::INIT {
            return;
        }
        let place = self.next_place;
        self.next_place += 1;
        self.place[child.index()] = place;
        let family = &mut self.families[parent.index()];
        family.children.insert(place, child);
        if zombie {
            family.zombies.insert((place, child));
        } else {
            family.living += 1;
        }
    }

    /// `child` of `parent` has just exited.
    pub fn exited(&mut self, parent: Pid, child: Pid) {
        if parent == Pid::INIT {
            return;
        }
        let place = self.place[child.index()];
        let family = &mut self.families[parent.index()];
        family.living -= 1;
        family.zombies.insert((place, child));
    }

    /// `child` of `parent` has been reaped: no longer a child.
    pub fn reaped(&mut self, parent: Pid, child: Pid) {
        if parent == Pid::INIT {
            return;
        }
        let place = self.place[child.index()];
        let family = &mut self.families[parent.index()];
        family.children.remove(&place);
        family.zombies.remove(&(place, child));
    }

    /// Removes and returns every child of `parent`, in order (it exits: they are orphans).
    pub fn take(&mut self, parent: Pid) -> Vec<Pid> {
        let family = std::mem::take(&mut self.families[parent.index()]);
        family.children.into_values().collect()
    }

    /// The children of `parent`, in the order it got them.
    pub fn children(&self, parent: Pid) -> impl Iterator<Item = Pid> + '_ {
        self.families[parent.index()].children.values().copied()
    }

    /// Its first zombie child, in that order.
    pub fn first_zombie(&self, parent: Pid) -> Option<Pid> {
        let family = &self.families[parent.index()];
        family.zombies.first().map(|&(_, pid)| pid)
    }

    /// How many of its children have not exited.
    pub fn living(&self, parent: Pid) -> usize {
        self.families[parent.index()].living
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zombies_come_out_in_the_order_the_children_were_had() {
        let mut families = Families::new(5);
        let parent = Pid(2);
        for child in [3, 4, 5] {
            families.adopt(parent, Pid(child), false);
        }
        families.exited(parent, Pid(5));
        families.exited(parent, Pid(4));
        assert_eq!(families.first_zombie(parent), Some(Pid(4)));
        assert_eq!(families.living(parent), 1);
        families.reaped(parent, Pid(4));
        assert_eq!(families.first_zombie(parent), Some(Pid(5)));
        assert_eq!(families.take(parent), vec![Pid(3), Pid(5)]);
        assert_eq!(families.living(parent), 0);
    }
}
