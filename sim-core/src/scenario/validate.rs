//! Semantic checks that turn a [`ScenarioFile`] into a [`Scenario`], naming the field at fault.

use super::file::{ForkFile, IoFile, ScenarioFile, StepFile};
use super::{
    Avoidance, ChildSpec, DEFAULT_DEVICE_NAME, DeadlockConfig, Device, DeviceId, EventSpec, FlagId,
    LifecycleOptions, ProcessSpec, Program, QueueId, QueueSpec, Recovery, ResourceId, ResourceSpec,
    Rules, Scenario, ScenarioError, Step, SyncConfig, WaitTarget,
};
use crate::ids::Tick;
use std::collections::BTreeSet;
use std::sync::Arc;

/// Most CPUs a scenario may ask for.
pub const MAX_CPUS: u64 = 1024;
/// Default tickets of a process (lottery, stride).
pub const DEFAULT_TICKETS: u64 = 100;
/// Default of `max_processes`: Linux's default `pid_max`.
pub const DEFAULT_MAX_PROCESSES: u64 = 32_768;
/// Names a forked child may not take: they mean something else in `wait:` and in trees.
const RESERVED_NAMES: [&str; 2] = ["any", "init"];

pub(super) fn validate(file: ScenarioFile) -> Result<Scenario, ScenarioError> {
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
    let policy = super::policies::validate(&file.policy.options())?;
    let rules = file.rules.unwrap_or_default();
    let rules = Rules {
        preempted_before_arrivals: rules.preempted_before_arrivals.unwrap_or(false),
        context_switch_ticks: rules.context_switch.unwrap_or(0),
    };
    let devices = validate_devices(file.devices.unwrap_or_default())?;
    let context = Context {
        devices: &devices,
        sync: &sync,
    };
    let max_processes = file.max_processes.unwrap_or(DEFAULT_MAX_PROCESSES);
    if max_processes == 0 {
        return Err(ScenarioError::invalid(
            "max_processes",
            "expected at least 1 process, got 0",
        ));
    }

    if file.processes.is_empty() {
        return Err(ScenarioError::invalid(
            "processes",
            "expected at least one process",
        ));
    }
    let mut names = BTreeSet::new();
    // Every name a process may have, forked children included, for `expected:`.
    let mut all_names = BTreeSet::new();
    let mut processes = Vec::with_capacity(file.processes.len());
    for (index, process) in file.processes.into_iter().enumerate() {
        let path = format!("processes[{index}]");
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
        all_names.insert(process.name.clone());
        let program = match (process.burst, process.program) {
            (Some(_), Some(_)) => {
                return Err(ScenarioError::invalid(
                    &path,
                    format!(
                        "process `{}` has both `burst` and `program`; give one of them",
                        process.name
                    ),
                ));
            }
            (None, None) => {
                return Err(ScenarioError::invalid(
                    &path,
                    format!(
                        "process `{}` needs `burst: TICKS` or `program: [...]`",
                        process.name
                    ),
                ));
            }
            (Some(burst), None) => {
                positive(burst, &format!("{path}.burst"))?;
                Arc::from(vec![Step::Cpu { ticks: burst }])
            }
            (None, Some(steps)) => {
                validate_program(&steps, &context, &format!("{path}.program"), &mut all_names)?
            }
        };
        let max_claims = validate_claims(&process.name, process.max.as_ref(), &sync, &path)?;
        check_holdings(
            &process.name,
            &program,
            &max_claims,
            &sync,
            &format!("{path}.program"),
        )?;
        let tickets = process.tickets.unwrap_or(DEFAULT_TICKETS);
        tickets_at_least_one(tickets, &format!("{path}.tickets"))?;
        processes.push(ProcessSpec {
            name: process.name,
            arrival: Tick(process.arrival.unwrap_or(0)),
            priority: process.priority.unwrap_or(0),
            tickets,
            options: LifecycleOptions {
                daemon: process.daemon.unwrap_or(false),
                ignore_sigchld: process.ignore_sigchld.unwrap_or(false),
                subreaper: process.subreaper.unwrap_or(false),
            },
            program,
            max_claims,
        });
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
        sync,
    })
}

fn validate_devices(files: Vec<super::DeviceFile>) -> Result<Vec<Device>, ScenarioError> {
    let mut devices = vec![Device {
        name: DEFAULT_DEVICE_NAME.to_string(),
        servers: None,
    }];
    for (index, device) in files.into_iter().enumerate() {
        let path = format!("devices[{index}]");
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

/// What a program's steps may refer to.
struct Context<'a> {
    devices: &'a [Device],
    sync: &'a SyncConfig,
}

fn validate_program(
    steps: &[StepFile],
    context: &Context,
    path: &str,
    names: &mut BTreeSet<String>,
) -> Result<Program, ScenarioError> {
    let devices = context.devices;
    if steps.is_empty() {
        return Err(ScenarioError::invalid(path, "expected at least one step"));
    }
    let mut program = Vec::with_capacity(steps.len());
    for (index, step) in steps.iter().enumerate() {
        let path = format!("{path}[{index}]");
        if let Some(Step::Exit { .. }) = program.last() {
            return Err(ScenarioError::invalid(
                path,
                format!(
                    "this step is never reached: the program exits at step {}",
                    index - 1
                ),
            ));
        }
        program.push(match step {
            StepFile::Cpu(ticks) => {
                positive(*ticks, &format!("{path}.cpu"))?;
                Step::Cpu { ticks: *ticks }
            }
            StepFile::Io(IoFile::Ticks(ticks)) => {
                positive(*ticks, &format!("{path}.io"))?;
                Step::Io {
                    device: DeviceId::DEFAULT,
                    ticks: *ticks,
                }
            }
            StepFile::Io(IoFile::OnDevice(io)) => {
                positive(io.time, &format!("{path}.io.time"))?;
                let device = devices
                    .iter()
                    .position(|device| device.name == io.device)
                    .ok_or_else(|| {
                        let known: Vec<&str> = devices.iter().map(|d| d.name.as_str()).collect();
                        ScenarioError::invalid(
                            format!("{path}.io.device"),
                            format!(
                                "unknown device `{}`, expected one of {} (declare it under `devices:`)",
                                io.device,
                                known.join(", ")
                            ),
                        )
                    })?;
                Step::Io {
                    device: DeviceId(device),
                    ticks: io.time,
                }
            }
            StepFile::Fork(fork) => {
                Step::Fork(Arc::new(validate_fork(fork, context, &path, names)?))
            }
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
                if verb == "acquire" {
                    Step::Acquire { resource, count }
                } else {
                    Step::Release { resource, count }
                }
            }
            StepFile::WaitEvent(name) | StepFile::Set(name) | StepFile::Clear(name) => {
                let key = match step {
                    StepFile::WaitEvent(_) => "wait_event",
                    StepFile::Set(_) => "set",
                    _ => "clear",
                };
                let flag = lookup(
                    context.sync.events.iter().map(|e| e.name.as_str()),
                    name,
                    &format!("{path}.{key}"),
                    "event",
                    "events",
                )
                .map(FlagId)?;
                match step {
                    StepFile::WaitEvent(_) => Step::WaitEvent(flag),
                    StepFile::Set(_) => Step::SetEvent(flag),
                    _ => Step::ClearEvent(flag),
                }
            }
            StepFile::Put(name) | StepFile::Get(name) => {
                let key = if matches!(step, StepFile::Put(_)) {
                    "put"
                } else {
                    "get"
                };
                let queue = lookup(
                    context.sync.queues.iter().map(|q| q.name.as_str()),
                    name,
                    &format!("{path}.{key}"),
                    "queue",
                    "queues",
                )
                .map(QueueId)?;
                if key == "put" {
                    Step::Put(queue)
                } else {
                    Step::Get(queue)
                }
            }
            StepFile::Sleep(ticks) => {
                positive(*ticks, &format!("{path}.sleep"))?;
                Step::Sleep { ticks: *ticks }
            }
        });
    }
    Ok(Arc::from(program))
}

fn validate_fork(
    fork: &ForkFile,
    context: &Context,
    path: &str,
    names: &mut BTreeSet<String>,
) -> Result<ChildSpec, ScenarioError> {
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
        tickets_at_least_one(tickets, &format!("{path}.fork.tickets"))?;
    }
    names.insert(name.to_string());
    let program = match &fork.program {
        Some(steps) => {
            let program = validate_program(steps, context, &format!("{path}.fork.program"), names)?;
            check_holdings(
                name,
                &program,
                &[],
                context.sync,
                &format!("{path}.fork.program"),
            )?;
            Some(program)
        }
        None => None,
    };
    Ok(ChildSpec {
        name: name.to_string(),
        priority: fork.priority,
        tickets: fork.tickets,
        options: LifecycleOptions {
            daemon: fork.daemon.unwrap_or(false),
            ignore_sigchld: fork.ignore_sigchld.unwrap_or(false),
            subreaper: fork.subreaper.unwrap_or(false),
        },
        program,
    })
}

/// The index of `name` among `known`, or an error listing them.
fn lookup<'a>(
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

fn validate_sync(file: &ScenarioFile) -> Result<SyncConfig, ScenarioError> {
    let mut sync = SyncConfig::default();
    let check_name = |name: &str, path: String, seen: &mut BTreeSet<String>| {
        if name.trim().is_empty() {
            return Err(ScenarioError::invalid(path, "must not be empty"));
        }
        if !seen.insert(name.to_string()) {
            return Err(ScenarioError::invalid(
                path,
                format!("duplicate name `{name}`"),
            ));
        }
        Ok(())
    };
    let mut seen = BTreeSet::new();
    for (index, resource) in file.resources.iter().flatten().enumerate() {
        check_name(
            &resource.name,
            format!("resources[{index}].name"),
            &mut seen,
        )?;
        let instances = resource.instances.unwrap_or(1);
        if instances == 0 {
            return Err(ScenarioError::invalid(
                format!("resources[{index}].instances"),
                "expected at least 1 instance, got 0",
            ));
        }
        sync.resources.push(ResourceSpec {
            name: resource.name.clone(),
            instances,
        });
    }
    let mut seen = BTreeSet::new();
    for (index, event) in file.events.iter().flatten().enumerate() {
        check_name(&event.name, format!("events[{index}].name"), &mut seen)?;
        sync.events.push(EventSpec {
            name: event.name.clone(),
            initially_set: event.set.unwrap_or(false),
        });
    }
    let mut seen = BTreeSet::new();
    for (index, queue) in file.queues.iter().flatten().enumerate() {
        check_name(&queue.name, format!("queues[{index}].name"), &mut seen)?;
        if queue.capacity == 0 {
            return Err(ScenarioError::invalid(
                format!("queues[{index}].capacity"),
                "expected a capacity of at least 1, got 0",
            ));
        }
        let items = queue.items.unwrap_or(0);
        if items > queue.capacity {
            return Err(ScenarioError::invalid(
                format!("queues[{index}].items"),
                format!(
                    "{items} items do not fit in a capacity of {}",
                    queue.capacity
                ),
            ));
        }
        sync.queues.push(QueueSpec {
            name: queue.name.clone(),
            capacity: queue.capacity,
            initial_items: items,
        });
    }
    let deadlock = file.deadlock.clone().unwrap_or_default();
    let recover = match deadlock.recover.as_deref().map(str::trim) {
        None | Some("none") => Recovery::None,
        Some("abort_one") => Recovery::AbortOne,
        Some("abort_all") => Recovery::AbortAll,
        Some("preempt") => Recovery::Preempt,
        Some(other) => {
            return Err(ScenarioError::invalid(
                "deadlock.recover",
                format!(
                    "unknown recovery `{other}`, expected one of {}",
                    Recovery::NAMES
                ),
            ));
        }
    };
    let avoid = match deadlock.avoid.as_deref().map(str::trim) {
        None | Some("none") => Avoidance::None,
        Some("banker") => Avoidance::Banker,
        Some(other) => {
            return Err(ScenarioError::invalid(
                "deadlock.avoid",
                format!("unknown avoidance `{other}`, expected none or banker"),
            ));
        }
    };
    let detect = deadlock.detect.unwrap_or(true);
    if !detect && recover != Recovery::None {
        return Err(ScenarioError::invalid(
            "deadlock.recover",
            "recovery needs detection: remove `detect: false` or set `recover: none`",
        ));
    }
    sync.deadlock = DeadlockConfig {
        detect,
        recover,
        avoid,
    };
    Ok(sync)
}

/// The banker's claims of a process, one per resource; empty when it declares none.
fn validate_claims(
    process: &str,
    max: Option<&std::collections::BTreeMap<String, u64>>,
    sync: &SyncConfig,
    path: &str,
) -> Result<Vec<u64>, ScenarioError> {
    let Some(max) = max else {
        return Ok(Vec::new());
    };
    let mut claims = vec![0; sync.resources.len()];
    for (name, &claim) in max {
        let path = format!("{path}.max.{name}");
        let index = lookup(
            sync.resources.iter().map(|r| r.name.as_str()),
            name,
            &path,
            "resource",
            "resources",
        )?;
        let instances = sync.resources[index].instances;
        if claim > instances {
            return Err(ScenarioError::invalid(
                path,
                format!("{process} claims {claim} of `{name}`, which has only {instances}"),
            ));
        }
        claims[index] = claim;
    }
    Ok(claims)
}

/// Walks a program in order, counting what it holds: releasing what it does not hold, asking
/// for more instances than exist, or (under the banker) more than its claim is an error.
fn check_holdings(
    process: &str,
    program: &[Step],
    claims: &[u64],
    sync: &SyncConfig,
    path: &str,
) -> Result<(), ScenarioError> {
    let banker = sync.deadlock.avoid == Avoidance::Banker;
    let mut held = vec![0u64; sync.resources.len()];
    for (index, step) in program.iter().enumerate() {
        match *step {
            Step::Acquire { resource, count } => {
                let spec = &sync.resources[resource.0];
                held[resource.0] += count;
                if held[resource.0] > spec.instances {
                    return Err(ScenarioError::invalid(
                        format!("{path}[{index}].acquire"),
                        format!(
                            "{process} would hold {} of `{}`, which has only {} instance{}: it would wait forever",
                            held[resource.0],
                            spec.name,
                            spec.instances,
                            if spec.instances == 1 { "" } else { "s" }
                        ),
                    ));
                }
                if banker && held[resource.0] > claims.get(resource.0).copied().unwrap_or(0) {
                    return Err(ScenarioError::invalid(
                        format!("{path}[{index}].acquire"),
                        format!(
                            "{process} would hold {} of `{}`, more than its claim under the banker's algorithm (declare it in `max:`; forked children cannot claim)",
                            held[resource.0], spec.name
                        ),
                    ));
                }
            }
            Step::Release { resource, count } => {
                if held[resource.0] < count {
                    let spec = &sync.resources[resource.0];
                    return Err(ScenarioError::invalid(
                        format!("{path}[{index}].release"),
                        format!(
                            "{process} releases {count} of `{}` but holds {} at this step",
                            spec.name, held[resource.0]
                        ),
                    ));
                }
                held[resource.0] -= count;
            }
            _ => {}
        }
    }
    Ok(())
}

fn tickets_at_least_one(tickets: u64, path: &str) -> Result<(), ScenarioError> {
    if tickets == 0 {
        Err(ScenarioError::invalid(
            path,
            "expected at least 1 ticket, got 0",
        ))
    } else {
        Ok(())
    }
}

fn positive(ticks: u64, path: &str) -> Result<(), ScenarioError> {
    if ticks == 0 {
        Err(ScenarioError::invalid(
            path,
            "expected a positive number of ticks, got 0",
        ))
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error_of(text: &str) -> String {
        Scenario::from_yaml(text).unwrap_err().one_line("s.yaml")
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
