//! Grades in the formats autograders read: a text table, JSON, CSV, Gradescope's results.json
//! and JUnit XML. Pure functions from grades to text.

use super::grade::GradedFile;
use crate::text::{number, table};
use serde::Serialize;
use std::fmt::Write;

/// JSON: the list of graded files (docs/grading.md).
pub fn json(files: &[GradedFile]) -> String {
    serde_json::to_string_pretty(files).unwrap_or_default() + "\n"
}

/// A table of files and scores; for a single file, its feedback too.
pub fn text(files: &[GradedFile]) -> String {
    let mut out = String::new();
    let rows: Vec<Vec<String>> = files
        .iter()
        .map(|file| {
            vec![
                file.file.clone(),
                number(file.score),
                number(file.max_score),
                percent(file),
                file.error.clone().unwrap_or_default(),
            ]
        })
        .collect();
    out.push_str(&table(&["File", "Score", "Max", "%", "Error"], &rows));
    if let [file] = files
        && file.error.is_none()
    {
        let _ = writeln!(out);
        let rows: Vec<Vec<String>> = file
            .items
            .iter()
            .map(|item| {
                vec![
                    item.question.clone(),
                    item.got.clone().unwrap_or_else(|| "-".into()),
                    item.expected.clone(),
                    format!("{}/{}", number(item.points), number(item.max_points)),
                    item.feedback.clone(),
                ]
            })
            .collect();
        out.push_str(&table(
            &["Question", "Answer", "Key", "Points", "Feedback"],
            &rows,
        ));
    }
    if files.len() > 1 {
        let graded: Vec<&GradedFile> = files.iter().filter(|f| f.error.is_none()).collect();
        let mean = if graded.is_empty() {
            0.0
        } else {
            graded.iter().map(|f| f.score).sum::<f64>() / graded.len() as f64
        };
        let _ = writeln!(
            out,
            "\n{} files, {} with errors; mean score of the others {}",
            files.len(),
            files.len() - graded.len(),
            number((mean * 100.0).round() / 100.0)
        );
    }
    out
}

fn percent(file: &GradedFile) -> String {
    if file.max_score > 0.0 {
        format!("{:.0}", 100.0 * file.score / file.max_score)
    } else {
        "-".into()
    }
}

/// CSV: one row per file — file, score, max_score, then the points of each question (in the
/// order of the first file graded without error), then the error.
pub fn csv(files: &[GradedFile]) -> String {
    let questions: Vec<String> = files
        .iter()
        .find(|f| f.error.is_none())
        .map(|f| f.items.iter().map(|i| i.question.clone()).collect())
        .unwrap_or_default();
    let mut out = String::new();
    let mut header = vec!["file".to_string(), "score".into(), "max_score".into()];
    header.extend(questions.iter().cloned());
    header.push("error".into());
    out.push_str(&csv_line(&header));
    for file in files {
        let mut row = vec![
            file.file.clone(),
            number(file.score),
            number(file.max_score),
        ];
        for question in &questions {
            let points = file
                .items
                .iter()
                .find(|i| &i.question == question)
                .map_or(String::new(), |i| number(i.points));
            row.push(points);
        }
        row.push(file.error.clone().unwrap_or_default());
        out.push_str(&csv_line(&row));
    }
    out
}

/// One row; each field is a cell of text ([`crate::text::csv_cell`]): the scores are
/// non-negative, so none is taken for a formula.
fn csv_line(fields: &[String]) -> String {
    let cells: Vec<String> = fields.iter().map(|f| crate::text::csv_cell(f)).collect();
    cells.join(",") + "\n"
}

/// Gradescope's results.json (https://gradescope-autograders.readthedocs.io): one object per
/// submission; with several files, a JSON list of them.
#[derive(Serialize)]
struct GradescopeResults {
    score: f64,
    max_score: f64,
    output: String,
    output_format: &'static str,
    visibility: &'static str,
    tests: Vec<GradescopeTest>,
    /// With the rubric's `leaderboard: true`: the score, for Gradescope's leaderboard.
    #[serde(skip_serializing_if = "Option::is_none")]
    leaderboard: Option<Vec<LeaderboardEntry>>,
}

#[derive(Serialize)]
struct LeaderboardEntry {
    name: &'static str,
    value: f64,
}

#[derive(Serialize)]
struct GradescopeTest {
    name: String,
    score: f64,
    max_score: f64,
    status: &'static str,
    output: String,
    output_format: &'static str,
    visibility: &'static str,
}

/// Gradescope's results.json; `visibility` (the rubric's) says when each test and the result
/// are shown. Outputs are Markdown (`output_format: md`) with every text from a file escaped.
pub fn gradescope(files: &[GradedFile], rubric: &crate::rubric::Rubric) -> String {
    let visibility = &rubric.visibility;
    let md = crate::text::markdown_text;
    let results: Vec<GradescopeResults> = files
        .iter()
        .map(|file| GradescopeResults {
            score: file.score,
            max_score: file.max_score,
            output: match &file.error {
                Some(error) => format!("{}: {}", md(&file.file), md(error)),
                None => format!(
                    "{}: {} of {} points",
                    md(&file.file),
                    number(file.score),
                    number(file.max_score)
                ),
            },
            output_format: "md",
            visibility: visibility.default,
            leaderboard: rubric.leaderboard.then(|| {
                vec![LeaderboardEntry {
                    name: "score",
                    value: file.score,
                }]
            }),
            tests: file
                .items
                .iter()
                .map(|item| GradescopeTest {
                    name: item.question.clone(),
                    score: item.points,
                    max_score: item.max_points,
                    status: if item.points >= item.max_points {
                        "passed"
                    } else {
                        "failed"
                    },
                    output: format!(
                        "your answer: {}; {}",
                        md(item.got.as_deref().unwrap_or("(none)")),
                        md(&item.feedback)
                    ),
                    output_format: "md",
                    visibility: visibility.of_question(&item.question),
                })
                .collect(),
        })
        .collect();
    let text = match results.as_slice() {
        [one] => serde_json::to_string_pretty(one),
        many => serde_json::to_string_pretty(many),
    };
    text.unwrap_or_default() + "\n"
}

/// JUnit XML: a test suite per file, a test case per question; a wrong or missing answer is a
/// failure, an unreadable file an error.
pub fn junit(files: &[GradedFile]) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let tests: usize = files.iter().map(|f| f.items.len().max(1)).sum();
    let failures: usize = files
        .iter()
        .map(|f| f.items.iter().filter(|i| i.points < i.max_points).count())
        .sum();
    let errors = files.iter().filter(|f| f.error.is_some()).count();
    let _ = writeln!(
        out,
        "<testsuites name=\"procsim grade\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\">"
    );
    for file in files {
        let name = xml(&file.file);
        if let Some(error) = &file.error {
            let _ = writeln!(
                out,
                "  <testsuite name=\"{name}\" tests=\"1\" failures=\"0\" errors=\"1\">\n    \
                 <testcase name=\"read answer\" classname=\"{name}\">\n      \
                 <error message=\"{}\"/>\n    </testcase>\n  </testsuite>",
                xml(error)
            );
            continue;
        }
        let failed = file
            .items
            .iter()
            .filter(|i| i.points < i.max_points)
            .count();
        let _ = writeln!(
            out,
            "  <testsuite name=\"{name}\" tests=\"{}\" failures=\"{failed}\" errors=\"0\">",
            file.items.len()
        );
        let _ = writeln!(
            out,
            "    <properties><property name=\"score\" value=\"{}\"/><property name=\"max_score\" value=\"{}\"/></properties>",
            number(file.score),
            number(file.max_score)
        );
        for item in &file.items {
            let case = format!(
                "    <testcase name=\"{}\" classname=\"{name}\"",
                xml(&item.question)
            );
            if item.points >= item.max_points {
                let _ = writeln!(out, "{case}/>");
            } else {
                let _ = writeln!(
                    out,
                    "{case}>\n      <failure message=\"{}\">{}</failure>\n    </testcase>",
                    xml(&format!(
                        "{} of {} points",
                        number(item.points),
                        number(item.max_points)
                    )),
                    xml(&format!(
                        "your answer: {}; key: {}; {}",
                        item.got.as_deref().unwrap_or("(none)"),
                        item.expected,
                        item.feedback
                    ))
                );
            }
        }
        let _ = writeln!(out, "  </testsuite>");
    }
    out.push_str("</testsuites>\n");
    out
}

/// Text for XML content and attributes ([`crate::text::xml_text`]).
fn xml(text: &str) -> String {
    crate::text::xml_text(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grading::grade::GradedItem;

    fn graded() -> Vec<GradedFile> {
        vec![
            GradedFile {
                file: "a,b.yaml".into(),
                score: 1.0,
                max_score: 2.0,
                items: vec![
                    GradedItem {
                        question: "P1.waiting".into(),
                        expected: "0".into(),
                        got: Some("0".into()),
                        points: 1.0,
                        max_points: 1.0,
                        feedback: "correct".into(),
                    },
                    GradedItem {
                        question: "P2.waiting".into(),
                        expected: "24".into(),
                        got: None,
                        points: 0.0,
                        max_points: 1.0,
                        feedback: "missing".into(),
                    },
                ],
                error: None,
            },
            GradedFile {
                file: "bomb.yaml".into(),
                score: 0.0,
                max_score: 2.0,
                items: Vec::new(),
                error: Some("1:1: <alias bomb> & more".into()),
            },
        ]
    }

    #[test]
    fn csv_quotes_and_has_a_column_per_question() {
        assert_eq!(
            csv(&graded()),
            "file,score,max_score,P1.waiting,P2.waiting,error\n\
             \"a,b.yaml\",1,2,1,0,\n\
             bomb.yaml,0,2,,,1:1: <alias bomb> & more\n"
        );
    }

    #[test]
    fn junit_escapes_and_counts() {
        let xml = junit(&graded());
        assert!(
            xml.contains("tests=\"3\" failures=\"1\" errors=\"1\""),
            "{xml}"
        );
        assert!(xml.contains("&lt;alias bomb&gt; &amp; more"), "{xml}");
        assert!(xml.contains("<testcase name=\"P1.waiting\" classname=\"a,b.yaml\"/>"));
    }

    #[test]
    fn junit_with_names_xml_forbids_still_parses_and_keeps_them_visible() {
        let mut files = graded();
        files[0].file = "s\u{1b}[31m\u{fffe}\u{ffff}\u{202e}\"'<&>.yaml".into();
        files[1].error = Some("bad \u{0}\u{7} input".into());
        let xml = junit(&files);
        let document = roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("{e}\n{xml}"));
        let classnames: Vec<&str> = document
            .descendants()
            .filter_map(|n| n.attribute("classname"))
            .collect();
        assert!(
            classnames.contains(&"s\\u{1b}[31m\\u{fffe}\\u{ffff}\\u{202e}\"'<&>.yaml"),
            "{classnames:?}"
        );
        assert!(xml.contains("bad \\u{0}\\u{7} input"), "{xml}");
    }

    #[test]
    fn gradescope_has_the_documented_shape() {
        let visible = crate::rubric::Rubric::default();
        let one: serde_json::Value =
            serde_json::from_str(&gradescope(&graded()[..1], &visible)).unwrap();
        assert_eq!(one["score"], 1.0);
        assert_eq!(one["tests"][1]["name"], "P2.waiting");
        assert_eq!(one["tests"][1]["max_score"], 1.0);
        assert_eq!(one["tests"][1]["visibility"], "visible");
        assert_eq!(one["tests"][1]["output_format"], "md");
        assert_eq!(one["output_format"], "md");
        // The rubric's visibility: the result's, and each kind of question's.
        let rubric: crate::rubric::RubricFile = crate::yaml::parse(
            "{visibility: {default: after_published, waiting: hidden}, leaderboard: true}",
        )
        .unwrap();
        let rubric = crate::rubric::Rubric::from_file(&rubric).unwrap();
        let shown: serde_json::Value =
            serde_json::from_str(&gradescope(&graded()[..1], &rubric)).unwrap();
        assert_eq!(shown["visibility"], "after_published");
        assert_eq!(shown["leaderboard"][0]["name"], "score");
        assert_eq!(shown["leaderboard"][0]["value"], 1.0);
        assert!(one.get("leaderboard").is_none());
        assert_eq!(shown["tests"][1]["visibility"], "hidden");
        let many: serde_json::Value =
            serde_json::from_str(&gradescope(&graded(), &visible)).unwrap();
        assert_eq!(many.as_array().unwrap().len(), 2);
    }
}
