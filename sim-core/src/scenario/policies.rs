//! The policy table: every scheduling policy declared once — its name and aliases, a one-line
//! description, its options with their types and defaults, and how its options become a
//! [`PolicyConfig`]. Validation and its error messages, the GUI's policy picker and option
//! widgets, `--explain` and the policy table of docs/scenario-format.md all read it (a test
//! compares the docs with it). The engine's `policy::build` turns a `PolicyConfig` into the
//! running policy, one line per policy.

use super::file::{LevelFile, PolicyOptions};
use super::limits::{MAX_COUNT, MAX_TICKS};
use super::{
    FcfsConfig, FcfsOrder, IoDone, LotteryDraw, MlfqConfig, MlfqLevel, PolicyConfig, ScenarioError,
    SwitchOn,
};

/// One policy, as scenarios name it.
#[derive(Debug)]
pub struct PolicySpec {
    /// The `kind` written in scenarios.
    pub name: &'static str,
    /// Other names accepted for `kind`.
    pub aliases: &'static [&'static str],
    /// What the policy does, in one line.
    pub summary: &'static str,
    pub options: &'static [OptionSpec],
    /// Builds the configuration from options already checked against `options`.
    pub configure: fn(&PolicyOptions) -> Result<PolicyConfig, ScenarioError>,
}

/// One option of a policy.
#[derive(Debug)]
pub struct OptionSpec {
    /// The key in the `policy:` map.
    pub name: &'static str,
    pub kind: OptionKind,
    /// The default as the docs say it (`required` when there is none).
    pub default: &'static str,
    pub help: &'static str,
}

/// The type of an option's value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OptionKind {
    /// A number of ticks, at least 1.
    Ticks,
    /// A number of ticks, 0 meaning never.
    TicksOrNever,
    Flag,
    /// MLFQ levels: a list of `{quantum: Q, allotment: A}`.
    Levels,
    /// A whole number, 0 allowed.
    Count,
    /// One of these words, the first being the default.
    Choice(&'static [&'static str]),
}

const QUANTUM_REQUIRED: OptionSpec = OptionSpec {
    name: "quantum",
    kind: OptionKind::Ticks,
    default: "required",
    help: "the time slice, in ticks",
};

const QUANTUM_DEFAULT_1: OptionSpec = OptionSpec {
    name: "quantum",
    kind: OptionKind::Ticks,
    default: "1",
    help: "the time slice, in ticks",
};

/// Every policy, alphabetical. Adding a policy: its file in `policy/`, one entry here, its
/// `PolicyConfig` variant and its line in `policy::build`.
pub const POLICIES: &[PolicySpec] = &[
    PolicySpec {
        name: "fcfs",
        aliases: &["fifo"],
        summary: "first come, first served: the ready queue in arrival order, never preempted",
        options: &[
            OptionSpec {
                name: "order",
                kind: OptionKind::Choice(&["queue", "cyclic"]),
                default: "queue",
                help: "queue: the head of the FIFO ready queue; cyclic: the first ready process after the one dispatched last, in pid order (OSTEP's process-run.py)",
            },
            OptionSpec {
                name: "switch",
                kind: OptionKind::Choice(&["on_block", "on_end"]),
                default: "on_block",
                help: "on_end: while the process dispatched last waits for IO, the CPU waits for it (process-run.py's SWITCH_ON_END; one CPU)",
            },
            OptionSpec {
                name: "io_done",
                kind: OptionKind::Choice(&["later", "immediate"]),
                default: "later",
                help: "immediate: a process back from IO takes the CPU at once, preempting (process-run.py's IO_RUN_IMMEDIATE)",
            },
        ],
        configure: |options| {
            Ok(PolicyConfig::Fcfs(FcfsConfig {
                order: match options.order.as_deref() {
                    Some("cyclic") => FcfsOrder::Cyclic,
                    _ => FcfsOrder::Queue,
                },
                switch: match options.switch.as_deref() {
                    Some("on_end") => SwitchOn::End,
                    _ => SwitchOn::Block,
                },
                io_done: match options.io_done.as_deref() {
                    Some("immediate") => IoDone::Immediate,
                    _ => IoDone::Later,
                },
            }))
        },
    },
    PolicySpec {
        name: "hrrn",
        aliases: &[],
        summary: "highest response ratio next, (waiting + burst) / burst; non-preemptive",
        options: &[],
        configure: |_| Ok(PolicyConfig::Hrrn),
    },
    PolicySpec {
        name: "lottery",
        aliases: &[],
        summary: "each quantum goes to a ticket drawn at random (the scenario's seed); processes' tickets",
        options: &[
            QUANTUM_DEFAULT_1,
            OptionSpec {
                name: "draw",
                kind: OptionKind::Choice(&["uniform", "ostep"]),
                default: "uniform",
                help: "uniform: a seeded uniform draw over the ready queue's tickets in queue order; ostep: OSTEP lottery.py's draw, `int(random() * 1000001) % total` with CPython's generator seeded by `seed`, over the ready processes in scenario order",
            },
            OptionSpec {
                name: "skip_draws",
                kind: OptionKind::Count,
                default: "0",
                help: "with `draw: ostep`: numbers drawn and thrown away first (those lottery.py spends generating random jobs)",
            },
        ],
        configure: |options| {
            Ok(PolicyConfig::Lottery {
                quantum_ticks: options.quantum.unwrap_or(1),
                draw: match (options.draw.as_deref(), options.skip_draws) {
                    (Some("ostep"), skip_draws) => LotteryDraw::Ostep {
                        skip_draws: skip_draws.unwrap_or(0),
                    },
                    (_, Some(skip)) if skip > 0 => {
                        return Err(ScenarioError::invalid(
                            "policy.skip_draws",
                            "`skip_draws` is for `draw: ostep` only",
                        ));
                    }
                    _ => LotteryDraw::Uniform,
                },
            })
        },
    },
    PolicySpec {
        name: "mlfq",
        aliases: &[],
        summary: "multilevel feedback queue with OSTEP's rules: demotion by allotment, optional boost",
        options: &[
            OptionSpec {
                name: "levels",
                kind: OptionKind::Levels,
                default: "three levels of quantum 10, allotment 1",
                help: "highest first: [{quantum: Q, allotment: A}, ...], allotment default 1",
            },
            OptionSpec {
                name: "boost",
                kind: OptionKind::TicksOrNever,
                default: "0 (never)",
                help: "move every process to the top level every this many ticks",
            },
            OptionSpec {
                name: "io_resets_allotment",
                kind: OptionKind::Flag,
                default: "false",
                help: "issuing IO resets the quantum and allotment at the level (gameable)",
            },
            OptionSpec {
                name: "io_done_to_front",
                kind: OptionKind::Flag,
                default: "false",
                help: "a process back from IO goes to the front of its level",
            },
            OptionSpec {
                name: "ostep_boost",
                kind: OptionKind::Flag,
                default: "false",
                help: "the boost of older versions of OSTEP's mlfq.py: quantum = top allotment in ticks, allotments kept",
            },
            OptionSpec {
                name: "demote_when_alone",
                kind: OptionKind::Flag,
                default: "true",
                help: "false: a process whose quantum expires with nobody else ready keeps its level (Stallings)",
            },
            OptionSpec {
                name: "preempt",
                kind: OptionKind::Choice(&["immediate", "at_quantum_end"]),
                default: "immediate",
                help: "at_quantum_end: a process ready at a higher level (or back from IO to the front) waits for the running quantum to end (Stallings' FB with q = 2^i)",
            },
        ],
        configure: |options| {
            Ok(PolicyConfig::Mlfq(MlfqConfig {
                levels: mlfq_levels(options.levels.as_deref())?,
                boost_ticks: options.boost.filter(|&b| b > 0),
                io_resets_allotment: options.io_resets_allotment.unwrap_or(false),
                io_done_to_front: options.io_done_to_front.unwrap_or(false),
                ostep_boost: options.ostep_boost.unwrap_or(false),
                demote_when_alone: options.demote_when_alone.unwrap_or(true),
                preempt_at_quantum_end: options.preempt.as_deref() == Some("at_quantum_end"),
            }))
        },
    },
    PolicySpec {
        name: "priority",
        aliases: &[],
        summary: "the lowest priority number runs first",
        options: &[
            OptionSpec {
                name: "preemptive",
                kind: OptionKind::Flag,
                default: "false",
                help: "a ready process of higher priority takes the CPU at once",
            },
            OptionSpec {
                name: "quantum",
                kind: OptionKind::Ticks,
                default: "none",
                help: "round robin among equal priorities with this quantum",
            },
            OptionSpec {
                name: "aging",
                kind: OptionKind::Count,
                default: "0",
                help: "each time the scheduler picks a process, every process left waiting gains this many priority levels; the one picked returns to its own priority",
            },
        ],
        configure: |options| {
            Ok(PolicyConfig::Priority {
                preemptive: options.preemptive.unwrap_or(false),
                quantum_ticks: options.quantum,
                aging: options.aging.unwrap_or(0),
            })
        },
    },
    PolicySpec {
        name: "rr",
        aliases: &[],
        summary: "round robin: FIFO, each process runs at most a quantum, then goes to the back",
        options: &[QUANTUM_REQUIRED],
        configure: |options| {
            Ok(PolicyConfig::Rr {
                quantum_ticks: required_quantum("rr", options)?,
            })
        },
    },
    PolicySpec {
        name: "sjf",
        aliases: &[],
        summary: "shortest job first: the shortest next CPU burst; non-preemptive",
        options: &[],
        configure: |_| Ok(PolicyConfig::Sjf),
    },
    PolicySpec {
        name: "srtf",
        aliases: &[],
        summary: "shortest remaining time first: preemptive SJF",
        options: &[],
        configure: |_| Ok(PolicyConfig::Srtf),
    },
    PolicySpec {
        name: "stride",
        aliases: &[],
        summary: "deterministic proportional share: the smallest pass runs; processes' tickets",
        options: &[QUANTUM_DEFAULT_1],
        configure: |options| {
            Ok(PolicyConfig::Stride {
                quantum_ticks: options.quantum.unwrap_or(1),
            })
        },
    },
];

/// The policy a scenario's `kind` names (its name or an alias).
pub fn policy_named(kind: &str) -> Option<&'static PolicySpec> {
    POLICIES
        .iter()
        .find(|spec| spec.name == kind || spec.aliases.contains(&kind))
}

/// The policy names, for error messages: `fcfs, hrrn, lottery, ...`.
pub fn policy_names() -> String {
    POLICIES
        .iter()
        .map(|spec| spec.name)
        .collect::<Vec<_>>()
        .join(", ")
}

/// One item of a command-line policy list: `rr:4` is name `rr`, quantum 4.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PolicyListItem<'a> {
    /// The item as written, for messages.
    pub item: &'a str,
    pub name: &'a str,
    pub quantum: Option<u64>,
}

/// The grammar of a command-line policy list, names not yet checked: comma-separated items,
/// `NAME:Q` giving a quantum. At least one item.
pub fn policy_list_items(text: &str) -> Result<Vec<PolicyListItem<'_>>, String> {
    let mut items = Vec::new();
    for item in text
        .split(',')
        .map(str::trim)
        .filter(|item| !item.is_empty())
    {
        let (name, quantum) = match item.split_once(':') {
            Some((name, quantum)) => {
                let quantum = quantum.trim().parse::<u64>().map_err(|_| {
                    format!("`{item}`: the quantum after `:` must be a whole number of ticks")
                })?;
                (name.trim(), Some(quantum))
            }
            None => (item, None),
        };
        items.push(PolicyListItem {
            item,
            name,
            quantum,
        });
    }
    if items.is_empty() {
        return Err(format!(
            "no policy given: write a comma list such as fcfs,sjf,srtf,rr:4 (policies: {})",
            policy_names()
        ));
    }
    Ok(items)
}

/// A list of policies as the command line writes them (`procsim compare --policies`, `sweep
/// --policies`): names separated by commas, `NAME:Q` giving a quantum, e.g.
/// `fcfs,sjf,srtf,rr:4`. Each is checked against the table like a `policy:` section.
pub fn parse_policy_list(text: &str) -> Result<Vec<PolicyConfig>, String> {
    let mut configs = Vec::new();
    for PolicyListItem {
        item,
        name,
        quantum,
    } in policy_list_items(text)?
    {
        let options = PolicyOptions {
            kind: name.to_string(),
            quantum,
            ..PolicyOptions::default()
        };
        let config = validate(&options).map_err(|error| match error {
            ScenarioError::Invalid { message, .. } => format!("`{item}`: {message}"),
            other => format!("`{item}`: {other}"),
        })?;
        configs.push(config);
    }
    Ok(configs)
}

/// Checks the `policy:` section against the table, naming the field at fault, and builds
/// its configuration.
pub fn validate(options: &PolicyOptions) -> Result<PolicyConfig, ScenarioError> {
    let kind = options.kind.as_str();
    let spec = policy_named(kind).ok_or_else(|| {
        ScenarioError::invalid(
            "policy.kind",
            format!(
                "unknown policy `{kind}`, expected one of {}",
                policy_names()
            ),
        )
    })?;
    for field in options.present() {
        let Some(option) = spec.options.iter().find(|option| option.name == field) else {
            return Err(ScenarioError::invalid(
                format!("policy.{field}"),
                format!("`{field}` is not an option of the `{kind}` policy"),
            ));
        };
        let ticks = options.clone().ticks_mut(field).and_then(|value| *value);
        if option.kind == OptionKind::Ticks && ticks == Some(0) {
            return Err(ScenarioError::invalid(
                format!("policy.{field}"),
                format!("expected a {field} of at least 1 tick, got 0"),
            ));
        }
        if let OptionKind::Choice(words) = option.kind
            && let Some(Some(word)) = options.clone().choice_mut(field).map(|w| w.clone())
            && !words.contains(&word.as_str())
        {
            return Err(ScenarioError::invalid(
                format!("policy.{field}"),
                format!("expected one of {}, got `{word}`", words.join(", ")),
            ));
        }
        if let Some(count) = ticks.filter(|&t| option.kind == OptionKind::Count && t > MAX_COUNT) {
            return Err(ScenarioError::invalid(
                format!("policy.{field}"),
                format!("expected at most {MAX_COUNT}, got {count}"),
            ));
        }
        if let Some(ticks) = ticks.filter(|&t| option.kind != OptionKind::Count && t > MAX_TICKS) {
            return Err(ScenarioError::invalid(
                format!("policy.{field}"),
                format!("expected at most {MAX_TICKS} ticks, got {ticks}"),
            ));
        }
    }
    (spec.configure)(options)
}

fn required_quantum(kind: &str, options: &PolicyOptions) -> Result<u64, ScenarioError> {
    options.quantum.ok_or_else(|| {
        ScenarioError::invalid(
            "policy.quantum",
            format!("the `{kind}` policy needs a quantum: {{kind: {kind}, quantum: TICKS}}"),
        )
    })
}

/// OSTEP's defaults: three levels, quantum 10, allotment 1.
pub const DEFAULT_MLFQ_LEVELS: [MlfqLevel; 3] = [MlfqLevel {
    quantum_ticks: 10,
    allotment: 1,
}; 3];

fn mlfq_levels(levels: Option<&[LevelFile]>) -> Result<Vec<MlfqLevel>, ScenarioError> {
    let Some(levels) = levels else {
        return Ok(DEFAULT_MLFQ_LEVELS.to_vec());
    };
    if levels.is_empty() {
        return Err(ScenarioError::invalid(
            "policy.levels",
            "expected at least one level: [{quantum: TICKS, allotment: SLICES}, ...]",
        ));
    }
    let mut checked = Vec::with_capacity(levels.len());
    for (index, level) in levels.iter().enumerate() {
        if level.quantum == 0 {
            return Err(ScenarioError::invalid(
                format!("policy.levels[{index}].quantum"),
                "expected a quantum of at least 1 tick, got 0",
            ));
        }
        if level.quantum > MAX_TICKS {
            return Err(ScenarioError::invalid(
                format!("policy.levels[{index}].quantum"),
                format!("expected at most {MAX_TICKS} ticks, got {}", level.quantum),
            ));
        }
        let allotment = level.allotment.unwrap_or(1);
        if allotment == 0 {
            return Err(ScenarioError::invalid(
                format!("policy.levels[{index}].allotment"),
                "expected an allotment of at least 1 time slice, got 0",
            ));
        }
        if allotment > MAX_COUNT {
            return Err(ScenarioError::invalid(
                format!("policy.levels[{index}].allotment"),
                format!("expected at most {MAX_COUNT} time slices, got {allotment}"),
            ));
        }
        checked.push(MlfqLevel {
            quantum_ticks: level.quantum,
            allotment,
        });
    }
    Ok(checked)
}

impl PolicyConfig {
    /// The policy's entry in the table.
    pub fn spec(&self) -> &'static PolicySpec {
        policy_named(self.kind()).expect("every PolicyConfig is in the policy table")
    }

    /// The options that give this configuration back (`configure` of them is `self`).
    pub fn options(&self) -> PolicyOptions {
        let mut options = PolicyOptions {
            kind: self.kind().to_string(),
            ..PolicyOptions::default()
        };
        match self {
            PolicyConfig::Hrrn | PolicyConfig::Sjf | PolicyConfig::Srtf => {}
            PolicyConfig::Fcfs(fcfs) => {
                let word = |set: bool, word: &str| set.then(|| word.to_string());
                options.order = word(fcfs.order == FcfsOrder::Cyclic, "cyclic");
                options.switch = word(fcfs.switch == SwitchOn::End, "on_end");
                options.io_done = word(fcfs.io_done == IoDone::Immediate, "immediate");
            }
            PolicyConfig::Lottery {
                quantum_ticks,
                draw,
            } => {
                options.quantum = Some(*quantum_ticks);
                options.draw = Some(draw.name().to_string());
                if let LotteryDraw::Ostep { skip_draws } = draw {
                    options.skip_draws = Some(*skip_draws);
                }
            }
            PolicyConfig::Rr { quantum_ticks } | PolicyConfig::Stride { quantum_ticks } => {
                options.quantum = Some(*quantum_ticks)
            }
            PolicyConfig::Priority {
                preemptive,
                quantum_ticks,
                aging,
            } => {
                options.preemptive = Some(*preemptive);
                options.quantum = *quantum_ticks;
                options.aging = (*aging > 0).then_some(*aging);
            }
            PolicyConfig::Mlfq(mlfq) => {
                options.levels = Some(
                    mlfq.levels
                        .iter()
                        .map(|level| LevelFile {
                            quantum: level.quantum_ticks,
                            allotment: Some(level.allotment),
                        })
                        .collect(),
                );
                options.boost = Some(mlfq.boost_ticks.unwrap_or(0));
                options.io_resets_allotment = Some(mlfq.io_resets_allotment);
                options.io_done_to_front = Some(mlfq.io_done_to_front);
                options.ostep_boost = Some(mlfq.ostep_boost);
                options.demote_when_alone = Some(mlfq.demote_when_alone);
                options.preempt = mlfq
                    .preempt_at_quantum_end
                    .then(|| "at_quantum_end".to_string());
            }
        }
        options
    }
}

/// The policy table of docs/scenario-format.md, as Markdown rows (the test compares them).
pub fn markdown_table() -> String {
    let mut out = String::from(
        "| `kind` | aliases | options (default) | what it does |\n|---|---|---|---|\n",
    );
    for spec in POLICIES {
        let aliases = if spec.aliases.is_empty() {
            "—".to_string()
        } else {
            spec.aliases
                .iter()
                .map(|a| format!("`{a}`"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let options = if spec.options.is_empty() {
            "none".to_string()
        } else {
            spec.options
                .iter()
                .map(|o| format!("`{}` ({}): {}", o.name, o.default, o.help))
                .collect::<Vec<_>>()
                .join("; ")
        };
        out.push_str(&format!(
            "| `{}` | {aliases} | {options} | {} |\n",
            spec.name, spec.summary
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_policy_list_reads_names_and_quanta() {
        let list = parse_policy_list("fcfs, sjf,srtf,rr:4").unwrap();
        assert_eq!(list.len(), 4);
        assert_eq!(list[3], PolicyConfig::Rr { quantum_ticks: 4 });
        assert!(
            parse_policy_list("rr")
                .unwrap_err()
                .contains("needs a quantum")
        );
        assert!(
            parse_policy_list("fcfs:3")
                .unwrap_err()
                .contains("not an option")
        );
        assert!(
            parse_policy_list("lotto")
                .unwrap_err()
                .contains("unknown policy")
        );
        assert!(
            parse_policy_list("rr:x")
                .unwrap_err()
                .contains("whole number")
        );
    }

    #[test]
    fn the_table_is_alphabetical_and_names_are_unique() {
        let names: Vec<&str> = POLICIES
            .iter()
            .flat_map(|spec| std::iter::once(spec.name).chain(spec.aliases.iter().copied()))
            .collect();
        let mut sorted: Vec<&str> = POLICIES.iter().map(|s| s.name).collect();
        sorted.sort_unstable();
        assert_eq!(POLICIES.iter().map(|s| s.name).collect::<Vec<_>>(), sorted);
        let mut unique = names.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), names.len());
    }

    #[test]
    fn a_choice_option_takes_only_its_words() {
        let scenario = |policy: &str| {
            crate::Scenario::from_yaml(&format!(
                "name: t\npolicy: {policy}\nprocesses: [{{name: A, burst: 1}}]"
            ))
        };
        let config = scenario("{kind: lottery, draw: ostep, skip_draws: 4}")
            .unwrap()
            .policy;
        assert_eq!(
            config,
            PolicyConfig::Lottery {
                quantum_ticks: 1,
                draw: LotteryDraw::Ostep { skip_draws: 4 }
            }
        );
        let error = scenario("{kind: lottery, draw: fair}")
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("policy.draw") && error.contains("expected one of uniform, ostep"),
            "{error}"
        );
        let error = scenario("{kind: lottery, skip_draws: 2}")
            .unwrap_err()
            .to_string();
        assert!(error.contains("for `draw: ostep` only"), "{error}");
    }

    #[test]
    fn every_policy_configures_and_round_trips_through_its_options() {
        for spec in POLICIES {
            let mut options = PolicyOptions {
                kind: spec.name.to_string(),
                ..PolicyOptions::default()
            };
            if spec.options.iter().any(|o| o.default == "required") {
                options.quantum = Some(3);
            }
            let config = validate(&options).unwrap_or_else(|e| panic!("{}: {e}", spec.name));
            assert_eq!(config.kind(), spec.name);
            assert_eq!(config.spec().name, spec.name);
            assert_eq!(
                validate(&config.options()).unwrap(),
                config,
                "{}",
                spec.name
            );
        }
    }
}
