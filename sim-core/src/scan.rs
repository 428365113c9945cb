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
    pub steps: Vec<ScanStep>,
    pub final_work: Vec<u64>,
}

/// The pass-based scan: from `available`, each pass lets every process whose `need` fits the
/// free instances finish and give back its `allocation`.
pub fn scan(available: &[u64], allocation: &[Vec<u64>], need: &[Vec<u64>]) -> Scan {
    let n = allocation.len();
    let mut work = available.to_vec();
    let mut finished = vec![false; n];
    let mut order = Vec::new();
    let mut steps = Vec::new();
    let mut pass = 0;
    loop {
        pass += 1;
        let mut progressed = false;
        for process in 0..n {
            if finished[process] {
                continue;
            }
            let fits = le(&need[process], &work);
            steps.push(ScanStep {
                pass,
                process,
                work_before: work.clone(),
                finished: fits,
            });
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
