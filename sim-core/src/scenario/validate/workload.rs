//! The `workload:` block: processes generated from distributions with the scenario's seed, so
//! that a million-process experiment is five lines. `arrival` draws each process's arrival
//! time, except `{every: K}` (one every K ticks) and `{exponential: {mean: M}}`, whose samples are
//! the gaps between arrivals (a Poisson process). Each value is drawn in a fixed order (for
//! process 1, 2, ...: its arrival, then each CPU burst and the IO after
//! it), rounded, and at least 1 for CPU and IO lengths; `rand_distr` samples the exponential and normal ones
//! without `std` math, so the same seed gives the same workload everywhere.

use super::*;
use crate::random::SeededRng;
use crate::scenario::limits::MAX_GENERATED_NAME_BYTES;
use crate::scenario::{DistFile, WorkloadFile};
use rand_distr::{Distribution, Exp, Normal};
use std::collections::BTreeMap;

/// Most processes one workload may generate.
pub const MAX_GENERATED: u64 = 10_000_000;
/// Most CPU bursts of a generated process.
pub const MAX_BURSTS: u64 = 1_000_000;
/// Most program steps of all generated processes together (memory grows with them).
pub const MAX_GENERATED_STEPS: u64 = 20_000_000;

/// Most distinct programs a workload shares between its processes (beyond them, each process
/// drawn with new lengths has its own).
const MAX_SHARED_PROGRAMS: usize = 1 << 16;

/// The program of CPU bursts with IOs between them, of `lengths` in turn.
fn program_of(lengths: &[u64]) -> Program {
    lengths
        .iter()
        .enumerate()
        .map(|(index, &ticks)| {
            if index % 2 == 0 {
                Step::Cpu { ticks }
            } else {
                Step::Io {
                    device: DeviceId::DEFAULT,
                    ticks,
                }
            }
        })
        .collect()
}

/// The processes of `workload`, named apart from `taken` (the declared processes' names).
pub(super) fn generate(
    workload: &WorkloadFile,
    seed: u64,
    taken: &BTreeSet<String>,
) -> Result<Vec<ProcessSpec>, ScenarioError> {
    if workload.count == 0 || workload.count > MAX_GENERATED {
        return Err(ScenarioError::invalid(
            "workload.count",
            format!(
                "expected 1 to {MAX_GENERATED} processes, got {}",
                workload.count
            ),
        ));
    }
    let bursts = workload.bursts.unwrap_or(1);
    if bursts == 0 || bursts > MAX_BURSTS {
        return Err(ScenarioError::invalid(
            "workload.bursts",
            format!("expected 1 to {MAX_BURSTS} CPU bursts, got {bursts}"),
        ));
    }
    let steps = workload.count.saturating_mul(2 * bursts - 1);
    if steps > MAX_GENERATED_STEPS {
        return Err(ScenarioError::invalid(
            "workload",
            format!(
                "{} processes of {bursts} bursts are {steps} program steps; at most {MAX_GENERATED_STEPS} may be generated",
                workload.count
            ),
        ));
    }
    let io_time = match (&workload.io_time, bursts) {
        (Some(io), _) => Some(io),
        (None, 1) => None,
        (None, _) => {
            return Err(ScenarioError::invalid(
                "workload.io_time",
                "processes of several bursts need `io_time:`, the length of the IO between two",
            ));
        }
    };
    check(&workload.cpu, "workload.cpu", false)?;
    if let Some(io) = io_time {
        check(io, "workload.io_time", false)?;
    }
    if let Some(arrival) = &workload.arrival {
        check(arrival, "workload.arrival", true)?;
    }
    let template = workload.name.clone().unwrap_or_else(|| "P{i}".to_string());
    plain_text(&template, "workload.name", false)?;
    if !template.contains("{i}") && workload.count > 1 {
        return Err(ScenarioError::invalid(
            "workload.name",
            format!("`{template}` gives every process the same name: put {{i}} in it"),
        ));
    }
    // Checked on the template, before any name is made: a few thousand `{i}` in a million
    // names would be gigabytes of names from a one-line file.
    let longest = template.len() - 3 * template.matches("{i}").count()
        + template.matches("{i}").count() * workload.count.to_string().len();
    if longest > MAX_GENERATED_NAME_BYTES {
        return Err(ScenarioError::invalid(
            "workload.name",
            format!(
                "the names it makes would be up to {longest} bytes long; at most \
                 {MAX_GENERATED_NAME_BYTES} (write {{i}} once or twice)"
            ),
        ));
    }
    let mut rng = SeededRng::new(seed);
    let mut processes = Vec::with_capacity(workload.count as usize);
    let mut arrival = 0u64;
    // Processes drawn with the same lengths share one program (programs never change), so a
    // million processes from a few hundred combinations keep a few hundred programs.
    let mut shared: BTreeMap<Vec<u64>, Program> = BTreeMap::new();
    let mut lengths = Vec::with_capacity((2 * bursts - 1) as usize);
    for i in 1..=workload.count {
        let name = template.replace("{i}", &i.to_string());
        if taken.contains(&name) || RESERVED_NAMES.contains(&name.as_str()) {
            return Err(ScenarioError::invalid(
                "workload.name",
                format!("generated process `{name}` takes a name already in use"),
            ));
        }
        arrival = match &workload.arrival {
            None => 0,
            Some(DistFile::Every { every }) => (i - 1).saturating_mul(*every).min(MAX_TICKS),
            // A Poisson process: exponential gaps, process 1 at the first gap.
            Some(gap @ DistFile::Exponential { .. }) => arrival
                .saturating_add(draw(gap, &mut rng, 0))
                .min(MAX_TICKS),
            Some(time) => draw(time, &mut rng, 0),
        };
        lengths.clear();
        for burst in 0..bursts {
            lengths.push(draw(&workload.cpu, &mut rng, 1));
            if let Some(io) = io_time.filter(|_| burst + 1 < bursts) {
                lengths.push(draw(io, &mut rng, 1));
            }
        }
        let program = match shared.get(&lengths) {
            Some(program) => Arc::clone(program),
            None => {
                let program = program_of(&lengths);
                if shared.len() < MAX_SHARED_PROGRAMS {
                    shared.insert(lengths.clone(), Arc::clone(&program));
                }
                program
            }
        };
        processes.push(ProcessSpec {
            name,
            arrival: Tick(arrival),
            priority: 0,
            tickets: DEFAULT_TICKETS,
            options: LifecycleOptions::default(),
            program,
            max_claims: Vec::new(),
            affinity: Vec::new(),
            working_set: 0,
            nice: 0,
        });
    }
    Ok(processes)
}

/// A distribution must be one the field accepts, with parameters in range.
fn check(dist: &DistFile, path: &str, arrivals: bool) -> Result<(), ScenarioError> {
    let bad = |message: String| Err(ScenarioError::invalid(path, message));
    let finite = |value: f64| value.is_finite() && (0.0..=MAX_TICKS as f64).contains(&value);
    match dist {
        DistFile::Constant(value) if *value > MAX_TICKS => {
            bad(format!("expected at most {MAX_TICKS} ticks, got {value}"))
        }
        DistFile::Range([low, high])
        | DistFile::Uniform {
            uniform: crate::scenario::UniformFile { low, high },
        } if low > high || *high > MAX_TICKS => bad(format!(
            "expected low ≤ high ≤ {MAX_TICKS}, got [{low}, {high}]"
        )),
        DistFile::Exponential { exponential }
            if !(finite(exponential.mean) && exponential.mean > 0.0) =>
        {
            bad(format!("expected a mean above 0, got {}", exponential.mean))
        }
        DistFile::Normal { normal } if !(finite(normal.mean) && finite(normal.sd)) => bad(format!(
            "expected a mean and sd from 0 to {MAX_TICKS}, got mean {} sd {}",
            normal.mean, normal.sd
        )),
        DistFile::Every { .. } if !arrivals => {
            bad("`every` spaces arrivals; give the lengths another distribution".into())
        }
        DistFile::Every { every } if *every > MAX_TICKS => {
            bad(format!("expected at most {MAX_TICKS} ticks, got {every}"))
        }
        _ => Ok(()),
    }
}

/// One value of `dist`, rounded, at least `least`, at most `MAX_TICKS`.
fn draw(dist: &DistFile, rng: &mut SeededRng, least: u64) -> u64 {
    let value = match dist {
        DistFile::Constant(value) => *value,
        DistFile::Range([low, high])
        | DistFile::Uniform {
            uniform: crate::scenario::UniformFile { low, high },
        } => rng.between(*low, *high),
        DistFile::Exponential { exponential } => {
            let sample: f64 = Exp::new(1.0 / exponential.mean)
                .map_or(exponential.mean, |exp| exp.sample(rng.rng()));
            rounded(sample)
        }
        DistFile::Normal { normal } => {
            let sample: f64 = Normal::new(normal.mean, normal.sd)
                .map_or(normal.mean, |dist| dist.sample(rng.rng()));
            rounded(sample)
        }
        DistFile::Every { every } => *every,
    };
    value.clamp(least, MAX_TICKS)
}

/// A sample rounded to whole ticks (negative ones to 0).
fn rounded(sample: f64) -> u64 {
    if sample.is_finite() && sample > 0.0 {
        sample.round().min(MAX_TICKS as f64) as u64
    } else {
        0
    }
}
