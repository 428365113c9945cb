//! sim-core stays pure: no dependency outside the allow-list, and no files, terminal, clock,
//! threads, environment or hash-ordered maps in its sources.

use std::path::Path;

/// Crates sim-core may depend on, and why each is harmless to purity.
const ALLOWED_DEPENDENCIES: &[&str] = &[
    "serde",         // derive only
    "serde-saphyr",  // parses text it is given
    "thiserror",     // error types
    "rand",          // seeded ChaCha8 only: no OS entropy (default features off)
    "serde_json",    // reads and writes text it is given (answers, grader formats)
    "petgraph",      // graphs in memory (deadlock cycles, DOT text)
    "indexmap",      // insertion-ordered maps: deterministic, unlike HashMap
    "unicode-width", // the display width of names, to pad text tables: a pure table lookup
    "rand_distr",    // workload distributions on the seeded ChaCha8 stream, without std math
    "hashbrown",     // HashTable only, for lookups (the roster's namesakes); never iterated
    "foldhash",      // its FixedState: a fixed-seed hash, so tables lay out the same each run
];

const FORBIDDEN_IN_SOURCE: &[&str] = &[
    "std::fs",
    "std::io::stdin",
    "std::io::stdout",
    "println!",
    "eprintln!",
    "print!(",
    "dbg!(",
    "Instant",
    "SystemTime",
    "std::thread",
    "std::env",
    "std::net",
    "HashMap",
    "HashSet",
];

#[test]
fn sim_core_depends_only_on_allowed_crates() {
    let manifest =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml")).unwrap();
    let mut in_dependencies = false;
    for line in manifest.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            in_dependencies = line == "[dependencies]";
            continue;
        }
        if !in_dependencies || line.is_empty() || line.starts_with('#') {
            continue;
        }
        let name = line.split(['=', '.', ' ']).next().unwrap().trim();
        assert!(
            ALLOWED_DEPENDENCIES.contains(&name),
            "sim-core depends on `{name}`, which is not on the purity allow-list in {}",
            file!()
        );
    }
}

/// Whether `code` names `forbidden` as a whole: `SameInstant` is not `Instant`.
fn uses(code: &str, forbidden: &str) -> bool {
    code.match_indices(forbidden).any(|(at, _)| {
        !code[..at]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric() || c == '_')
    })
}

#[test]
fn the_purity_check_matches_whole_names() {
    assert!(uses("let t = std::time::Instant::now();", "Instant"));
    assert!(uses("use std::time::{Duration, Instant};", "Instant"));
    assert!(uses("Instant::now()", "Instant"));
    assert!(!uses("same_instant: SameInstant::Fixed", "Instant"));
    assert!(uses("x.print!(", "print!("));
}

#[test]
fn sim_core_sources_do_no_io() {
    fn walk(dir: &Path, failures: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, failures);
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            for (number, line) in text.lines().enumerate() {
                let code = line.split("//").next().unwrap();
                for forbidden in FORBIDDEN_IN_SOURCE {
                    if uses(code, forbidden) {
                        failures.push(format!(
                            "{}:{}: uses `{forbidden}`",
                            path.display(),
                            number + 1
                        ));
                    }
                }
            }
        }
    }
    let mut failures = Vec::new();
    walk(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut failures,
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// What a front-end may keep in a `static` or hand to another thread (the fuzz targets keep an
/// answer key in a `OnceLock`; `procsim sweep` runs scenarios on rayon's threads) stays
/// `Send + Sync`: a lazily built table inside must use `OnceLock`, not `OnceCell`.
#[test]
fn shared_values_are_send_and_sync() {
    fn shareable<T: Send + Sync>() {}
    shareable::<sim_core::roster::Roster>();
    shareable::<sim_core::grading::AnswerKey>();
    shareable::<sim_core::exercise::Exercise>();
    shareable::<sim_core::Scenario>();
    shareable::<sim_core::report::RunReport>();
}
