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
        &[
            "ids", "random", "ranges", "yaml", "text", "scan", "prefetch",
        ],
    ),
    (
        "model",
        &[
            "scenario",
            "pcb",
            "event",
            "exceptions",
            "roster",
            "snapshot",
        ],
    ),
    ("scheduling", &["policy", "engine", "deadlock"]),
    (
        "views",
        &[
            "metrics", "measures", "gantt", "narrate", "report", "ps", "render", "writes",
        ],
    ),
    (
        "exercises",
        &[
            "answer",
            "rubric",
            "matrix",
            "exercise",
            "grading",
            "generate",
            "ostep",
            "swf",
            "ties",
            "explore",
            "schedulability",
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

/// Files of the workspace's three crates import each other in no circle: a file may use what
/// its ancestors declare (`super::`, `use super::*`), a module holds its children, and
/// otherwise imports go one way (e.g. the app uses its panels; panels use a view-types module
/// below both, never the app).
#[test]
fn files_import_each_other_in_no_circle() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut circles = Vec::new();
    for (crate_root, entry) in [
        ("sim-core/src", "lib.rs"),
        ("sim-gui/src", "lib.rs"),
        ("src", "main.rs"),
    ] {
        let graph = file_graph(&root.join(crate_root), entry);
        // Each circle through a module, once.
        let mut found: Vec<String> = Vec::new();
        for start in graph.keys() {
            if let Some(circle) = find_circle_from(start, &graph)
                && !found.contains(&circle)
            {
                found.push(circle);
            }
        }
        circles.extend(
            found
                .into_iter()
                .map(|circle| format!("{crate_root}: {circle}")),
        );
    }
    assert!(
        circles.is_empty(),
        "files import each other in a circle:\n{}",
        circles.join("\n")
    );
}

/// A module path, `crate::engine::sync`, as its segments after `crate`.
type ModulePath = Vec<String>;

/// Every module file of a crate, by module path, and its imports of other module files (the
/// edges from a module to its own descendants left out: a module holds its children).
fn file_graph(src: &Path, entry: &str) -> BTreeMap<ModulePath, Vec<ModulePath>> {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    let module_of = |file: &Path| -> Option<ModulePath> {
        let relative = file.strip_prefix(src).ok()?;
        let mut parts: Vec<String> = relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy().to_string())
            .collect();
        let last = parts.pop()?;
        if last == entry {
            return parts.is_empty().then(Vec::new);
        }
        if last != "mod.rs" {
            parts.push(last.trim_end_matches(".rs").to_string());
        }
        Some(parts)
    };
    let modules: BTreeMap<ModulePath, PathBuf> = files
        .iter()
        .filter_map(|file| Some((module_of(file)?, file.clone())))
        .collect();
    let is_module = |path: &[String]| modules.contains_key(path);
    let mut graph = BTreeMap::new();
    for (module, file) in &modules {
        let text = std::fs::read_to_string(file).unwrap();
        let code: String = text
            .lines()
            .map(|line| line.split("//").next().unwrap_or_default())
            .collect::<Vec<_>>()
            .join("\n");
        let parent: ModulePath = module[..module.len().saturating_sub(1)].to_vec();
        let glob_parent = code.contains("use super::*;");
        // Names that stand for modules: `use crate::panels::{self, ..}`, `use super::waits`.
        let mut aliases: BTreeMap<String, ModulePath> = BTreeMap::new();
        let mut imports: Vec<ModulePath> = Vec::new();
        let words: Vec<&str> = code
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == ':'))
            .filter(|word| word.contains("::"))
            .collect();
        let resolve = |segments: &[&str], aliases: &BTreeMap<String, ModulePath>| {
            let (mut path, rest): (ModulePath, &[&str]) = match segments.first().copied() {
                Some("crate") => (Vec::new(), &segments[1..]),
                Some("self") => (module.clone(), &segments[1..]),
                Some("super") => {
                    let mut base = module.clone();
                    let mut rest = segments;
                    while rest.first() == Some(&"super") {
                        base.pop();
                        rest = &rest[1..];
                    }
                    (base, rest)
                }
                Some(name) if aliases.contains_key(name) => (aliases[name].clone(), &segments[1..]),
                Some(name)
                    if glob_parent && {
                        let mut sibling = parent.clone();
                        sibling.push(name.to_string());
                        is_module(&sibling)
                    } =>
                {
                    (parent.clone(), segments)
                }
                _ => return None,
            };
            // The deepest module the path names.
            for segment in rest {
                let mut deeper = path.clone();
                deeper.push(segment.to_string());
                if is_module(&deeper) {
                    path = deeper;
                } else {
                    break;
                }
            }
            Some(path)
        };
        // `use` lines first, for the aliases they make.
        for line in code.lines() {
            let line = line.trim();
            let Some(rest) = line
                .strip_prefix("use ")
                .or_else(|| line.strip_prefix("pub use "))
            else {
                continue;
            };
            let rest = rest.trim_end_matches(';');
            let (base, names) = match rest.split_once("::{") {
                Some((base, names)) => (base, names.trim_end_matches('}')),
                None => match rest.rsplit_once("::") {
                    Some((base, name)) => (base, name),
                    None => continue,
                },
            };
            for name in names.split(',').map(str::trim).filter(|n| !n.is_empty()) {
                let (name, alias) = match name.split_once(" as ") {
                    Some((name, alias)) => (name.trim(), alias.trim()),
                    None => (name, name.rsplit("::").next().unwrap_or(name)),
                };
                let mut segments: Vec<&str> = base.split("::").collect();
                if name != "self" {
                    segments.extend(name.split("::"));
                }
                if let Some(path) = resolve(&segments, &aliases) {
                    let alias = if name == "self" {
                        base.rsplit("::").next().unwrap_or(base)
                    } else {
                        alias
                    };
                    if is_module(&path) && path.last().is_some_and(|last| last == alias) {
                        aliases.insert(alias.to_string(), path.clone());
                    }
                    imports.push(path);
                }
            }
        }
        for word in words {
            let segments: Vec<&str> = word.split("::").filter(|s| !s.is_empty()).collect();
            if let Some(path) = resolve(&segments, &aliases) {
                imports.push(path);
            }
        }
        let mut edges: Vec<ModulePath> = imports
            .into_iter()
            .filter(|path| path != module && !path.starts_with(module))
            .collect();
        edges.sort();
        edges.dedup();
        graph.insert(module.clone(), edges);
    }
    graph
}

/// A circle in `graph` reached from `start`, as `a -> b -> a`, if there is one.
fn find_circle_from(
    start: &ModulePath,
    graph: &BTreeMap<ModulePath, Vec<ModulePath>>,
) -> Option<String> {
    fn visit(
        node: &ModulePath,
        graph: &BTreeMap<ModulePath, Vec<ModulePath>>,
        path: &mut Vec<ModulePath>,
        done: &mut Vec<ModulePath>,
    ) -> Option<String> {
        if let Some(start) = path.iter().position(|m| m == node) {
            // Told from its smallest module, so that each circle reads one way.
            let mut circle: Vec<String> = path[start..].iter().map(name).collect();
            let first = (0..circle.len()).min_by_key(|&i| &circle[i]).unwrap_or(0);
            circle.rotate_left(first);
            circle.push(circle[0].clone());
            return Some(circle.join(" -> "));
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.clone());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(circle) = visit(next, graph, path, done) {
                return Some(circle);
            }
        }
        path.pop();
        done.push(node.clone());
        None
    }
    fn name(module: &ModulePath) -> String {
        if module.is_empty() {
            "crate".to_string()
        } else {
            module.join("::")
        }
    }
    visit(start, graph, &mut Vec::new(), &mut Vec::new())
}

/// The GUI's panels draw a frame: none sees the playback, the simulator or the app.
#[test]
fn gui_panels_see_only_the_frame() {
    let panels = Path::new(env!("CARGO_MANIFEST_DIR")).join("../sim-gui/src/panels");
    let mut files = Vec::new();
    rust_files(&panels, &mut files);
    let mut seen = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        for line in text.lines() {
            let code = line.split("//").next().unwrap_or_default();
            for forbidden in ["Playback", "crate::playback", "Simulator", "crate::app"] {
                if code.contains(forbidden) {
                    seen.push(format!("{}: {}", file.display(), line.trim()));
                }
            }
        }
    }
    assert!(
        seen.is_empty(),
        "panels that see more than the frame:\n{}",
        seen.join("\n")
    );
}
