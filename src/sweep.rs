//! `procsim sweep FILE --policies fcfs,sjf,rr --quantum 1..20 --seeds 0..9 --cpus 1,2,4`: every
//! combination of the parameters, run in parallel (each run is independent and deterministic;
//! rows come back in the order of the combinations), as a CSV or JSON table and, with `--plot`,
//! a line chart of the averages against the swept parameter — "which quantum is best?" in one
//! command.

use crate::cli::{SweepArgs, SweepFormat};
use crate::commands::{
    EXIT_BAD_SCENARIO, EXIT_LIMIT, EXIT_USAGE, Failure, load_scenario_with, to_json,
};
use indicatif::ProgressBar;
use rayon::prelude::*;
use serde::Serialize;
use sim_core::Scenario;
use sim_core::report::run_streamed_without_chart;
use sim_core::scenario::PolicyConfig;
use sim_core::scenario::policies::{self, PolicySpec};
use std::collections::BTreeMap;

/// Reads a parameter of a row (None: the row does not have it, e.g. fcfs's quantum).
type Parameter<'a> = &'a dyn Fn(&SweepRow) -> Option<u64>;
/// A measure drawn: its name, how to read it, and its line's dash pattern.
type Measure = (&'static str, fn(&SweepRow) -> Option<f64>, &'static str);
/// A line of the chart: its label, colour, dash pattern and points.
type Line = (String, &'static str, &'static str, Vec<(f64, f64)>);

/// Most runs one sweep may ask for.
const MAX_RUNS: usize = 1_000_000;

/// One run of the sweep: its parameters and its averages.
#[derive(Clone, Debug, Serialize)]
pub struct SweepRow {
    pub policy: String,
    /// The quantum the run used, for the policies that take one.
    pub quantum: Option<u64>,
    pub seed: u64,
    pub cpus: usize,
    /// Averages over the finished processes; `None` (JSON `null`, an empty CSV cell) when none
    /// finished.
    pub turnaround: Option<f64>,
    pub waiting: Option<f64>,
    pub response: Option<f64>,
    pub makespan: u64,
    pub context_switches: u64,
}

/// A run of the sweep before it runs, for each seed: the policy, quantum and CPU count it runs
/// with.
struct Combination {
    policy: PolicyConfig,
    quantum: Option<u64>,
    cpus: usize,
}

/// Whether the policy of `item` takes a quantum (and so runs once per `--quantum`).
fn takes_quantum(item: &PolicyItem) -> bool {
    policies::time_slice_option(item.spec).is_some()
}

/// A policy of the list: its table entry and the quantum written with it (`rr:4`), if any.
struct PolicyItem {
    spec: &'static PolicySpec,
    fixed_quantum: Option<u64>,
}

pub fn sweep(args: SweepArgs) -> Result<String, Failure> {
    let usage = |message: String| Failure::new(format!("error: {message}"), EXIT_USAGE);
    if let Some(plot) = &args.plot {
        // Before the runs: a --plot that is the scenario would be destroyed.
        crate::output::not_an_input(plot, &[&args.scenario])
            .map_err(|error| usage(format!("--plot {error}")))?;
    }
    let seeds = match &args.seeds {
        Some(text) => Some(parse_numbers(text, "--seeds").map_err(usage)?),
        None => None,
    };
    // The file is parsed once; with --seeds, the scenario of each seed (its `workload:`
    // generated with it) is built when its runs start and dropped when they end, so a thousand
    // seeds of a large workload never exist together.
    let seed_list: Vec<Option<u64>> = match seeds {
        Some(seeds) => seeds.into_iter().map(Some).collect(),
        None => vec![None],
    };
    // The text is kept only when other seeds will need it.
    let (text, first) = load_scenario_with(&args.scenario, |text| {
        let first = match seed_list[0] {
            Some(seed) => Scenario::reseedable(text)?.with_seed(seed)?,
            None => Scenario::from_yaml(text)?,
        };
        Ok(((seed_list.len() > 1).then(|| text.to_string()), first))
    })?;
    let origin = crate::commands::origin_of(&args.scenario);
    let reseedable = text
        .as_deref()
        .map(Scenario::reseedable)
        .transpose()
        .map_err(|error| Failure::new(error.detailed(&origin), EXIT_BAD_SCENARIO))?;
    let items = parse_policies(&args.policies).map_err(usage)?;
    let quanta = match &args.quantum {
        Some(text) => parse_numbers(text, "--quantum").map_err(usage)?,
        None => Vec::new(),
    };
    let cpus: Vec<usize> = match &args.cpus {
        Some(text) => parse_numbers(text, "--cpus")
            .map_err(usage)?
            .into_iter()
            .map(|c| c as usize)
            .collect(),
        None => vec![first.cpus],
    };
    let most = sim_core::scenario::limits::MAX_CPUS as usize;
    if let Some(&bad) = cpus.iter().find(|&&c| c == 0 || c > most) {
        return Err(usage(format!(
            "--cpus: a machine has 1 to 1024 CPUs, not {bad}"
        )));
    }
    // Counted before anything is built: the policies' quanta times the CPU counts and seeds.
    let policy_runs: usize = items
        .iter()
        .map(|item| match (item.fixed_quantum, takes_quantum(item)) {
            (None, true) if !quanta.is_empty() => quanta.len(),
            _ => 1,
        })
        .sum();
    let total = [cpus.len(), seed_list.len()]
        .iter()
        .try_fold(policy_runs, |count, &factor| count.checked_mul(factor))
        .filter(|&count| count <= MAX_RUNS);
    let Some(total) = total else {
        return Err(usage(format!(
            "the sweep has more than {MAX_RUNS} combinations ({} policy runs × {} CPU counts × {} seeds): narrow the ranges",
            policy_runs,
            cpus.len(),
            seed_list.len()
        )));
    };
    // Every combination but the seed, in a fixed order: policy, quantum, CPUs.
    let mut combinations: Vec<Combination> = Vec::new();
    for item in &items {
        let item_quanta: Vec<Option<u64>> = match (item.fixed_quantum, takes_quantum(item)) {
            (Some(q), _) => vec![Some(q)],
            (None, true) if !quanta.is_empty() => quanta.iter().map(|&q| Some(q)).collect(),
            (None, _) => vec![None],
        };
        for quantum in item_quanta {
            let options = policies::options_with_time_slice(item.spec.name, quantum);
            let config = policies::validate(&options).map_err(|error| {
                // The hint fits what was given: no quantum, or one the policy refuses.
                let hint = match quantum {
                    None => format!("give --quantum, or write {}:Q", item.spec.name),
                    Some(q) => format!("with quantum {q}"),
                };
                usage(format!(
                    "--policies {}: {} ({hint})",
                    item.spec.name,
                    error.unlocated().one_line("").trim_start_matches(": "),
                ))
            })?;
            for &cpu_count in &cpus {
                if let Some(why) = first.refuses(&config, cpu_count) {
                    return Err(usage(format!("--policies {}: {why}", item.spec.name)));
                }
                combinations.push(Combination {
                    policy: config.clone(),
                    quantum,
                    cpus: cpu_count,
                });
            }
        }
    }
    let progress = if total > 1 {
        crate::progress::bar(total as u64, "sweep {bar:40} {pos}/{len} runs {eta}")
    } else {
        ProgressBar::hidden()
    };
    // Rows by (combination, seed): the output lists a combination's seeds together.
    let mut rows: Vec<Option<SweepRow>> = vec![None; total];
    let seed_count = seed_list.len();
    // Seeds go a few at a time, as many as there are threads: every thread has runs to do
    // even when each seed has one combination, and no more scenarios than threads exist at once.
    let per_chunk = rayon::current_num_threads().max(1);
    for (chunk_index, chunk) in seed_list.chunks(per_chunk).enumerate() {
        let first_index = chunk_index * per_chunk;
        let scenarios: Vec<std::borrow::Cow<Scenario>> = chunk
            .iter()
            .enumerate()
            .map(|(offset, &seed)| match (seed, &reseedable) {
                (Some(seed), Some(reseedable)) if first_index + offset > 0 => reseedable
                    .with_seed(seed)
                    .map(std::borrow::Cow::Owned)
                    .map_err(|error| Failure::new(error.detailed(&origin), EXIT_BAD_SCENARIO)),
                _ => Ok(std::borrow::Cow::Borrowed(&first)),
            })
            .collect::<Result<_, _>>()?;
        let pairs: Vec<(usize, usize)> = (0..scenarios.len())
            .flat_map(|offset| (0..combinations.len()).map(move |c| (offset, c)))
            .collect();
        let results: Vec<Result<SweepRow, String>> = pairs
            .par_iter()
            .map(|&(offset, combination)| {
                let Combination {
                    policy,
                    quantum,
                    cpus,
                } = &combinations[combination];
                // Copied here, in parallel: a scenario of many processes takes a while to
                // copy, and a sweep of many runs would hold every copy at once.
                let mut run = scenarios[offset].as_ref().clone();
                run.set_policy(policy.clone());
                run.cpus = *cpus;
                let seed = run.seed;
                let report = run_streamed_without_chart(run, args.max_events).map_err(|error| {
                    format!("{} on {cpus} CPUs, seed {seed}: {error}", policy.describe())
                })?;
                progress.inc(1);
                Ok(SweepRow {
                    policy: policy.kind().to_string(),
                    quantum: *quantum,
                    seed,
                    cpus: *cpus,
                    turnaround: report.averages.turnaround,
                    waiting: report.averages.waiting,
                    response: report.averages.response,
                    makespan: report.makespan,
                    context_switches: report.context_switches,
                })
            })
            .collect();
        for (&(offset, combination), result) in pairs.iter().zip(results) {
            let row = result.map_err(|error| {
                Failure::new(
                    format!(
                        "error: {}: {error}",
                        crate::commands::shown_path(&args.scenario)
                    ),
                    EXIT_LIMIT,
                )
            })?;
            rows[combination * seed_count + first_index + offset] = Some(row);
        }
    }
    progress.finish_and_clear();
    let rows: Vec<SweepRow> = rows.into_iter().flatten().collect();
    let scenario = &first;
    if let Some(path) = &args.plot {
        let chart = line_chart_svg(&scenario.name, &rows);
        crate::output::write_output(path, &chart, &[&args.scenario])
            .map_err(|error| Failure::new(format!("error: --plot {error}"), EXIT_USAGE))?;
    }
    Ok(match args.format {
        SweepFormat::Json => to_json(&rows),
        SweepFormat::Csv => csv(&rows),
    })
}

/// The policy list: names with an optional `:Q` (the grammar of `compare --policies`).
fn parse_policies(text: &str) -> Result<Vec<PolicyItem>, String> {
    let items =
        policies::policy_list_items(text).map_err(|error| format!("--policies: {error}"))?;
    items
        .into_iter()
        .map(|item| {
            let spec = policies::policy_named(item.name).ok_or_else(|| {
                format!(
                    "--policies: unknown policy `{}`, expected one of {}",
                    item.name,
                    policies::policy_names()
                )
            })?;
            Ok(PolicyItem {
                spec,
                fixed_quantum: item.quantum,
            })
        })
        .collect()
}

/// `1..20` (inclusive), `1,2,4`, or a mix: `1..3,8`; at most [`MAX_RUNS`] values in all.
fn parse_numbers(text: &str, flag: &str) -> Result<Vec<u64>, String> {
    sim_core::ranges::parse_number_list(text, flag, MAX_RUNS)
}

/// A CSV cell: empty when there is no value.
fn cell(value: Option<f64>) -> String {
    value.map_or_else(String::new, |v| v.to_string())
}

fn csv(rows: &[SweepRow]) -> String {
    let mut out = String::from(
        "policy,quantum,seed,cpus,turnaround,waiting,response,makespan,context_switches\n",
    );
    for row in rows {
        out.push_str(&format!(
            "{},{},{},{},{},{},{},{},{}\n",
            sim_core::text::csv_cell(&row.policy),
            row.quantum.map_or(String::new(), |q| q.to_string()),
            row.seed,
            row.cpus,
            cell(row.turnaround),
            cell(row.waiting),
            cell(row.response),
            row.makespan,
            row.context_switches
        ));
    }
    out
}

/// The averages against the swept parameter (the quantum, else the CPUs, else the seed), one
/// line per policy and measure, each point the mean over the other parameters.
fn line_chart_svg(title: &str, rows: &[SweepRow]) -> String {
    let distinct = |key: Parameter| {
        let mut values: Vec<u64> = rows.iter().filter_map(key).collect();
        values.sort_unstable();
        values.dedup();
        values
    };
    let axes: [(&str, Parameter); 3] = [
        ("quantum", &|r| r.quantum),
        ("CPUs", &|r| Some(r.cpus as u64)),
        ("seed", &|r| Some(r.seed)),
    ];
    let (axis, key) = axes
        .iter()
        .find(|(_, key)| distinct(*key).len() > 1)
        .map_or(("quantum", axes[0].1), |(name, key)| (*name, *key));
    let xs = distinct(key);
    let (x_low, x_high) = (
        *xs.first().unwrap_or(&0) as f64,
        (*xs.last().unwrap_or(&1) as f64).max(*xs.first().unwrap_or(&0) as f64 + 1.0),
    );
    let mut policies: Vec<&str> = rows.iter().map(|r| r.policy.as_str()).collect();
    policies.dedup();
    let measures: [Measure; 3] = [
        ("waiting", |r| r.waiting, "6 0"),
        ("turnaround", |r| r.turnaround, "0"),
        ("response", |r| r.response, "2 3"),
    ];
    let colours = [
        "#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00",
    ];
    // The sum and count of each measure at each (policy, x), in one pass over the rows: a
    // sweep of 100,000 quanta has as many points, which a filter per point made quadratic.
    let mut sums: BTreeMap<(&str, u64), [(f64, usize); 3]> = BTreeMap::new();
    for row in rows {
        if let Some(x) = key(row) {
            let entry = sums.entry((row.policy.as_str(), x)).or_default();
            for (slot, (_, measure, _)) in entry.iter_mut().zip(measures) {
                if let Some(value) = measure(row) {
                    slot.0 += value;
                    slot.1 += 1;
                }
            }
        }
    }
    // Each line: (label, colour, dash, points).
    let mut lines: Vec<Line> = Vec::new();
    for (index, policy) in policies.iter().enumerate() {
        for (which, (name, measure, dash)) in measures.into_iter().enumerate() {
            let points: Vec<(f64, f64)> = xs
                .iter()
                .filter_map(|&x| {
                    let (sum, count) = sums.get(&(*policy, x))?[which];
                    (count > 0).then(|| (x as f64, sum / count as f64))
                })
                .collect();
            // A policy that does not vary along the axis (no quantum) is a flat reference line.
            let points = if points.is_empty() {
                let values: Vec<f64> = rows
                    .iter()
                    .filter(|r| r.policy == *policy)
                    .filter_map(measure)
                    .collect();
                let mean = values.iter().sum::<f64>() / values.len().max(1) as f64;
                vec![(x_low, mean), (x_high, mean)]
            } else {
                points
            };
            lines.push((
                format!("{policy} {name}"),
                colours[index % colours.len()],
                dash,
                points,
            ));
        }
    }
    let y_high = lines
        .iter()
        .flat_map(|(_, _, _, points)| points.iter().map(|p| p.1))
        .fold(1.0_f64, f64::max);
    let (left, top, width, height) = (60.0, 40.0, 640.0, 320.0);
    let x_of = |x: f64| left + (x - x_low) / (x_high - x_low) * width;
    let y_of = |y: f64| top + height - y / y_high * height;
    let escape = sim_core::text::xml_text;
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{}\" font-family=\"sans-serif\" font-size=\"12\">\n\
         <text x=\"10\" y=\"22\" font-size=\"15\" font-weight=\"bold\">{} — average times against the {axis}</text>\n\
         <line x1=\"{left}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"black\"/>\n\
         <line x1=\"{left}\" y1=\"{top}\" x2=\"{left}\" y2=\"{}\" stroke=\"black\"/>\n\
         <text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{axis}</text>\n",
        left + width + 220.0,
        top + height + 50.0,
        escape(title),
        top + height,
        left + width,
        top + height,
        top + height,
        left + width / 2.0,
        top + height + 40.0,
    );
    // At most about a dozen labels on the axis, evenly spaced among the values swept.
    let label_every = xs.len().div_ceil(12).max(1);
    for &x in xs.iter().step_by(label_every) {
        svg.push_str(&format!(
            "<text x=\"{:.1}\" y=\"{}\" text-anchor=\"middle\" font-size=\"10\">{x}</text>\n",
            x_of(x as f64),
            top + height + 16.0
        ));
    }
    for step in 0..=4 {
        let y = y_high * step as f64 / 4.0;
        svg.push_str(&format!(
            "<text x=\"{}\" y=\"{:.1}\" text-anchor=\"end\" font-size=\"10\">{}</text>\n",
            left - 6.0,
            y_of(y) + 4.0,
            sim_core::text::number((y * 100.0).round() / 100.0)
        ));
    }
    for (index, (label, colour, dash, points)) in lines.iter().enumerate() {
        let path: Vec<String> = points
            .iter()
            .map(|&(x, y)| format!("{:.1},{:.1}", x_of(x), y_of(y)))
            .collect();
        svg.push_str(&format!(
            "<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\" stroke-dasharray=\"{dash}\" points=\"{}\"/>\n\
             <line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{colour}\" stroke-width=\"2\" stroke-dasharray=\"{dash}\"/>\n\
             <text x=\"{}\" y=\"{}\">{}</text>\n",
            path.join(" "),
            left + width + 20.0,
            top + index as f64 * 18.0,
            left + width + 50.0,
            top + index as f64 * 18.0,
            left + width + 56.0,
            top + index as f64 * 18.0 + 4.0,
            escape(label)
        ));
    }
    svg.push_str("</svg>\n");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(policy: &str, quantum: u64, waiting: f64) -> SweepRow {
        SweepRow {
            policy: policy.to_string(),
            quantum: Some(quantum),
            seed: 0,
            cpus: 1,
            turnaround: Some(waiting + 1.0),
            waiting: Some(waiting),
            response: Some(0.0),
            makespan: 10,
            context_switches: 1,
        }
    }

    #[test]
    fn a_chart_of_many_quanta_labels_about_a_dozen_and_averages_each_point() {
        let mut rows: Vec<SweepRow> = (1..=100_000).map(|q| row("rr", q, q as f64)).collect();
        // Two rows at one quantum (two seeds): the point is their mean.
        rows.push(row("rr", 1, 3.0));
        let svg = line_chart_svg("t", &rows);
        let labels = svg.matches("font-size=\"10\">").count();
        assert!((12..=20).contains(&labels), "{labels} labels");
        let waiting = svg
            .lines()
            .find(|line| line.starts_with("<polyline") && line.contains("6 0"))
            .unwrap();
        let points = waiting.split('"').nth(9).unwrap();
        assert_eq!(points.split(' ').count(), 100_000);
        // Quantum 1 has waiting 1 and 3: mean 2, drawn at y = 360 - 2 / 100000 * 320.
        assert!(points.starts_with("60.0,360.0 "), "{}", &points[..40]);
    }
}
