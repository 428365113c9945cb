//! `procsim grade`, `procsim generate` and `procsim key`: the file side of grading (reading
//! answer files and directories, writing problems and grades). The grading itself is
//! sim-core's.

use crate::cli::{GenerateArgs, GenerateFormat, GradeArgs, GradeFormat, KeyArgs, KeyFormat};
use crate::commands::{EXIT_BAD_SCENARIO, EXIT_LIMIT, EXIT_USAGE, Failure, load_exercise};
use sim_core::exercise::{Exercise, Problem};
use sim_core::generate::{self, Recipient, TemplateFile};
use sim_core::grading::{self, AnswerKey, GradedFile, Rubric, formats};
use sim_core::matrix::Matrix;
use std::path::{Path, PathBuf};

/// Answer files larger than this are not read.
const MAX_ANSWER_BYTES: u64 = grading::grade::MAX_ANSWER_BYTES as u64;
/// Batches at least this large show a progress line on a terminal.
const PROGRESS_FROM: usize = 200;

/// Most problems one `generate` writes (`--count`, the lines of `--students`): a file each.
const MAX_PROBLEMS: u64 = 100_000;

pub fn grade(args: GradeArgs) -> Result<String, Failure> {
    let files = answer_files(&args.answers)?;
    if let Some(output) = &args.output {
        // Before any grading: an --output that is an input would be destroyed.
        crate::output::not_an_input(output, &grading_inputs(&args.scenario, &files))
            .map_err(|error| Failure::new(format!("error: --output {error}"), EXIT_USAGE))?;
    }
    if args.no_ties && !args.student_from_filename && args.student_from_metadata.is_none() {
        return Err(Failure::new(
            "error: --no-ties goes with --student-from-filename or --student-from-metadata (the problems generate made)".into(),
            EXIT_USAGE,
        ));
    }
    let grader = if args.student_from_filename || args.student_from_metadata.is_some() {
        let student = match &args.student_from_metadata {
            Some(path) => Some(student_of_metadata(path)?),
            None => None,
        };
        Grader::PerStudent {
            template: Box::new(load_template(&args.scenario)?),
            no_ties: args.no_ties,
            student,
        }
    } else {
        let exercise = load_exercise(&args.scenario)?;
        match &exercise.problem {
            Problem::Scenario(_) => Grader::One(Box::new(answer_key(
                &exercise,
                &args.scenario,
                args.max_events,
            )?)),
            Problem::Matrix(matrix) => Grader::Matrix(matrix.clone(), exercise.rubric.clone()),
        }
    };
    let progress = if files.len() >= PROGRESS_FROM {
        crate::progress::bar(
            files.len() as u64,
            "grading {bar:40} {pos}/{len} files {eta}",
        )
    } else {
        indicatif::ProgressBar::hidden()
    };
    let graded: Vec<GradedFile> = files
        .iter()
        .map(|file| {
            let graded = grade_isolated(file, &grader, args.max_events);
            progress.inc(1);
            graded
        })
        .collect();
    progress.finish_and_clear();
    let text = match args.format {
        GradeFormat::Text => formats::text(&graded),
        GradeFormat::Json => formats::json(&graded),
        GradeFormat::Csv => formats::csv(&graded),
        GradeFormat::Gradescope => formats::gradescope(&graded, &grader.rubric()),
        GradeFormat::Junit => formats::junit(&graded),
    };
    match args.output {
        None => Ok(text),
        Some(path) => {
            crate::output::write_output(&path, &text, &grading_inputs(&args.scenario, &files))
                .map_err(|error| Failure::new(format!("error: {error}"), EXIT_USAGE))?;
            let errors = graded.iter().filter(|g| g.error.is_some()).count();
            Ok(format!(
                "graded {} file{} ({errors} with errors) into {}\n",
                graded.len(),
                if graded.len() == 1 { "" } else { "s" },
                crate::commands::shown_path(&path)
            ))
        }
    }
}

/// Grades one file; should grading it ever panic, that file gets the error and the batch goes on.
fn grade_isolated(file: &AnswerFile, grader: &Grader, max_events: usize) -> GradedFile {
    let graded = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        grade_file(file, grader, max_events)
    }));
    graded.unwrap_or_else(|panic| {
        let why = panic
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default();
        GradedFile {
            file: file.path.display().to_string(),
            score: 0.0,
            max_score: 0.0,
            items: Vec::new(),
            error: Some(format!(
                "internal error while grading this file (please report it): {why}"
            )),
        }
    })
}

/// `--output` may not be the scenario or an answer being graded.
/// What a grading reads: the scenario and every answer file.
fn grading_inputs<'a>(scenario: &'a Path, files: &'a [AnswerFile]) -> Vec<&'a Path> {
    std::iter::once(scenario)
        .chain(files.iter().map(|f| f.path.as_path()))
        .collect()
}

enum Grader {
    One(Box<AnswerKey>),
    /// Each student's problem from the template, drawn as `generate` drew it.
    PerStudent {
        template: Box<TemplateFile>,
        no_ties: bool,
        /// The one student every file is from (Gradescope's metadata); `None`: each file's
        /// name says.
        student: Option<String>,
    },
    Matrix(Box<Matrix>, Rubric),
}

impl Grader {
    /// The rubric (what Gradescope's results.json takes from it: visibility, leaderboard).
    fn rubric(&self) -> Rubric {
        match self {
            Grader::One(key) => key.rubric.clone(),
            Grader::Matrix(_, rubric) => rubric.clone(),
            Grader::PerStudent { template, .. } => template
                .grading
                .as_ref()
                .and_then(|file| Rubric::from_file(file).ok())
                .unwrap_or_default(),
        }
    }
}

/// One entry of the batch: a file to grade, or a path that gets a row with its problem.
struct AnswerFile {
    path: PathBuf,
    problem: Option<String>,
}

/// The files named, directories expanded to every entry named *.yaml, *.yml or *.json, sorted
/// by name. Every path gets exactly one row: an entry that cannot be graded (a directory, a
/// FIFO, a broken symbolic link, a link out of the folder) gets its reason. A path named on the
/// command line that does not exist is a usage error: nothing is graded.
fn answer_files(paths: &[PathBuf]) -> Result<Vec<AnswerFile>, Failure> {
    let mut files = Vec::new();
    for path in paths {
        if std::fs::symlink_metadata(path).is_err() {
            return Err(Failure::new(
                format!("error: {}: no such file or directory", path.display()),
                EXIT_USAGE,
            ));
        }
        if path.is_dir() {
            files.extend(folder_entries(path));
        } else {
            files.push(AnswerFile {
                path: path.clone(),
                problem: None,
            });
        }
    }
    for note in mark_duplicate_students(&mut files) {
        crate::commands::note(&note);
    }
    Ok(files)
}

/// The answer files of a folder, each with the reason it cannot be graded, if any.
fn folder_entries(dir: &Path) -> Vec<AnswerFile> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(error) => {
            return vec![AnswerFile {
                path: dir.to_path_buf(),
                problem: Some(format!("cannot list the directory: {error}")),
            }];
        }
    };
    let folder = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    let mut found: Vec<PathBuf> = Vec::new();
    // An entry the listing could not read has no name to filter on: it gets a row, not
    // silence, since it may be an answer.
    let mut unlisted: Vec<AnswerFile> = Vec::new();
    for (index, entry) in entries.enumerate() {
        match entry {
            Ok(entry) if is_answer_file(&entry.path()) => found.push(entry.path()),
            Ok(_) => {}
            Err(error) => unlisted.push(AnswerFile {
                path: dir.join(format!("(entry {} of the listing)", index + 1)),
                problem: Some(format!("cannot read this entry of the directory: {error}")),
            }),
        }
    }
    found.sort();
    found
        .into_iter()
        .map(|path| {
            let problem = entry_problem(&path, &folder);
            AnswerFile { path, problem }
        })
        .chain(unlisted)
        .collect()
}

/// Why a folder entry cannot be graded: not a regular file, or a link that is broken or
/// leads out of the folder (an answer may not be the key or another student's file elsewhere).
fn entry_problem(path: &Path, folder: &Path) -> Option<String> {
    let own = std::fs::symlink_metadata(path).ok()?;
    if own.file_type().is_symlink() {
        let Ok(target) = std::fs::canonicalize(path) else {
            return Some("a broken symbolic link".into());
        };
        if !target.starts_with(folder) {
            return Some(format!(
                "a symbolic link to {}, outside the answers folder",
                target.display()
            ));
        }
    }
    match std::fs::metadata(path) {
        Ok(metadata) if metadata.is_file() => None,
        Ok(metadata) => Some(format!(
            "{} is not a regular file",
            crate::input::kind_of(&metadata)
        )),
        Err(error) => Some(format!("cannot read the file: {error}")),
    }
}

/// A student id is a file's name without its extension: two files of one student cannot both
/// be graded, so the later ones get the reason.
/// Two answer files of one student id — the same letters in any case, spaces around them
/// ignored (`s1001.yaml`, `S1001.json`), as on a file system that ignores case — grade the
/// first and mark the others. A map keeps it linear in the number of files.
///
/// Ids that differ only in what is not an ASCII letter or digit (`s-1`, `s_1`, `s 1`: one
/// problem file name for `generate`, `text::slug`) are graded each, with a note on stderr naming the pair: a student
/// who uploaded twice under two spellings, or two students a typo made alike.
fn mark_duplicate_students(files: &mut [AnswerFile]) -> Vec<String> {
    let mut seen: std::collections::BTreeMap<String, PathBuf> = Default::default();
    let mut alike: std::collections::BTreeMap<String, (String, PathBuf)> = Default::default();
    let mut notes = Vec::new();
    for file in files.iter_mut() {
        let Some(student) = file
            .path
            .file_stem()
            .map(|s| s.to_string_lossy().to_string())
        else {
            continue;
        };
        let key = student.trim().to_lowercase();
        // The file name `generate` gives the id's problem: ids alike there are alike here.
        let letters = sim_core::text::slug(&key);
        match alike.get(&letters) {
            Some((other, first)) if *other != key => notes.push(format!(
                "note: student ids `{student}` ({}) and `{other}` ({}) differ only in what is \
                 not a letter or digit: both are graded; check they are two students",
                crate::commands::shown_path(&file.path),
                crate::commands::shown_path(first),
            )),
            Some(_) => {}
            None => {
                alike.insert(letters, (key.clone(), file.path.clone()));
            }
        }
        match seen.get(&key) {
            Some(first) if file.problem.is_none() => {
                file.problem = Some(format!(
                    "duplicate student id `{student}`: {} is graded for it",
                    first.display()
                ));
            }
            Some(_) => {}
            None => {
                seen.insert(key, file.path.clone());
            }
        }
    }
    notes
}

fn is_answer_file(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| matches!(e.to_ascii_lowercase().as_str(), "yaml" | "yml" | "json"))
}

fn grade_file(file: &AnswerFile, grader: &Grader, max_events: usize) -> GradedFile {
    let name = file.path.display().to_string();
    let failed = |error: String, max_score: f64| GradedFile {
        file: name.clone(),
        score: 0.0,
        max_score,
        items: Vec::new(),
        error: Some(error),
    };
    // The same steps for every kind of key: a path that could not be listed or read scores 0
    // out of what the key's questions are worth.
    let grade_with = |grade: &dyn Fn(&str) -> GradedFile| {
        let text = match &file.problem {
            Some(problem) => Err(problem.clone()),
            None => read_answer(&file.path),
        };
        match text {
            Ok(text) => grade(&text),
            Err(error) => failed(error, grade("").max_score),
        }
    };
    match grader {
        Grader::Matrix(matrix, rubric) => {
            grade_with(&|text| grading::matrix::grade(&name, text, matrix, rubric))
        }
        Grader::One(key) => grade_with(&|text| grading::grade(&name, text, key)),
        Grader::PerStudent {
            template,
            no_ties,
            student,
        } => {
            let student = student.clone().unwrap_or_else(|| {
                file.path
                    .file_stem()
                    .map(|s| s.to_string_lossy().to_string())
                    .unwrap_or_default()
            });
            match student_key(template, &student, *no_ties, max_events) {
                Ok(key) => grade_with(&|text| grading::grade(&name, text, &key)),
                Err(error) => failed(error, 0.0),
            }
        }
    }
}

/// The student Gradescope's submission_metadata.json names: its first user's `sid` (the
/// institution's id), else `email`, else `id`.
fn student_of_metadata(path: &Path) -> Result<String, Failure> {
    let fail = |why: String| {
        Failure::new(
            format!("error: {}: {why}", crate::commands::shown_path(path)),
            EXIT_BAD_SCENARIO,
        )
    };
    let text = crate::input::read_text(path, MAX_ANSWER_BYTES).map_err(fail)?;
    let metadata: serde_json::Value =
        serde_json::from_str(&text).map_err(|error| fail(format!("not JSON ({error})")))?;
    let user = metadata
        .get("users")
        .and_then(|users| users.get(0))
        .ok_or_else(|| {
            fail(
                "expected Gradescope's submission metadata, with `users: [{sid, email, id}]`"
                    .into(),
            )
        })?;
    let field = |name: &str| match user.get(name) {
        Some(serde_json::Value::String(text)) if !text.trim().is_empty() => {
            Some(text.trim().to_string())
        }
        Some(serde_json::Value::Number(number)) => Some(number.to_string()),
        _ => None,
    };
    field("sid")
        .or_else(|| field("email"))
        .or_else(|| field("id"))
        .ok_or_else(|| fail("its first user has no `sid`, `email` or `id`".into()))
}

/// Reads an answer file: a regular file, at most 1 MiB, UTF-8.
fn read_answer(path: &Path) -> Result<String, String> {
    crate::input::read_text(path, MAX_ANSWER_BYTES)
}

/// The answer key of a scenario exercise (its run, and its questions at their times).
fn answer_key(exercise: &Exercise, path: &Path, max_events: usize) -> Result<AnswerKey, Failure> {
    key_of(exercise, max_events)
        .map_err(|error| Failure::new(format!("error: {}: {error}", path.display()), EXIT_LIMIT))
}

fn key_of(exercise: &Exercise, max_events: usize) -> Result<AnswerKey, String> {
    AnswerKey::of_exercise(exercise, max_events)
        .ok_or_else(|| "a matrix exercise has no run to key".to_string())?
        .map_err(|error| error.to_string())
}

fn student_key(
    template: &TemplateFile,
    student: &str,
    no_ties: bool,
    max_events: usize,
) -> Result<AnswerKey, String> {
    let recipient = Recipient::Student(student.to_string());
    let drawn = if no_ties {
        generate::generate_without_ties(template, &recipient, max_events)
    } else {
        generate::generate(template, &recipient)
    };
    let text = drawn.map_err(|error| {
        format!(
            "cannot make student {student}'s problem: {}",
            error.one_line("template")
        )
    })?;
    let exercise = Exercise::from_yaml(&text).map_err(|error| {
        format!(
            "student {student}'s problem is invalid: {}",
            error.one_line("")
        )
    })?;
    key_of(&exercise, max_events)
}

fn load_template(path: &Path) -> Result<TemplateFile, Failure> {
    let origin = crate::commands::origin_of(path);
    // Through the same capped reader as scenarios: a regular file, within --max-input-bytes.
    crate::memory::working_on(&crate::commands::origin_of(path));
    let text = crate::input::read_text(path, crate::commands::max_input_bytes())
        .map_err(|error| Failure::new(format!("error: {origin}: {error}"), EXIT_BAD_SCENARIO))?;
    generate::parse_template(&text).map_err(|error| {
        Failure::new(
            format!("error: {}", error.one_line(&origin)),
            EXIT_BAD_SCENARIO,
        )
    })
}

pub fn generate(args: GenerateArgs) -> Result<String, Failure> {
    let template = load_template(&args.template)?;
    let origin = args.template.display().to_string();
    // A problem as its YAML.
    let draw = |recipient: &Recipient| -> Result<String, Failure> {
        let drawn = if args.no_ties {
            generate::generate_without_ties(&template, recipient, sim_core::DEFAULT_MAX_EVENTS)
        } else {
            generate::generate(&template, recipient)
        };
        drawn.map_err(|error| {
            Failure::new(
                format!("error: {}", error.one_line(&origin)),
                EXIT_BAD_SCENARIO,
            )
        })
    };
    // The answer key of a problem drawn.
    let key = |text: &str| -> Result<AnswerKey, Failure> {
        let exercise = Exercise::from_yaml(text)
            .map_err(|error| Failure::new(error.detailed(&origin), EXIT_BAD_SCENARIO))?;
        key_of(&exercise, sim_core::DEFAULT_MAX_EVENTS)
            .map_err(|error| Failure::new(format!("error: {origin}: {error}"), EXIT_LIMIT))
    };
    // A problem in the format of one file: its YAML, a blank LaTeX sheet, or JSON.
    let make = |recipient: &Recipient| -> Result<String, Failure> {
        let text = draw(recipient)?;
        match args.format {
            GenerateFormat::Latex => Ok(grading::sheet::latex_sheet(&key(&text)?, true)),
            GenerateFormat::Json => Ok(problem_json(recipient, &text, &key(&text)?)),
            _ => Ok(text),
        }
    };
    let recipients: Vec<(Recipient, String)> = match (&args.students, args.count) {
        (Some(file), _) => {
            let list = crate::input::read_text(file, MAX_ANSWER_BYTES).map_err(|error| {
                Failure::new(format!("error: {}: {error}", file.display()), EXIT_USAGE)
            })?;
            list.lines()
                .map(str::trim)
                .filter(|id| !id.is_empty() && !id.starts_with('#'))
                .map(|id| {
                    let name = format!(
                        "{}-{}",
                        sim_core::render::slug(&template.name),
                        sim_core::render::slug(id)
                    );
                    (Recipient::Student(id.to_string()), name)
                })
                .collect()
        }
        (None, Some(count)) if count > MAX_PROBLEMS => {
            return Err(Failure::new(
                format!(
                    "error: --count: expected at most {MAX_PROBLEMS} problems (a file each), got {count}"
                ),
                EXIT_USAGE,
            ));
        }
        (None, Some(count)) => {
            let first = args.seed.unwrap_or(0);
            (first..first.saturating_add(count))
                .map(|seed| {
                    let name = format!("{}-{seed}", sim_core::render::slug(&template.name));
                    (Recipient::Seed(seed), name)
                })
                .collect()
        }
        (None, None) => {
            let recipient = match &args.student {
                Some(student) => Recipient::Student(student.clone()),
                None => Recipient::Seed(args.seed.unwrap_or(0)),
            };
            if !matches!(args.format, GenerateFormat::Moodle | GenerateFormat::Qti) {
                return make(&recipient);
            }
            vec![(recipient, String::new())]
        }
    };
    if recipients.len() as u64 > MAX_PROBLEMS {
        return Err(Failure::new(
            format!(
                "error: --students: expected at most {MAX_PROBLEMS} students, got {}",
                recipients.len()
            ),
            EXIT_USAGE,
        ));
    }
    if matches!(args.format, GenerateFormat::Moodle | GenerateFormat::Qti) {
        return quiz_bank(&args, &template.name, &recipients, draw, key);
    }
    let extension = match args.format {
        GenerateFormat::Latex => "tex",
        GenerateFormat::Json => "json",
        _ => "yaml",
    };
    let Some(dir) = &args.out else {
        return Err(Failure::new(
            "error: --count and --students write their problems to a directory: give --out DIR"
                .into(),
            EXIT_USAGE,
        ));
    };
    refuse_shared_file_names(&recipients, extension)?;
    std::fs::create_dir_all(dir).map_err(|error| {
        Failure::new(
            format!("error: cannot create {}: {error}", dir.display()),
            EXIT_USAGE,
        )
    })?;
    let mut written = Vec::new();
    for (recipient, name) in &recipients {
        let text = make(recipient)?;
        let path = dir.join(format!("{name}.{extension}"));
        std::fs::write(&path, text).map_err(|error| {
            Failure::new(
                format!("error: cannot write {}: {error}", path.display()),
                EXIT_USAGE,
            )
        })?;
        written.push(path.display().to_string());
    }
    Ok(format!(
        "wrote {} problem{} to {}\n",
        written.len(),
        if written.len() == 1 { "" } else { "s" },
        crate::commands::shown_path(dir)
    ))
}

/// How a problem is called in a bank or a question: `seed 3`, `student s1001`.
fn recipient_label(recipient: &Recipient) -> String {
    match recipient {
        Recipient::Seed(seed) => format!("seed {seed}"),
        Recipient::Student(id) => format!("student {}", sim_core::text::escape_controls(id)),
    }
}

/// One problem as JSON for a platform's question script (PrairieLearn's `server.py`): the
/// scenario's YAML (what `procsim grade` grades against), the problem as a question states it
/// and the questions a quiz can ask with their answers, and the key in the answer format.
fn problem_json(recipient: &Recipient, scenario: &str, key: &AnswerKey) -> String {
    let (problem, left_out) = grading::bank::problem(key);
    let value = serde_json::json!({
        "variant": recipient_label(recipient),
        "scenario": scenario,
        "problem": problem,
        "left_out": left_out,
        "key": key.answer(),
    });
    serde_json::to_string_pretty(&value).unwrap_or_default() + "\n"
}

/// A bank holds at most this many variants (each one's key is kept until the bank is written).
const MAX_BANK_VARIANTS: usize = 1000;
/// A bank's document is at most this large (every question carries its whole problem).
const MAX_BANK_BYTES: usize = 256 << 20;

/// `--format moodle | qti`: one quiz bank of every problem, to `--out` or stdout.
fn quiz_bank(
    args: &GenerateArgs,
    title: &str,
    recipients: &[(Recipient, String)],
    draw: impl Fn(&Recipient) -> Result<String, Failure>,
    key: impl Fn(&str) -> Result<AnswerKey, Failure>,
) -> Result<String, Failure> {
    if recipients.len() > MAX_BANK_VARIANTS {
        let flag = if args.students.is_some() {
            "--students"
        } else {
            "--count"
        };
        return Err(Failure::new(
            format!(
                "error: {flag}: a quiz bank holds at most {MAX_BANK_VARIANTS} variants, got {}",
                recipients.len()
            ),
            EXIT_USAGE,
        ));
    }
    let keys = recipients
        .iter()
        .map(|(recipient, _)| Ok((recipient_label(recipient), key(&draw(recipient)?)?)))
        .collect::<Result<Vec<_>, Failure>>()?;
    let variants: Vec<grading::bank::Variant> = keys
        .iter()
        .map(|(label, key)| grading::bank::Variant {
            label: label.clone(),
            key,
        })
        .collect();
    let qti = args.format == GenerateFormat::Qti;
    let built = if qti {
        grading::bank::qti(title, &variants, MAX_BANK_BYTES)
    } else {
        grading::bank::moodle(title, &variants, MAX_BANK_BYTES)
    };
    let bank = built.map_err(|too_large| {
        Failure::new(
            format!(
                "error: the quiz bank passed {} MiB after {} questions (each question carries \
                 its whole problem): give a smaller --count",
                too_large.limit >> 20,
                too_large.questions
            ),
            EXIT_LIMIT,
        )
    })?;
    if bank.questions == 0 {
        return Err(Failure::new(
            format!(
                "error: {}: its rubric asks no question a quiz bank can hold (first_run, \
                 completion, turnaround, waiting, response, averages, gantt)",
                args.template.display()
            ),
            EXIT_BAD_SCENARIO,
        ));
    }
    let Some(out) = &args.out else {
        return Ok(bank.text);
    };
    let written = if qti {
        let inner = format!("{}.xml", sim_core::render::slug(title));
        let manifest = grading::bank::qti_manifest(title, &inner);
        let package = crate::export::zip_package(&[
            ("imsmanifest.xml", manifest.as_bytes()),
            (&inner, bank.text.as_bytes()),
        ])
        .map_err(|error| {
            Failure::new(
                format!("error: cannot write {}: {error}", out.display()),
                EXIT_USAGE,
            )
        })?;
        crate::output::write_bytes(out, &package, &[&args.template])
    } else {
        crate::output::write_output(out, &bank.text, &[&args.template])
    };
    written.map_err(|error| Failure::new(format!("error: {error}"), EXIT_USAGE))?;
    let left_out = if bank.left_out.is_empty() {
        String::new()
    } else {
        format!(
            "; left out (no such question in this format): {}",
            bank.left_out.join(", ")
        )
    };
    Ok(format!(
        "wrote a {} bank of {} question{} from {} variant{} to {}{left_out}\n",
        if qti {
            "QTI 1.2 (Canvas)"
        } else {
            "Moodle XML"
        },
        bank.questions,
        if bank.questions == 1 { "" } else { "s" },
        variants.len(),
        if variants.len() == 1 { "" } else { "s" },
        crate::commands::shown_path(out)
    ))
}

/// Two students whose ids make one file name (`s 1`, `s-1`, `S_1`: names are slugs, and some
/// file systems ignore case) would overwrite each other's problem: refused, naming both,
/// before anything is written.
fn refuse_shared_file_names(
    recipients: &[(Recipient, String)],
    extension: &str,
) -> Result<(), Failure> {
    let mut taken: std::collections::BTreeMap<String, &Recipient> = Default::default();
    let mut clashes = Vec::new();
    for (recipient, name) in recipients {
        if let Some(first) = taken.insert(name.to_lowercase(), recipient) {
            let id = |r: &Recipient| match r {
                Recipient::Student(id) => format!("`{}`", sim_core::text::escape_controls(id)),
                Recipient::Seed(seed) => format!("seed {seed}"),
            };
            clashes.push(format!(
                "  {} and {} would both be written to {name}.{extension}",
                id(first),
                id(recipient)
            ));
        }
    }
    if clashes.is_empty() {
        return Ok(());
    }
    Err(Failure::new(
        format!(
            "error: --students: {} id{} would share a file with another (a file name keeps only \
             letters and digits of an id, in lower case); nothing was written. Make the ids \
             differ in their letters or digits:\n{}",
            clashes.len(),
            if clashes.len() == 1 { "" } else { "s" },
            clashes.join("\n")
        ),
        EXIT_USAGE,
    ))
}

pub fn key(args: KeyArgs) -> Result<String, Failure> {
    let exercise = load_exercise(&args.scenario)?;
    if let (Problem::Matrix(_), KeyFormat::Latex) = (&exercise.problem, args.format) {
        return Err(Failure::new(
            format!(
                "error: {}: LaTeX sheets are made for scenarios; a matrix exercise has `--format markdown`",
                args.scenario.display()
            ),
            EXIT_USAGE,
        ));
    }
    if let Problem::Matrix(matrix) = &exercise.problem {
        let answer = grading::matrix::key_answer(matrix, &exercise.rubric);
        return Ok(match args.format {
            KeyFormat::Yaml => sim_core::yaml::to_string(&answer),
            KeyFormat::Json => serde_json::to_string_pretty(&answer).unwrap_or_default() + "\n",
            KeyFormat::Markdown | KeyFormat::Latex => {
                grading::matrix::markdown(matrix, &exercise.rubric)
            }
        });
    }
    let key = answer_key(&exercise, &args.scenario, args.max_events)?;
    Ok(match args.format {
        KeyFormat::Yaml => sim_core::yaml::to_string(&key.answer()),
        KeyFormat::Json => serde_json::to_string_pretty(&key.answer()).unwrap_or_default() + "\n",
        KeyFormat::Markdown => grading::solution::markdown(&key),
        KeyFormat::Latex => grading::sheet::latex_sheet(&key, args.blank),
    })
}
