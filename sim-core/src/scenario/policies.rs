//! The policy table: every scheduling policy declared once — its name and aliases, a one-line
//! description, its options with their types and defaults, and how its options become a
//! [`PolicyConfig`]. Validation and its error messages, the GUI's policy picker and option
//! widgets, `--explain` and the policy table of docs/scenario-format.md all read it (a test
//! compares the docs with it). The engine's `policy::build` turns a `PolicyConfig` into the
//! running policy, one line per policy.

use super::file::{
    AgingFile, BetweenFile, LevelFile, MlqQueueFile, NumberOrWord, PolicyFile, PolicyOptions,
};
use super::limits::{MAX_COUNT, MAX_TICKS};
use super::{
    Aging, Between, CfsConfig, EevdfConfig, FcfsConfig, FcfsOrder, IoDone, LotteryDraw, MlfqConfig,
    MlfqLevel, MlqConfig, MlqQueue, PolicyConfig, RealTimeRule, ScenarioError, SwitchOn,
};
use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use std::fmt;

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
    /// Builds the configuration from options already checked against `options`, their
    /// defaults read from the table.
    pub configure: fn(&Given) -> Result<PolicyConfig, ScenarioError>,
    /// The configuration in words, with the options that differ from the defaults: `rr
    /// (quantum 4)`. Only given this policy's configurations.
    pub describe: fn(&PolicyConfig) -> String,
    /// Whether `config` is this policy's; if so, writes into `options` the options that give
    /// it back (`configure` of them is `config`).
    pub options_of: fn(config: &PolicyConfig, options: &mut PolicyOptions) -> bool,
}

impl PolicySpec {
    /// Whether it schedules the jobs of periodic tasks (edf, rm, dm, llf): a scenario needs
    /// `tasks:` for it.
    pub fn schedules_tasks(&self) -> bool {
        RealTimeRule::ALL
            .iter()
            .any(|rule| rule.name() == self.name)
    }
}

/// One option of a policy.
#[derive(Debug)]
pub struct OptionSpec {
    /// The key in the `policy:` map.
    pub name: &'static str,
    pub kind: OptionKind,
    pub default: OptionDefault,
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
    /// MLQ queues: a list of `{name: NAME, policy: POLICY}`, highest first.
    Queues,
    /// MLQ between queues: `priority` or `{slices: [TICKS, ...]}`.
    Between,
    /// A whole number, 0 allowed.
    Count,
    /// Priority's aging: a count of levels per pick, or `{every: TICKS, by: LEVELS}`.
    Aging,
    /// One of these words, the first being the default.
    Choice(&'static [&'static str]),
}

/// What an option is when the scenario leaves it out: a value of the option's own type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OptionDefault {
    /// It must be given.
    Required,
    /// Unset: the policy does without it (priority's round-robin quantum).
    Unset,
    /// A number (of ticks, or a count; 0 is "never" for an option of `TicksOrNever`).
    Number(u64),
    Flag(bool),
    /// The first word of a `Choice`.
    FirstWord,
    /// MLFQ's levels.
    Levels(&'static [MlfqLevel]),
}

impl OptionSpec {
    /// The default as the docs and the GUI say it: `required`, `none`, `1`, `0 (never)`,
    /// `false`, `queue`, `three levels of quantum 10, allotment 1`.
    pub fn default_text(&self) -> String {
        match (self.default, self.kind) {
            (OptionDefault::Required, _) => "required".into(),
            (OptionDefault::Unset, _) => "none".into(),
            (OptionDefault::Number(0), OptionKind::TicksOrNever) => "0 (never)".into(),
            (OptionDefault::Number(number), _) => number.to_string(),
            (OptionDefault::Flag(flag), _) => flag.to_string(),
            (OptionDefault::FirstWord, OptionKind::Choice(words)) => words[0].to_string(),
            (OptionDefault::FirstWord, OptionKind::Between) => "priority".into(),
            (OptionDefault::FirstWord, _) => "none".into(),
            (OptionDefault::Levels(levels), _) => {
                let counts = ["no", "one", "two", "three", "four", "five"];
                let count = counts
                    .get(levels.len())
                    .map_or_else(|| levels.len().to_string(), |word| word.to_string());
                match levels.first() {
                    Some(first) if levels.iter().all(|level| level == first) => format!(
                        "{count} levels of quantum {}, allotment {}",
                        first.quantum_ticks, first.allotment
                    ),
                    _ => format!("{count} levels"),
                }
            }
        }
    }
}

/// A policy's options as `configure` reads them: each one as written, or its default from the
/// table.
pub struct Given<'a> {
    spec: &'static PolicySpec,
    options: &'a PolicyOptions,
}

impl Given<'_> {
    fn option(&self, name: &str) -> &'static OptionSpec {
        self.spec
            .options
            .iter()
            .find(|option| option.name == name)
            .unwrap_or_else(|| panic!("`{name}` is an option of `{}`", self.spec.name))
    }

    /// A number option: as written, else its default (`None` when unset or 0 for "never").
    pub fn number(&self, name: &str) -> Option<u64> {
        let written = self.options.number(name);
        let option = self.option(name);
        let value = written.or(match option.default {
            OptionDefault::Number(number) => Some(number),
            _ => None,
        });
        match option.kind {
            OptionKind::TicksOrNever => value.filter(|&ticks| ticks > 0),
            _ => value,
        }
    }

    /// A number option that has a default (or is required, and checked so).
    pub fn ticks(&self, name: &str) -> Result<u64, ScenarioError> {
        self.number(name).ok_or_else(|| {
            let kind = self.spec.name;
            ScenarioError::invalid(
                format!("policy.{name}"),
                format!("the `{kind}` policy needs a {name}: {{kind: {kind}, {name}: TICKS}}"),
            )
        })
    }

    /// A true/false option: as written, else its default.
    pub fn flag(&self, name: &str) -> bool {
        let written = self.options.flag(name);
        written.unwrap_or(match self.option(name).default {
            OptionDefault::Flag(flag) => flag,
            _ => false,
        })
    }

    /// Priority's aging: as written (checked by `validate`), else none.
    pub fn aging(&self) -> Aging {
        match self.options.aging {
            Some(AgingFile::PerPick(levels)) => Aging::PerPick(levels),
            Some(AgingFile::Timed { every, by }) => Aging::Timed { every, by },
            None => Aging::PerPick(0),
        }
    }

    /// A one-of-these-words option: as written, else the first word.
    pub fn word(&self, name: &str) -> String {
        let written = self.options.word(name).map(str::to_string);
        written.unwrap_or_else(|| match self.option(name).kind {
            OptionKind::Choice(words) => words[0].to_string(),
            _ => String::new(),
        })
    }

    /// MLFQ's levels: as written (checked), else the default.
    pub fn levels(&self, name: &str) -> Result<Vec<MlfqLevel>, ScenarioError> {
        match (&self.options.levels, self.option(name).default) {
            (Some(levels), _) => mlfq_levels(levels),
            (None, OptionDefault::Levels(levels)) => Ok(levels.to_vec()),
            (None, _) => Ok(Vec::new()),
        }
    }
}

const QUANTUM_REQUIRED: OptionSpec = OptionSpec {
    name: "quantum",
    kind: OptionKind::Ticks,
    default: OptionDefault::Required,
    help: "the time slice, in ticks",
};

const QUANTUM_DEFAULT_1: OptionSpec = OptionSpec {
    name: "quantum",
    kind: OptionKind::Ticks,
    default: OptionDefault::Number(1),
    help: "the time slice, in ticks",
};

/// The name alone: a policy without options.
fn bare(config: &PolicyConfig) -> String {
    config.kind().to_string()
}

/// Every policy, alphabetical. Adding a policy: its file in `policy/`, one entry here, its
/// `PolicyConfig` variant (with its arm of `PolicyConfig::kind` and `options`, which the
/// compiler asks for) and its line in `policy::build` (docs/ARCHITECTURE.md).
pub const POLICIES: &[PolicySpec] = &[
    PolicySpec {
        name: "cfs",
        aliases: &[],
        summary: "Linux's Completely Fair Scheduler (before 6.6): the least vruntime runs, for a slice of the period by its nice's weight",
        options: &[
            OptionSpec {
                name: "latency",
                kind: OptionKind::Ticks,
                default: OptionDefault::Number(6),
                help: "sched_latency: the period in which every runnable process runs once",
            },
            OptionSpec {
                name: "min_granularity",
                kind: OptionKind::Ticks,
                default: OptionDefault::Number(1),
                help: "sched_min_granularity: with more than latency / min_granularity runnable, the period is runnable × min_granularity",
            },
            OptionSpec {
                name: "wakeup_granularity",
                kind: OptionKind::Count,
                default: OptionDefault::Number(1),
                help: "a waking or new process preempts when the running vruntime is greater than its own by more than this",
            },
            OptionSpec {
                name: "start_debit",
                kind: OptionKind::Flag,
                default: OptionDefault::Flag(false),
                help: "START_DEBIT: a new process starts one virtual slice after min_vruntime",
            },
        ],
        configure: |given| {
            Ok(PolicyConfig::Cfs(CfsConfig {
                latency_ticks: given.ticks("latency")?,
                min_granularity_ticks: given.ticks("min_granularity")?,
                wakeup_granularity_ticks: given.number("wakeup_granularity").unwrap_or(1),
                start_debit: given.flag("start_debit"),
            }))
        },
        describe: |config| match config {
            PolicyConfig::Cfs(config) => {
                let mut options = vec![format!("latency {}", config.latency_ticks)];
                if config.min_granularity_ticks != 1 {
                    options.push(format!("min_granularity {}", config.min_granularity_ticks));
                }
                if config.wakeup_granularity_ticks != 1 {
                    options.push(format!(
                        "wakeup_granularity {}",
                        config.wakeup_granularity_ticks
                    ));
                }
                if config.start_debit {
                    options.push("start_debit".into());
                }
                format!("cfs ({})", options.join(", "))
            }
            other => bare(other),
        },
        options_of: |config, options| match config {
            PolicyConfig::Cfs(config) => {
                options.latency = Some(config.latency_ticks);
                options.min_granularity = Some(config.min_granularity_ticks);
                options.wakeup_granularity = Some(config.wakeup_granularity_ticks);
                options.start_debit = Some(config.start_debit);
                true
            }
            _ => false,
        },
    },
    PolicySpec {
        name: "dm",
        aliases: &[],
        summary: "deadline monotonic (real time): the job of the task with the shortest relative deadline runs; preemptive",
        options: &[],
        configure: |_| Ok(PolicyConfig::RealTime(RealTimeRule::Dm)),
        describe: bare,
        options_of: |config, _| matches!(config, PolicyConfig::RealTime(RealTimeRule::Dm)),
    },
    PolicySpec {
        name: "edf",
        aliases: &[],
        summary: "earliest deadline first (real time): the job with the earliest absolute deadline runs; preemptive",
        options: &[],
        configure: |_| Ok(PolicyConfig::RealTime(RealTimeRule::Edf)),
        describe: bare,
        options_of: |config, _| matches!(config, PolicyConfig::RealTime(RealTimeRule::Edf)),
    },
    PolicySpec {
        name: "eevdf",
        aliases: &[],
        summary: "Linux's EEVDF (6.6 and later): of the processes owed CPU time (lag ≥ 0), the earliest virtual deadline runs, for its request (`slice`)",
        options: &[
            OptionSpec {
                name: "slice",
                kind: OptionKind::Ticks,
                default: OptionDefault::Number(3),
                help: "the request size: a process runs this many ticks before the next choice, and its virtual deadline is its eligible time + slice × 1024 / weight; a process's own `slice:` overrides it",
            },
            OptionSpec {
                name: "keep_lag",
                kind: OptionKind::Flag,
                default: OptionDefault::Flag(true),
                help: "PLACE_LAG: a process that sleeps keeps its lag (within ± two slices) and wakes with it; false: it wakes with lag 0",
            },
            OptionSpec {
                name: "run_to_parity",
                kind: OptionKind::Flag,
                default: OptionDefault::Flag(true),
                help: "RUN_TO_PARITY: a waking process never cuts the running one's request short; false: it preempts when it is eligible with an earlier deadline",
            },
        ],
        configure: |given| {
            Ok(PolicyConfig::Eevdf(EevdfConfig {
                slice_ticks: given.ticks("slice")?,
                keep_lag: given.flag("keep_lag"),
                run_to_parity: given.flag("run_to_parity"),
                process_slices: Vec::new(),
            }))
        },
        describe: |config| match config {
            PolicyConfig::Eevdf(config) => {
                let mut options = vec![format!("slice {}", config.slice_ticks)];
                if !config.keep_lag {
                    options.push("lag not kept".into());
                }
                if !config.run_to_parity {
                    options.push("wakeup preemption".into());
                }
                format!("eevdf ({})", options.join(", "))
            }
            other => bare(other),
        },
        options_of: |config, options| match config {
            PolicyConfig::Eevdf(config) => {
                options.slice = Some(NumberOrWord::Number(config.slice_ticks));
                options.keep_lag = Some(config.keep_lag);
                options.run_to_parity = Some(config.run_to_parity);
                true
            }
            _ => false,
        },
    },
    PolicySpec {
        name: "fcfs",
        aliases: &["fifo"],
        summary: "first come, first served: the ready queue in arrival order, never preempted",
        options: &[
            OptionSpec {
                name: "order",
                kind: OptionKind::Choice(&["queue", "cyclic"]),
                default: OptionDefault::FirstWord,
                help: "queue: the head of the FIFO ready queue; cyclic: the first ready process after the one dispatched last, in pid order (OSTEP's process-run.py)",
            },
            OptionSpec {
                name: "switch",
                kind: OptionKind::Choice(&["on_block", "on_end"]),
                default: OptionDefault::FirstWord,
                help: "on_end: while the process dispatched last waits for IO, the CPU waits for it (process-run.py's SWITCH_ON_END; one CPU)",
            },
            OptionSpec {
                name: "io_done",
                kind: OptionKind::Choice(&["later", "immediate"]),
                default: OptionDefault::FirstWord,
                help: "immediate: a process back from IO takes the CPU at once, preempting (process-run.py's IO_RUN_IMMEDIATE)",
            },
        ],
        configure: |given| {
            Ok(PolicyConfig::Fcfs(FcfsConfig {
                order: match given.word("order").as_str() {
                    "cyclic" => FcfsOrder::Cyclic,
                    _ => FcfsOrder::Queue,
                },
                switch: match given.word("switch").as_str() {
                    "on_end" => SwitchOn::End,
                    _ => SwitchOn::Block,
                },
                io_done: match given.word("io_done").as_str() {
                    "immediate" => IoDone::Immediate,
                    _ => IoDone::Later,
                },
            }))
        },
        describe: |config| match config {
            PolicyConfig::Fcfs(fcfs) if *fcfs != FcfsConfig::default() => {
                let mut parts = Vec::new();
                if fcfs.order == FcfsOrder::Cyclic {
                    parts.push("cyclic order");
                }
                if fcfs.switch == SwitchOn::End {
                    parts.push("switch on end");
                }
                if fcfs.io_done == IoDone::Immediate {
                    parts.push("IO done runs at once");
                }
                format!("fcfs ({})", parts.join("; "))
            }
            other => bare(other),
        },
        options_of: |config, options| match config {
            PolicyConfig::Fcfs(fcfs) => {
                let word = |set: bool, word: &str| set.then(|| word.to_string());
                options.order = word(fcfs.order == FcfsOrder::Cyclic, "cyclic");
                options.switch = word(fcfs.switch == SwitchOn::End, "on_end");
                options.io_done = word(fcfs.io_done == IoDone::Immediate, "immediate");
                true
            }
            _ => false,
        },
    },
    PolicySpec {
        name: "hrrn",
        aliases: &[],
        summary: "highest response ratio next, (waiting + burst) / burst; non-preemptive",
        options: &[],
        configure: |_| Ok(PolicyConfig::Hrrn),
        describe: bare,
        options_of: |config, _| matches!(config, PolicyConfig::Hrrn),
    },
    PolicySpec {
        name: "llf",
        aliases: &[],
        summary: "least laxity first (real time): the job with the least laxity (deadline − now − remaining) runs; preemptive",
        options: &[],
        configure: |_| Ok(PolicyConfig::RealTime(RealTimeRule::Llf)),
        describe: bare,
        options_of: |config, _| matches!(config, PolicyConfig::RealTime(RealTimeRule::Llf)),
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
                default: OptionDefault::FirstWord,
                help: "uniform: a seeded uniform draw over the ready queue's tickets in queue order; ostep: OSTEP lottery.py's draw, `int(random() * 1000001) % total` with CPython's generator seeded by `seed`, over the ready processes in scenario order",
            },
            OptionSpec {
                name: "skip_draws",
                kind: OptionKind::Count,
                default: OptionDefault::Number(0),
                help: "with `draw: ostep`: numbers drawn and thrown away first (those lottery.py spends generating random jobs)",
            },
        ],
        configure: |given| {
            let skip_draws = given.number("skip_draws").unwrap_or(0);
            Ok(PolicyConfig::Lottery {
                quantum_ticks: given.ticks("quantum")?,
                draw: match given.word("draw").as_str() {
                    "ostep" => LotteryDraw::Ostep { skip_draws },
                    _ if skip_draws > 0 => {
                        return Err(ScenarioError::invalid(
                            "policy.skip_draws",
                            "`skip_draws` is for `draw: ostep` only",
                        ));
                    }
                    _ => LotteryDraw::Uniform,
                },
            })
        },
        describe: |config| match config {
            PolicyConfig::Lottery {
                quantum_ticks,
                draw: LotteryDraw::Uniform,
            } => format!("lottery (quantum {quantum_ticks})"),
            PolicyConfig::Lottery {
                quantum_ticks,
                draw: LotteryDraw::Ostep { .. },
            } => format!("lottery (quantum {quantum_ticks}, OSTEP's draw)"),
            other => bare(other),
        },
        options_of: |config, options| match config {
            PolicyConfig::Lottery {
                quantum_ticks,
                draw,
            } => {
                options.quantum = Some(*quantum_ticks);
                options.draw = Some(draw.name().to_string());
                if let LotteryDraw::Ostep { skip_draws } = draw {
                    options.skip_draws = Some(*skip_draws);
                }
                true
            }
            _ => false,
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
                default: OptionDefault::Levels(&DEFAULT_MLFQ_LEVELS),
                help: "highest first: [{quantum: Q, allotment: A}, ...], allotment default 1",
            },
            OptionSpec {
                name: "boost",
                kind: OptionKind::TicksOrNever,
                default: OptionDefault::Number(0),
                help: "move every process to the top level every this many ticks",
            },
            OptionSpec {
                name: "io_resets_allotment",
                kind: OptionKind::Flag,
                default: OptionDefault::Flag(false),
                help: "issuing IO resets the quantum and allotment at the level (gameable)",
            },
            OptionSpec {
                name: "io_done_to_front",
                kind: OptionKind::Flag,
                default: OptionDefault::Flag(false),
                help: "a process back from IO goes to the front of its level",
            },
            OptionSpec {
                name: "ostep_boost",
                kind: OptionKind::Flag,
                default: OptionDefault::Flag(false),
                help: "the boost of older versions of OSTEP's mlfq.py: quantum = top allotment in ticks, allotments kept",
            },
            OptionSpec {
                name: "demote_when_alone",
                kind: OptionKind::Flag,
                default: OptionDefault::Flag(true),
                help: "false: a process whose quantum expires with nobody else ready keeps its level (Stallings)",
            },
            OptionSpec {
                name: "preempt",
                kind: OptionKind::Choice(&["immediate", "at_quantum_end"]),
                default: OptionDefault::FirstWord,
                help: "at_quantum_end: a process ready at a higher level (or back from IO to the front) waits for the running quantum to end (Stallings' FB with q = 2^i)",
            },
            OptionSpec {
                name: "slice",
                kind: OptionKind::Choice(&["carry_over", "renew_each_dispatch"]),
                default: OptionDefault::FirstWord,
                help: "carry_over: a process goes on with what is left of its quantum after IO or a preemption; renew_each_dispatch: every dispatch gives the level's full quantum, and a process moves down once its CPU at the level adds up to quantum × allotment",
            },
            OptionSpec {
                name: "order_in_level",
                kind: OptionKind::Choice(&["fifo", "priority"]),
                default: OptionDefault::FirstWord,
                help: "fifo: each level is first in, first out; priority: by the processes' priority (lower number first), FIFO among equals",
            },
        ],
        configure: |given| {
            Ok(PolicyConfig::Mlfq(MlfqConfig {
                levels: given.levels("levels")?,
                boost_ticks: given.number("boost"),
                io_resets_allotment: given.flag("io_resets_allotment"),
                io_done_to_front: given.flag("io_done_to_front"),
                ostep_boost: given.flag("ostep_boost"),
                demote_when_alone: given.flag("demote_when_alone"),
                preempt_at_quantum_end: given.word("preempt") == "at_quantum_end",
                renew_each_dispatch: given.word("slice") == "renew_each_dispatch",
                order_by_priority: given.word("order_in_level") == "priority",
            }))
        },
        describe: |config| match config {
            PolicyConfig::Mlfq(mlfq) => {
                let levels: Vec<String> = mlfq
                    .levels
                    .iter()
                    .map(|l| format!("q{}/a{}", l.quantum_ticks, l.allotment))
                    .collect();
                let mut text = format!("mlfq ({} levels: {}", levels.len(), levels.join(", "));
                if let Some(boost) = mlfq.boost_ticks {
                    text.push_str(&format!("; boost every {boost}"));
                }
                if mlfq.io_resets_allotment {
                    text.push_str("; IO resets allotment");
                }
                if mlfq.io_done_to_front {
                    text.push_str("; IO done to front");
                }
                if mlfq.renew_each_dispatch {
                    text.push_str("; full quantum each dispatch");
                }
                if mlfq.order_by_priority {
                    text.push_str("; by priority in a level");
                }
                text.push(')');
                text
            }
            other => bare(other),
        },
        options_of: |config, options| match config {
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
                options.slice = mlfq
                    .renew_each_dispatch
                    .then(|| NumberOrWord::Word("renew_each_dispatch".to_string()));
                options.order_in_level = mlfq.order_by_priority.then(|| "priority".to_string());
                true
            }
            _ => false,
        },
    },
    PolicySpec {
        name: "mlq",
        aliases: &["multilevel_queue"],
        summary: "multilevel queue: processes stay in their queue (`queue:`), each queue with its own policy; between queues fixed priority or time slices",
        options: &[
            OptionSpec {
                name: "queues",
                kind: OptionKind::Queues,
                default: OptionDefault::Required,
                help: "the queues, highest first: [{name: system, policy: {kind: rr, quantum: 2}}, {name: batch, policy: fcfs}]; a process names its queue with `queue:` (default the last)",
            },
            OptionSpec {
                name: "between",
                kind: OptionKind::Between,
                default: OptionDefault::FirstWord,
                help: "priority: a queue runs only when the ones above are empty and is preempted by them; {slices: [80, 20]}: each queue in turn has the CPUs for its ticks, a turn with nobody ready passing to the next queue",
            },
        ],
        configure: |given| {
            let written = given.options.queues.as_deref().unwrap_or_default();
            if written.is_empty() {
                return Err(ScenarioError::invalid(
                    "policy.queues",
                    "the `mlq` policy needs its queues: {kind: mlq, queues: [{name: NAME, policy: POLICY}, ...]}",
                ));
            }
            let queues = mlq_queues(written)?;
            let between = match &given.options.between {
                None => Between::Priority,
                Some(BetweenFile::Word(word)) if word == "priority" => Between::Priority,
                Some(BetweenFile::Word(word)) => {
                    return Err(ScenarioError::invalid(
                        "policy.between",
                        format!("expected `priority` or {{slices: [TICKS, ...]}}, got `{word}`"),
                    ));
                }
                Some(BetweenFile::Slices { slices }) => {
                    if slices.len() != queues.len() {
                        return Err(ScenarioError::invalid(
                            "policy.between.slices",
                            format!(
                                "expected one slice per queue ({}), got {}",
                                queues.len(),
                                slices.len()
                            ),
                        ));
                    }
                    if let Some(bad) = slices.iter().find(|&&t| t == 0 || t > MAX_TICKS) {
                        return Err(ScenarioError::invalid(
                            "policy.between.slices",
                            format!("expected slices of 1 to {MAX_TICKS} ticks, got {bad}"),
                        ));
                    }
                    Between::Slices(slices.clone())
                }
            };
            Ok(PolicyConfig::Mlq(MlqConfig {
                queues,
                between,
                assignment: Vec::new(),
            }))
        },
        describe: |config| match config {
            PolicyConfig::Mlq(config) => {
                let queues: Vec<String> = config
                    .queues
                    .iter()
                    .map(|queue| format!("{}: {}", queue.name, queue.policy.describe()))
                    .collect();
                let between = match &config.between {
                    Between::Priority => "fixed priority".to_string(),
                    Between::Slices(slices) => slices_text(slices),
                };
                format!("mlq ({}; {between})", queues.join(", "))
            }
            other => bare(other),
        },
        options_of: |config, options| match config {
            PolicyConfig::Mlq(config) => {
                options.queues = Some(
                    config
                        .queues
                        .iter()
                        .map(|queue| MlqQueueFile {
                            name: queue.name.clone(),
                            policy: PolicyFile::Options(Box::new(queue.policy.options())),
                        })
                        .collect(),
                );
                options.between = Some(match &config.between {
                    Between::Priority => BetweenFile::Word("priority".into()),
                    Between::Slices(slices) => BetweenFile::Slices {
                        slices: slices.clone(),
                    },
                });
                true
            }
            _ => false,
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
                default: OptionDefault::Flag(false),
                help: "a ready process of higher priority takes the CPU at once",
            },
            OptionSpec {
                name: "quantum",
                kind: OptionKind::Ticks,
                default: OptionDefault::Unset,
                help: "round robin among equal priorities with this quantum",
            },
            OptionSpec {
                name: "aging",
                kind: OptionKind::Aging,
                default: OptionDefault::Number(0),
                help: "N: each time the scheduler picks a process, every process left waiting gains N priority levels, and the one picked returns to its own priority; {every: T, by: N}: every T ticks a process waits in the ready queue it gains N levels",
            },
            OptionSpec {
                name: "priority_from",
                kind: OptionKind::Choice(&["priority", "nice"]),
                default: OptionDefault::FirstWord,
                help: "priority: each process's `priority`; nice: its `nice` value (-20 to 19, lowest first), forked children keeping their parent's",
            },
        ],
        configure: |given| {
            Ok(PolicyConfig::Priority {
                preemptive: given.flag("preemptive"),
                quantum_ticks: given.number("quantum"),
                aging: given.aging(),
                from_nice: given.word("priority_from") == "nice",
            })
        },
        describe: |config| match config {
            PolicyConfig::Priority {
                preemptive,
                quantum_ticks,
                aging,
                from_nice,
            } => {
                let source = if *from_nice {
                    ", priority from nice"
                } else {
                    ""
                };
                let mode = if *preemptive {
                    "preemptive"
                } else {
                    "non-preemptive"
                };
                let aging = match aging {
                    Aging::PerPick(0) => String::new(),
                    Aging::PerPick(n) => format!(", aging {n}"),
                    Aging::Timed { every, by } => format!(", aging {by} per {every} ticks"),
                };
                match quantum_ticks {
                    Some(q) => {
                        format!("priority ({mode}, round robin quantum {q}{aging}{source})")
                    }
                    None => format!("priority ({mode}{aging}{source})"),
                }
            }
            other => bare(other),
        },
        options_of: |config, options| match config {
            PolicyConfig::Priority {
                preemptive,
                quantum_ticks,
                aging,
                from_nice,
            } => {
                options.priority_from = from_nice.then(|| "nice".to_string());
                options.preemptive = Some(*preemptive);
                options.quantum = *quantum_ticks;
                options.aging = match *aging {
                    Aging::PerPick(0) => None,
                    Aging::PerPick(levels) => Some(AgingFile::PerPick(levels)),
                    Aging::Timed { every, by } => Some(AgingFile::Timed { every, by }),
                };
                true
            }
            _ => false,
        },
    },
    PolicySpec {
        name: "rm",
        aliases: &[],
        summary: "rate monotonic (real time): the job of the task with the shortest period runs; preemptive",
        options: &[],
        configure: |_| Ok(PolicyConfig::RealTime(RealTimeRule::Rm)),
        describe: bare,
        options_of: |config, _| matches!(config, PolicyConfig::RealTime(RealTimeRule::Rm)),
    },
    PolicySpec {
        name: "rr",
        aliases: &[],
        summary: "round robin: FIFO, each process runs at most a quantum, then goes to the back",
        options: &[QUANTUM_REQUIRED],
        configure: |given| {
            Ok(PolicyConfig::Rr {
                quantum_ticks: given.ticks("quantum")?,
            })
        },
        describe: |config| match config {
            PolicyConfig::Rr { quantum_ticks } => format!("rr (quantum {quantum_ticks})"),
            other => bare(other),
        },
        options_of: |config, options| match config {
            PolicyConfig::Rr { quantum_ticks } => {
                options.quantum = Some(*quantum_ticks);
                true
            }
            _ => false,
        },
    },
    PolicySpec {
        name: "sjf",
        aliases: &[],
        summary: "shortest job first: the shortest next CPU burst; non-preemptive",
        options: &[],
        configure: |_| Ok(PolicyConfig::Sjf),
        describe: bare,
        options_of: |config, _| matches!(config, PolicyConfig::Sjf),
    },
    PolicySpec {
        name: "srtf",
        aliases: &[],
        summary: "shortest remaining time first: preemptive SJF",
        options: &[],
        configure: |_| Ok(PolicyConfig::Srtf),
        describe: bare,
        options_of: |config, _| matches!(config, PolicyConfig::Srtf),
    },
    PolicySpec {
        name: "stride",
        aliases: &[],
        summary: "deterministic proportional share: the smallest pass runs; processes' tickets",
        options: &[QUANTUM_DEFAULT_1],
        configure: |given| {
            Ok(PolicyConfig::Stride {
                quantum_ticks: given.ticks("quantum")?,
            })
        },
        describe: |config| match config {
            PolicyConfig::Stride { quantum_ticks } => format!("stride (quantum {quantum_ticks})"),
            other => bare(other),
        },
        options_of: |config, options| match config {
            PolicyConfig::Stride { quantum_ticks } => {
                options.quantum = Some(*quantum_ticks);
                true
            }
            _ => false,
        },
    },
];

/// The policy a scenario's `kind` names (its name or an alias).
pub fn policy_named(kind: &str) -> Option<&'static PolicySpec> {
    POLICIES
        .iter()
        .find(|spec| spec.name == kind || spec.aliases.contains(&kind))
}

/// A `policy:` is a policy's name, or a map of its options (here, where the names are).
impl<'de> Deserialize<'de> for PolicyFile {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct PolicyVisitor;
        impl<'de> Visitor<'de> for PolicyVisitor {
            type Value = PolicyFile;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                write!(
                    f,
                    "a policy name ({}) or a map {{kind: NAME, ...}}",
                    policy_names()
                )
            }
            fn visit_str<E: de::Error>(self, name: &str) -> Result<PolicyFile, E> {
                Ok(PolicyFile::Name(name.to_string()))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<PolicyFile, A::Error> {
                PolicyOptions::deserialize(serde::de::value::MapAccessDeserializer::new(map))
                    .map(|options| PolicyFile::Options(Box::new(options)))
            }
        }
        deserializer.deserialize_any(PolicyVisitor)
    }
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
        let options = options_with_time_slice(name, quantum);
        let config = validate(&options).map_err(|error| match error {
            ScenarioError::Invalid { message, .. } => format!("`{item}`: {message}"),
            other => format!("`{item}`: {other}"),
        })?;
        configs.push(config);
    }
    Ok(configs)
}

/// `options` keeping only `names` of `spec`'s options, each only if written in the form `spec`
/// takes it: `slice` is a word for MLFQ and a number for EEVDF, so a value set for one is not
/// carried to the other (the GUI keeps one set of options across policies).
pub fn options_for(spec: &PolicySpec, options: &PolicyOptions, names: &[&str]) -> PolicyOptions {
    let mut kept = options.keeping(spec.name, names);
    for option in spec.options {
        let wrong_form = match (option.kind, kept.field(option.name)) {
            (OptionKind::Choice(_), Some(super::file::OptionValue::NumberOrWord(value))) => {
                matches!(value, Some(NumberOrWord::Number(_)))
            }
            (_, Some(super::file::OptionValue::NumberOrWord(value))) => {
                matches!(value, Some(NumberOrWord::Word(_)))
            }
            _ => false,
        };
        if wrong_form {
            kept.set_word(option.name, None);
        }
    }
    kept
}

/// The option a policy list's `:N` (and `sweep --quantum`) sets: the policy's `quantum`, or
/// EEVDF's request size `slice`; `None` for a policy with neither.
pub fn time_slice_option(spec: &PolicySpec) -> Option<&'static str> {
    ["quantum", "slice"].into_iter().find(|name| {
        spec.options
            .iter()
            .any(|option| option.name == *name && option.kind == OptionKind::Ticks)
    })
}

/// The options of the policy `name` with its time slice (`time_slice_option`) set to
/// `ticks`; a policy without one gets a `quantum`, which validation then refuses by name.
pub fn options_with_time_slice(name: &str, ticks: Option<u64>) -> PolicyOptions {
    let mut options = PolicyOptions {
        kind: name.to_string(),
        ..PolicyOptions::default()
    };
    let option = policy_named(name)
        .and_then(time_slice_option)
        .unwrap_or("quantum");
    options.set_number(option, ticks);
    options
}

/// A multilevel queue's time slices in words: `slices 80/20`.
pub fn slices_text(slices: &[u64]) -> String {
    let slices: Vec<String> = slices.iter().map(u64::to_string).collect();
    format!("slices {}", slices.join("/"))
}

/// Two queues to start a multilevel queue from when none are written (the GUI's picker):
/// `foreground` under round robin with quantum 2 above `background` under FCFS, the
/// textbook's example.
pub fn example_mlq_queues() -> Vec<MlqQueueFile> {
    let queue = |name: &str, options: PolicyOptions| MlqQueueFile {
        name: name.to_string(),
        policy: PolicyFile::Options(Box::new(options)),
    };
    vec![
        queue(
            "foreground",
            PolicyOptions {
                kind: "rr".into(),
                quantum: Some(2),
                ..PolicyOptions::default()
            },
        ),
        queue(
            "background",
            PolicyOptions {
                kind: "fcfs".into(),
                ..PolicyOptions::default()
            },
        ),
    ]
}

/// The queues of a multilevel queue, each one's policy checked as a `policy:` is (not itself a
/// multilevel queue), errors naming `policy.queues[i]`; names must differ.
fn mlq_queues(written: &[MlqQueueFile]) -> Result<Vec<MlqQueue>, ScenarioError> {
    let mut queues: Vec<MlqQueue> = Vec::new();
    for (index, queue) in written.iter().enumerate() {
        let path = format!("policy.queues[{index}]");
        if queue.name.trim().is_empty() {
            return Err(ScenarioError::invalid(
                format!("{path}.name"),
                "expected a name for the queue",
            ));
        }
        if queues.iter().any(|q| q.name == queue.name) {
            return Err(ScenarioError::invalid(
                format!("{path}.name"),
                format!("`{}` names two queues", queue.name),
            ));
        }
        let options = queue.policy.options();
        if policy_named(&options.kind).is_some_and(|spec| spec.name == "mlq") {
            return Err(ScenarioError::invalid(
                format!("{path}.policy.kind"),
                "a queue of a multilevel queue cannot be a multilevel queue itself",
            ));
        }
        if let Some(spec) = policy_named(&options.kind).filter(|spec| spec.schedules_tasks()) {
            return Err(ScenarioError::invalid(
                format!("{path}.policy.kind"),
                format!(
                    "`{}` schedules the jobs of `tasks:` as a policy of its own (other processes are its background work), not as a queue of a multilevel queue",
                    spec.name
                ),
            ));
        }
        let policy = validate(&options).map_err(|error| match error {
            ScenarioError::Invalid {
                path: inner,
                message,
                at,
            } => ScenarioError::Invalid {
                path: format!("{path}.{inner}"),
                message,
                at,
            },
            other => other,
        })?;
        queues.push(MlqQueue {
            name: queue.name.clone(),
            policy,
        });
    }
    Ok(queues)
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
        if let Some(super::file::OptionValue::NumberOrWord(Some(value))) = options.field(field) {
            match (option.kind, value) {
                (OptionKind::Choice(words), NumberOrWord::Number(number)) => {
                    return Err(ScenarioError::invalid(
                        format!("policy.{field}"),
                        format!(
                            "expected one of {} for the `{kind}` policy, got {number}",
                            words.join(", ")
                        ),
                    ));
                }
                (OptionKind::Ticks, NumberOrWord::Word(word)) => {
                    return Err(ScenarioError::invalid(
                        format!("policy.{field}"),
                        format!("expected a number of ticks for the `{kind}` policy, got `{word}`"),
                    ));
                }
                _ => {}
            }
        }
        let ticks = options.number(field);
        if option.kind == OptionKind::Ticks && ticks == Some(0) {
            return Err(ScenarioError::invalid(
                format!("policy.{field}"),
                format!("expected a {field} of at least 1 tick, got 0"),
            ));
        }
        if let OptionKind::Choice(words) = option.kind
            && let Some(word) = options.word(field)
            && !words.contains(&word)
        {
            return Err(ScenarioError::invalid(
                format!("policy.{field}"),
                format!("expected one of {}, got `{word}`", words.join(", ")),
            ));
        }
        if let Some(AgingFile::Timed { every, by }) = options.aging {
            if every == 0 || by == 0 {
                let (key, what) = if every == 0 {
                    ("every", "tick")
                } else {
                    ("by", "level")
                };
                return Err(ScenarioError::invalid(
                    format!("policy.aging.{key}"),
                    format!("expected at least 1 {what}, got 0"),
                ));
            }
            if every > MAX_TICKS || by > MAX_COUNT {
                return Err(ScenarioError::invalid(
                    "policy.aging",
                    format!("expected every at most {MAX_TICKS} ticks and by at most {MAX_COUNT}"),
                ));
            }
        }
        if let Some(AgingFile::PerPick(count)) = options.aging.filter(|_| field == "aging")
            && count > MAX_COUNT
        {
            return Err(ScenarioError::invalid(
                "policy.aging",
                format!("expected at most {MAX_COUNT}, got {count}"),
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
    (spec.configure)(&Given { spec, options })
}

/// OSTEP's defaults: three levels, quantum 10, allotment 1.
pub const DEFAULT_MLFQ_LEVELS: [MlfqLevel; 3] = [MlfqLevel {
    quantum_ticks: 10,
    allotment: 1,
}; 3];

fn mlfq_levels(levels: &[LevelFile]) -> Result<Vec<MlfqLevel>, ScenarioError> {
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
        POLICIES
            .iter()
            .find(|spec| (spec.options_of)(self, &mut PolicyOptions::default()))
            .expect("every PolicyConfig is in the policy table")
    }

    /// The policy's name as written in scenarios.
    pub fn kind(&self) -> &'static str {
        self.spec().name
    }

    /// The options that give this configuration back (`configure` of them is `self`).
    pub fn options(&self) -> PolicyOptions {
        let spec = self.spec();
        let mut options = PolicyOptions {
            kind: spec.name.to_string(),
            ..PolicyOptions::default()
        };
        (spec.options_of)(self, &mut options);
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
                .map(|o| format!("`{}` ({}): {}", o.name, o.default_text(), o.help))
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
        // EEVDF's time slice is its request size.
        match &parse_policy_list("eevdf:2, eevdf").unwrap()[..] {
            [PolicyConfig::Eevdf(two), PolicyConfig::Eevdf(default)] => {
                assert_eq!((two.slice_ticks, default.slice_ticks), (2, 3));
            }
            other => panic!("{other:?}"),
        }
        assert!(
            parse_policy_list("cfs:2")
                .unwrap_err()
                .contains("`quantum` is not an option of the `cfs` policy")
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

    /// Each option of the table is an option of `PolicyOptions` with a value of its kind, and
    /// each option there belongs to some policy; the list the lookups are made from is the
    /// struct's own fields (as serde names them).
    #[test]
    fn the_options_of_the_table_are_the_options_of_the_file() {
        use super::super::file::{OPTION_NAMES, OptionValue};
        let options = PolicyOptions::default();
        for spec in POLICIES {
            for option in spec.options {
                let kind_fits = matches!(
                    (option.kind, options.field(option.name)),
                    (
                        OptionKind::Ticks | OptionKind::TicksOrNever | OptionKind::Count,
                        Some(OptionValue::Number(_))
                    ) | (
                        OptionKind::Ticks | OptionKind::Choice(_),
                        Some(OptionValue::NumberOrWord(_))
                    ) | (OptionKind::Aging, Some(OptionValue::Aging(_)))
                        | (OptionKind::Flag, Some(OptionValue::Flag(_)))
                        | (OptionKind::Choice(_), Some(OptionValue::Word(_)))
                        | (OptionKind::Levels, Some(OptionValue::Levels(_)))
                        | (OptionKind::Queues, Some(OptionValue::Queues(_)))
                        | (OptionKind::Between, Some(OptionValue::Between(_)))
                );
                assert!(
                    kind_fits,
                    "{}.{}: no field of its kind",
                    spec.name, option.name
                );
                let default_fits = matches!(
                    (option.default, option.kind),
                    (OptionDefault::Required | OptionDefault::Unset, _)
                        | (
                            OptionDefault::Number(_),
                            OptionKind::Ticks
                                | OptionKind::TicksOrNever
                                | OptionKind::Count
                                | OptionKind::Aging
                        )
                        | (OptionDefault::Flag(_), OptionKind::Flag)
                        | (
                            OptionDefault::FirstWord,
                            OptionKind::Choice(_) | OptionKind::Between
                        )
                        | (OptionDefault::Levels(_), OptionKind::Levels)
                );
                assert!(
                    default_fits,
                    "{}.{}: a default of another type",
                    spec.name, option.name
                );
            }
        }
        for name in OPTION_NAMES {
            assert!(
                POLICIES
                    .iter()
                    .any(|spec| spec.options.iter().any(|o| o.name == *name)),
                "`{name}` is an option of no policy"
            );
        }
        // serde's list of the struct's fields, from its message about an unknown one.
        let error = crate::yaml::parse::<PolicyOptions>("{kind: x, no_such_option: 1}")
            .unwrap_err()
            .to_string();
        let listed: Vec<&str> = error
            .split("expected one of ")
            .nth(1)
            .expect("serde lists the fields")
            .split(", ")
            .map(|field| field.trim_matches(|c: char| c == '`' || c.is_whitespace()))
            .collect();
        let mut fields: Vec<&str> = OPTION_NAMES.to_vec();
        fields.insert(0, "kind");
        assert_eq!(listed, fields);
    }

    #[test]
    fn a_number_where_a_policy_is_named_lists_every_policy() {
        let error =
            crate::Scenario::from_yaml("name: t\npolicy: 5\nprocesses: [{name: A, burst: 1}]")
                .unwrap_err()
                .to_string();
        for spec in POLICIES {
            assert!(error.contains(spec.name), "{} in {error}", spec.name);
        }
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
            if spec
                .options
                .iter()
                .any(|o| o.default == OptionDefault::Required)
            {
                if spec.options.iter().any(|o| o.name == "queues") {
                    options.queues = Some(example_mlq_queues());
                } else {
                    options.quantum = Some(3);
                }
            }
            let config = validate(&options).unwrap_or_else(|e| panic!("{}: {e}", spec.name));
            assert_eq!(config.kind(), spec.name);
            assert_eq!(config.spec().name, spec.name);
            // Only its own entry claims it.
            let claims: Vec<&str> = POLICIES
                .iter()
                .filter(|other| (other.options_of)(&config, &mut PolicyOptions::default()))
                .map(|other| other.name)
                .collect();
            assert_eq!(claims, [spec.name]);
            assert_eq!(
                validate(&config.options()).unwrap(),
                config,
                "{}",
                spec.name
            );
        }
    }
}
