//! Any text as the command-line lists of `sweep` and `compare` (`--quantum`/`--seeds`/`--cpus`
//! ranges, `--policies`) and `run --schedule`: each is parsed into a bounded value or refused
//! with a message naming the flag.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sim_core::ranges::parse_number_list;
use sim_core::scenario::policies::parse_policy_list;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match parse_number_list(text, "--quantum", 1_000_000) {
        Ok(numbers) => assert!(!numbers.is_empty() && numbers.len() <= 1_000_000),
        Err(message) => assert!(message.starts_with("--quantum: "), "{message}"),
    }
    if let Ok(policies) = parse_policy_list(text) {
        for policy in &policies {
            let _ = policy.describe();
        }
    }
    let _ = sim_core::explore::parse_schedule(text);
});
