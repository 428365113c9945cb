//! IO devices: a number of servers and a FIFO queue of the requests beyond them.

use crate::ids::Pid;
use std::collections::VecDeque;

/// A request waiting for a server: who, and for how many ticks of service.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct IoRequest {
    pub pid: Pid,
    pub ticks: u64,
}

#[derive(Clone, Debug)]
pub(crate) struct DeviceState {
    /// `None` = serves any number of requests at once.
    servers: Option<usize>,
    /// Processes being served, in the order their service started.
    pub in_service: Vec<Pid>,
    /// Requests waiting for a server, first come first served.
    pub waiting: VecDeque<IoRequest>,
}

impl DeviceState {
    pub fn new(servers: Option<usize>) -> Self {
        DeviceState {
            servers,
            in_service: Vec::new(),
            waiting: VecDeque::new(),
        }
    }

    /// Whether a new request would start service at once.
    pub fn has_free_server(&self) -> bool {
        self.servers
            .is_none_or(|servers| self.in_service.len() < servers)
    }

    /// Ends `pid`'s service and returns the waiting request that takes its server, if any.
    pub fn finish(&mut self, pid: Pid) -> Option<IoRequest> {
        if let Some(at) = self.in_service.iter().position(|&p| p == pid) {
            self.in_service.remove(at);
        }
        if self.has_free_server() {
            self.waiting.pop_front()
        } else {
            None
        }
    }
}
