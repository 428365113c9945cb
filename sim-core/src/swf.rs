//! Import of the Standard Workload Format (SWF) of the Parallel Workloads Archive: a trace of
//! real jobs becomes a scenario. Each data line has 18 whitespace-separated fields (job number,
//! submit time, wait time, run time, allocated processors, ...; -1 where unknown); lines
//! starting with `;` are header comments (`; MaxProcs: 128`). docs/import.md has the mapping.

use crate::scenario::limits::{MAX_CPUS, MAX_TICKS};
use crate::scenario::policies::{PolicyListItem, parse_policy_list, policy_list_items};
use std::collections::BTreeSet;
use std::fmt::Write as _;

/// How to turn the jobs into processes.
#[derive(Clone, Debug)]
pub struct SwfOptions {
    /// The scenario's name.
    pub name: String,
    /// CPUs of the machine; default: the header's `MaxProcs` (or `MaxNodes`), at most 1024, else 1.
    pub cpus: Option<u64>,
    /// The policy as the command line writes it: `fcfs`, `rr:4`, ...
    pub policy: String,
    /// A job of P processors becomes P processes (`job7.1` ... `job7.P`) instead of one.
    pub per_processor: bool,
    /// Only the first N jobs of the trace.
    pub max_jobs: Option<u64>,
}

/// A line of the trace that cannot be read, or options that cannot be honoured.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}{message}", line.map(|line| format!("line {line}: ")).unwrap_or_default())]
pub struct SwfError {
    pub line: Option<usize>,
    pub message: String,
}

/// Most processes one import may write.
pub const MAX_IMPORTED_PROCESSES: u64 = 10_000_000;

/// The scenario (YAML) of the trace `text`.
pub fn swf_yaml(text: &str, options: &SwfOptions) -> Result<String, SwfError> {
    swf_yaml_with_progress(text, options, &mut |_| {})
}

/// [`swf_yaml`], telling `progress` how many bytes of `text` are read, every 4,096 lines (for a
/// progress bar; the result is the same).
pub fn swf_yaml_with_progress(
    text: &str,
    options: &SwfOptions,
    progress: &mut dyn FnMut(usize),
) -> Result<String, SwfError> {
    let unlocated = |message: String| SwfError {
        line: None,
        message,
    };
    let policy = policy_yaml(&options.policy).map_err(unlocated)?;
    let mut header_cpus = None;
    let mut processes = String::new();
    let (mut jobs, mut skipped, mut written) = (0u64, 0u64, 0u64);
    let mut ids = BTreeSet::new();
    let mut read = 0;
    for (index, line) in text.lines().enumerate() {
        let number = index + 1;
        read += line.len() + 1;
        if number.is_multiple_of(4096) {
            progress(read.min(text.len()));
        }
        let at = |message: String| SwfError {
            line: Some(number),
            message,
        };
        let line = line.trim();
        if let Some(comment) = line.strip_prefix(';') {
            if let Some((key, value)) = comment.split_once(':')
                && matches!(key.trim(), "MaxProcs" | "MaxNodes")
                && header_cpus.is_none()
            {
                header_cpus = value.trim().parse::<u64>().ok().filter(|&cpus| cpus > 0);
            }
            continue;
        }
        if line.is_empty() {
            continue;
        }
        if options.max_jobs.is_some_and(|max| jobs >= max) {
            break;
        }
        let fields: Vec<&str> = line.split_whitespace().collect();
        if fields.len() < 5 {
            return Err(at(format!(
                "expected the 18 fields of a job (at least job number, submit, wait, run time \
                 and processors), got {}",
                fields.len()
            )));
        }
        let field = |position: usize, what: &str| -> Result<i64, SwfError> {
            let text = fields.get(position - 1).copied().unwrap_or("-1");
            // Some archives write whole numbers as `3600.00`.
            let value = text
                .parse::<i64>()
                .ok()
                .or_else(|| {
                    text.parse::<f64>()
                        .ok()
                        .filter(|v| v.is_finite() && v.abs() < 1e18)
                        .map(|v| v.round() as i64)
                })
                .ok_or_else(|| {
                    at(format!(
                        "field {position} ({what}): expected a number, got `{text}`"
                    ))
                })?;
            Ok(value)
        };
        jobs += 1;
        let id = field(1, "job number")?;
        let submit = field(2, "submit time")?;
        let run = field(4, "run time")?;
        let allocated = field(5, "allocated processors")?;
        let requested = field(8, "requested processors")?;
        if !ids.insert(id) {
            return Err(at(format!("job number {id} appears twice")));
        }
        // Cancelled jobs and jobs without a run time never ran: nothing to simulate.
        if run <= 0 || submit < 0 {
            skipped += 1;
            continue;
        }
        let processors = if allocated > 0 {
            allocated
        } else {
            requested.max(1)
        };
        let (submit, run) = (submit as u64, run as u64);
        if submit > MAX_TICKS || run > MAX_TICKS {
            return Err(at(format!(
                "times above {MAX_TICKS} seconds are not simulated"
            )));
        }
        // One process per processor: no more than a machine can have, so that a short line
        // cannot ask for millions of processes.
        if options.per_processor && processors as u64 > MAX_CPUS {
            return Err(at(format!(
                "field 5 (allocated processors): {processors} processors, more than the \
                 {MAX_CPUS} CPUs a machine has; import the job as one process (without \
                 --per-processor)"
            )));
        }
        let copies = if options.per_processor {
            processors as u64
        } else {
            1
        };
        written = written.saturating_add(copies);
        if written > MAX_IMPORTED_PROCESSES {
            return Err(at(format!(
                "more than {MAX_IMPORTED_PROCESSES} processes; import fewer jobs (--jobs N)"
            )));
        }
        for copy in 1..=copies {
            let name = if options.per_processor {
                format!("job{id}.{copy}")
            } else {
                format!("job{id}")
            };
            let _ = write!(
                processes,
                "  - {{name: \"{name}\", arrival: {submit}, burst: {run}}}"
            );
            if !options.per_processor && processors > 1 {
                let _ = write!(processes, "   # {processors} processors");
            }
            processes.push('\n');
        }
    }
    if written == 0 {
        return Err(unlocated(format!(
            "no job to simulate: {jobs} jobs read, {skipped} without a run time (cancelled or unknown)"
        )));
    }
    let cpus = match options.cpus {
        Some(cpus @ 1..=MAX_CPUS) => cpus,
        Some(cpus) => {
            return Err(unlocated(format!(
                "--cpus: expected 1 to {MAX_CPUS}, got {cpus}"
            )));
        }
        None => header_cpus.unwrap_or(1).min(MAX_CPUS),
    };
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Imported from a Standard Workload Format trace: {jobs} jobs read, {skipped} skipped \
         (no run time: cancelled or unknown)."
    );
    let _ = writeln!(
        out,
        "# One tick is one second. Each job arrives at its submit time and runs its run time {}.",
        if options.per_processor {
            "as one process per processor it used"
        } else {
            "as one process on one CPU (its processor count is noted)"
        }
    );
    let _ = writeln!(out, "name: {}", crate::ostep::quoted(&options.name));
    let _ = writeln!(out, "cpus: {cpus}");
    let _ = writeln!(out, "policy: {policy}");
    out.push_str("processes:\n");
    out.push_str(&processes);
    Ok(out)
}

/// `rr:4` → `{kind: rr, quantum: 4}`, after checking it against the policy table.
fn policy_yaml(text: &str) -> Result<String, String> {
    parse_policy_list(text).map_err(|error| format!("--policy: {error}"))?;
    match policy_list_items(text)?.as_slice() {
        [
            PolicyListItem {
                name,
                quantum: Some(quantum),
                ..
            },
        ] => {
            let option = crate::scenario::policies::policy_named(name)
                .and_then(crate::scenario::policies::time_slice_option)
                .unwrap_or("quantum");
            Ok(format!("{{kind: {name}, {option}: {quantum}}}"))
        }
        [PolicyListItem { name, .. }] => Ok(name.to_string()),
        items => Err(format!(
            "--policy: expected one policy, got {}",
            items.len()
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Scenario;

    const TRACE: &str = "; Version: 2.2\n; MaxProcs: 4\n\
        1 0 5 30 2 -1 -1 2 60 -1 1 1 1 1 1 -1 -1 -1\n\
        2 10 0 -1 1 -1 -1 1 60 -1 5 1 1 1 1 -1 -1 -1\n\
        3 12.00 0 8 -1 -1 -1 3 60 -1 1 1 1 1 1 -1 -1 -1\n";

    fn options() -> SwfOptions {
        SwfOptions {
            name: "trace".into(),
            cpus: None,
            policy: "fcfs".into(),
            per_processor: false,
            max_jobs: None,
        }
    }

    #[test]
    fn jobs_become_processes_and_cancelled_ones_are_skipped() {
        let yaml = swf_yaml(TRACE, &options()).unwrap();
        let scenario = Scenario::from_yaml(&yaml).unwrap();
        assert_eq!(scenario.cpus, 4);
        let jobs: Vec<(&str, u64, u64)> = scenario
            .processes
            .iter()
            .map(|p| (p.name.as_str(), p.arrival.0, p.total_cpu_ticks()))
            .collect();
        assert_eq!(jobs, [("job1", 0, 30), ("job3", 12, 8)]);
        assert!(yaml.contains("3 jobs read, 1 skipped"));
        assert!(yaml.contains("# 2 processors"));
    }

    #[test]
    fn per_processor_splits_a_parallel_job() {
        let options = SwfOptions {
            per_processor: true,
            policy: "rr:5".into(),
            cpus: Some(2),
            ..options()
        };
        let scenario = Scenario::from_yaml(&swf_yaml(TRACE, &options).unwrap()).unwrap();
        let names: Vec<&str> = scenario.processes.iter().map(|p| p.name.as_str()).collect();
        // job 3 had no allocated count: its requested 3 processors are used.
        assert_eq!(names, ["job1.1", "job1.2", "job3.1", "job3.2", "job3.3"]);
        assert_eq!(scenario.cpus, 2);
    }

    #[test]
    fn per_processor_refuses_a_job_wider_than_any_machine() {
        let options = SwfOptions {
            per_processor: true,
            ..options()
        };
        let line = "1 0 0 10 1025 -1 -1 1025 -1 -1 1 1 1 1 1 1 -1 -1\n";
        let error = swf_yaml(line, &options).unwrap_err();
        assert_eq!(error.line, Some(1));
        assert!(
            error
                .message
                .contains("1025 processors, more than the 1024 CPUs")
        );
        // 1024 is a machine's worth: split; without --per-processor, one process.
        let widest = line.replace("1025", "1024");
        assert_eq!(
            swf_yaml(&widest, &options)
                .unwrap()
                .matches("job1.")
                .count(),
            1024
        );
        assert!(swf_yaml(line, &super::tests::options()).is_ok());
    }

    #[test]
    fn bad_lines_and_options_are_named() {
        let error = swf_yaml("1 0 5\n", &options()).unwrap_err();
        assert_eq!(error.line, Some(1));
        assert!(
            error
                .to_string()
                .starts_with("line 1: expected the 18 fields")
        );
        let error = swf_yaml("; x\n1 0 5 ten 1\n", &options()).unwrap_err();
        assert_eq!(
            error.to_string(),
            "line 2: field 4 (run time): expected a number, got `ten`"
        );
        let error = swf_yaml("1 0 0 5 1\n1 3 0 5 1\n", &options()).unwrap_err();
        assert!(error.to_string().contains("job number 1 appears twice"));
        let policy = SwfOptions {
            policy: "bogus".into(),
            ..options()
        };
        assert!(
            swf_yaml(TRACE, &policy)
                .unwrap_err()
                .to_string()
                .starts_with("--policy:")
        );
        assert!(swf_yaml("; only a header\n", &options()).is_err());
        let first = SwfOptions {
            max_jobs: Some(1),
            ..options()
        };
        let scenario = Scenario::from_yaml(&swf_yaml(TRACE, &first).unwrap()).unwrap();
        assert_eq!(scenario.processes.len(), 1);
    }
}
