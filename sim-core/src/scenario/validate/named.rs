//! Named programs (`programs:`): the order they compile in, and the names `as:` gives.
//!
//! Each named program is compiled once per kind of use — as a pool task's steps (where
//! `return` and `{i}` are) or not — before every program that uses it, so that a use is a
//! shared, already compiled program rather than a recursion: a fork tree thousands of
//! generations deep compiles with no deeper stack than a flat one, and programs that use each
//! other many times over cost nothing more. A program that uses itself, directly or through
//! others, is refused. `call` copies its program's steps in place (it is compiled there).

use super::ScenarioError;
use crate::scenario::file::{ProgramEntry, ProgramFile, StepFile};
use petgraph::algo::{kosaraju_scc, toposort};
use petgraph::graph::{DiGraph, NodeIndex};
use std::collections::{BTreeMap, BTreeSet};

/// A named program and whether it is used as a pool task's steps.
pub(super) type NamedUse = (String, bool);

/// How a program field uses a named program.
#[derive(Clone, Copy, PartialEq, Eq)]
enum UseKind {
    /// As the program of a process, fork, spawn, coroutine, task or callback: compiled on
    /// its own.
    Program,
    /// `call`: its steps are copied into the caller's (compiled there).
    Call,
}

/// Calls `visit` with every step in `entries` and in the programs they carry inline (not the
/// named programs they name), and whether it is a pool task's.
fn walk(entries: &[ProgramEntry], in_task: bool, visit: &mut impl FnMut(&StepFile, bool)) {
    for entry in entries {
        match entry {
            ProgramEntry::Step(step) => walk_step(step, in_task, visit),
            ProgramEntry::Fallible(step, otherwise) => {
                walk_step(step, in_task, visit);
                walk(otherwise, in_task, visit);
            }
            ProgramEntry::Repeat(repeat) => walk(&repeat.steps, in_task, visit),
            ProgramEntry::If(branch) => {
                walk(&branch.then, in_task, visit);
                if let Some(otherwise) = &branch.otherwise {
                    walk(otherwise, in_task, visit);
                }
            }
            ProgramEntry::Select(select) => {
                for branch in select.on.values().chain(&select.otherwise) {
                    walk(branch, in_task, visit);
                }
            }
            ProgramEntry::Try(block) => {
                walk(&block.steps, in_task, visit);
                walk(&block.handler, in_task, visit);
            }
        }
    }
}

fn walk_step(step: &StepFile, in_task: bool, visit: &mut impl FnMut(&StepFile, bool)) {
    visit(step, in_task);
    for (program, task) in carried(step) {
        if let ProgramFile::Steps(entries) = program {
            walk(entries, task, visit);
        }
    }
}

/// The programs a step carries, and whether each is a pool task's.
fn carried(step: &StepFile) -> Vec<(&ProgramFile, bool)> {
    match step {
        StepFile::Fork(fork) => fork.program.iter().map(|p| (p, false)).collect(),
        StepFile::Spawn(spawn) => vec![(&spawn.program, false)],
        StepFile::Coroutine(coroutine) => vec![(&coroutine.program, false)],
        StepFile::Apply(apply) | StepFile::ApplyAsync(apply) => [(&apply.task, true)]
            .into_iter()
            .chain(apply.callback.iter().map(|c| (c, false)))
            .collect(),
        StepFile::Map(map) => vec![(&map.task, true)],
        StepFile::OnSignal(handler) => vec![(&handler.steps, false)],
        _ => Vec::new(),
    }
}

/// The named programs `entries` use (in a pool task's steps or not), with how.
fn uses(entries: &[ProgramEntry], in_task: bool) -> Vec<(NamedUse, UseKind)> {
    let mut found = Vec::new();
    walk(entries, in_task, &mut |step, in_task| {
        if let StepFile::Call(call) = step {
            found.push(((call.program.trim().to_string(), in_task), UseKind::Call));
        }
        for (program, task) in carried(step) {
            if let ProgramFile::Named(name) = program {
                found.push(((name.trim().to_string(), task), UseKind::Program));
            }
        }
    });
    found
}

/// The names `apply_async` (`as: R`) and `map` (`as: L`) give anywhere in `programs`, so that
/// a `get_result` or a `print` may name one wherever it stands.
pub(super) fn result_names<'p>(
    programs: impl IntoIterator<Item = &'p [ProgramEntry]>,
) -> (BTreeSet<String>, BTreeSet<String>) {
    let (mut results, mut lists) = (BTreeSet::new(), BTreeSet::new());
    for entries in programs {
        walk(entries, false, &mut |step, _| match step {
            StepFile::ApplyAsync(apply) => {
                results.extend(apply.result.iter().map(|name| name.trim().to_string()))
            }
            StepFile::Map(map) => lists.extend(map.list.iter().map(|name| name.trim().to_string())),
            _ => {}
        });
    }
    (results, lists)
}

/// The named programs to compile, each after every one it uses: those `roots` (the
/// processes' programs) use, however indirectly, and those nothing uses (checked as a
/// process's program). A cycle is an error; names not declared are left to the use that
/// names them (which reports where it stands).
pub(super) fn compile_order(
    named: &BTreeMap<String, Vec<ProgramEntry>>,
    roots: &[&ProgramFile],
) -> Result<Vec<NamedUse>, ScenarioError> {
    let mut graph: DiGraph<NamedUse, ()> = DiGraph::new();
    let mut nodes: BTreeMap<NamedUse, NodeIndex> = BTreeMap::new();
    // Nodes reached only by `call`s are not compiled on their own.
    let mut compiled: BTreeSet<NamedUse> = BTreeSet::new();
    let mut pending: Vec<NamedUse> = Vec::new();
    // A use's node, made (and its uses to be followed) the first time.
    let node = |graph: &mut DiGraph<NamedUse, ()>,
                nodes: &mut BTreeMap<NamedUse, NodeIndex>,
                key: &NamedUse,
                pending: &mut Vec<NamedUse>| {
        *nodes.entry(key.clone()).or_insert_with(|| {
            pending.push(key.clone());
            graph.add_node(key.clone())
        })
    };
    let root_uses: Vec<(NamedUse, UseKind)> = roots
        .iter()
        .flat_map(|root| match root {
            ProgramFile::Steps(entries) => uses(entries, false),
            ProgramFile::Named(name) => vec![((name.trim().to_string(), false), UseKind::Program)],
        })
        .collect();
    for (key, kind) in root_uses {
        if named.contains_key(&key.0) {
            if kind == UseKind::Program {
                compiled.insert(key.clone());
            }
            node(&mut graph, &mut nodes, &key, &mut pending);
        }
    }
    // What the processes use, however indirectly; then each program they do not reach is
    // checked as a process's program, with what it uses.
    let mut unreached = named.keys();
    loop {
        while let Some(user) = pending.pop() {
            let from = node(&mut graph, &mut nodes, &user, &mut pending);
            for (key, kind) in uses(&named[&user.0], user.1) {
                if named.contains_key(&key.0) {
                    if kind == UseKind::Program {
                        compiled.insert(key.clone());
                    }
                    let to = node(&mut graph, &mut nodes, &key, &mut pending);
                    graph.update_edge(from, to, ());
                }
            }
        }
        let reached = |name: &String| {
            nodes.contains_key(&(name.clone(), false)) || nodes.contains_key(&(name.clone(), true))
        };
        let Some(name) = unreached.find(|name| !reached(name)) else {
            break;
        };
        let key = (name.clone(), false);
        compiled.insert(key.clone());
        node(&mut graph, &mut nodes, &key, &mut pending);
    }
    // Kosaraju: petgraph's walks without recursion (its Tarjan recurses once per level of a
    // chain of programs, and a chain thousands long overflowed the stack).
    for component in kosaraju_scc(&graph) {
        let looped = component.len() > 1 || graph.contains_edge(component[0], component[0]);
        if looped {
            let mut names: Vec<&str> = component.iter().map(|n| graph[*n].0.as_str()).collect();
            names.sort_unstable();
            names.dedup();
            let first = names[0];
            return Err(ScenarioError::invalid(
                format!("programs.{first}"),
                if names.len() == 1 {
                    format!(
                        "program `{first}` uses itself: a program may not run itself, directly \
                         or through others"
                    )
                } else {
                    format!(
                        "programs {} use each other in a cycle: a program may not run itself, \
                         directly or through others",
                        names.join(", ")
                    )
                },
            ));
        }
    }
    let order = toposort(&graph, None).map_err(|cycle| {
        ScenarioError::invalid(
            format!("programs.{}", graph[cycle.node_id()].0),
            "a program may not run itself, directly or through others",
        )
    })?;
    // A user comes before what it uses in `order`: compile the other way round.
    Ok(order
        .into_iter()
        .rev()
        .map(|index| graph[index].clone())
        .filter(|key| compiled.contains(key))
        .collect())
}
