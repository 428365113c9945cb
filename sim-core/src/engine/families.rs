//! Who is whose child right now, kept so that `wait: any`, an exit and a reap cost O(log n)
//! even for a parent with 100,000 children (a process pool).

use crate::ids::Pid;
use std::collections::{BTreeMap, BTreeSet};

/// The current children (living or zombie) of every process except init, which needs no list:
/// it reaps its children the moment they exit.
#[derive(Clone, Debug, Default)]
pub(super) struct Families {
    /// Where each process's family is in `families` ([`NO_FAMILY`] until it first gets a
    /// child): 4 bytes a process, so that an exit, which asks every process for its children,
    /// reads a small dense table instead of a cold `Family` (most processes never fork).
    slot: Vec<u32>,
    families: Vec<Family>,
    /// Each process's place among its parent's children (the order in which it got them).
    place: Vec<u64>,
    next_place: u64,
}

/// The slot of a process that never had a child.
const NO_FAMILY: u32 = u32::MAX;

/// The family of a process that never had a child.
static NO_CHILDREN: Family = Family {
    children: BTreeMap::new(),
    zombies: BTreeSet::new(),
    living: 0,
};

#[derive(Clone, Debug, Default)]
struct Family {
    children: BTreeMap<u64, Pid>,
    zombies: BTreeSet<(u64, Pid)>,
    living: usize,
}

impl Families {
    pub fn new(processes: usize) -> Families {
        Families {
            slot: vec![NO_FAMILY; processes],
            families: Vec::new(),
            place: vec![0; processes],
            next_place: 0,
        }
    }

    /// Makes room for a newly created process.
    pub fn push(&mut self) {
        self.slot.push(NO_FAMILY);
        self.place.push(0);
    }

    /// The family of `parent`, made when it gets its first child.
    fn family_mut(&mut self, parent: Pid) -> &mut Family {
        let slot = &mut self.slot[parent.index()];
        if *slot == NO_FAMILY {
            *slot = u32::try_from(self.families.len()).expect("fewer than 2^32 parents");
            self.families.push(Family::default());
        }
        &mut self.families[*slot as usize]
    }

    /// Asks the cache for what `family` of `parent` reads first (a hint: nothing changes).
    pub fn prefetch(&self, parent: Pid) {
        if let Some(slot) = self.slot.get(parent.index()) {
            crate::prefetch::prefetch(slot);
        }
    }

    fn family(&self, parent: Pid) -> &Family {
        match self.slot[parent.index()] {
            NO_FAMILY => &NO_CHILDREN,
            slot => &self.families[slot as usize],
        }
    }

    /// `child` (a zombie if `zombie`) becomes the youngest child of `parent`.
    pub fn adopt(&mut self, parent: Pid, child: Pid, zombie: bool) {
        if parent == Pid::INIT {
            return;
        }
        let place = self.next_place;
        self.next_place += 1;
        self.place[child.index()] = place;
        let family = self.family_mut(parent);
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
        let family = self.family_mut(parent);
        family.living -= 1;
        family.zombies.insert((place, child));
    }

    /// `child` of `parent` has been reaped: no longer a child.
    pub fn reaped(&mut self, parent: Pid, child: Pid) {
        if parent == Pid::INIT {
            return;
        }
        let place = self.place[child.index()];
        let family = self.family_mut(parent);
        family.children.remove(&place);
        family.zombies.remove(&(place, child));
    }

    /// Removes and returns every child of `parent`, in order (it exits: they are orphans).
    pub fn take(&mut self, parent: Pid) -> Vec<Pid> {
        if self.slot[parent.index()] == NO_FAMILY {
            return Vec::new();
        }
        let family = std::mem::take(self.family_mut(parent));
        family.children.into_values().collect()
    }

    /// The children of `parent`, in the order it got them.
    pub fn children(&self, parent: Pid) -> impl Iterator<Item = Pid> + '_ {
        self.family(parent).children.values().copied()
    }

    /// Its first zombie child, in that order.
    pub fn first_zombie(&self, parent: Pid) -> Option<Pid> {
        self.family(parent).zombies.first().map(|&(_, pid)| pid)
    }

    /// How many of its children have not exited.
    pub fn living(&self, parent: Pid) -> usize {
        self.family(parent).living
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
