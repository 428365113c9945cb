//! The largest values a scenario may give, and the largest time a run may reach. Validation
//! refuses larger values, naming the field and the limit; with them, every sum the engine and
//! the policies make fits in 64 bits (pass values of stride scheduling and ticket sums of the
//! lottery are computed in 128 bits), and a run that would pass [`MAX_TIME`] stops with a
//! clear error instead of wrapping or saturating.

/// Largest time or duration a scenario may give: 10^15 ticks (31,700 years of milliseconds).
pub const MAX_TICKS: u64 = 1_000_000_000_000_000;
/// Largest time a run may reach: 2^62 ticks. Any time the engine computes is at most this plus
/// one duration (≤ [`MAX_TICKS`]), far below 2^64.
pub const MAX_TIME: u64 = 1 << 62;
/// Most tickets a process may hold (lottery, stride): stride's 10,000 / tickets stays ≥ 1.
pub const MAX_TICKETS: u64 = 10_000;
/// Largest count of instances, queue items, claims or MLFQ allotment slices.
pub const MAX_COUNT: u64 = 1_000_000_000;
/// Largest `max_processes`: Linux's largest `pid_max` (2^22).
pub const MAX_MAX_PROCESSES: u64 = 4_194_304;
/// Most CPUs a scenario (or an imported trace's job) may have.
pub const MAX_CPUS: u64 = 1024;
/// Longest name a `workload:` name template may make.
pub const MAX_GENERATED_NAME_BYTES: usize = 256;
/// Most steps `call`s may copy, all together: each `call` copies the steps of the program it
/// calls, so calls of calls would otherwise grow exponentially.
pub const MAX_EXPANDED_STEPS: usize = 1_000_000;
/// Deepest nesting of `call`s (a called program that calls another, ...).
pub const MAX_CALL_DEPTH: usize = 16;
