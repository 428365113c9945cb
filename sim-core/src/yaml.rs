//! The one place where YAML text becomes typed values: serde-saphyr with tight limits.
//!
//! Scenarios come from instructors and answers from students, so every input is treated as
//! untrusted: the size is capped before parsing, and the parser's budget rejects alias bombs and
//! deep nesting in microseconds instead of spending seconds on them.

use serde::de::DeserializeOwned;

/// Largest YAML input accepted, in bytes.
pub const MAX_INPUT_BYTES: usize = 1024 * 1024;
/// Deepest nesting of mappings and sequences accepted.
pub const MAX_DEPTH: usize = 32;
/// Most YAML nodes accepted in one document.
pub const MAX_NODES: usize = 200_000;

/// Why YAML text could not be read as the expected type.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct YamlError {
    /// 1-based line of the problem, when the parser knows it.
    pub line: Option<u64>,
    /// 1-based column of the problem, when the parser knows it.
    pub column: Option<u64>,
    /// What was wrong and what was expected, without the source snippet.
    pub message: String,
    /// The message with a rustc-style snippet of the offending lines; the source is named
    /// `<input>` so that callers can substitute the file name.
    pub rendered: String,
}

impl YamlError {
    /// A size or budget problem that has no position in the text.
    fn whole_input(message: String) -> YamlError {
        YamlError {
            line: None,
            column: None,
            rendered: format!("error: {message}"),
            message,
        }
    }

    /// The error as one line prefixed by `origin:line:column:` (or `origin:`).
    pub fn one_line(&self, origin: &str) -> String {
        match (self.line, self.column) {
            (Some(line), Some(column)) => format!("{origin}:{line}:{column}: {}", self.message),
            _ => format!("{origin}: {}", self.message),
        }
    }

    /// The error with its snippet, the source named `origin`.
    pub fn with_snippet(&self, origin: &str) -> String {
        self.rendered.replace("<input>", origin)
    }
}

/// Writes `value` as YAML (block style), for the files procsim writes (answer keys).
pub fn to_string<T: serde::Serialize>(value: &T) -> String {
    serde_saphyr::to_string(value).unwrap_or_default()
}

/// Parses `text` as a `T`, enforcing the size, depth, node and alias limits above.
pub fn parse<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    if text.len() > MAX_INPUT_BYTES {
        return Err(YamlError::whole_input(format!(
            "input is {} bytes, over the limit of {} bytes (1 MiB)",
            text.len(),
            MAX_INPUT_BYTES
        )));
    }
    let mut budget = serde_saphyr::Budget::default();
    budget.max_depth = MAX_DEPTH;
    budget.max_nodes = MAX_NODES;
    budget.max_aliases = 1_000;
    budget.max_anchors = 1_000;
    budget.max_events = 4 * MAX_NODES;
    let options = serde_saphyr::options! {
        budget: Some(budget),
        strict_booleans: true,
    };
    serde_saphyr::from_str_with_options(text, options).map_err(|error| {
        let location = error.location();
        let message = error.without_snippet().to_string();
        // The plain form ends with " at line L, column C"; positions are kept separately.
        let message = match message.rfind(" at line ") {
            Some(cut) if location.is_some() => message[..cut].to_string(),
            _ => message,
        };
        YamlError {
            line: location.map(|l| l.line()),
            column: location.map(|l| l.column()),
            message,
            rendered: error.to_string(),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn reports_line_and_column() {
        let error = parse::<BTreeMap<String, u64>>("a: 1\nb: x\n").unwrap_err();
        assert_eq!((error.line, error.column), (Some(2), Some(4)));
        assert!(
            error.one_line("f.yaml").starts_with("f.yaml:2:4: "),
            "{error:?}"
        );
    }

    #[test]
    fn rejects_oversized_input() {
        let text = "a: 1\n".repeat(MAX_INPUT_BYTES / 4);
        let error = parse::<BTreeMap<String, u64>>(&text).unwrap_err();
        assert!(error.message.contains("over the limit"), "{error:?}");
    }

    #[test]
    fn rejects_deep_nesting_quickly() {
        let text = "[".repeat(10_000) + &"]".repeat(10_000);
        assert!(parse::<serde_json_free::Any>(&text).is_err());
    }

    #[test]
    fn rejects_alias_bombs() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for level in 1..12 {
            let prev = format!("*a{}", level - 1);
            let row = [prev.as_str(); 10].join(", ");
            text.push_str(&format!("a{level}: &a{level} [{row}]\n"));
        }
        assert!(parse::<serde_json_free::Any>(&text).is_err());
    }

    /// A type that accepts any YAML, to test the limits independently of a schema.
    mod serde_json_free {
        #[derive(Debug)]
        pub struct Any;
        impl<'de> serde::Deserialize<'de> for Any {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                serde::de::IgnoredAny::deserialize(d).map(|_| Any)
            }
        }
    }
}
