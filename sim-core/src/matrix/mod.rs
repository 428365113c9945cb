//! The matrix exercises of the textbooks: the banker's safety check and resource-request
//! algorithm, and the multi-instance deadlock detection algorithm (Available / Allocation /
//! Request). `procsim analyze` prints their results; docs/deadlock.md states the rules.
//!
//! Every scan is pass-based: each pass visits the processes in the file's order and lets every
//! one that can finish do so, until a pass finishes nobody. For the textbook banker example this
//! gives <P1, P3, P4, P0, P2>; other orders may be safe too, and grading accepts any valid one.

mod file;
mod text;
mod validate;

pub use file::{MatrixFile, MatrixProcessFile, RequestFile, ResourcesFile, StreamItemFile};
pub use text::explain;

pub use crate::scan::{Scan, ScanStep, add, le, scan, sub, vector};
use crate::scenario::ScenarioError;
use crate::yaml;
use indexmap::IndexMap;
use serde::Serialize;

/// A validated matrix exercise.
#[derive(Clone, Debug, PartialEq)]
pub struct Matrix {
    pub name: String,
    pub description: Option<String>,
    pub resources: Vec<String>,
    /// Total instances of each resource.
    pub total: Vec<u64>,
    pub available: Vec<u64>,
    pub processes: Vec<MatrixProcess>,
    pub mode: Mode,
    pub request: Option<Request>,
    /// Requests and releases decided in order (`requests:`), each from the state the earlier
    /// ones left.
    pub requests: Vec<StreamItem>,
}

/// An item of a request stream: a process asks for or gives back some instances.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StreamItem {
    pub process: usize,
    pub action: StreamAction,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StreamAction {
    Request(Vec<u64>),
    Release(Vec<u64>),
}

/// How a stream's item was decided (`requests` in `analyze --format json`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StreamOutcome {
    pub process: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amounts: Option<Vec<u64>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub release: Option<Vec<u64>>,
    /// Whether it was carried out (a granted request, a release).
    pub granted: bool,
    /// `granted`, `wait` (not available), `unsafe` (granting it would leave an unsafe
    /// state), `error` (beyond its claim, or releasing more than it holds) or `released`.
    pub outcome: &'static str,
    pub reason: String,
    /// The free instances after it.
    pub available: Vec<u64>,
    /// After a granted request: the safe sequence that showed it safe.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sequence: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MatrixProcess {
    pub name: String,
    pub allocation: Vec<u64>,
    /// `max` (banker) or `request` (detection), as the mode says.
    pub claim: Vec<u64>,
}

/// Which algorithm the exercise asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Every process has `max`: the banker's safety check.
    Banker,
    /// Every process has `request`: deadlock detection.
    Detection,
}

/// A top-level `request`: should it be granted?
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Request {
    pub process: usize,
    pub amounts: Vec<u64>,
}

/// The answers of a banker exercise (`procsim analyze --format json`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BankerReport {
    pub safe: bool,
    /// A safe sequence; empty when the state is unsafe.
    pub sequence: Vec<String>,
    pub need: IndexMap<String, Vec<u64>>,
    pub available: Vec<u64>,
    /// When unsafe: the processes that could still finish, in order.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub can_finish: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub granted: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The state the request would lead to, when it fits the need and the available.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub after_request: Option<Box<BankerReport>>,
    /// A request stream's items as decided, in order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub requests: Vec<StreamOutcome>,
}

/// The answers of a detection exercise.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DetectionReport {
    pub deadlocked: Vec<String>,
    /// An order in which the other processes finish.
    pub sequence: Vec<String>,
    pub available: Vec<u64>,
    /// Processes that hold nothing but whose request can never be met: waiting, not deadlocked.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub starved: Vec<String>,
}

/// The result of `procsim analyze`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Analysis {
    Banker(BankerReport),
    Detection(DetectionReport),
}

impl Matrix {
    /// Parses and validates a matrix exercise from YAML text.
    pub fn from_yaml(text: &str) -> Result<Matrix, ScenarioError> {
        let file: MatrixFile = if yaml::looks_like_json(text) {
            yaml::parse_json(text)?
        } else {
            yaml::parse_document(text)?
        };
        Matrix::from_file(file).map_err(|error| error.located(text))
    }

    pub fn from_file(file: MatrixFile) -> Result<Matrix, ScenarioError> {
        validate::validate(file)
    }

    /// The need of each process (`max - allocation`); in detection mode, its request.
    pub fn need(&self) -> Vec<Vec<u64>> {
        self.processes
            .iter()
            .map(|p| match self.mode {
                Mode::Banker => sub(&p.claim, &p.allocation),
                Mode::Detection => p.claim.clone(),
            })
            .collect()
    }

    fn allocations(&self) -> Vec<Vec<u64>> {
        self.processes
            .iter()
            .map(|p| p.allocation.clone())
            .collect()
    }

    fn names(&self, indices: &[usize]) -> Vec<String> {
        indices
            .iter()
            .map(|&i| self.processes[i].name.clone())
            .collect()
    }

    fn banker_state(
        &self,
        available: &[u64],
        allocation: &[Vec<u64>],
        need: &[Vec<u64>],
    ) -> BankerReport {
        let scan = scan(available, allocation, need);
        let safe = scan.order.len() == self.processes.len();
        BankerReport {
            safe,
            sequence: if safe {
                self.names(&scan.order)
            } else {
                Vec::new()
            },
            need: self
                .processes
                .iter()
                .zip(need)
                .map(|(p, need)| (p.name.clone(), need.clone()))
                .collect(),
            available: available.to_vec(),
            can_finish: (!safe).then(|| self.names(&scan.order)),
            granted: None,
            reason: None,
            after_request: None,
            requests: Vec::new(),
        }
    }

    /// Decides a request stream's items in order (docs/deadlock.md): a request beyond the
    /// process's remaining claim is an error, one beyond what is free waits, one whose grant
    /// would leave an unsafe state is refused (it waits too); the others are granted and
    /// applied, as releases are. Nothing refused is retried later.
    pub fn decide_stream(&self) -> Vec<StreamOutcome> {
        let mut available = self.available.clone();
        let mut allocation = self.allocations();
        let mut need = self.need();
        let mut outcomes = Vec::with_capacity(self.requests.len());
        for item in &self.requests {
            let p = item.process;
            let name = self.processes[p].name.clone();
            let mut outcome = StreamOutcome {
                process: name.clone(),
                amounts: None,
                release: None,
                granted: false,
                outcome: "error",
                reason: String::new(),
                available: Vec::new(),
                sequence: Vec::new(),
            };
            match &item.action {
                StreamAction::Release(release) => {
                    outcome.release = Some(release.clone());
                    if !le(release, &allocation[p]) {
                        outcome.reason = format!(
                            "{name} releases {} but holds {}",
                            vector(release),
                            vector(&allocation[p])
                        );
                    } else {
                        allocation[p] = sub(&allocation[p], release);
                        need[p] = add(&need[p], release);
                        available = add(&available, release);
                        outcome.granted = true;
                        outcome.outcome = "released";
                        outcome.reason = format!("{name} gives back {}", vector(release));
                    }
                }
                StreamAction::Request(amounts) => {
                    outcome.amounts = Some(amounts.clone());
                    if !le(amounts, &need[p]) {
                        outcome.reason = format!(
                            "{name} asks for more than its remaining need {}: it would exceed its maximum claim",
                            vector(&need[p])
                        );
                    } else if !le(amounts, &available) {
                        outcome.outcome = "wait";
                        outcome.reason =
                            format!("only {} is free: {name} must wait", vector(&available));
                    } else {
                        let mut after_allocation = allocation.clone();
                        let mut after_need = need.clone();
                        after_allocation[p] = add(&allocation[p], amounts);
                        after_need[p] = sub(&need[p], amounts);
                        let after_available = sub(&available, amounts);
                        let after =
                            self.banker_state(&after_available, &after_allocation, &after_need);
                        if after.safe {
                            (allocation, need, available) =
                                (after_allocation, after_need, after_available);
                            outcome.granted = true;
                            outcome.outcome = "granted";
                            outcome.reason = format!(
                                "granting it leaves a safe state: <{}>",
                                after.sequence.join(", ")
                            );
                            outcome.sequence = after.sequence;
                        } else {
                            outcome.outcome = "unsafe";
                            outcome.reason = format!(
                                "granting it would leave an unsafe state: {name} must wait"
                            );
                        }
                    }
                }
            }
            outcome.available = available.clone();
            outcomes.push(outcome);
        }
        outcomes
    }

    /// The state after pretending to grant `request`, if it fits need and availability; or why not.
    pub fn pretend_grant(&self, request: &Request) -> Result<RequestState, String> {
        let need = self.need();
        let name = &self.processes[request.process].name;
        if !le(&request.amounts, &need[request.process]) {
            return Err(format!(
                "{name} asks for more than its remaining need {}: it would exceed its maximum claim",
                vector(&need[request.process])
            ));
        }
        if !le(&request.amounts, &self.available) {
            return Err(format!(
                "not enough is available ({}): {name} must wait",
                vector(&self.available)
            ));
        }
        let mut allocation = self.allocations();
        let mut need = need;
        allocation[request.process] = add(&allocation[request.process], &request.amounts);
        need[request.process] = sub(&need[request.process], &request.amounts);
        Ok(RequestState {
            available: sub(&self.available, &request.amounts),
            allocation,
            need,
        })
    }

    /// Runs the exercise's algorithm.
    pub fn analyze(&self) -> Analysis {
        let need = self.need();
        let allocation = self.allocations();
        match self.mode {
            Mode::Banker => {
                let mut report = self.banker_state(&self.available, &allocation, &need);
                if let Some(request) = &self.request {
                    match self.pretend_grant(request) {
                        Err(reason) => {
                            report.granted = Some(false);
                            report.reason = Some(reason);
                        }
                        Ok(state) => {
                            let after =
                                self.banker_state(&state.available, &state.allocation, &state.need);
                            let name = &self.processes[request.process].name;
                            report.granted = Some(after.safe);
                            report.reason = Some(if after.safe {
                                format!(
                                    "granting it leaves a safe state: <{}>",
                                    after.sequence.join(", ")
                                )
                            } else {
                                format!("granting it would leave an unsafe state: {name} must wait")
                            });
                            report.after_request = Some(Box::new(after));
                        }
                    }
                }
                report.requests = self.decide_stream();
                Analysis::Banker(report)
            }
            Mode::Detection => {
                let scan = scan(&self.available, &allocation, &need);
                let unfinished = (0..self.processes.len()).filter(|&i| !scan.finished[i]);
                let (deadlocked, starved): (Vec<usize>, Vec<usize>) =
                    unfinished.partition(|&i| allocation[i].iter().any(|&a| a > 0));
                Analysis::Detection(DetectionReport {
                    deadlocked: self.names(&deadlocked),
                    sequence: self.names(&scan.order),
                    available: self.available.clone(),
                    starved: self.names(&starved),
                })
            }
        }
    }

    /// Whether `sequence` is a valid answer for the state as given: for the banker, a safe
    /// sequence of every process (none when unsafe); for detection, an order in which exactly
    /// the processes that can finish do.
    pub fn check_sequence(&self, sequence: &[String]) -> Result<(), String> {
        let need = self.need();
        let mut work = self.available.clone();
        let mut seen = vec![false; self.processes.len()];
        for name in sequence {
            let Some(index) = self.process_named(name.trim()) else {
                return Err(format!("no process is named `{name}`"));
            };
            if seen[index] {
                return Err(format!("{name} appears twice"));
            }
            seen[index] = true;
            if !le(&need[index], &work) {
                return Err(format!(
                    "{name} needs {} but only {} is free at its turn",
                    vector(&need[index]),
                    vector(&work)
                ));
            }
            work = add(&work, &self.processes[index].allocation);
        }
        let expected_count = match self.analyze() {
            Analysis::Banker(report) if !report.safe => 0,
            Analysis::Banker(_) => self.processes.len(),
            Analysis::Detection(report) => report.sequence.len(),
        };
        if sequence.len() != expected_count {
            return Err(format!(
                "{} of the {expected_count} processes that can finish are listed",
                sequence.len()
            ));
        }
        Ok(())
    }

    /// The index of the process called `name`.
    pub fn process_named(&self, name: &str) -> Option<usize> {
        self.processes.iter().position(|p| p.name == name)
    }
}

/// A state the banker pretends to be in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestState {
    pub available: Vec<u64>,
    pub allocation: Vec<Vec<u64>>,
    pub need: Vec<Vec<u64>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) const SILBERSCHATZ_BANKER: &str = "
name: banker
resources: {A: 10, B: 5, C: 7}
processes:
  P0: {allocation: [0,1,0], max: [7,5,3]}
  P1: {allocation: [2,0,0], max: [3,2,2]}
  P2: {allocation: [3,0,2], max: [9,0,2]}
  P3: {allocation: [2,1,1], max: [2,2,2]}
  P4: {allocation: [0,0,2], max: [4,3,3]}
";

    fn banker(text: &str) -> BankerReport {
        match Matrix::from_yaml(text).unwrap().analyze() {
            Analysis::Banker(report) => report,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn the_textbook_state_is_safe() {
        let report = banker(SILBERSCHATZ_BANKER);
        assert!(report.safe);
        assert_eq!(report.sequence, ["P1", "P3", "P4", "P0", "P2"]);
        assert_eq!(report.available, [3, 3, 2]);
        assert_eq!(report.need["P0"], [7, 4, 3]);
        assert_eq!(report.need["P4"], [4, 3, 1]);
    }

    #[test]
    fn a_request_stream_is_decided_in_order_from_the_state_the_earlier_items_left() {
        let text = include_str!("../../../scenarios/sync/banker-request-stream.yaml");
        let matrix = Matrix::from_yaml(text).unwrap();
        let decided: Vec<(&str, bool, Vec<u64>)> = matrix
            .decide_stream()
            .iter()
            .map(|o| (o.outcome, o.granted, o.available.clone()))
            .collect();
        assert_eq!(
            decided,
            vec![
                ("granted", true, vec![2, 3, 0]),
                ("wait", false, vec![2, 3, 0]),
                ("unsafe", false, vec![2, 3, 0]),
                ("released", true, vec![3, 3, 0]),
                ("unsafe", false, vec![3, 3, 0]),
                ("error", false, vec![3, 3, 0]),
            ]
        );
        let Analysis::Banker(report) = matrix.analyze() else {
            panic!("a banker exercise")
        };
        assert_eq!(report.requests.len(), 6);
        assert_eq!(report.requests[0].sequence, ["P1", "P3", "P4", "P0", "P2"]);
        // A release beyond what is held is an error, and changes nothing.
        let over =
            format!("{SILBERSCHATZ_BANKER}requests: [{{process: P0, release: [1, 1, 0]}}]\n");
        let matrix = Matrix::from_yaml(&over).unwrap();
        let outcome = &matrix.decide_stream()[0];
        assert_eq!((outcome.outcome, outcome.granted), ("error", false));
        assert_eq!(outcome.available, vec![3, 3, 2]);
    }

    #[test]
    fn a_request_stream_is_checked_item_by_item() {
        let error = |items: &str| {
            Matrix::from_yaml(&format!("{SILBERSCHATZ_BANKER}{items}"))
                .unwrap_err()
                .unlocated()
                .one_line("m.yaml")
        };
        assert!(
            error("requests: [{process: P9, amounts: [1, 0, 0]}]\n")
                .contains("requests[0].process: no process is named `P9`")
        );
        assert!(
            error("requests: [{process: P1}]\n")
                .contains("requests[0]: give `amounts` (a request) or `release`")
        );
        assert!(
            error("requests: [{process: P1, amounts: [1, 0, 0], release: [1, 0, 0]}]\n")
                .contains("requests[0]: give `amounts`")
        );
        assert!(
            error("requests: [{process: P1, amounts: [1, 0]}]\n").contains("requests[0].amounts")
        );
        assert!(
            error(
                "request: {process: P1, amounts: [1, 0, 2]}\n\
                 requests: [{process: P1, amounts: [1, 0, 0]}]\n"
            )
            .contains("not both")
        );
    }

    #[test]
    fn textbook_requests_are_granted_or_refused_as_the_book_says() {
        // P1 asks (1,0,2): granted. Then P4 (3,3,0) exceeds availability; P0 (0,2,0) is unsafe.
        let p1 = banker(&format!(
            "{SILBERSCHATZ_BANKER}request: {{process: P1, amounts: [1,0,2]}}\n"
        ));
        assert_eq!(p1.granted, Some(true));
        let after = p1.after_request.unwrap();
        assert!(after.safe);
        assert_eq!(after.available, [2, 3, 0]);
        let granted_state = SILBERSCHATZ_BANKER.replace(
            "P1: {allocation: [2,0,0], max: [3,2,2]}",
            "P1: {allocation: [3,0,2], max: [3,2,2]}",
        );
        let p4 = banker(&format!(
            "{granted_state}request: {{process: P4, amounts: [3,3,0]}}\n"
        ));
        assert_eq!(p4.granted, Some(false));
        assert!(p4.reason.unwrap().contains("not enough is available"));
        let p0 = banker(&format!(
            "{granted_state}request: {{process: P0, amounts: [0,2,0]}}\n"
        ));
        assert_eq!(p0.granted, Some(false));
        assert!(p0.reason.unwrap().contains("unsafe"));
    }

    #[test]
    fn a_request_over_the_claim_is_refused() {
        let report = banker(&format!(
            "{SILBERSCHATZ_BANKER}request: {{process: P3, amounts: [1,0,0]}}\n"
        ));
        assert_eq!(report.granted, Some(false));
        assert!(report.reason.unwrap().contains("maximum claim"));
    }

    fn detection(text: &str) -> DetectionReport {
        match Matrix::from_yaml(text).unwrap().analyze() {
            Analysis::Detection(report) => report,
            other => panic!("{other:?}"),
        }
    }

    const SILBERSCHATZ_DETECTION: &str = "
name: detection
resources: {A: 7, B: 2, C: 6}
processes:
  P0: {allocation: [0,1,0], request: [0,0,0]}
  P1: {allocation: [2,0,0], request: [2,0,2]}
  P2: {allocation: [3,0,3], request: [0,0,0]}
  P3: {allocation: [2,1,1], request: [1,0,0]}
  P4: {allocation: [0,0,2], request: [0,0,2]}
";

    #[test]
    fn the_textbook_detection_examples() {
        let report = detection(SILBERSCHATZ_DETECTION);
        assert!(report.deadlocked.is_empty());
        assert_eq!(report.sequence, ["P0", "P2", "P3", "P4", "P1"]);
        // P2 then asks for one more C: P1, P2, P3 and P4 are deadlocked.
        let report = detection(&SILBERSCHATZ_DETECTION.replace(
            "P2: {allocation: [3,0,3], request: [0,0,0]}",
            "P2: {allocation: [3,0,3], request: [0,0,1]}",
        ));
        assert_eq!(report.deadlocked, ["P1", "P2", "P3", "P4"]);
        assert_eq!(report.sequence, ["P0"]);
    }

    #[test]
    fn a_process_holding_nothing_that_can_never_be_served_is_starved_not_deadlocked() {
        let report = detection(
            "
name: starved
resources: {A: 2}
processes:
  P0: {allocation: [1], request: [0]}
  P1: {allocation: [0], request: [3]}
",
        );
        assert!(report.deadlocked.is_empty());
        assert_eq!(report.starved, ["P1"]);
        assert_eq!(report.sequence, ["P0"]);
    }

    #[test]
    fn available_may_be_given_instead_of_totals() {
        let text = "
name: given available
resources: [A, B, C]
available: [3, 3, 2]
processes:
  P0: {allocation: [0,1,0], max: [7,5,3]}
  P1: {allocation: [2,0,0], max: [3,2,2]}
";
        let matrix = Matrix::from_yaml(text).unwrap();
        assert_eq!(matrix.total, [5, 4, 2]);
        assert_eq!(matrix.available, [3, 3, 2]);
    }

    #[test]
    fn bad_matrices_name_the_field() {
        let error = |text: &str| Matrix::from_yaml(text).unwrap_err().one_line("m.yaml");
        assert!(
            error(&SILBERSCHATZ_BANKER.replace("[7,5,3]", "[7,5]"))
                .contains("processes.P0.max: expected 3 numbers")
        );
        assert!(
            error(&SILBERSCHATZ_BANKER.replace("[3,2,2]", "[1,2,2]"))
                .contains("allocation must not exceed max")
        );
        assert!(
            error(&SILBERSCHATZ_BANKER.replace("A: 10", "A: 3"))
                .contains("more than the (3, 5, 7) instances")
        );
        assert!(
            error(&SILBERSCHATZ_BANKER.replace("max: [9,0,2]", "request: [9,0,2]"))
                .contains("not a mix")
        );
        assert!(
            error(&format!(
                "{SILBERSCHATZ_BANKER}request: {{process: P9, amounts: [1,0,2]}}\n"
            ))
            .contains("request.process: no process is named `P9`")
        );
    }
}
