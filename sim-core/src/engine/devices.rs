//! IO devices: a number of servers and a FIFO line of the requests beyond them. A device's
//! line is its wait in [`super::waits::Waits`]: those being served first, in the order their
//! service began, then those queued for a server; the device itself counts its busy servers.

use super::Simulator;
use super::waits::{WaitOn, Want};
use crate::event::Event;
use crate::ids::{DeviceId, Pid};
use std::cmp::Reverse;

#[derive(Clone, Debug)]
pub(crate) struct DeviceState {
    /// `None` = serves any number of requests at once.
    servers: Option<usize>,
    /// Servers busy: the first `busy` threads of the device's line are being served.
    pub busy: usize,
}

impl DeviceState {
    pub fn new(servers: Option<usize>) -> Self {
        DeviceState { servers, busy: 0 }
    }

    /// Whether a new request would start service at once.
    pub fn has_free_server(&self) -> bool {
        self.servers.is_none_or(|servers| self.busy < servers)
    }
}

impl Simulator {
    /// `pid` leaves the line it waits in, wherever it is; a device it was being served by
    /// serves the next request. Returns what it waited on.
    pub(super) fn leave_wait(&mut self, pid: Pid) -> Option<WaitOn> {
        let left = self.waits.leave(pid)?;
        if let WaitOn::Device(device) = left.on {
            self.left_device(device, left.position);
        }
        Some(left.on)
    }

    /// `pid`, just blocked at the back of `device`'s line for `ticks` of service, starts
    /// its service if a server is free (then nobody is queued ahead of it).
    pub(super) fn request_io(&mut self, pid: Pid, device: DeviceId, ticks: u64) {
        if self.devices[device.0].has_free_server() {
            self.start_io(pid, ticks, device);
        }
    }

    /// A server of `device` begins `ticks` of service for `pid`.
    fn start_io(&mut self, pid: Pid, ticks: u64, device: DeviceId) {
        self.devices[device.0].busy += 1;
        let sequence = self.next_io_sequence;
        self.next_io_sequence += 1;
        self.io_sequence[pid.index()] = Some(sequence);
        self.io_completions
            .push(Reverse((self.now.plus(ticks), sequence, pid, device.0)));
    }

    /// `pid` left `device`'s line from `position`: if it was being served, its server takes
    /// the first queued request, which starts its service now.
    fn left_device(&mut self, device: DeviceId, position: usize) {
        if position >= self.devices[device.0].busy {
            return;
        }
        self.devices[device.0].busy -= 1;
        let on = WaitOn::Device(device);
        let next = self.devices[device.0].busy;
        if let Some(waiter) = self.waits.at(on, next) {
            let (pid, want) = (waiter.tid, waiter.want.clone());
            if let Want::Service(ticks) = want {
                self.start_io(pid, ticks, device);
                self.emit(Event::IoStart { pid, device });
            }
        }
    }
}
