//! Command-line arguments, as clap derives them. Turning them into work is `commands`' job.

use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

const ABOUT: &str = "A deterministic simulator of how an operating system schedules processes.";

const LONG_ABOUT: &str = "\
A deterministic simulator of how an operating system schedules processes.

A scenario is a YAML file: the CPUs, the scheduling policy, and the processes with their arrival
times and programs (CPU bursts and IO). For example:

  name: Silberschatz FCFS
  policy: fcfs                 # fcfs, sjf, srtf, {kind: rr, quantum: 4}, {kind: priority, ...}
  processes:
    - {name: P1, burst: 24}
    - {name: P2, arrival: 2, program: [{cpu: 3}, {io: 5}, {cpu: 2}]}

See docs/scenario-format.md for the format, docs/policies.md for each policy's exact rules, and
the scenarios/ folder for worked examples.

Exit codes: 0 success; 1 the scenario could not be read or is invalid; 2 bad command-line usage;
3 the run was stopped by a limit (--max-events, --max-memory); 4 the scenario's own `expected:` answers do not
match its run (`run` and `check` name each differing answer).";

#[derive(Debug, Parser)]
#[command(name = "procsim", version, about = ABOUT, long_about = LONG_ABOUT)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// The largest scenario, exercise or template file read (students' answer files keep their
    /// own 1 MiB limit).
    #[arg(long, global = true, value_name = "BYTES", default_value_t = crate::input::DEFAULT_MAX_INPUT_BYTES)]
    pub max_input_bytes: u64,
    /// The memory budget: past it, work stops with exit 3 instead of growing until the system
    /// kills it. Bytes, or with a unit: 512M, 2G, 8GiB (powers of 1024), 3GB (of 1000).
    #[arg(long, global = true, value_name = "BYTES", default_value = "2GiB", value_parser = crate::memory::parse_bytes)]
    pub max_memory: u64,
    /// No progress bars (they are drawn on stderr only when it is a terminal).
    #[arg(long, global = true)]
    pub quiet: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Simulate a scenario and print its Gantt chart, metrics, trace or state at a time.
    #[command(long_about = "\
Simulate a scenario and print the result.

By default: an ASCII Gantt chart per CPU, the per-process table (arrival, CPU time, first run,
completion, turnaround, waiting, response) and the averages. --format json gives the same as a
JSON object (documented in docs/scenario-format.md); --trace prints the event log; --at T prints
the state of every process, the ready queue and the CPUs at time T; --explain states the rules in
force (same-tick order, tie-breaks) and walks through the run.")]
    Run(RunArgs),
    /// Every outcome of a scenario over its choice points, each with a schedule that gives it.
    #[command(long_about = "\
Run a scenario under every schedule of its choice points and list each distinct outcome.

The choice points are those of `rules.same_instant: shuffled` (docs/policies.md): the order in
which threads that become ready at one instant enter the ready queue, whether a forked child
runs before its parent, and the order in which idle CPUs pick; and, at most --preemptions times
a run (default 2), a forced switch of a running thread at a switch point (any step boundary;
under a GIL with `switch_points: calls`, CPython's) while another thread could run. A switch is
offered only after a step another thread can see (the reduction: docs/explore.md).

An outcome is what a run ends with: its output lines, the variables' final values, who
deadlocked or was stuck, the exit codes. Each is listed with how many schedules reach it and a
witness: a schedule that `procsim run --schedule` replays (with --trace, --at, --explain,
--format jsonl) and `procsim-gui --schedule` animates. The search is exhaustive up to
--max-runs runs; past that it stops and says so. --sample N --seed S runs N random schedules
instead.

Exit codes: 0 done (complete or not); 1 invalid scenario; 3 a run passed a limit.

Example:
  procsim explore scenarios/explore/print-interleaving.yaml
  procsim explore scenarios/explore/counter-race.yaml --explain
  procsim run scenarios/explore/print-interleaving.yaml --schedule 1 --trace")]
    Explore(ExploreArgs),
    /// Validate scenarios; those with `expected:` answers are run and their answers checked.
    #[command(long_about = "\
Validate scenario and exercise files, reporting every file of the batch.

A file with an `expected:` block is also run (or, for a matrix exercise, solved) and its known
answers are checked with the same checker as `procsim grade`; each answer that differs is named.

With --ties, each scenario is also run under every documented alternative same-tick rule
(rules.preempted_before_arrivals, rules.tie_break for SJF and SRTF, MLFQ's demote_when_alone
and preempt); each rule that changes an answer is listed with the instant where it decided and
the answers it changes — a problem whose answer depends on a convention.

Exit codes: 0 all valid and matching (and, with --ties, no tie); 1 a file is unreadable or
invalid; 4 every file is valid but some `expected:` answer differs from the run; 5 (--ties)
all valid and matching, but some answer depends on a same-tick rule.

  procsim check --ties exam.yaml")]
    Check(CheckArgs),
    /// The process table at time T, like `ps -o pid,ppid,stat,time,comm`.
    #[command(long_about = "\
The process table at time T, like `ps -o pid,ppid,stat,time,comm`.

Lists init (pid 1) and every process that exists at T (arrived and not yet reaped), after every
event at T. STAT is R (running or ready), S (blocked on a child), D (blocked on device IO) or Z
(zombie: exited, not yet reaped); TIME is the CPU ticks used. --format json prints rows
{pid, ppid, name, state, stat}. See docs/lifecycle.md.")]
    Ps(PsArgs),
    /// The process tree at time T, like `pstree -p`.
    #[command(long_about = "\
The process tree at time T, drawn like `pstree -p`: init(1) at the root, each process as
name(pid), children in pid order, zombies marked <defunct>. See docs/lifecycle.md.")]
    Pstree(PstreeArgs),
    /// Grade students' answer files against a scenario (or per-student problems of a template).
    #[command(long_about = "\
Grade students' answer files against a scenario.

Each ANSWER is a YAML or JSON file in the answer format (docs/grading.md); a directory means
every .yaml, .yml and .json file in it, sorted by name. The scenario's `grading:` block says which
questions are asked and their points (default: every per-process completion, turnaround,
waiting and response time and their averages, 1 point each). A file that cannot be read (syntax
error, over 1 MiB, alias bomb, too deep, unknown process) scores 0 with an `error`; the batch
always finishes, and the exit code is 0 unless the scenario itself is bad.

With --student-from-filename, SCENARIO is a template (see `procsim generate`): each answer is
graded against the problem of the student named by its file name (s1001.yaml: student s1001).

  procsim grade exam.yaml answers/ --format csv --output grades.csv
  procsim grade practice-template.yaml --student-from-filename answers/ --format gradescope")]
    Grade(GradeArgs),
    /// Make concrete scenarios from a template: one per seed or per student.
    #[command(long_about = "\
Make concrete scenarios from a template (docs/grading.md).

The template draws processes (count, arrival, CPU bursts, priority, IOs) and a policy from the
ranges it gives, with a portable seeded generator: --student ID derives the seed from the ID, so
the same student always gets the same problem, on every machine and version. One scenario goes
to stdout; with --count K --out DIR, K scenarios (seeds N, N+1, ...) are written to DIR.
--format moodle or qti writes one quiz bank of the problems instead (Moodle XML; a QTI 1.2
package for Canvas), to --out FILE or stdout; --format json gives a problem with its questions
and answers, for a platform's question script.

  procsim generate practice-template.yaml --student s1001 > s1001.yaml
  procsim generate practice-template.yaml --seed 1 --count 30 --out problems/
  procsim generate practice-template.yaml --count 50 --format moodle --out bank.xml")]
    Generate(GenerateArgs),
    /// Print a scenario's answer key (YAML, JSON, or a worked solution in Markdown).
    Key(KeyArgs),
    /// Solve a matrix exercise (banker, deadlock detection) or analyze a task set's schedulability.
    #[command(long_about = "\
Solve a matrix exercise of the textbooks (docs/deadlock.md).

FILE gives the resources (`{A: 10, B: 5, C: 7}`: total instances, or `[A, B, C]` with
`available:`) and per process its `allocation` and either `max` (the banker's safety check) or
`request` (the deadlock detection algorithm); a top-level `request: {process: P1, amounts: [...]}`
asks whether the banker grants it. The text output walks through the algorithm (Work, Finish)
as a student would write it; --format json gives {safe, sequence, need, available} (banker, plus
granted and reason with a request) or {deadlocked, sequence, available} (detection).

A scenario with periodic tasks (`tasks:`, docs/realtime.md) gets its schedulability analysis
under its policy (or --policy): the utilisation, for RM Liu & Layland's bound n(2^(1/n) − 1) and
the hyperbolic bound, for RM and DM the response-time analysis iteration by iteration, for EDF
and LLF the processor-demand test, and the verdict.

  procsim analyze scenarios/sync/banker-textbook.yaml
  procsim analyze scenarios/sync/detection-textbook.yaml --format json
  procsim analyze scenarios/realtime/rm-miss.yaml --policy edf")]
    Analyze(AnalyzeArgs),
    /// The resource-allocation graph of a scenario at time T, in Graphviz DOT.
    #[command(long_about = "\
The resource-allocation graph of a scenario at time T (after every event at T), in Graphviz
DOT: processes are ellipses, resources boxes with their instance count; an edge P -> R is a
request P waits on, R -> P an instance P holds (labelled with the count when over 1). Deadlocked
processes and the edges of their cycle are red.

  procsim graph scenarios/sync/two-locks-deadlock.yaml --at 3 --format dot | dot -Tsvg > rag.svg")]
    Graph(GraphArgs),
    /// Turn an OSTEP homework command line into an equivalent scenario (YAML on stdout).
    #[command(
        subcommand,
        long_about = "\
Turn the command line of an OSTEP homework script into an equivalent scenario, printed as YAML.

The flags and defaults are the scripts' own: paste the homework's command line after
`procsim ostep NAME` (process-run, fork, scheduler, mlfq, lottery, multi). The jobs are those
the script generates for the seed (CPython's random generator is reproduced exactly), and
`procsim run` on the YAML gives the script's -c answers. With -c, procsim prints those answers
itself, in the script's words (or, with --format json, as an object), from running the
translation. See docs/ostep.md.

  procsim ostep scheduler -s 2 -j 3 -p RR -q 2 > hw.yaml && procsim run hw.yaml
  procsim ostep mlfq -n 3 -Q 10,20,40 -B 50 -l 0,120,0:20,40,5 > mlfq.yaml
  procsim ostep scheduler -s 2 -p SJF -c --format json"
    )]
    Ostep(OstepCommand),
    /// Turn a workload trace into a scenario (YAML on stdout).
    #[command(subcommand)]
    Import(ImportCommand),
    /// A course platform's autograder or question, made from an exercise or template.
    #[command(subcommand)]
    Export(ExportCommand),
    /// The same workload under several policies, side by side (and a bar chart with --plot).
    #[command(long_about = "\
Run one workload under several policies and print their averages side by side.

  procsim compare scenarios/textbook/silberschatz-fcfs.yaml --policies fcfs,sjf,srtf,rr:4
  procsim compare exam.yaml --policies rr:1,rr:4,rr:10 --plot quanta.svg")]
    Compare(CompareArgs),
    /// Every combination of policies, quanta, seeds and CPU counts, in parallel: a table and a chart.
    #[command(long_about = "\
Run a scenario under every combination of the parameters given, in parallel, and write one row
per run (the parameters and the averages) as CSV or JSON; --plot draws the averages against the
swept parameter. Ranges are inclusive; --quantum applies to the policies that take a quantum and
were given none (NAME:Q fixes one); the others run once per remaining combination. A progress
bar shows on a terminal.

  procsim sweep exam.yaml --policies fcfs,sjf,rr --quantum 1..20 --plot quanta.svg
  procsim sweep lottery.yaml --policies lottery:2 --seeds 0..99 --format json")]
    Sweep(SweepArgs),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish) on stdout.
    #[command(long_about = "\
Print the completion script of a shell on stdout. To install it:

  procsim completions bash > ~/.local/share/bash-completion/completions/procsim
  procsim completions zsh > ~/.zfunc/_procsim      # with fpath+=(~/.zfunc) in ~/.zshrc
  procsim completions fish > ~/.config/fish/completions/procsim.fish")]
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff) on stdout: procsim man > procsim.1 && man ./procsim.1
    Man,
}

#[derive(Debug, clap::Args)]
pub struct CompareArgs {
    /// The scenario file (YAML or JSON; `-` reads it from standard input).
    pub scenario: PathBuf,
    /// The policies, a comma list; NAME:Q gives a quantum (eevdf: its slice), e.g.
    /// fcfs,sjf,srtf,rr:4.
    #[arg(long, value_name = "LIST")]
    pub policies: String,
    /// Also draw the averages as a grouped bar chart (SVG) into this file.
    #[arg(long, value_name = "FILE.svg")]
    pub plot: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t = CompareFormat::Text)]
    pub format: CompareFormat,
    /// Stop a run past this many events.
    #[arg(long, value_name = "N", default_value_t = sim_core::DEFAULT_MAX_EVENTS)]
    pub max_events: usize,
}

#[derive(Debug, clap::Args)]
pub struct SweepArgs {
    /// The scenario file (YAML or JSON; `-` reads it from standard input).
    pub scenario: PathBuf,
    /// The policies, a comma list (NAME or NAME:Q), e.g. fcfs,sjf,rr.
    #[arg(long, value_name = "LIST")]
    pub policies: String,
    /// Quanta for the policies that take one and were not given one: 1..20 or 1,2,4.
    #[arg(long, value_name = "RANGE")]
    pub quantum: Option<String>,
    /// Seeds: 0..9 (default: the scenario's). Each run takes one as the scenario's `seed`: its
    /// `workload:` is generated with it, and lottery draws with it.
    #[arg(long, value_name = "RANGE")]
    pub seeds: Option<String>,
    /// CPU counts: 1,2,4 (default: the scenario's).
    #[arg(long, value_name = "LIST")]
    pub cpus: Option<String>,
    /// Also draw the averages against the swept parameter as a line chart (SVG).
    #[arg(long, value_name = "FILE.svg")]
    pub plot: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t = SweepFormat::Csv)]
    pub format: SweepFormat,
    /// Stop a run past this many events.
    #[arg(long, value_name = "N", default_value_t = sim_core::DEFAULT_MAX_EVENTS)]
    pub max_events: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SweepFormat {
    /// One row per run: policy, quantum, seed, cpus, turnaround, waiting, response, makespan,
    /// context_switches.
    Csv,
    /// The same rows as JSON objects.
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CompareFormat {
    /// A table of the averages.
    Text,
    /// One object per policy: {policy, turnaround, waiting, response, makespan, context_switches}.
    Json,
}

#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// A Gradescope autograder: setup.sh, run_autograder, the exercise and this procsim.
    #[command(long_about = "\
Write a Gradescope autograder into DIR (zip its contents and upload them as the assignment's
autograder): setup.sh, run_autograder, the exercise or template as exercise.yaml, and a copy of
this procsim binary, so nothing is downloaded at grading time. run_autograder grades the first
answer file (.yaml, .yml or .json) of the submission into results/results.json; for a template
(per-student problems, `procsim generate`) against the problem of the student Gradescope's
submission_metadata.json names. See docs/grading.md.

  procsim export gradescope docs/examples/practice-template.yaml --out autograder/
  (cd autograder && zip -r ../autograder.zip .)")]
    Gradescope(ExportGradescopeArgs),
    /// A PrairieLearn question: info.json, question.html, server.py, the template and procsim.
    #[command(long_about = "\
Write a PrairieLearn question (v3) into DIR, to be copied into a course's questions/ folder:
info.json, question.html, server.py, the template as template.yaml, and a copy of this procsim
binary. server.py's generate() makes each variant's problem from the template with the
variant's seed (`procsim generate --format json`), and grade() scores the submission with
`procsim grade` (partial credit and feedback per question, from the template's rubric). See
docs/grading.md.

  procsim export prairielearn docs/examples/practice-template.yaml --out questions/practice/")]
    Prairielearn(ExportPrairieLearnArgs),
}

#[derive(Debug, clap::Args)]
pub struct ExportPrairieLearnArgs {
    /// The `generate` template.
    pub template: PathBuf,
    /// The question's folder to write (made if missing; the files it writes are replaced).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Draw only problems whose answers depend on no same-tick rule (`generate --no-ties`).
    #[arg(long)]
    pub no_ties: bool,
    /// The question's title in PrairieLearn (default: the template's name).
    #[arg(long, value_name = "TEXT")]
    pub title: Option<String>,
    /// The question's topic in PrairieLearn.
    #[arg(long, value_name = "TEXT", default_value = "CPU scheduling")]
    pub topic: String,
}

#[derive(Debug, clap::Args)]
pub struct ExportGradescopeArgs {
    /// The exercise (a scenario or matrix file with its rubric) or a `generate` template.
    pub exercise: PathBuf,
    /// The folder to write (made if missing; the files it writes are replaced).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// With a template: the problems were made with `generate --no-ties`.
    #[arg(long)]
    pub no_ties: bool,
}

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// A trace in the Standard Workload Format of the Parallel Workloads Archive.
    #[command(long_about = "\
Turn a trace in the Standard Workload Format (the Parallel Workloads Archive's .swf files) into a
scenario, printed as YAML. Each job becomes a process that arrives at its submit time and runs
its run time (one tick is one second); jobs without a run time (cancelled) are skipped. The
machine has the header's MaxProcs CPUs (at most 1024) unless --cpus says otherwise. See
docs/import.md.

  procsim import swf CTC-SP2-1996-3.1-cln.swf --jobs 1000 --policy sjf > ctc.yaml
  procsim import swf trace.swf --policy rr:600 | procsim run --summary -")]
    Swf(ImportSwfArgs),
}

#[derive(Debug, clap::Args)]
pub struct ImportSwfArgs {
    /// The trace (`-` is standard input).
    pub file: PathBuf,
    /// The scheduling policy, as `compare --policies` writes one: fcfs, sjf, rr:4, ...
    #[arg(long, default_value = "fcfs")]
    pub policy: String,
    /// CPUs of the machine (default: the trace's MaxProcs, at most 1024, else 1).
    #[arg(long, value_name = "N")]
    pub cpus: Option<u64>,
    /// Only the first N jobs of the trace.
    #[arg(long, value_name = "N")]
    pub jobs: Option<u64>,
    /// A job that used P processors becomes P processes (jobN.1 ... jobN.P), not one.
    #[arg(long)]
    pub per_processor: bool,
    /// The scenario's name (default: the file's name).
    #[arg(long)]
    pub name: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum OstepCommand {
    /// process-run.py (chapter 4): processes of CPU and IO instructions.
    #[command(name = "process-run")]
    ProcessRun(OstepProcessRunArgs),
    /// fork.py (chapter 5): a process tree grown by forks and shrunk by exits.
    Fork(OstepForkArgs),
    /// scheduler.py (chapter 7): FIFO, SJF and RR.
    Scheduler(OstepSchedulerArgs),
    /// mlfq.py (chapter 8): the multilevel feedback queue.
    Mlfq(OstepMlfqArgs),
    /// lottery.py (chapter 9): lottery scheduling, one draw per quantum.
    Lottery(OstepLotteryArgs),
    /// multi.py (chapter 10): several CPUs with caches, per-CPU queues, affinity, stealing.
    Multi(OstepMultiArgs),
}

#[derive(Debug, clap::Args)]
pub struct OstepMultiArgs {
    /// The random seed.
    #[arg(
        short = 's',
        long = "seed",
        default_value_t = 0,
        allow_negative_numbers = true
    )]
    pub seed: i64,
    /// Number of jobs in the system.
    #[arg(short = 'j', long = "job_num", default_value_t = 3)]
    pub job_num: u64,
    /// Max run time of random-gen jobs.
    #[arg(short = 'R', long = "max_run", default_value_t = 100)]
    pub max_run: u64,
    /// Max working set of random-gen jobs.
    #[arg(short = 'W', long = "max_wset", default_value_t = 200)]
    pub max_wset: u64,
    /// Jobs instead: name:run_time:working_set,... (e.g. a:10:100,b:10:50).
    #[arg(short = 'L', long = "job_list", default_value = "")]
    pub job_list: String,
    /// Per-CPU scheduling queues (not one).
    #[arg(short = 'p', long = "per_cpu_queues")]
    pub per_cpu_queues: bool,
    /// Which CPUs jobs may run on: a:0.1.2,b:0.1.
    #[arg(short = 'A', long = "affinity", default_value = "")]
    pub affinity: String,
    /// Number of CPUs.
    #[arg(short = 'n', long = "num_cpus", default_value_t = 2)]
    pub num_cpus: u64,
    /// Length of a time slice.
    #[arg(short = 'q', long = "quantum", default_value_t = 10)]
    pub quantum: u64,
    /// With per-CPU queues, how often to peek at another queue (0 turns stealing off).
    #[arg(short = 'P', long = "peek_interval", default_value_t = 30)]
    pub peek_interval: u64,
    /// Time it takes to warm a cache.
    #[arg(short = 'w', long = "warmup_time", default_value_t = 10)]
    pub warmup_time: u64,
    /// How much faster a job runs with a warm cache.
    #[arg(short = 'r', long = "warm_rate", default_value_t = 2)]
    pub warm_rate: u64,
    /// Cache size.
    #[arg(short = 'M', long = "cache_size", default_value_t = 100)]
    pub cache_size: u64,
    /// CPUs take jobs in a random order, shuffled each tick.
    #[arg(short = 'o', long = "rand_order")]
    pub rand_order: bool,
    /// Accepted (the script's traces).
    #[arg(short = 't', long = "trace")]
    pub trace: bool,
    /// Accepted.
    #[arg(short = 'T', long = "trace_time_left")]
    pub trace_time_left: bool,
    /// Accepted.
    #[arg(short = 'C', long = "trace_cache")]
    pub trace_cache: bool,
    /// Accepted.
    #[arg(short = 'S', long = "trace_sched")]
    pub trace_sched: bool,
    #[command(flatten)]
    pub answers: OstepAnswersArgs,
}

#[derive(Debug, clap::Args)]
pub struct OstepForkArgs {
    /// The random seed (fork.py's default, -1, draws an unseeded tree: procsim needs a seed).
    #[arg(
        short = 's',
        long = "seed",
        default_value_t = -1,
        allow_negative_numbers = true
    )]
    pub seed: i64,
    /// Fraction of actions that are forks (not exits).
    #[arg(short = 'f', long = "forks", default_value_t = 0.7)]
    pub forks: f64,
    /// Action list instead of random actions: a+b,b+c,b- (a forks b, b forks c, b exits).
    #[arg(short = 'A', long = "action_list", default_value = "")]
    pub action_list: String,
    /// Number of forks/exits to do.
    #[arg(short = 'a', long = "actions", default_value_t = 5)]
    pub actions: u64,
    /// Accepted (the script's way of quizzing: show trees, guess actions).
    #[arg(short = 't', long = "show_tree")]
    pub show_tree: bool,
    /// Tree print style: basic, line1, line2 or fancy.
    #[arg(short = 'P', long = "print_style", default_value = "fancy")]
    pub print_style: String,
    /// Accepted: with -c only the final tree is printed.
    #[arg(short = 'F', long = "final_only")]
    pub final_only: bool,
    /// Only leaf processes exit (an exit of a process with children fails).
    #[arg(short = 'L', long = "leaf_only")]
    pub leaf_only: bool,
    /// Reparent the orphans to the exiting process's parent instead of the root, a.
    #[arg(short = 'R', long = "local_reparent")]
    pub local_reparent: bool,
    #[command(flatten)]
    pub answers: OstepAnswersArgs,
}

#[derive(Debug, clap::Args)]
pub struct OstepProcessRunArgs {
    /// The random seed.
    #[arg(
        short = 's',
        long = "seed",
        default_value_t = 0,
        allow_negative_numbers = true
    )]
    pub seed: i64,
    /// More specific controls over programs: c7,i,c1,i:c3 (cN = N CPU instructions, i = IO).
    #[arg(short = 'P', long = "program", default_value = "")]
    pub program: String,
    /// Processes to run, X1:Y1,X2:Y2,...: X instructions, each CPU with chance Y percent, else IO.
    #[arg(short = 'l', long = "processlist", default_value = "")]
    pub process_list: String,
    /// How long an IO takes.
    #[arg(short = 'L', long = "iolength", default_value_t = 5)]
    pub io_length: u64,
    /// When to switch between processes: SWITCH_ON_IO or SWITCH_ON_END.
    #[arg(short = 'S', long = "switch", default_value = "SWITCH_ON_IO")]
    pub switch: String,
    /// What a process does when its IO ends: IO_RUN_LATER or IO_RUN_IMMEDIATE.
    #[arg(short = 'I', long = "iodone", default_value = "IO_RUN_LATER")]
    pub io_done: String,
    /// Accepted: with -c the statistics are always printed.
    #[arg(short = 'p', long = "printstats")]
    pub print_stats: bool,
    #[command(flatten)]
    pub answers: OstepAnswersArgs,
}

#[derive(Debug, clap::Args)]
pub struct OstepLotteryArgs {
    /// The random seed.
    #[arg(
        short = 's',
        long = "seed",
        default_value_t = 0,
        allow_negative_numbers = true
    )]
    pub seed: i64,
    /// Number of jobs in the system.
    #[arg(short = 'j', long = "jobs", default_value_t = 3)]
    pub jobs: u64,
    /// Instead of random jobs, run times and tickets: 10:100,20:100.
    #[arg(short = 'l', long = "jlist", default_value = "")]
    pub jlist: String,
    /// Max length of a job.
    #[arg(short = 'm', long = "maxlen", default_value_t = 10)]
    pub maxlen: u64,
    /// Maximum ticket value, if randomly assigned.
    #[arg(short = 'T', long = "maxticket", default_value_t = 100)]
    pub maxticket: u64,
    /// Length of a time slice.
    #[arg(short = 'q', long = "quantum", default_value_t = 1)]
    pub quantum: u64,
    #[command(flatten)]
    pub answers: OstepAnswersArgs,
}

/// The script's `-c`, shared by every translator.
#[derive(Debug, clap::Args)]
pub struct OstepAnswersArgs {
    /// Print the answers the script prints with -c, computed by running the translation,
    /// instead of the scenario.
    #[arg(short = 'c', long = "compute")]
    pub solve: bool,
    /// With -c: the script's own lines (text) or an object of the answers (json).
    #[arg(long, value_enum, default_value_t = OstepFormat::Text, requires = "solve")]
    pub format: OstepFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OstepFormat {
    /// The script's final lines, in its words.
    Text,
    /// The answers as a JSON object.
    Json,
}

#[derive(Debug, clap::Args)]
pub struct OstepSchedulerArgs {
    /// The random seed.
    #[arg(
        short = 's',
        long = "seed",
        default_value_t = 0,
        allow_negative_numbers = true
    )]
    pub seed: i64,
    /// Number of jobs in the system.
    #[arg(short = 'j', long = "jobs", default_value_t = 3)]
    pub jobs: u64,
    /// Instead of random jobs, a comma-separated list of run times.
    #[arg(short = 'l', long = "jlist", default_value = "")]
    pub jlist: String,
    /// Max length of a job.
    #[arg(short = 'm', long = "maxlen", default_value_t = 10)]
    pub maxlen: u64,
    /// Scheduling policy: SJF, FIFO or RR.
    #[arg(short = 'p', long = "policy", default_value = "FIFO")]
    pub policy: String,
    /// Length of the time slice for RR.
    #[arg(short = 'q', long = "quantum", default_value_t = 1)]
    pub quantum: u64,
    #[command(flatten)]
    pub answers: OstepAnswersArgs,
}

#[derive(Debug, clap::Args)]
pub struct OstepMlfqArgs {
    /// The random seed.
    #[arg(
        short = 's',
        long = "seed",
        default_value_t = 0,
        allow_negative_numbers = true
    )]
    pub seed: i64,
    /// Number of queues (if not using -Q).
    #[arg(short = 'n', long = "numQueues", default_value_t = 3)]
    pub num_queues: u64,
    /// Length of the time slice (if not using -Q).
    #[arg(short = 'q', long = "quantum", default_value_t = 10)]
    pub quantum: u64,
    /// Length of the allotment (if not using -A).
    #[arg(short = 'a', long = "allotment", default_value_t = 1)]
    pub allotment: u64,
    /// Time slice per level, x,y,z,... from the highest priority queue down.
    #[arg(short = 'Q', long = "quantumList", default_value = "")]
    pub quantum_list: String,
    /// Allotment (time slices) per level, x,y,z,... from the highest priority queue down.
    #[arg(short = 'A', long = "allotmentList", default_value = "")]
    pub allotment_list: String,
    /// Number of jobs in the system.
    #[arg(short = 'j', long = "numJobs", default_value_t = 3)]
    pub num_jobs: u64,
    /// Max run time of a job (if randomly generating).
    #[arg(short = 'm', long = "maxlen", default_value_t = 100)]
    pub maxlen: u64,
    /// Max I/O frequency of a job (if randomly generating).
    #[arg(short = 'M', long = "maxio", default_value_t = 10)]
    pub maxio: u64,
    /// How often to boost every job back to the highest priority (0 = never).
    #[arg(short = 'B', long = "boost", default_value_t = 0)]
    pub boost: u64,
    /// How long an I/O lasts.
    #[arg(short = 'i', long = "iotime", default_value_t = 5)]
    pub io_time: u64,
    /// Reset and stay at the same priority level when issuing I/O.
    #[arg(short = 'S', long = "stay")]
    pub stay: bool,
    /// Jobs that finish I/O move to the front of their queue.
    #[arg(short = 'I', long = "iobump")]
    pub iobump: bool,
    /// Jobs to run: x1,y1,z1:x2,y2,z2:... (start time, run time, I/O frequency).
    #[arg(short = 'l', long = "jlist", default_value = "")]
    pub jlist: String,
    #[command(flatten)]
    pub answers: OstepAnswersArgs,
}

#[derive(Debug, clap::Args)]
pub struct RunArgs {
    /// The scenario file (YAML; `-` reads it from standard input).
    pub scenario: PathBuf,
    /// What to print.
    #[arg(long, value_enum, default_value_t = RunFormat::Text)]
    pub format: RunFormat,
    /// Only the averages and totals (with --format json: only those fields), for runs whose
    /// per-process table and Gantt chart are not wanted.
    #[arg(long)]
    pub summary: bool,
    /// With --format perfetto: microseconds per tick (default 1).
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub tick_us: u64,
    /// Print the event log, one event per line (same as --format trace).
    #[arg(long)]
    pub trace: bool,
    /// Print the state of every process, the ready queue and the CPUs at time T.
    #[arg(long, value_name = "T")]
    pub at: Option<u64>,
    /// With --at T: the state after the K-th event of the instant at T (0: before its first),
    /// with those K events in words.
    #[arg(long, value_name = "K", requires = "at")]
    pub event: Option<usize>,
    /// State the rules in force and explain every step of the run.
    #[arg(long)]
    pub explain: bool,
    /// Stop with an error if the run would log more than this many events.
    #[arg(long, value_name = "N", default_value_t = sim_core::DEFAULT_MAX_EVENTS)]
    pub max_events: usize,
    /// Run with this seed instead of the file's `seed:` (lottery draws, `workload:`, and
    /// `rules.same_instant: shuffled`). The file's `expected:` answers are for its own seed:
    /// under another they are not checked.
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,
    /// Replay a schedule that `procsim explore` printed: the alternative taken at each choice
    /// point, in order, as `0,2,1` (past its end: the documented order). The file's
    /// `expected:` answers are not checked under it; --explain puts its choices into words.
    #[arg(long, value_name = "CHOICES", conflicts_with = "seed")]
    pub schedule: Option<String>,
    /// With --schedule: the forced switches the schedule may make (as given to explore).
    #[arg(long, value_name = "K", default_value_t = sim_core::scenario::DEFAULT_PREEMPTIONS, requires = "schedule")]
    pub preemptions: u32,
}

#[derive(Debug, clap::Args)]
pub struct ExploreArgs {
    /// The scenario file (YAML; `-` is standard input).
    pub scenario: PathBuf,
    /// Stop after this many runs (the search then says it is not complete).
    #[arg(long, value_name = "N", default_value_t = sim_core::explore::DEFAULT_MAX_RUNS)]
    pub max_runs: u64,
    /// Forced switches a run may make at a running thread's switch points (preemption
    /// bounding, as CHESS: 0 explores only the same-instant orders).
    #[arg(long, value_name = "K", default_value_t = sim_core::scenario::DEFAULT_PREEMPTIONS)]
    pub preemptions: u32,
    /// Run N random schedules instead of every one (for a space too large to walk).
    #[arg(long, value_name = "N")]
    pub sample: Option<u64>,
    /// The seed of --sample's draws.
    #[arg(long, value_name = "S", default_value_t = 0, requires = "sample")]
    pub seed: u64,
    /// Under each outcome, its witness's choices in words ("t=3: B, A entered the ready
    /// queue in that order"); with --format json, as each outcome's `how`.
    #[arg(long)]
    pub explain: bool,
    /// Stop with an error if one run would log more than this many events.
    #[arg(long, value_name = "N", default_value_t = sim_core::DEFAULT_MAX_EVENTS)]
    pub max_events: usize,
    #[arg(long, value_enum, default_value_t = ExploreFormat::Text)]
    pub format: ExploreFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExploreFormat {
    /// Each outcome, its count of schedules and its witness, for a terminal.
    Text,
    /// {outcomes: [{output, variables, deadlocked, stuck, exit_codes, schedules, witness}],
    /// runs, complete}.
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RunFormat {
    /// Gantt chart, process table and averages, for a terminal.
    Text,
    /// The report as JSON (with --at: the state as JSON).
    Json,
    /// The event log, one event per line.
    Trace,
    /// The event log as JSON Lines: one object per event, {t, kind, tid, ...}; a dispatch
    /// carries why, the policy's reason (with --at: the events up to that time).
    Jsonl,
    /// The Gantt chart as a standalone SVG image (the picture the GUI exports).
    Svg,
    /// The per-process table as CSV.
    Csv,
    /// A Chrome / Perfetto trace (Trace Event Format JSON): open it in ui.perfetto.dev.
    Perfetto,
}

#[derive(Debug, clap::Args)]
pub struct AnalyzeArgs {
    /// The matrix exercise or the scenario with a task set (YAML).
    pub file: PathBuf,
    /// Text (a worked solution) or JSON (the answers).
    #[arg(long, value_enum, default_value_t = AnalyzeFormat::Text)]
    pub format: AnalyzeFormat,
    /// A task set: the real-time policy to analyze it under (edf, rm, dm, llf); default the
    /// scenario's own.
    #[arg(long, value_name = "POLICY")]
    pub policy: Option<String>,
    /// A task set: stop with an error past this many iterations of one task's response-time
    /// analysis or checkpoints of the processor-demand test.
    #[arg(long, value_name = "N", default_value_t = sim_core::schedulability::MAX_ANALYSIS_STEPS)]
    pub max_steps: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AnalyzeFormat {
    Text,
    Json,
}

#[derive(Debug, clap::Args)]
pub struct GraphArgs {
    /// The scenario file (YAML; `-` reads it from standard input).
    pub scenario: PathBuf,
    /// The time of the graph, in ticks (after every event at that time).
    #[arg(long, value_name = "T")]
    pub at: u64,
    /// The output format.
    #[arg(long, value_enum, default_value_t = GraphFormat::Dot)]
    pub format: GraphFormat,
    /// Stop with an error if the run would log more than this many events.
    #[arg(long, value_name = "N", default_value_t = sim_core::DEFAULT_MAX_EVENTS)]
    pub max_events: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GraphFormat {
    /// Graphviz DOT.
    Dot,
}

#[derive(Debug, clap::Args)]
pub struct PsArgs {
    /// The scenario file (YAML; `-` reads it from standard input).
    pub scenario: PathBuf,
    /// The time of the snapshot, in ticks (after every event at that time).
    #[arg(long, value_name = "T")]
    pub at: u64,
    /// Text (a `ps` table) or JSON rows.
    #[arg(long, value_enum, default_value_t = PsFormat::Text)]
    pub format: PsFormat,
    /// One row per thread, with its LWP (thread id) and its process's NLWP, as `ps -eLf`.
    #[arg(long)]
    pub threads: bool,
    /// Stop with an error if the run would log more than this many events.
    #[arg(long, value_name = "N", default_value_t = sim_core::DEFAULT_MAX_EVENTS)]
    pub max_events: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PsFormat {
    Text,
    Json,
}

#[derive(Debug, clap::Args)]
pub struct PstreeArgs {
    /// The scenario file (YAML; `-` reads it from standard input).
    pub scenario: PathBuf,
    /// The time of the snapshot, in ticks (after every event at that time).
    #[arg(long, value_name = "T")]
    pub at: u64,
    /// Stop with an error if the run would log more than this many events.
    #[arg(long, value_name = "N", default_value_t = sim_core::DEFAULT_MAX_EVENTS)]
    pub max_events: usize,
}

#[derive(Debug, clap::Args)]
pub struct GradeArgs {
    /// The scenario (with its rubric), or a template with --student-from-filename.
    pub scenario: PathBuf,
    /// Answer files, or directories of them.
    #[arg(required = true, value_name = "ANSWER_OR_DIR")]
    pub answers: Vec<PathBuf>,
    #[arg(long, value_enum, default_value_t = GradeFormat::Text)]
    pub format: GradeFormat,
    /// Write the grades to this file instead of stdout.
    #[arg(long, value_name = "F")]
    pub output: Option<PathBuf>,
    /// SCENARIO is a template: regenerate each student's problem from the answer's file name.
    #[arg(long)]
    pub student_from_filename: bool,
    /// SCENARIO is a template: regenerate the problem of the student that Gradescope's
    /// submission_metadata.json names (its first user's `sid`, else `email`, else `id`), for
    /// every answer file (inside an autograder: /autograder/submission_metadata.json).
    #[arg(long, value_name = "FILE", conflicts_with = "student_from_filename")]
    pub student_from_metadata: Option<PathBuf>,
    /// With --student-from-filename or --student-from-metadata: the problems were made with
    /// `generate --no-ties`.
    #[arg(long)]
    pub no_ties: bool,
    /// Stop a scenario's run after this many events.
    #[arg(long, value_name = "N", default_value_t = sim_core::DEFAULT_MAX_EVENTS)]
    pub max_events: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GradeFormat {
    /// A table of files and scores (and the feedback, for one file).
    Text,
    /// A list of {file, score, max_score, items, error}.
    Json,
    /// One row per file.
    Csv,
    /// Gradescope's results.json.
    Gradescope,
    /// A JUnit XML report.
    Junit,
}

#[derive(Debug, clap::Args)]
pub struct GenerateArgs {
    /// The template (YAML).
    pub template: PathBuf,
    /// The seed of the problem (the first one, with --count).
    #[arg(long, value_name = "N", conflicts_with = "student")]
    pub seed: Option<u64>,
    /// Derive the seed from a student's ID.
    #[arg(long, value_name = "ID")]
    pub student: Option<String>,
    /// How many problems to write to --out (seeds N, N+1, ...); with --format moodle or qti,
    /// how many variants the bank holds.
    #[arg(long, value_name = "K", conflicts_with_all = ["student", "students"])]
    pub count: Option<u64>,
    /// A file of student IDs, one a line: one problem per student, written to --out.
    #[arg(long, value_name = "FILE", conflicts_with = "student")]
    pub students: Option<PathBuf>,
    /// The directory to write --count or --students problems to (with --format moodle or
    /// qti: the bank's file).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// YAML scenarios, LaTeX exam sheets (the problem with an empty Gantt grid and table),
    /// JSON for question scripts, or a Moodle XML / QTI 1.2 quiz bank.
    #[arg(long, value_enum, default_value_t = GenerateFormat::Yaml)]
    pub format: GenerateFormat,
    /// Only problems whose answers depend on no same-tick rule (as `check --ties` finds):
    /// a draw with a tie is drawn again from a seed derived from the first.
    #[arg(long)]
    pub no_ties: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GenerateFormat {
    /// The scenario (YAML).
    Yaml,
    /// A standalone LaTeX exam sheet to hand out (compile with pdflatex).
    Latex,
    /// The problem, its questions and their answers as JSON (for a platform's question script).
    Json,
    /// A Moodle XML quiz bank of every problem (to --out FILE or stdout).
    Moodle,
    /// An IMS QTI 1.2 quiz for Canvas: a zip package with --out FILE, else the XML on stdout.
    Qti,
}

#[derive(Debug, clap::Args)]
pub struct KeyArgs {
    /// The scenario file (YAML; `-` reads it from standard input).
    pub scenario: PathBuf,
    #[arg(long, value_enum, default_value_t = KeyFormat::Yaml)]
    pub format: KeyFormat,
    /// With --format latex: the sheet to hand out (empty Gantt grid and metrics), not the key.
    #[arg(long)]
    pub blank: bool,
    /// Stop the run after this many events.
    #[arg(long, value_name = "N", default_value_t = sim_core::DEFAULT_MAX_EVENTS)]
    pub max_events: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum KeyFormat {
    /// The answer format, as students write it.
    Yaml,
    /// The answer format as JSON.
    Json,
    /// A worked solution for instructors.
    Markdown,
    /// A standalone LaTeX sheet: the problem, the Gantt chart and the metrics (TikZ).
    Latex,
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// The scenario files (YAML; `-` is standard input) to validate.
    #[arg(required = true)]
    pub scenarios: Vec<PathBuf>,
    /// Stop a scenario's run (to check its `expected:` answers) past this many events.
    #[arg(long, value_name = "N", default_value_t = sim_core::DEFAULT_MAX_EVENTS)]
    pub max_events: usize,
    /// Also list every answer that depends on a same-tick rule (exit 5 if one does).
    #[arg(long)]
    pub ties: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }

    /// A format of `procsim run` is in the format reference: a format added without its docs
    /// fails here (and without its output, the compiler stops at `commands::run`'s match).
    #[test]
    fn every_run_format_is_documented() {
        let docs = include_str!("../docs/scenario-format.md");
        for format in RunFormat::value_variants() {
            let name = format.to_possible_value().unwrap().get_name().to_string();
            assert!(
                docs.contains(&format!("`--format {name}`")),
                "`--format {name}` is not in docs/scenario-format.md"
            );
        }
    }
}
