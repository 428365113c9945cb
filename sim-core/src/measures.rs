//! The per-process and per-thread measures of a run, each declared once: its name (the JSON
//! key and the CSV column), its heading (text and GUI tables), a short heading for narrow
//! tables, its unit, a line of help, and how to read it from a report's row. The text report,
//! the CSV table and the GUI's tables read these; a test checks that the JSON rows have
//! exactly these keys, with these values.

use crate::report::{ProcessRow, ThreadRow};

/// What a measure's number is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    /// A name (no number).
    Name,
    /// A process or thread id.
    Id,
    /// An instant, in ticks from 0.
    Time,
    /// A length of time, in ticks.
    Ticks,
    /// An exit status.
    Status,
    /// A queue level (0 the highest).
    Level,
}

/// A measure's value in one row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    Text(String),
    Number(u64),
    Signed(i64),
    /// The run never got there (a process that never ran has no first run).
    Missing,
}

impl Value {
    /// As a table cell: the number, or `-` where the run never got there.
    pub fn cell(&self) -> String {
        match self {
            Value::Missing => "-".to_string(),
            other => other.csv(),
        }
    }

    /// As a CSV cell: the number, or empty where the run never got there.
    pub fn csv(&self) -> String {
        match self {
            Value::Text(text) => text.clone(),
            Value::Number(number) => number.to_string(),
            Value::Signed(number) => number.to_string(),
            Value::Missing => String::new(),
        }
    }
}

/// One measure of a row of type `R`: what it is, and how to read it.
pub struct Measure<R> {
    pub about: About,
    pub value: fn(&R) -> Value,
}

fn optional(value: Option<u64>) -> Value {
    value.map_or(Value::Missing, Value::Number)
}

/// What a measure is, in words: the same for a process and for a thread.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct About {
    /// The JSON key and CSV column.
    pub name: &'static str,
    /// The column's heading in the text report and the GUI.
    pub heading: &'static str,
    /// The heading where columns are narrow (the GUI's final table).
    pub short: &'static str,
    pub unit: Unit,
    pub help: &'static str,
}

/// The measure `about` reads from a row with `value`.
const fn measure<R>(about: About, value: fn(&R) -> Value) -> Measure<R> {
    Measure { about, value }
}

/// The measures of both rows, declared once.
const ARRIVAL: About = About {
    name: "arrival",
    heading: "Arrival",
    short: "Arr.",
    unit: Unit::Time,
    help: "when it arrived, or was forked or spawned (a main thread: its process's arrival)",
};
const FIRST_RUN: About = About {
    name: "first_run",
    heading: "First run",
    short: "First",
    unit: Unit::Time,
    help: "when it first ran a tick on a CPU",
};
const COMPLETION: About = About {
    name: "completion",
    heading: "Completion",
    short: "Compl.",
    unit: Unit::Time,
    help: "when it exited (a thread: ended; a main thread: its process's exit)",
};
const TURNAROUND: About = About {
    name: "turnaround",
    heading: "Turnaround",
    short: "Turn.",
    unit: Unit::Ticks,
    help: "completion - arrival",
};
const WAITING: About = About {
    name: "waiting",
    heading: "Waiting",
    short: "Wait",
    unit: Unit::Ticks,
    help: "ticks spent ready, in the ready queue (a process with threads: ticks in which one \
           was ready and none ran; docs/policies.md)",
};
const RESPONSE: About = About {
    name: "response",
    heading: "Response",
    short: "Resp.",
    unit: Unit::Ticks,
    help: "first run - arrival",
};
const CPU_TIME: About = About {
    name: "cpu_time",
    heading: "CPU",
    short: "CPU",
    unit: Unit::Ticks,
    help: "ticks it ran on a CPU",
};

/// Every measure of a process row (the keys of its JSON).
pub const PROCESS: &[Measure<ProcessRow>] = &[
    measure(
        About {
            name: "name",
            heading: "Process",
            short: "Process",
            unit: Unit::Name,
            help: "the process's name",
        },
        |row| Value::Text(row.name.clone()),
    ),
    measure(
        About {
            name: "pid",
            heading: "PID",
            short: "PID",
            unit: Unit::Id,
            help: "its process id (init is 1; the scenario's processes from 2)",
        },
        |row| Value::Number(u64::from(row.pid)),
    ),
    measure(
        About {
            name: "ppid",
            heading: "PPID",
            short: "PPID",
            unit: Unit::Id,
            help: "its parent when it exited (1: init)",
        },
        |row| Value::Number(u64::from(row.ppid)),
    ),
    measure(ARRIVAL, |row| Value::Number(row.arrival)),
    measure(FIRST_RUN, |row| optional(row.first_run)),
    measure(COMPLETION, |row| optional(row.completion)),
    measure(
        About {
            name: "exited_at",
            heading: "Exited",
            short: "Exited",
            unit: Unit::Time,
            help: "when it exited (as completion)",
        },
        |row| optional(row.exited_at),
    ),
    measure(
        About {
            name: "reaped_at",
            heading: "Reaped",
            short: "Reaped",
            unit: Unit::Time,
            help: "when its parent (or init) reaped it",
        },
        |row| optional(row.reaped_at),
    ),
    measure(
        About {
            name: "reaped_by",
            heading: "Reaped by",
            short: "By",
            unit: Unit::Id,
            help: "who reaped it",
        },
        |row| optional(row.reaped_by.map(u64::from)),
    ),
    measure(
        About {
            name: "exit_code",
            heading: "Exit",
            short: "Exit",
            unit: Unit::Status,
            help: "its exit status (-15 killed, -9 aborted by deadlock recovery)",
        },
        |row| {
            row.exit_code
                .map_or(Value::Missing, |code| Value::Signed(code.into()))
        },
    ),
    measure(TURNAROUND, |row| optional(row.turnaround)),
    measure(WAITING, |row| Value::Number(row.waiting)),
    measure(RESPONSE, |row| optional(row.response)),
    measure(CPU_TIME, |row| Value::Number(row.cpu_time)),
    measure(
        About {
            name: "on_cpu",
            heading: "On CPU",
            short: "On CPU",
            unit: Unit::Ticks,
            help: "a process with threads: ticks in which at least one of them ran",
        },
        |row| optional(row.on_cpu),
    ),
    measure(
        About {
            name: "level",
            heading: "Level",
            short: "Lvl",
            unit: Unit::Level,
            help: "its queue level at the end (multilevel policies only)",
        },
        |row| optional(row.level.map(|level| level as u64)),
    ),
];

/// Every measure of a thread row (the keys of its JSON).
pub const THREAD: &[Measure<ThreadRow>] = &[
    measure(
        About {
            name: "pid",
            heading: "PID",
            short: "PID",
            unit: Unit::Id,
            help: "its process's pid",
        },
        |row| Value::Number(u64::from(row.pid)),
    ),
    measure(
        About {
            name: "tid",
            heading: "TID",
            short: "TID",
            unit: Unit::Id,
            help: "the thread's id (the pid for the main thread)",
        },
        |row| Value::Number(u64::from(row.tid)),
    ),
    measure(
        About {
            name: "name",
            heading: "Thread",
            short: "Thread",
            unit: Unit::Name,
            help: "the thread's name (MainThread for the process's own)",
        },
        |row| Value::Text(row.name.clone()),
    ),
    measure(
        About {
            name: "process",
            heading: "Process",
            short: "Process",
            unit: Unit::Name,
            help: "its process's name",
        },
        |row| Value::Text(row.process.clone()),
    ),
    measure(ARRIVAL, |row| Value::Number(row.arrival)),
    measure(FIRST_RUN, |row| optional(row.first_run)),
    measure(COMPLETION, |row| optional(row.completion)),
    measure(TURNAROUND, |row| optional(row.turnaround)),
    measure(WAITING, |row| Value::Number(row.waiting)),
    measure(RESPONSE, |row| optional(row.response)),
    measure(CPU_TIME, |row| Value::Number(row.cpu_time)),
    measure(
        About {
            name: "gil_wait",
            heading: "GIL wait",
            short: "GIL",
            unit: Unit::Ticks,
            help: "ticks it waited for its process's GIL (0 without one)",
        },
        |row| Value::Number(row.gil_wait),
    ),
];

/// The measures of `table` called `names`, in that order.
///
/// # Panics
/// On a name the table does not declare (a programming error the tests meet).
pub fn pick<R>(table: &'static [Measure<R>], names: &[&str]) -> Vec<&'static Measure<R>> {
    names
        .iter()
        .map(|name| {
            table
                .iter()
                .find(|measure| measure.about.name == *name)
                .unwrap_or_else(|| panic!("`{name}` is not a declared measure"))
        })
        .collect()
}

/// The headings of `measures`, as a table's header.
pub fn headings<R>(measures: &[&Measure<R>]) -> Vec<&'static str> {
    measures
        .iter()
        .map(|measure| measure.about.heading)
        .collect()
}

/// One row's values of `measures`, as table cells.
pub fn cells<R>(measures: &[&Measure<R>], row: &R) -> Vec<String> {
    measures
        .iter()
        .map(|measure| (measure.value)(row).cell())
        .collect()
}

/// The measure of `table` called `name`.
pub fn named<R>(table: &'static [Measure<R>], name: &str) -> &'static Measure<R> {
    pick(table, &[name])[0]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{RunReport, Scenario, Simulator};

    /// The JSON rows have exactly the declared measures, in order (`level` only for
    /// multilevel policies), and each measure reads the value the JSON has.
    #[test]
    fn the_json_rows_are_the_declared_measures() {
        let scenario = Scenario::from_yaml(
            "name: t\npolicy: {kind: mlfq}\nprocesses: [{name: A, program: [{spawn: {name: T, program: [{cpu: 1}]}}, {cpu: 2}]}]",
        )
        .unwrap();
        let mut simulator = Simulator::new(scenario);
        simulator.run_to_end(1_000).unwrap();
        let report = RunReport::of(&simulator);
        let json = serde_json::to_value(&report).unwrap();
        let check = |rows: &serde_json::Value, names: Vec<&str>, values: Vec<Vec<Value>>| {
            for (row, values) in rows.as_array().unwrap().iter().zip(values) {
                let keys: Vec<&str> = row
                    .as_object()
                    .unwrap()
                    .keys()
                    .map(String::as_str)
                    .collect();
                let mut sorted = names.clone();
                sorted.sort_unstable();
                assert_eq!(keys, sorted, "the JSON keys are the measures");
                for (name, value) in names.iter().zip(values) {
                    let expected = match value {
                        Value::Text(text) => serde_json::json!(text),
                        Value::Number(number) => serde_json::json!(number),
                        Value::Signed(number) => serde_json::json!(number),
                        Value::Missing => serde_json::Value::Null,
                    };
                    assert_eq!(row[*name], expected, "{name}");
                }
            }
        };
        check(
            &json["processes"],
            PROCESS.iter().map(|m| m.about.name).collect(),
            report
                .processes
                .iter()
                .map(|row| PROCESS.iter().map(|m| (m.value)(row)).collect())
                .collect(),
        );
        check(
            &json["threads"],
            THREAD.iter().map(|m| m.about.name).collect(),
            report
                .threads
                .iter()
                .map(|row| THREAD.iter().map(|m| (m.value)(row)).collect())
                .collect(),
        );
    }
}
