//! `procsim compare FILE --policies fcfs,sjf,srtf,rr:4 [--plot FILE.svg]`: the same workload
//! under several policies, their averages side by side, and a grouped bar chart.

use crate::cli::{CompareArgs, CompareFormat};
use crate::commands::{EXIT_LIMIT, EXIT_USAGE, Failure, load_scenario, to_json};
use serde::Serialize;
use sim_core::report::run_streamed;
use sim_core::scenario::policies::parse_policy_list;
use sim_core::text::{maybe_number, number, table};

/// One policy's figures.
#[derive(Debug, Serialize)]
pub struct PolicyRow {
    pub policy: String,
    /// Averages over the finished processes; `null` when none finished.
    pub turnaround: Option<f64>,
    pub waiting: Option<f64>,
    pub response: Option<f64>,
    pub makespan: u64,
    pub context_switches: u64,
    /// With `tasks:`: how many jobs missed their deadline.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deadline_misses: Option<u64>,
}

pub fn compare(args: CompareArgs) -> Result<String, Failure> {
    if let Some(plot) = &args.plot {
        crate::output::not_an_input(plot, &[&args.scenario])
            .map_err(|error| Failure::new(format!("error: --plot {error}"), EXIT_USAGE))?;
    }
    let scenario = load_scenario(&args.scenario)?;
    let policies = parse_policy_list(&args.policies)
        .map_err(|error| Failure::new(format!("error: --policies {error}"), EXIT_USAGE))?;
    let mut rows = Vec::new();
    for policy in &policies {
        if let Some(why) = scenario.refuses(policy, scenario.cpus) {
            return Err(Failure::new(
                format!("error: --policies {}: {why}", policy.kind()),
                EXIT_USAGE,
            ));
        }
    }
    for policy in policies {
        let described = policy.describe();
        let mut variant = scenario.clone();
        variant.set_policy(policy);
        let report = run_streamed(variant, args.max_events).map_err(|error| {
            Failure::new(
                format!("error: {}: {described}: {error}", args.scenario.display()),
                EXIT_LIMIT,
            )
        })?;
        rows.push(PolicyRow {
            policy: report.policy.clone(),
            turnaround: report.averages.turnaround,
            waiting: report.averages.waiting,
            response: report.averages.response,
            makespan: report.makespan,
            context_switches: report.context_switches,
            deadline_misses: report.deadline_misses,
        });
    }
    let mut out = match args.format {
        CompareFormat::Json => to_json(&rows),
        CompareFormat::Text => {
            let cells: Vec<Vec<String>> = rows
                .iter()
                .map(|row| {
                    let mut cells = vec![
                        row.policy.clone(),
                        maybe_number(row.turnaround),
                        maybe_number(row.waiting),
                        maybe_number(row.response),
                        row.makespan.to_string(),
                        row.context_switches.to_string(),
                    ];
                    cells.extend(row.deadline_misses.map(|misses| misses.to_string()));
                    cells
                })
                .collect();
            let mut headings = vec![
                "Policy",
                "Turnaround",
                "Waiting",
                "Response",
                "Makespan",
                "Switches",
            ];
            if scenario.realtime.is_some() {
                headings.push("Deadline misses");
            }
            format!(
                "{} — averages under each policy\n\n{}",
                scenario.name,
                table(&headings, &cells)
            )
        }
    };
    if let Some(path) = &args.plot {
        let chart = bar_chart_svg(&scenario.name, &rows);
        crate::output::write_output(path, &chart, &[&args.scenario])
            .map_err(|error| Failure::new(format!("error: --plot {error}"), EXIT_USAGE))?;
        if args.format == CompareFormat::Text {
            out.push_str(&format!(
                "\nwrote the chart to {}\n",
                crate::commands::shown_path(path)
            ));
        }
    }
    Ok(out)
}

/// A grouped bar chart: one group per policy, a bar for each average.
pub fn bar_chart_svg(title: &str, rows: &[PolicyRow]) -> String {
    const COLOURS: [&str; 3] = ["#0072b2", "#e69f00", "#009e73"];
    const NAMES: [&str; 3] = ["turnaround", "waiting", "response"];
    let (left, top, height, group, bar) = (60.0, 50.0, 260.0, 130.0, 30.0);
    let width = left + group * rows.len() as f64 + 40.0;
    let most = rows
        .iter()
        .flat_map(|r| [r.turnaround, r.waiting, r.response])
        .flatten()
        .fold(1.0_f64, f64::max);
    let escape = sim_core::text::xml_text;
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{}\" font-family=\"sans-serif\" font-size=\"12\">\n\
         <text x=\"10\" y=\"22\" font-size=\"15\" font-weight=\"bold\">{} — average times by policy</text>\n",
        top + height + 70.0,
        escape(title)
    );
    for (index, (name, colour)) in NAMES.iter().zip(COLOURS).enumerate() {
        let x = left + index as f64 * 110.0;
        svg.push_str(&format!(
            "<rect x=\"{x}\" y=\"30\" width=\"12\" height=\"12\" fill=\"{colour}\"/><text x=\"{}\" y=\"40\">{name}</text>\n",
            x + 16.0
        ));
    }
    let base = top + height;
    svg.push_str(&format!(
        "<line x1=\"{left}\" y1=\"{base}\" x2=\"{}\" y2=\"{base}\" stroke=\"black\"/>\n",
        width - 20.0
    ));
    for (index, row) in rows.iter().enumerate() {
        let x0 = left + 10.0 + group * index as f64;
        for (k, value) in [row.turnaround, row.waiting, row.response]
            .iter()
            .enumerate()
        {
            // No process finished: no bar.
            let Some(value) = value else {
                continue;
            };
            let h = value / most * (height - 20.0);
            let x = x0 + k as f64 * (bar + 4.0);
            svg.push_str(&format!(
                "<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"{bar}\" height=\"{h:.1}\" fill=\"{}\"><title>{}: {}</title></rect>\n\
                 <text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"10\">{}</text>\n",
                base - h,
                COLOURS[k],
                NAMES[k],
                number(*value),
                x + bar / 2.0,
                base - h - 3.0,
                number(*value)
            ));
        }
        svg.push_str(&format!(
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>\n",
            x0 + 1.5 * bar + 4.0,
            base + 16.0,
            escape(&row.policy)
        ));
    }
    svg.push_str("</svg>\n");
    svg
}
