//! Course platforms: a PrairieLearn question run under python3 with a stub of PrairieLearn's
//! data dict, and the Moodle XML and QTI 1.2 (Canvas) quiz banks parsed and validated.

use super::{procsim, repo, temp_file};
use std::path::Path;

const TEMPLATE: &str = "name: practice\n\
    template:\n  processes: {count: [3, 4], arrival: [0, 6], burst: [1, 9]}\n  \
    policy: [fcfs, sjf, {kind: rr, quantum: 2}]\n\
    grading: {completion: 1, waiting: 1, turnaround: 1, averages: 2, gantt: 3, order: 1}\n";

/// A template whose name carries every character XML and HTML treat specially, on two CPUs.
const HOSTILE: &str = "name: \"two <cpus> & \\\"quotes\\\" / ]]> -- {1:SHORTANSWER:=x}\"\n\
    cpus: 2\n\
    template:\n  processes: {count: 4, arrival: [0, 3], burst: [2, 6]}\n  policy: {kind: rr, quantum: 2}\n\
    grading: {waiting: 1, averages: 1, gantt: 2}\n";

/// Whether `tool` runs here; when it does not, `None` (a message says what is skipped) unless
/// `required_by` is set in the environment (CI sets it, so there the check cannot be skipped).
fn tool(tool: &str, required_by: &str) -> Option<()> {
    let runs = std::process::Command::new(tool)
        .arg("--version")
        .output()
        .is_ok_and(|output| output.status.success());
    if runs {
        Some(())
    } else if std::env::var_os(required_by).is_some() {
        panic!("{tool} is required here ({required_by} is set)");
    } else {
        eprintln!("{tool} is not installed: that part of the check is skipped");
        None
    }
}

/// `xmllint --dtdvalid` of `xml` (namespace attributes dropped: the DTDs predate them).
fn dtd_valid(xml: &str, dtd: &Path) {
    if tool("xmllint", "PROCSIM_REQUIRE_XMLLINT").is_none() {
        return;
    }
    let plain: String = xml
        .replace(" xmlns=\"http://www.imsglobal.org/xsd/ims_qtiasiv1p2\"", "")
        .replace(
            " xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"",
            "",
        )
        .replace(
            " xsi:schemaLocation=\"http://www.imsglobal.org/xsd/ims_qtiasiv1p2 http://www.imsglobal.org/xsd/ims_qtiasiv1p2p1.xsd\"",
            "",
        );
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bank.xml");
    std::fs::write(&file, plain).unwrap();
    let output = std::process::Command::new("xmllint")
        .args(["--noout", "--dtdvalid"])
        .arg(dtd)
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "not valid against {}: {}",
        dtd.display(),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// `procsim generate TEMPLATE --count COUNT --format FORMAT [EXTRA...]`.
fn make_bank(template: &Path, count: &str, format: &str, extra: &[&str]) -> super::Output {
    let mut args = vec![
        "generate",
        template.to_str().unwrap(),
        "--count",
        count,
        "--format",
        format,
    ];
    args.extend_from_slice(extra);
    procsim(&args)
}

/// `procsim export prairielearn TEMPLATE --out OUT`.
fn export_question(template: &Path, out: &Path) -> super::Output {
    procsim(&[
        "export",
        "prairielearn",
        template.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ])
}

fn text_of<'a>(node: roxmltree::Node<'a, 'a>, path: &[&str]) -> &'a str {
    let mut node = node;
    for name in path {
        node = node
            .children()
            .find(|child| child.has_tag_name(*name))
            .unwrap_or_else(|| panic!("no <{name}> in <{}>", node.tag_name().name()));
    }
    node.text().unwrap_or_default()
}

#[test]
fn prairielearn_question_generates_renders_and_grades_under_python() {
    let (dir, template) = temp_file("practice.yaml", TEMPLATE);
    let out = dir.path().join("question");
    let exported = export_question(&template, &out);
    assert_eq!(exported.code, 0, "{}", exported.stderr);
    for file in [
        "info.json",
        "question.html",
        "server.py",
        "template.yaml",
        "procsim",
    ] {
        assert!(out.join(file).is_file(), "{file} is missing");
    }
    let info: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("info.json")).unwrap()).unwrap();
    assert_eq!(info["type"], "v3");
    assert_eq!(info["title"], "practice");
    let uuid = info["uuid"].as_str().unwrap();
    assert_eq!(uuid.len(), 36);
    assert_eq!(&uuid[14..15], "4", "a version-4 UUID: {uuid}");
    // The same export again keeps the question's identity.
    let again = dir.path().join("again");
    export_question(&template, &again);
    assert_eq!(
        std::fs::read_to_string(again.join("info.json")).unwrap(),
        std::fs::read_to_string(out.join("info.json")).unwrap()
    );
    if tool("python3", "PROCSIM_REQUIRE_PYTHON").is_none() {
        return;
    }
    for (name, text) in [("practice", TEMPLATE), ("hostile", HOSTILE)] {
        let template = dir.path().join(format!("{name}.yaml"));
        std::fs::write(&template, text).unwrap();
        let question = dir.path().join(format!("{name}-question"));
        let exported = export_question(&template, &question);
        assert_eq!(exported.code, 0, "{}", exported.stderr);
        let run = std::process::Command::new("python3")
            .arg(repo().join("tests/data/prairielearn/stub.py"))
            .arg(&question)
            .output()
            .unwrap();
        assert!(
            run.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&run.stderr)
        );
        let summary: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
        assert!(summary["questions"].as_u64().unwrap() >= 5, "{summary}");
        assert_eq!(summary["empty_feedback"], "missing");
        assert!(
            summary["wrong_feedback"]
                .as_str()
                .unwrap()
                .starts_with("expected"),
            "{summary}"
        );
    }
}

#[test]
fn a_template_with_no_question_a_form_holds_is_refused() {
    let (dir, template) = temp_file(
        "lifecycle.yaml",
        "name: pids\ntemplate:\n  processes: {count: 3, burst: [1, 4]}\n  policy: fcfs\ngrading: {pid: 1}\n",
    );
    let out = dir.path().join("q");
    let refused = export_question(&template, &out);
    assert_eq!(refused.code, 1, "{}", refused.stderr);
    assert!(
        refused.stderr.contains("asks no question"),
        "{}",
        refused.stderr
    );
    assert!(!out.exists());
    let bank = make_bank(&template, "2", "moodle", &[]);
    assert_eq!(bank.code, 1, "{}", bank.stderr);
    assert!(bank.stderr.contains("asks no question"), "{}", bank.stderr);
}

#[test]
fn moodle_bank_has_moodles_shape_and_the_keys_answers() {
    let (_dir, template) = temp_file("practice.yaml", TEMPLATE);
    let bank = make_bank(&template, "3", "moodle", &[]);
    assert_eq!(bank.code, 0, "{}", bank.stderr);
    let document = roxmltree::Document::parse(&bank.stdout).unwrap();
    let quiz = document.root_element();
    assert_eq!(quiz.tag_name().name(), "quiz");
    let questions: Vec<_> = quiz.children().filter(|n| n.is_element()).collect();
    let categories: Vec<&str> = questions
        .iter()
        .filter(|q| q.attribute("type") == Some("category"))
        .map(|q| text_of(*q, &["category", "text"]))
        .collect();
    assert!(
        categories.contains(&"$course$/top/procsim/practice/waiting")
            && categories.contains(&"$course$/top/procsim/practice/average waiting")
            && categories.contains(&"$course$/top/procsim/practice/gantt"),
        "{categories:?}"
    );
    // Each variant's answers are its key's: seed 1's waiting time of P1, and its chart.
    let seed1 = procsim(&["generate", template.to_str().unwrap(), "--seed", "1"]);
    let (_d, problem) = temp_file("seed1.yaml", &seed1.stdout);
    let key: serde_json::Value = serde_json::from_str(
        &procsim(&["key", problem.to_str().unwrap(), "--format", "json"]).stdout,
    )
    .unwrap();
    let numerical = questions
        .iter()
        .find(|q| {
            q.attribute("type") == Some("numerical")
                && text_of(**q, &["name", "text"]) == "practice (seed 1): the waiting time of P1"
        })
        .expect("seed 1's waiting time of P1");
    let answer = numerical
        .children()
        .find(|n| n.has_tag_name("answer"))
        .unwrap();
    assert_eq!(answer.attribute("fraction"), Some("100"));
    assert_eq!(text_of(answer, &["tolerance"]), "0");
    assert_eq!(
        text_of(answer, &["text"]),
        key["processes"]["P1"]["waiting"].to_string()
    );
    let question_text = text_of(*numerical, &["questiontext", "text"]);
    assert!(question_text.contains("<td>P1</td>"), "{question_text}");
    // The chart as drop-downs: the key's process marked right in each interval.
    let cloze = questions
        .iter()
        .find(|q| {
            q.attribute("type") == Some("cloze")
                && text_of(**q, &["name", "text"]).starts_with("practice (seed 1)")
        })
        .expect("seed 1's Gantt question");
    let cloze_text = text_of(*cloze, &["questiontext", "text"]);
    let chart: Vec<String> = key["gantt"]
        .as_str()
        .unwrap()
        .split(", ")
        .map(|run| run.split(' ').next().unwrap().to_string())
        .collect();
    let menus: Vec<&str> = cloze_text.split("{1:MULTICHOICE:").skip(1).collect();
    assert_eq!(menus.len(), chart.len(), "{cloze_text}");
    for (menu, process) in menus.iter().zip(&chart) {
        let menu = menu.split('}').next().unwrap();
        let right: Vec<&str> = menu.split('~').filter(|c| c.starts_with('=')).collect();
        assert_eq!(right, vec![format!("={process}").as_str()], "{menu}");
    }
    // The completion order has no Moodle question: said, not dropped silently.
    let written = make_bank(
        &template,
        "2",
        "moodle",
        &["--out", _dir.path().join("bank.xml").to_str().unwrap()],
    );
    assert_eq!(written.code, 0, "{}", written.stderr);
    assert!(
        written.stdout.contains("seed 0: order"),
        "{}",
        written.stdout
    );
    dtd_valid(
        &bank.stdout,
        &repo().join("tests/data/moodle/moodle-quiz.dtd"),
    );
}

#[test]
fn qti_package_is_valid_qti_1_2_with_a_manifest() {
    let (dir, template) = temp_file("practice.yaml", TEMPLATE);
    let package = dir.path().join("bank.zip");
    let written = make_bank(&template, "3", "qti", &["--out", package.to_str().unwrap()]);
    assert_eq!(written.code, 0, "{}", written.stderr);
    let mut archive = zip::ZipArchive::new(std::fs::File::open(&package).unwrap()).unwrap();
    let mut read = |name: &str| {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut archive.by_name(name).unwrap(), &mut text).unwrap();
        text
    };
    let manifest = read("imsmanifest.xml");
    let manifest_doc = roxmltree::Document::parse(&manifest).unwrap();
    let resource = manifest_doc
        .descendants()
        .find(|n| n.has_tag_name("resource"))
        .unwrap();
    assert_eq!(resource.attribute("type"), Some("imsqti_xmlv1p2"));
    let href = resource.attribute("href").unwrap().to_string();
    let bank = read(&href);
    let document = roxmltree::Document::parse(&bank).unwrap();
    let items: Vec<_> = document
        .descendants()
        .filter(|n| n.has_tag_name("item"))
        .collect();
    assert!(items.len() >= 3 * 10, "{} items", items.len());
    // A question group per kind draws one of its questions.
    for section in document
        .descendants()
        .filter(|n| n.has_tag_name("section") && n.attribute("ident") != Some("root_section"))
    {
        let number = section
            .descendants()
            .find(|n| n.has_tag_name("selection_number"))
            .unwrap();
        assert_eq!(number.text(), Some("1"));
    }
    let kinds: Vec<&str> = document
        .descendants()
        .filter(|n| n.has_tag_name("fieldlabel") && n.text() == Some("question_type"))
        .map(|n| n.next_sibling_element().unwrap().text().unwrap())
        .collect();
    assert!(kinds.contains(&"numerical_question") && kinds.contains(&"matching_question"));
    dtd_valid(&bank, &repo().join("tests/data/qti/canvas-qti.dtd"));
}

#[test]
fn banks_of_a_hostile_title_stay_well_formed_and_valid() {
    let (_dir, template) = temp_file("hostile.yaml", HOSTILE);
    for (format, dtd) in [
        ("moodle", "tests/data/moodle/moodle-quiz.dtd"),
        ("qti", "tests/data/qti/canvas-qti.dtd"),
    ] {
        let bank = make_bank(&template, "2", format, &[]);
        assert_eq!(bank.code, 0, "{format}: {}", bank.stderr);
        let document = roxmltree::Document::parse(&bank.stdout)
            .unwrap_or_else(|error| panic!("{format}: {error}"));
        // The title reaches the question texts as text, never as markup or, in a cloze
        // question, as an embedded answer of its own.
        let texts: String = document
            .descendants()
            .filter_map(|n| n.text())
            .collect::<Vec<_>>()
            .join("\n");
        assert!(
            texts.contains("two &lt;cpus&gt; &amp; &quot;quotes&quot;"),
            "{format}"
        );
        for cloze in document
            .descendants()
            .filter(|n| n.attribute("type") == Some("cloze"))
        {
            let text = text_of(cloze, &["questiontext", "text"]);
            assert!(!text.contains("{1:SHORTANSWER"), "{text}");
            assert!(text.contains("&#123;1:SHORTANSWER"), "{text}");
        }
        dtd_valid(&bank.stdout, &repo().join(dtd));
    }
}

#[test]
fn a_bank_of_too_many_variants_is_refused_before_any_is_drawn() {
    let (_dir, template) = temp_file("practice.yaml", TEMPLATE);
    let refused = make_bank(&template, "1001", "qti", &[]);
    assert_eq!(refused.code, 2, "{}", refused.stderr);
    assert!(
        refused.stderr.contains("at most 1000 variants"),
        "{}",
        refused.stderr
    );
}

/// The stderr of `procsim ARGS` run on a terminal (a pseudo-terminal made by util-linux's
/// `script`), stdout thrown away; `None` when `script` is not installed.
fn on_a_terminal(args: &[&str]) -> Option<String> {
    tool("script", "PROCSIM_REQUIRE_SCRIPT")?;
    let quoted: Vec<String> = std::iter::once(env!("CARGO_BIN_EXE_procsim"))
        .chain(args.iter().copied())
        .map(|arg| format!("'{}'", arg.replace('\'', "'\\''")))
        .collect();
    let output = std::process::Command::new("script")
        .args([
            "-qfec",
            &format!("{} > /dev/null", quoted.join(" ")),
            "/dev/null",
        ])
        .current_dir(repo())
        .env("COLUMNS", "120")
        .output()
        .unwrap();
    assert!(output.status.success(), "{args:?}: {output:?}");
    Some(String::from_utf8_lossy(&output.stdout).into_owned())
}

#[test]
fn long_work_shows_a_progress_bar_on_a_terminal_only() {
    let dir = tempfile::tempdir().unwrap();
    // 250 answer files (a bar from 200), and a trace of 10,000 jobs.
    let answers = dir.path().join("answers");
    std::fs::create_dir(&answers).unwrap();
    for n in 0..250 {
        std::fs::write(
            answers.join(format!("s{n}.yaml")),
            "averages: {waiting: 1}\n",
        )
        .unwrap();
    }
    let trace = dir.path().join("big.swf");
    let jobs: String = (1..=10_000)
        .map(|n| format!("{n} {n} 0 5 1 -1 -1 1 5 -1 1 1 1 1 1 -1 -1 -1\n"))
        .collect();
    std::fs::write(&trace, jobs).unwrap();
    let (answers, trace) = (answers.to_str().unwrap(), trace.to_str().unwrap());
    let commands: [(&str, Vec<&str>); 4] = [
        (
            "grading",
            vec!["grade", "scenarios/grading/exam-rr.yaml", answers],
        ),
        (
            "sweep",
            vec![
                "sweep",
                "scenarios/textbook/silberschatz-fcfs.yaml",
                "--policies",
                "rr",
                "--quantum",
                "1..40",
            ],
        ),
        (
            "explore",
            vec!["explore", "scenarios/explore/counter-switch-any.yaml"],
        ),
        ("import", vec!["import", "swf", trace]),
    ];
    for (bar, args) in commands {
        // Piped (as in CI, logs, scripts): never a bar.
        let piped = procsim(&args);
        assert_eq!(piped.code, 0, "{args:?}: {}", piped.stderr);
        assert!(!piped.stderr.contains(bar), "{args:?}: {}", piped.stderr);
        let Some(shown) = on_a_terminal(&args) else {
            return;
        };
        assert!(shown.contains(&format!("{bar} ")), "{args:?}: {shown:?}");
        let quiet: Vec<&str> = args.iter().copied().chain(["--quiet"]).collect();
        let hidden = on_a_terminal(&quiet).unwrap();
        assert!(
            !hidden.contains(&format!("{bar} ")),
            "{quiet:?}: {hidden:?}"
        );
    }
}
