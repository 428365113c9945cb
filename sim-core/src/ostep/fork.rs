//! `fork.py` (OSTEP chapter 5): a process tree grown by forks and shrunk by exits.

use super::solution::{ForkSolution, Solution};
use super::{OstepError, PythonRandom, quoted};
use crate::engine::DEFAULT_MAX_EVENTS;
use crate::{Scenario, Simulator, Tick};

/// The script's flags, with its defaults.
#[derive(Clone, Debug, PartialEq)]
pub struct ForkArgs {
    /// `-1`: unseeded in the script (a different tree each run); procsim needs a seed.
    pub seed: i64,
    pub fork_percentage: f64,
    /// `-A`: `a+b,b+c,b-` (a forks b, b forks c, b exits) instead of random actions.
    pub action_list: String,
    pub actions: u64,
    pub print_style: String,
    pub leaf_only: bool,
    pub local_reparent: bool,
}

impl Default for ForkArgs {
    fn default() -> Self {
        ForkArgs {
            seed: -1,
            fork_percentage: 0.7,
            action_list: String::new(),
            actions: 5,
            print_style: "fancy".into(),
            leaf_only: false,
            local_reparent: false,
        }
    }
}

/// The root of every tree.
const ROOT: &str = "a";

#[derive(Clone, Debug, PartialEq, Eq)]
enum Action {
    Fork { parent: String, child: String },
    Exit(String),
}

impl ForkArgs {
    /// The flags as the script would be called with them.
    pub fn command_line(&self) -> String {
        let mut parts = vec!["fork.py".to_string()];
        if self.action_list.is_empty() {
            parts.push(format!(
                "-s {} -a {} -f {}",
                self.seed, self.actions, self.fork_percentage
            ));
        } else {
            parts.push(format!("-A {}", self.action_list));
        }
        if self.leaf_only {
            parts.push("-L".into());
        }
        if self.local_reparent {
            parts.push("-R".into());
        }
        parts.join(" ")
    }
}

/// The names the script gives new processes: b, c, ..., z, A, ..., Z, then aa, ab, ...
struct Names {
    current: Vec<String>,
    index: usize,
}

const LETTERS: &str = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

impl Names {
    fn new() -> Names {
        Names {
            current: LETTERS.chars().map(String::from).collect(),
            index: 1,
        }
    }

    fn next(&mut self) -> String {
        if self.index == self.current.len() {
            self.current = self
                .current
                .iter()
                .flat_map(|first| {
                    LETTERS
                        .chars()
                        .map(move |second| format!("{first}{second}"))
                })
                .collect();
            self.index = 0;
        }
        self.index += 1;
        self.current[self.index - 1].clone()
    }
}

/// The script's random actions: with chance `-f` a random process forks a new one, else a
/// random process other than the root exits (a draw of the root is drawn again).
fn random_actions(args: &ForkArgs) -> Result<Vec<Action>, OstepError> {
    if args.seed == -1 {
        return Err(OstepError(
            "-s: give a seed; without one fork.py draws an unseeded tree, different at each run"
                .into(),
        ));
    }
    let mut random = PythonRandom::seeded(args.seed);
    let mut names = Names::new();
    let mut alive = vec![ROOT.to_string()];
    let mut actions = Vec::new();
    let choose = |random: &mut PythonRandom, list: &[String]| {
        list[(random.random() * list.len() as f64) as usize].clone()
    };
    while (actions.len() as u64) < args.actions {
        if random.random() < args.fork_percentage {
            let parent = choose(&mut random, &alive);
            let child = names.next();
            alive.push(child.clone());
            actions.push(Action::Fork { parent, child });
        } else {
            let exiting = choose(&mut random, &alive);
            if exiting == ROOT {
                continue;
            }
            alive.retain(|name| *name != exiting);
            actions.push(Action::Exit(exiting));
        }
    }
    Ok(actions)
}

fn listed_actions(list: &str) -> Result<Vec<Action>, OstepError> {
    let valid = |name: &str| !name.is_empty() && name.chars().all(char::is_alphanumeric);
    list.split(',')
        .map(|item| {
            if let Some((parent, child)) = item.split_once('+')
                && valid(parent)
                && valid(child)
            {
                return Ok(Action::Fork {
                    parent: parent.into(),
                    child: child.into(),
                });
            }
            if let Some(name) = item.strip_suffix('-')
                && valid(name)
            {
                return Ok(Action::Exit(name.into()));
            }
            Err(OstepError(format!(
                "-A: bad action `{item}`, must be X+Y or X- where X and Y are processes"
            )))
        })
        .collect()
}

/// Checks the actions as the script does (who may act), as far as it can be known before the
/// run: with `-L` an exit may fail, so a process that tried to exit may still act.
fn check(actions: &[Action], leaf_only: bool) -> Result<(), OstepError> {
    let mut known = vec![ROOT.to_string()];
    let mut exited: Vec<String> = Vec::new();
    for action in actions {
        match action {
            Action::Fork { parent, child } => {
                if !known.contains(parent) || (!leaf_only && exited.contains(parent)) {
                    return Err(OstepError(format!(
                        "-A: bad action `{parent}+{child}`: there is no process {parent}"
                    )));
                }
                if known.contains(child) {
                    return Err(OstepError(format!(
                        "-A: bad action `{parent}+{child}`: {child} already exists"
                    )));
                }
                known.push(child.clone());
            }
            Action::Exit(name) => {
                if name == ROOT {
                    return Err(OstepError("-A: root process: cannot exit".into()));
                }
                if !known.contains(name) || (!leaf_only && exited.contains(name)) {
                    return Err(OstepError(format!(
                        "-A: bad action `{name}-`: there is no process {name}"
                    )));
                }
                exited.push(name.clone());
            }
        }
    }
    Ok(())
}

fn actions(args: &ForkArgs) -> Result<Vec<Action>, OstepError> {
    // NaN is no chance at all: only exits, which the root never makes (it would loop).
    if !(args.fork_percentage > 0.001 && args.fork_percentage.is_finite()) {
        return Err(OstepError(format!(
            "-f: fork_percentage must be a number > 0.001, got {}",
            args.fork_percentage
        )));
    }
    super::at_most("-a", args.actions)?;
    if !["basic", "line1", "line2", "fancy"].contains(&args.print_style.as_str()) {
        return Err(OstepError(format!(
            "-P: bad style `{}` (basic, line1, line2 or fancy)",
            args.print_style
        )));
    }
    let actions = if args.action_list.is_empty() {
        random_actions(args)?
    } else {
        listed_actions(&args.action_list)?
    };
    check(&actions, args.leaf_only)?;
    Ok(actions)
}

/// The program of `name`, created at `born`: its actions (action k happens at time k), each
/// after a sleep, then a sleep until `end`, after every action. A fork names its child's
/// program, which is under `programs:` (so a deep tree nests no deeper than a shallow one).
fn program(name: &str, born: u64, actions: &[Action], leaf_only: bool, end: u64) -> String {
    let mut steps = Vec::new();
    let mut now = born;
    for (index, action) in actions.iter().enumerate() {
        let time = index as u64 + 1;
        if time <= born {
            continue;
        }
        let step = match action {
            Action::Fork { parent, child } if parent == name => {
                format!("{{fork: {{name: {child}, ignore_sigchld: true, program: {child}}}}}")
            }
            Action::Exit(exiting) if exiting == name && leaf_only => {
                // -L: only a process without children exits; the others go on.
                "{if: {children: {eq: 0}}, then: [{exit: 0}]}".to_string()
            }
            Action::Exit(exiting) if exiting == name => {
                // Its last step: nothing after it runs.
                steps.push(format!("{{sleep: {}}}", time - now));
                steps.push("{exit: 0}".to_string());
                return format!("[{}]", steps.join(", "));
            }
            _ => continue,
        };
        steps.push(format!("{{sleep: {}}}", time - now));
        steps.push(step);
        now = time;
    }
    steps.push(format!("{{sleep: {}}}", end - now));
    format!("[{}]", steps.join(", "))
}

/// `programs:` with the program of every child the actions fork, in creation order.
fn child_programs(actions: &[Action], leaf_only: bool, end: u64) -> String {
    let lines: Vec<String> = actions
        .iter()
        .enumerate()
        .filter_map(|(index, action)| match action {
            Action::Fork { child, .. } => Some(format!(
                "  {child}: {}\n",
                program(child, index as u64 + 1, actions, leaf_only, end)
            )),
            Action::Exit(_) => None,
        })
        .collect();
    if lines.is_empty() {
        String::new()
    } else {
        format!("programs:\n{}", lines.concat())
    }
}

/// The scenario YAML equivalent to the command line.
pub fn fork_yaml(args: &ForkArgs) -> Result<String, OstepError> {
    let actions = actions(args)?;
    let command = args.command_line();
    let end = actions.len() as u64 + 1;
    let list: Vec<String> = actions
        .iter()
        .map(|action| match action {
            Action::Fork { parent, child } => format!("{parent}+{child}"),
            Action::Exit(name) => format!("{name}-"),
        })
        .collect();
    let orphans = if args.local_reparent {
        "parent}   # -R: the orphans of an exiting process go to its parent"
    } else {
        "subtree}   # an exiting process's whole subtree goes under the root, a"
    };
    let yaml = format!(
        "# Generated by procsim from OSTEP's `{command}`.\n\
         # The actions {}: the k-th happens at time k (each process sleeps until its next\n\
         # action). `procsim ostep fork ... -c` prints the tree at time {} as the script does;\n\
         # `procsim run --at {} --format json` shows it. Every process ignores SIGCHLD, so an\n\
         # exiting process leaves the tree at once, as in the script; a is a subreaper, so\n\
         # orphans come to it, not to init. At time {end} every process ends.\n\
         name: {}\npolicy: fcfs\nrules: {{orphans: {orphans}\n{}processes:\n  - name: {ROOT}\n    subreaper: true\n    ignore_sigchld: true\n    program: {}\n",
        if list.is_empty() {
            "(none)".to_string()
        } else {
            list.join(",")
        },
        end - 1,
        end - 1,
        quoted(&format!("OSTEP {command}")),
        child_programs(&actions, args.leaf_only, end),
        program(ROOT, 0, &actions, args.leaf_only, end)
    );
    Ok(yaml)
}

/// The script's `-c` answer, the final tree, from running the translation to the last action.
pub fn fork_solution(args: &ForkArgs) -> Result<Solution, OstepError> {
    let yaml = fork_yaml(args)?;
    let scenario = Scenario::from_yaml(&yaml)
        .map_err(|error| OstepError(format!("the translation does not load: {error}")))?;
    let last_action = actions(args)?.len() as u64;
    let mut simulator = Simulator::new(scenario);
    simulator
        .advance_to(Tick(last_action), DEFAULT_MAX_EVENTS)
        .map_err(|error| OstepError(format!("the translation does not run: {error}")))?;
    Ok(Solution::Fork(ForkSolution::of(
        &simulator,
        ROOT,
        &args.print_style,
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_run_through_both_alphabets_then_pairs() {
        let mut names = Names::new();
        let all: Vec<String> = (0..53).map(|_| names.next()).collect();
        assert_eq!(all[0], "b");
        assert_eq!(all[24], "z");
        assert_eq!(all[25], "A");
        assert_eq!(all[50], "Z");
        assert_eq!(all[51], "aa");
        assert_eq!(all[52], "ab");
    }

    #[test]
    fn a_tree_of_any_depth_is_translated_and_runs() {
        // 51 generations: a forks b, b forks c, ... (the file nests no deeper for it).
        let chain: Vec<String> = LETTERS
            .chars()
            .zip(LETTERS.chars().skip(1))
            .map(|(parent, child)| format!("{parent}+{child}"))
            .collect();
        let args = ForkArgs {
            action_list: chain.join(","),
            ..ForkArgs::default()
        };
        let yaml = fork_yaml(&args).unwrap();
        assert!(Scenario::from_yaml(&yaml).is_ok(), "{yaml}");
        let Solution::Fork(tree) = fork_solution(&args).unwrap() else {
            panic!("a fork answer")
        };
        let text = format!("{tree:?}");
        assert!(text.contains("\"Z\""), "{text}");
    }

    #[test]
    fn actions_are_read_and_checked() {
        assert_eq!(
            listed_actions("a+b,b-").unwrap(),
            vec![
                Action::Fork {
                    parent: "a".into(),
                    child: "b".into()
                },
                Action::Exit("b".into())
            ]
        );
        assert!(listed_actions("a*b").is_err());
        assert!(check(&listed_actions("a+b,c-").unwrap(), false).is_err());
        assert!(check(&listed_actions("a-").unwrap(), false).is_err());
        assert!(check(&listed_actions("a+b,b-,b+c").unwrap(), false).is_err());
        assert!(check(&listed_actions("a+b,b-,b+c").unwrap(), true).is_ok());
    }
}
