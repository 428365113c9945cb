//! The pieces of a graded item: scoring one answer against the key's, a missing answer, and
//! comparing written Gantt charts by the busy ticks they agree on.

use crate::answer::WrittenSlice;
use serde::Serialize;

/// One question.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GradedItem {
    /// E.g. `P2.waiting`, `averages.turnaround`, `gantt.cpu0`, `order`, `states_at.5.P1`.
    pub question: String,
    pub expected: String,
    /// The student's answer; `None` when missing.
    pub got: Option<String>,
    pub points: f64,
    pub max_points: f64,
    pub feedback: String,
}

/// Full points when `got` is `expected`, or when it is what follows from the student's own
/// earlier values (`follows`); 0 otherwise, with the way to the key's value.
pub(super) fn score_item(
    question: String,
    expected: String,
    got: Option<String>,
    points: f64,
    how: &str,
    follows: Option<String>,
) -> GradedItem {
    let Some(got) = got else {
        return missing(question, expected, points);
    };
    let (earned, feedback) = if got == expected {
        (points, "correct".to_string())
    } else if follows.as_ref() == Some(&got) {
        (
            points,
            format!("follows from your own earlier values (the key: {how})"),
        )
    } else {
        (0.0, format!("expected {expected}: {how}"))
    };
    GradedItem {
        question,
        expected,
        got: Some(got),
        points: earned,
        max_points: points,
        feedback,
    }
}

/// A number graded within the rubric's `tolerance` (at least 0.0005: keys show three
/// decimals): right, and shown as they wrote it, or wrong with the key's value and `how`.
pub(super) fn graded_number(
    question: String,
    value: f64,
    shown: String,
    got: Option<f64>,
    tolerance: f64,
    points: f64,
    how: &str,
) -> GradedItem {
    match got {
        Some(got) if (got - value).abs() <= tolerance.max(0.0005) + 1e-9 => GradedItem {
            question,
            expected: shown,
            got: Some(got.to_string()),
            points,
            max_points: points,
            feedback: "correct".into(),
        },
        got => score_item(
            question,
            shown,
            got.map(|got| got.to_string()),
            points,
            how,
            None,
        ),
    }
}

pub(super) fn missing(question: String, expected: String, points: f64) -> GradedItem {
    GradedItem {
        question,
        expected,
        got: None,
        points: 0.0,
        max_points: points,
        feedback: "missing".into(),
    }
}

pub(super) fn show(value: Option<u64>) -> String {
    value.map_or("-".into(), |v| v.to_string())
}

pub(super) fn show_i(value: Option<i32>) -> String {
    value.map_or("-".into(), |v| v.to_string())
}

/// Busy ticks of a chart, in 128 bits: a student's chart may hold any numbers.
pub(super) fn busy(slices: &[WrittenSlice]) -> u128 {
    slices
        .iter()
        .map(|s| u128::from(s.end.saturating_sub(s.start)))
        .sum()
}

/// Ticks during which both charts run the same process.
pub(super) fn overlap(a: &[WrittenSlice], b: &[WrittenSlice]) -> u128 {
    let (mut i, mut j, mut agreed) = (0, 0, 0u128);
    while i < a.len() && j < b.len() {
        let start = a[i].start.max(b[j].start);
        let end = a[i].end.min(b[j].end);
        if end > start && a[i].name == b[j].name {
            agreed += u128::from(end - start);
        }
        if a[i].end <= b[j].end {
            i += 1;
        } else {
            j += 1;
        }
    }
    agreed
}

/// The first time at which the charts differ, in words.
pub(super) fn first_difference(key: &[WrittenSlice], theirs: &[WrittenSlice]) -> Option<String> {
    let at = |slices: &[WrittenSlice], t: u64| {
        slices
            .iter()
            .find(|s| s.start <= t && t < s.end)
            .map_or("idle".to_string(), |s| s.name.clone())
    };
    let mut times: Vec<u64> = key
        .iter()
        .chain(theirs)
        .flat_map(|s| [s.start, s.end])
        .collect();
    times.sort_unstable();
    times.dedup();
    times.into_iter().find_map(|t| {
        let (want, have) = (at(key, t), at(theirs, t));
        (want != have).then(|| format!("at t={t} you run {have}, the schedule runs {want}"))
    })
}
