//! Checks of a matrix exercise file: resources, vectors of the right length, allocations
//! within the totals, claims and the request, each error naming its field.

use super::*;
use crate::scenario::limits::MAX_COUNT;

pub(super) fn validate(file: MatrixFile) -> Result<Matrix, ScenarioError> {
    if file.name.trim().is_empty() {
        return Err(ScenarioError::invalid("name", "must not be empty"));
    }
    let names = std::iter::once(("name", &file.name))
        .chain(file.processes.keys().map(|name| ("processes", name)));
    for (path, name) in names {
        if let Some(c) = crate::text::control_char(name, false) {
            return Err(ScenarioError::invalid(
                path,
                format!(
                    "names must not contain control characters, found {}",
                    c.escape_default()
                ),
            ));
        }
    }
    let (resources, totals) = match &file.resources {
        ResourcesFile::Totals(map) => (
            map.keys().cloned().collect::<Vec<_>>(),
            Some(map.values().copied().collect::<Vec<_>>()),
        ),
        ResourcesFile::Names(names) => (names.clone(), None),
    };
    if resources.is_empty() {
        return Err(ScenarioError::invalid(
            "resources",
            "expected at least one resource",
        ));
    }
    for (index, name) in resources.iter().enumerate() {
        if name.trim().is_empty()
            || resources[..index].contains(name)
            || crate::text::control_char(name, false).is_some()
        {
            return Err(ScenarioError::invalid(
                "resources",
                format!(
                    "resource names must be distinct, not empty and without control characters (`{}`)",
                    crate::text::escape_controls(name)
                ),
            ));
        }
    }
    let width = resources.len();
    // Every number is at most MAX_COUNT, so that sums over processes fit in 64 bits.
    let check_len = |values: &[u64], path: String| -> Result<(), ScenarioError> {
        if let Some(big) = values.iter().find(|&&v| v > MAX_COUNT) {
            return Err(ScenarioError::invalid(
                path,
                format!("expected numbers of at most {MAX_COUNT}, got {big}"),
            ));
        }
        if values.len() == width {
            Ok(())
        } else {
            Err(ScenarioError::invalid(
                path,
                format!(
                    "expected {width} numbers, one per resource ({}), got {}",
                    resources.join(", "),
                    values.len()
                ),
            ))
        }
    };
    if file.processes.is_empty() {
        return Err(ScenarioError::invalid(
            "processes",
            "expected at least one process",
        ));
    }
    let has_max = file.processes.values().filter(|p| p.max.is_some()).count();
    let has_request = file
        .processes
        .values()
        .filter(|p| p.request.is_some())
        .count();
    let count = file.processes.len();
    let mode = match (has_max, has_request) {
        (m, 0) if m == count => Mode::Banker,
        (0, r) if r == count => Mode::Detection,
        _ => {
            return Err(ScenarioError::invalid(
                "processes",
                "give every process `max` (the banker's safety check) or every process `request` (deadlock detection), not a mix",
            ));
        }
    };
    let mut processes = Vec::with_capacity(count);
    for (name, process) in &file.processes {
        let path = format!("processes.{name}");
        check_len(&process.allocation, format!("{path}.allocation"))?;
        let claim = match mode {
            Mode::Banker => process.max.clone().unwrap_or_default(),
            Mode::Detection => process.request.clone().unwrap_or_default(),
        };
        let field = if mode == Mode::Banker {
            "max"
        } else {
            "request"
        };
        check_len(&claim, format!("{path}.{field}"))?;
        if mode == Mode::Banker && !le(&process.allocation, &claim) {
            return Err(ScenarioError::invalid(
                format!("{path}.allocation"),
                format!(
                    "{name} holds {} but claims at most {}: allocation must not exceed max",
                    vector(&process.allocation),
                    vector(&claim)
                ),
            ));
        }
        processes.push(MatrixProcess {
            name: name.clone(),
            allocation: process.allocation.clone(),
            claim,
        });
    }
    let allocated = processes
        .iter()
        .fold(vec![0; width], |sum, p| add(&sum, &p.allocation));
    let (total, available) = match (totals, &file.available) {
        (Some(total), given) => {
            check_len(&total, "resources".to_string())?;
            if !le(&allocated, &total) {
                return Err(ScenarioError::invalid(
                    "processes",
                    format!(
                        "the allocations add up to {}, more than the {} instances that exist",
                        vector(&allocated),
                        vector(&total)
                    ),
                ));
            }
            let available = sub(&total, &allocated);
            if let Some(given) = given {
                check_len(given, "available".to_string())?;
                if *given != available {
                    return Err(ScenarioError::invalid(
                        "available",
                        format!(
                            "total {} minus the allocations {} leaves {}, not {}",
                            vector(&total),
                            vector(&allocated),
                            vector(&available),
                            vector(given)
                        ),
                    ));
                }
            }
            (total, available)
        }
        (None, Some(given)) => {
            check_len(given, "available".to_string())?;
            (add(given, &allocated), given.clone())
        }
        (None, None) => {
            return Err(ScenarioError::invalid(
                "resources",
                "give the total instances (`resources: {A: 10, B: 5}`) or `available:`",
            ));
        }
    };
    let request = match &file.request {
        None => None,
        Some(request) => {
            if mode != Mode::Banker {
                return Err(ScenarioError::invalid(
                    "request",
                    "a request is checked by the banker's algorithm: give every process `max`",
                ));
            }
            let process = processes
                .iter()
                .position(|p| p.name == request.process)
                .ok_or_else(|| {
                    ScenarioError::invalid(
                        "request.process",
                        format!("no process is named `{}`", request.process),
                    )
                })?;
            check_len(&request.amounts, "request.amounts".to_string())?;
            Some(Request {
                process,
                amounts: request.amounts.clone(),
            })
        }
    };
    let requests = match &file.requests {
        None => Vec::new(),
        Some(items) => {
            if mode != Mode::Banker {
                return Err(ScenarioError::invalid(
                    "requests",
                    "requests are decided by the banker's algorithm: give every process `max`",
                ));
            }
            if request.is_some() {
                return Err(ScenarioError::invalid(
                    "requests",
                    "give one `request` or a stream of `requests`, not both",
                ));
            }
            if items.len() > MAX_COUNT as usize {
                return Err(ScenarioError::invalid(
                    "requests",
                    format!("expected at most {MAX_COUNT} requests, got {}", items.len()),
                ));
            }
            let mut stream = Vec::with_capacity(items.len());
            for (index, item) in items.iter().enumerate() {
                let path = format!("requests[{index}]");
                let process = processes
                    .iter()
                    .position(|p| p.name == item.process)
                    .ok_or_else(|| {
                        ScenarioError::invalid(
                            format!("{path}.process"),
                            format!("no process is named `{}`", item.process),
                        )
                    })?;
                let action = match (&item.amounts, &item.release) {
                    (Some(amounts), None) => {
                        check_len(amounts, format!("{path}.amounts"))?;
                        StreamAction::Request(amounts.clone())
                    }
                    (None, Some(release)) => {
                        check_len(release, format!("{path}.release"))?;
                        StreamAction::Release(release.clone())
                    }
                    _ => {
                        return Err(ScenarioError::invalid(
                            path,
                            "give `amounts` (a request) or `release` (a release), one of them",
                        ));
                    }
                };
                stream.push(StreamItem { process, action });
            }
            stream
        }
    };
    Ok(Matrix {
        name: file.name,
        description: file.description,
        resources,
        total,
        available,
        processes,
        mode,
        request,
        requests,
    })
}
