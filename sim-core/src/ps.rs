//! Unix-style views of the process table at one time: `ps -o pid,ppid,stat,time,comm` and
//! `pstree -p`. Pure functions of a [`Snapshot`]; init (pid 1) is always listed, as on Unix.
//! Processes that have not arrived yet, and those already reaped, do not exist: not listed.

use crate::ids::Pid;
use crate::pcb::ProcState;
use crate::snapshot::{ProcessView, Snapshot};
use serde::Serialize;
use std::fmt::Write;

/// One row of `procsim ps --format json`. Field names are a contract (docs/lifecycle.md).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PsRow {
    pub pid: u32,
    /// 0 for init.
    pub ppid: u32,
    pub name: String,
    /// `running`, `ready`, `blocked` or `zombie` (init: `blocked`, it sleeps in `wait`).
    pub state: String,
    /// `R` running or ready, `S` waiting for a child, `D` waiting for a device, `Z` zombie.
    pub stat: String,
    /// CPU ticks used so far (`ps`'s TIME).
    #[serde(skip)]
    pub cpu_ticks: u64,
}

/// The processes that exist at the snapshot's time, init first, then in pid order.
pub fn ps_rows(snapshot: &Snapshot) -> Vec<PsRow> {
    let init = PsRow {
        pid: Pid::INIT.0,
        ppid: 0,
        name: "init".into(),
        state: "blocked".into(),
        stat: "S".into(),
        cpu_ticks: 0,
    };
    std::iter::once(init)
        .chain(snapshot.processes.iter().filter_map(|process| {
            let stat = process.state.stat()?;
            Some(PsRow {
                pid: process.pid.0,
                ppid: process.ppid.0,
                name: process.name.clone(),
                state: process.state.label().into(),
                stat: stat.to_string(),
                cpu_ticks: process.cpu_ticks,
            })
        }))
        .collect()
}

/// `ps`'s table: PID, PPID, STAT, TIME (CPU ticks) and COMMAND (`<defunct>` for zombies).
pub fn ps_text(snapshot: &Snapshot) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "t={}", snapshot.time.0);
    let _ = writeln!(
        out,
        "{:>5} {:>5} {:<4} {:>6} COMMAND",
        "PID", "PPID", "STAT", "TIME"
    );
    for row in ps_rows(snapshot) {
        let defunct = if row.stat == "Z" { " <defunct>" } else { "" };
        let _ = writeln!(
            out,
            "{:>5} {:>5} {:<4} {:>6} {}{defunct}",
            row.pid, row.ppid, row.stat, row.cpu_ticks, row.name
        );
    }
    out
}

/// The process tree as `pstree -p` draws it (children in pid order, as with `-n`), from init.
pub fn pstree_text(snapshot: &Snapshot) -> String {
    let living: Vec<&ProcessView> = snapshot
        .processes
        .iter()
        .filter(|process| process.state.stat().is_some())
        .collect();
    let mut out = String::new();
    for line in subtree(Pid::INIT, "init(1)".to_string(), &living) {
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// The lines of the tree rooted at `pid`, labelled `label`.
fn subtree(pid: Pid, label: String, processes: &[&ProcessView]) -> Vec<String> {
    let children: Vec<&ProcessView> = processes
        .iter()
        .copied()
        .filter(|process| process.ppid == pid)
        .collect();
    if children.is_empty() {
        return vec![label];
    }
    let indent = " ".repeat(label.chars().count());
    let count = children.len();
    let mut lines = Vec::new();
    for (position, child) in children.into_iter().enumerate() {
        let mut child_label = format!("{}({})", child.name, child.pid);
        if child.state == ProcState::Zombie {
            child_label.push_str(" <defunct>");
        }
        let child_lines = subtree(child.pid, child_label, processes);
        let (first, rest) = match (position, count) {
            (0, 1) => (format!("{label}───"), format!("{indent}   ")),
            (0, _) => (format!("{label}─┬─"), format!("{indent} │ ")),
            (p, c) if p + 1 == c => (format!("{indent} └─"), format!("{indent}   ")),
            _ => (format!("{indent} ├─"), format!("{indent} │ ")),
        };
        for (index, line) in child_lines.into_iter().enumerate() {
            let prefix = if index == 0 { &first } else { &rest };
            lines.push(format!("{prefix}{line}"));
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Simulator;
    use crate::ids::Tick;
    use crate::scenario::Scenario;

    fn snapshot_at(yaml: &str, time: u64) -> Snapshot {
        let mut simulator = Simulator::new(Scenario::from_yaml(yaml).unwrap());
        simulator.advance_to(Tick(time), 10_000).unwrap();
        simulator.snapshot()
    }

    /// shell runs 0-2 then does IO until 32 (never waits); a runs 2-3 then waits for a1; b
    /// runs 3-4 and stays a zombie; a1 runs 4-13; other 13-16.
    const FAMILY: &str = "name: family\npolicy: fcfs\nprocesses:\n\
        - name: shell\n  program:\n\
        \x20   - fork: {name: a, program: [{fork: {name: a1, program: [{cpu: 9}]}}, {cpu: 1}, {wait: any}]}\n\
        \x20   - fork: {name: b, program: [{cpu: 1}]}\n\
        \x20   - cpu: 2\n\
        \x20   - io: 30\n\
        - {name: other, burst: 3}\n";

    #[test]
    fn pstree_draws_branches_like_pstree_p() {
        assert_eq!(
            pstree_text(&snapshot_at(FAMILY, 5)),
            "init(1)─┬─shell(2)─┬─a(4)───a1(6)\n\
             \x20       │          └─b(5) <defunct>\n\
             \x20       └─other(3)\n"
        );
    }

    #[test]
    fn ps_lists_init_first_and_tells_each_state_by_its_letter() {
        let snapshot = snapshot_at(FAMILY, 5);
        let rows: Vec<String> = ps_rows(&snapshot)
            .iter()
            .map(|row| format!("{} {} {} {}", row.pid, row.ppid, row.stat, row.state))
            .collect();
        assert_eq!(
            rows,
            [
                "1 0 S blocked",
                "2 1 D blocked",
                "3 1 R ready",
                "4 2 S blocked",
                "5 2 Z zombie",
                "6 4 R running",
            ]
        );
        let text = ps_text(&snapshot);
        assert!(text.contains("b <defunct>"), "{text}");
        // At 14 a1 was reaped by a, which exited too: a is a zombie, a1 is gone.
        let later: Vec<(u32, String)> = ps_rows(&snapshot_at(FAMILY, 14))
            .into_iter()
            .map(|row| (row.pid, row.stat))
            .collect();
        assert_eq!(
            later,
            vec![
                (1, "S".into()),
                (2, "D".into()),
                (3, "R".into()),
                (4, "Z".into()),
                (5, "Z".into())
            ]
        );
    }
}
