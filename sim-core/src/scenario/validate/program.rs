//! Checks of the processes' programs: each step, forks (and their children's programs), and
//! the names steps refer to (devices, resources, events, queues, children).

use super::named::NamedUse;
use super::*;
use crate::scenario::{AmountFile, ConditionValue};

/// What a program's steps may refer to.
pub(super) struct Context<'a> {
    /// The named programs (`programs:`).
    pub(super) programs: &'a std::collections::BTreeMap<String, Vec<ProgramEntry>>,
    /// Each named program compiled for a kind of use (in a pool task or not), before the
    /// programs that use it ([`super::named`]).
    pub(super) compiled: std::cell::RefCell<std::collections::BTreeMap<NamedUse, Program>>,
    /// The programs whose steps `call`s are copying, outermost first.
    pub(super) calling: std::cell::RefCell<Vec<String>>,
    /// Steps `call`s have copied so far (at most [`MAX_EXPANDED_STEPS`]).
    pub(super) expanded_steps: std::cell::Cell<usize>,
    pub(super) devices: &'a [Device],
    pub(super) sync: &'a SyncConfig,
    /// Each channel (queue, socket, pipe) by name, for lookups that stay fast with 100,000
    /// (a B-tree: no hashing, whose seed would differ from run to run).
    pub(super) channel_index: std::collections::BTreeMap<&'a str, QueueId>,
    pub(super) globals: &'a [VariableSpec],
    pub(super) shared: &'a [VariableSpec],
    pub(super) pools: &'a [PoolSpec],
    pub(super) runtime: Runtime,
    /// The thread names of each process being checked (innermost last): unique per process.
    pub(super) thread_names: std::cell::RefCell<Vec<BTreeSet<String>>>,
    /// `priority_from: nice`: a process's priority is its nice value.
    pub(super) from_nice: bool,
    /// Whether the steps being checked are a pool task's own (where `return` and `{i}` are).
    pub(super) in_task: std::cell::Cell<bool>,
    /// The names `apply_async` gave its results (`as: R`) so far, for `get_result`.
    pub(super) async_results: std::cell::RefCell<BTreeSet<String>>,
    /// The list variables `map` fills (`as: L`) so far, for `print`.
    pub(super) lists: std::cell::RefCell<BTreeSet<String>>,
}

impl Context<'_> {
    /// Checks `check` with the steps it checks being (or not) a pool task's own.
    fn in_function<T>(&self, task: bool, check: impl FnOnce() -> T) -> T {
        let outer = self.in_task.replace(task);
        let result = check();
        self.in_task.set(outer);
        result
    }
}

/// The program of a whole process (a scenario's, or a forked child's own): its spawns'
/// names must differ from each other.
pub(super) fn validate_process_program(
    entries: &[ProgramEntry],
    context: &Context,
    path: &str,
) -> Result<Program, ScenarioError> {
    context.thread_names.borrow_mut().push(BTreeSet::new());
    let program = context.in_function(false, || validate_program(entries, context, path));
    context.thread_names.borrow_mut().pop();
    program
}

/// The signal called `name` (`SIGUSR1`).
fn signal_named(name: &str, path: &str) -> Result<Signal, ScenarioError> {
    Signal::ALL
        .into_iter()
        .find(|s| s.name() == name.trim())
        .ok_or_else(|| {
            let names: Vec<&str> = Signal::ALL.iter().map(|s| s.name()).collect();
            ScenarioError::invalid(
                path,
                format!(
                    "unknown signal `{}`, expected one of {}",
                    name.trim(),
                    names.join(", ")
                ),
            )
        })
}

/// A nice value: −20 (most favoured) to 19, as setpriority(2) takes.
pub(super) fn nice_value(nice: i64, path: impl std::fmt::Display) -> Result<i64, ScenarioError> {
    if (-20..=19).contains(&nice) {
        Ok(nice)
    } else {
        Err(ScenarioError::invalid(
            path.to_string(),
            format!("expected a nice value from -20 to 19, got {nice}"),
        ))
    }
}

/// A program name: a word (letters, digits, `_`, `-`), as `worker`.
pub(super) fn check_program_name(name: &str) -> Result<(), ScenarioError> {
    let word = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-');
    if word {
        Ok(())
    } else {
        Err(ScenarioError::invalid(
            format!("programs.{name}"),
            format!(
                "a program's name is a word such as `worker` (letters, digits, `_`, `-`), got `{name}`"
            ),
        ))
    }
}

/// The steps of the named program `name`, whose errors are reported under
/// `programs.NAME`; an error at `path` when no program has that name.
fn named_entries<'p>(
    name: &str,
    context: &Context<'p>,
    path: &str,
) -> Result<(&'p [ProgramEntry], String), ScenarioError> {
    let name = name.trim();
    let Some(entries) = context.programs.get(name) else {
        let known: Vec<&str> = context.programs.keys().map(String::as_str).collect();
        return Err(ScenarioError::invalid(
            path,
            if known.is_empty() {
                format!("unknown program `{name}`: the scenario declares none under `programs:`")
            } else {
                format!(
                    "unknown program `{name}`, expected one of {}",
                    known.join(", ")
                )
            },
        ));
    };
    Ok((entries, format!("programs.{name}")))
}

/// The program a field gives: its own steps, compiled by `compile` (given the steps and the
/// path of their errors), or a named program, compiled already.
pub(super) fn program_of(
    file: &ProgramFile,
    context: &Context,
    path: &str,
    compile: impl FnOnce(&[ProgramEntry], &str) -> Result<Program, ScenarioError>,
) -> Result<Program, ScenarioError> {
    match file {
        ProgramFile::Steps(entries) => compile(entries, path),
        ProgramFile::Named(name) => {
            named_entries(name, context, path)?;
            let key = (name.trim().to_string(), context.in_task.get());
            context.compiled.borrow().get(&key).cloned().ok_or_else(|| {
                ScenarioError::invalid(
                    path,
                    format!("program `{}` could not be compiled for this use", key.0),
                )
            })
        }
    }
}

/// Compiles the named programs, each before those that use it ([`super::named`]).
pub(super) fn compile_named_programs(
    context: &Context,
    roots: &[&ProgramFile],
) -> Result<(), ScenarioError> {
    for (name, in_task) in named::compile_order(context.programs, roots)? {
        let path = format!("programs.{name}");
        let entries = &context.programs[&name];
        context.thread_names.borrow_mut().push(BTreeSet::new());
        let program = context.in_function(in_task, || validate_program(entries, context, &path));
        context.thread_names.borrow_mut().pop();
        context
            .compiled
            .borrow_mut()
            .insert((name, in_task), program?);
    }
    Ok(())
}

pub(super) fn validate_program(
    entries: &[ProgramEntry],
    context: &Context,
    path: &str,
) -> Result<Program, ScenarioError> {
    if entries.is_empty() {
        return Err(ScenarioError::invalid(path, "expected at least one step"));
    }
    if runs_nothing(entries) {
        return Err(ScenarioError::invalid(
            path,
            "every step is inside a `repeat: 0`: the program has no step to run",
        ));
    }
    let mut program = Vec::with_capacity(entries.len());
    append_entries(entries, context, path, &mut program)?;
    Ok(Arc::from(program))
}

/// Whether every entry is inside a `repeat: 0`.
fn runs_nothing(entries: &[ProgramEntry]) -> bool {
    entries.iter().all(|entry| match entry {
        ProgramEntry::Repeat(repeat) => {
            repeat.repeat == 0 || (!repeat.steps.is_empty() && runs_nothing(&repeat.steps))
        }
        ProgramEntry::Try(block) => runs_nothing(&block.steps) && runs_nothing(&block.handler),
        ProgramEntry::If(_)
        | ProgramEntry::Step(_)
        | ProgramEntry::Fallible(..)
        | ProgramEntry::Select(_) => false,
    })
}

/// `{select: {read: [...], write: [...], timeout: N}, on: {...}, else: [...]}` (or `poll`,
/// `epoll_wait`; `{select: [S1, S2], ...}` reads only): the call, then each ready channel's
/// branch behind an `IfSelected`, then (when it may time out) its `else` behind a `Jump`.
fn append_select(
    select: &SelectFile,
    context: &Context,
    path: &str,
    program: &mut Vec<Step>,
) -> Result<(), ScenarioError> {
    let call = match select.call.as_str() {
        "select" => Multiplexer::Select,
        "poll" => Multiplexer::Poll,
        _ => Multiplexer::Epoll,
    };
    let key = call.name();
    if select.sockets.is_empty() && select.write.is_empty() {
        return Err(ScenarioError::invalid(
            format!("{path}.{key}"),
            "expected at least one socket to watch",
        ));
    }
    // Reads: sockets and pipes; writes: those and queues (a bounded queue has room or not).
    let mut ready_order = Vec::new();
    let mut seen: BTreeSet<QueueId> = BTreeSet::new();
    for (list, set, kinds) in [
        (
            &select.sockets,
            "read",
            &[ChannelKind::Socket, ChannelKind::Pipe][..],
        ),
        (
            &select.write,
            "write",
            &[ChannelKind::Socket, ChannelKind::Pipe, ChannelKind::Queue][..],
        ),
    ] {
        for (index, name) in list.iter().enumerate() {
            let at = if select.write.is_empty() && select.timeout.is_none() {
                format!("{path}.{key}[{index}]")
            } else {
                format!("{path}.{key}.{set}[{index}]")
            };
            let queue = channel_named(context, name, kinds, &at)?;
            if !seen.insert(queue) {
                return Err(ScenarioError::invalid(
                    at,
                    format!("`{}` is watched twice", name.trim()),
                ));
            }
            ready_order.push((queue, name.trim().to_string(), set == "write"));
        }
    }
    let watched_names: BTreeSet<&str> = ready_order
        .iter()
        .map(|(_, watched, _)| watched.as_str())
        .collect();
    if let Some(stray) = select
        .on
        .keys()
        .find(|name| !watched_names.contains(name.trim()))
    {
        return Err(ScenarioError::invalid(
            format!("{path}.on.{stray}"),
            format!("`{stray}` is not among the sockets the step watches"),
        ));
    }
    let wait = match select.timeout {
        None => Waiting::Block,
        // `timeout=0`: look once, never block.
        Some(0) => Waiting::NoWait {
            otherwise: usize::MAX,
        },
        Some(_) => waiting(select.timeout, None, &format!("{path}.{key}"))?,
    };
    if select.otherwise.is_some() && wait == Waiting::Block {
        return Err(ScenarioError::invalid(
            format!("{path}.else"),
            "`else` runs when the timeout runs out with nothing ready: give the call a `timeout`",
        ));
    }
    let at = program.len();
    let watched: Vec<QueueId> = ready_order
        .iter()
        .filter(|(_, _, write)| !write)
        .map(|(queue, ..)| *queue)
        .collect();
    let writing: Vec<QueueId> = ready_order
        .iter()
        .filter(|(_, _, write)| *write)
        .map(|(queue, ..)| *queue)
        .collect();
    program.push(Step::Select {
        call,
        watched: Arc::from(watched),
        writing: Arc::from(writing),
        wait,
    });
    // Each ready channel's branch, in the order the step lists them (reads, then writes).
    for (queue, name, _) in &ready_order {
        let Some(branch) = select.on.get(name) else {
            continue;
        };
        let branch_at = program.len();
        program.push(Step::IfSelected {
            queue: *queue,
            skip_to: 0,
        });
        append_entries(branch, context, &format!("{path}.on.{name}"), program)?;
        program[branch_at] = Step::IfSelected {
            queue: *queue,
            skip_to: program.len(),
        };
    }
    let gave_up_at = match &select.otherwise {
        Some(otherwise) => {
            let jump = program.len();
            program.push(Step::Jump { target: 0 });
            let start = program.len();
            append_entries(otherwise, context, &format!("{path}.else"), program)?;
            program[jump] = Step::Jump {
                target: program.len(),
            };
            start
        }
        None => program.len(),
    };
    if let Step::Select {
        wait: Waiting::Timeout { otherwise, .. } | Waiting::NoWait { otherwise },
        ..
    } = &mut program[at]
    {
        *otherwise = gave_up_at;
    }
    Ok(())
}

/// Validates `entries` and compiles them onto the end of `program`: a `repeat` becomes its
/// body between a `RepeatStart` and a `RepeatEnd` (never unrolled), an `if` its branches behind
/// a `JumpUnless` (and a `Jump` over the `else`).
fn append_entries(
    entries: &[ProgramEntry],
    context: &Context,
    path: &str,
    program: &mut Vec<Step>,
) -> Result<(), ScenarioError> {
    let mut exits_at: Option<usize> = None;
    for (index, entry) in entries.iter().enumerate() {
        let path = format!("{path}[{index}]");
        if let Some(exit) = exits_at {
            return Err(ScenarioError::invalid(
                path,
                format!("this step is never reached: the program exits at step {exit}"),
            ));
        }
        match entry {
            ProgramEntry::Step(StepFile::Call(call)) => {
                // `p.run()`: the named program's steps, copied here.
                let call_path = format!("{path}.call.program");
                let (called, called_path) = named_entries(&call.program, context, &call_path)?;
                if context.calling.borrow().len() >= MAX_CALL_DEPTH {
                    return Err(ScenarioError::invalid(
                        call_path,
                        format!("`call`s nest at most {MAX_CALL_DEPTH} deep"),
                    ));
                }
                context
                    .calling
                    .borrow_mut()
                    .push(call.program.trim().to_string());
                let start = program.len();
                let appended = append_entries(called, context, &called_path, program);
                context.calling.borrow_mut().pop();
                appended?;
                let total = context
                    .expanded_steps
                    .get()
                    .saturating_add(program.len() - start);
                context.expanded_steps.set(total);
                if total > MAX_EXPANDED_STEPS {
                    return Err(ScenarioError::invalid(
                        call_path,
                        format!(
                            "`call`s copy more than {MAX_EXPANDED_STEPS} steps in all (each \
                             copies the steps of the program it calls): call fewer times over"
                        ),
                    ));
                }
            }
            ProgramEntry::Step(step) => {
                let mut step = validate_step(step, context, &path)?;
                if matches!(step, Step::Exit { .. }) {
                    exits_at = Some(index);
                }
                // Without `else`, a step that gives up goes on with the next one.
                give_up_at(&mut step, program.len() + 1);
                program.push(step);
            }
            ProgramEntry::Fallible(step, otherwise) => {
                let at = program.len();
                program.push(validate_step(step, context, &path)?);
                program.push(Step::Jump { target: 0 });
                if !give_up_at(&mut program[at], at + 2) {
                    return Err(ScenarioError::invalid(
                        format!("{path}.else"),
                        "`else` runs when a step gives up: give the step a `timeout` or `block: false`",
                    ));
                }
                append_entries(otherwise, context, &format!("{path}.else"), program)?;
                program[at + 1] = Step::Jump {
                    target: program.len(),
                };
            }
            ProgramEntry::Repeat(repeat) => {
                if repeat.steps.is_empty() {
                    return Err(ScenarioError::invalid(
                        format!("{path}.steps"),
                        "expected at least one step to repeat",
                    ));
                }
                if repeat.repeat > MAX_COUNT {
                    return Err(ScenarioError::invalid(
                        format!("{path}.repeat"),
                        format!("expected at most {MAX_COUNT} times, got {}", repeat.repeat),
                    ));
                }
                if repeat.repeat > 1
                    && matches!(
                        repeat.steps.last(),
                        Some(ProgramEntry::Step(StepFile::Exit(_)))
                    )
                {
                    return Err(ScenarioError::invalid(
                        format!("{path}.repeat"),
                        format!(
                            "the steps end with `exit`, so only the first of {} times would run",
                            repeat.repeat
                        ),
                    ));
                }
                let start = program.len();
                program.push(Step::RepeatStart {
                    count: repeat.repeat,
                    end: 0,
                });
                append_entries(&repeat.steps, context, &format!("{path}.steps"), program)?;
                program.push(Step::RepeatEnd { start });
                let end = program.len();
                program[start] = Step::RepeatStart {
                    count: repeat.repeat,
                    end,
                };
            }
            ProgramEntry::Select(select) => {
                append_select(select, context, &path, program)?;
            }
            ProgramEntry::Try(block) => {
                if context.runtime != Runtime::Python {
                    return Err(ScenarioError::invalid(
                        format!("{path}.try"),
                        "`try` catches what a failing step raises, which only happens under \
                         `runtime: python`",
                    ));
                }
                if block.steps.is_empty() {
                    return Err(ScenarioError::invalid(
                        format!("{path}.try"),
                        "expected at least one step",
                    ));
                }
                let start = program.len();
                program.push(Step::TryStart { handler: 0 });
                append_entries(&block.steps, context, &format!("{path}.try"), program)?;
                let end_of_steps = program.len();
                program.push(Step::TryEnd { end: 0 });
                let handler = program.len();
                append_entries(&block.handler, context, &format!("{path}.except"), program)?;
                program[start] = Step::TryStart { handler };
                program[end_of_steps] = Step::TryEnd { end: program.len() };
            }
            ProgramEntry::If(branch) => {
                let condition =
                    validate_condition(&branch.condition, context, &format!("{path}.if"))?;
                if branch.then.is_empty() {
                    return Err(ScenarioError::invalid(
                        format!("{path}.then"),
                        "expected at least one step",
                    ));
                }
                let test = program.len();
                program.push(Step::JumpUnless {
                    condition: condition.clone(),
                    target: 0,
                });
                append_entries(&branch.then, context, &format!("{path}.then"), program)?;
                let target = match &branch.otherwise {
                    Some(otherwise) => {
                        let jump = program.len();
                        program.push(Step::Jump { target: 0 });
                        let start = program.len();
                        append_entries(otherwise, context, &format!("{path}.else"), program)?;
                        program[jump] = Step::Jump {
                            target: program.len(),
                        };
                        start
                    }
                    None => program.len(),
                };
                program[test] = Step::JumpUnless { condition, target };
            }
        }
    }
    Ok(())
}

/// `N` (the default device) or `{device: NAME, time: N}`, at `path` (`...io` or `...async_io`).
/// With `zero`, 0 ticks is allowed (an `io` that completes the instant it is issued).
fn validate_io(
    io: &IoFile,
    context: &Context,
    path: &str,
    zero: bool,
) -> Result<(DeviceId, u64), ScenarioError> {
    let devices = context.devices;
    let length = |ticks: u64, path: &str| {
        if zero {
            super::at_most_max_ticks(ticks, path)
        } else {
            positive(ticks, path)
        }
    };
    match io {
        IoFile::Ticks(ticks) => {
            length(*ticks, path)?;
            Ok((DeviceId::DEFAULT, *ticks))
        }
        IoFile::OnDevice(io) => {
            length(io.time, &format!("{path}.time"))?;
            let device = devices
                .iter()
                .position(|device| device.name == io.device)
                .ok_or_else(|| {
                    let known: Vec<&str> = devices.iter().map(|d| d.name.as_str()).collect();
                    ScenarioError::invalid(
                        format!("{path}.device"),
                        format!(
                            "unknown device `{}`, expected one of {} (declare it under `devices:`)",
                            io.device,
                            known.join(", ")
                        ),
                    )
                })?;
            Ok((DeviceId(device), io.time))
        }
    }
}

/// The event called `name`.
fn event_named(context: &Context, name: &str, path: &str) -> Result<FlagId, ScenarioError> {
    lookup(
        context.sync.events.iter().map(|e| e.name.as_str()),
        name,
        path,
        "event",
        "events",
    )
    .map(FlagId)
}

/// The channel called `name`, of one of `kinds`.
/// Each channel by name (the first, should two share one: as a search in order finds).
pub(super) fn channel_index(sync: &SyncConfig) -> std::collections::BTreeMap<&str, QueueId> {
    let mut index = std::collections::BTreeMap::new();
    for (at, queue) in sync.queues.iter().enumerate() {
        index.entry(queue.name.as_str()).or_insert(QueueId(at));
    }
    index
}

fn channel_named(
    context: &Context,
    name: &str,
    kinds: &[ChannelKind],
    path: &str,
) -> Result<QueueId, ScenarioError> {
    let name = name.trim();
    if let Some(&queue) = context.channel_index.get(name)
        && kinds.contains(&context.sync.queues[queue.0].kind)
    {
        return Ok(queue);
    }
    let candidates = || {
        context
            .sync
            .queues
            .iter()
            .enumerate()
            .filter(|(_, q)| kinds.contains(&q.kind))
    };
    let what: Vec<&str> = kinds.iter().map(|k| k.name()).collect();
    let known: Vec<&str> = candidates().map(|(_, q)| q.name.as_str()).collect();
    Err(ScenarioError::invalid(
        path,
        if known.is_empty() {
            format!(
                "unknown {} `{name}`: the scenario declares none",
                what.join(" or ")
            )
        } else {
            format!(
                "unknown {} `{name}`, expected one of {}",
                what.join(" or "),
                known.join(", ")
            )
        },
    ))
}

/// How a step waits: `timeout: N` (N ≥ 1) or `block: false`, not both; the place it goes on
/// when it gives up is filled in once the program is compiled.
fn waiting(
    timeout: Option<u64>,
    block: Option<bool>,
    path: &str,
) -> Result<Waiting, ScenarioError> {
    match (timeout, block) {
        (Some(_), Some(false)) => Err(ScenarioError::invalid(
            path,
            "give `timeout` or `block: false`, not both",
        )),
        (Some(ticks), _) => {
            positive(ticks, &format!("{path}.timeout"))?;
            at_most_max_ticks(ticks, format!("{path}.timeout"))?;
            Ok(Waiting::Timeout {
                ticks,
                otherwise: usize::MAX,
            })
        }
        (None, Some(false)) => Ok(Waiting::NoWait {
            otherwise: usize::MAX,
        }),
        (None, _) => Ok(Waiting::Block),
    }
}

/// Where `step`, if it may give up, goes on when it does.
fn give_up_at(step: &mut Step, target: usize) -> bool {
    let wait = match step {
        Step::Put { wait, .. }
        | Step::Get { wait, .. }
        | Step::WaitEvent { wait, .. }
        | Step::Acquire { wait, .. } => wait,
        _ => return false,
    };
    match wait {
        Waiting::Timeout { otherwise, .. } | Waiting::NoWait { otherwise } => {
            *otherwise = target;
            true
        }
        Waiting::Block => false,
    }
}

/// The pool called `name`.
fn pool_named(context: &Context, name: &str, path: &str) -> Result<PoolId, ScenarioError> {
    lookup(
        context.pools.iter().map(|p| p.name.as_str()),
        name,
        path,
        "pool",
        "pools",
    )
    .map(PoolId)
}

/// The variable called `name`: a global or a shared one.
fn variable(context: &Context, name: &str, path: &str) -> Result<Variable, ScenarioError> {
    let name = name.trim();
    if let Some(index) = context.globals.iter().position(|v| v.name == name) {
        return Ok(Variable::Global(index));
    }
    if let Some(index) = context.shared.iter().position(|v| v.name == name) {
        return Ok(Variable::Shared(index));
    }
    let known: Vec<&str> = context
        .globals
        .iter()
        .chain(context.shared)
        .map(|v| v.name.as_str())
        .collect();
    Err(ScenarioError::invalid(
        path,
        if known.is_empty() {
            format!(
                "unknown variable `{name}`: the scenario declares none under `globals:` or `shared:`"
            )
        } else {
            format!(
                "unknown variable `{name}`, expected one of {}",
                known.join(", ")
            )
        },
    ))
}

/// `{NAME: {OP: V}}` with NAME `reg`, `children` or a variable, OP one of eq, ne, lt, le, gt,
/// ge; or what a child or thread says of itself: `{child: C, alive: B}`, `{child: C,
/// exitcode: {OP: V}}` (or `exitcode: V`), `{thread: T, alive: B}`.
fn validate_condition(
    condition: &std::collections::BTreeMap<String, ConditionValue>,
    context: &Context,
    path: &str,
) -> Result<Condition, ScenarioError> {
    for subject in SUBJECTS {
        if let Some(name) = condition.get(*subject) {
            return validate_question(subject, name, condition, context, path);
        }
    }
    let mut entries = condition.iter();
    let (Some((name, test)), None) = (entries.next(), entries.next()) else {
        return Err(ScenarioError::invalid(
            path,
            "expected one comparison, as in `{reg: {lt: 3}}`, or a question such as \
             `{child: C, alive: true}`",
        ));
    };
    let operand = if name.trim() == "reg" {
        Operand::Register
    } else if name.trim() == "children" {
        Operand::Children
    } else {
        Operand::Variable(variable(context, name, &format!("{path}.{name}"))?)
    };
    let ConditionValue::Comparison(test) = test else {
        return Err(ScenarioError::invalid(
            format!("{path}.{name}"),
            "expected one comparison, as in `{lt: 3}`",
        ));
    };
    let (comparison, value) = comparison_of(test, &format!("{path}.{name}"))?;
    Ok(Condition {
        operand,
        comparison,
        value,
    })
}

/// `{OP: V}`: one comparison.
fn comparison_of(
    test: &std::collections::BTreeMap<String, i64>,
    path: &str,
) -> Result<(Comparison, i64), ScenarioError> {
    let mut tests = test.iter();
    let (Some((op, value)), None) = (tests.next(), tests.next()) else {
        return Err(ScenarioError::invalid(
            path,
            "expected one comparison, as in `{lt: 3}`",
        ));
    };
    let comparison = Comparison::NAMES
        .iter()
        .find(|(known, _)| known == op)
        .map(|(_, comparison)| *comparison)
        .ok_or_else(|| {
            ScenarioError::invalid(
                format!("{path}.{op}"),
                format!("unknown comparison `{op}`, expected one of eq, ne, lt, le, gt, ge"),
            )
        })?;
    Ok((comparison, *value))
}

/// `names` in backquotes, joined by `separator`.
fn quoted(names: &[&str], separator: &str) -> String {
    names
        .iter()
        .map(|name| format!("`{name}`"))
        .collect::<Vec<_>>()
        .join(separator)
}

/// How a question's answer is written in an `if`.
#[derive(Clone, Copy, PartialEq, Eq)]
enum AnswerForm {
    /// `alive: true`.
    Truth,
    /// `size: 3` or `size: {gt: 2}`.
    Number,
}

/// What each subject may be asked in an `if` (`{SUBJECT: NAME, QUESTION: ANSWER}`), and the
/// method that asks it in a `print` (`{NAME.METHOD}`), as Python spells them.
const QUESTIONS: &[(&str, &str, AnswerForm, &str)] = &[
    ("child", "alive", AnswerForm::Truth, "is_alive()"),
    ("child", "exitcode", AnswerForm::Number, "exitcode"),
    ("thread", "alive", AnswerForm::Truth, "is_alive()"),
    ("queue", "size", AnswerForm::Number, "qsize()"),
    ("queue", "empty", AnswerForm::Truth, "empty()"),
    ("queue", "full", AnswerForm::Truth, "full()"),
    ("event", "is_set", AnswerForm::Truth, "is_set()"),
    ("semaphore", "value", AnswerForm::Number, "get_value()"),
    ("lock", "locked", AnswerForm::Truth, "locked()"),
];

/// The subjects an `if` may ask, in the order they are looked for.
const SUBJECTS: &[&str] = &["child", "thread", "queue", "event", "semaphore", "lock"];

/// The operand that asks `subject` `name` the `question`, its names checked.
fn question_operand(
    subject: &str,
    name: &str,
    question: &str,
    context: &Context,
    path: &str,
) -> Result<Operand, ScenarioError> {
    let name = name.trim();
    let resource = |path: &str| {
        lookup(
            context.sync.resources.iter().map(|r| r.name.as_str()),
            name,
            path,
            "resource",
            "resources",
        )
        .map(ResourceId)
    };
    let queue = |path: &str| channel_named(context, name, &[ChannelKind::Queue], path);
    Ok(match (subject, question) {
        ("child", "alive") => Operand::ChildAlive(name.to_string()),
        ("child", "exitcode") => Operand::ChildExitCode(name.to_string()),
        ("thread", "alive") => Operand::ThreadAlive(name.to_string()),
        ("queue", "size") => Operand::QueueSize(queue(path)?),
        ("queue", "empty") => Operand::QueueEmpty(queue(path)?),
        ("queue", "full") => Operand::QueueFull(queue(path)?),
        ("event", _) => Operand::EventIsSet(event_named(context, name, path)?),
        ("semaphore", _) => Operand::SemaphoreValue(resource(path)?),
        _ => {
            let lock = resource(path)?;
            let instances = context.sync.resources[lock.0].instances;
            if instances > 1 {
                return Err(ScenarioError::invalid(
                    path,
                    format!(
                        "`{name}` is a semaphore of {instances}, not a lock: ask \
                         `{{semaphore: {name}, value: ...}}`"
                    ),
                ));
            }
            Operand::LockLocked(lock)
        }
    })
}

/// `{SUBJECT: NAME, QUESTION: ANSWER}`: `{child: C, alive: true}`, `{queue: Q, size: {gt: 2}}`,
/// `{event: E, is_set: true}`, ... (the table [`QUESTIONS`]).
fn validate_question(
    subject: &str,
    name: &ConditionValue,
    condition: &std::collections::BTreeMap<String, ConditionValue>,
    context: &Context,
    path: &str,
) -> Result<Condition, ScenarioError> {
    let ConditionValue::Name(name) = name else {
        return Err(ScenarioError::invalid(
            format!("{path}.{subject}"),
            format!("expected the name of a {subject}"),
        ));
    };
    let questions: Vec<&str> = QUESTIONS
        .iter()
        .filter(|(s, ..)| *s == subject)
        .map(|(_, question, ..)| *question)
        .collect();
    let asked: Vec<(&String, &ConditionValue)> = condition
        .iter()
        .filter(|(key, _)| *key != subject)
        .collect();
    let [(question, answer)] = asked[..] else {
        return Err(ScenarioError::invalid(
            path,
            format!(
                "expected `{subject}: NAME` and one of {}",
                quoted(&questions, ", ")
            ),
        ));
    };
    let at = format!("{path}.{question}");
    let Some(&(_, _, form, _)) = QUESTIONS
        .iter()
        .find(|(s, q, ..)| *s == subject && q == question)
    else {
        return Err(ScenarioError::invalid(
            at,
            format!(
                "a {subject} is asked {}, not `{question}`",
                quoted(&questions, " or ")
            ),
        ));
    };
    let (comparison, value) = match (form, answer) {
        (AnswerForm::Truth, ConditionValue::Flag(truth)) => (Comparison::Eq, i64::from(*truth)),
        (AnswerForm::Truth, _) => {
            return Err(ScenarioError::invalid(at, "expected `true` or `false`"));
        }
        (AnswerForm::Number, ConditionValue::Number(number)) => (Comparison::Eq, *number),
        (AnswerForm::Number, ConditionValue::Comparison(test)) => comparison_of(test, &at)?,
        (AnswerForm::Number, _) => {
            return Err(ScenarioError::invalid(
                at,
                format!(
                    "expected a number or a comparison, as in `{question}: 2` or \
                     `{question}: {{gt: 0}}`"
                ),
            ));
        }
    };
    Ok(Condition {
        operand: question_operand(
            subject,
            name,
            question,
            context,
            &format!("{path}.{subject}"),
        )?,
        comparison,
        value,
    })
}

/// `{NAME.METHOD}` in a `print`: what an `if` could ask, as Python asks it (`{q.qsize()}`,
/// `{worker.is_alive()}`, `{worker.exitcode}`).
fn print_question(
    text: &str,
    context: &Context,
    path: &str,
) -> Option<Result<Operand, ScenarioError>> {
    let (name, method) = text.split_once('.')?;
    let (name, method) = (name.trim(), method.trim());
    let askers: Vec<&(&str, &str, AnswerForm, &str)> =
        QUESTIONS.iter().filter(|(.., m)| *m == method).collect();
    let Some(&&(subject, question, ..)) = askers.first() else {
        let mut methods: Vec<&str> = Vec::new();
        for (.., method) in QUESTIONS {
            if !methods.contains(method) {
                methods.push(method);
            }
        }
        return Some(Err(ScenarioError::invalid(
            path,
            format!(
                "`{{{text}}}`: unknown question `{method}`, expected one of {}",
                quoted(&methods, ", ")
            ),
        )));
    };
    // `is_alive()` asks a thread of this process when one is called so, else a child.
    let is_thread = context
        .thread_names
        .borrow()
        .last()
        .is_some_and(|threads| threads.contains(name));
    let subject = if question == "alive" && is_thread {
        "thread"
    } else {
        subject
    };
    Some(question_operand(subject, name, question, context, path))
}

/// A `print` text: `{reg}`, `{pid}`, `{tid}` and `{X}` for a variable X are filled in when it
/// runs; `{{` and `}}` are braces.
fn validate_print(
    text: &str,
    context: &Context,
    path: &str,
) -> Result<Vec<PrintPart>, ScenarioError> {
    plain_text(text, path, false)?;
    let mut parts = Vec::new();
    let mut literal = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
                literal.push('{');
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
                literal.push('}');
            }
            '{' => {
                let name: String = chars.by_ref().take_while(|&c| c != '}').collect();
                if !literal.is_empty() {
                    parts.push(PrintPart::Text(std::mem::take(&mut literal)));
                }
                parts.push(match name.trim() {
                    "reg" => PrintPart::Register,
                    "pid" => PrintPart::Pid,
                    "tid" => PrintPart::Tid,
                    // A task's argument shadows a variable called `i`, as in Python.
                    "i" if context.in_task.get() => PrintPart::TaskIndex,
                    list if context.lists.borrow().contains(list) => {
                        PrintPart::List(list.to_string())
                    }
                    other => match print_question(other, context, path) {
                        Some(question) => PrintPart::Question(question?),
                        None => PrintPart::Variable(variable(context, other, path)?),
                    },
                });
            }
            '}' => {
                return Err(ScenarioError::invalid(
                    path,
                    "a lone `}`: write `}}` for a brace",
                ));
            }
            c => literal.push(c),
        }
    }
    if !literal.is_empty() {
        parts.push(PrintPart::Text(literal));
    }
    Ok(parts)
}

/// One step, checked against the scenario's devices, resources, events and queues.
fn validate_step(step: &StepFile, context: &Context, path: &str) -> Result<Step, ScenarioError> {
    Ok(match step {
        StepFile::Cpu(ticks) => {
            positive(*ticks, &format!("{path}.cpu"))?;
            Step::Cpu { ticks: *ticks }
        }
        StepFile::Io(io) => {
            let (device, ticks) = validate_io(io, context, &format!("{path}.io"), true)?;
            Step::Io { device, ticks }
        }
        StepFile::Fork(fork) => Step::Fork(Arc::new(validate_fork(fork, context, path)?)),
        StepFile::Wait(target) => {
            let target = target.trim();
            if target.is_empty() {
                return Err(ScenarioError::invalid(
                    format!("{path}.wait"),
                    "expected `any` or the name of a child",
                ));
            }
            Step::Wait(if target == "any" {
                WaitTarget::Any
            } else {
                WaitTarget::Named(target.to_string())
            })
        }
        StepFile::Exit(code) => match i32::try_from(*code) {
            Ok(code @ 0..=255) => Step::Exit { code },
            _ => {
                return Err(ScenarioError::invalid(
                    format!("{path}.exit"),
                    format!("expected an exit status from 0 to 255, got {code}"),
                ));
            }
        },
        StepFile::Kill(child) => {
            let child = child.trim();
            if child.is_empty() {
                return Err(ScenarioError::invalid(
                    format!("{path}.kill"),
                    "expected the name of a child",
                ));
            }
            Step::Kill {
                child: child.to_string(),
            }
        }
        StepFile::Acquire(amount) | StepFile::Release(amount) => {
            let verb = if matches!(step, StepFile::Acquire(_)) {
                "acquire"
            } else {
                "release"
            };
            let resource = lookup(
                context.sync.resources.iter().map(|r| r.name.as_str()),
                amount.resource(),
                &format!("{path}.{verb}"),
                "resource",
                "resources",
            )
            .map(ResourceId)?;
            let count = amount.count();
            if count == 0 {
                return Err(ScenarioError::invalid(
                    format!("{path}.{verb}.count"),
                    "expected at least 1 instance, got 0",
                ));
            }
            let (timeout, block) = match amount {
                AmountFile::Count(options) => (options.timeout, options.block),
                AmountFile::One(_) => (None, None),
            };
            if verb == "acquire" {
                Step::Acquire {
                    resource,
                    count,
                    wait: waiting(timeout, block, &format!("{path}.acquire"))?,
                }
            } else if timeout.is_some() || block.is_some() {
                return Err(ScenarioError::invalid(
                    format!("{path}.release"),
                    "`release` never waits: `timeout` and `block` belong to `acquire`",
                ));
            } else {
                Step::Release { resource, count }
            }
        }
        StepFile::Set(name) | StepFile::Clear(name) => {
            let key = if matches!(step, StepFile::Set(_)) {
                "set"
            } else {
                "clear"
            };
            let flag = event_named(context, name, &format!("{path}.{key}"))?;
            if key == "set" {
                Step::SetEvent(flag)
            } else {
                Step::ClearEvent(flag)
            }
        }
        StepFile::WaitEvent(EventStepFile::Name(name)) => Step::WaitEvent {
            flag: event_named(context, name, &format!("{path}.wait_event"))?,
            wait: Waiting::Block,
        },
        StepFile::WaitEvent(EventStepFile::Options(options)) => Step::WaitEvent {
            flag: event_named(context, &options.event, &format!("{path}.wait_event.event"))?,
            wait: waiting(
                options.timeout,
                options.block,
                &format!("{path}.wait_event"),
            )?,
        },
        StepFile::Put(channel)
        | StepFile::Get(channel)
        | StepFile::Send(channel)
        | StepFile::Recv(channel) => {
            let (key, messages, sends) = match step {
                StepFile::Put(_) => ("put", false, true),
                StepFile::Get(_) => ("get", false, false),
                StepFile::Send(_) => ("send", true, true),
                _ => ("recv", true, false),
            };
            let path = format!("{path}.{key}");
            let (queue, options) = match channel {
                ChannelStepFile::Name(name) => {
                    let kinds: &[ChannelKind] = if messages {
                        &[ChannelKind::Pipe, ChannelKind::Socket]
                    } else {
                        &[ChannelKind::Queue]
                    };
                    (
                        channel_named(context, name, kinds, &path)?,
                        ChannelOptionsFile::default(),
                    )
                }
                ChannelStepFile::Options(options) => {
                    let given = [
                        (&options.queue, ChannelKind::Queue),
                        (&options.pipe, ChannelKind::Pipe),
                        (&options.socket, ChannelKind::Socket),
                    ];
                    let mut named = given.iter().filter(|(name, _)| name.is_some());
                    let (Some((Some(name), kind)), None) = (named.next(), named.next()) else {
                        let wanted = if messages {
                            "`pipe` or `socket`"
                        } else {
                            "`queue`"
                        };
                        return Err(ScenarioError::invalid(
                            &path,
                            format!("expected one of {wanted}, naming what `{key}` works on"),
                        ));
                    };
                    if kind.is_message_channel() != messages {
                        let wanted = if messages {
                            "a pipe or a socket"
                        } else {
                            "a queue"
                        };
                        return Err(ScenarioError::invalid(
                            format!("{path}.{}", kind.name()),
                            format!("`{key}` works on {wanted}"),
                        ));
                    }
                    (
                        channel_named(context, name, &[*kind], &format!("{path}.{}", kind.name()))?,
                        options.clone(),
                    )
                }
            };
            let carry = match options.value.as_deref().map(str::trim) {
                None => false,
                Some("reg") if sends => true,
                Some("reg") => {
                    return Err(ScenarioError::invalid(
                        format!("{path}.value"),
                        format!(
                            "`{key}` loads the value it takes into the register; `value` belongs to put and send"
                        ),
                    ));
                }
                Some(other) => {
                    return Err(ScenarioError::invalid(
                        format!("{path}.value"),
                        format!("expected `reg` (the register's value), got `{other}`"),
                    ));
                }
            };
            let wait = waiting(options.timeout, options.block, &path)?;
            let one_way = context.sync.queues[queue.0].one_way;
            match (options.end, one_way) {
                (None, _) => {}
                (Some(_), false) => {
                    return Err(ScenarioError::invalid(
                        format!("{path}.end"),
                        "`end` names a connection of a one-way pipe (`duplex: false`); \
                         this one is two-way",
                    ));
                }
                (Some(end @ 2..), true) => {
                    return Err(ScenarioError::invalid(
                        format!("{path}.end"),
                        format!("a pipe has ends 0 (it receives) and 1 (it sends), got {end}"),
                    ));
                }
                // `r.send()` on end 0, `w.recv()` on end 1.
                (Some(end), true) if (end == 0) == sends => {
                    return Ok(Step::WrongEnd {
                        pipe: queue,
                        sending: sends,
                    });
                }
                (Some(_), true) => {}
            }
            if sends {
                Step::Put { queue, carry, wait }
            } else {
                Step::Get { queue, wait }
            }
        }
        StepFile::TaskDone(name) | StepFile::JoinQueue(name) => {
            let key = if matches!(step, StepFile::TaskDone(_)) {
                "task_done"
            } else {
                "join_queue"
            };
            let queue = channel_named(
                context,
                name,
                &[ChannelKind::Queue],
                &format!("{path}.{key}"),
            )?;
            if !context.sync.queues[queue.0].joinable {
                return Err(ScenarioError::invalid(
                    format!("{path}.{key}"),
                    format!(
                        "`{key}` needs a joinable queue: declare `{}` with `joinable: true`",
                        name.trim()
                    ),
                ));
            }
            if key == "task_done" {
                Step::TaskDone(queue)
            } else {
                Step::JoinQueue(queue)
            }
        }
        StepFile::Sleep(ticks) => {
            positive(*ticks, &format!("{path}.sleep"))?;
            Step::Sleep { ticks: *ticks }
        }
        StepFile::Spawn(spawn) => Step::Spawn(Arc::new(validate_spawn(spawn, context, path)?)),
        StepFile::Read(name) => Step::Read(variable(context, name, &format!("{path}.read"))?),
        StepFile::Write(name) => Step::Write(variable(context, name, &format!("{path}.write"))?),
        StepFile::Add(amount) => Step::Add(*amount),
        StepFile::SetReg(value) => Step::SetReg(*value),
        StepFile::Bytecode(ticks) => {
            positive(*ticks, &format!("{path}.bytecode"))?;
            Step::Bytecode { ticks: *ticks }
        }
        StepFile::Print(text) => Step::Print(Arc::from(validate_print(
            text,
            context,
            &format!("{path}.print"),
        )?)),
        StepFile::Apply(apply) | StepFile::ApplyAsync(apply) => {
            let key = if matches!(step, StepFile::Apply(_)) {
                "apply"
            } else {
                "apply_async"
            };
            let pool = pool_named(context, &apply.pool, &format!("{path}.{key}.pool"))?;
            let task = context.in_function(true, || {
                program_of(
                    &apply.task,
                    context,
                    &format!("{path}.{key}.task"),
                    |entries, path| validate_program(entries, context, path),
                )
            })?;
            if key == "apply" && apply.result.is_some() {
                return Err(ScenarioError::invalid(
                    format!("{path}.apply.as"),
                    "`apply` waits and puts its task's `return` into the register; `as` names \
                     an `apply_async`'s result",
                ));
            }
            match (key, &apply.callback) {
                ("apply", Some(_)) => {
                    return Err(ScenarioError::invalid(
                        format!("{path}.apply.callback"),
                        "`apply` waits for its task; a callback belongs to `apply_async`",
                    ));
                }
                ("apply", None) => Step::Apply { pool, task },
                (_, callback) => Step::ApplyAsync {
                    pool,
                    task,
                    callback: match callback {
                        Some(steps) => Some(context.in_function(false, || {
                            program_of(
                                steps,
                                context,
                                &format!("{path}.apply_async.callback"),
                                |entries, path| validate_program(entries, context, path),
                            )
                        })?),
                        None => None,
                    },
                    result: match &apply.result {
                        Some(name) => {
                            let name =
                                result_name(name, context, &format!("{path}.apply_async.as"))?;
                            Some(name)
                        }
                        None => None,
                    },
                },
            }
        }
        StepFile::Map(map) => {
            let pool = pool_named(context, &map.pool, &format!("{path}.map.pool"))?;
            if map.count == 0 || map.count > MAX_COUNT {
                return Err(ScenarioError::invalid(
                    format!("{path}.map.count"),
                    format!("expected 1 to {MAX_COUNT} tasks, got {}", map.count),
                ));
            }
            let task = context.in_function(true, || {
                program_of(
                    &map.task,
                    context,
                    &format!("{path}.map.task"),
                    |entries, path| validate_program(entries, context, path),
                )
            })?;
            let list = match &map.list {
                Some(name) => {
                    let name = result_name(name, context, &format!("{path}.map.as"))?;
                    Some(name)
                }
                None => None,
            };
            Step::Map {
                pool,
                count: map.count,
                task,
                list,
            }
        }
        StepFile::Close(name) => {
            Step::ClosePool(pool_named(context, name, &format!("{path}.close"))?)
        }
        StepFile::JoinPool(name) => {
            Step::JoinPool(pool_named(context, name, &format!("{path}.join_pool"))?)
        }
        StepFile::Coroutine(coroutine) => {
            let name_path = format!("{path}.coroutine.name");
            plain_text(&coroutine.name, &name_path, false)?;
            let name = coroutine.name.trim();
            if name.is_empty() || name == "main" {
                return Err(ScenarioError::invalid(
                    name_path,
                    "expected a name (`main` is the thread's own coroutine)",
                ));
            }
            let program = context.in_function(false, || {
                program_of(
                    &coroutine.program,
                    context,
                    &format!("{path}.coroutine.program"),
                    |entries, path| validate_program(entries, context, path),
                )
            })?;
            Step::Coroutine(Arc::new(CoroutineSpec {
                name: name.to_string(),
                program,
            }))
        }
        StepFile::Switch(name) | StepFile::Await(name) => {
            let key = if matches!(step, StepFile::Switch(_)) {
                "switch"
            } else {
                "await"
            };
            let name = name.trim();
            if name.is_empty() {
                return Err(ScenarioError::invalid(
                    format!("{path}.{key}"),
                    "expected the name of a coroutine",
                ));
            }
            if key == "switch" {
                Step::Switch(name.to_string())
            } else {
                Step::Await(name.to_string())
            }
        }
        StepFile::Yield(_) => Step::Yield,
        StepFile::AsyncSleep(ticks) => {
            positive(*ticks, &format!("{path}.async_sleep"))?;
            Step::AsyncWait {
                ticks: *ticks,
                device: None,
            }
        }
        StepFile::Signal(signal) => {
            let child = signal.to.trim();
            if child.is_empty() {
                return Err(ScenarioError::invalid(
                    format!("{path}.signal.to"),
                    "expected the name of a child",
                ));
            }
            let sig = signal_named(&signal.sig, &format!("{path}.signal.sig"))?;
            Step::Signal {
                child: child.to_string(),
                sig,
            }
        }
        StepFile::OnSignal(handler) => {
            let sig = signal_named(&handler.sig, &format!("{path}.on_signal.sig"))?;
            if matches!(sig, Signal::Stop | Signal::Kill) {
                return Err(ScenarioError::invalid(
                    format!("{path}.on_signal.sig"),
                    format!("{} cannot be caught", sig.name()),
                ));
            }
            let handler = context.in_function(false, || {
                program_of(
                    &handler.steps,
                    context,
                    &format!("{path}.on_signal.steps"),
                    |entries, path| validate_program(entries, context, path),
                )
            })?;
            Step::OnSignal { sig, handler }
        }
        StepFile::Input(input) => Step::Input(match &input.into {
            Some(name) => Some(variable(context, name, &format!("{path}.input.into"))?),
            None => None,
        }),
        StepFile::Call(_) => {
            return Err(ScenarioError::invalid(
                format!("{path}.call"),
                "`call` runs a program's steps here; it never gives up, so it takes no `else`",
            ));
        }
        StepFile::Return(value) => {
            if !context.in_task.get() {
                return Err(ScenarioError::invalid(
                    format!("{path}.return"),
                    "`return` ends a pool task (the `task` of `apply`, `apply_async` or `map`) \
                     with its value",
                ));
            }
            Step::Return(match value {
                ReturnFile::Number(number) => ReturnValue::Number(*number),
                ReturnFile::Name(name) if name.trim() == "reg" => ReturnValue::Register,
                ReturnFile::Name(other) => {
                    return Err(ScenarioError::invalid(
                        format!("{path}.return"),
                        format!("expected a number or `reg`, got `{other}`"),
                    ));
                }
            })
        }
        StepFile::GetResult(name) => {
            let name = name.trim();
            if !context.async_results.borrow().contains(name) {
                let known: Vec<String> = context.async_results.borrow().iter().cloned().collect();
                return Err(ScenarioError::invalid(
                    format!("{path}.get_result"),
                    if known.is_empty() {
                        format!(
                            "unknown result `{name}`: name an `apply_async`'s result first, \
                             as in `{{apply_async: {{pool: P, task: [...], as: {name}}}}}`"
                        )
                    } else {
                        format!(
                            "unknown result `{name}`, expected one of {} (an earlier \
                             `apply_async`'s `as`)",
                            known.join(", ")
                        )
                    },
                ));
            }
            Step::GetResult(name.to_string())
        }
        StepFile::AsyncIo(io) => {
            let (device, ticks) = validate_io(io, context, &format!("{path}.async_io"), false)?;
            Step::AsyncWait {
                ticks,
                device: Some(device),
            }
        }
        StepFile::Join(thread) => {
            let thread = thread.trim();
            if thread.is_empty() {
                return Err(ScenarioError::invalid(
                    format!("{path}.join"),
                    "expected the name of a thread of this process",
                ));
            }
            Step::Join(thread.to_string())
        }
    })
}

fn validate_spawn(
    spawn: &SpawnFile,
    context: &Context,
    path: &str,
) -> Result<ThreadSpec, ScenarioError> {
    let name_path = format!("{path}.spawn.name");
    plain_text(&spawn.name, &name_path, false)?;
    let name = spawn.name.trim();
    if name.is_empty() {
        return Err(ScenarioError::invalid(name_path, "must not be empty"));
    }
    if name == MAIN_THREAD_NAME || name.contains('/') {
        return Err(ScenarioError::invalid(
            name_path,
            format!(
                "`{name}` cannot name a thread: `{MAIN_THREAD_NAME}` is the process's own and `/` separates process and thread"
            ),
        ));
    }
    let fresh = context
        .thread_names
        .borrow_mut()
        .last_mut()
        .is_none_or(|threads| threads.insert(name.to_string()));
    if !fresh {
        return Err(ScenarioError::invalid(
            name_path,
            format!(
                "a process has one thread called `{name}`; spawn each thread under a name of its own (a `repeat` spawns the same name again)"
            ),
        ));
    }
    if let Some(tickets) = spawn.tickets {
        tickets_at_least_one(tickets, format!("{path}.spawn.tickets"))?;
    }
    let program = context.in_function(false, || {
        program_of(
            &spawn.program,
            context,
            &format!("{path}.spawn.program"),
            |entries, path| validate_program(entries, context, path),
        )
    })?;
    Ok(ThreadSpec {
        name: name.to_string(),
        priority: spawn.priority,
        tickets: spawn.tickets,
        daemon: spawn.daemon.unwrap_or(false),
        program,
    })
}

pub(super) fn validate_fork(
    fork: &ForkFile,
    context: &Context,
    path: &str,
) -> Result<ChildSpec, ScenarioError> {
    plain_text(&fork.name, format!("{path}.fork.name"), false)?;
    let name = fork.name.trim();
    if name.is_empty() {
        return Err(ScenarioError::invalid(
            format!("{path}.fork.name"),
            "must not be empty",
        ));
    }
    if RESERVED_NAMES.contains(&name) {
        return Err(ScenarioError::invalid(
            format!("{path}.fork.name"),
            format!("`{name}` is reserved; choose another name for the child"),
        ));
    }
    if let Some(tickets) = fork.tickets {
        tickets_at_least_one(tickets, format!("{path}.fork.tickets"))?;
    }
    let program = match &fork.program {
        Some(file) => {
            let program = program_of(
                file,
                context,
                &format!("{path}.fork.program"),
                |entries, path| validate_process_program(entries, context, path),
            )?;
            check_holdings(
                name,
                &program,
                &[],
                context.sync,
                format!("{path}.fork.program"),
            )?;
            Some(program)
        }
        None => None,
    };
    let nice = match fork.nice {
        Some(nice) => Some(nice_value(nice, format!("{path}.fork.nice"))?),
        None => None,
    };
    Ok(ChildSpec {
        name: name.to_string(),
        nice,
        // `priority_from: nice`: a child's priority is its nice value (its parent's if unset).
        priority: if context.from_nice {
            if fork.priority.is_some() {
                return Err(ScenarioError::invalid(
                    format!("{path}.fork.priority"),
                    "with `priority_from: nice` a process's priority is its `nice`: give `nice`",
                ));
            }
            nice
        } else {
            fork.priority
        },
        tickets: fork.tickets,
        options: LifecycleOptions {
            daemon: fork.daemon.unwrap_or(false),
            ignore_sigchld: fork.ignore_sigchld.unwrap_or(false),
            subreaper: fork.subreaper.unwrap_or(false),
            // The engine gives the child its parent's GIL and monkey patch.
            gil: None,
            monkey_patch: crate::scenario::MonkeyPatch::default(),
        },
        program,
        result_in_register: match fork.result.as_deref().map(str::trim) {
            None => false,
            Some("reg") => true,
            Some(other) => {
                return Err(ScenarioError::invalid(
                    format!("{path}.fork.result"),
                    format!("fork's result goes into the register: expected `reg`, got `{other}`"),
                ));
            }
        },
    })
}

/// The name of an AsyncResult or a list (`as:`): a word that is not a variable's, `reg`,
/// `pid`, `tid` or `i`.
fn result_name(name: &str, context: &Context, path: &str) -> Result<String, ScenarioError> {
    let name = name.trim();
    let word = name.chars().all(|c| c.is_alphanumeric() || c == '_')
        && !name.is_empty()
        && !name.starts_with(|c: char| c.is_ascii_digit());
    if !word {
        return Err(ScenarioError::invalid(
            path,
            format!("expected a name such as `results` (letters, digits, `_`), got `{name}`"),
        ));
    }
    let variable = context
        .globals
        .iter()
        .chain(context.shared)
        .any(|v| v.name == name);
    if variable || ["reg", "pid", "tid", "i"].contains(&name) {
        return Err(ScenarioError::invalid(
            path,
            format!("`{name}` already means something in a `print`; choose another name"),
        ));
    }
    Ok(name.to_string())
}

/// The index of `name` among `known`, or an error listing them.
pub(super) fn lookup<'a>(
    known: impl Iterator<Item = &'a str> + Clone,
    name: &str,
    path: &str,
    what: &str,
    section: &str,
) -> Result<usize, ScenarioError> {
    let name = name.trim();
    known.clone().position(|k| k == name).ok_or_else(|| {
        let names: Vec<&str> = known.collect();
        let choices = if names.is_empty() {
            format!("the scenario declares none under `{section}:`")
        } else {
            format!("expected one of {}", names.join(", "))
        };
        ScenarioError::invalid(path, format!("unknown {what} `{name}`: {choices}"))
    })
}
