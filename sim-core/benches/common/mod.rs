//! What the benches share.

use sim_core::{Scenario, Simulator};
use std::hint::black_box;

/// Runs `scenario` to its end as `procsim run` does, forgetting each instant's events once
/// they are counted (the engine's own work, not a growing log's); returns the events.
pub fn streamed_run(scenario: Scenario) -> usize {
    let mut simulator = Simulator::new(scenario);
    while simulator.step().is_some() {
        black_box(simulator.log().last());
        simulator.forget_log();
    }
    simulator.events_logged()
}
