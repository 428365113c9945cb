//! The engine's state as plain data: [`Snapshot`]s for `--at`, `ps`, the GUI and grading.

use super::*;

impl Simulator {
    /// A plain-data view of the whole state at the current time.
    pub fn snapshot(&self) -> Snapshot {
        let processes = self
            .pcbs
            .iter()
            .map(|pcb| {
                ProcessView::of(
                    pcb,
                    &self.programs[pcb.pid.index()],
                    &self.scenario,
                    self.now,
                )
            })
            .collect();
        let cpus = self
            .cpus
            .iter()
            .enumerate()
            .map(|(index, slot)| CpuView {
                cpu: CpuId(index),
                running: match slot.occupant {
                    Some(Occupant {
                        pid,
                        phase: Phase::Executing { .. },
                    }) => Some(pid),
                    _ => None,
                },
                switching_to: match slot.occupant {
                    Some(Occupant {
                        pid,
                        phase: Phase::Switching { .. },
                    }) => Some(pid),
                    _ => None,
                },
            })
            .collect();
        let devices = self
            .devices
            .iter()
            .zip(&self.scenario.devices)
            .map(|(state, device)| DeviceView {
                name: device.name.clone(),
                in_service: state.in_service.clone(),
                waiting: state.waiting.iter().map(|request| request.pid).collect(),
            })
            .collect();
        Snapshot {
            time: self.now,
            processes,
            cpus,
            ready_queues: self.policy.queues(),
            devices,
            sync: self.sync_view(),
        }
    }
}
