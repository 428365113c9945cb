//! Checks of what processes synchronise on: resources, events, queues, the deadlock options
//! and the banker's claims.

use super::*;

pub(super) fn validate_sync<G, E>(file: &ScenarioFile<G, E>) -> Result<SyncConfig, ScenarioError> {
    let mut sync = SyncConfig::default();
    let check_name = |name: &str, path: String, seen: &mut BTreeSet<String>| {
        plain_text(name, &path, false)?;
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
        at_most_max_count(instances, format!("resources[{index}].instances"))?;
        if instances == 0 {
            return Err(ScenarioError::invalid(
                format!("resources[{index}].instances"),
                "expected at least 1 instance, got 0",
            ));
        }
        let reentrant = resource.reentrant.unwrap_or(false);
        if reentrant && instances > 1 {
            return Err(ScenarioError::invalid(
                format!("resources[{index}].reentrant"),
                "a reentrant lock (RLock) has one instance",
            ));
        }
        sync.resources.push(ResourceSpec {
            name: resource.name.clone(),
            instances,
            reentrant,
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
        if let Some(capacity) = queue.capacity {
            at_most_max_count(capacity, format!("queues[{index}].capacity"))?;
            if capacity == 0 {
                return Err(ScenarioError::invalid(
                    format!("queues[{index}].capacity"),
                    "expected a capacity of at least 1, got 0 (leave it out for an unbounded queue)",
                ));
            }
        }
        let items = queue.items.unwrap_or(0);
        at_most_max_count(items, format!("queues[{index}].items"))?;
        if let Some(capacity) = queue.capacity.filter(|&capacity| items > capacity) {
            return Err(ScenarioError::invalid(
                format!("queues[{index}].items"),
                format!("{items} items do not fit in a capacity of {capacity}"),
            ));
        }
        sync.queues.push(QueueSpec {
            name: queue.name.clone(),
            capacity: queue.capacity,
            initial_items: items,
            joinable: queue.joinable.unwrap_or(false),
            kind: ChannelKind::Queue,
            one_way: false,
        });
    }
    // Pipes and sockets are channels like queues (unbounded, not joinable); one name space.
    let channels = [
        (&file.pipes, "pipes", ChannelKind::Pipe),
        (&file.sockets, "sockets", ChannelKind::Socket),
    ];
    for (list, section, kind) in channels {
        for (index, channel) in list.iter().flatten().enumerate() {
            check_name(&channel.name, format!("{section}[{index}].name"), &mut seen)?;
            let one_way = match (kind, channel.duplex) {
                (_, None | Some(true)) => false,
                (ChannelKind::Pipe, Some(false)) => true,
                (_, Some(false)) => {
                    return Err(ScenarioError::invalid(
                        format!("{section}[{index}].duplex"),
                        "`duplex: false` is a pipe's option (`Pipe(duplex=False)`); a socket \
                         is two-way",
                    ));
                }
            };
            sync.queues.push(QueueSpec {
                name: channel.name.clone(),
                capacity: None,
                initial_items: 0,
                joinable: false,
                kind,
                one_way,
            });
        }
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
pub(super) fn validate_claims(
    process: &str,
    max: Option<&std::collections::BTreeMap<String, u64>>,
    sync: &SyncConfig,
    path: impl std::fmt::Display,
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
/// for more instances than exist, or (under the banker) more than its claim is an error. A
/// program with loops or branches is not a straight line: the run checks it instead (a
/// release of what is not held is then a failed step).
pub(super) fn check_holdings(
    process: &str,
    program: &[Step],
    claims: &[u64],
    sync: &SyncConfig,
    path: impl std::fmt::Display,
) -> Result<(), ScenarioError> {
    if program.iter().any(Step::is_control) {
        return Ok(());
    }
    let banker = sync.deadlock.avoid == Avoidance::Banker;
    let mut held = vec![0u64; sync.resources.len()];
    // How many times a reentrant lock is taken again on top of holding it.
    let mut again = vec![0u64; sync.resources.len()];
    for (index, step) in program.iter().enumerate() {
        match *step {
            Step::Acquire { resource, .. }
                if sync.resources[resource.0].reentrant && held[resource.0] > 0 =>
            {
                again[resource.0] += 1;
            }
            Step::Release { resource, .. } if again[resource.0] > 0 => again[resource.0] -= 1,
            Step::Acquire {
                resource, count, ..
            } => {
                let spec = &sync.resources[resource.0];
                held[resource.0] += count;
                // More than it already holds leaves free is a deadlock on itself, which the
                // run reports (as Python's second `acquire` of a Lock hangs); more than exist
                // at once can never be granted.
                if count > spec.instances {
                    return Err(ScenarioError::invalid(
                        format!("{path}[{index}].acquire"),
                        format!(
                            "{process} asks for {count} of `{}`, which has only {} instance{}: it would wait forever",
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
