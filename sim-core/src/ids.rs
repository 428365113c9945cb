//! Newtypes for the quantities the engine counts: process ids, CPU numbers, time, and the
//! indices of a scenario's devices, resources, events and queues.

use serde::Serialize;
use std::fmt;

/// A process id. Init is pid 1; the scenario's processes follow from pid 2 in scenario order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct Pid(pub u32);

impl Pid {
    /// The init process, parent of every top-level scenario process.
    pub const INIT: Pid = Pid(1);

    /// Index of this pid in tables that start at pid 2 (the first scenario process).
    pub fn index(self) -> usize {
        (self.0 - 2) as usize
    }

    /// The pid stored at `index` of such a table.
    pub fn from_index(index: usize) -> Pid {
        Pid(index as u32 + 2)
    }
}

impl fmt::Display for Pid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// A point in simulated time, in integer ticks. Only the engine advances it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct Tick(pub u64);

impl Tick {
    pub const ZERO: Tick = Tick(0);

    /// `self + ticks`, saturating so that absurd scenarios cannot overflow.
    pub fn plus(self, ticks: u64) -> Tick {
        Tick(self.0.saturating_add(ticks))
    }

    /// Ticks elapsed from `earlier` to `self` (zero if `earlier` is later).
    pub fn since(self, earlier: Tick) -> u64 {
        self.0.saturating_sub(earlier.0)
    }
}

impl fmt::Display for Tick {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// A CPU number, from 0.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct CpuId(pub usize);

impl fmt::Display for CpuId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CPU{}", self.0)
    }
}

/// Index of a device in the scenario's device list (0 is the default device).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct DeviceId(pub usize);

impl DeviceId {
    pub const DEFAULT: DeviceId = DeviceId(0);
}

/// Index of a resource (a lock or semaphore) in the scenario's resource list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct ResourceId(pub usize);

/// Index of an event (a flag) in the scenario's event list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct FlagId(pub usize);

/// Index of a queue in the scenario's queue list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct QueueId(pub usize);
