//! Unix-style views of the process table at one time: `ps -o pid,ppid,stat,time,comm` (with
//! `--threads`, one row per thread as `ps -eLf` has them) and `pstree -p` (threads as
//! `{name}(tid)`). Pure functions of a [`Snapshot`]; init (pid 1) is always listed, as on
//! Unix. Processes that have not arrived yet, and those already reaped, do not exist: not
//! listed; nor do threads that have ended.

use crate::ids::Pid;
use crate::pcb::ProcState;
use crate::snapshot::{ProcessView, Snapshot};
use serde::Serialize;
use std::collections::BTreeMap;
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
    /// `R` running or ready, `S` sleeping (waiting for a child, a thread, an event or the
    /// GIL), `D` waiting for a device, `Z` zombie; `l` follows for a multi-threaded process.
    pub stat: String,
    /// `--threads` only: the thread's id (LWP; the pid for the main thread).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tid: Option<u32>,
    /// `--threads` only: how many threads its process has now (NLWP).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nlwp: Option<usize>,
    /// CPU ticks used so far (`ps`'s TIME): a process's threads' sum, or the thread's own.
    #[serde(skip)]
    pub cpu_ticks: u64,
}

/// `ps`'s STAT mark of a nice value: `<` below 0 (high priority), `N` above (low).
fn nice_mark(nice: i8) -> &'static str {
    match nice {
        ..0 => "<",
        0 => "",
        _ => "N",
    }
}

/// Whether a task exists at the snapshot's time: arrived and not reaped (a thread: not ended).
fn exists(task: &ProcessView) -> bool {
    task.state.stat().is_some()
}

/// The threads that exist now, by process: how many (NLWP) and their CPU ticks together.
fn thread_totals(snapshot: &Snapshot) -> Vec<(usize, u64)> {
    let mut totals = vec![(0, 0); snapshot.processes.len()];
    for task in snapshot.processes.iter() {
        let total = &mut totals[task.process().index()];
        if exists(task) {
            total.0 += 1;
        }
        total.1 += task.cpu_ticks;
    }
    totals
}

/// The processes that exist at the snapshot's time, init first, then in pid order; with
/// `threads`, one row per thread (in tid order within its process's place) as `ps -eLf`.
pub fn ps_rows(snapshot: &Snapshot, threads: bool) -> Vec<PsRow> {
    let init = PsRow {
        pid: Pid::INIT.0,
        ppid: 0,
        name: "init".into(),
        state: "blocked".into(),
        stat: "S".into(),
        tid: threads.then_some(Pid::INIT.0),
        nlwp: threads.then_some(1),
        cpu_ticks: 0,
    };
    let totals = thread_totals(snapshot);
    let mut rows = vec![init];
    for process in snapshot.processes.iter().filter(|p| p.thread.is_none()) {
        let Some(stat) = process.state.stat() else {
            continue;
        };
        let (nlwp, cpu_ticks) = totals[process.pid.index()];
        // Linux's order: the state, then `<` (high priority) or `N` (low), then `l`.
        let mut stat = format!("{stat}{}", nice_mark(process.nice));
        if nlwp > 1 {
            stat.push('l');
        }
        if !threads {
            rows.push(PsRow {
                pid: process.pid.0,
                ppid: process.ppid.0,
                name: process.name.clone(),
                state: process.state.label().into(),
                stat,
                tid: None,
                nlwp: None,
                cpu_ticks,
            });
            continue;
        }
        let members = snapshot
            .processes
            .iter()
            .filter(|task| task.process() == process.pid && exists(task));
        for task in members {
            let mut own = task.state.stat().map(String::from).unwrap_or_default();
            own.push_str(nice_mark(task.nice));
            rows.push(PsRow {
                pid: process.pid.0,
                ppid: process.ppid.0,
                name: task.name.clone(),
                state: task.state.label().into(),
                stat: if nlwp > 1 { format!("{own}l") } else { own },
                tid: Some(task.pid.0),
                nlwp: Some(nlwp),
                cpu_ticks: task.cpu_ticks,
            });
        }
    }
    rows
}

/// `ps`'s table: PID, PPID, STAT, TIME (CPU ticks) and COMMAND (`<defunct>` for zombies);
/// with `threads`, LWP and NLWP after PPID and one row per thread, as `ps -eLf`.
pub fn ps_text(snapshot: &Snapshot, threads: bool) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "t={}", snapshot.time.0);
    if threads {
        let _ = writeln!(
            out,
            "{:>5} {:>5} {:>5} {:>4} {:<4} {:>6} COMMAND",
            "PID", "PPID", "LWP", "NLWP", "STAT", "TIME"
        );
    } else {
        let _ = writeln!(
            out,
            "{:>5} {:>5} {:<4} {:>6} COMMAND",
            "PID", "PPID", "STAT", "TIME"
        );
    }
    for row in ps_rows(snapshot, threads) {
        let defunct = if row.stat.starts_with('Z') {
            " <defunct>"
        } else {
            ""
        };
        if let (Some(tid), Some(nlwp)) = (row.tid, row.nlwp) {
            let _ = writeln!(
                out,
                "{:>5} {:>5} {:>5} {:>4} {:<4} {:>6} {}{defunct}",
                row.pid, row.ppid, tid, nlwp, row.stat, row.cpu_ticks, row.name
            );
        } else {
            let _ = writeln!(
                out,
                "{:>5} {:>5} {:<4} {:>6} {}{defunct}",
                row.pid, row.ppid, row.stat, row.cpu_ticks, row.name
            );
        }
    }
    out
}

/// Each living task's children in pid order: a process's forked children and its threads (a
/// thread hangs under its process).
fn children_by_parent(snapshot: &Snapshot) -> BTreeMap<Pid, Vec<&ProcessView>> {
    let mut children: BTreeMap<Pid, Vec<&ProcessView>> = BTreeMap::new();
    for task in snapshot.processes.iter().filter(|p| exists(p)) {
        let parent = match &task.thread {
            Some(thread) => thread.process,
            None => task.ppid,
        };
        children.entry(parent).or_default().push(task);
    }
    children
}

/// The process tree as `pstree -p` draws it (children in pid order, as with `-n`), from init;
/// a process's threads hang under it as `{name}(tid)`, among its children in tid order.
///
/// Iterative, and linear in the output: a chain of forks of any depth is one line, drawn
/// without recursion and without copying the line's prefix at each level.
pub fn pstree_text(snapshot: &Snapshot) -> String {
    let children = children_by_parent(snapshot);
    let no_children: Vec<&ProcessView> = Vec::new();
    let children_of = |pid: Pid| children.get(&pid).unwrap_or(&no_children);
    /// A process whose children are being drawn: them, the next to draw, and the blank as
    /// wide as its label.
    struct Frame<'a> {
        children: &'a [&'a ProcessView],
        next: usize,
        indent: String,
    }
    let frame = |pid: Pid, label: &str| Frame {
        children: children_of(pid),
        next: 0,
        indent: " ".repeat(label.chars().count()),
    };
    let mut out = String::new();
    let mut line = String::from("init(1)");
    let mut stack = vec![frame(Pid::INIT, &line)];
    // What each open level puts before the lines under its current child.
    let mut margins: Vec<String> = Vec::new();
    while let Some(top) = stack.last_mut() {
        if top.next == top.children.len() {
            stack.pop();
            margins.truncate(stack.len().saturating_sub(1));
            continue;
        }
        let (position, count) = (top.next, top.children.len());
        top.next += 1;
        let child = top.children[position];
        let last = position + 1 == count;
        let margin = format!("{}{}", top.indent, if last { "   " } else { " │ " });
        if position == 0 {
            line.push_str(if count == 1 { "───" } else { "─┬─" });
        } else {
            out.push_str(line.trim_end());
            out.push('\n');
            line.clear();
            let depth = stack.len() - 1;
            for above in &margins[..depth] {
                line.push_str(above);
            }
            line.push_str(&stack[depth].indent);
            line.push_str(if last { " └─" } else { " ├─" });
        }
        margins.truncate(stack.len() - 1);
        margins.push(margin);
        let mut label = match &child.thread {
            Some(thread) => format!("{{{}}}({})", thread.name, child.pid),
            None => format!("{}({})", child.name, child.pid),
        };
        if child.state == ProcState::Zombie {
            label.push_str(" <defunct>");
        }
        line.push_str(&label);
        stack.push(frame(child.pid, &label));
    }
    out.push_str(line.trim_end());
    out.push('\n');
    out
}

/// The process tree one process a line, as `ps f` draws its forest (`\_ ` under the parent,
/// children in pid order), from init: narrow enough for a side panel, however deep. Threads
/// hang under their process as `{name}`, zombies end with `<defunct>`.
pub fn forest_text(snapshot: &Snapshot) -> String {
    let children = children_by_parent(snapshot);
    let mut out = String::from("    1 init\n");
    // Depth-first, children in pid order: a stack of (child, depth), last child first.
    let mut stack: Vec<(&ProcessView, usize)> = children
        .get(&Pid::INIT)
        .map(|list| list.iter().rev().map(|&p| (p, 1)).collect())
        .unwrap_or_default();
    while let Some((task, depth)) = stack.pop() {
        let name = match &task.thread {
            Some(thread) => format!("{{{}}}", thread.name),
            None => task.name.clone(),
        };
        let defunct = if task.state == ProcState::Zombie {
            " <defunct>"
        } else {
            ""
        };
        out.push_str(&format!(
            "{:>5} {}\\_ {name}{defunct}\n",
            task.pid.0,
            "    ".repeat(depth - 1)
        ));
        if let Some(list) = children.get(&task.pid) {
            stack.extend(list.iter().rev().map(|&p| (p, depth + 1)));
        }
    }
    out
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

    /// shell runs 0-2 (it forks a and b as it starts) then does IO until 32 (never waits); a
    /// runs 2-3 (forking a1 at 2) then waits for a1; b runs 3-4 and stays a zombie; a1 runs
    /// 4-13; other arrives at 6 and runs 13-16.
    const FAMILY: &str = "name: family\npolicy: fcfs\nprocesses:\n\
        - name: shell\n  program:\n\
        \x20   - fork: {name: a, program: [{fork: {name: a1, program: [{cpu: 9}]}}, {cpu: 1}, {wait: any}]}\n\
        \x20   - fork: {name: b, program: [{cpu: 1}]}\n\
        \x20   - cpu: 2\n\
        \x20   - io: 30\n\
        - {name: other, arrival: 6, burst: 3}\n";

    #[test]
    fn pstree_draws_branches_like_pstree_p() {
        assert_eq!(
            pstree_text(&snapshot_at(FAMILY, 7)),
            "init(1)─┬─shell(2)─┬─a(4)───a1(6)\n\
             \x20       │          └─b(5) <defunct>\n\
             \x20       └─other(3)\n"
        );
    }

    #[test]
    fn the_forest_is_one_process_a_line_as_ps_f_draws_it() {
        assert_eq!(
            forest_text(&snapshot_at(FAMILY, 7)),
            "    1 init\n\
             \x20   2 \\_ shell\n\
             \x20   4     \\_ a\n\
             \x20   6         \\_ a1\n\
             \x20   5     \\_ b <defunct>\n\
             \x20   3 \\_ other\n"
        );
    }

    #[test]
    fn ps_lists_init_first_and_tells_each_state_by_its_letter() {
        let snapshot = snapshot_at(FAMILY, 7);
        let rows: Vec<String> = ps_rows(&snapshot, false)
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
        let text = ps_text(&snapshot, false);
        assert!(text.contains("b <defunct>"), "{text}");
        // a's wait reaped a1 at 13; a then waited for the CPU (other's) to exit, at 16: at 17 a
        // is a zombie, a1 and other are gone.
        let later: Vec<(u32, String)> = ps_rows(&snapshot_at(FAMILY, 17), false)
            .into_iter()
            .map(|row| (row.pid, row.stat))
            .collect();
        assert_eq!(
            later,
            vec![
                (1, "S".into()),
                (2, "D".into()),
                (4, "Z".into()),
                (5, "Z".into())
            ]
        );
    }

    const THREADED: &str = "name: t\ncpus: 2\npolicy: fcfs\nprocesses:\n\
        - {name: web, gil: true, program: [{spawn: {name: a, program: [{cpu: 9}]}}, {spawn: {name: b, program: [{sleep: 9}]}}, {fork: {name: log, program: [{cpu: 9}]}}, {cpu: 1}, {join: a}, {join: b}]}\n";

    #[test]
    fn threads_show_in_ps_with_lwp_and_nlwp_and_in_pstree_in_braces() {
        let snapshot = snapshot_at(THREADED, 0);
        assert_eq!(
            pstree_text(&snapshot),
            "init(1)───web(2)─┬─{a}(3)\n\
             \x20                ├─{b}(4)\n\
             \x20                └─log(5)\n"
        );
        let rows: Vec<String> = ps_rows(&snapshot, false)
            .iter()
            .map(|row| format!("{} {} {}", row.pid, row.stat, row.cpu_ticks))
            .collect();
        assert_eq!(rows, ["1 S 0", "2 Rl 0", "5 R 0"]);
        let rows: Vec<String> = ps_rows(&snapshot_at(THREADED, 1), true)
            .iter()
            .map(|row| {
                format!(
                    "{} {} {} {} {}",
                    row.pid,
                    row.tid.unwrap(),
                    row.nlwp.unwrap(),
                    row.stat,
                    row.name
                )
            })
            .collect();
        // At 1 the main thread has run its burst and joins a, which took the GIL it let go
        // and runs; b still waits for the GIL; log runs on the other CPU.
        assert_eq!(
            rows,
            [
                "1 1 1 S init",
                "2 2 3 Sl web",
                "2 3 3 Rl web/a",
                "2 4 3 Sl web/b",
                "5 5 1 R log"
            ]
        );
        let text = ps_text(&snapshot_at(THREADED, 1), true);
        assert!(text.contains("  LWP NLWP"), "{text}");
    }
}
