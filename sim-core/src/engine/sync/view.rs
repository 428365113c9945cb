//! Resources, events and queues as plain data, for snapshots and reports.

use super::super::waits::{WaitOn, Want};
use super::Simulator;
use crate::ids::{FlagId, QueueId, ResourceId};
use crate::snapshot::{EventView, QueueView, ResourceView, SyncView};

impl Simulator {
    /// Resources, events and queues now, for snapshots and reports.
    pub fn sync_view(&self) -> SyncView {
        let sync = &self.scenario.sync;
        let graph = self.allocation_graph();
        let tids = |on: WaitOn| self.waits.line(on).map(|w| w.tid).collect();
        SyncView {
            resources: sync
                .resources
                .iter()
                .enumerate()
                .map(|(index, spec)| ResourceView {
                    name: spec.name.clone(),
                    instances: spec.instances,
                    available: self.sync.available[index],
                    holders: graph
                        .holds
                        .iter()
                        .filter(|(_, r, _)| r.0 == index)
                        .map(|&(pid, _, count)| (pid, count))
                        .collect(),
                    waiters: self
                        .waits
                        .line(WaitOn::Resource(ResourceId(index)))
                        .filter_map(|w| match w.want {
                            Want::Instances(count) => Some((w.tid, count)),
                            _ => None,
                        })
                        .collect(),
                })
                .collect(),
            events: sync
                .events
                .iter()
                .enumerate()
                .map(|(index, spec)| EventView {
                    name: spec.name.clone(),
                    set: self.sync.flags[index],
                    waiters: tids(WaitOn::Event(FlagId(index))),
                })
                .collect(),
            queues: sync
                .queues
                .iter()
                .enumerate()
                .map(|(index, spec)| QueueView {
                    name: spec.name.clone(),
                    capacity: spec.capacity,
                    items: self.sync.items[index].len,
                    kind: spec.kind,
                    one_way: spec.one_way,
                    unfinished: spec.joinable.then_some(self.sync.unfinished[index]),
                    waiting_to_put: tids(WaitOn::QueueRoom(QueueId(index))),
                    waiting_to_get: tids(WaitOn::QueueItem(QueueId(index))),
                })
                .collect(),
        }
    }
}
