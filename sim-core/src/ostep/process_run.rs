//! `process-run.py` (OSTEP chapter 4): processes of CPU and IO instructions on one CPU, with
//! the script's switch and IO-done behaviours.

use super::solution::{ProcessRunSolution, Solution, run_translation_logged};
use super::{OstepError, PythonRandom, quoted};

/// The script's flags, with its defaults.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProcessRunArgs {
    pub seed: i64,
    /// `-P`: programs such as `c7,i,c1,i:c3`, one per process, separated by `:`.
    pub program: String,
    /// `-l`: `X:Y,...`, X instructions each a CPU one with chance Y percent, else IO.
    pub process_list: String,
    pub io_length: u64,
    /// `-S`: `SWITCH_ON_IO` or `SWITCH_ON_END`.
    pub switch: String,
    /// `-I`: `IO_RUN_LATER` or `IO_RUN_IMMEDIATE`.
    pub io_done: String,
}

impl Default for ProcessRunArgs {
    fn default() -> Self {
        ProcessRunArgs {
            seed: 0,
            program: String::new(),
            process_list: String::new(),
            io_length: 5,
            switch: "SWITCH_ON_IO".into(),
            io_done: "IO_RUN_LATER".into(),
        }
    }
}

impl ProcessRunArgs {
    /// The flags as the script would be called with them.
    pub fn command_line(&self) -> String {
        let processes = if self.program.is_empty() {
            format!("-s {} -l {}", self.seed, self.process_list)
        } else {
            format!("-P {}", self.program)
        };
        format!(
            "process-run.py {processes} -L {} -S {} -I {}",
            self.io_length, self.switch, self.io_done
        )
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Instruction {
    Cpu,
    /// Issue an IO (one tick of CPU), wait for it, then one tick of CPU to handle its end.
    Io,
}

/// Each process's instructions, as the script builds them.
fn programs(args: &ProcessRunArgs) -> Result<Vec<Vec<Instruction>>, OstepError> {
    if !args.program.is_empty() {
        return args
            .program
            .split(':')
            .map(|program| {
                let mut code = Vec::new();
                for item in program.split(',') {
                    match item.split_at_checked(1) {
                        Some(("c", count)) => {
                            let count: usize = count.parse().map_err(|_| {
                                OstepError(format!("-P: `{item}`: expected cN, N a whole number"))
                            })?;
                            code.extend(std::iter::repeat_n(Instruction::Cpu, count));
                        }
                        Some(("i", "")) => code.push(Instruction::Io),
                        _ => {
                            return Err(OstepError(format!(
                                "-P: bad opcode `{item}` (should be cN or i)"
                            )));
                        }
                    }
                }
                Ok(code)
            })
            .collect();
    }
    if args.process_list.is_empty() {
        return Err(OstepError(
            "give the processes with -l X1:Y1,X2:Y2,... or -P c7,i,c1,i:...".into(),
        ));
    }
    let mut random = PythonRandom::seeded(args.seed);
    args.process_list
        .split(',')
        .map(|description| {
            let bad = || {
                OstepError(format!(
                    "-l: bad description `{description}`: must be X:Y, X the number of instructions and Y the percent chance that an instruction is CPU, not IO"
                ))
            };
            let (count, chance) = description.split_once(':').ok_or_else(bad)?;
            let count: usize = count.trim().parse().map_err(|_| bad())?;
            super::at_most("-l", count as u64)?;
            let chance_cpu = chance.trim().parse::<f64>().map_err(|_| bad())? / 100.0;
            Ok((0..count)
                .map(|_| {
                    if random.random() < chance_cpu {
                        Instruction::Cpu
                    } else {
                        Instruction::Io
                    }
                })
                .collect())
        })
        .collect()
}

/// A program as steps: CPU instructions run together as one burst; an IO is its issuing tick,
/// the IO, and the tick that handles its end.
fn steps(code: &[Instruction], io_length: u64) -> String {
    let mut steps = Vec::new();
    let mut cpu = 0;
    for instruction in code {
        cpu += 1;
        if *instruction == Instruction::Io {
            steps.push(format!("{{cpu: {cpu}}}"));
            steps.push(format!("{{io: {io_length}}}"));
            cpu = 1;
        }
    }
    if cpu > 0 {
        steps.push(format!("{{cpu: {cpu}}}"));
    }
    format!("[{}]", steps.join(", "))
}

/// The scenario YAML equivalent to the command line.
pub fn process_run_yaml(args: &ProcessRunArgs) -> Result<String, OstepError> {
    let switch = match args.switch.as_str() {
        "SWITCH_ON_IO" => "on_block",
        "SWITCH_ON_END" => "on_end",
        other => {
            return Err(OstepError(format!(
                "-S: `{other}` is neither SWITCH_ON_IO nor SWITCH_ON_END"
            )));
        }
    };
    let io_done = match args.io_done.as_str() {
        "IO_RUN_LATER" => "later",
        "IO_RUN_IMMEDIATE" => "immediate",
        other => {
            return Err(OstepError(format!(
                "-I: `{other}` is neither IO_RUN_LATER nor IO_RUN_IMMEDIATE"
            )));
        }
    };
    let programs = programs(args)?;
    if programs.iter().all(Vec::is_empty) {
        return Err(OstepError("no process has an instruction".into()));
    }
    let command = args.command_line();
    let mut out = format!(
        "# Generated by procsim from OSTEP's `{command}`.\n\
         # The same processes; `procsim run` on this file gives the script's -c -p answers:\n\
         # total time = makespan, CPU busy = the processes' CPU time, each process's last\n\
         # instruction = its completion. An `i` instruction is one tick of CPU to issue the IO,\n\
         # the IO, and one tick of CPU to handle its end (the script's io_done).\n\
         name: {}\n\
         policy: {{kind: fcfs, order: cyclic, switch: {switch}, io_done: {io_done}}}\n\
         processes:\n",
        quoted(&format!("OSTEP {command}")),
    );
    for (index, code) in programs.iter().enumerate() {
        if code.is_empty() {
            return Err(OstepError(format!(
                "process {index} has no instruction (procsim needs at least one)"
            )));
        }
        out.push_str(&format!(
            "  - {{name: PID{index}, program: {}}}\n",
            steps(code, args.io_length)
        ));
    }
    Ok(out)
}

/// The script's `-c -p` answers, from running the translation.
pub fn process_run_solution(args: &ProcessRunArgs) -> Result<Solution, OstepError> {
    let (report, simulator) = run_translation_logged(&process_run_yaml(args)?)?;
    Ok(Solution::ProcessRun(ProcessRunSolution::of(
        &report,
        simulator.log(),
    )?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instructions_become_bursts_and_ios() {
        let args = ProcessRunArgs {
            program: "c2,i,c1,i:c3".into(),
            io_length: 4,
            ..ProcessRunArgs::default()
        };
        let yaml = process_run_yaml(&args).unwrap();
        assert!(
            yaml.contains(
                "{name: PID0, program: [{cpu: 3}, {io: 4}, {cpu: 3}, {io: 4}, {cpu: 1}]}"
            ),
            "{yaml}"
        );
        assert!(yaml.contains("{name: PID1, program: [{cpu: 3}]}"));
    }

    #[test]
    fn a_seed_gives_the_scripts_instructions() {
        // process-run.py -s 1 -l 3:50,2:100 prints: Process 0: cpu, io, io_done, io, io_done;
        // Process 1: cpu, cpu.
        let args = ProcessRunArgs {
            seed: 1,
            process_list: "3:50,2:100".into(),
            ..ProcessRunArgs::default()
        };
        let yaml = process_run_yaml(&args).unwrap();
        assert!(
            yaml.contains("program: [{cpu: 2}, {io: 5}, {cpu: 2}, {io: 5}, {cpu: 1}]"),
            "{yaml}"
        );
        assert!(yaml.contains("{name: PID1, program: [{cpu: 2}]}"));
    }
}
