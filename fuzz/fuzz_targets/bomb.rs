//! Any text as a scenario, run as `procsim run --summary` runs it (the streaming report) with
//! the default limits but a smaller event limit (for speed): whatever the file asks for, the
//! run ends or stops at a limit within libFuzzer's RSS cap (`-rss_limit_mb`), never an abort.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sim_core::Scenario;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(scenario) = Scenario::from_yaml(text) else {
        return;
    };
    let _ = sim_core::report::run_streamed_without_chart(scenario, 2_000_000);
});
