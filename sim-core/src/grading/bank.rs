//! Quiz banks for learning platforms, made from answer keys: Moodle's question XML and IMS QTI
//! 1.2 (what Canvas imports), and the problem-with-questions object that PrairieLearn's
//! question script reads. Each variant's questions carry its whole problem, so a quiz may draw
//! each question from another variant.
//!
//! Questions: one numerical question per process and time the rubric asks (`first_run`,
//! `completion`, `turnaround`, `waiting`, `response`), one per average, with tolerance 0 (an
//! average that is not a whole number of hundredths is asked rounded to two places), and, when
//! the rubric asks for the chart, a Gantt question per CPU: which process runs in each of the
//! chart's intervals (Moodle: a cloze question of drop-down menus; QTI: a matching question).
//! Other question kinds have no place in these banks and are left out (`Bank::left_out`).

use super::key::AnswerKey;
use super::sheet::{WorkloadRow, workload};
use crate::answer::{WrittenSlice, run_gantt};
use crate::text::xml_text as xml;
use serde::Serialize;
use std::fmt::Write as _;

/// A chart with more intervals than this is not asked as a Gantt question (too many menus).
pub const MAX_GANTT_INTERVALS: usize = 40;

/// The per-process times a bank asks, in the order they are asked.
const PROCESS_TIMES: [&str; 5] = [
    "first_run",
    "completion",
    "turnaround",
    "waiting",
    "response",
];

/// One problem of a bank: its label (`seed 3`, `student s1001`) and its key.
pub struct Variant<'a> {
    pub label: String,
    pub key: &'a AnswerKey,
}

/// A problem as a question states it, and the questions asked about it, with the key's answers.
#[derive(Clone, Debug, Serialize)]
pub struct Problem {
    pub title: String,
    pub description: Option<String>,
    pub policy: String,
    pub cpus: usize,
    /// The same-tick and switch rules in a sentence.
    pub rules: String,
    pub processes: Vec<WorkloadRow>,
    pub questions: Vec<Question>,
}

/// One question of a problem. `question` is the name `procsim grade` gives it.
#[derive(Clone, Debug, Serialize)]
pub struct Question {
    pub question: String,
    /// What is asked, in words: `the waiting time of P2`.
    pub prompt: String,
    pub points: f64,
    #[serde(flatten)]
    pub answer: QuestionAnswer,
}

#[derive(Clone, Debug, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum QuestionAnswer {
    /// A number, exact (tolerance 0); `rounded` when it is an average rounded to 2 places.
    Number { value: f64, rounded: bool },
    /// Which process runs in each interval of one CPU's chart; `choices` are the processes.
    Gantt {
        cpu: usize,
        intervals: Vec<WrittenSlice>,
        choices: Vec<String>,
        /// The chart in the written form, as `procsim grade` reads it.
        written: String,
    },
    /// Text graded by `procsim grade` alone (the completion order).
    Text { value: String },
}

/// The problem of `key` with every question its rubric asks that a quiz can hold.
pub fn problem(key: &AnswerKey) -> (Problem, Vec<String>) {
    let scenario = &key.scenario;
    let answer = key.answer();
    let graded = super::grade::grade_answer("key", &answer, key);
    let mut questions = Vec::new();
    let mut left_out = Vec::new();
    let averages = &key.report.averages;
    for item in graded.items {
        let points = item.max_points;
        let name = item.question.clone();
        let question = |prompt: String, answer: QuestionAnswer| Question {
            question: name.clone(),
            prompt,
            points,
            answer,
        };
        if let Some(kind) = name.strip_prefix("averages.") {
            let value = match kind {
                "turnaround" => averages.turnaround,
                "waiting" => averages.waiting,
                _ => averages.response,
            };
            let Some(value) = value else {
                left_out.push(name);
                continue;
            };
            let hundredths = (value * 100.0).round() / 100.0;
            questions.push(question(
                format!("the average {} time", kind.replace('_', " ")),
                QuestionAnswer::Number {
                    value: hundredths,
                    rounded: (hundredths - value).abs() > 1e-9,
                },
            ));
        } else if let Some(cpu) = name.strip_prefix("gantt.cpu") {
            let cpu: usize = cpu.parse().unwrap_or(0);
            let intervals = run_gantt(&key.report.gantt, cpu);
            if intervals.is_empty() || intervals.len() > MAX_GANTT_INTERVALS {
                left_out.push(name);
                continue;
            }
            let mut choices: Vec<String> = key.processes().map(|(l, _)| l.to_string()).collect();
            choices.dedup();
            let cpu_words = if scenario.cpus == 1 {
                String::new()
            } else {
                format!(" on CPU {cpu}")
            };
            questions.push(question(
                format!("which process runs{cpu_words} in each interval of the Gantt chart"),
                QuestionAnswer::Gantt {
                    cpu,
                    written: item.expected.clone(),
                    intervals,
                    choices,
                },
            ));
        } else if name == "order" {
            questions.push(question(
                "the order in which the processes complete (names separated by commas)".into(),
                QuestionAnswer::Text {
                    value: item.expected.clone(),
                },
            ));
        } else if let Some((process, time)) = name.rsplit_once('.')
            && PROCESS_TIMES.contains(&time)
            && let Ok(value) = item.expected.parse::<f64>()
        {
            questions.push(question(
                format!("the {} time of {process}", time.replace('_', " ")),
                QuestionAnswer::Number {
                    value,
                    rounded: false,
                },
            ));
        } else {
            left_out.push(name);
        }
    }
    let rules = &scenario.rules;
    let problem = Problem {
        title: scenario.name.clone(),
        description: scenario.description.clone(),
        policy: scenario.policy.describe(),
        cpus: scenario.cpus,
        rules: format!(
            "A process whose quantum expires re-enters the ready queue {} the processes that \
             arrive at that tick; a context switch takes {}.",
            if rules.preempted_before_arrivals {
                "before"
            } else {
                "after"
            },
            crate::text::ticks(rules.context_switch_ticks)
        ),
        processes: workload(scenario),
        questions,
    };
    (problem, left_out)
}

/// A bank: the document, and the questions left out (`seed 3: order`) because the format has
/// no place for them.
#[derive(Clone, Debug)]
pub struct Bank {
    pub text: String,
    pub questions: usize,
    pub left_out: Vec<String>,
}

/// The problem statement as HTML (every text escaped), for a question's text. Its title
/// names the variant already (`practice (seed 3)`).
fn problem_html(problem: &Problem) -> String {
    let mut out = format!("<p><b>{}</b></p>\n", xml(&problem.title));
    if let Some(description) = &problem.description {
        let _ = writeln!(out, "<p>{}</p>", xml(description));
    }
    let _ = writeln!(
        out,
        "<p>Policy: {}; CPUs: {}. {}</p>",
        xml(&problem.policy),
        problem.cpus,
        xml(&problem.rules)
    );
    out.push_str(
        "<table border=\"1\" cellpadding=\"4\">\n<tr><th>Process</th><th>Arrival</th>\
         <th>Priority</th><th>Program</th></tr>\n",
    );
    for row in &problem.processes {
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            xml(&row.name),
            row.arrival,
            row.priority,
            xml(&row.program)
        );
    }
    out.push_str("</table>\n");
    out
}

/// What a question asks, as the last paragraph of its text.
fn ask(question: &Question) -> String {
    let rounding = match question.answer {
        QuestionAnswer::Number { rounded: true, .. } => ", rounded to two decimal places",
        _ => "",
    };
    format!("<p>What is {}{rounding}?</p>\n", xml(&question.prompt))
}

/// A number as the answer of a numerical question: integers without decimals, others in
/// the shortest form that reads back as the same value (`19.25`, `5.67`).
fn number(value: f64) -> String {
    if value.fract() == 0.0 {
        format!("{value:.0}")
    } else {
        format!("{value}")
    }
}

/// The category of a question in a bank: its kind (`waiting`, `averages.waiting`, `gantt`).
fn category(question: &Question) -> String {
    match &question.answer {
        QuestionAnswer::Gantt { .. } => "gantt".into(),
        _ => match question.question.rsplit_once('.') {
            Some(("averages", kind)) => format!("average {kind}"),
            Some((_, kind)) => kind.replace('_', " "),
            None => question.question.clone(),
        },
    }
}

/// Every variant's problem, and its questions grouped by category (so that a quiz can draw
/// one question of a kind at random) as (problem, question) indices, in the order the
/// categories first appear; and the questions left out.
struct Grouped<'v> {
    problems: Vec<(&'v str, Problem, String)>,
    groups: Vec<(String, Vec<(usize, usize)>)>,
    left_out: Vec<String>,
}

fn by_category<'v>(variants: &'v [Variant<'v>]) -> Grouped<'v> {
    let mut grouped = Grouped {
        problems: Vec::new(),
        groups: Vec::new(),
        left_out: Vec::new(),
    };
    for variant in variants {
        let (problem, missing) = problem(variant.key);
        let index = grouped.problems.len();
        let label = variant.label.as_str();
        grouped
            .left_out
            .extend(missing.into_iter().map(|name| format!("{label}: {name}")));
        for (number, question) in problem.questions.iter().enumerate() {
            if let QuestionAnswer::Text { .. } = question.answer {
                grouped
                    .left_out
                    .push(format!("{label}: {}", question.question));
                continue;
            }
            let name = category(question);
            match grouped.groups.iter_mut().find(|(group, _)| *group == name) {
                Some((_, members)) => members.push((index, number)),
                None => grouped.groups.push((name, vec![(index, number)])),
            }
        }
        let html = problem_html(&problem);
        grouped.problems.push((label, problem, html));
    }
    grouped
}

/// The problem, the question and the problem's HTML of a group's `member`.
fn question_of<'p>(
    problems: &'p [(&str, Problem, String)],
    (index, number): (usize, usize),
) -> (&'p Problem, &'p Question, &'p str) {
    let (_, problem, html) = &problems[index];
    (problem, &problem.questions[number], html)
}

/// `Err` once a bank's document `out` is past `limit` bytes, after `questions` questions.
fn within(out: &str, limit: usize, questions: usize) -> Result<(), TooLarge> {
    if out.len() > limit {
        Err(TooLarge { limit, questions })
    } else {
        Ok(())
    }
}

/// A bank grew past its byte budget after `questions` questions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TooLarge {
    pub limit: usize,
    pub questions: usize,
}

/// A question's name in a bank: `practice (seed 3): the waiting time of P2`.
fn question_title(problem: &Problem, question: &Question) -> String {
    format!("{}: {}", problem.title, question.prompt)
}

/// Moodle's question XML (Moodle XML format): a category per question kind under
/// `$course$/top/procsim/<title>/`, numerical questions with tolerance 0, and a cloze question of
/// drop-down menus per Gantt chart.
pub fn moodle(title: &str, variants: &[Variant], limit: usize) -> Result<Bank, TooLarge> {
    let Grouped {
        problems,
        groups,
        left_out,
    } = by_category(variants);
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    // No user text in the comment: `--` cannot appear in one.
    let _ = writeln!(
        out,
        "<!-- A Moodle quiz bank written by procsim generate (moodle format): {} variant{}. -->",
        variants.len(),
        crate::text::plural_s(variants.len())
    );
    out.push_str("<quiz>\n");
    let mut count = 0;
    for (name, members) in &groups {
        // Moodle reads `/` in a category path as a separator; `//` is a slash in a name.
        let path = format!(
            "$course$/top/procsim/{}/{}",
            title.replace('/', "//"),
            name.replace('/', "//")
        );
        let _ = write!(
            out,
            "  <question type=\"category\">\n    <category><text>{}</text></category>\n  </question>\n",
            xml(&path)
        );
        for &member in members {
            within(&out, limit, count)?;
            count += 1;
            let (problem, question, html) = question_of(&problems, member);
            let text = html.to_string();
            let title = xml(&question_title(problem, question));
            match &question.answer {
                QuestionAnswer::Number { value, .. } => {
                    let _ = write!(
                        out,
                        "  <question type=\"numerical\">\n    <name><text>{title}</text></name>\n    \
                         <questiontext format=\"html\"><text>{}</text></questiontext>\n    \
                         <generalfeedback format=\"html\"><text></text></generalfeedback>\n    \
                         <defaultgrade>{}</defaultgrade>\n    <penalty>0</penalty>\n    <hidden>0</hidden>\n    \
                         <answer fraction=\"100\" format=\"moodle_auto_format\">\n      <text>{}</text>\n      \
                         <feedback format=\"html\"><text></text></feedback>\n      <tolerance>0</tolerance>\n    \
                         </answer>\n  </question>\n",
                        xml(&(text + &ask(question))),
                        number(question.points),
                        number(*value)
                    );
                }
                QuestionAnswer::Gantt {
                    intervals, choices, ..
                } => {
                    // A `{` of a name would open an embedded answer of its own.
                    let mut body = (text + &ask(question)).replace('{', "&#123;");
                    body.push_str("<table border=\"1\" cellpadding=\"4\">\n<tr><th>Interval</th><th>Process</th></tr>\n");
                    for interval in intervals {
                        let menu: Vec<String> = choices
                            .iter()
                            .map(|choice| {
                                let mark = if *choice == interval.name { "=" } else { "" };
                                format!("{mark}{}", cloze(choice))
                            })
                            .collect();
                        let _ = writeln!(
                            body,
                            "<tr><td>{} to {}</td><td>{{1:MULTICHOICE:{}}}</td></tr>",
                            interval.start,
                            interval.end,
                            menu.join("~")
                        );
                    }
                    body.push_str("</table>\n");
                    let _ = write!(
                        out,
                        "  <question type=\"cloze\">\n    <name><text>{title}</text></name>\n    \
                         <questiontext format=\"html\"><text>{}</text></questiontext>\n    \
                         <generalfeedback format=\"html\"><text></text></generalfeedback>\n    \
                         <penalty>0</penalty>\n    <hidden>0</hidden>\n  </question>\n",
                        xml(&body)
                    );
                }
                QuestionAnswer::Text { .. } => {}
            }
        }
    }
    out.push_str("</quiz>\n");
    Ok(Bank {
        text: out,
        questions: count,
        left_out,
    })
}

/// A choice of a cloze drop-down: Moodle's special characters of embedded answers escaped
/// with a backslash, and HTML's escaped as in the rest of the question's text.
fn cloze(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '\\' | '}' | '{' | '#' | '~' | '/' | '"') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// IMS QTI 1.2 (as Canvas imports it, in a package with [`qti_manifest`]): an assessment with a
/// section per question kind that draws one question of its kind at random (Canvas's question
/// groups); numerical questions with an exact answer and matching questions for Gantt charts.
pub fn qti(title: &str, variants: &[Variant], limit: usize) -> Result<Bank, TooLarge> {
    let Grouped {
        problems,
        groups,
        left_out,
    } = by_category(variants);
    let slug = crate::render::slug(title);
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(
        "<questestinterop xmlns=\"http://www.imsglobal.org/xsd/ims_qtiasiv1p2\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
         xsi:schemaLocation=\"http://www.imsglobal.org/xsd/ims_qtiasiv1p2 \
         http://www.imsglobal.org/xsd/ims_qtiasiv1p2p1.xsd\">\n",
    );
    let _ = write!(
        out,
        "  <assessment ident=\"procsim-{slug}\" title=\"{}\">\n    <section ident=\"root_section\">\n",
        xml(title)
    );
    let mut count = 0;
    for (group, (name, members)) in groups.iter().enumerate() {
        let points = members.first().map_or(1.0, |&(index, number)| {
            problems[index].1.questions[number].points
        });
        let _ = write!(
            out,
            "      <section ident=\"procsim-{slug}-group-{group}\" title=\"{}\">\n        \
             <selection_ordering>\n          <selection>\n            \
             <selection_number>1</selection_number>\n            <selection_extension>\n              \
             <points_per_item>{}</points_per_item>\n            </selection_extension>\n          \
             </selection>\n        </selection_ordering>\n",
            xml(name),
            number(points)
        );
        for &member in members {
            within(&out, limit, count)?;
            count += 1;
            let (problem, question, html) = question_of(&problems, member);
            let ident = format!("procsim-{slug}-{count}");
            let text = html.to_string() + &ask(question);
            let kind = match question.answer {
                QuestionAnswer::Gantt { .. } => "matching_question",
                _ => "numerical_question",
            };
            let _ = write!(
                out,
                "        <item ident=\"{ident}\" title=\"{}\">\n          <itemmetadata>\n            <qtimetadata>\n{}{}            </qtimetadata>\n          </itemmetadata>\n          <presentation>\n            <material>\n              <mattext texttype=\"text/html\">{}</mattext>\n            </material>\n",
                xml(&question_title(problem, question)),
                field("question_type", kind),
                field("points_possible", &number(question.points)),
                xml(&text)
            );
            let mut processing = String::from(
                "          <resprocessing>\n            <outcomes>\n              <decvar maxvalue=\"100\" minvalue=\"0\" varname=\"SCORE\" vartype=\"Decimal\"/>\n            </outcomes>\n",
            );
            match &question.answer {
                QuestionAnswer::Number { value, .. } => {
                    let value = number(*value);
                    out.push_str(
                        "            <response_str ident=\"response1\" rcardinality=\"Single\">\n              <render_fib fibtype=\"Decimal\">\n                <response_label ident=\"answer1\"/>\n              </render_fib>\n            </response_str>\n",
                    );
                    let _ = write!(
                        processing,
                        "            <respcondition continue=\"No\">\n              <conditionvar>\n                <or>\n                  <varequal respident=\"response1\">{value}</varequal>\n                  <and>\n                    <vargte respident=\"response1\">{value}</vargte>\n                    <varlte respident=\"response1\">{value}</varlte>\n                  </and>\n                </or>\n              </conditionvar>\n              <setvar action=\"Set\" varname=\"SCORE\">100</setvar>\n            </respcondition>\n"
                    );
                }
                QuestionAnswer::Gantt {
                    cpu,
                    intervals,
                    choices,
                    ..
                } => {
                    let share = 100.0 / intervals.len() as f64;
                    for (index, interval) in intervals.iter().enumerate() {
                        let response = format!("response_{cpu}_{index}");
                        let _ = write!(
                            out,
                            "            <response_lid ident=\"{response}\">\n              <material>\n                <mattext texttype=\"text/plain\">{} to {}</mattext>\n              </material>\n              <render_choice>\n",
                            interval.start, interval.end
                        );
                        for (choice_index, choice) in choices.iter().enumerate() {
                            let _ = write!(
                                out,
                                "                <response_label ident=\"{ident}-choice-{choice_index}\">\n                  <material>\n                    <mattext>{}</mattext>\n                  </material>\n                </response_label>\n",
                                xml(choice)
                            );
                        }
                        out.push_str(
                            "              </render_choice>\n            </response_lid>\n",
                        );
                        let right = choices
                            .iter()
                            .position(|choice| *choice == interval.name)
                            .unwrap_or(0);
                        let _ = write!(
                            processing,
                            "            <respcondition>\n              <conditionvar>\n                <varequal respident=\"{response}\">{ident}-choice-{right}</varequal>\n              </conditionvar>\n              <setvar varname=\"SCORE\" action=\"Add\">{share:.4}</setvar>\n            </respcondition>\n"
                        );
                    }
                }
                QuestionAnswer::Text { .. } => {}
            }
            out.push_str("          </presentation>\n");
            out.push_str(&processing);
            out.push_str("          </resprocessing>\n        </item>\n");
        }
        out.push_str("      </section>\n");
    }
    out.push_str("    </section>\n  </assessment>\n</questestinterop>\n");
    Ok(Bank {
        text: out,
        questions: count,
        left_out,
    })
}

fn field(label: &str, entry: &str) -> String {
    format!(
        "              <qtimetadatafield>\n                <fieldlabel>{label}</fieldlabel>\n                <fieldentry>{}</fieldentry>\n              </qtimetadatafield>\n",
        xml(entry)
    )
}

/// The IMS content package's manifest that makes a QTI file importable into Canvas (the
/// package is a zip of this `imsmanifest.xml` and the file `href`).
pub fn qti_manifest(title: &str, href: &str) -> String {
    let slug = crate::render::slug(title);
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<manifest identifier=\"procsim-{slug}-manifest\" \
         xmlns=\"http://www.imsglobal.org/xsd/imscp_v1p1\">\n  <metadata>\n    <schema>IMS Content</schema>\n    \
         <schemaversion>1.1.3</schemaversion>\n  </metadata>\n  <organizations/>\n  <resources>\n    \
         <resource identifier=\"procsim-{slug}\" type=\"imsqti_xmlv1p2\" href=\"{}\">\n      <file href=\"{}\"/>\n    \
         </resource>\n  </resources>\n</manifest>\n",
        xml(href),
        xml(href)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exercise::Exercise;

    fn key_of(yaml: &str) -> AnswerKey {
        let exercise = Exercise::from_yaml(yaml).unwrap();
        AnswerKey::of_exercise(&exercise, 100_000).unwrap().unwrap()
    }

    /// Three processes whose average turnaround time is 7/3: asked rounded, to 2.33.
    const THIRDS: &str = "name: thirds\npolicy: fcfs\nprocesses:\n  - {name: A, program: [{cpu: 1}]}\n  \
        - {name: B, program: [{cpu: 1}]}\n  - {name: C, program: [{cpu: 2}]}\n\
        grading: {waiting: 1, averages: 1, gantt: 2, order: 1}\n";

    #[test]
    fn numbers_are_written_as_they_read_back() {
        assert_eq!(number(24.0), "24");
        assert_eq!(number(19.25), "19.25");
        assert_eq!(number(1.33), "1.33");
        assert_eq!(number(0.5), "0.5");
    }

    #[test]
    fn an_average_that_is_not_whole_hundredths_is_asked_rounded() {
        let (problem, left_out) = problem(&key_of(THIRDS));
        assert!(left_out.is_empty(), "{left_out:?}");
        let turnaround = problem
            .questions
            .iter()
            .find(|q| q.question == "averages.turnaround")
            .unwrap();
        assert!(matches!(
            turnaround.answer,
            QuestionAnswer::Number { value, rounded: true } if value == 2.33
        ));
        assert!(ask(turnaround).contains("rounded to two decimal places"));
        let waiting = problem
            .questions
            .iter()
            .find(|q| q.question == "averages.waiting")
            .unwrap();
        assert!(!ask(waiting).contains("rounded"));
        let b = problem
            .questions
            .iter()
            .find(|q| q.question == "B.waiting")
            .unwrap();
        assert!(matches!(
            b.answer,
            QuestionAnswer::Number { value, rounded: false } if value == 1.0
        ));
        assert!(problem.questions.iter().any(|q| q.question == "order"
            && matches!(&q.answer, QuestionAnswer::Text { value } if value == "A, B, C")));
    }

    #[test]
    fn the_gantt_question_offers_every_process_in_each_interval() {
        let key = key_of(THIRDS);
        let (problem, _) = problem(&key);
        let gantt = problem
            .questions
            .iter()
            .find(|q| q.question == "gantt.cpu0")
            .unwrap();
        let QuestionAnswer::Gantt {
            intervals, choices, ..
        } = &gantt.answer
        else {
            panic!("not a Gantt question")
        };
        assert_eq!(choices, &["A", "B", "C"]);
        let runs: Vec<_> = intervals
            .iter()
            .map(|i| (i.name.as_str(), i.start, i.end))
            .collect();
        assert_eq!(runs, [("A", 0, 1), ("B", 1, 2), ("C", 2, 4)]);
        let variants = [Variant {
            label: "seed 0".into(),
            key: &key,
        }];
        let bank = moodle("thirds", &variants, usize::MAX).unwrap();
        assert!(
            bank.text.contains("{1:MULTICHOICE:A~=B~C}"),
            "{}",
            bank.text
        );
        assert_eq!(bank.left_out, ["seed 0: order"]);
    }

    #[test]
    fn a_bank_over_its_budget_stops() {
        let key = key_of(THIRDS);
        let variants = [Variant {
            label: "seed 0".into(),
            key: &key,
        }];
        let too_large = qti("thirds", &variants, 2000).unwrap_err();
        assert_eq!(too_large.limit, 2000);
        assert!(too_large.questions >= 1);
    }

    #[test]
    fn cloze_choices_escape_moodles_special_characters() {
        assert_eq!(
            cloze("a}b~c#d/e\"f\\g{h"),
            "a\\}b\\~c\\#d\\/e\\\"f\\\\g\\{h"
        );
    }
}
