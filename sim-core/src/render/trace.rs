//! The trace: the event log, one event per line (time, verb, the event in words). The CLI's
//! `--trace` and the GUI's event log both print these lines.

use crate::event::TimedEvent;
use crate::narrate::describe;
use crate::roster::Roster;
use crate::scenario::Scenario;

/// One event as a trace line, without the newline: the time right-aligned in 6 columns, the
/// verb in 9, then the event in words.
pub fn trace_line(scenario: &Scenario, roster: &Roster, timed: &TimedEvent) -> String {
    format!(
        "{:>6}  {:<9} {}",
        timed.time.0,
        timed.event.verb(),
        describe(&timed.event, scenario, roster)
    )
}

/// The event log, one event per line: time, kind, and the event in words.
/// `roster` names the processes (the run's, which may have forked before `log` starts).
pub fn trace_text(scenario: &Scenario, roster: &Roster, log: &[TimedEvent]) -> String {
    let mut out = String::new();
    for timed in log {
        out.push_str(&trace_line(scenario, roster, timed));
        out.push('\n');
    }
    out
}
