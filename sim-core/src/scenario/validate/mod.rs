//! Semantic checks that turn a [`ScenarioFile`] into a [`Scenario`], naming the field at fault.

mod named;
mod program;
mod realtime;
mod sync;
mod workload;

use super::file::{
    ChannelOptionsFile, ChannelStepFile, EventStepFile, ForkFile, IoFile, ProgramEntry,
    ProgramFile, ScenarioFile, SelectFile, SpawnFile, StdinLineFile, StepFile,
};
use super::limits::{
    MAX_CALL_DEPTH, MAX_COUNT, MAX_CPUS, MAX_EXPANDED_STEPS, MAX_MAX_PROCESSES, MAX_TICKETS,
    MAX_TICKS,
};
use super::{
    Avoidance, CacheConfig, ChannelKind, ChildSpec, Comparison, Condition, CoroutineSpec,
    DEFAULT_DEVICE_NAME, DeadlockConfig, Device, DeviceId, EventSpec, FcfsConfig, FdSetSize,
    FlagId, LifecycleOptions, MAIN_THREAD_NAME, Multiplexer, Operand, Orphans, PolicyConfig,
    PoolId, PoolSpec, PrintPart, ProcessSpec, Program, QueueId, QueueSpec, Recovery, ResourceId,
    ResourceSpec, ReturnFile, ReturnValue, Rules, Runtime, SameInstant, Scenario, ScenarioError,
    SchedulerConfig, Signal, Step, SyncConfig, ThreadSpec, TieBreak, Variable, VariableSpec,
    WaitTarget, Waiting, ZeroTime,
};
use crate::ids::Tick;
use program::Context;
use program::lookup;
use std::collections::BTreeSet;
use std::fmt::Display;
use std::sync::Arc;
use sync::{check_holdings, validate_claims, validate_sync};

/// Default tickets of a process (lottery, stride).
pub const DEFAULT_TICKETS: u64 = 100;
/// Default of `max_processes`: Linux's default `pid_max`.
pub const DEFAULT_MAX_PROCESSES: u64 = 32_768;
/// Default `max_threads`: as many as `max_processes` allows tasks.
pub const DEFAULT_MAX_THREADS: u64 = 32_768;
/// Names a forked child may not take: they mean something else in `wait:` and in trees.
const RESERVED_NAMES: [&str; 2] = ["any", "init"];

pub(super) fn validate<G, E>(mut file: ScenarioFile<G, E>) -> Result<Scenario, ScenarioError> {
    plain_text(&file.name, "name", false)?;
    if let Some(description) = &file.description {
        plain_text(description, "description", true)?;
    }
    if file.name.trim().is_empty() {
        return Err(ScenarioError::invalid("name", "must not be empty"));
    }
    let sync = validate_sync(&file)?;
    let cpus = file.cpus.unwrap_or(1);
    if cpus == 0 || cpus > MAX_CPUS {
        return Err(ScenarioError::invalid(
            "cpus",
            format!("expected a number of CPUs from 1 to {MAX_CPUS}, got {cpus}"),
        ));
    }
    let rules = file.rules.take().unwrap_or_default();
    let preset = match rules.preset.as_deref().map(str::trim) {
        None => None,
        Some(name) => Some(super::presets::preset_named(name).ok_or_else(|| {
            let names: Vec<&str> = super::presets::PRESETS.iter().map(|p| p.name).collect();
            ScenarioError::invalid(
                "rules.preset",
                format!(
                    "unknown preset `{name}`, expected one of {}",
                    names.join(", ")
                ),
            )
        })?),
    };
    let mut policy_options = file.policy.options();
    if let Some(preset) = preset
        && policy_options.kind == "mlfq"
    {
        // The preset's MLFQ conventions, unless the policy says otherwise.
        policy_options
            .demote_when_alone
            .get_or_insert(preset.demote_when_alone);
        if preset.preempt_at_quantum_end {
            policy_options
                .preempt
                .get_or_insert_with(|| "at_quantum_end".to_string());
        }
    }
    let policy = super::policies::validate(&policy_options)?;
    let rules = Rules {
        preset: preset.map(|preset| preset.name),
        preempted_before_arrivals: rules
            .preempted_before_arrivals
            .unwrap_or(preset.is_some_and(|preset| preset.preempted_before_arrivals)),
        context_switch_ticks: rules.context_switch.unwrap_or(0),
        thread_switch_ticks: rules.thread_switch.unwrap_or(0),
        switch_on_redispatch: rules.switch_on_redispatch.unwrap_or(false),
        first_dispatch_cost: rules.first_dispatch_cost.unwrap_or(false),
        fork_cost_ticks: rules.fork_cost.unwrap_or(0),
        spawn_cost_ticks: rules.spawn_cost.unwrap_or(0),
        signal_delay_ticks: rules.signal_delay.unwrap_or(0),
        coroutine_switch_ticks: rules.coroutine_switch.unwrap_or(0),
        select_cost_ticks: rules.select_cost.unwrap_or(0),
        epoll_cost_ticks: rules.epoll_cost.unwrap_or(0),
        fd_setsize: rules.fd_setsize.map_or_else(FdSetSize::default, FdSetSize),
        tie_break: one_of(
            rules.tie_break.as_deref(),
            "rules.tie_break",
            "tie break",
            &[("queue", TieBreak::Queue), ("arrival", TieBreak::Arrival)],
            preset.map_or(TieBreak::Queue, |preset| preset.tie_break),
        )?,
        orphans: one_of(
            rules.orphans.as_deref(),
            "rules.orphans",
            "rule",
            &[
                ("reaper", Orphans::Reaper),
                ("parent", Orphans::Parent),
                ("subtree", Orphans::Subtree),
            ],
            Orphans::Reaper,
        )?,
        zero_time: one_of(
            rules.zero_time.as_deref(),
            "rules.zero_time",
            "rule",
            &[
                ("on_cpu", ZeroTime::OnCpu),
                ("immediate", ZeroTime::Immediate),
            ],
            ZeroTime::OnCpu,
        )?,
        same_instant: one_of(
            rules.same_instant.as_deref(),
            "rules.same_instant",
            "rule",
            &[
                ("fixed", SameInstant::Fixed),
                ("shuffled", SameInstant::Shuffled),
            ],
            SameInstant::Fixed,
        )?,
        scheduler: validate_scheduler(file.scheduler.take().unwrap_or_default(), &policy)?,
        cache: file.cache.take().map(validate_cache).transpose()?,
    };
    let devices = validate_devices(file.devices.unwrap_or_default())?;
    let globals = validate_variables(file.globals.take().unwrap_or_default(), "globals")?;
    let shared = validate_variables(file.shared.take().unwrap_or_default(), "shared")?;
    if let Some(both) = globals
        .iter()
        .find(|g| shared.iter().any(|s| s.name == g.name))
    {
        return Err(ScenarioError::invalid(
            format!("shared.{}", both.name),
            format!(
                "`{}` is both a global and a shared variable; give it one scope",
                both.name
            ),
        ));
    }
    let runtime = one_of(
        file.runtime.as_deref(),
        "runtime",
        "runtime",
        &[("posix", Runtime::Posix), ("python", Runtime::Python)],
        Runtime::Posix,
    )?;
    let gui = super::GuiOptions {
        focus: match file.gui.take().and_then(|gui| gui.focus) {
            Some(word) => Some(one_of(
                Some(&word),
                "gui.focus",
                "focus",
                &super::Focus::WORDS,
                super::Focus::Averages,
            )?),
            None => None,
        },
    };
    let pools = validate_pools(file.pools.take().unwrap_or_default(), cpus as usize)?;
    let stdin: Vec<String> = file
        .stdin
        .take()
        .unwrap_or_default()
        .into_iter()
        .enumerate()
        .map(|(index, line)| match line {
            StdinLineFile::Number(number) => Ok(number.to_string()),
            StdinLineFile::Text(text) => {
                plain_text(&text, format!("stdin[{index}]"), false)?;
                Ok(text)
            }
        })
        .collect::<Result<_, ScenarioError>>()?;
    let named_programs = file.programs.take().unwrap_or_default();
    for name in named_programs.keys() {
        program::check_program_name(name)?;
    }
    let context = Context {
        programs: &named_programs,
        compiled: Default::default(),
        calling: Default::default(),
        expanded_steps: Default::default(),
        devices: &devices,
        sync: &sync,
        channel_index: program::channel_index(&sync),
        globals: &globals,
        shared: &shared,
        pools: &pools,
        runtime,
        from_nice: matches!(
            policy,
            PolicyConfig::Priority {
                from_nice: true,
                ..
            }
        ),
        thread_names: Default::default(),
        in_task: Default::default(),
        async_results: Default::default(),
        lists: Default::default(),
    };
    let max_processes = file.max_processes.unwrap_or(DEFAULT_MAX_PROCESSES);
    if max_processes == 0 {
        return Err(ScenarioError::invalid(
            "max_processes",
            "expected at least 1 process, got 0",
        ));
    }
    if max_processes > MAX_MAX_PROCESSES {
        return Err(ScenarioError::invalid(
            "max_processes",
            format!("expected at most {MAX_MAX_PROCESSES} processes, got {max_processes}"),
        ));
    }
    let max_threads = file.max_threads.unwrap_or(DEFAULT_MAX_THREADS);
    if max_threads == 0 || max_threads > MAX_MAX_PROCESSES {
        return Err(ScenarioError::invalid(
            "max_threads",
            format!("expected 1 to {MAX_MAX_PROCESSES} threads, got {max_threads}"),
        ));
    }
    at_most_max_ticks(rules.context_switch_ticks, "rules.context_switch")?;
    at_most_max_ticks(rules.thread_switch_ticks, "rules.thread_switch")?;
    at_most_max_ticks(rules.fork_cost_ticks, "rules.fork_cost")?;
    at_most_max_ticks(rules.spawn_cost_ticks, "rules.spawn_cost")?;
    at_most_max_ticks(rules.signal_delay_ticks, "rules.signal_delay")?;
    at_most_max_ticks(rules.select_cost_ticks, "rules.select_cost")?;
    at_most_max_ticks(rules.coroutine_switch_ticks, "rules.coroutine_switch")?;
    at_most_max_ticks(rules.epoll_cost_ticks, "rules.epoll_cost")?;
    if rules.fd_setsize.0 == 0 {
        return Err(ScenarioError::invalid(
            "rules.fd_setsize",
            "expected at least 1 descriptor, got 0",
        ));
    }

    if file.processes.is_empty() && file.workload.is_none() && file.tasks.is_none() {
        return Err(ScenarioError::invalid(
            "processes",
            "expected at least one process (or a `workload:` or `tasks:` that generates them)",
        ));
    }
    let workload = file.workload.clone();
    let mut names = BTreeSet::new();
    // Every name a process may have, forked children included, for `expected:`.
    let roots: Vec<&ProgramFile> = file
        .processes
        .iter()
        .filter_map(|process| process.program.as_ref())
        .collect();
    let (results, lists) = named::result_names(
        roots
            .iter()
            .filter_map(|root| match root {
                ProgramFile::Steps(entries) => Some(entries.as_slice()),
                ProgramFile::Named(_) => None,
            })
            .chain(named_programs.values().map(Vec::as_slice)),
    );
    context.async_results.replace(results);
    context.lists.replace(lists);
    program::compile_named_programs(&context, &roots)?;
    let mut processes = Vec::with_capacity(file.processes.len());
    // Each process's queue under `mlq` (`queue:`); the policy keeps them.
    let mut queue_assignment = Vec::new();
    let mut process_slices = Vec::new();
    for (index, process) in file.processes.into_iter().enumerate() {
        // Formatted only if an error names it: a million valid processes make no path strings.
        let path = ElementPath {
            list: "processes",
            index,
        };
        plain_text(&process.name, path.field("name"), false)?;
        if process.name.trim().is_empty() {
            return Err(ScenarioError::invalid(
                format!("{path}.name"),
                "must not be empty",
            ));
        }
        if RESERVED_NAMES.contains(&process.name.as_str()) {
            return Err(ScenarioError::invalid(
                format!("{path}.name"),
                format!("`{}` is reserved; choose another name", process.name),
            ));
        }
        if !names.insert(process.name.clone()) {
            return Err(ScenarioError::invalid(
                format!("{path}.name"),
                format!("duplicate process name `{}`", process.name),
            ));
        }
        let program = match (process.burst, process.program) {
            (Some(_), Some(_)) => {
                return Err(ScenarioError::invalid(
                    path.to_string(),
                    format!(
                        "process `{}` has both `burst` and `program`; give one of them",
                        process.name
                    ),
                ));
            }
            (None, None) => {
                return Err(ScenarioError::invalid(
                    path.to_string(),
                    format!(
                        "process `{}` needs `burst: TICKS` or `program: [...]`",
                        process.name
                    ),
                ));
            }
            (Some(burst), None) => {
                positive(burst, path.field("burst"))?;
                Arc::from(vec![Step::Cpu { ticks: burst }])
            }
            (None, Some(file)) => program::program_of(
                &file,
                &context,
                &format!("{path}.program"),
                |entries, path| program::validate_process_program(entries, &context, path),
            )?,
        };
        let max_claims = validate_claims(&process.name, process.max.as_ref(), &sync, path)?;
        check_holdings(
            &process.name,
            &program,
            &max_claims,
            &sync,
            path.field("program"),
        )?;
        let tickets = process.tickets.unwrap_or(DEFAULT_TICKETS);
        tickets_at_least_one(tickets, path.field("tickets"))?;
        let affinity = validate_affinity(process.affinity.as_deref(), cpus, path)?;
        if !affinity.is_empty() && !fifo_policy(&policy) {
            return Err(ScenarioError::invalid(
                format!("{path}.affinity"),
                "affinity works with the fcfs and rr policies",
            ));
        }
        let nice = program::nice_value(process.nice.unwrap_or(0), path.field("nice"))?;
        queue_assignment.push(queue_of(&policy, process.queue.as_deref(), path)?);
        let slice = own_slice(&policy, process.slice, path)?;
        if has_requests(&policy) {
            process_slices.push(slice);
        }
        let from_nice = matches!(
            policy,
            PolicyConfig::Priority {
                from_nice: true,
                ..
            }
        );
        if from_nice && process.priority.is_some() {
            return Err(ScenarioError::invalid(
                format!("{path}.priority"),
                "with `priority_from: nice` a process's priority is its `nice`: give `nice`",
            ));
        }
        processes.push(ProcessSpec {
            nice,
            affinity,
            working_set: process.working_set.unwrap_or(0),
            name: process.name,
            arrival: Tick(at_most(
                process.arrival.unwrap_or(0),
                path.field("arrival"),
            )?),
            priority: if from_nice {
                nice
            } else {
                process.priority.unwrap_or(0)
            },
            tickets,
            options: LifecycleOptions {
                daemon: process.daemon.unwrap_or(false),
                ignore_sigchld: process.ignore_sigchld.unwrap_or(false),
                subreaper: process.subreaper.unwrap_or(false),
                gil: validate_gil(process.gil.clone(), path.field("gil"))?,
                monkey_patch: validate_monkey_patch(
                    process.monkey_patch.clone(),
                    path.field("monkey_patch"),
                )?,
            },
            program,
            max_claims,
        });
    }
    if let Some(workload) = &workload {
        processes.extend(workload::generate(
            workload,
            file.seed.unwrap_or(0),
            &names,
        )?);
    }
    let realtime = match realtime::validate_tasks(
        file.tasks,
        file.horizon,
        file.on_miss,
        &policy,
        cpus,
        &names,
        processes.len(),
    )? {
        Some((realtime, jobs)) => {
            processes.extend(jobs);
            Some(realtime)
        }
        None => None,
    };
    let mut policy = policy;
    if let PolicyConfig::Mlq(config) = &mut policy {
        config.assignment = queue_assignment;
        for queue in &mut config.queues {
            if let PolicyConfig::Eevdf(eevdf) = &mut queue.policy {
                eevdf.process_slices.clone_from(&process_slices);
            }
        }
    }
    if let PolicyConfig::Eevdf(config) = &mut policy {
        config.process_slices = process_slices;
    }
    Ok(Scenario {
        name: file.name,
        description: file.description,
        cpus: cpus as usize,
        policy,
        seed: file.seed.unwrap_or(0),
        rules,
        devices,
        processes,
        max_processes: usize::try_from(max_processes).unwrap_or(usize::MAX),
        max_threads: usize::try_from(max_threads).unwrap_or(usize::MAX),
        sync,
        globals,
        shared,
        runtime,
        pools,
        stdin,
        schedule: None,
        gui,
        realtime,
    })
}

/// The queue a process names (`queue:`) under the `mlq` policy, by index; without one, the
/// last queue. Only `mlq` has queues.
fn queue_of(
    policy: &PolicyConfig,
    named: Option<&str>,
    path: impl Display,
) -> Result<usize, ScenarioError> {
    let PolicyConfig::Mlq(config) = policy else {
        return match named {
            Some(_) => Err(ScenarioError::invalid(
                format!("{path}.queue"),
                "`queue` names a queue of the `mlq` policy; this scenario's policy has none",
            )),
            None => Ok(0),
        };
    };
    let Some(named) = named else {
        return Ok(config.queues.len() - 1);
    };
    config
        .queues
        .iter()
        .position(|queue| queue.name == named)
        .ok_or_else(|| {
            ScenarioError::invalid(
                format!("{path}.queue"),
                format!(
                    "expected one of the mlq queues ({}), got `{named}`",
                    config
                        .queues
                        .iter()
                        .map(|q| q.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )
        })
}

/// Whether the policy has EEVDF's requests: it is `eevdf`, or an `mlq` with an eevdf queue.
fn has_requests(policy: &PolicyConfig) -> bool {
    match policy {
        PolicyConfig::Eevdf(_) => true,
        PolicyConfig::Mlq(config) => config
            .queues
            .iter()
            .any(|queue| matches!(queue.policy, PolicyConfig::Eevdf(_))),
        _ => false,
    }
}

/// A process's own request size (`slice:`), which only EEVDF has (as the policy or as a queue
/// of a multilevel queue).
fn own_slice(
    policy: &PolicyConfig,
    slice: Option<u64>,
    path: impl Display,
) -> Result<Option<u64>, ScenarioError> {
    let Some(slice) = slice else {
        return Ok(None);
    };
    if !has_requests(policy) {
        return Err(ScenarioError::invalid(
            format!("{path}.slice"),
            format!(
                "`slice` is a process's request size under the `eevdf` policy (or an mlq queue of it); this scenario's policy is `{}`",
                policy.kind()
            ),
        ));
    }
    if slice == 0 || slice > MAX_TICKS {
        return Err(ScenarioError::invalid(
            format!("{path}.slice"),
            format!("expected a slice of 1 to {MAX_TICKS} ticks, got {slice}"),
        ));
    }
    Ok(Some(slice))
}

/// Whether the policy keeps one FIFO ready queue (plain FCFS, RR): the ones per-CPU queues
/// and affinity work with.
fn fifo_policy(policy: &PolicyConfig) -> bool {
    matches!(policy, PolicyConfig::Rr { .. })
        || matches!(policy, PolicyConfig::Fcfs(fcfs) if *fcfs == FcfsConfig::default())
}

/// A field that takes one of a few words: the value of the word written, or `default` when
/// the field is absent; another word is an error naming the field and the words it takes.
fn one_of<T: Copy>(
    written: Option<&str>,
    path: &str,
    what: &str,
    words: &[(&str, T)],
    default: T,
) -> Result<T, ScenarioError> {
    let Some(word) = written.map(str::trim) else {
        return Ok(default);
    };
    if let Some(&(_, value)) = words.iter().find(|(known, _)| *known == word) {
        return Ok(value);
    }
    let names: Vec<&str> = words.iter().map(|(known, _)| *known).collect();
    let expected = match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        _ => names.join(""),
    };
    Err(ScenarioError::invalid(
        path,
        format!("unknown {what} `{word}`, expected {expected}"),
    ))
}

fn validate_scheduler(
    file: super::file::SchedulerFile,
    policy: &PolicyConfig,
) -> Result<SchedulerConfig, ScenarioError> {
    let per_cpu_queues = one_of(
        file.queues.as_deref(),
        "scheduler.queues",
        "layout",
        &[("global", false), ("per_cpu", true)],
        false,
    )?;
    if per_cpu_queues && !fifo_policy(policy) {
        return Err(ScenarioError::invalid(
            "scheduler.queues",
            "per-CPU queues work with the fcfs and rr policies",
        ));
    }
    if let Some(steal) = file.steal_every {
        if !per_cpu_queues {
            return Err(ScenarioError::invalid(
                "scheduler.steal_every",
                "stealing needs `queues: per_cpu` (with one queue there is nothing to steal)",
            ));
        }
        positive(steal, "scheduler.steal_every")?;
        at_most_max_ticks(steal, "scheduler.steal_every")?;
    }
    let global_slices = one_of(
        file.slices.as_deref(),
        "scheduler.slices",
        "slices",
        &[("per_dispatch", false), ("global", true)],
        false,
    )?;
    if global_slices && !matches!(policy, PolicyConfig::Rr { .. }) {
        return Err(ScenarioError::invalid(
            "scheduler.slices",
            "global time slices need the rr policy (its quantum is the slice)",
        ));
    }
    let shuffled_dispatch = one_of(
        file.dispatch.as_deref(),
        "scheduler.dispatch",
        "order",
        &[("lowest_first", false), ("shuffled", true)],
        false,
    )?;
    if shuffled_dispatch && !fifo_policy(policy) {
        return Err(ScenarioError::invalid(
            "scheduler.dispatch",
            "a shuffled dispatch works with the fcfs and rr policies",
        ));
    }
    let steal_check_multi_py = one_of(
        file.steal_check.as_deref(),
        "scheduler.steal_check",
        "check",
        &[("affinity", false), ("multi_py", true)],
        false,
    )?;
    Ok(SchedulerConfig {
        steal_check_multi_py,
        shuffled_dispatch,
        per_cpu_queues,
        steal_every: file.steal_every,
        global_slices,
        skip_draws: file.skip_draws.unwrap_or(0).min(MAX_COUNT),
    })
}

fn validate_cache(file: super::file::CacheFile) -> Result<CacheConfig, ScenarioError> {
    positive(file.warm_rate, "cache.warm_rate")?;
    at_most_max_ticks(file.warmup, "cache.warmup")?;
    Ok(CacheConfig {
        size: file.size,
        warmup_ticks: file.warmup,
        warm_rate: file.warm_rate.min(MAX_COUNT),
    })
}

/// A process's `affinity:` list: CPU numbers below `cpus`.
fn validate_affinity(
    affinity: Option<&[u64]>,
    cpus: u64,
    path: impl Display,
) -> Result<Vec<usize>, ScenarioError> {
    let Some(affinity) = affinity else {
        return Ok(Vec::new());
    };
    if affinity.is_empty() {
        return Err(ScenarioError::invalid(
            format!("{path}.affinity"),
            "expected at least one CPU (leave `affinity` out for any CPU)",
        ));
    }
    affinity
        .iter()
        .enumerate()
        .map(|(index, &cpu)| {
            if cpu >= cpus {
                Err(ScenarioError::invalid(
                    format!("{path}.affinity[{index}]"),
                    format!("expected a CPU from 0 to {}, got {cpu}", cpus - 1),
                ))
            } else {
                Ok(cpu as usize)
            }
        })
        .collect()
}

/// The variables of `globals:` or `shared:` (`section`), in name order; `reg` is the
/// register's name and may not name a variable.
fn validate_variables(
    variables: std::collections::BTreeMap<String, i64>,
    section: &str,
) -> Result<Vec<VariableSpec>, ScenarioError> {
    if variables.len() as u64 > MAX_COUNT {
        return Err(ScenarioError::invalid(section, "too many variables"));
    }
    variables
        .into_iter()
        .map(|(name, initial)| {
            let path = format!("{section}.{name}");
            plain_text(&name, &path, false)?;
            if name == "reg" || name == "children" || name.trim().is_empty() || !name.chars().all(|c| c.is_alphanumeric() || c == '_') {
                return Err(ScenarioError::invalid(
                    path,
                    format!("`{name}` cannot name a variable: use letters, digits and `_` (`reg` is the register, `children` the number of children)"),
                ));
            }
            Ok(VariableSpec { name, initial })
        })
        .collect()
}

/// The pools, each with at least one worker (default: one per CPU, as `Pool()`).
fn validate_pools(
    files: Vec<super::PoolFile>,
    cpus: usize,
) -> Result<Vec<PoolSpec>, ScenarioError> {
    let mut pools: Vec<PoolSpec> = Vec::new();
    for (index, pool) in files.into_iter().enumerate() {
        let path = format!("pools[{index}]");
        plain_text(&pool.name, format!("{path}.name"), false)?;
        let name = pool.name.trim().to_string();
        if name.is_empty() || pools.iter().any(|p| p.name == name) {
            return Err(ScenarioError::invalid(
                format!("{path}.name"),
                format!("expected a name no other pool has, got `{name}`"),
            ));
        }
        let workers = pool.workers.unwrap_or(cpus as u64);
        if workers == 0 || workers > MAX_POOL_WORKERS {
            return Err(ScenarioError::invalid(
                format!("{path}.workers"),
                format!("expected 1 to {MAX_POOL_WORKERS} workers, got {workers}"),
            ));
        }
        pools.push(PoolSpec {
            name,
            workers: workers as usize,
        });
    }
    Ok(pools)
}

/// Most workers a pool may have.
pub const MAX_POOL_WORKERS: u64 = 10_000;

/// `monkey_patch: true` (gevent's `patch_all()`), `false`, or `{modules: [...]}` naming some
/// of time, socket, select, os.
fn validate_monkey_patch(
    patch: Option<super::MonkeyPatchFile>,
    path: impl Display,
) -> Result<super::MonkeyPatch, ScenarioError> {
    use super::{MonkeyPatch, MonkeyPatchFile};
    Ok(match patch {
        None | Some(MonkeyPatchFile::All(false)) => MonkeyPatch::default(),
        Some(MonkeyPatchFile::All(true)) => MonkeyPatch::ALL,
        Some(MonkeyPatchFile::Modules(modules)) => {
            let mut patch = MonkeyPatch::default();
            for (index, module) in modules.modules.iter().enumerate() {
                let slot = match module.trim() {
                    "time" => &mut patch.time,
                    "socket" => &mut patch.socket,
                    "select" => &mut patch.select,
                    "os" => &mut patch.os,
                    other => {
                        return Err(ScenarioError::invalid(
                            format!("{path}.modules[{index}]"),
                            format!(
                                "unknown module `{other}`, expected one of {}",
                                MonkeyPatch::MODULES.join(", ")
                            ),
                        ));
                    }
                };
                *slot = true;
            }
            patch
        }
    })
}

/// `gil: true` (CPython's default interval, switching at calls), `false`, or
/// `{switch_interval: N, switch_points: calls|any}` with N ≥ 1.
fn validate_gil(
    gil: Option<super::GilFile>,
    path: impl Display,
) -> Result<Option<super::GilOptions>, ScenarioError> {
    use super::{GilFile, GilOptions, SwitchPoints};
    match gil {
        None | Some(GilFile::On(false)) => Ok(None),
        Some(GilFile::On(true)) => Ok(Some(GilOptions {
            switch_interval: super::DEFAULT_SWITCH_INTERVAL,
            switch_points: SwitchPoints::default(),
        })),
        Some(GilFile::Interval(options)) => {
            let switch_interval = match options.switch_interval {
                Some(ticks) => {
                    let path = format!("{path}.switch_interval");
                    positive(ticks, &path)?;
                    at_most_max_ticks(ticks, &path)?;
                    ticks
                }
                None => super::DEFAULT_SWITCH_INTERVAL,
            };
            let switch_points = match options.switch_points.as_deref() {
                None => SwitchPoints::default(),
                Some(name) => SwitchPoints::NAMES
                    .iter()
                    .find(|(known, _)| *known == name.trim())
                    .map(|(_, points)| *points)
                    .ok_or_else(|| {
                        ScenarioError::invalid(
                            format!("{path}.switch_points"),
                            format!("unknown switch points `{name}`, expected `calls` or `any`"),
                        )
                    })?,
            };
            Ok(Some(GilOptions {
                switch_interval,
                switch_points,
            }))
        }
    }
}

fn validate_devices(files: Vec<super::DeviceFile>) -> Result<Vec<Device>, ScenarioError> {
    let mut devices = vec![Device {
        name: DEFAULT_DEVICE_NAME.to_string(),
        servers: None,
    }];
    for (index, device) in files.into_iter().enumerate() {
        let path = format!("devices[{index}]");
        plain_text(&device.name, format!("{path}.name"), false)?;
        if device.name.trim().is_empty() {
            return Err(ScenarioError::invalid(
                format!("{path}.name"),
                "must not be empty",
            ));
        }
        if devices.iter().any(|known| known.name == device.name) {
            let why = if device.name == DEFAULT_DEVICE_NAME {
                format!("`{DEFAULT_DEVICE_NAME}` is the name of the default device")
            } else {
                format!("duplicate device name `{}`", device.name)
            };
            return Err(ScenarioError::invalid(format!("{path}.name"), why));
        }
        let servers = device.servers.unwrap_or(1);
        if servers == 0 {
            return Err(ScenarioError::invalid(
                format!("{path}.servers"),
                "expected at least 1 server, got 0",
            ));
        }
        devices.push(Device {
            name: device.name,
            servers: Some(servers as usize),
        });
    }
    Ok(devices)
}

/// An element of a list of the file, as errors name it (`processes[3]`).
#[derive(Clone, Copy)]
struct ElementPath {
    list: &'static str,
    index: usize,
}

impl ElementPath {
    /// A field of the element: `processes[3].arrival`.
    fn field(self, name: &'static str) -> FieldPath {
        FieldPath {
            element: self,
            field: name,
        }
    }
}

impl Display for ElementPath {
    fn fmt(&self, out: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(out, "{}[{}]", self.list, self.index)
    }
}

/// A field of an element of a list (`processes[3].arrival`), formatted only when an error
/// names it.
#[derive(Clone, Copy)]
struct FieldPath {
    element: ElementPath,
    field: &'static str,
}

impl Display for FieldPath {
    fn fmt(&self, out: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(out, "{}.{}", self.element, self.field)
    }
}

fn tickets_at_least_one(tickets: u64, path: impl Display) -> Result<(), ScenarioError> {
    if tickets == 0 {
        Err(ScenarioError::invalid(
            path.to_string(),
            "expected at least 1 ticket, got 0",
        ))
    } else if tickets > MAX_TICKETS {
        Err(ScenarioError::invalid(
            path.to_string(),
            format!("expected at most {MAX_TICKETS} tickets, got {tickets}"),
        ))
    } else {
        Ok(())
    }
}

fn positive(ticks: u64, path: impl Display + Copy) -> Result<(), ScenarioError> {
    if ticks == 0 {
        Err(ScenarioError::invalid(
            path.to_string(),
            "expected a positive number of ticks, got 0",
        ))
    } else {
        at_most_max_ticks(ticks, path)
    }
}

/// Every time and duration is at most [`MAX_TICKS`], so that the engine's sums of them stay
/// far from overflowing (see `limits::MAX_TIME`).
pub(super) fn at_most_max_ticks(ticks: u64, path: impl Display) -> Result<(), ScenarioError> {
    if ticks > MAX_TICKS {
        Err(ScenarioError::invalid(
            path.to_string(),
            format!("expected at most {MAX_TICKS} ticks, got {ticks}"),
        ))
    } else {
        Ok(())
    }
}

/// Names (and the description) reach terminals, traces with one event per line, and grading
/// outputs: no control characters (ESC, BEL, NUL, ...), and no line breaks but in a
/// description.
pub(super) fn plain_text(text: &str, path: impl Display, lines: bool) -> Result<(), ScenarioError> {
    match crate::text::control_char(text, lines) {
        Some(c) => Err(ScenarioError::invalid(
            path.to_string(),
            format!(
                "must not contain control characters, found {}",
                c.escape_default()
            ),
        )),
        None => Ok(()),
    }
}

fn at_most(ticks: u64, path: impl Display) -> Result<u64, ScenarioError> {
    at_most_max_ticks(ticks, path).map(|()| ticks)
}

/// A count of instances, items or claims is at most [`MAX_COUNT`].
pub(super) fn at_most_max_count(count: u64, path: impl Display) -> Result<(), ScenarioError> {
    if count > MAX_COUNT {
        Err(ScenarioError::invalid(
            path.to_string(),
            format!("expected at most {MAX_COUNT}, got {count}"),
        ))
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error_of(text: &str) -> String {
        Scenario::from_yaml(text)
            .unwrap_err()
            .unlocated()
            .one_line("s.yaml")
    }

    #[test]
    fn reads_the_documented_example() {
        let scenario = Scenario::from_yaml(
            "name: Example\ncpus: 1\npolicy: {kind: rr, quantum: 4}\n\
             devices: [{name: disk, servers: 1}]\nprocesses:\n\
             - {name: P1, arrival: 0, priority: 3, burst: 24}\n\
             - name: P2\n  arrival: 2\n  program: [{cpu: 3}, {io: 5}, {cpu: 2}, {io: {device: disk, time: 4}}, {cpu: 1}]\n",
        )
        .unwrap();
        assert_eq!(
            scenario.policy,
            super::super::PolicyConfig::Rr { quantum_ticks: 4 }
        );
        assert_eq!(scenario.processes[1].program.len(), 5);
        assert_eq!(
            scenario.processes[1].program[3],
            Step::Io {
                device: DeviceId(1),
                ticks: 4
            }
        );
    }

    #[test]
    fn the_gui_focus_is_the_files_word_or_chosen_by_use() {
        use super::super::Focus;
        let focus = |text: &str| Scenario::from_yaml(text).unwrap().focus();
        let base = "name: x\npolicy: fcfs\n";
        assert_eq!(
            focus(&format!(
                "{base}gui: {{focus: tree}}\nprocesses: [{{name: A, burst: 1}}]"
            )),
            Focus::Tree
        );
        assert_eq!(
            focus(&format!("{base}processes: [{{name: A, burst: 1}}]")),
            Focus::Averages
        );
        assert_eq!(
            focus(&format!(
                "{base}shared: {{n: 0}}\nprocesses: [{{name: A, program: [{{read: n}}, {{add: 1}}, {{write: n}}]}}]"
            )),
            Focus::Variables
        );
        assert_eq!(
            focus(&format!(
                "{base}resources: [{{name: a}}]\nprocesses: [{{name: A, program: [{{acquire: a}}, {{release: a}}]}}]"
            )),
            Focus::Resources
        );
        assert_eq!(
            focus(&format!(
                "{base}processes: [{{name: A, program: [{{fork: {{name: C, program: [{{cpu: 1}}]}}}}]}}]"
            )),
            Focus::Tree
        );
        assert_eq!(
            error_of(&format!(
                "{base}gui: {{focus: gantt}}\nprocesses: [{{name: A, burst: 1}}]"
            )),
            "s.yaml: gui.focus: unknown focus `gantt`, expected variables, resources, tree, \
             pools, sockets, gil or averages"
        );
        let located = Scenario::from_yaml(&format!(
            "{base}gui: {{focus: gantt}}\nprocesses: [{{name: A, burst: 1}}]"
        ))
        .unwrap_err()
        .detailed("s.yaml");
        assert!(located.contains("s.yaml:3:"), "{located}");
        assert!(
            error_of(&format!(
                "{base}gui: {{focus: tree, colour: red}}\nprocesses: [{{name: A, burst: 1}}]"
            ))
            .contains("colour"),
        );
    }

    #[test]
    fn semantic_errors_name_the_field() {
        assert_eq!(
            error_of("name: x\npolicy: {kind: rr, quantum: 0}\nprocesses: [{name: A, burst: 1}]"),
            "s.yaml: policy.quantum: expected a quantum of at least 1 tick, got 0"
        );
        assert_eq!(
            error_of(
                "name: x\npolicy: fcfs\nprocesses: [{name: A, burst: 1}, {name: A, burst: 2}]"
            ),
            "s.yaml: processes[1].name: duplicate process name `A`"
        );
        assert!(
            error_of("name: x\npolicy: fcfs\nprocesses: [{name: A, program: [{io: {device: tape, time: 1}}]}]")
                .contains("processes[0].program[0].io.device: unknown device `tape`")
        );
        assert!(
            error_of("name: x\npolicy: lotto\nprocesses: [{name: A, burst: 1}]")
                .contains("unknown policy")
        );
        assert!(
            error_of("name: x\npolicy: fcfs\nprocesses: [{name: A, burst: 0}]")
                .contains("processes[0].burst")
        );
    }

    #[test]
    fn syntax_errors_carry_line_and_column() {
        assert!(
            error_of("name: x\npolicy: fcfs\nprocesses:\n  - {name: A, bursts: 1}\n")
                .starts_with("s.yaml:4:")
        );
    }
}
