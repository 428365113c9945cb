//! Schedulability analysis of a periodic task set (`procsim analyze` on a scenario with
//! `tasks:`), each step kept so that it can be shown and graded (docs/realtime.md).
//!
//! - Utilisation U = Σ wcet / period, exact as a fraction.
//! - RM with deadlines equal to periods: Liu & Layland's bound U ≤ n(2^(1/n) − 1) and Bini &
//!   Buttazzo's hyperbolic bound Π(U_i + 1) ≤ 2, both sufficient.
//! - RM and DM: exact response-time analysis (Joseph & Pandya; Audsley et al.):
//!   R = C_i + Σ_{j of higher priority} ⌈R / T_j⌉ C_j, iterated from R = C_i until it settles
//!   or passes the deadline.
//! - EDF (and LLF, optimal on one CPU as EDF is): with every deadline equal to its period,
//!   schedulable iff U ≤ 1 (Liu & Layland); otherwise the processor-demand test (Baruah, Rosier
//!   & Howell): dbf(t) = Σ ⌊(t + T_i − D_i) / T_i⌋ C_i ≤ t at every absolute deadline t up to
//!   min(H, max(D_max, L*)), L* = Σ (T_i − D_i) U_i / (1 − U).
//!
//! The tests assume the tasks release their first jobs together (the critical instant); with
//! offsets they are sufficient only, and the analysis says so.

use crate::scenario::realtime::hyperperiod;
use crate::scenario::{RealTime, RealTimeRule, TaskSpec};
use serde::Serialize;

/// Default of the most iterations of one task's response-time analysis, and of the most
/// checkpoints of the processor-demand test: past them the analysis stops with an error
/// naming the limit (`procsim analyze --max-steps`).
pub const MAX_ANALYSIS_STEPS: usize = 1_000_000;

/// The analysis of a task set under one policy.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Analysis {
    /// The policy the verdict is for: `edf`, `rm`, `dm` or `llf`.
    pub policy: &'static str,
    pub tasks: Vec<TaskUtilization>,
    /// Σ wcet / period.
    pub utilization: f64,
    /// The same, as a reduced fraction (`17/20`), when it fits in 128 bits.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub utilization_fraction: Option<String>,
    /// Whether every deadline equals its period.
    pub implicit_deadlines: bool,
    /// Whether some task has an offset: then the tests are sufficient, not exact.
    pub offsets: bool,
    /// RM with implicit deadlines: U against n(2^(1/n) − 1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub liu_layland: Option<BoundTest>,
    /// RM with implicit deadlines: Π(U_i + 1) against 2.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hyperbolic: Option<BoundTest>,
    /// RM and DM: each task's response time, highest priority first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub response_times: Vec<ResponseTime>,
    /// EDF and LLF with a deadline shorter than its period: the processor-demand test.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub demand: Option<DemandTest>,
    pub schedulable: bool,
    /// Why, in one sentence.
    pub reason: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TaskUtilization {
    pub task: String,
    pub period: u64,
    pub wcet: u64,
    pub deadline: u64,
    pub offset: u64,
    /// wcet / period.
    pub utilization: f64,
}

/// A sufficient test: `value` against `bound`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BoundTest {
    pub value: f64,
    pub bound: f64,
    pub passes: bool,
}

/// One task's response-time analysis.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ResponseTime {
    pub task: String,
    /// The tasks of higher priority, highest first.
    pub higher: Vec<String>,
    /// R at each iteration, from R = wcet: the last is the response time when it settled,
    /// else the first value past the deadline.
    pub iterations: Vec<u64>,
    /// The worst-case response time; none when it passes the deadline.
    pub response: Option<u64>,
    pub deadline: u64,
    pub meets: bool,
}

/// The processor-demand test.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DemandTest {
    /// The last time checked.
    pub until: u64,
    pub checkpoints: Vec<DemandPoint>,
    /// The first checkpoint where the demand exceeds the time, if any.
    pub first_failure: Option<u64>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DemandPoint {
    /// An absolute deadline.
    pub time: u64,
    /// The work due by then: Σ ⌊(t + T_i − D_i) / T_i⌋ C_i.
    pub demand: u64,
    pub ok: bool,
}

/// A step count passed the analysis's limit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TooLong {
    pub what: &'static str,
    pub limit: usize,
}

impl std::fmt::Display for TooLong {
    fn fmt(&self, out: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            out,
            "the {} takes more than {} steps; raise the limit with --max-steps",
            self.what, self.limit
        )
    }
}

/// An exact fraction, reduced; `None` from an operation that overflows 128 bits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Ratio {
    num: u128,
    den: u128,
}

impl Ratio {
    fn new(num: u128, den: u128) -> Ratio {
        let divisor = gcd128(num, den).max(1);
        Ratio {
            num: num / divisor,
            den: den / divisor,
        }
    }

    fn add(self, other: Ratio) -> Option<Ratio> {
        let divisor = gcd128(self.den, other.den).max(1);
        let den = (self.den / divisor).checked_mul(other.den)?;
        let num = self
            .num
            .checked_mul(den / self.den)?
            .checked_add(other.num.checked_mul(den / other.den)?)?;
        Some(Ratio::new(num, den))
    }

    fn mul(self, other: Ratio) -> Option<Ratio> {
        let left = Ratio::new(self.num, other.den);
        let right = Ratio::new(other.num, self.den);
        Some(Ratio::new(
            left.num.checked_mul(right.num)?,
            left.den.checked_mul(right.den)?,
        ))
    }

    /// Whether self ≤ whole.
    fn at_most(self, whole: u128) -> bool {
        whole
            .checked_mul(self.den)
            .is_none_or(|limit| self.num <= limit)
    }
}

fn gcd128(a: u128, b: u128) -> u128 {
    if b == 0 { a } else { gcd128(b, a % b) }
}

/// The tasks in priority order under a fixed-priority rule: by period (RM) or relative
/// deadline (DM), ties by the order of `tasks:`.
pub fn priority_order(tasks: &[TaskSpec], rule: RealTimeRule) -> Vec<usize> {
    let mut order: Vec<usize> = (0..tasks.len()).collect();
    match rule {
        RealTimeRule::Dm => order.sort_by_key(|&index| (tasks[index].deadline, index)),
        _ => order.sort_by_key(|&index| (tasks[index].period, index)),
    }
    order
}

/// The analysis of `realtime`'s task set under `rule`, each iteration or checkpoint list at
/// most `max_steps` long.
pub fn analyze(
    realtime: &RealTime,
    rule: RealTimeRule,
    max_steps: usize,
) -> Result<Analysis, TooLong> {
    let tasks = &realtime.tasks;
    let count = tasks.len();
    let utilization: f64 = tasks
        .iter()
        .map(|task| task.wcet as f64 / task.period as f64)
        .sum();
    let exact = tasks.iter().try_fold(Ratio::new(0, 1), |sum, task| {
        sum.add(Ratio::new(task.wcet.into(), task.period.into()))
    });
    let at_most_one = exact.map_or(utilization <= 1.0, |ratio| ratio.at_most(1));
    let implicit_deadlines = tasks.iter().all(|task| task.deadline == task.period);
    let offsets = tasks.iter().any(|task| task.offset > 0);
    let mut analysis = Analysis {
        policy: rule.name(),
        tasks: tasks
            .iter()
            .map(|task| TaskUtilization {
                task: task.name.clone(),
                period: task.period,
                wcet: task.wcet,
                deadline: task.deadline,
                offset: task.offset,
                utilization: task.wcet as f64 / task.period as f64,
            })
            .collect(),
        utilization,
        utilization_fraction: exact.map(|ratio| format!("{}/{}", ratio.num, ratio.den)),
        implicit_deadlines,
        offsets,
        liu_layland: None,
        hyperbolic: None,
        response_times: Vec::new(),
        demand: None,
        schedulable: false,
        reason: String::new(),
    };
    match rule {
        RealTimeRule::Rm | RealTimeRule::Dm => {
            if rule == RealTimeRule::Rm && implicit_deadlines {
                let n = count as f64;
                let bound = n * (2f64.powf(1.0 / n) - 1.0);
                analysis.liu_layland = Some(BoundTest {
                    value: utilization,
                    bound,
                    // One task: the bound is exactly 1.
                    passes: if count == 1 {
                        at_most_one
                    } else {
                        utilization <= bound
                    },
                });
                let product = tasks.iter().try_fold(Ratio::new(1, 1), |product, task| {
                    product.mul(Ratio::new(
                        u128::from(task.wcet) + u128::from(task.period),
                        task.period.into(),
                    ))
                });
                let value: f64 = tasks
                    .iter()
                    .map(|task| task.wcet as f64 / task.period as f64 + 1.0)
                    .product();
                analysis.hyperbolic = Some(BoundTest {
                    value,
                    bound: 2.0,
                    passes: product.map_or(value <= 2.0, |ratio| ratio.at_most(2)),
                });
            }
            let order = priority_order(tasks, rule);
            for (rank, &index) in order.iter().enumerate() {
                analysis.response_times.push(response_time(
                    tasks,
                    &order[..rank],
                    index,
                    max_steps,
                )?);
            }
            let failing = analysis.response_times.iter().find(|r| !r.meets);
            analysis.schedulable = failing.is_none();
            analysis.reason = match failing {
                Some(failing) => format!(
                    "{}'s response time passes its deadline {} (response-time analysis)",
                    failing.task, failing.deadline
                ),
                None => "every response time is within its deadline (response-time analysis)"
                    .to_string(),
            };
        }
        RealTimeRule::Edf | RealTimeRule::Llf => {
            if !at_most_one {
                analysis.reason = "U > 1: no policy can schedule the set".into();
            } else if implicit_deadlines {
                analysis.schedulable = true;
                analysis.reason =
                    "every deadline equals its period and U ≤ 1 (Liu & Layland)".into();
            } else {
                let demand = demand_test(tasks, exact, utilization, max_steps)?;
                analysis.schedulable = demand.first_failure.is_none();
                analysis.reason = match demand.first_failure {
                    Some(time) => {
                        format!("the demand by t = {time} exceeds the time (processor-demand test)")
                    }
                    None => format!(
                        "the demand never exceeds the time up to t = {} (processor-demand test)",
                        demand.until
                    ),
                };
                analysis.demand = Some(demand);
            }
            if rule == RealTimeRule::Llf {
                analysis
                    .reason
                    .push_str("; LLF is optimal on one CPU, as EDF is");
            }
        }
    }
    Ok(analysis)
}

/// Task `index`'s response time under the tasks of `higher` priority.
fn response_time(
    tasks: &[TaskSpec],
    higher: &[usize],
    index: usize,
    max_steps: usize,
) -> Result<ResponseTime, TooLong> {
    let task = &tasks[index];
    let mut iterations = vec![task.wcet];
    let mut response = task.wcet;
    let meets = loop {
        if response > task.deadline {
            break false;
        }
        let next = higher.iter().fold(task.wcet, |sum, &other| {
            let other = &tasks[other];
            sum.saturating_add(response.div_ceil(other.period).saturating_mul(other.wcet))
        });
        if next == response {
            break true;
        }
        iterations.push(next);
        response = next;
        if iterations.len() > max_steps {
            return Err(TooLong {
                what: "response-time analysis",
                limit: max_steps,
            });
        }
    };
    Ok(ResponseTime {
        task: task.name.clone(),
        higher: higher
            .iter()
            .map(|&other| tasks[other].name.clone())
            .collect(),
        iterations,
        response: meets.then_some(response),
        deadline: task.deadline,
        meets,
    })
}

/// The processor-demand test at every absolute deadline up to its bound.
fn demand_test(
    tasks: &[TaskSpec],
    exact: Option<Ratio>,
    utilization: f64,
    max_steps: usize,
) -> Result<DemandTest, TooLong> {
    let largest_deadline = tasks.iter().map(|task| task.deadline).max().unwrap_or(0);
    // L* = Σ (T_i − D_i) U_i / (1 − U), when U < 1.
    let below_one = exact.map_or(utilization < 1.0, |ratio| ratio.num < ratio.den);
    let l_star = below_one.then(|| {
        let sum: f64 = tasks
            .iter()
            .map(|task| {
                (task.period - task.deadline) as f64 * task.wcet as f64 / task.period as f64
            })
            .sum();
        (sum / (1.0 - utilization)).ceil() as u64
    });
    let hyperperiod = hyperperiod(tasks, u64::MAX / 4);
    let until = match (l_star, hyperperiod) {
        (Some(l_star), Some(hyperperiod)) => hyperperiod.min(largest_deadline.max(l_star)),
        (Some(l_star), None) => largest_deadline.max(l_star),
        (None, Some(hyperperiod)) => hyperperiod,
        (None, None) => u64::MAX / 4,
    };
    // The absolute deadlines up to `until`, merged in order.
    let mut times = Vec::new();
    for task in tasks {
        let mut time = task.deadline;
        while time <= until {
            times.push(time);
            if times.len() > max_steps {
                return Err(TooLong {
                    what: "processor-demand test",
                    limit: max_steps,
                });
            }
            time += task.period;
        }
    }
    times.sort_unstable();
    times.dedup();
    let mut checkpoints = Vec::with_capacity(times.len());
    let mut first_failure = None;
    for time in times {
        let demand = tasks.iter().fold(0u64, |sum, task| {
            let jobs = (time + task.period - task.deadline) / task.period;
            sum.saturating_add(jobs.saturating_mul(task.wcet))
        });
        let ok = demand <= time;
        if !ok && first_failure.is_none() {
            first_failure = Some(time);
        }
        checkpoints.push(DemandPoint { time, demand, ok });
    }
    Ok(DemandTest {
        until,
        checkpoints,
        first_failure,
    })
}

impl Analysis {
    /// The verdict in words: `not schedulable under rm: T2's response time passes ...`.
    pub fn verdict(&self) -> String {
        format!(
            "{} under {}: {}",
            if self.schedulable {
                "schedulable"
            } else {
                "not schedulable"
            },
            self.policy,
            self.reason
        )
    }
}

/// Most checkpoints or iterations the text shows before it sums up the rest.
const SHOWN_STEPS: usize = 50;

/// The analysis as a student would write it, step by step.
pub fn explain(analysis: &Analysis) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let _ = writeln!(out, "Schedulability under {}", analysis.policy);
    let _ = writeln!(out);
    let rows: Vec<Vec<String>> = analysis
        .tasks
        .iter()
        .map(|task| {
            vec![
                task.task.clone(),
                task.period.to_string(),
                task.wcet.to_string(),
                task.deadline.to_string(),
                task.offset.to_string(),
                format!("{:.4}", task.utilization),
            ]
        })
        .collect();
    out.push_str(&crate::text::table(
        &["Task", "Period", "WCET", "Deadline", "Offset", "U = C/T"],
        &rows,
    ));
    let _ = write!(out, "\nUtilisation U = Σ C/T = {:.4}", analysis.utilization);
    if let Some(fraction) = &analysis.utilization_fraction {
        let _ = write!(out, " = {fraction}");
    }
    let _ = writeln!(out);
    if analysis.offsets {
        let _ = writeln!(
            out,
            "Some tasks have offsets: the tests below assume they all start together, the worst case, so a pass is sufficient and a failure inconclusive."
        );
    }
    if let Some(test) = &analysis.liu_layland {
        let n = analysis.tasks.len();
        let _ = writeln!(
            out,
            "\nLiu & Layland (RM, sufficient): n(2^(1/n) − 1) with n = {n} is {:.4}; U = {:.4} {} the bound: {}.",
            test.bound,
            test.value,
            if test.passes { "≤" } else { ">" },
            if test.passes {
                "schedulable"
            } else {
                "inconclusive"
            }
        );
    }
    if let Some(test) = &analysis.hyperbolic {
        let _ = writeln!(
            out,
            "Hyperbolic bound (RM, sufficient): Π(U_i + 1) = {:.4} {} 2: {}.",
            test.value,
            if test.passes { "≤" } else { ">" },
            if test.passes {
                "schedulable"
            } else {
                "inconclusive"
            }
        );
    }
    if !analysis.response_times.is_empty() {
        let _ = writeln!(
            out,
            "\nResponse-time analysis (exact): R = C_i + Σ ⌈R / T_j⌉ C_j over the tasks of higher priority, from R = C_i."
        );
        for task in &analysis.response_times {
            let higher = if task.higher.is_empty() {
                "none".to_string()
            } else {
                task.higher.join(", ")
            };
            let shown: Vec<String> = task
                .iterations
                .iter()
                .take(SHOWN_STEPS)
                .map(u64::to_string)
                .collect();
            let more = task.iterations.len().saturating_sub(SHOWN_STEPS);
            let _ = writeln!(
                out,
                "  {} (higher: {higher}): R = {}{} {}",
                task.task,
                shown.join(" → "),
                if more > 0 {
                    format!(" … ({more} more)")
                } else {
                    String::new()
                },
                match task.response {
                    Some(response) => {
                        format!("settles: {response} ≤ deadline {}, meets", task.deadline)
                    }
                    None => format!("passes the deadline {}: misses", task.deadline),
                }
            );
        }
    }
    if let Some(demand) = &analysis.demand {
        let _ = writeln!(
            out,
            "\nProcessor-demand test (exact): dbf(t) = Σ ⌊(t + T_i − D_i) / T_i⌋ C_i ≤ t at each absolute deadline t ≤ {}.",
            demand.until
        );
        for point in demand.checkpoints.iter().take(SHOWN_STEPS) {
            let _ = writeln!(
                out,
                "  t = {:>4}: dbf = {:>4} {} {}",
                point.time,
                point.demand,
                if point.ok { "≤" } else { ">" },
                point.time
            );
        }
        let more = demand.checkpoints.len().saturating_sub(SHOWN_STEPS);
        if more > 0 {
            let _ = writeln!(out, "  … {more} more checkpoints");
        }
    }
    let _ = writeln!(out, "\nVerdict: {}.", analysis.verdict());
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::Tick;
    use crate::scenario::OnMiss;

    fn set(tasks: &[(u64, u64, u64)]) -> RealTime {
        RealTime {
            tasks: tasks
                .iter()
                .enumerate()
                .map(|(index, &(period, wcet, deadline))| TaskSpec {
                    name: format!("T{}", index + 1),
                    period,
                    wcet,
                    deadline,
                    offset: 0,
                })
                .collect(),
            horizon: Tick(100),
            on_miss: OnMiss::Continue,
            jobs: Vec::new(),
            first_job: 0,
        }
    }

    #[test]
    fn buttazzos_example_misses_under_rm_and_not_under_edf() {
        // Buttazzo, Hard Real-Time Computing Systems, §4.4: (C, T) = (2, 5), (4, 7).
        let tasks = set(&[(5, 2, 5), (7, 4, 7)]);
        let rm = analyze(&tasks, RealTimeRule::Rm, MAX_ANALYSIS_STEPS).unwrap();
        assert_eq!(rm.utilization_fraction.as_deref(), Some("34/35"));
        assert!(!rm.liu_layland.as_ref().unwrap().passes);
        assert_eq!(rm.response_times[1].iterations, [4, 6, 8]);
        assert!(!rm.schedulable);
        assert!(
            analyze(&tasks, RealTimeRule::Edf, MAX_ANALYSIS_STEPS)
                .unwrap()
                .schedulable
        );
    }

    #[test]
    fn response_times_settle_as_worked_by_hand() {
        let tasks = set(&[(4, 1, 4), (6, 2, 6), (12, 2, 12)]);
        let rm = analyze(&tasks, RealTimeRule::Rm, MAX_ANALYSIS_STEPS).unwrap();
        let responses: Vec<Option<u64>> = rm.response_times.iter().map(|r| r.response).collect();
        assert_eq!(responses, [Some(1), Some(3), Some(6)]);
        assert_eq!(rm.response_times[2].iterations, [2, 5, 6]);
        assert!(rm.liu_layland.unwrap().passes);
        assert!(rm.schedulable);
    }

    #[test]
    fn a_utilisation_of_exactly_one_is_edf_schedulable() {
        let tasks = set(&[(4, 2, 4), (6, 3, 6)]);
        let edf = analyze(&tasks, RealTimeRule::Edf, MAX_ANALYSIS_STEPS).unwrap();
        assert_eq!(edf.utilization_fraction.as_deref(), Some("1/1"));
        assert!(edf.schedulable);
        assert!(
            !analyze(
                &set(&[(4, 3, 4), (6, 2, 6)]),
                RealTimeRule::Edf,
                MAX_ANALYSIS_STEPS
            )
            .unwrap()
            .schedulable
        );
    }

    #[test]
    fn the_demand_test_finds_the_first_overloaded_deadline() {
        // Two tasks due early in their periods: by t = 3 both are due, 4 ticks of work.
        let tasks = set(&[(8, 2, 3), (8, 2, 3)]);
        let edf = analyze(&tasks, RealTimeRule::Edf, MAX_ANALYSIS_STEPS).unwrap();
        let demand = edf.demand.unwrap();
        assert_eq!(demand.first_failure, Some(3));
        assert!(!edf.schedulable);
        let tasks = set(&[(5, 2, 5), (8, 2, 3)]);
        let edf = analyze(&tasks, RealTimeRule::Edf, MAX_ANALYSIS_STEPS).unwrap();
        assert!(edf.schedulable, "{:?}", edf.demand);
    }

    #[test]
    fn deadline_monotonic_orders_by_relative_deadline() {
        let tasks = set(&[(5, 2, 5), (8, 2, 3)]);
        assert_eq!(priority_order(&tasks.tasks, RealTimeRule::Dm), [1, 0]);
        assert!(
            analyze(&tasks, RealTimeRule::Dm, MAX_ANALYSIS_STEPS)
                .unwrap()
                .schedulable
        );
        assert!(
            !analyze(&tasks, RealTimeRule::Rm, MAX_ANALYSIS_STEPS)
                .unwrap()
                .schedulable
        );
    }
}
