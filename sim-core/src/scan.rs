//! The safety scan and the vector arithmetic of the matrix algorithms, shared by the banker's
//! check (matrix exercises and the engine's avoidance) and deadlock detection.
//!
//! Every scan is pass-based: each pass visits the processes in order and lets every one that
//! can finish do so, until a pass finishes nobody.

/// One visit of the scan: could `process` finish with `work`?
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScanStep {
    pub pass: usize,
    pub process: usize,
    pub work_before: Vec<u64>,
    pub finished: bool,
}

/// The outcome of a scan (safety or detection).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scan {
    /// Process indices in the order they finished.
    pub order: Vec<usize>,
    pub finished: Vec<bool>,
    /// The visits, in order, as far as `MAX_KEPT_NUMBERS` allows: a worst-case scan of n
    /// processes visits n²/2 times, each with a Work vector.
    pub steps: Vec<ScanStep>,
    /// Visits made past those kept (counted, not kept).
    pub steps_not_kept: u64,
    pub final_work: Vec<u64>,
}

/// Most Work numbers the steps of one scan keep (2 MB; a walk of them prints about 5 MB):
/// every textbook walk is kept whole (200 processes × 5 resources, worst order, is 100,000),
/// while 1,500 processes × 500 resources, visited up to a million times, are not.
pub const MAX_KEPT_NUMBERS: usize = 250_000;

/// The pass-based scan: from `available`, each pass lets every process whose `need` fits the
/// free instances finish and give back its `allocation`.
pub fn scan(available: &[u64], allocation: &[Vec<u64>], need: &[Vec<u64>]) -> Scan {
    let n = allocation.len();
    let mut work = available.to_vec();
    let mut finished = vec![false; n];
    let mut order = Vec::new();
    let mut steps = Vec::new();
    let mut steps_not_kept = 0u64;
    let keep = MAX_KEPT_NUMBERS / available.len().max(1);
    let mut pass = 0;
    loop {
        pass += 1;
        let mut progressed = false;
        for process in 0..n {
            if finished[process] {
                continue;
            }
            let fits = le(&need[process], &work);
            if steps.len() < keep {
                steps.push(ScanStep {
                    pass,
                    process,
                    work_before: work.clone(),
                    finished: fits,
                });
            } else {
                steps_not_kept += 1;
            }
            if fits {
                work = add(&work, &allocation[process]);
                finished[process] = true;
                order.push(process);
                progressed = true;
            }
        }
        if !progressed || order.len() == n {
            break;
        }
    }
    Scan {
        order,
        finished,
        steps,
        steps_not_kept,
        final_work: work,
    }
}

/// Whether `a <= b` component by component.
pub fn le(a: &[u64], b: &[u64]) -> bool {
    a.iter().zip(b).all(|(x, y)| x <= y)
}

pub fn add(a: &[u64], b: &[u64]) -> Vec<u64> {
    a.iter().zip(b).map(|(x, y)| x + y).collect()
}

/// `a - b`, never below zero (validation keeps `b <= a` where it matters).
pub fn sub(a: &[u64], b: &[u64]) -> Vec<u64> {
    a.iter().zip(b).map(|(x, y)| x.saturating_sub(*y)).collect()
}

/// `(3, 3, 2)`, as textbooks write vectors.
pub fn vector(values: &[u64]) -> String {
    let parts: Vec<String> = values.iter().map(u64::to_string).collect();
    format!("({})", parts.join(", "))
}
