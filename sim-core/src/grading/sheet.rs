//! Exam sheets in LaTeX: the problem (the workload, the policy and the rules), a Gantt grid
//! (TikZ) and a table of metrics — blank for students to fill, or filled from the answer key.
//! A standalone document: `pdflatex` compiles it with Debian's texlive-latex-base and
//! texlive-pictures.

use super::key::AnswerKey;
use crate::scenario::Step;

/// The sheet of `key`'s scenario; `blank` leaves the chart and the metrics to fill in.
pub fn latex_sheet(key: &AnswerKey, blank: bool) -> String {
    let scenario = &key.scenario;
    let report = &key.report;
    let mut out = String::from(
        "\\documentclass[11pt]{article}\n\\usepackage[margin=2cm]{geometry}\n\\usepackage[T1]{fontenc}\n\
         \\usepackage{tikz}\n\\pagestyle{empty}\n\\begin{document}\n",
    );
    out.push_str(&format!("\\section*{{{}}}\n", latex(&scenario.name)));
    if let Some(description) = &scenario.description {
        out.push_str(&format!("{}\n\n", latex(description)));
    }
    let rules = &scenario.rules;
    out.push_str(&format!(
        "\\noindent\\textbf{{Policy:}} {}; \\textbf{{CPUs:}} {}; a process whose quantum expires \
         re-enters the ready queue {} the processes that arrive at that tick; context switch: {}.\n\n",
        latex(&scenario.policy.describe()),
        scenario.cpus,
        if rules.preempted_before_arrivals { "before" } else { "after" },
        latex(&crate::text::ticks(rules.context_switch_ticks)),
    ));
    // The task set, if any: its jobs are not listed one by one.
    let jobs = scenario
        .realtime
        .as_ref()
        .map_or(0, |realtime| realtime.jobs.len());
    if let Some(realtime) = &scenario.realtime {
        out.push_str(&format!(
            "\\subsection*{{Tasks}}\nEach task releases a job every period from its offset, until {}; a job must finish its WCET by its release plus its deadline.\n\n\\begin{{tabular}}{{lrrrr}}\n\\hline\nTask & Period & WCET & Deadline & Offset \\\\\n\\hline\n",
            realtime.horizon.0
        ));
        for task in &realtime.tasks {
            out.push_str(&format!(
                "{} & {} & {} & {} & {} \\\\\n",
                latex(&task.name),
                task.period,
                task.wcet,
                task.deadline,
                task.offset
            ));
        }
        out.push_str("\\hline\n\\end{tabular}\n\n");
    }
    // The workload: the processes (beside a task set, its background work).
    let rows = workload(scenario);
    let background = &rows[..rows.len() - jobs];
    if !background.is_empty() || jobs == 0 {
        out.push_str("\\subsection*{Workload}\n\\begin{tabular}{lrrl}\n\\hline\nProcess & Arrival & Priority & Program \\\\\n\\hline\n");
        for row in background {
            out.push_str(&format!(
                "{} & {} & {} & {} \\\\\n",
                latex(&row.name),
                row.arrival,
                row.priority,
                latex(&row.program)
            ));
        }
        out.push_str("\\hline\n\\end{tabular}\n\n");
    }
    // The Gantt grid: one lane per CPU, a mark every tick (every few ticks on long runs).
    // A blank grid runs past the end of the run, to a round number, so it does not give the
    // last completion away.
    let end = if blank {
        (report.makespan + report.makespan / 5 + 1).div_ceil(5) * 5
    } else {
        report.makespan.max(1)
    };
    let unit = 16.0 / end as f64; // the chart is 16 cm wide
    let step = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000]
        .into_iter()
        .find(|s| end / s <= 40)
        .unwrap_or(end.div_ceil(40));
    out.push_str(if blank {
        "\\subsection*{Gantt chart (fill in)}\n"
    } else {
        "\\subsection*{Gantt chart}\n"
    });
    out.push_str("\\begin{tikzpicture}[x=1cm,y=1cm]\n");
    for cpu in 0..scenario.cpus {
        let y = -(cpu as f64) * 1.0;
        out.push_str(&format!(
            "\\node[anchor=east] at (0,{:.2}) {{CPU{cpu}}};\n\\draw (0,{:.2}) rectangle (16,{:.2});\n",
            y + 0.35,
            y,
            y + 0.7
        ));
        let mut t = 0;
        while t <= end {
            let x = t as f64 * unit;
            out.push_str(&format!(
                "\\draw[gray!50] ({x:.3},{y:.2}) -- ({x:.3},{:.2});\n",
                y + 0.7
            ));
            t += step;
        }
        if !blank {
            for slice in report.gantt.iter().filter(|s| s.cpu.0 == cpu) {
                let Some(name) = &slice.name else { continue };
                let (x0, x1) = (slice.start.0 as f64 * unit, slice.end.0 as f64 * unit);
                out.push_str(&format!(
                    "\\draw[fill=blue!15] ({x0:.3},{y:.2}) rectangle ({x1:.3},{:.2});\n\\node at ({:.3},{:.2}) {{\\small {}}};\n",
                    y + 0.7,
                    (x0 + x1) / 2.0,
                    y + 0.35,
                    latex(name)
                ));
            }
        }
    }
    let axis = -((scenario.cpus as f64) - 1.0) - 0.3;
    let mut t = 0;
    while t <= end {
        out.push_str(&format!(
            "\\node[font=\\footnotesize] at ({:.3},{axis:.2}) {{{t}}};\n",
            t as f64 * unit
        ));
        t += step;
    }
    out.push_str("\\end{tikzpicture}\n\n");
    if scenario.realtime.is_some() {
        out.push_str(&jobs_section(key, blank));
    } else {
        out.push_str(&metrics_section(key, blank));
    }
    let names = std::iter::once(scenario.name.as_str())
        .chain(scenario.description.as_deref())
        .chain(report.processes.iter().map(|p| p.name.as_str()));
    if names.clone().any(transliterates) {
        out.push_str(
            "\n\\noindent\\small Characters this sheet's fonts lack are written as their code points (U+XXXX).\n",
        );
    }
    out.push_str("\\end{document}\n");
    out
}

/// The metrics table: a row per process, and the averages.
fn metrics_section(key: &AnswerKey, blank: bool) -> String {
    let report = &key.report;
    let mut out = String::new();
    out.push_str(if blank {
        "\\subsection*{Metrics (fill in)}\n"
    } else {
        "\\subsection*{Metrics}\n"
    });
    out.push_str("\\renewcommand{\\arraystretch}{1.6}\n\\begin{tabular}{|l|c|c|c|c|}\n\\hline\nProcess & Completion & Turnaround & Waiting & Response \\\\\n\\hline\n");
    let show = |value: Option<u64>| {
        if blank {
            "\\hspace{1.6cm}".to_string()
        } else {
            value.map_or("--".into(), |v| v.to_string())
        }
    };
    for (label, row) in key.processes() {
        out.push_str(&format!(
            "{} & {} & {} & {} & {} \\\\\n\\hline\n",
            latex(label),
            show(row.completion),
            show(row.turnaround),
            show(Some(row.waiting)),
            show(row.response)
        ));
    }
    let average = |value: Option<f64>| {
        if blank {
            "\\hspace{1.6cm}".to_string()
        } else {
            crate::text::maybe_number(value)
        }
    };
    out.push_str(&format!(
        "Average & & {} & {} & {} \\\\\n\\hline\n\\end{{tabular}}\n",
        average(report.averages.turnaround),
        average(report.averages.waiting),
        average(report.averages.response)
    ));
    out
}

/// A task set's jobs table (release, deadline, finish, response, missed) and, when the rubric
/// asks, the schedulability questions.
fn jobs_section(key: &AnswerKey, blank: bool) -> String {
    let fill = |value: String| {
        if blank {
            "\\hspace{1.6cm}".to_string()
        } else {
            value
        }
    };
    let mut out = String::from(if blank {
        "\\subsection*{Jobs (fill in)}\n"
    } else {
        "\\subsection*{Jobs}\n"
    });
    out.push_str("\\renewcommand{\\arraystretch}{1.6}\n\\begin{tabular}{|l|c|c|c|c|c|}\n\\hline\nJob & Release & Deadline & Finish & Response & Missed \\\\\n\\hline\n");
    let dash = |value: Option<u64>| value.map_or("--".to_string(), |v| v.to_string());
    for job in &key.report.jobs {
        out.push_str(&format!(
            "{} & {} & {} & {} & {} & {} \\\\\n\\hline\n",
            latex(&crate::scenario::realtime::job_name(&job.task, job.job)),
            job.release,
            job.deadline,
            fill(dash(job.finish)),
            fill(dash(job.response)),
            fill(if job.missed { "yes" } else { "no" }.to_string())
        ));
    }
    out.push_str("\\end{tabular}\n");
    if let Some(analysis) = &key.schedulability {
        use crate::rubric::QuestionKind;
        let mut lines = Vec::new();
        if key.asks(QuestionKind::Utilization) {
            lines.push(format!(
                "Utilisation $U = \\sum C_i / T_i$: {}",
                fill(format!("{:.3}", analysis.utilization))
            ));
        }
        if key.asks(QuestionKind::Schedulable) {
            lines.push(format!(
                "Schedulable under {}: {}",
                latex(analysis.policy),
                fill(if analysis.schedulable { "yes" } else { "no" }.to_string())
            ));
        }
        if key.asks(QuestionKind::ResponseTime) {
            for task in &analysis.response_times {
                lines.push(format!(
                    "Worst-case response time of {}: {}",
                    latex(&task.task),
                    fill(dash(task.response).replace("--", "miss"))
                ));
            }
        }
        if !lines.is_empty() {
            out.push_str("\n\\subsection*{Schedulability}\n");
            for line in lines {
                out.push_str(&format!("\\noindent {line}\\\\[0.4em]\n"));
            }
        }
    }
    out
}

/// One process of a problem as a sheet or a quiz question states it.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct WorkloadRow {
    pub name: String,
    pub arrival: u64,
    pub priority: i64,
    /// Its steps in words: `CPU 3, IO 2, CPU 1`.
    pub program: String,
}

/// The workload of `scenario`, a row per process, in the order it lists them.
pub fn workload(scenario: &crate::scenario::Scenario) -> Vec<WorkloadRow> {
    scenario
        .processes
        .iter()
        .map(|process| WorkloadRow {
            name: process.name.clone(),
            arrival: process.arrival.0,
            priority: process.priority,
            program: process
                .program
                .iter()
                .map(|step| match step {
                    Step::Cpu { ticks } | Step::Bytecode { ticks } => format!("CPU {ticks}"),
                    Step::Io { ticks, .. } => format!("IO {ticks}"),
                    other => crate::snapshot::describe_step(other, scenario),
                })
                .collect::<Vec<_>>()
                .join(", "),
        })
        .collect()
}

/// Text with LaTeX's special characters escaped, for pdflatex with the T1 encoding: `[` and
/// `]` braced (a row of a table that starts with `[` would be read as `\\`'s optional
/// argument), and a character outside ASCII and Latin-1's letters — CJK, emoji, other scripts,
/// which the sheet's fonts lack — written as its code point, `U+4E2D` (the sheet says so).
pub fn latex(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in crate::text::escape_controls(text).chars() {
        match c {
            '\\' => out.push_str("\\textbackslash{}"),
            '{' | '}' | '#' | '$' | '%' | '&' | '_' => {
                out.push('\\');
                out.push(c);
            }
            '~' => out.push_str("\\textasciitilde{}"),
            '^' => out.push_str("\\textasciicircum{}"),
            '[' | ']' => {
                out.push('{');
                out.push(c);
                out.push('}');
            }
            c if c.is_ascii() || ('\u{c0}'..='\u{ff}').contains(&c) => out.push(c),
            c => out.push_str(&format!("\\texttt{{U+{:04X}}}", c as u32)),
        }
    }
    out
}

/// Whether `latex` writes some character of `text` as its code point.
fn transliterates(text: &str) -> bool {
    text.chars()
        .any(|c| !(c.is_ascii() || c.is_control() || ('\u{c0}'..='\u{ff}').contains(&c)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn special_characters_are_escaped() {
        assert_eq!(
            latex("a_b & 50% #1 {x} ~^\\"),
            "a\\_b \\& 50\\% \\#1 \\{x\\} \\textasciitilde{}\\textasciicircum{}\\textbackslash{}"
        );
    }

    #[test]
    fn brackets_are_braced_and_characters_the_fonts_lack_are_code_points() {
        assert_eq!(latex("[x]"), "{[}x{]}");
        assert_eq!(latex("Zoë"), "Zoë");
        assert_eq!(latex("中😀"), "\\texttt{U+4E2D}\\texttt{U+1F600}");
        assert!(transliterates("中"));
        assert!(!transliterates("Zoë [1]"));
    }
}
