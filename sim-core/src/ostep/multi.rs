//! `multi.py` (OSTEP chapter 10): jobs with working sets on several CPUs with caches, one or
//! per-CPU queues, affinity and work stealing.

use super::solution::{MultiSolution, Solution};
use super::{OstepError, PythonRandom, quoted};
use crate::engine::DEFAULT_MAX_EVENTS;
use crate::report::RunReport;
use crate::{Scenario, Simulator};

/// The script's flags, with its defaults.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MultiArgs {
    pub seed: i64,
    pub job_num: u64,
    pub max_run: u64,
    pub max_wset: u64,
    /// `-L`: `name:run_time:working_set,...` instead of random jobs.
    pub job_list: String,
    pub per_cpu_queues: bool,
    /// `-A`: `a:0.1.2,b:0.1`.
    pub affinity: String,
    pub num_cpus: u64,
    pub quantum: u64,
    pub peek_interval: u64,
    pub warmup_time: u64,
    pub warm_rate: u64,
    pub cache_size: u64,
    pub random_order: bool,
}

impl Default for MultiArgs {
    fn default() -> Self {
        MultiArgs {
            seed: 0,
            job_num: 3,
            max_run: 100,
            max_wset: 200,
            job_list: String::new(),
            per_cpu_queues: false,
            affinity: String::new(),
            num_cpus: 2,
            quantum: 10,
            peek_interval: 30,
            warmup_time: 10,
            warm_rate: 2,
            cache_size: 100,
            random_order: false,
        }
    }
}

impl MultiArgs {
    /// The flags as the script would be called with them.
    pub fn command_line(&self) -> String {
        let mut parts = vec![format!("multi.py -s {}", self.seed)];
        if self.job_list.is_empty() {
            parts.push(format!(
                "-j {} -R {} -W {}",
                self.job_num, self.max_run, self.max_wset
            ));
        } else {
            parts.push(format!("-L {}", self.job_list));
        }
        parts.push(format!("-n {} -q {}", self.num_cpus, self.quantum));
        if self.per_cpu_queues {
            parts.push(format!("-p -P {}", self.peek_interval));
        }
        if !self.affinity.is_empty() {
            parts.push(format!("-A {}", self.affinity));
        }
        if self.random_order {
            parts.push("-o".into());
        }
        parts.push(format!(
            "-w {} -r {} -M {}",
            self.warmup_time, self.warm_rate, self.cache_size
        ));
        parts.join(" ")
    }
}

struct MultiJob {
    name: String,
    run_time: u64,
    working_set: u64,
    affinity: Vec<u64>,
}

/// The jobs, and how many random numbers the script drew to make them.
fn jobs(args: &MultiArgs) -> Result<(Vec<MultiJob>, u64), OstepError> {
    let mut jobs = Vec::new();
    let mut draws = 0;
    if args.job_list.is_empty() {
        let mut random = PythonRandom::seeded(args.seed);
        for index in 0..super::at_most("-j", args.job_num)? {
            let run_time = ((random.random() * args.max_run as f64) / 10.0) as u64 * 10;
            let working_set = ((random.random() * args.max_wset as f64) / 10.0) as u64 * 10;
            draws += 2;
            jobs.push(MultiJob {
                name: index.to_string(),
                run_time,
                working_set,
                affinity: Vec::new(),
            });
        }
    } else {
        for entry in args.job_list.split(',') {
            let bad = || {
                OstepError(format!(
                    "-L: bad job description `{entry}`: needs triple of name:runtime:working_set_size"
                ))
            };
            let fields: Vec<&str> = entry.split(':').collect();
            let [name, run, set] = fields[..] else {
                return Err(bad());
            };
            if name.is_empty() || !name.chars().all(|c| c.is_alphanumeric() || c == '_') {
                return Err(bad());
            }
            if jobs.iter().any(|job: &MultiJob| job.name == name) {
                return Err(OstepError(format!("-L: repeated job name {name}")));
            }
            jobs.push(MultiJob {
                name: name.to_string(),
                run_time: run.trim().parse().map_err(|_| bad())?,
                working_set: set.trim().parse().map_err(|_| bad())?,
                affinity: Vec::new(),
            });
        }
    }
    if !args.affinity.is_empty() {
        for entry in args.affinity.split(',') {
            let (name, cpus) = entry
                .split_once(':')
                .ok_or_else(|| OstepError(format!("-A: bad affinity spec `{entry}`")))?;
            let job = jobs
                .iter_mut()
                .find(|job| job.name == name)
                .ok_or_else(|| {
                    OstepError(format!(
                        "-A: job name {name} in affinity list does not exist"
                    ))
                })?;
            for cpu in cpus.split('.') {
                let cpu: u64 = cpu
                    .trim()
                    .parse()
                    .map_err(|_| OstepError(format!("-A: bad affinity spec `{entry}`")))?;
                if cpu >= args.num_cpus {
                    return Err(OstepError(format!(
                        "-A: bad cpu {cpu} specified in affinity {entry}"
                    )));
                }
                job.affinity.push(cpu);
            }
        }
    }
    Ok((jobs, draws))
}

/// The scenario YAML equivalent to the command line.
pub fn multi_yaml(args: &MultiArgs) -> Result<String, OstepError> {
    if args.num_cpus == 0 || args.quantum == 0 || args.warm_rate == 0 {
        return Err(OstepError(
            "-n, -q and -r must be at least 1 in procsim".into(),
        ));
    }
    let (jobs, draws) = jobs(args)?;
    if jobs.is_empty() {
        return Err(OstepError("-j: at least one job is needed".into()));
    }
    let command = args.command_line();
    let queues = if args.per_cpu_queues {
        "per_cpu"
    } else {
        "global"
    };
    let mut steal = if args.per_cpu_queues && args.peek_interval > 0 {
        format!(", steal_every: {}", args.peek_interval)
    } else {
        String::new()
    };
    if args.random_order {
        steal.push_str(", dispatch: shuffled");
    }
    if args.per_cpu_queues && args.peek_interval > 0 && !args.affinity.is_empty() {
        steal.push_str(", steal_check: multi_py");
    }
    let mut out = format!(
        "# Generated by procsim from OSTEP's `{command}`.\n\
         # The same jobs; `procsim ostep multi ... -c` prints the script's answers from this run.\n\
         # Slices are global (every CPU's quantum ends at the multiples of q); a job whose slice\n\
         # ends goes back to its CPU's queue before the steal and the next choice, as in the\n\
         # script. A job of run time 0 still takes one tick there, written as a burst of 1.\n\
         name: {}\ncpus: {}\nseed: {}\npolicy: {{kind: rr, quantum: {}}}\n\
         rules: {{preempted_before_arrivals: true}}\n\
         scheduler: {{queues: {queues}{steal}, slices: global, skip_draws: {draws}}}\n\
         cache: {{size: {}, warmup: {}, warm_rate: {}}}\nprocesses:\n",
        quoted(&format!("OSTEP {command}")),
        args.num_cpus,
        args.seed.unsigned_abs(),
        args.quantum,
        args.cache_size,
        args.warmup_time,
        args.warm_rate,
    );
    for job in &jobs {
        let affinity = if job.affinity.is_empty() {
            String::new()
        } else {
            let cpus: Vec<String> = job.affinity.iter().map(u64::to_string).collect();
            format!(", affinity: [{}]", cpus.join(", "))
        };
        out.push_str(&format!(
            "  - {{name: {}, burst: {}, working_set: {}{affinity}}}\n",
            quoted(&job.name),
            job.run_time.max(1),
            job.working_set
        ));
    }
    Ok(out)
}

/// The script's `-c` answers, from running the translation.
pub fn multi_solution(args: &MultiArgs) -> Result<Solution, OstepError> {
    let yaml = multi_yaml(args)?;
    let scenario = Scenario::from_yaml(&yaml)
        .map_err(|error| OstepError(format!("the translation does not load: {error}")))?;
    let mut simulator = Simulator::new(scenario);
    simulator
        .run_to_end(DEFAULT_MAX_EVENTS)
        .map_err(|error| OstepError(format!("the translation does not run: {error}")))?;
    let report = RunReport::of(&simulator);
    Ok(Solution::Multi(MultiSolution::of(
        &report,
        &simulator.cpu_warm_ticks(),
    )?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_zero_gives_the_scripts_jobs() {
        // multi.py -s 0: Job name:0 run_time:80 working_set_size:150, 1: 40/50, 2: 50/80.
        let yaml = multi_yaml(&MultiArgs::default()).unwrap();
        assert!(
            yaml.contains("{name: \"0\", burst: 80, working_set: 150}"),
            "{yaml}"
        );
        assert!(yaml.contains("skip_draws: 6"));
    }
}
