//! Grading matrix exercises (banker's algorithm, deadlock detection): `safe`, `sequence`,
//! `granted`, `deadlocked`. A sequence is checked, not compared: any valid one is right.

use super::grade::{AnswerFormat, GradedFile, GradedItem, parse_answer};
use crate::answer::Answer;
use crate::matrix::{Analysis, Matrix, Mode};
use crate::rubric::{QuestionKind, Rubric};

/// The questions a matrix exercise asks, with their points: the rubric's, or by default every
/// answer the algorithm gives (1 point each).
pub fn questions(matrix: &Matrix, rubric: &Rubric) -> Vec<(QuestionKind, f64)> {
    let defaults: Vec<QuestionKind> = match matrix.mode {
        Mode::Banker if !matrix.requests.is_empty() => vec![
            QuestionKind::Safe,
            QuestionKind::Sequence,
            QuestionKind::Requests,
        ],
        Mode::Banker if matrix.request.is_some() => vec![
            QuestionKind::Safe,
            QuestionKind::Sequence,
            QuestionKind::Granted,
        ],
        Mode::Banker => vec![QuestionKind::Safe, QuestionKind::Sequence],
        Mode::Detection => vec![QuestionKind::Deadlocked, QuestionKind::Sequence],
    };
    match &rubric.points {
        None => defaults.into_iter().map(|kind| (kind, 1.0)).collect(),
        Some(points) => defaults
            .into_iter()
            .filter_map(|kind| points.get(&kind).map(|&p| (kind, p)))
            .collect(),
    }
}

/// The key in the answer format.
pub fn key_answer(matrix: &Matrix, rubric: &Rubric) -> Answer {
    let mut answer = Answer::default();
    let analysis = matrix.analyze();
    for (kind, _) in questions(matrix, rubric) {
        match (kind, &analysis) {
            (QuestionKind::Safe, Analysis::Banker(report)) => answer.safe = Some(report.safe),
            (QuestionKind::Granted, Analysis::Banker(report)) => answer.granted = report.granted,
            (QuestionKind::Requests, Analysis::Banker(report)) => {
                answer.requests = Some(
                    report
                        .requests
                        .iter()
                        .map(|r| crate::answer::RequestAnswer::Outcome(r.outcome.to_string()))
                        .collect(),
                )
            }
            (QuestionKind::Sequence, Analysis::Banker(report)) => {
                answer.sequence = Some(report.sequence.clone())
            }
            (QuestionKind::Sequence, Analysis::Detection(report)) => {
                answer.sequence = Some(report.sequence.clone())
            }
            (QuestionKind::Deadlocked, Analysis::Detection(report)) => {
                answer.deadlocked = Some(report.deadlocked.clone())
            }
            _ => {}
        }
    }
    answer
}

/// Grades the answer in `text` (from `file`) against `matrix`. Never fails.
pub fn grade(file: &str, text: &str, matrix: &Matrix, rubric: &Rubric) -> GradedFile {
    match parse_answer(text, AnswerFormat::of_file(file)) {
        Ok(answer) => grade_answer(file, &answer, matrix, rubric),
        Err(error) => GradedFile {
            file: file.to_string(),
            score: 0.0,
            max_score: questions(matrix, rubric).iter().map(|(_, p)| p).sum(),
            items: Vec::new(),
            error: Some(error.trim_start_matches(':').trim().to_string()),
        },
    }
}

/// Grades an answer already read.
pub fn grade_answer(file: &str, answer: &Answer, matrix: &Matrix, rubric: &Rubric) -> GradedFile {
    let questions = questions(matrix, rubric);
    let max_score = questions.iter().map(|(_, points)| points).sum();
    let key = key_answer(matrix, rubric);
    let items: Vec<GradedItem> = questions
        .into_iter()
        .flat_map(|(kind, points)| match kind {
            QuestionKind::Requests => request_items(matrix, points, answer),
            _ => vec![item(matrix, kind, points, &key, answer)],
        })
        .collect();
    // Shares of a question's points (a request stream's items) add up to it only within a
    // rounding error: a score is exact to nine decimals, so all right is full marks.
    let score: f64 = items.iter().map(|i| i.points).sum();
    GradedFile {
        file: file.to_string(),
        score: (score * 1e9).round() / 1e9,
        max_score,
        items,
        error: None,
    }
}

fn item(
    matrix: &Matrix,
    kind: QuestionKind,
    points: f64,
    key: &Answer,
    answer: &Answer,
) -> GradedItem {
    let names = |list: &Option<Vec<String>>| list.as_ref().map(|l| l.join(", "));
    let flag = |value: Option<bool>| value.map(|v| v.to_string());
    let (expected, got) = match kind {
        QuestionKind::Safe => (flag(key.safe), flag(answer.safe)),
        QuestionKind::Granted => (flag(key.granted), flag(answer.granted)),
        QuestionKind::Sequence => (names(&key.sequence), names(&answer.sequence)),
        _ => (names(&key.deadlocked), names(&answer.deadlocked)),
    };
    let expected = expected.unwrap_or_default();
    let mut graded = GradedItem {
        question: kind.name().to_string(),
        expected: expected.clone(),
        got: got.clone(),
        points: 0.0,
        max_points: points,
        feedback: "missing".into(),
    };
    let Some(got) = got else {
        return graded;
    };
    let verdict = match kind {
        QuestionKind::Sequence => matrix
            .check_sequence(answer.sequence.as_deref().unwrap_or_default())
            .map(|()| {
                if got == expected {
                    "correct".to_string()
                } else {
                    format!("correct: a valid order (the key gives {expected})")
                }
            }),
        QuestionKind::Deadlocked => {
            let set = crate::answer::name_set;
            if set(answer.deadlocked.iter().flatten()) == set(key.deadlocked.iter().flatten()) {
                Ok("correct".to_string())
            } else {
                Err(format!("expected {{{expected}}}"))
            }
        }
        _ if got == expected => Ok("correct".to_string()),
        _ => Err(format!("expected {expected}")),
    };
    match verdict {
        Ok(feedback) => {
            graded.points = points;
            graded.feedback = feedback;
        }
        Err(why) => graded.feedback = why,
    }
    graded
}

/// A worked solution for instructors, in Markdown.
pub fn markdown(matrix: &Matrix, rubric: &Rubric) -> String {
    let mut out = format!(
        "# {} — worked solution\n\n",
        crate::text::markdown_text(&matrix.name)
    );
    if let Some(description) = &matrix.description {
        out.push_str(description.trim());
        out.push_str("\n\n");
    }
    out.push_str("```text\n");
    out.push_str(&crate::matrix::explain(matrix));
    out.push_str("```\n\n## Answers\n\n```yaml\n");
    out.push_str(&crate::yaml::to_string(&key_answer(matrix, rubric)));
    out.push_str("```\n");
    out
}

/// A request stream graded item by item: each item's share of the points for saying how it
/// was decided (its outcome in words, or whether it was granted).
fn request_items(matrix: &Matrix, points: f64, answer: &Answer) -> Vec<GradedItem> {
    let decided = matrix.decide_stream();
    let share = points / decided.len().max(1) as f64;
    decided
        .iter()
        .enumerate()
        .map(|(index, outcome)| {
            let got = answer.requests.as_ref().and_then(|list| list.get(index));
            let what = match (&outcome.amounts, &outcome.release) {
                (Some(amounts), _) => format!(
                    "{} requests {}",
                    outcome.process,
                    crate::scan::vector(amounts)
                ),
                (None, Some(release)) => {
                    format!(
                        "{} releases {}",
                        outcome.process,
                        crate::scan::vector(release)
                    )
                }
                (None, None) => outcome.process.clone(),
            };
            let mut graded = GradedItem {
                question: format!("requests[{}]", index + 1),
                expected: outcome.outcome.to_string(),
                got: got.map(|g| g.to_string()),
                points: 0.0,
                max_points: share,
                feedback: "missing".into(),
            };
            if let Some(got) = got {
                if got.agrees_with(outcome.outcome, outcome.granted) {
                    graded.points = share;
                    graded.feedback = "correct".into();
                } else {
                    graded.feedback = format!("{what}: {} ({})", outcome.outcome, outcome.reason);
                }
            }
            graded
        })
        .collect()
}
