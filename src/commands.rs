//! What each subcommand does: read files, call the core, print.

use crate::cli::{
    CheckArgs, ImportCommand, OstepAnswersArgs, OstepCommand, OstepFormat, PsArgs, PsFormat,
    PstreeArgs, RunArgs, RunFormat,
};
use sim_core::exercise::Problem;
use sim_core::ostep;
use sim_core::render;
use sim_core::report::ExpectedOutcome;
use sim_core::text;
use sim_core::{RunReport, Scenario, Simulator, Tick};
use std::path::Path;
use std::process::ExitCode;

/// Exit code when a scenario cannot be read or is invalid.
pub const EXIT_BAD_SCENARIO: u8 = 1;
/// Exit code for bad command-line usage (as clap uses).
pub const EXIT_USAGE: u8 = 2;
/// Exit code when a run hits a limit.
pub const EXIT_LIMIT: u8 = 3;
/// Exit code when a scenario's own `expected:` answers do not match its run.
pub const EXIT_EXPECTED: u8 = 4;
/// `check --ties`: an answer depends on a same-tick rule.
pub const EXIT_TIES: u8 = 5;

pub use crate::input::DEFAULT_MAX_INPUT_BYTES;

/// `--max-input-bytes`, set once by `main` from the command line.
static MAX_INPUT_BYTES: std::sync::atomic::AtomicU64 =
    std::sync::atomic::AtomicU64::new(DEFAULT_MAX_INPUT_BYTES);

/// Sets the largest scenario, exercise or template file read.
pub fn set_max_input_bytes(bytes: u64) {
    MAX_INPUT_BYTES.store(bytes, std::sync::atomic::Ordering::Relaxed);
}

/// The largest scenario, exercise or template file read.
pub fn max_input_bytes() -> u64 {
    MAX_INPUT_BYTES.load(std::sync::atomic::Ordering::Relaxed)
}

/// A failure to report on stderr, with the exit code it maps to, and what to print on stdout
/// before it (a batch reports the files that were fine; a run whose expected answers differ
/// still prints its report).
pub struct Failure {
    pub message: String,
    pub code: u8,
    pub output: String,
}

impl Failure {
    /// A failure with nothing to print on stdout.
    pub fn new(message: String, code: u8) -> Failure {
        Failure {
            message,
            code,
            output: String::new(),
        }
    }

    pub fn exit(self) -> ExitCode {
        let _ = std::io::Write::write_all(&mut std::io::stdout(), self.output.as_bytes());
        // Escaped here, once for every message: whatever file name or text a message carries
        // reaches the terminal without its control characters or bidi overrides.
        note(self.message.trim_end());
        ExitCode::from(self.code)
    }
}

/// Writes `message` and a line break on stderr, escaped for a terminal
/// (`sim_core::text::escape_for_terminal`): every message of the command goes through here.
pub fn note(message: &str) {
    eprintln!("{}", sim_core::text::escape_for_terminal(message));
}

/// Reads and validates a scenario file, naming the file in every error.
pub fn load_scenario(path: &Path) -> Result<Scenario, Failure> {
    load_scenario_with(path, Scenario::from_yaml)
}

/// `load_with` for the commands that simulate: a matrix exercise given to one of them is named
/// as such, with the command that solves it, instead of the scenario fields it lacks.
pub fn load_scenario_with<T>(
    path: &Path,
    parse: impl FnOnce(&str) -> Result<T, sim_core::ScenarioError>,
) -> Result<T, Failure> {
    let mut a_matrix = false;
    load_with(path, |text| {
        parse(text).inspect_err(|_| {
            a_matrix = sim_core::exercise::Exercise::from_yaml(text)
                .is_ok_and(|exercise| exercise.matrix().is_some());
        })
    })
    .map_err(|failure| match a_matrix {
        true => {
            let origin = origin_of(path);
            Failure::new(
                format!(
                    "error: {origin}: a matrix exercise, not a scenario to simulate: use `procsim analyze {origin}`"
                ),
                EXIT_BAD_SCENARIO,
            )
        }
        false => failure,
    })
}

/// Reads a scenario or a matrix exercise, naming the file in every error.
pub fn load_exercise(path: &Path) -> Result<sim_core::exercise::Exercise, Failure> {
    load_with(path, sim_core::exercise::Exercise::from_yaml)
}

/// Reads `path` (`-`: standard input) and parses it with `parse`; every error names the file
/// (and the line and column, or the field). Only regular files are read, up to the YAML size
/// limit.
pub fn load_with<T>(
    path: &Path,
    parse: impl FnOnce(&str) -> Result<T, sim_core::ScenarioError>,
) -> Result<T, Failure> {
    let origin = origin_of(path);
    crate::memory::working_on(&origin);
    let text = crate::input::read_text(path, max_input_bytes())
        .map_err(|error| Failure::new(format!("error: {origin}: {error}"), EXIT_BAD_SCENARIO))?;
    parse(&text).map_err(|error| Failure::new(error.detailed(&origin), EXIT_BAD_SCENARIO))
}

/// The exercise of `text` run with `seed` in place of its own: a scenario is validated again
/// with it (a `workload:` is generated anew). Its `expected:` answers hold for its own seed
/// only: under another they are dropped, with a note.
fn reseeded(
    text: &str,
    seed: u64,
) -> Result<sim_core::exercise::Exercise, sim_core::ScenarioError> {
    let mut exercise = sim_core::exercise::Exercise::from_yaml(text)?;
    if let Problem::Scenario(scenario) = &mut exercise.problem
        && scenario.seed != seed
    {
        **scenario = Scenario::reseedable(text)?.with_seed(seed)?;
        if exercise.expected.take().is_some() {
            note(&format!(
                "note: the scenario's expected answers are for its seed; with --seed {seed} they are not checked"
            ));
        }
    }
    Ok(exercise)
}

/// How a path is named in messages (`<stdin>` for `-`).
/// A path as an error message prints it: controls and bidi overrides escaped.
pub fn shown_path(path: &Path) -> String {
    sim_core::text::escape_controls(&path.display().to_string())
}

pub fn origin_of(path: &Path) -> String {
    if path.as_os_str() == "-" {
        "<stdin>".to_string()
    } else {
        path.display().to_string()
    }
}

pub fn run(args: RunArgs) -> Result<String, Failure> {
    let mut exercise = match args.seed {
        None => load_exercise(&args.scenario)?,
        Some(seed) => load_with(&args.scenario, |text| reseeded(text, seed))?,
    };
    if let Some(schedule) = &args.schedule {
        let choices = sim_core::explore::parse_schedule(schedule)
            .map_err(|message| Failure::new(format!("error: --schedule: {message}"), EXIT_USAGE))?;
        if let Problem::Scenario(scenario) = &mut exercise.problem {
            scenario.schedule = Some(sim_core::scenario::Schedule {
                preemptions: args.preemptions,
                ..sim_core::scenario::Schedule::new(choices)
            });
            if exercise.expected.take().is_some() {
                note(
                    "note: the scenario's expected answers are for its own order; with --schedule they are not checked",
                );
            }
        }
    }
    let limit = &limit_failure(&args.scenario);
    // The expected answers are checked first, so that the scenario can then move into the run
    // (a million processes are not copied).
    let expected = sim_core::grading::check_expected(&exercise, args.max_events).map_err(limit)?;
    let scenario = match exercise.problem {
        Problem::Scenario(scenario) => *scenario,
        // A matrix exercise has nothing to simulate: `run` solves it as `analyze` does, and
        // says that `analyze` is its command.
        Problem::Matrix(matrix) => {
            note(&format!(
                "note: {0} is a matrix exercise, not a scenario: `procsim analyze {0}` solves it (printed below)",
                origin_of(&args.scenario)
            ));
            let out = match args.format {
                RunFormat::Json => to_json(&matrix.analyze()),
                _ => sim_core::matrix::explain(&matrix),
            };
            // Its `expected:` answers are checked as a scenario's, the differences on stderr
            // (its report is `analyze`'s, unchanged).
            return checked_against_expected(&args.scenario, out, expected.as_ref(), false);
        }
    };
    let format = if args.trace {
        RunFormat::Trace
    } else {
        args.format
    };
    if format == RunFormat::Jsonl {
        if args.explain || args.summary {
            return Err(Failure::new(
                "error: --format jsonl prints the event log; it takes neither --explain nor --summary".into(),
                EXIT_USAGE,
            ));
        }
        stream_lines(
            Simulator::new(scenario),
            args.at.map(Tick),
            args.max_events,
            |timed, _, _| render::event_line(timed),
        )
        .map_err(limit)?;
        return checked_against_expected(&args.scenario, String::new(), expected.as_ref(), false);
    }
    // A trace is written as the run goes, like the JSON lines: no log is kept.
    if format == RunFormat::Trace && !args.explain && args.at.is_none() {
        stream_lines(
            Simulator::new(scenario),
            None,
            args.max_events,
            |timed, scenario, roster| render::trace_line(scenario, roster, timed),
        )
        .map_err(limit)?;
        return checked_against_expected(&args.scenario, String::new(), expected.as_ref(), false);
    }
    // A plain report needs no event log, nor even a simulator here: the run is folded as it
    // goes, in memory that grows with the processes, not the events.
    let plain = args.at.is_none()
        && !args.explain
        && !matches!(format, RunFormat::Trace | RunFormat::Perfetto);
    let mut out = String::new();
    let mut report = if plain {
        if args.summary {
            sim_core::report::run_streamed_without_chart(scenario, args.max_events)
        } else {
            sim_core::report::run_streamed(scenario, args.max_events)
        }
        .map_err(limit)?
    } else {
        let mut simulator = Simulator::new(scenario);
        if args.explain {
            out.push_str(&render::rules_text(
                simulator.scenario(),
                &simulator.policy_rules(),
            ));
            out.push('\n');
        }
        if let (Some(at), Some(event)) = (args.at, args.event) {
            return state_after_event(
                simulator,
                (at, event),
                args.format,
                (args.max_events, &args.scenario),
            );
        }
        if let Some(at) = args.at {
            // Only the state at `at` is printed: the run to it keeps no event log.
            simulator.set_sink(Box::new(sim_core::engine::DiscardEvents));
            simulator
                .advance_to(Tick(at), args.max_events)
                .map_err(limit)?;
            let snapshot = simulator.snapshot();
            if args.format == RunFormat::Json {
                out.push_str(&to_json(&snapshot));
            } else {
                out.push_str(&render::snapshot_text(simulator.scenario(), &snapshot));
            }
            return Ok(out);
        }
        if args.explain {
            out.push_str(&explained_run(&mut simulator, args.max_events).map_err(limit)?);
            out.push('\n');
            if simulator.scenario().schedule.is_some() {
                out.push_str("The schedule's choices:\n");
                for line in sim_core::explore::explain_choices(&simulator) {
                    out.push_str(&format!("  {line}\n"));
                }
                out.push('\n');
            }
        } else {
            simulator.run_to_end(args.max_events).map_err(limit)?;
        }
        let report = RunReport::of(&simulator);
        match format {
            RunFormat::Trace if !args.explain => out.push_str(&render::trace_text(
                simulator.scenario(),
                simulator.roster(),
                simulator.log(),
            )),
            RunFormat::Perfetto => out.push_str(&render::perfetto_json(
                simulator.scenario(),
                simulator.roster(),
                simulator.log(),
                Tick(report.makespan),
                args.tick_us.max(1),
            )),
            _ => {}
        }
        report
    };
    report.expected = expected;
    match format {
        RunFormat::Trace | RunFormat::Perfetto | RunFormat::Jsonl => {}
        RunFormat::Json if args.summary => {
            out.push_str(&to_json(&sim_core::report::RunSummary::of(&report)))
        }
        RunFormat::Json => {
            // A report of a million processes is most of a gigabyte of JSON: it goes out as it
            // is written, after what came before it, instead of being gathered in memory.
            write_json_to_stdout(&out, &report);
            out.clear();
        }
        RunFormat::Text if args.summary => out.push_str(&render::summary_text(&report)),
        RunFormat::Svg => out.push_str(&render::gantt_svg_with_jobs(
            &report.gantt,
            report.cpus,
            &report.scenario,
            &report.jobs,
        )),
        RunFormat::Csv => out.push_str(&render::processes_csv(&report)),
        RunFormat::Text => {
            out.push_str(&render::report_text(&report));
            if let Some(expected) = &report.expected {
                out.push_str(&expected_summary(expected));
            }
        }
    }
    checked_against_expected(&args.scenario, out, report.expected.as_ref(), false)
}

/// `out`, then (when `summarize`, for a text report) the line saying whether the file's
/// `expected:` answers hold; an error naming each answer that differs, with `out` still
/// printed, when one does.
pub fn checked_against_expected(
    path: &Path,
    mut out: String,
    expected: Option<&ExpectedOutcome>,
    summarize: bool,
) -> Result<String, Failure> {
    if summarize && let Some(expected) = expected {
        out.push_str(&expected_summary(expected));
    }
    match expected_failure(path, expected) {
        Some(message) => Err(Failure {
            message,
            code: EXIT_EXPECTED,
            output: out,
        }),
        None => Ok(out),
    }
}

/// The error of a scenario whose `expected:` answers differ from its run, naming each one.
fn expected_failure(path: &Path, expected: Option<&ExpectedOutcome>) -> Option<String> {
    let expected = expected.filter(|expected| !expected.ok)?;
    let mut message = format!(
        "error: {}: {} of the scenario's expected answers differ from the run",
        path.display(),
        expected.differences.len()
    );
    for difference in &expected.differences {
        message.push_str(&format!(
            "\n  {}: the scenario expects {}, the run gives {}",
            difference.question, difference.expected, difference.got
        ));
    }
    Some(message)
}

/// Most ready processes `--explain` names after an instant; the rest are counted, so that the
/// walk-through grows with the events, not with events × queue length.
const EXPLAIN_QUEUE_NAMES: usize = 20;

/// Runs instant by instant, printing each instant's events and the ready queue after it.
fn explained_run(
    simulator: &mut Simulator,
    max_events: usize,
) -> Result<String, sim_core::RunError> {
    let mut out = String::from("Trace (ready queue after each instant):\n");
    simulator.set_event_limit(max_events);
    while let Some(step) = simulator.step() {
        simulator.check_time()?;
        if simulator.log().len() > max_events {
            return Err(sim_core::RunError::EventLimit {
                limit: max_events,
                time: step.time,
            });
        }
        let events = &simulator.log()[step.events];
        out.push_str(&render::trace_text(
            simulator.scenario(),
            simulator.roster(),
            events,
        ));
        let ready: Vec<sim_core::Pid> = simulator.ready_queues().into_iter().flatten().collect();
        let queue: Vec<&str> = ready
            .iter()
            .take(EXPLAIN_QUEUE_NAMES)
            .map(|&pid| simulator.roster().name(pid))
            .collect();
        let more = match ready.len().saturating_sub(EXPLAIN_QUEUE_NAMES) {
            0 => String::new(),
            more => format!(" … and {more} more"),
        };
        out.push_str(&format!(
            "{:>6}  {:<9} [{}{more}]\n",
            "",
            "ready",
            queue.join(" ")
        ));
    }
    Ok(out)
}

/// One line saying whether the scenario's `expected:` answers hold, and which do not.
fn expected_summary(expected: &ExpectedOutcome) -> String {
    if expected.ok {
        return "Expected answers (from the scenario): all match\n".to_string();
    }
    let mut out = format!(
        "Expected answers (from the scenario): {} differ\n",
        expected.differences.len()
    );
    for difference in &expected.differences {
        out.push_str(&format!(
            "  {}: the scenario expects {}, the run gives {}\n",
            difference.question, difference.expected, difference.got
        ));
    }
    out
}

/// The snapshot of the scenario at `path` at time `at`.
fn snapshot_at(
    path: &Path,
    at: u64,
    max_events: usize,
) -> Result<sim_core::snapshot::Snapshot, Failure> {
    let mut simulator = Simulator::new(load_scenario(path)?);
    // Only the state at `at` is wanted: the run to it keeps no event log.
    simulator.set_sink(Box::new(sim_core::engine::DiscardEvents));
    simulator
        .advance_to(Tick(at), max_events)
        .map_err(|error| Failure::new(format!("error: {}: {error}", path.display()), EXIT_LIMIT))?;
    Ok(simulator.snapshot())
}

pub fn ps(args: PsArgs) -> Result<String, Failure> {
    let snapshot = snapshot_at(&args.scenario, args.at, args.max_events)?;
    Ok(match args.format {
        PsFormat::Text => sim_core::ps::ps_text(&snapshot, args.threads),
        PsFormat::Json => to_json(&sim_core::ps::ps_rows(&snapshot, args.threads)),
    })
}

pub fn pstree(args: PstreeArgs) -> Result<String, Failure> {
    let snapshot = snapshot_at(&args.scenario, args.at, args.max_events)?;
    Ok(sim_core::ps::pstree_text(&snapshot))
}

pub fn check(args: CheckArgs) -> Result<String, Failure> {
    let mut out = String::new();
    let mut invalid = Vec::new();
    let mut differing = Vec::new();
    let mut tied = Vec::new();
    for path in &args.scenarios {
        let exercise = match load_exercise(path) {
            Ok(exercise) => exercise,
            Err(failure) => {
                invalid.push(failure.message);
                continue;
            }
        };
        out.push_str(&format!(
            "ok: {}: {}\n",
            path.display(),
            summary(&exercise.problem)
        ));
        // Known answers are checked by running the scenario, as `run` does.
        match sim_core::grading::check_expected(&exercise, args.max_events) {
            Ok(outcome) => {
                if let Some(message) = expected_failure(path, outcome.as_ref()) {
                    differing.push(message);
                }
            }
            Err(error) => invalid.push(format!("error: {}: {error}", path.display())),
        }
        if args.ties
            && let Some(scenario) = exercise.scenario()
        {
            match sim_core::ties::check_ties(scenario, args.max_events) {
                Ok(ties) if ties.is_empty() => out.push_str(&format!(
                    "no ties: {}: no answer depends on a same-tick rule\n",
                    path.display()
                )),
                Ok(ties) => {
                    out.push_str(&format!(
                        "ties: {}: {} rule{} would change answers\n{}",
                        path.display(),
                        ties.len(),
                        if ties.len() == 1 { "" } else { "s" },
                        sim_core::ties::ties_text(&ties)
                    ));
                    tied.push(format!(
                        "note: {}: answers depend on a same-tick rule (listed above)",
                        path.display()
                    ));
                }
                Err(error) => invalid.push(format!("error: {}: {error}", path.display())),
            }
        }
    }
    // A batch loses nothing: every file is reported, the good ones on stdout.
    let (messages, code) = if !invalid.is_empty() {
        (
            invalid.into_iter().chain(differing).collect::<Vec<_>>(),
            EXIT_BAD_SCENARIO,
        )
    } else if !differing.is_empty() {
        (differing, EXIT_EXPECTED)
    } else if !tied.is_empty() {
        (tied, EXIT_TIES)
    } else {
        return Ok(out);
    };
    Err(Failure {
        message: messages.join("\n"),
        code,
        output: out,
    })
}

/// What `check` says of a valid file.
fn summary(problem: &Problem) -> String {
    match problem {
        Problem::Matrix(matrix) => format!(
            "{} (matrix exercise: {}, {} processes; run `procsim analyze`)",
            matrix.name,
            match matrix.mode {
                sim_core::matrix::Mode::Banker => "banker's algorithm",
                sim_core::matrix::Mode::Detection => "deadlock detection",
            },
            matrix.processes.len()
        ),
        Problem::Scenario(scenario) => format!(
            "{} ({}{}, {}, {})",
            scenario.name,
            text::count_of(scenario.processes.len(), "process", "processes"),
            // A task set's processes are mostly its jobs.
            scenario
                .realtime
                .as_ref()
                .map_or(String::new(), |realtime| format!(
                    ": {} of {}",
                    text::count_of(realtime.jobs.len(), "job", "jobs"),
                    text::count_of(realtime.tasks.len(), "task", "tasks")
                )),
            scenario.policy.describe(),
            text::count_of(scenario.cpus, "CPU", "CPUs"),
        ),
    }
}

pub fn import(command: ImportCommand) -> Result<String, Failure> {
    let ImportCommand::Swf(args) = command;
    let origin = origin_of(&args.file);
    crate::memory::working_on(&origin);
    let text = crate::input::read_text(&args.file, max_input_bytes())
        .map_err(|error| Failure::new(format!("error: {origin}: {error}"), EXIT_BAD_SCENARIO))?;
    let name = args.name.unwrap_or_else(|| {
        args.file.file_name().map_or_else(
            || "imported trace".to_string(),
            |n| n.to_string_lossy().into_owned(),
        )
    });
    let options = sim_core::swf::SwfOptions {
        name,
        cpus: args.cpus,
        policy: args.policy,
        per_processor: args.per_processor,
        max_jobs: args.jobs,
    };
    let bar = crate::progress::bar(
        text.len() as u64,
        "import {bar:40} {bytes}/{total_bytes} {eta}",
    );
    let imported = sim_core::swf::swf_yaml_with_progress(&text, &options, &mut |read| {
        bar.set_position(read as u64)
    });
    bar.finish_and_clear();
    imported.map_err(|error| match error.line {
        Some(line) => Failure::new(
            format!("error: {origin}:{line}: {}", error.message),
            EXIT_BAD_SCENARIO,
        ),
        None => Failure::new(format!("error: {}", error.message), EXIT_USAGE),
    })
}

pub fn ostep(command: OstepCommand) -> Result<String, Failure> {
    let result = match command {
        OstepCommand::ProcessRun(args) => {
            let translated = ostep::ProcessRunArgs {
                seed: args.seed,
                program: args.program,
                process_list: args.process_list,
                io_length: args.io_length,
                switch: args.switch,
                io_done: args.io_done,
            };
            ostep_output(
                &args.answers,
                || ostep::process_run_yaml(&translated),
                || ostep::process_run_solution(&translated),
            )
        }
        OstepCommand::Scheduler(args) => {
            let translated = ostep::SchedulerArgs {
                seed: args.seed,
                jobs: args.jobs,
                jlist: args.jlist,
                maxlen: args.maxlen,
                policy: args.policy,
                quantum: args.quantum,
            };
            ostep_output(
                &args.answers,
                || ostep::scheduler_yaml(&translated),
                || ostep::scheduler_solution(&translated),
            )
        }
        OstepCommand::Mlfq(args) => {
            let translated = ostep::MlfqArgs {
                seed: args.seed,
                num_queues: args.num_queues,
                quantum: args.quantum,
                allotment: args.allotment,
                quantum_list: args.quantum_list,
                allotment_list: args.allotment_list,
                num_jobs: args.num_jobs,
                maxlen: args.maxlen,
                maxio: args.maxio,
                boost: args.boost,
                io_time: args.io_time,
                stay: args.stay,
                iobump: args.iobump,
                jlist: args.jlist,
            };
            ostep_output(
                &args.answers,
                || ostep::mlfq_yaml(&translated),
                || ostep::mlfq_solution(&translated),
            )
        }
        OstepCommand::Fork(args) => {
            let translated = ostep::ForkArgs {
                seed: args.seed,
                fork_percentage: args.forks,
                action_list: args.action_list,
                actions: args.actions,
                print_style: args.print_style,
                leaf_only: args.leaf_only,
                local_reparent: args.local_reparent,
            };
            ostep_output(
                &args.answers,
                || ostep::fork_yaml(&translated),
                || ostep::fork_solution(&translated),
            )
        }
        OstepCommand::Multi(args) => {
            let translated = ostep::MultiArgs {
                seed: args.seed,
                job_num: args.job_num,
                max_run: args.max_run,
                max_wset: args.max_wset,
                job_list: args.job_list,
                per_cpu_queues: args.per_cpu_queues,
                affinity: args.affinity,
                num_cpus: args.num_cpus,
                quantum: args.quantum,
                peek_interval: args.peek_interval,
                warmup_time: args.warmup_time,
                warm_rate: args.warm_rate,
                cache_size: args.cache_size,
                random_order: args.rand_order,
            };
            ostep_output(
                &args.answers,
                || ostep::multi_yaml(&translated),
                || ostep::multi_solution(&translated),
            )
        }
        OstepCommand::Lottery(args) => {
            let translated = ostep::LotteryArgs {
                seed: args.seed,
                jobs: args.jobs,
                jlist: args.jlist,
                maxlen: args.maxlen,
                maxticket: args.maxticket,
                quantum: args.quantum,
            };
            ostep_output(
                &args.answers,
                || ostep::lottery_yaml(&translated),
                || ostep::lottery_solution(&translated),
            )
        }
    };
    result.map_err(|error| Failure::new(format!("error: {error}"), EXIT_USAGE))
}

/// The translation, or with `-c` the script's answers from running it.
fn ostep_output(
    answers: &OstepAnswersArgs,
    yaml: impl FnOnce() -> Result<String, ostep::OstepError>,
    solve: impl FnOnce() -> Result<ostep::Solution, ostep::OstepError>,
) -> Result<String, ostep::OstepError> {
    if !answers.solve {
        return yaml();
    }
    let solution = solve()?;
    Ok(match answers.format {
        OstepFormat::Text => solution.text(),
        OstepFormat::Json => to_json(&solution),
    })
}

/// Runs `simulator` (up to `until`, or to the end), writing each event to standard output as
/// JSON Lines as it happens; no event is kept, so a run of any length — or an instant of
/// millions of events — needs memory for its state only.
fn stream_lines(
    mut simulator: Simulator,
    until: Option<Tick>,
    max_events: usize,
    line: EventLine,
) -> Result<(), sim_core::RunError> {
    use std::io::Write;
    simulator.set_event_limit(max_events);
    simulator.set_sink(Box::new(LineSink {
        out: std::io::BufWriter::with_capacity(1 << 16, std::io::stdout()),
        line,
    }));
    let result = loop {
        if let Err(error) = simulator.check_time() {
            break Err(error);
        }
        match simulator.next_instant() {
            Some(next) if until.is_none_or(|until| next <= until) => {}
            _ => break Ok(()),
        }
        simulator.step();
        if simulator.events_logged() > max_events {
            break Err(sim_core::RunError::EventLimit {
                limit: max_events,
                time: simulator.now(),
            });
        }
    };
    if let Some(LineSink { mut out, .. }) = simulator.take_sink::<LineSink>() {
        let _ = out.flush();
    }
    result
}

/// How an event is written as one line.
type EventLine =
    fn(&sim_core::TimedEvent, &sim_core::Scenario, &sim_core::roster::Roster) -> String;

/// Writes each event as a line on standard output, as it happens: JSON (`--format jsonl`) or
/// the trace's words (`--trace`). Nothing of the log is kept, so a run of any length prints
/// its trace in the memory of its state.
struct LineSink {
    out: std::io::BufWriter<std::io::Stdout>,
    line: EventLine,
}

impl sim_core::EventSink for LineSink {
    fn event(
        &mut self,
        timed: &sim_core::TimedEvent,
        scenario: &sim_core::Scenario,
        roster: &sim_core::roster::Roster,
    ) {
        use std::io::Write;
        let _ = writeln!(self.out, "{}", (self.line)(timed, scenario, roster));
    }
}

/// Prints `before`, then `value` as [`to_json`] would write it, straight to standard output.
/// A closed pipe (e.g. `| head`) ends the output quietly, as for any other output.
fn write_json_to_stdout<T: serde::Serialize>(before: &str, value: &T) {
    use std::io::Write;
    let mut stdout = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    let _ = stdout
        .write_all(before.as_bytes())
        .and_then(|()| serde_json::to_writer_pretty(&mut stdout, value).map_err(Into::into))
        .and_then(|()| stdout.write_all(b"\n"))
        .and_then(|()| stdout.flush());
}

pub fn to_json<T: serde::Serialize>(value: &T) -> String {
    let mut text = serde_json::to_string_pretty(value).expect("reports serialize to JSON");
    text.push('\n');
    text
}

/// `run --at T --event K`: the state after the K-th event of the instant at T, with those
/// events in words (text), or the state with `event` and `events` (JSON).
fn state_after_event(
    mut simulator: Simulator,
    (at, event): (u64, usize),
    format: RunFormat,
    (max_events, path): (usize, &Path),
) -> Result<String, Failure> {
    let limit = &limit_failure(path);
    if at > 0 {
        simulator
            .advance_to(Tick(at - 1), max_events)
            .map_err(limit)?;
    }
    if simulator.next_instant() != Some(Tick(at)) {
        let next = match simulator.next_instant() {
            Some(next) => format!("the next instant is t={next}"),
            None => "the run is over by then".to_string(),
        };
        return Err(Failure::new(
            format!(
                "error: --event: nothing happens at t={at} ({next}); --at T --event K needs an instant with events"
            ),
            EXIT_USAGE,
        ));
    }
    let start = simulator.log().len();
    simulator.set_event_limit(max_events);
    let cut = simulator
        .step_to_event(event)
        .ok_or_else(|| Failure::new(format!("error: nothing happens at t={at}"), EXIT_USAGE))?;
    if simulator.is_over_event_limit() {
        return Err(limit(sim_core::RunError::EventLimit {
            limit: max_events,
            time: Tick(at),
        }));
    }
    if event > cut.events {
        return Err(Failure::new(
            format!(
                "error: --event {event}: the instant at t={at} has {} event{}; give 0 to {}",
                cut.events,
                sim_core::text::plural_s(cut.events),
                cut.events
            ),
            EXIT_USAGE,
        ));
    }
    if format == RunFormat::Json {
        let mut json = serde_json::to_value(&cut.snapshot).expect("snapshots serialize to JSON");
        if let Some(object) = json.as_object_mut() {
            object.insert("event".into(), cut.event.into());
            object.insert("events".into(), cut.events.into());
        }
        return Ok(to_json(&json));
    }
    let mut out = format!("At t={at}, after event {} of {}:\n", cut.event, cut.events);
    let happened = &simulator.log()[start..start + cut.event];
    for (number, timed) in happened.iter().enumerate() {
        let words =
            sim_core::narrate::describe(&timed.event, simulator.scenario(), simulator.roster());
        out.push_str(&format!(
            "  {}. {}\n",
            number + 1,
            sim_core::text::escape_controls(&words)
        ));
    }
    out.push('\n');
    out.push_str(&render::snapshot_text(simulator.scenario(), &cut.snapshot));
    Ok(out)
}

/// `procsim explore`: every outcome over the scenario's choice points.
pub fn explore(args: crate::cli::ExploreArgs) -> Result<String, Failure> {
    use sim_core::explore::{ExploreOptions, Sample, explain_schedule};
    let scenario = load_scenario(&args.scenario)?;
    let limit = limit_failure(&args.scenario);
    let options = ExploreOptions {
        max_runs: args.max_runs,
        max_events: args.max_events,
        preemptions: args.preemptions,
        sample: args.sample.map(|runs| Sample {
            runs,
            seed: args.seed,
        }),
    };
    let bar = crate::progress::bar(options.max_runs, "explore {bar:30} {pos}/{len} runs, {msg}");
    let exploration =
        sim_core::explore::explore_with_progress(&scenario, options, &mut |progress| {
            if progress.runs % 64 == 0 || progress.runs == 1 {
                bar.set_length(progress.limit);
                bar.set_position(progress.runs);
                bar.set_message(sim_core::text::count_of(
                    progress.outcomes,
                    "outcome",
                    "outcomes",
                ));
            }
        });
    bar.finish_and_clear();
    let exploration = exploration.map_err(&limit)?;
    // Each witness's choices in words, when asked: under each outcome (text) or as its `how`
    // (JSON).
    let mut explained = Vec::new();
    if args.explain {
        for found in &exploration.outcomes {
            let schedule = sim_core::scenario::Schedule {
                preemptions: args.preemptions,
                ..sim_core::scenario::Schedule::new(found.witness.clone())
            };
            explained.push(explain_schedule(&scenario, schedule, args.max_events).map_err(&limit)?);
        }
    }
    Ok(match args.format {
        crate::cli::ExploreFormat::Json => {
            let mut value = serde_json::to_value(&exploration).expect("explorations serialize");
            if let Some(outcomes) = value["outcomes"].as_array_mut() {
                for (outcome, how) in outcomes.iter_mut().zip(&explained) {
                    outcome["how"] = serde_json::json!(how);
                }
            }
            to_json(&value)
        }
        crate::cli::ExploreFormat::Text => {
            exploration.text(&scenario.name, args.max_runs, &explained)
        }
    })
}

/// The failure of a run of `path` that a limit stopped (exit 3).
pub fn limit_failure(path: &Path) -> impl Fn(sim_core::RunError) -> Failure + '_ {
    move |error| Failure::new(format!("error: {}: {error}", path.display()), EXIT_LIMIT)
}
