//! `mlfq.py` (OSTEP chapter 8): the multilevel feedback queue with IO, boost and its options.

use super::solution::{MlfqSolution, Solution, run_translation};
use super::{Job, OstepError, PythonRandom, quoted};

/// The script's flags, with its defaults.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MlfqArgs {
    pub seed: i64,
    pub num_queues: u64,
    pub quantum: u64,
    pub allotment: u64,
    /// `-Q`: per-level quanta, highest priority first.
    pub quantum_list: String,
    /// `-A`: per-level allotments, highest priority first.
    pub allotment_list: String,
    pub num_jobs: u64,
    pub maxlen: u64,
    pub maxio: u64,
    pub boost: u64,
    pub io_time: u64,
    pub stay: bool,
    pub iobump: bool,
    /// `-l`: `start,run,ioFreq:start,run,ioFreq:...`.
    pub jlist: String,
}

impl Default for MlfqArgs {
    fn default() -> Self {
        MlfqArgs {
            seed: 0,
            num_queues: 3,
            quantum: 10,
            allotment: 1,
            quantum_list: String::new(),
            allotment_list: String::new(),
            num_jobs: 3,
            maxlen: 100,
            maxio: 10,
            boost: 0,
            io_time: 5,
            stay: false,
            iobump: false,
            jlist: String::new(),
        }
    }
}

impl MlfqArgs {
    /// The flags as the script would be called with them.
    pub fn command_line(&self) -> String {
        let mut parts = vec!["mlfq.py".to_string()];
        if self.jlist.is_empty() {
            parts.push(format!(
                "-s {} -j {} -m {} -M {}",
                self.seed, self.num_jobs, self.maxlen, self.maxio
            ));
        } else {
            parts.push(format!("-l {}", self.jlist));
        }
        if self.quantum_list.is_empty() {
            parts.push(format!("-n {} -q {}", self.num_queues, self.quantum));
        } else {
            parts.push(format!("-Q {}", self.quantum_list));
        }
        if self.allotment_list.is_empty() {
            parts.push(format!("-a {}", self.allotment));
        } else {
            parts.push(format!("-A {}", self.allotment_list));
        }
        parts.push(format!("-B {} -i {}", self.boost, self.io_time));
        if self.stay {
            parts.push("-S".into());
        }
        if self.iobump {
            parts.push("-I".into());
        }
        parts.join(" ")
    }
}

fn numbers(list: &str, flag: &str) -> Result<Vec<u64>, OstepError> {
    list.split(',')
        .map(|item| {
            item.trim().parse::<u64>().map_err(|_| {
                OstepError(format!(
                    "{flag}: `{item}` is not a whole number (expected x,y,z)"
                ))
            })
        })
        .collect()
}

/// Levels as (quantum, allotment), highest priority first.
fn levels(args: &MlfqArgs) -> Result<Vec<(u64, u64)>, OstepError> {
    let quanta = if args.quantum_list.is_empty() {
        vec![args.quantum; args.num_queues as usize]
    } else {
        numbers(&args.quantum_list, "-Q")?
    };
    if quanta.is_empty() {
        return Err(OstepError("-n: at least one queue is needed".into()));
    }
    let allotments = if args.allotment_list.is_empty() {
        vec![args.allotment; quanta.len()]
    } else {
        let list = numbers(&args.allotment_list, "-A")?;
        if list.len() != quanta.len() {
            return Err(OstepError(
                "-A: number of allotments specified must match number of quantums".into(),
            ));
        }
        list
    };
    let last = quanta.len() - 1;
    quanta
        .into_iter()
        .zip(allotments)
        .enumerate()
        .map(|(level, (quantum, allotment))| {
            if quantum == 0 {
                return Err(OstepError("-q/-Q: every quantum must be at least 1".into()));
            }
            // mlfq.py accepts 0 for the lowest level, where a job stays anyway.
            match (allotment, level == last) {
                (0, true) => Ok((quantum, 1)),
                (0, false) => Err(OstepError(
                    "-a/-A: allotment must be positive integer".into(),
                )),
                (a, _) => Ok((quantum, a)),
            }
        })
        .collect()
}

fn jobs(args: &MlfqArgs) -> Result<Vec<Job>, OstepError> {
    if args.jlist.is_empty() {
        let mut random = PythonRandom::seeded(args.seed);
        return Ok((0..super::at_most("-j", args.num_jobs)?)
            .map(|_| {
                let run_ticks = (random.random() * (args.maxlen as f64 - 1.0) + 1.0) as u64;
                let io_every = (random.random() * (args.maxio as f64 - 1.0) + 1.0) as u64;
                Job {
                    arrival: 0,
                    run_ticks,
                    io_every,
                    io_ticks: args.io_time,
                }
            })
            .collect());
    }
    args.jlist
        .split(':')
        .map(|item| {
            let fields = numbers(item, "-l").map_err(|_| bad_job(item))?;
            let [arrival, run_ticks, io_every] = fields[..] else {
                return Err(bad_job(item));
            };
            if run_ticks == 0 {
                return Err(OstepError(format!("-l: job `{item}` has a run time of 0")));
            }
            Ok(Job {
                arrival,
                run_ticks,
                io_every,
                io_ticks: args.io_time,
            })
        })
        .collect()
}

fn bad_job(item: &str) -> OstepError {
    OstepError(format!(
        "-l: badly formatted job `{item}`: should be x1,y1,z1:x2,y2,z2:... where x is the start time, y the run time and z the I/O frequency"
    ))
}

/// The scenario YAML equivalent to the command line.
pub fn mlfq_yaml(args: &MlfqArgs) -> Result<String, OstepError> {
    let levels = levels(args)?;
    let jobs = jobs(args)?;
    if jobs.is_empty() {
        return Err(OstepError("-j: at least one job is needed".into()));
    }
    if jobs
        .iter()
        .any(|job| job.io_every > 0 && job.io_every < job.run_ticks)
        && args.io_time == 0
    {
        return Err(OstepError(
            "-i: an I/O must last at least 1 tick in procsim".into(),
        ));
    }
    let command = args.command_line();
    let mut out = format!(
        "# Generated by procsim from OSTEP's `{command}`.\n\
         # The same jobs the script generates; `procsim run` on this file gives its -c answers\n\
         # (response and turnaround). As in the script, a job whose quantum expires re-enters\n\
         # its queue before the arrivals and IO completions of that tick.\n\
         name: {}\npolicy:\n  kind: mlfq\n  levels:\n",
        quoted(&format!("OSTEP {command}"))
    );
    for (quantum, allotment) in &levels {
        out.push_str(&format!(
            "    - {{quantum: {quantum}, allotment: {allotment}}}\n"
        ));
    }
    if args.boost > 0 {
        out.push_str(&format!("  boost: {}\n", args.boost));
    }
    if args.stay {
        out.push_str("  io_resets_allotment: true   # -S\n");
    }
    if args.iobump {
        out.push_str("  io_done_to_front: true   # -I\n");
    }
    out.push_str("rules: {preempted_before_arrivals: true}\nprocesses:\n");
    for (index, job) in jobs.iter().enumerate() {
        out.push_str(&format!(
            "  - {{name: J{index}, arrival: {}, program: {}}}\n",
            job.arrival,
            job.program()
        ));
    }
    Ok(out)
}

/// The script's `-c` answers, from running the translation.
pub fn mlfq_solution(args: &MlfqArgs) -> Result<Solution, OstepError> {
    let report = run_translation(&mlfq_yaml(args)?)?;
    Ok(Solution::Mlfq(MlfqSolution::of(&report)?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Scenario;

    #[test]
    fn default_flags_give_the_scripts_jobs() {
        // mlfq.py -s 0 prints: Job 0 runTime 84 ioFreq 7, Job 1 runTime 42 ioFreq 3,
        // Job 2 runTime 51 ioFreq 4.
        let yaml = mlfq_yaml(&MlfqArgs::default()).unwrap();
        let scenario = Scenario::from_yaml(&yaml).unwrap();
        let runs: Vec<u64> = scenario
            .processes
            .iter()
            .map(|p| p.total_cpu_ticks())
            .collect();
        assert_eq!(runs, vec![84, 42, 51]);
        // 84 ticks, IO every 7: eleven chunks each followed by an IO, then the last chunk.
        assert!(yaml.contains(
            "{name: J0, arrival: 0, program: [{repeat: 11, steps: [{cpu: 7}, {io: 5}]}, {cpu: 7}]}"
        ));
        // Not unrolled: the loop's markers, its body, the last chunk.
        assert_eq!(scenario.processes[0].program.len(), 5);
    }

    #[test]
    fn a_job_list_keeps_start_times_and_io() {
        let args = MlfqArgs {
            jlist: "0,10,4:5,3,0".into(),
            quantum_list: "2,4".into(),
            allotment_list: "2,0".into(),
            boost: 20,
            stay: true,
            iobump: true,
            ..MlfqArgs::default()
        };
        let yaml = mlfq_yaml(&args).unwrap();
        let scenario = Scenario::from_yaml(&yaml).unwrap();
        assert_eq!(scenario.processes[1].arrival.0, 5);
        assert_eq!(scenario.processes[0].program.len(), 5); // 4, io, 4, io, 2
        // The current mlfq.py's boost is procsim's own (rule 6): no `ostep_boost`.
        assert!(yaml.contains("boost: 20\n") && !yaml.contains("ostep_boost"));
        assert!(yaml.contains("io_done_to_front: true"));
        assert!(
            mlfq_yaml(&MlfqArgs {
                jlist: "1,2".into(),
                ..MlfqArgs::default()
            })
            .is_err()
        );
    }
}
