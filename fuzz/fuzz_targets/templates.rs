//! Any text as a `generate` template: a template either fails with a message or makes problems
//! that read back as valid exercises, whose keys make quiz banks that parse as XML.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sim_core::exercise::Exercise;
use sim_core::generate::{Recipient, generate, parse_template};
use sim_core::grading::AnswerKey;
use sim_core::grading::bank::{self, Variant};

const LIMIT: usize = 20_000;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(template) = parse_template(text) else {
        return;
    };
    let mut keys = Vec::new();
    for recipient in [
        Recipient::Seed(1),
        Recipient::Student("s 1 <&>\"'".into()),
        Recipient::Student("\u{202e}x".into()),
    ] {
        let Ok(problem) = generate(&template, &recipient) else {
            continue;
        };
        let exercise = match Exercise::from_yaml(&problem) {
            Ok(exercise) => exercise,
            Err(error) => panic!(
                "a generated problem does not read back: {}\n{problem}",
                error.one_line("problem")
            ),
        };
        if let Some(Ok(key)) = AnswerKey::of_exercise(&exercise, LIMIT) {
            keys.push(key);
        }
    }
    let variants: Vec<Variant> = keys
        .iter()
        .enumerate()
        .map(|(index, key)| Variant {
            label: format!("variant {index} <&>"),
            key,
        })
        .collect();
    if variants.is_empty() {
        return;
    }
    for made in [
        bank::moodle("bank <&>", &variants, 1 << 24),
        bank::qti("bank <&>", &variants, 1 << 24),
    ] {
        if let Ok(made) = made {
            if let Err(error) = roxmltree::Document::parse(&made.text) {
                panic!("a quiz bank is not XML: {error}\n{}", made.text);
            }
        }
    }
});
