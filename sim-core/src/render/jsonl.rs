//! The event log as JSON Lines (`procsim run --format jsonl`): one object per event, `{"t",
//! "kind", "tid", ...}` then the event's own fields in name order. `kind` is the event's name
//! (`dispatch`, `block`, ...), `tid` the thread (or process) it is about; a dispatch carries
//! `why`, the policy's reason (docs/scenario-format.md).

use crate::event::TimedEvent;

/// One event as one line of JSON, without its newline.
pub fn event_line(timed: &TimedEvent) -> String {
    // serde writes an event as `{"event":"<kind>","pid":..,<its fields in order>}` (the tag
    // first, then the fields as declared, `pid` first where there is one): the time goes in
    // front, the tag becomes `kind` and `pid` becomes `tid`.
    let event = serde_json::to_string(&timed.event).expect("events serialize to JSON");
    let rest = event.strip_prefix(r#"{"event":"#).unwrap_or(&event[1..]);
    let rest = match rest.find(r#","pid":"#) {
        // Right after the kind, which is a plain word.
        Some(at) if !rest[..at].contains(',') => {
            format!(
                r#"{},"tid":{}"#,
                &rest[..at],
                &rest[at + r#","pid":"#.len()..]
            )
        }
        _ => rest.to_string(),
    };
    format!(r#"{{"t":{},"kind":{rest}"#, timed.time.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::{Choice, ChoiceRule, Event, Measure};
    use crate::ids::{CpuId, Pid, Tick};
    use serde_json::Value;

    #[test]
    fn a_line_starts_with_time_kind_and_thread_and_parses_back() {
        let timed = TimedEvent {
            time: Tick(4),
            event: Event::Dispatch {
                pid: Pid(3),
                cpu: CpuId(0),
                level: 0,
                why: Choice::keyed(
                    ChoiceRule::HighestPriority,
                    Measure::Whole(2),
                    Some((Pid(5), Measure::Whole(4))),
                ),
            },
        };
        let line = event_line(&timed);
        assert_eq!(
            line,
            r#"{"t":4,"kind":"dispatch","tid":3,"cpu":0,"level":0,"why":{"rule":"highest_priority","key":"priority","value":2,"runner_up":5,"runner_up_value":4}}"#
        );
        let parsed: Value = serde_json::from_str(&line).unwrap();
        assert_eq!(
            parsed["why"],
            serde_json::json!({"rule": "highest_priority", "key": "priority", "value": 2,
                "runner_up": 5, "runner_up_value": 4})
        );
    }
}
