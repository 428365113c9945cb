//! sim-core is layered, and the layers are checked here, not only described: no module imports
//! from a layer above its own, and no two top-level modules import each other, directly or
//! through others. docs/ARCHITECTURE.md states the same layers.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Every top-level module of sim-core (a file or folder directly under `src/`), by layer,
/// lowest first. A module may import from its own layer and the ones below it.
const LAYERS: &[(&str, &[&str])] = &[
    (
        "foundations",
        &["ids", "random", "yaml", "text", "scan", "prefetch"],
    ),
    ("model", &["scenario", "pcb", "event", "roster", "snapshot"]),
    ("scheduling", &["policy", "engine", "deadlock"]),
    (
        "views",
        &[
            "metrics", "measures", "gantt", "narrate", "report", "ps", "render",
        ],
    ),
    (
        "exercises",
        &[
            "answer", "rubric", "matrix", "exercise", "grading", "generate", "ostep", "swf", "ties",
        ],
    ),
];

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// The layer index of each top-level module.
fn layer_of() -> BTreeMap<&'static str, usize> {
    let mut layers = BTreeMap::new();
    for (index, (_, modules)) in LAYERS.iter().enumerate() {
        for module in *modules {
            layers.insert(*module, index);
        }
    }
    layers
}

/// Every `.rs` file under `dir`.
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level module a source file belongs to (`engine/sync.rs` → `engine`).
fn module_of(file: &Path) -> String {
    let relative = file.strip_prefix(src()).unwrap();
    let first = relative.components().next().unwrap().as_os_str();
    first.to_string_lossy().trim_end_matches(".rs").to_string()
}

/// The top-level modules `text` imports with `crate::NAME`, comments left out.
fn imports_of(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for line in text.lines() {
        let code = line.split("//").next().unwrap_or_default();
        let mut rest = code;
        while let Some(at) = rest.find("crate::") {
            rest = &rest[at + "crate::".len()..];
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if name.is_empty() {
                // `crate::{a, b}`: every name in the braces.
                if let Some(inner) = rest.strip_prefix('{') {
                    let inner = inner.split('}').next().unwrap_or_default();
                    found.extend(
                        inner
                            .split(',')
                            .map(|part| part.trim().split("::").next().unwrap().to_string())
                            .filter(|part| !part.is_empty()),
                    );
                }
            } else {
                found.push(name);
            }
        }
    }
    found
}

/// Each top-level module's imports of other top-level modules (items re-exported by lib.rs,
/// such as `crate::Pid`, count as imports of their own module, not of `lib`).
fn import_graph() -> BTreeMap<String, Vec<String>> {
    let layers = layer_of();
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    let mut graph: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for file in files {
        let module = module_of(&file);
        if module == "lib" {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        let entry = graph.entry(module.clone()).or_default();
        for import in imports_of(&text) {
            if import != module && layers.contains_key(import.as_str()) && !entry.contains(&import)
            {
                entry.push(import);
            }
        }
    }
    graph
}

#[test]
fn every_top_level_module_has_a_layer() {
    let layers = layer_of();
    for module in import_graph().keys() {
        assert!(
            layers.contains_key(module.as_str()),
            "sim-core's module `{module}` is in no layer: add it to LAYERS in tests/it/layers.rs \
             and to docs/ARCHITECTURE.md"
        );
    }
}

#[test]
fn no_module_imports_from_a_layer_above_its_own() {
    let layers = layer_of();
    let mut upward = Vec::new();
    for (module, imports) in import_graph() {
        let Some(&own) = layers.get(module.as_str()) else {
            continue;
        };
        for import in imports {
            let theirs = layers[import.as_str()];
            if theirs > own {
                upward.push(format!(
                    "{module} ({}) imports {import} ({})",
                    LAYERS[own].0, LAYERS[theirs].0
                ));
            }
        }
    }
    assert!(
        upward.is_empty(),
        "imports going up:\n{}",
        upward.join("\n")
    );
}

#[test]
fn top_level_modules_import_each_other_in_no_circle() {
    let graph = import_graph();
    // Depth-first search; a module met again while still on the path closes a circle.
    fn visit<'a>(
        module: &'a str,
        graph: &'a BTreeMap<String, Vec<String>>,
        path: &mut Vec<&'a str>,
        done: &mut Vec<&'a str>,
    ) -> Option<String> {
        if let Some(start) = path.iter().position(|m| *m == module) {
            let mut circle = path[start..].to_vec();
            circle.push(module);
            return Some(circle.join(" -> "));
        }
        if done.contains(&module) {
            return None;
        }
        path.push(module);
        for import in graph.get(module).into_iter().flatten() {
            if let Some(circle) = visit(import, graph, path, done) {
                return Some(circle);
            }
        }
        path.pop();
        done.push(module);
        None
    }
    let mut done = Vec::new();
    for module in graph.keys() {
        if let Some(circle) = visit(module, &graph, &mut Vec::new(), &mut done) {
            panic!("top-level modules import each other in a circle: {circle}");
        }
    }
}

#[test]
fn the_import_reader_sees_every_form_of_import() {
    let text = "use crate::ids::Pid;\nuse crate::{event::Event, pcb};\n\
                // use crate::grading; (a comment)\nlet x = crate::text::ticks(1);\n";
    assert_eq!(imports_of(text), ["ids", "event", "pcb", "text"]);
}

#[test]
fn the_policy_table_in_the_docs_is_the_one_the_code_declares() {
    let docs = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/scenario-format.md"),
    )
    .unwrap();
    let table = sim_core::scenario::policies::markdown_table();
    assert!(
        docs.contains(&table),
        "docs/scenario-format.md's policy table differs from scenario::policies::POLICIES; \
         it should read:\n{table}"
    );
}

#[test]
fn the_preset_table_in_the_docs_is_the_one_the_code_declares() {
    let docs =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/policies.md"))
            .unwrap();
    let table = sim_core::scenario::presets::markdown_table();
    assert!(
        docs.contains(&table),
        "docs/policies.md's preset table differs from scenario::presets::PRESETS; it should \
         read:\n{table}"
    );
}
