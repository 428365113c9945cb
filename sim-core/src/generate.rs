//! Per-student exercises: concrete scenarios drawn from a template with a portable seeded RNG,
//! so the same student gets the same problem on every machine and version (docs/grading.md).
//!
//! ```yaml
//! name: practice
//! template:
//!   processes: {count: [4, 6], arrival: [0, 10], burst: [1, 12], priority: [1, 5], io: [0, 2]}
//!   policy: [fcfs, sjf, srtf, {kind: rr, quantum: 3}]   # one is picked
//! ```

use crate::random::SeededRng;
use crate::rubric::RubricFile;
use crate::scenario::{PolicyFile, RulesFile, ScenarioError};
use crate::yaml::{self, YamlError};
use serde::{Deserialize, Serialize};

/// A template file as written.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TemplateFile {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpus: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rules: Option<RulesFile>,
    /// Copied into every generated scenario.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grading: Option<RubricFile>,
    pub template: TemplateSpec,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TemplateSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub processes: Option<ProcessRanges>,
    /// Periodic tasks (docs/realtime.md): each drawn problem gets its own task set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tasks: Option<TaskRanges>,
    /// The policies to pick from (or a single one).
    pub policy: Policies,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(untagged)]
pub enum Policies {
    Many(Vec<PolicyFile>),
    One(PolicyFile),
}

/// Inclusive ranges `[min, max]` (or one number) for each drawn quantity.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ProcessRanges {
    pub count: Range,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arrival: Option<Range>,
    /// Length of each CPU burst.
    pub burst: Range,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority: Option<Range>,
    /// How many IOs each process does (a CPU burst follows each).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub io: Option<Range>,
    /// Length of each IO; default [1, 5].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub io_time: Option<Range>,
    /// Nice values, −20 to 19 (for `cfs` and `eevdf`, or `priority_from: nice`): `[min, max]` or one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nice: Option<NiceRange>,
    /// The queues a process is put in under `mlq`, one picked per process.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub queue: Option<Vec<String>>,
    /// Each process's request size under `eevdf` (its `slice:`), in ticks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slice: Option<Range>,
}

/// The ranges of a drawn task set: `{count: [2, 3], period: [4, 12], wcet: [1, 4]}`.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TaskRanges {
    pub count: Range,
    pub period: Range,
    /// Each job's work; drawn above its period, it is the period.
    pub wcet: Range,
    /// The relative deadline; default the period; drawn above the period, it is the period.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline: Option<Range>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offset: Option<Range>,
    /// The longest horizon a problem simulates: a drawn set whose hyperperiod is longer is
    /// simulated to this time (default 1,000 ticks).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_horizon: Option<u64>,
}

/// Most tasks a template may ask for.
pub const MAX_GENERATED_TASKS: u64 = 10;
/// The default of a template's `tasks.max_horizon`.
pub const DEFAULT_MAX_HORIZON: u64 = 1_000;

/// A range of nice values: `[min, max]` (inclusive) or one value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(untagged)]
pub enum NiceRange {
    Fixed(i64),
    Between([i64; 2]),
}

impl NiceRange {
    fn bounds(self) -> (i64, i64) {
        match self {
            NiceRange::Fixed(n) => (n, n),
            NiceRange::Between([a, b]) => (a, b),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(untagged)]
pub enum Range {
    Fixed(u64),
    Between([u64; 2]),
}

impl Range {
    fn bounds(self) -> (u64, u64) {
        match self {
            Range::Fixed(n) => (n, n),
            Range::Between([a, b]) => (a, b),
        }
    }
}

/// Most processes a template may ask for.
pub const MAX_GENERATED_PROCESSES: u64 = 100;

/// Why a template cannot be used.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TemplateError {
    #[error("{0}")]
    Syntax(#[from] YamlError),
    #[error("{path}: {message}")]
    Invalid { path: String, message: String },
    /// The generated scenario is invalid (e.g. a policy option).
    #[error("{0}")]
    Scenario(ScenarioError),
    /// `--no-ties`: every draw had an answer depending on a same-tick rule.
    #[error(
        "no problem without ties in {draws} draws: the template's ranges make ties likely (widen the arrivals or bursts)"
    )]
    AlwaysTied { draws: u64 },
}

impl TemplateError {
    pub fn one_line(&self, origin: &str) -> String {
        match self {
            TemplateError::Syntax(error) => error.one_line(origin),
            TemplateError::Invalid { path, message } => format!("{origin}: {path}: {message}"),
            TemplateError::Scenario(error) => error.one_line(origin),
            TemplateError::AlwaysTied { .. } => format!("{origin}: {self}"),
        }
    }
}

/// Whether `text` is a template (it has a top-level `template:` key) rather than a scenario.
pub fn is_template(text: &str) -> bool {
    text.lines().any(|line| line.starts_with("template:"))
}

/// The seed of a student: a fixed 64-bit FNV-1a hash of the ID (stable across machines and
/// versions, unlike Rust's `DefaultHasher`).
pub fn student_seed(student: &str) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in student.trim().bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

/// Who a generated scenario is for, as its name says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Recipient {
    Seed(u64),
    Student(String),
}

impl Recipient {
    pub fn seed(&self) -> u64 {
        match self {
            Recipient::Seed(seed) => *seed,
            Recipient::Student(id) => student_seed(id),
        }
    }
}

/// Reads a template.
pub fn parse_template(text: &str) -> Result<TemplateFile, TemplateError> {
    let template: TemplateFile = yaml::parse_document(text)?;
    let invalid = |path: &str, message: String| TemplateError::Invalid {
        path: path.to_string(),
        message,
    };
    let check = |path: &str, range: Option<Range>, least: u64, most: u64| {
        let Some(range) = range else { return Ok(()) };
        let (low, high) = range.bounds();
        if low > high {
            return Err(invalid(
                path,
                format!("expected [min, max] with min ≤ max, got [{low}, {high}]"),
            ));
        }
        if low < least || high > most {
            return Err(invalid(
                path,
                format!("expected values from {least} to {most}, got [{low}, {high}]"),
            ));
        }
        Ok(())
    };
    if let Some(tasks) = &template.template.tasks {
        check(
            "template.tasks.count",
            Some(tasks.count),
            1,
            MAX_GENERATED_TASKS,
        )?;
        check("template.tasks.period", Some(tasks.period), 1, 1_000_000)?;
        check("template.tasks.wcet", Some(tasks.wcet), 1, 1_000_000)?;
        check("template.tasks.deadline", tasks.deadline, 1, 1_000_000)?;
        check("template.tasks.offset", tasks.offset, 0, 1_000_000)?;
        check(
            "template.tasks.max_horizon",
            tasks.max_horizon.map(Range::Fixed),
            1,
            1_000_000,
        )?;
    }
    let Some(ranges) = &template.template.processes else {
        if template.template.tasks.is_none() {
            return Err(invalid(
                "template",
                "expected `processes:` ranges, `tasks:` ranges, or both".into(),
            ));
        }
        return check_policies(template);
    };
    check(
        "template.processes.count",
        Some(ranges.count),
        1,
        MAX_GENERATED_PROCESSES,
    )?;
    check("template.processes.arrival", ranges.arrival, 0, 1_000_000)?;
    check("template.processes.burst", Some(ranges.burst), 1, 1_000_000)?;
    check("template.processes.priority", ranges.priority, 0, 1_000)?;
    check("template.processes.io", ranges.io, 0, 20)?;
    check("template.processes.io_time", ranges.io_time, 1, 1_000_000)?;
    check("template.processes.slice", ranges.slice, 1, 1_000_000)?;
    if let Some(nice) = ranges.nice {
        let (low, high) = nice.bounds();
        if low > high || low < -20 || high > 19 {
            return Err(invalid(
                "template.processes.nice",
                format!("expected [min, max] with -20 ≤ min ≤ max ≤ 19, got [{low}, {high}]"),
            ));
        }
    }
    if let Some(queues) = &ranges.queue
        && (queues.is_empty() || queues.iter().any(|q| q.trim().is_empty()))
    {
        return Err(invalid(
            "template.processes.queue",
            "expected a list of queue names (of the mlq policies' queues)".into(),
        ));
    }
    check_policies(template)
}

/// A template's policy list is not empty.
fn check_policies(template: TemplateFile) -> Result<TemplateFile, TemplateError> {
    if let Policies::Many(list) = &template.template.policy
        && list.is_empty()
    {
        return Err(TemplateError::Invalid {
            path: "template.policy".into(),
            message: "expected at least one policy".into(),
        });
    }
    Ok(template)
}

/// The scenario `template` gives `recipient`, as commented YAML. It is checked by parsing it
/// back, so a template whose policies are wrong fails here.
pub fn generate(template: &TemplateFile, recipient: &Recipient) -> Result<String, TemplateError> {
    generate_with_seed(template, recipient, recipient.seed(), "")
}

/// Draws at most this many problems looking for one without ties.
pub const MAX_TIE_FREE_DRAWS: u64 = 1000;

/// A problem for `recipient` whose answers depend on no same-tick rule (`procsim check --ties`
/// finds none): the recipient's own draw if it has none, else the first tie-free one among
/// draws from seeds derived from it (the same on every machine).
pub fn generate_without_ties(
    template: &TemplateFile,
    recipient: &Recipient,
    max_events: usize,
) -> Result<String, TemplateError> {
    for draw in 0..MAX_TIE_FREE_DRAWS {
        let seed = if draw == 0 {
            recipient.seed()
        } else {
            redrawn_seed(recipient.seed(), draw)
        };
        let note = if draw == 0 {
            String::new()
        } else {
            format!(
                "# Drawn again {draw} time{} (--no-ties): the earlier draws had answers depending on a same-tick rule.\n",
                if draw == 1 { "" } else { "s" }
            )
        };
        let text = generate_with_seed(template, recipient, seed, &note)?;
        let exercise =
            crate::exercise::Exercise::from_yaml(&text).map_err(TemplateError::Scenario)?;
        let Some(scenario) = exercise.scenario() else {
            return Ok(text);
        };
        // A draw too long to run is not a tie-free problem either.
        if crate::ties::check_ties(scenario, max_events).is_ok_and(|ties| ties.is_empty()) {
            return Ok(text);
        }
    }
    Err(TemplateError::AlwaysTied {
        draws: MAX_TIE_FREE_DRAWS,
    })
}

/// The seed of the `draw`-th redraw: SplitMix64 of the seed and the draw, so redraws of
/// neighbouring seeds do not coincide.
fn redrawn_seed(seed: u64, draw: u64) -> u64 {
    use crate::random::{SPLITMIX_GAMMA, splitmix_finish};
    splitmix_finish(seed.wrapping_add(draw.wrapping_add(1).wrapping_mul(SPLITMIX_GAMMA)))
}

fn generate_with_seed(
    template: &TemplateFile,
    recipient: &Recipient,
    seed: u64,
    note: &str,
) -> Result<String, TemplateError> {
    let mut rng = SeededRng::new(seed);
    let mut draw = |range: Range| {
        let (low, high) = range.bounds();
        low + rng.below(high - low + 1)
    };
    let policies: Vec<&PolicyFile> = match &template.template.policy {
        Policies::Many(list) => list.iter().collect(),
        Policies::One(policy) => vec![policy],
    };
    let policy = policies[draw(Range::Between([0, policies.len() as u64 - 1])) as usize];
    let count = template
        .template
        .processes
        .as_ref()
        .map_or(0, |r| draw(r.count));
    // A queue is written only under a multilevel queue (other policies have none).
    let policy_name =
        crate::scenario::policies::policy_named(&policy.options().kind).map(|spec| spec.name);
    let multilevel_queue = policy_name == Some("mlq");
    // Likewise a request size only under EEVDF.
    let requests = policy_name == Some("eevdf");
    let mut processes: Vec<(u64, u64, Vec<String>, String)> = (0..count)
        .filter_map(|_| template.template.processes.as_ref())
        .map(|ranges| {
            let arrival = ranges.arrival.map_or(0, &mut draw);
            let priority = ranges.priority.map_or(0, &mut draw);
            let ios = ranges.io.map_or(0, &mut draw);
            let mut steps = vec![format!("{{cpu: {}}}", draw(ranges.burst))];
            for _ in 0..ios {
                let io = draw(ranges.io_time.unwrap_or(Range::Between([1, 5])));
                steps.push(format!("{{io: {io}}}"));
                steps.push(format!("{{cpu: {}}}", draw(ranges.burst)));
            }
            // Drawn after the rest, so that templates without them draw as they always did.
            let mut more = String::new();
            if let Some(nice) = ranges.nice {
                let (low, high) = nice.bounds();
                let offset = draw(Range::Between([0, (high - low) as u64]));
                more.push_str(&format!(", nice: {}", low + offset as i64));
            }
            if let Some(queues) = &ranges.queue {
                let picked = draw(Range::Between([0, queues.len() as u64 - 1])) as usize;
                if multilevel_queue {
                    more.push_str(&format!(", queue: {}", quoted(&queues[picked])));
                }
            }
            if let Some(slice) = ranges.slice {
                let slice = draw(slice);
                if requests {
                    more.push_str(&format!(", slice: {slice}"));
                }
            }
            (arrival, priority, steps, more)
        })
        .collect();
    // Listed by arrival, as textbooks do; the sort is stable, so ties keep the draw order.
    processes.sort_by_key(|(arrival, ..)| *arrival);
    // Drawn after the processes, so that templates without tasks draw as they always did.
    let tasks = template
        .template
        .tasks
        .as_ref()
        .map(|ranges| draw_tasks(ranges, &mut draw));

    let who = match recipient {
        Recipient::Seed(seed) => format!("seed {seed}"),
        Recipient::Student(id) => format!("student {}", crate::text::escape_controls(id.trim())),
    };
    // Everything from outside reaches the YAML escaped: the template's name as a quoted string,
    // a student's id with its control characters escaped (a newline cannot start a key).
    // The seed the problem was drawn with, unless it is the recipient's own (`seed N`).
    let drawn_with = match recipient {
        Recipient::Seed(own) if *own == seed => String::new(),
        _ => format!(", seed {seed}"),
    };
    let mut out = format!(
        "# Generated by `procsim generate` from the template {} ({who}{drawn_with}).\n\
         # The same command gives the same problem on every machine and version.\n{note}",
        quoted(&template.name),
    );
    out.push_str(&format!(
        "name: {}\n",
        quoted(&format!("{} ({who})", template.name))
    ));
    if let Some(description) = &template.description {
        out.push_str(&format!("description: {}\n", quoted(description)));
    }
    if let Some(cpus) = template.cpus {
        out.push_str(&format!("cpus: {cpus}\n"));
    }
    out.push_str(&format!("policy: {}\n", policy_text(policy)));
    out.push_str(&format!("seed: {seed}\n"));
    if let Some(rules) = &template.rules {
        out.push_str(&format!("rules: {}\n", json_flow(rules)));
    }
    if let Some(tasks) = &tasks {
        out.push_str(tasks);
    }
    if !processes.is_empty() {
        out.push_str("processes:\n");
    }
    for (index, (arrival, priority, steps, more)) in processes.iter().enumerate() {
        out.push_str(&format!(
            "  - {{name: P{}, arrival: {arrival}, priority: {priority}{more}, program: [{}]}}\n",
            index + 1,
            steps.join(", ")
        ));
    }
    if let Some(grading) = &template.grading {
        out.push_str(&format!("grading: {}\n", json_flow(grading)));
    }
    crate::exercise::Exercise::from_yaml(&out).map_err(TemplateError::Scenario)?;
    Ok(out)
}

/// A drawn task set as the scenario's `tasks:` (and a `horizon:` when its hyperperiod is
/// over the template's `max_horizon`).
fn draw_tasks(ranges: &TaskRanges, draw: &mut impl FnMut(Range) -> u64) -> String {
    let count = draw(ranges.count);
    let mut specs = Vec::new();
    let mut out = String::from("tasks:\n");
    for index in 0..count {
        let period = draw(ranges.period);
        let wcet = draw(ranges.wcet).min(period);
        let deadline = ranges.deadline.map_or(period, &mut *draw).min(period);
        let offset = ranges.offset.map_or(0, &mut *draw);
        out.push_str(&format!(
            "  - {{name: T{}, period: {period}, wcet: {wcet}, deadline: {deadline}, offset: {offset}}}\n",
            index + 1
        ));
        specs.push(crate::scenario::TaskSpec {
            name: String::new(),
            period,
            wcet,
            deadline,
            offset,
        });
    }
    let most = ranges.max_horizon.unwrap_or(DEFAULT_MAX_HORIZON);
    let last_offset = specs.iter().map(|task| task.offset).max().unwrap_or(0);
    let horizon = crate::scenario::realtime::hyperperiod(&specs, most)
        .map(|hyperperiod| hyperperiod + last_offset)
        .filter(|&horizon| horizon <= most);
    if horizon.is_none() {
        out.push_str(&format!("horizon: {most}\n"));
    }
    out
}

fn policy_text(policy: &PolicyFile) -> String {
    match policy {
        PolicyFile::Name(name) => name.clone(),
        PolicyFile::Options(_) => json_flow(policy),
    }
}

/// A value as a YAML flow collection (JSON is YAML).
fn json_flow<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value)
        .unwrap_or_default()
        .replace("\":", "\": ")
        .replace(",\"", ", \"")
}

fn quoted(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEMPLATE: &str = "name: practice\ntemplate:\n  processes: {count: [4, 6], arrival: [0, 10], burst: [1, 12], priority: [1, 5], io: [0, 2]}\n  policy: [fcfs, sjf, srtf, {kind: rr, quantum: 3}]\n";

    #[test]
    fn a_student_id_cannot_inject_yaml() {
        let template = parse_template(TEMPLATE).unwrap();
        let text = generate(&template, &Recipient::Student("s1\ncpus: 7\n#".into())).unwrap();
        let exercise = crate::exercise::Exercise::from_yaml(&text).unwrap();
        assert_eq!(exercise.scenario().unwrap().cpus, 1, "{text}");
        assert!(!text.lines().any(|line| line.starts_with("cpus")), "{text}");
    }

    #[test]
    fn the_same_student_gets_the_same_problem_and_others_other_ones() {
        let template = parse_template(TEMPLATE).unwrap();
        let s1 = generate(&template, &Recipient::Student("s1001".into())).unwrap();
        assert_eq!(
            s1,
            generate(&template, &Recipient::Student(" s1001 ".into())).unwrap()
        );
        let s2 = generate(&template, &Recipient::Student("s1002".into())).unwrap();
        assert_ne!(s1, s2);
        let scenario = crate::Scenario::from_yaml(&s1).unwrap();
        assert!((4..=6).contains(&scenario.processes.len()));
        assert!(scenario.name.contains("student s1001"));
    }

    #[test]
    fn student_seeds_are_fnv1a_and_never_change() {
        // Golden values: changing them changes every student's problem.
        assert_eq!(student_seed(""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(student_seed("a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(student_seed("s1001"), student_seed("s1001 "));
    }

    #[test]
    fn the_header_names_the_seed_once() {
        let template = parse_template(
            "name: x\ntemplate:\n  processes: {count: 2, burst: 1}\n  policy: fcfs\n",
        )
        .unwrap();
        let by_seed = generate(&template, &Recipient::Seed(7)).unwrap();
        assert!(
            by_seed.starts_with(
                "# Generated by `procsim generate` from the template \"x\" (seed 7).\n"
            ),
            "{by_seed}"
        );
        let by_student = generate(&template, &Recipient::Student("s1".into())).unwrap();
        let seed = student_seed("s1");
        assert!(
            by_student.contains(&format!("(student s1, seed {seed}).")),
            "{by_student}"
        );
    }

    #[test]
    fn templates_draw_task_sets_within_their_ranges() {
        let text = "name: rt\ntemplate:\n  tasks: {count: [2, 3], period: [4, 12], wcet: [1, 20], deadline: [2, 30]}\n  \
                    policy: [rm, edf]\n";
        let template = parse_template(text).unwrap();
        for seed in 0..30 {
            let problem = generate(&template, &Recipient::Seed(seed)).unwrap();
            let scenario = crate::Scenario::from_yaml(&problem).unwrap();
            let realtime = scenario.realtime.as_ref().unwrap();
            assert!((2..=3).contains(&realtime.tasks.len()), "{problem}");
            for task in &realtime.tasks {
                assert!((4..=12).contains(&task.period));
                assert!(task.wcet <= task.period && task.deadline <= task.period);
            }
            assert!(!problem.contains("processes:"), "{problem}");
        }
        // A hyperperiod over the horizon limit is cut to it.
        let long = parse_template(
            "name: rt\ntemplate:\n  tasks: {count: 2, period: [97, 101], wcet: 1, max_horizon: 50}\n  policy: edf\n",
        )
        .unwrap();
        let problem = generate(&long, &Recipient::Seed(1)).unwrap();
        assert!(problem.contains("horizon: 50"), "{problem}");
        let bad = parse_template("name: x\ntemplate:\n  policy: edf\n").unwrap_err();
        assert!(
            bad.one_line("t")
                .contains("template: expected `processes:` ranges, `tasks:` ranges")
        );
        let bad = parse_template(
            "name: x\ntemplate:\n  tasks: {count: 11, period: 4, wcet: 1}\n  policy: edf\n",
        )
        .unwrap_err();
        assert!(bad.one_line("t").contains("template.tasks.count"));
    }

    #[test]
    fn templates_draw_request_sizes_for_eevdf_only() {
        let text = "name: modern\ntemplate:\n  processes: {count: 5, burst: [1, 9], slice: [2, 4]}\n  \
                    policy:\n    - {kind: eevdf, slice: 3}\n    - {kind: rr, quantum: 2}\n";
        let template = parse_template(text).unwrap();
        let (mut saw_eevdf, mut saw_rr) = (false, false);
        for seed in 0..20 {
            let problem = generate(&template, &Recipient::Seed(seed)).unwrap();
            let scenario = crate::Scenario::from_yaml(&problem).unwrap();
            match &scenario.policy {
                crate::scenario::PolicyConfig::Eevdf(config) => {
                    saw_eevdf = true;
                    assert_eq!(config.process_slices.len(), 5);
                    assert!(
                        config
                            .process_slices
                            .iter()
                            .all(|slice| matches!(slice, Some(2..=4))),
                        "{problem}"
                    );
                }
                _ => {
                    saw_rr = true;
                    assert!(!problem.contains("slice:"), "{problem}");
                }
            }
        }
        assert!(saw_eevdf && saw_rr);
        let bad = parse_template(
            "name: x\ntemplate:\n  processes: {count: 2, burst: 1, slice: 0}\n  policy: eevdf\n",
        )
        .unwrap_err();
        assert!(bad.one_line("t").contains("template.processes.slice"));
    }

    #[test]
    fn templates_draw_nice_values_and_mlq_queues() {
        let text = "name: modern\ntemplate:\n  processes: {count: 6, burst: [1, 9], nice: [-5, 5], queue: [system, batch]}\n  \
                    policy:\n    - {kind: cfs, latency: 6}\n    - {kind: mlq, queues: [{name: system, policy: {kind: rr, quantum: 2}}, {name: batch, policy: fcfs}]}\n";
        let template = parse_template(text).unwrap();
        let (mut saw_cfs, mut saw_mlq) = (false, false);
        for seed in 0..20 {
            let problem = generate(&template, &Recipient::Seed(seed)).unwrap();
            let scenario = crate::Scenario::from_yaml(&problem).unwrap();
            for process in &scenario.processes {
                assert!((-5..=5).contains(&process.nice), "{problem}");
            }
            match &scenario.policy {
                crate::scenario::PolicyConfig::Mlq(config) => {
                    saw_mlq = true;
                    assert_eq!(problem.matches("queue: \"").count(), 6, "{problem}");
                    assert_eq!(config.assignment.len(), 6);
                }
                _ => {
                    saw_cfs = true;
                    assert!(!problem.contains("queue:"), "{problem}");
                }
            }
        }
        assert!(saw_cfs && saw_mlq);
        let bad = parse_template(
            "name: x\ntemplate:\n  processes: {count: 2, burst: 1, nice: [-30, 0]}\n  policy: cfs\n",
        )
        .unwrap_err();
        assert!(
            bad.one_line("t").contains("template.processes.nice"),
            "{bad}"
        );
    }

    #[test]
    fn bad_ranges_name_the_field() {
        let error = parse_template(&TEMPLATE.replace("[4, 6]", "[6, 4]")).unwrap_err();
        assert!(
            error
                .one_line("t.yaml")
                .starts_with("t.yaml: template.processes.count: expected [min, max]")
        );
        let error = parse_template(&TEMPLATE.replace("srtf,", "srtff,")).unwrap();
        let problems: Vec<String> = (0..20)
            .filter_map(|seed| generate(&error, &Recipient::Seed(seed)).err())
            .map(|e| e.one_line("t.yaml"))
            .collect();
        assert!(
            problems
                .iter()
                .any(|p| p.contains("unknown policy `srtff`"))
        );
    }
}
