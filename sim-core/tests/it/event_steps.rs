//! The state after the K-th event of an instant (`Simulator::step_to_event`, `procsim run --at
//! T --event K`, the GUI's event steps): each cut agrees with the events logged so far.

use crate::support::scenarios_dir;
use sim_core::event::Event;
use sim_core::{Scenario, Simulator, Tick};

fn ticket_sale() -> Scenario {
    let path = scenarios_dir().join("python/ticket-sale-no-lock.yaml");
    Scenario::from_yaml(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// A simulator with every instant before `time` applied.
fn before(scenario: &Scenario, time: u64) -> Simulator {
    let mut simulator = Simulator::new(scenario.clone());
    while simulator.next_instant().is_some_and(|next| next.0 < time) {
        simulator.step();
    }
    simulator
}

#[test]
fn each_cut_shows_the_values_written_and_the_lines_printed_so_far() {
    let scenario = ticket_sale();
    // The whole instant t=1, as a plain step logs it.
    let mut whole = before(&scenario, 1);
    let start = whole.log().len();
    whole.step();
    let instant = whole.log()[start..].to_vec();
    assert!(
        instant.len() > 20,
        "t=1 has the whole race: {}",
        instant.len()
    );
    for k in 0..=instant.len() {
        let mut simulator = before(&scenario, 1);
        let cut = simulator.step_to_event(k).expect("t=1 happens");
        assert_eq!((cut.event, cut.events), (k, instant.len()));
        // tickets as the last write among the first k events left it (1 before any).
        let written = instant[..k]
            .iter()
            .rev()
            .find_map(|e| match e.event {
                Event::Write { value, .. } => Some(value),
                _ => None,
            })
            .unwrap_or(1);
        assert_eq!(
            cut.snapshot.variables,
            vec![("box_office.tickets".to_string(), written)],
            "after event {k} of {}",
            instant.len()
        );
        // Whoever the first k events dispatched is running, and nobody else.
        let running: Vec<_> = cut
            .snapshot
            .cpus
            .iter()
            .filter_map(|cpu| cpu.running)
            .collect();
        for pid in running {
            let last = instant[..k]
                .iter()
                .rev()
                .find(|e| e.event.pid() == Some(pid))
                .map(|e| &e.event);
            assert!(
                !matches!(last, Some(Event::Exit { .. } | Event::Block { .. })),
                "after event {k}: {pid} runs after {last:?}"
            );
        }
    }
}

#[test]
fn the_last_cut_is_the_instants_end_and_the_first_its_start() {
    let scenario = ticket_sale();
    let mut whole = before(&scenario, 1);
    let at_start = whole.snapshot_at(Tick(1));
    whole.step();
    let at_end = whole.snapshot();
    let mut simulator = before(&scenario, 1);
    let all = simulator.step_to_event(usize::MAX).unwrap();
    assert_eq!(all.snapshot, at_end);
    assert_eq!(all.event, all.events);
    // The simulator goes on as after a plain step.
    assert_eq!(simulator.snapshot(), at_end);
    let mut simulator = before(&scenario, 1);
    assert_eq!(simulator.step_to_event(0).unwrap().snapshot, at_start);
}

#[test]
fn snapshots_show_registers_only_where_programs_use_them() {
    let mut simulator = Simulator::new(ticket_sale());
    simulator.advance_to(Tick(1), 10_000).unwrap();
    let snapshot = simulator.snapshot();
    // Each buyer read 1 and sold it: its register went 1 → 0 → -1 → -2 along the buyers.
    let registers: Vec<Option<i64>> = snapshot.processes.iter().map(|p| p.register).collect();
    assert_eq!(registers, vec![Some(0), Some(0), Some(-1), Some(-2)]);
    let json = serde_json::to_value(&snapshot).unwrap();
    assert_eq!(json["processes"][3]["register"], -2);
    let plain = crate::support::scenario("name: x\npolicy: fcfs\nprocesses: [{name: A, burst: 2}]");
    let mut simulator = Simulator::new(plain);
    simulator.advance_to(Tick(1), 10_000).unwrap();
    let json = serde_json::to_value(simulator.snapshot()).unwrap();
    assert!(json["processes"][0].get("register").is_none(), "{json}");
}
