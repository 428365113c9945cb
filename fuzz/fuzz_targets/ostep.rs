//! The `procsim ostep` translations on any flags (numbers kept to sizes a run finishes quickly
//! on; lists and names any text): a translation either fails with a message naming the flag, or
//! writes a scenario procsim reads back as valid, and the script's solution computes.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use sim_core::Scenario;
use sim_core::ostep::*;

#[derive(Arbitrary, Debug)]
enum Script {
    Scheduler { seed: i64, jobs: u8, jlist: String, maxlen: u8, policy: String, quantum: u8 },
    Lottery { seed: i64, jobs: u8, jlist: String, maxlen: u8, maxticket: u8, quantum: u8 },
    Mlfq {
        seed: i64,
        queues: u8,
        quantum: u8,
        allotment: u8,
        quantum_list: String,
        allotment_list: String,
        jobs: u8,
        maxlen: u8,
        maxio: u8,
        boost: u8,
        io_time: u8,
        stay: bool,
        iobump: bool,
        jlist: String,
    },
    ProcessRun { seed: i64, program: String, list: String, io_length: u8, switch: bool, io_now: bool },
    Fork { seed: i64, percent: f64, actions: u8, list: String, leaf_only: bool, local: bool },
}

fn reads_back(yaml: Result<String, OstepError>) {
    if let Ok(yaml) = yaml
        && let Err(error) = Scenario::from_yaml(&yaml)
    {
        panic!("a translation does not read back: {}\n{yaml}", error.one_line("ostep"));
    }
}

fuzz_target!(|script: Script| {
    match script {
        Script::Scheduler { seed, jobs, jlist, maxlen, policy, quantum } => {
            let args = SchedulerArgs {
                seed,
                jobs: jobs.into(),
                jlist,
                maxlen: maxlen.into(),
                policy,
                quantum: quantum.into(),
            };
            reads_back(scheduler_yaml(&args));
            let _ = scheduler_solution(&args);
        }
        Script::Lottery { seed, jobs, jlist, maxlen, maxticket, quantum } => {
            let args = LotteryArgs {
                seed,
                jobs: jobs.into(),
                jlist,
                maxlen: maxlen.into(),
                maxticket: maxticket.into(),
                quantum: quantum.into(),
            };
            reads_back(lottery_yaml(&args));
            let _ = lottery_solution(&args);
        }
        Script::Mlfq {
            seed,
            queues,
            quantum,
            allotment,
            quantum_list,
            allotment_list,
            jobs,
            maxlen,
            maxio,
            boost,
            io_time,
            stay,
            iobump,
            jlist,
        } => {
            let args = MlfqArgs {
                seed,
                num_queues: queues.into(),
                quantum: quantum.into(),
                allotment: allotment.into(),
                quantum_list,
                allotment_list,
                num_jobs: jobs.into(),
                maxlen: maxlen.into(),
                maxio: maxio.into(),
                boost: boost.into(),
                io_time: io_time.into(),
                stay,
                iobump,
                jlist,
                ..MlfqArgs::default()
            };
            reads_back(mlfq_yaml(&args));
            let _ = mlfq_solution(&args);
        }
        Script::ProcessRun { seed, program, list, io_length, switch, io_now } => {
            let args = ProcessRunArgs {
                seed,
                program,
                process_list: list,
                io_length: io_length.into(),
                switch: if switch { "SWITCH_ON_IO" } else { "SWITCH_ON_END" }.into(),
                io_done: if io_now { "IO_RUN_IMMEDIATE" } else { "IO_RUN_LATER" }.into(),
                ..ProcessRunArgs::default()
            };
            reads_back(process_run_yaml(&args));
            let _ = process_run_solution(&args);
        }
        Script::Fork { seed, percent, actions, list, leaf_only, local } => {
            let args = ForkArgs {
                seed,
                fork_percentage: percent,
                action_list: list,
                actions: actions.into(),
                leaf_only,
                local_reparent: local,
                ..ForkArgs::default()
            };
            reads_back(fork_yaml(&args));
            let _ = fork_solution(&args);
        }
    }
});
