//! Deadlock detection over the resource-allocation graph, and its Graphviz DOT picture.
//!
//! The engine hands over an [`AllocationGraph`] (who holds what, who waits for what) whenever
//! a process blocks on a resource. [`AllocationGraph::deadlocked`] runs the multi-instance
//! detection algorithm (Available / Allocation / Request): the processes that cannot finish
//! even if every other one does are deadlocked. [`AllocationGraph::deadlocks`] splits them into
//! the strongly connected components of the graph (petgraph's Tarjan), each with one cycle read
//! canonically from its smallest pid. With single-instance resources this is exactly "a cycle in
//! the wait-for graph".

use crate::event::RagNode;
use crate::ids::{Pid, Tick};
use crate::scan::scan;
use crate::scenario::ResourceId;
use petgraph::algo::kosaraju_scc;
use petgraph::graph::{DiGraph, NodeIndex};
use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::fmt::Write;

/// Who holds and who waits for which resources at one instant.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AllocationGraph {
    pub time: Tick,
    /// Living processes (arrived, not exited), in pid order, with their names.
    pub processes: Vec<(Pid, String)>,
    pub resources: Vec<ResourceNode>,
    /// `(process, resource, instances held)`.
    pub holds: Vec<(Pid, ResourceId, u64)>,
    /// `(process, resource, instances wanted)`: the process is blocked on it.
    pub requests: Vec<(Pid, ResourceId, u64)>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResourceNode {
    pub name: String,
    pub instances: u64,
    pub available: u64,
}

/// One deadlock: processes that wait for each other in a circle.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Deadlock {
    /// In pid order.
    pub processes: Vec<Pid>,
    /// In resource order.
    pub resources: Vec<ResourceId>,
    /// From the smallest pid: process, the resource it waits for, a process holding it, ...
    pub cycle: Vec<RagNode>,
}

impl AllocationGraph {
    /// The detection algorithm: every process that cannot finish, in pid order. Processes
    /// that wait for nothing are assumed to finish and give back what they hold.
    pub fn deadlocked(&self) -> Vec<Pid> {
        let width = self.resources.len();
        let mut rows: BTreeMap<Pid, (Vec<u64>, Vec<u64>)> = BTreeMap::new();
        for &(pid, resource, count) in &self.holds {
            rows.entry(pid)
                .or_insert_with(|| (vec![0; width], vec![0; width]))
                .0[resource.0] += count;
        }
        for &(pid, resource, count) in &self.requests {
            rows.entry(pid)
                .or_insert_with(|| (vec![0; width], vec![0; width]))
                .1[resource.0] += count;
        }
        let available: Vec<u64> = self.resources.iter().map(|r| r.available).collect();
        let (allocation, request): (Vec<Vec<u64>>, Vec<Vec<u64>>) = rows.values().cloned().unzip();
        let result = scan(&available, &allocation, &request);
        rows.keys()
            .zip(&result.finished)
            .filter(|&(_, &finished)| !finished)
            .map(|(&pid, _)| pid)
            .collect()
    }

    /// The deadlocks among the deadlocked processes: one per strongly connected component
    /// of their part of the graph, in order of their smallest pid.
    pub fn deadlocks(&self) -> Vec<Deadlock> {
        let stuck: BTreeSet<Pid> = self.deadlocked().into_iter().collect();
        if stuck.is_empty() {
            return Vec::new();
        }
        let mut graph: DiGraph<RagNode, ()> = DiGraph::new();
        let mut index: BTreeMap<RagNode, NodeIndex> = BTreeMap::new();
        let mut node = |graph: &mut DiGraph<RagNode, ()>, n: RagNode| {
            *index.entry(n).or_insert_with(|| graph.add_node(n))
        };
        for &(pid, resource, _) in &self.requests {
            if stuck.contains(&pid) {
                let p = node(&mut graph, RagNode::Process { pid });
                let r = node(&mut graph, RagNode::Resource { resource });
                graph.add_edge(p, r, ());
            }
        }
        for &(pid, resource, _) in &self.holds {
            if stuck.contains(&pid) {
                let r = node(&mut graph, RagNode::Resource { resource });
                let p = node(&mut graph, RagNode::Process { pid });
                graph.add_edge(r, p, ());
            }
        }
        // Kosaraju walks without recursion: a chain of waits of any length cannot overflow the
        // stack (petgraph's Tarjan recurses once per node of a path).
        let mut found: Vec<Deadlock> = kosaraju_scc(&graph)
            .into_iter()
            .filter(|component| component.len() > 1)
            .map(|component| {
                let mut processes = Vec::new();
                let mut resources = Vec::new();
                for &n in &component {
                    match graph[n] {
                        RagNode::Process { pid } => processes.push(pid),
                        RagNode::Resource { resource } => resources.push(resource),
                    }
                }
                processes.sort();
                resources.sort();
                let cycle = cycle_from(&graph, &component, processes[0]);
                Deadlock {
                    processes,
                    resources,
                    cycle,
                }
            })
            .collect();
        found.sort_by_key(|deadlock| deadlock.processes[0]);
        found
    }
}

/// The cycle read from `start`: a closed walk inside `component` that goes, each time by the
/// shortest way (breadth first, neighbours in ascending order, so the answer does not depend on
/// insertion order), to the nearest process it has not visited, and back to `start` once it has
/// visited them all. It names every process of the deadlock: through one multi-instance
/// resource it is P1 → R → P2 → R → P1, not the loop P1 → R → P1 that would leave P2 out.
fn cycle_from(graph: &DiGraph<RagNode, ()>, component: &[NodeIndex], start: Pid) -> Vec<RagNode> {
    let inside: BTreeSet<NodeIndex> = component.iter().copied().collect();
    let processes: BTreeSet<NodeIndex> = component
        .iter()
        .copied()
        .filter(|&n| matches!(graph[n], RagNode::Process { .. }))
        .collect();
    let Some(&origin) = component
        .iter()
        .find(|&&n| graph[n] == RagNode::Process { pid: start })
    else {
        return Vec::new();
    };
    let mut walk = vec![graph[origin]];
    let mut visited = BTreeSet::from([origin]);
    let mut at = origin;
    loop {
        let done = visited.len() == processes.len();
        let target = |n: NodeIndex| {
            if done {
                n == origin
            } else {
                processes.contains(&n) && !visited.contains(&n)
            }
        };
        let Some(path) = shortest_path(graph, &inside, at, target) else {
            return walk;
        };
        let end = *path.last().unwrap_or(&origin);
        for &n in &path {
            if n != origin {
                walk.push(graph[n]);
            }
        }
        if done || end == origin {
            return walk;
        }
        visited.insert(end);
        at = end;
    }
}

/// The nodes after `from` on a shortest path inside `inside` to a node `target` accepts.
fn shortest_path(
    graph: &DiGraph<RagNode, ()>,
    inside: &BTreeSet<NodeIndex>,
    from: NodeIndex,
    target: impl Fn(NodeIndex) -> bool,
) -> Option<Vec<NodeIndex>> {
    let mut previous: BTreeMap<NodeIndex, NodeIndex> = BTreeMap::new();
    let mut queue = VecDeque::from([from]);
    while let Some(current) = queue.pop_front() {
        let mut next: Vec<NodeIndex> = graph
            .neighbors(current)
            .filter(|n| inside.contains(n))
            .collect();
        next.sort_by_key(|&n| graph[n]);
        for n in next {
            if target(n) {
                let mut path = vec![n];
                let mut at = current;
                while at != from {
                    path.push(at);
                    at = previous[&at];
                }
                path.reverse();
                return Some(path);
            }
            if n != from
                && let std::collections::btree_map::Entry::Vacant(entry) = previous.entry(n)
            {
                entry.insert(current);
                queue.push_back(n);
            }
        }
    }
    None
}

/// The graph in Graphviz DOT: processes as ellipses, resources as boxes; `P -> R` a request,
/// `R -> P` held instances. Deadlocked processes and their edges are red.
pub fn dot(graph: &AllocationGraph) -> String {
    let stuck: BTreeSet<Pid> = graph.deadlocked().into_iter().collect();
    let mut rag: DiGraph<String, String> = DiGraph::new();
    let mut attributes: Vec<String> = Vec::new();
    let mut process_node = BTreeMap::new();
    for (pid, name) in &graph.processes {
        let colour = if stuck.contains(pid) {
            ", color=red, fontcolor=red"
        } else {
            ""
        };
        process_node.insert(*pid, rag.add_node(name.clone()));
        attributes.push(format!(
            "shape=ellipse, label=\"{} ({pid})\"{colour}",
            escape(name)
        ));
    }
    let resource_node: Vec<NodeIndex> = graph
        .resources
        .iter()
        .map(|resource| {
            attributes.push(format!(
                "shape=box, label=\"{}\\n{} of {} free\"",
                escape(&resource.name),
                resource.available,
                resource.instances
            ));
            rag.add_node(resource.name.clone())
        })
        .collect();
    let mut edge_attributes: Vec<String> = Vec::new();
    for &(pid, resource, count) in &graph.requests {
        if let Some(&p) = process_node.get(&pid) {
            rag.add_edge(p, resource_node[resource.0], String::new());
            let colour = if stuck.contains(&pid) {
                ", color=red"
            } else {
                ""
            };
            edge_attributes.push(format!(
                "style=dashed{}{colour}",
                count_label(count, "waits for")
            ));
        }
    }
    for &(pid, resource, count) in &graph.holds {
        if let Some(&p) = process_node.get(&pid) {
            rag.add_edge(resource_node[resource.0], p, String::new());
            let colour = if stuck.contains(&pid) {
                ", color=red"
            } else {
                ""
            };
            edge_attributes.push(format!("style=solid{}{colour}", count_label(count, "held")));
        }
    }
    let node_attributes = |_, node: (NodeIndex, &String)| attributes[node.0.index()].clone();
    let edge_attributes = |_, edge: petgraph::graph::EdgeReference<'_, String>| {
        edge_attributes[petgraph::visit::EdgeRef::id(&edge).index()].clone()
    };
    let body = petgraph::dot::Dot::with_attr_getters(
        &rag,
        &[
            petgraph::dot::Config::GraphContentOnly,
            petgraph::dot::Config::NodeNoLabel,
            petgraph::dot::Config::EdgeNoLabel,
        ],
        &edge_attributes,
        &node_attributes,
    );
    let mut out = String::from("digraph rag {\n");
    let _ = writeln!(
        out,
        "    label=\"resource-allocation graph at t={}\";\n    labelloc=t;\n    rankdir=LR;",
        graph.time
    );
    let _ = write!(out, "{body}");
    out.push_str("}\n");
    out
}

fn count_label(count: u64, what: &str) -> String {
    if count > 1 {
        format!(", label=\"{what} {count}\"")
    } else {
        String::new()
    }
}

fn escape(text: &str) -> String {
    text.replace('\\', "\\\\").replace('"', "\\\"")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lock(name: &str, available: u64) -> ResourceNode {
        ResourceNode {
            name: name.to_string(),
            instances: 1,
            available,
        }
    }

    fn two_locks() -> AllocationGraph {
        AllocationGraph {
            time: Tick(3),
            processes: vec![(Pid(2), "P1".into()), (Pid(3), "P2".into())],
            resources: vec![lock("A", 0), lock("B", 0)],
            holds: vec![(Pid(2), ResourceId(0), 1), (Pid(3), ResourceId(1), 1)],
            requests: vec![(Pid(2), ResourceId(1), 1), (Pid(3), ResourceId(0), 1)],
        }
    }

    #[test]
    fn a_circular_wait_on_two_locks_is_one_deadlock_with_its_cycle() {
        let graph = two_locks();
        assert_eq!(graph.deadlocked(), [Pid(2), Pid(3)]);
        let deadlocks = graph.deadlocks();
        assert_eq!(deadlocks.len(), 1);
        assert_eq!(
            deadlocks[0].cycle,
            [
                RagNode::Process { pid: Pid(2) },
                RagNode::Resource {
                    resource: ResourceId(1)
                },
                RagNode::Process { pid: Pid(3) },
                RagNode::Resource {
                    resource: ResourceId(0)
                },
            ]
        );
        let dot = dot(&graph);
        assert!(dot.starts_with("digraph rag {"), "{dot}");
        assert!(dot.contains("color=red"), "{dot}");
    }

    #[test]
    fn a_cycle_with_a_spare_instance_is_not_a_deadlock() {
        // P1 holds A and waits for B; P2 holds one B and waits for A; a third instance... of B
        // is held by P3, who waits for nothing and will release it.
        let graph = AllocationGraph {
            time: Tick(0),
            processes: vec![
                (Pid(2), "P1".into()),
                (Pid(3), "P2".into()),
                (Pid(4), "P3".into()),
            ],
            resources: vec![
                lock("A", 0),
                ResourceNode {
                    name: "B".into(),
                    instances: 2,
                    available: 0,
                },
            ],
            holds: vec![
                (Pid(2), ResourceId(0), 1),
                (Pid(3), ResourceId(1), 1),
                (Pid(4), ResourceId(1), 1),
            ],
            requests: vec![(Pid(2), ResourceId(1), 1), (Pid(3), ResourceId(0), 1)],
        };
        assert!(graph.deadlocked().is_empty());
        assert!(graph.deadlocks().is_empty());
    }
}
