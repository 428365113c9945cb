//! Any text as a Standard Workload Format trace: an import either fails with a message or
//! writes a scenario that procsim reads back as valid, with or without --per-processor.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sim_core::Scenario;
use sim_core::swf::{SwfOptions, swf_yaml};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for per_processor in [false, true] {
        let options = SwfOptions {
            name: "trace \"quoted\" {i}: #1".into(),
            cpus: None,
            policy: "rr:4".into(),
            per_processor,
            max_jobs: Some(2_000),
        };
        if let Ok(yaml) = swf_yaml(text, &options) {
            if let Err(error) = Scenario::from_yaml(&yaml) {
                panic!("an imported trace does not read back: {}\n{yaml}", error.one_line("import"));
            }
        }
    }
});
