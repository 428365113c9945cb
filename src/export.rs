//! `procsim export`: a course platform's autograder made from an exercise or a template.

use crate::cli::{ExportCommand, ExportGradescopeArgs, ExportPrairieLearnArgs};
use crate::commands::{EXIT_BAD_SCENARIO, EXIT_USAGE, Failure, shown_path as shown};
use std::path::Path;

pub fn export(command: ExportCommand) -> Result<String, Failure> {
    match command {
        ExportCommand::Gradescope(args) => gradescope(args),
        ExportCommand::Prairielearn(args) => prairielearn(args),
    }
}

/// A PrairieLearn question made from a template: `server.py` draws each variant with
/// `procsim generate --format json` and grades it with `procsim grade`; `question.html`
/// states the problem and asks the questions the template's rubric asks.
fn prairielearn(args: ExportPrairieLearnArgs) -> Result<String, Failure> {
    crate::memory::working_on(&crate::commands::origin_of(&args.template));
    let text = crate::input::read_text(&args.template, crate::commands::max_input_bytes())
        .map_err(|error| {
            Failure::new(
                format!("error: {}: {error}", shown(&args.template)),
                EXIT_BAD_SCENARIO,
            )
        })?;
    let template = sim_core::generate::parse_template(&text).map_err(|error| {
        Failure::new(
            format!("error: {}", error.one_line(&shown(&args.template))),
            EXIT_BAD_SCENARIO,
        )
    })?;
    // A variant must be one the question can state and ask: drawn once here, so that a
    // template whose rubric asks nothing a form can hold fails now, not in front of a class.
    let drawn = sim_core::generate::generate(&template, &sim_core::generate::Recipient::Seed(0))
        .map_err(|error| {
            Failure::new(
                format!("error: {}", error.one_line(&shown(&args.template))),
                EXIT_BAD_SCENARIO,
            )
        })?;
    let exercise = sim_core::exercise::Exercise::from_yaml(&drawn)
        .map_err(|error| Failure::new(error.detailed(&shown(&args.template)), EXIT_BAD_SCENARIO))?;
    if let Some(Ok(key)) =
        sim_core::grading::AnswerKey::of_exercise(&exercise, sim_core::DEFAULT_MAX_EVENTS)
        && sim_core::grading::bank::problem(&key)
            .0
            .questions
            .is_empty()
    {
        return Err(Failure::new(
            format!(
                "error: {}: its rubric asks no question a PrairieLearn form can hold \
                 (first_run, completion, turnaround, waiting, response, averages, gantt, order)",
                shown(&args.template)
            ),
            EXIT_BAD_SCENARIO,
        ));
    }
    let out = &args.out;
    copy_this_binary_into(out)?;
    let write = |name: &str, content: &str| -> Result<(), Failure> {
        let path = out.join(name);
        std::fs::write(&path, content).map_err(|error| write_failure(&path, &error))
    };
    let title = args.title.clone().unwrap_or_else(|| template.name.clone());
    let info = serde_json::json!({
        "uuid": uuid_of(&format!("{title}\n{}\n{text}", args.topic)),
        "title": title,
        "topic": args.topic,
        "tags": ["procsim", "scheduling"],
        "type": "v3",
        "gradingMethod": "Internal",
        "singleVariant": false,
    });
    write(
        "info.json",
        &(serde_json::to_string_pretty(&info).unwrap_or_default() + "\n"),
    )?;
    write("question.html", PL_QUESTION)?;
    write(
        "server.py",
        &PL_SERVER.replace(
            "{generate_flags}",
            if args.no_ties {
                "[\"--no-ties\"]"
            } else {
                "[]"
            },
        ),
    )?;
    write("template.yaml", &text)?;
    Ok(format!(
        "wrote a PrairieLearn question into {}: info.json, question.html, server.py, \
         template.yaml, procsim; copy the folder into your course's questions/ folder\n",
        shown(out)
    ))
}

/// A stable UUID (version 4 layout) from the template's text: exporting the same template
/// again keeps the question's identity in PrairieLearn; another template gets another one.
fn uuid_of(text: &str) -> String {
    let hash = |salt: u64| {
        text.bytes()
            .fold(0xcbf2_9ce4_8422_2325_u64 ^ salt, |hash, byte| {
                (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
            })
    };
    let (high, low) = (hash(0), hash(0x9e37_79b9_7f4a_7c15));
    let high = (high & !0xf000) | 0x4000; // version 4
    let low = (low & !(0b11 << 62)) | (0b10 << 62); // RFC 4122 variant
    format!(
        "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
        high >> 32,
        (high >> 16) & 0xffff,
        high & 0xffff,
        low >> 48,
        low & 0xffff_ffff_ffff
    )
}

/// The question's page (PrairieLearn renders the mustache, then the elements).
const PL_QUESTION: &str = include_str!("prairielearn/question.html");

/// The question's script: `generate(data)` and `grade(data)`.
const PL_SERVER: &str = include_str!("prairielearn/server.py");

/// Gradescope's autograder: `setup.sh` (run once when the image is built) and
/// `run_autograder` (run per submission, from /autograder), with the exercise and this very
/// binary beside them, so grading needs no network.
fn gradescope(args: ExportGradescopeArgs) -> Result<String, Failure> {
    crate::memory::working_on(&crate::commands::origin_of(&args.exercise));
    let text = crate::input::read_text(&args.exercise, crate::commands::max_input_bytes())
        .map_err(|error| {
            Failure::new(
                format!("error: {}: {error}", shown(&args.exercise)),
                EXIT_BAD_SCENARIO,
            )
        })?;
    // An exercise (one problem for everyone) or a template (per-student problems): it must load
    // as it will be graded. A file that is neither gets the error of what it looks like.
    let template = match sim_core::exercise::Exercise::from_yaml(&text) {
        Ok(_) => false,
        Err(exercise_error) => match sim_core::generate::parse_template(&text) {
            Ok(_) => true,
            Err(template_error) if text.lines().any(|line| line.starts_with("template:")) => {
                return Err(Failure::new(
                    format!("error: {}", template_error.one_line(&shown(&args.exercise))),
                    EXIT_BAD_SCENARIO,
                ));
            }
            Err(_) => {
                return Err(Failure::new(
                    exercise_error.detailed(&shown(&args.exercise)),
                    EXIT_BAD_SCENARIO,
                ));
            }
        },
    };
    let out = &args.out;
    copy_this_binary_into(out)?;
    let write = |name: &str, content: &str, executable: bool| -> Result<(), Failure> {
        let path = out.join(name);
        std::fs::write(&path, content).map_err(|error| write_failure(&path, &error))?;
        if executable {
            make_executable(&path)?;
        }
        Ok(())
    };
    write("exercise.yaml", &text, false)?;
    write("setup.sh", SETUP, true)?;
    let mode = if template {
        format!(
            "--student-from-metadata \"$root/submission_metadata.json\"{}",
            if args.no_ties { " --no-ties" } else { "" }
        )
    } else {
        String::new()
    };
    write(
        "run_autograder",
        &RUN_AUTOGRADER.replace("{mode}", &mode),
        true,
    )?;
    Ok(format!(
        "wrote a Gradescope autograder into {} ({}): setup.sh, run_autograder, exercise.yaml, \
         procsim; zip the folder's contents and upload the zip as the autograder\n",
        shown(out),
        if template {
            "per-student problems, the student from submission_metadata.json"
        } else {
            "one exercise for everyone"
        }
    ))
}

/// Run once when Gradescope builds the autograder's image: the binary shipped in the zip
/// needs nothing installed.
const SETUP: &str = r#"#!/usr/bin/env bash
# Gradescope runs this once when it builds the autograder (written by `procsim export
# gradescope`). procsim is a static-enough Linux x86-64 binary shipped beside this script:
# nothing is downloaded.
set -euo pipefail
chmod +x /autograder/source/procsim /autograder/source/run_autograder
/autograder/source/procsim --version
"#;

/// Run per submission: grade the first answer file into results/results.json.
const RUN_AUTOGRADER: &str = r#"#!/usr/bin/env bash
# Gradescope runs this for each submission (written by `procsim export gradescope`): it grades
# the submission's first answer file (.yaml, .yml or .json) into results/results.json.
# AUTOGRADER_ROOT (default /autograder) lets it be tried elsewhere.
set -euo pipefail
root="${AUTOGRADER_ROOT:-/autograder}"
mkdir -p "$root/results"
answer="$(find "$root/submission" -type f \( -name '*.yaml' -o -name '*.yml' -o -name '*.json' \) | LC_ALL=C sort | head -n 1)"
if [ -z "$answer" ]; then
  printf '%s\n' '{"score": 0, "output": "No answer file (.yaml, .yml or .json) in the submission.", "visibility": "visible"}' > "$root/results/results.json"
  exit 0
fi
"$root/source/procsim" grade "$root/source/exercise.yaml" {mode} "$answer" \
  --format gradescope --output "$root/results/results.json"
"#;

/// Makes `out` and copies the running procsim binary into it as `out/procsim`, executable:
/// what an autograder or a question runs, with nothing to download.
fn copy_this_binary_into(out: &Path) -> Result<(), Failure> {
    let binary = std::env::current_exe().map_err(|error| {
        Failure::new(
            format!("error: cannot find this procsim binary to copy: {error}"),
            EXIT_USAGE,
        )
    })?;
    std::fs::create_dir_all(out).map_err(|error| write_failure(out, &error))?;
    let procsim = out.join("procsim");
    std::fs::copy(&binary, &procsim).map_err(|error| write_failure(&procsim, &error))?;
    make_executable(&procsim)
}

fn make_executable(path: &Path) -> Result<(), Failure> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755))
            .map_err(|error| write_failure(path, &error))?;
    }
    let _ = path;
    Ok(())
}

fn write_failure(path: &Path, error: &std::io::Error) -> Failure {
    Failure::new(
        format!("error: cannot write {}: {error}", shown(path)),
        EXIT_USAGE,
    )
}

/// A zip archive of `files` (name, contents), stored uncompressed: the quiz packages are a few
/// files of text that platforms unpack once.
pub fn zip_package(files: &[(&str, &[u8])]) -> Result<Vec<u8>, String> {
    use std::io::Write as _;
    let mut archive = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored)
        .last_modified_time(zip::DateTime::default());
    for (name, contents) in files {
        archive
            .start_file(*name, options)
            .and_then(|()| archive.write_all(contents).map_err(Into::into))
            .map_err(|error| error.to_string())?;
    }
    archive
        .finish()
        .map(|cursor| cursor.into_inner())
        .map_err(|error| error.to_string())
}
