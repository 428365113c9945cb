//! sim-core's integration tests, one module per concern (one binary compiles faster).

mod cfs;
mod coroutines;
mod eevdf;
mod event_steps;
mod explore;
mod golden;
mod grading;
mod hardening;
mod invariants;
mod layers;
mod lifecycle;
mod mlfq_reference;
mod mlq;
mod programs;
mod purity;
mod python;
mod realtime;
mod reference;
mod same_instant_shuffled;
mod same_instant_threads;
mod same_tick;
mod scenarios;
mod support;
mod sync;
mod threads;
