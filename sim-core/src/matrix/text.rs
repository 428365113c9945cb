//! The worked solution of a matrix exercise, as a student would write it: the matrices, then
//! every visit of the scan with Work and Finish.

use super::{Analysis, Matrix, Mode, Scan, add, le, scan, vector};
use crate::text::{display_width, pad_right};
use std::fmt::Write;

/// The step-by-step walk through the exercise's algorithm.
pub fn explain(matrix: &Matrix) -> String {
    let mut out = String::new();
    let algorithm = match matrix.mode {
        Mode::Banker => "banker's algorithm (safety check)",
        Mode::Detection => "deadlock detection (Available / Allocation / Request)",
    };
    let _ = writeln!(out, "{} — {algorithm}\n", matrix.name);
    let _ = writeln!(
        out,
        "Resources {}: total {}, available {}",
        matrix.resources.join(" "),
        vector(&matrix.total),
        vector(&matrix.available)
    );
    let _ = writeln!(
        out,
        "  (Available = Total - the sum of the Allocation rows)\n"
    );
    let need = matrix.need();
    let allocation: Vec<Vec<u64>> = matrix
        .processes
        .iter()
        .map(|p| p.allocation.clone())
        .collect();
    table(&mut out, matrix, &need);
    let initial = scan(&matrix.available, &allocation, &need);
    let title = match matrix.mode {
        Mode::Banker => "Safety algorithm",
        Mode::Detection => "Detection algorithm",
    };
    let _ = writeln!(out, "\n{title}:");
    walk(
        &mut out,
        matrix,
        &initial,
        &matrix.available,
        &need,
        &allocation,
    );
    match matrix.mode {
        Mode::Banker => {
            safety_verdict(&mut out, matrix, &initial);
            if matrix.request.is_none() {
                let _ = writeln!(
                    out,
                    "Result: {}.",
                    if initial.order.len() == matrix.processes.len() {
                        "safe"
                    } else {
                        "unsafe"
                    }
                );
            }
            if let Some(request) = &matrix.request {
                let name = &matrix.processes[request.process].name;
                let _ = writeln!(out, "\nRequest of {name}: {}", vector(&request.amounts));
                let _ = writeln!(
                    out,
                    "  1. Request {} <= Need {}? {}",
                    vector(&request.amounts),
                    vector(&need[request.process]),
                    yes_no(le(&request.amounts, &need[request.process]))
                );
                if le(&request.amounts, &need[request.process]) {
                    let _ = writeln!(
                        out,
                        "  2. Request {} <= Available {}? {}",
                        vector(&request.amounts),
                        vector(&matrix.available),
                        yes_no(le(&request.amounts, &matrix.available))
                    );
                }
                match matrix.pretend_grant(request) {
                    Err(reason) => {
                        let _ = writeln!(out, "Result: not granted: {reason}.");
                    }
                    Ok(state) => {
                        let _ = writeln!(
                            out,
                            "  3. Pretend to allocate: Available = {}, Allocation[{name}] = {}, Need[{name}] = {}",
                            vector(&state.available),
                            vector(&state.allocation[request.process]),
                            vector(&state.need[request.process])
                        );
                        let _ = writeln!(out, "     Safety algorithm on the new state:");
                        let after = scan(&state.available, &state.allocation, &state.need);
                        walk(
                            &mut out,
                            matrix,
                            &after,
                            &state.available,
                            &state.need,
                            &state.allocation,
                        );
                        safety_verdict(&mut out, matrix, &after);
                        let granted = after.order.len() == matrix.processes.len();
                        let _ = writeln!(
                            out,
                            "Result: {}.",
                            if granted {
                                "granted: the new state is safe".to_string()
                            } else {
                                format!(
                                    "not granted: the new state would be unsafe, so {name} waits"
                                )
                            }
                        );
                    }
                }
            }
            stream_text(&mut out, matrix);
        }
        Mode::Detection => {
            if let Analysis::Detection(report) = matrix.analyze() {
                if report.deadlocked.is_empty() {
                    let _ = writeln!(
                        out,
                        "Result: no deadlock; the processes can finish in the order <{}>.",
                        report.sequence.join(", ")
                    );
                } else {
                    let _ = writeln!(
                        out,
                        "Result: deadlock. {} cannot finish: each waits for what the others hold.",
                        report.deadlocked.join(", ")
                    );
                    if !report.sequence.is_empty() {
                        let _ = writeln!(
                            out,
                            "  The others finish in the order <{}>.",
                            report.sequence.join(", ")
                        );
                    }
                }
                if !report.starved.is_empty() {
                    let _ = writeln!(
                        out,
                        "  {} hold nothing but ask for more than can ever be free: they wait, yet are not part of a deadlock.",
                        report.starved.join(", ")
                    );
                }
            }
        }
    }
    out
}

fn table(out: &mut String, matrix: &Matrix, need: &[Vec<u64>]) {
    let claim = match matrix.mode {
        Mode::Banker => "Max",
        Mode::Detection => "Request",
    };
    let cell = |values: &[u64]| {
        values
            .iter()
            .map(u64::to_string)
            .collect::<Vec<_>>()
            .join(" ")
    };
    let name_width = matrix
        .processes
        .iter()
        .map(|p| display_width(&p.name))
        .max()
        .unwrap_or(0)
        .max("Process".len());
    let column = (matrix.resources.len() * 2).max(claim.len()).max(10) + 2;
    let mut header = format!(
        "{}  {}{}",
        pad_right("Process", name_width),
        pad_right("Allocation", column),
        pad_right(claim, column)
    );
    if matrix.mode == Mode::Banker {
        header.push_str("Need");
    }
    let _ = writeln!(out, "{}", header.trim_end());
    for (process, need) in matrix.processes.iter().zip(need) {
        let mut row = format!(
            "{}  {}{}",
            pad_right(&process.name, name_width),
            pad_right(&cell(&process.allocation), column),
            pad_right(&cell(&process.claim), column)
        );
        if matrix.mode == Mode::Banker {
            row.push_str(&cell(need));
        }
        let _ = writeln!(out, "{}", row.trim_end());
    }
}

fn walk(
    out: &mut String,
    matrix: &Matrix,
    scan: &Scan,
    available: &[u64],
    need: &[Vec<u64>],
    allocation: &[Vec<u64>],
) {
    let what = match matrix.mode {
        Mode::Banker => "Need",
        Mode::Detection => "Request",
    };
    let _ = writeln!(
        out,
        "  Work = Available = {}; Finish = false for every process",
        vector(available)
    );
    let mut pass = 0;
    for step in &scan.steps {
        if step.pass != pass {
            pass = step.pass;
            let _ = writeln!(out, "  pass {pass}:");
        }
        let name = &matrix.processes[step.process].name;
        let _ = write!(
            out,
            "    {name}: {what} {} <= Work {}? {}",
            vector(&need[step.process]),
            vector(&step.work_before),
            yes_no(step.finished)
        );
        if step.finished {
            let _ = write!(
                out,
                " -> Work = {} + Allocation {} = {}; Finish[{name}] = true",
                vector(&step.work_before),
                vector(&allocation[step.process]),
                vector(&add(&step.work_before, &allocation[step.process]))
            );
        }
        out.push('\n');
    }
    if scan.steps_not_kept > 0 {
        let _ = writeln!(
            out,
            "    … and {} more checks, made but not shown (a walk shows at most {} numbers of Work); the result below is complete",
            scan.steps_not_kept,
            crate::scan::MAX_KEPT_NUMBERS
        );
    }
    if scan.order.len() < matrix.processes.len() {
        let _ = writeln!(
            out,
            "  no process can finish in the last pass: the scan stops with Work = {}",
            vector(&scan.final_work)
        );
    }
}

fn safety_verdict(out: &mut String, matrix: &Matrix, scan: &Scan) {
    let names: Vec<&str> = scan
        .order
        .iter()
        .map(|&i| matrix.processes[i].name.as_str())
        .collect();
    if scan.order.len() == matrix.processes.len() {
        let _ = writeln!(
            out,
            "  Every Finish is true: the state is SAFE; safe sequence <{}>.",
            names.join(", ")
        );
    } else {
        let stuck: Vec<&str> = (0..matrix.processes.len())
            .filter(|&i| !scan.finished[i])
            .map(|i| matrix.processes[i].name.as_str())
            .collect();
        let _ = writeln!(
            out,
            "  {} can never be sure to finish: the state is UNSAFE.",
            stuck.join(", ")
        );
    }
}

fn yes_no(value: bool) -> &'static str {
    if value { "yes" } else { "no" }
}

/// A request stream, item by item: what each asked or gave back, how it was decided and why,
/// and what is free after it.
fn stream_text(out: &mut String, matrix: &Matrix) {
    if matrix.requests.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "\nRequests, decided in order (each from the state the ones before left):"
    );
    for (number, outcome) in matrix.decide_stream().iter().enumerate() {
        let what = match (&outcome.amounts, &outcome.release) {
            (Some(amounts), _) => format!("{} requests {}", outcome.process, vector(amounts)),
            (None, Some(release)) => format!("{} releases {}", outcome.process, vector(release)),
            (None, None) => outcome.process.clone(),
        };
        let verdict = match outcome.outcome {
            "granted" => "granted",
            "released" => "released",
            "wait" => "must wait: not available",
            "unsafe" => "denied: unsafe",
            _ => "error",
        };
        let _ = writeln!(
            out,
            "  {}. {what}: {verdict} — {}. Available now {}.",
            number + 1,
            outcome.reason,
            vector(&outcome.available)
        );
    }
}
