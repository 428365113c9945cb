//! `procsim export`: a course platform's autograder made from an exercise or a template.

use crate::cli::{ExportCommand, ExportGradescopeArgs};
use crate::commands::{EXIT_BAD_SCENARIO, EXIT_USAGE, Failure, shown_path as shown};
use std::path::Path;

pub fn export(command: ExportCommand) -> Result<String, Failure> {
    match command {
        ExportCommand::Gradescope(args) => gradescope(args),
    }
}

/// Gradescope's autograder: `setup.sh` (run once when the image is built) and
/// `run_autograder` (run per submission, from /autograder), with the exercise and this very
/// binary beside them, so grading needs no network.
fn gradescope(args: ExportGradescopeArgs) -> Result<String, Failure> {
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
    let binary = std::env::current_exe().map_err(|error| {
        Failure::new(
            format!("error: cannot find this procsim binary to copy: {error}"),
            EXIT_USAGE,
        )
    })?;
    let out = &args.out;
    std::fs::create_dir_all(out).map_err(|error| write_failure(out, &error))?;
    let write = |name: &str, content: &str, executable: bool| -> Result<(), Failure> {
        let path = out.join(name);
        std::fs::write(&path, content).map_err(|error| write_failure(&path, &error))?;
        if executable {
            make_executable(&path)?;
        }
        Ok(())
    };
    write("exercise.yaml", &text, false)?;
    let procsim = out.join("procsim");
    std::fs::copy(&binary, &procsim).map_err(|error| write_failure(&procsim, &error))?;
    make_executable(&procsim)?;
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
