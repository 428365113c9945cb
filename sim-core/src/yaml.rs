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
/// Most YAML nodes accepted in one answer (and the least any document may have).
pub const MAX_NODES: usize = 200_000;
/// Largest instructor's document (a scenario, matrix exercise or template) the core accepts;
/// the CLI's `--max-input-bytes` (default 256 MiB) caps what it reads.
pub const MAX_DOCUMENT_BYTES: usize = 1 << 30;

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

    /// The error with its snippet, the source named `origin`: `error: FILE:LINE:COL: message`
    /// and the lines at fault under it.
    pub fn with_snippet(&self, origin: &str) -> String {
        let head = format!("error: {}", self.one_line(origin));
        // The parser's own rendering starts with its headline; the snippet follows it.
        match self.rendered.split_once('\n') {
            Some((_, snippet)) if self.line.is_some() => {
                format!("{head}\n{}", snippet.replace("<input>", origin))
            }
            _ => head,
        }
    }
}

/// Where a value is in a document and the lines around it, for errors found after parsing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Position {
    /// 1-based.
    pub line: u64,
    /// 1-based.
    pub column: u64,
    /// The line at fault and up to two lines before it, each with its number.
    pub excerpt: Vec<(u64, String)>,
}

impl Position {
    /// A rustc-style snippet pointing at the value, the source named `origin`.
    pub fn snippet(&self, origin: &str, label: &str) -> String {
        let width = self.line.to_string().len();
        let mut out = format!("{:>width$}--> {origin}:{}:{}\n", "", self.line, self.column);
        out.push_str(&format!("{:>width$} |\n", ""));
        for (number, text) in &self.excerpt {
            out.push_str(&format!(
                "{number:>width$} | {}\n",
                crate::text::escape_controls(text)
            ));
        }
        let caret_at = usize::try_from(self.column.saturating_sub(1)).unwrap_or(0);
        out.push_str(&format!(
            "{:>width$} | {}^ {label}",
            "",
            " ".repeat(caret_at)
        ));
        out
    }
}

/// Where the value at `path` (as validation names fields: `processes[0].program[2].io.time`,
/// `policy.quantum`, `grading.wating`) is in `text`: the value itself, or, when the document
/// does not give it, the nearest enclosing value it does give. `None` if the text does not
/// parse (validation errors come after a successful parse, so it does).
pub fn locate(text: &str, path: &str) -> Option<Position> {
    let root: serde_saphyr::Spanned<Node> = parse(text).ok()?;
    let mut node = &root;
    let mut at = &root.referenced;
    for segment in path_segments(path) {
        let next = match (&node.value, segment) {
            (Node::Map(entries), Segment::Key(key)) => entries
                .iter()
                .find(|(name, _)| name.value == key)
                .map(|(name, value)| (value, &name.referenced)),
            (Node::Seq(items), Segment::Index(index)) => {
                items.get(index).map(|item| (item, &item.referenced))
            }
            _ => None,
        };
        let Some((value, key_at)) = next else { break };
        // A map value points at its key's line when the value opens a block below it.
        at = if matches!(value.value, Node::Scalar) {
            &value.referenced
        } else {
            key_at
        };
        node = value;
    }
    position_in(text, at.line(), at.column())
}

/// The position (line, column), 1-based, of `text` with its excerpt; `None` for line 0.
fn position_in(text: &str, line: u64, column: u64) -> Option<Position> {
    if line == 0 {
        return None;
    }
    let lines: Vec<&str> = text.lines().collect();
    let last = usize::try_from(line).ok()?;
    let first = last.saturating_sub(3);
    let excerpt = (first..last.min(lines.len()))
        .map(|index| (index as u64 + 1, lines[index].to_string()))
        .collect();
    Some(Position {
        line,
        column,
        excerpt,
    })
}

/// One step of a field path.
enum Segment<'a> {
    Key(&'a str),
    Index(usize),
}

/// `processes[0].program[2].io` → processes, 0, program, 2, io.
fn path_segments(path: &str) -> Vec<Segment<'_>> {
    let mut segments = Vec::new();
    for part in path.split('.') {
        let (key, indices) = match part.find('[') {
            Some(at) => (&part[..at], &part[at..]),
            None => (part, ""),
        };
        if !key.is_empty() {
            segments.push(Segment::Key(key));
        }
        for index in indices.split('[').filter(|i| !i.is_empty()) {
            if let Ok(index) = index.trim_end_matches(']').parse() {
                segments.push(Segment::Index(index));
            }
        }
    }
    segments
}

/// Any YAML value, with the position of every node: what [`locate`] walks.
enum Node {
    Scalar,
    Seq(Vec<serde_saphyr::Spanned<Node>>),
    Map(Vec<(serde_saphyr::Spanned<String>, serde_saphyr::Spanned<Node>)>),
}

impl<'de> serde::Deserialize<'de> for Node {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct NodeVisitor;
        impl<'de> serde::de::Visitor<'de> for NodeVisitor {
            type Value = Node;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("any YAML value")
            }
            fn visit_bool<E>(self, _: bool) -> Result<Node, E> {
                Ok(Node::Scalar)
            }
            fn visit_i64<E>(self, _: i64) -> Result<Node, E> {
                Ok(Node::Scalar)
            }
            fn visit_u64<E>(self, _: u64) -> Result<Node, E> {
                Ok(Node::Scalar)
            }
            fn visit_i128<E>(self, _: i128) -> Result<Node, E> {
                Ok(Node::Scalar)
            }
            fn visit_u128<E>(self, _: u128) -> Result<Node, E> {
                Ok(Node::Scalar)
            }
            fn visit_f64<E>(self, _: f64) -> Result<Node, E> {
                Ok(Node::Scalar)
            }
            fn visit_str<E>(self, _: &str) -> Result<Node, E> {
                Ok(Node::Scalar)
            }
            fn visit_unit<E>(self) -> Result<Node, E> {
                Ok(Node::Scalar)
            }
            fn visit_none<E>(self) -> Result<Node, E> {
                Ok(Node::Scalar)
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element()? {
                    items.push(item);
                }
                Ok(Node::Seq(items))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
                let mut entries = Vec::new();
                while let Some(key) = map.next_key::<serde_saphyr::Spanned<KeyText>>()? {
                    let value = map.next_value()?;
                    let key = serde_saphyr::Spanned::new(key.value.0, key.referenced, key.defined);
                    entries.push((key, value));
                }
                Ok(Node::Map(entries))
            }
        }
        deserializer.deserialize_any(NodeVisitor)
    }
}

/// A mapping key as text, whatever scalar it is (`5:` in `states_at: {5: ...}` is a number).
struct KeyText(String);

impl<'de> serde::Deserialize<'de> for KeyText {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl serde::de::Visitor<'_> for KeyVisitor {
            type Value = KeyText;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a mapping key")
            }
            fn visit_str<E>(self, text: &str) -> Result<KeyText, E> {
                Ok(KeyText(text.to_string()))
            }
            fn visit_u64<E>(self, value: u64) -> Result<KeyText, E> {
                Ok(KeyText(value.to_string()))
            }
            fn visit_i64<E>(self, value: i64) -> Result<KeyText, E> {
                Ok(KeyText(value.to_string()))
            }
            fn visit_bool<E>(self, value: bool) -> Result<KeyText, E> {
                Ok(KeyText(value.to_string()))
            }
            fn visit_f64<E>(self, value: f64) -> Result<KeyText, E> {
                Ok(KeyText(value.to_string()))
            }
        }
        deserializer.deserialize_any(KeyVisitor)
    }
}

/// Writes `value` as YAML (block style), for the files procsim writes (answer keys).
pub fn to_string<T: serde::Serialize>(value: &T) -> String {
    serde_saphyr::to_string(value).unwrap_or_default()
}

/// Parses `text` as a `T` — a student's answer — enforcing the size (1 MiB), depth, node and
/// alias limits above.
pub fn parse<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    if text.len() > MAX_INPUT_BYTES {
        return Err(YamlError::whole_input(format!(
            "input is {} bytes, over the limit of {} bytes (1 MiB)",
            text.len(),
            MAX_INPUT_BYTES
        )));
    }
    parse_within(text, MAX_NODES)
}

/// Parses an instructor's document (a scenario, a matrix exercise, a template): its size is
/// the reader's limit (`--max-input-bytes`), and the node budget grows with it — about one
/// node for every two bytes, so a 100,000-process workload fits — while the depth and alias
/// budgets stay those of answers.
pub fn parse_document<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    if text.len() > MAX_DOCUMENT_BYTES {
        return Err(YamlError::whole_input(format!(
            "input is {} bytes, over the limit of {MAX_DOCUMENT_BYTES} bytes",
            text.len()
        )));
    }
    parse_within(text, MAX_NODES.max(text.len() / 2))
}

/// Parses a JSON document (generated workloads; much faster than YAML for large files), with
/// errors in the same form as YAML's: line, column, message.
pub fn parse_json<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    serde_json::from_str(text).map_err(|error| {
        let message = error.to_string();
        let message = match message.rfind(" at line ") {
            Some(cut) => message[..cut].to_string(),
            None => message,
        };
        let (line, column) = (error.line() as u64, error.column() as u64);
        // serde_json points just past the value; the key and value before it name the field.
        let message = plain_words(&message, json_token_before(text, (line, column)));
        YamlError {
            line: Some(line),
            column: Some(column),
            rendered: format!("error: line {line} column {column}: {message}\n"),
            message,
        }
    })
}

/// The JSON key and value that end just before a 1-based position (`"arrival": -3` → arrival,
/// -3), for error messages.
fn json_token_before(text: &str, (line, column): (u64, u64)) -> Option<(Option<String>, String)> {
    let line = text
        .lines()
        .nth(usize::try_from(line).ok()?.checked_sub(1)?)?;
    let cut = line
        .char_indices()
        .nth(usize::try_from(column).ok()?)
        .map_or(line.len(), |(at, _)| at);
    let before = &line[..cut];
    let (key_part, value) = before.rsplit_once(':')?;
    let key = key_part
        .trim_end()
        .strip_suffix('"')?
        .rsplit_once('"')?
        .1
        .to_string();
    let value = value
        .trim()
        .trim_end_matches([',', '}', ']'])
        .trim()
        .to_string();
    Some((Some(key), value))
}

/// Whether `text` is a JSON document rather than YAML (it opens with `{`): the JSON parser then
/// reads it.
/// `text` without a leading UTF-8 byte order mark (editors on Windows write one).
pub fn without_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

/// Whether the JSON `text` gives a key twice in one object (which serde_json would let pass,
/// keeping the last): `Err` with where, as YAML's parser refuses it.
pub fn json_keys_once(text: &str) -> Result<(), serde_json::Error> {
    use serde::de::{self, Deserializer as _, MapAccess, SeqAccess, Visitor};
    struct KeysOnce;
    impl<'de> Visitor<'de> for KeysOnce {
        type Value = KeysOnce;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a JSON value")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<KeysOnce, A::Error> {
            let mut seen = std::collections::BTreeSet::new();
            while let Some(key) = map.next_key::<String>()? {
                if !seen.insert(key.clone()) {
                    return Err(de::Error::custom(format!("`{key}` is given twice")));
                }
                map.next_value::<KeysOnce>()?;
            }
            Ok(KeysOnce)
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<KeysOnce, A::Error> {
            while seq.next_element::<KeysOnce>()?.is_some() {}
            Ok(KeysOnce)
        }
        fn visit_bool<E>(self, _: bool) -> Result<KeysOnce, E> {
            Ok(KeysOnce)
        }
        fn visit_i64<E>(self, _: i64) -> Result<KeysOnce, E> {
            Ok(KeysOnce)
        }
        fn visit_u64<E>(self, _: u64) -> Result<KeysOnce, E> {
            Ok(KeysOnce)
        }
        fn visit_f64<E>(self, _: f64) -> Result<KeysOnce, E> {
            Ok(KeysOnce)
        }
        fn visit_str<E>(self, _: &str) -> Result<KeysOnce, E> {
            Ok(KeysOnce)
        }
        fn visit_unit<E>(self) -> Result<KeysOnce, E> {
            Ok(KeysOnce)
        }
    }
    impl<'de> serde::Deserialize<'de> for KeysOnce {
        fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<KeysOnce, D::Error> {
            deserializer.deserialize_any(KeysOnce)
        }
    }
    let mut deserializer = serde_json::Deserializer::from_str(text);
    deserializer.deserialize_any(KeysOnce)?;
    Ok(())
}

pub fn looks_like_json(text: &str) -> bool {
    text.trim_start().starts_with('{')
}

fn parse_within<T: DeserializeOwned>(text: &str, max_nodes: usize) -> Result<T, YamlError> {
    let mut budget = serde_saphyr::Budget::default();
    budget.max_depth = MAX_DEPTH;
    budget.max_nodes = max_nodes;
    budget.max_aliases = 1_000;
    budget.max_anchors = 1_000;
    budget.max_events = 4 * max_nodes;
    let options = serde_saphyr::options! {
        budget: Some(budget),
        strict_booleans: true,
    };
    serde_saphyr::from_str_with_options(text, options).map_err(|error| {
        // An empty document is an empty answer, but a scenario needs fields: say so plainly.
        let blank = text
            .lines()
            .all(|line| line.trim().is_empty() || line.trim_start().starts_with('#'));
        if blank {
            return YamlError::whole_input(
                "the file holds no YAML document (it is empty or only comments)".into(),
            );
        }
        let location = error.location().filter(|l| l.line() > 0);
        let message = error.without_snippet().to_string();
        // The plain form ends with " at line L, column C"; positions are kept separately.
        let message = match message.rfind(" at line ") {
            Some(cut) => message[..cut].to_string(),
            _ => message,
        };
        let message = plain_words(
            &message,
            location
                .map(|l| (l.line(), l.column()))
                .and_then(|at| token_at(text, at)),
        );
        // A `{` or `[` never closed swallows the lines after it, and the parser then blames a
        // value further on: name the bracket first.
        if let Some((line, column, open)) = unclosed_flow(text)
            && location.is_none_or(|l| (line, column) <= (l.line(), l.column()))
        {
            let message = format!("the `{open}` here is never closed ({message})");
            let snippet = position_in(text, line, column)
                .map_or(String::new(), |at| at.snippet("<input>", "never closed"));
            return YamlError {
                line: Some(line),
                column: Some(column),
                rendered: format!("error: {message}\n{snippet}"),
                message,
            };
        }
        let rendered = error.to_string();
        // The snippet's caret line repeats the parser's words: give it ours.
        let rendered = match rendered.rsplit_once("^ ") {
            Some((before, _)) => format!("{before}^ {message}"),
            None => rendered,
        };
        YamlError {
            line: location.map(|l| l.line()),
            column: location.map(|l| l.column()),
            message,
            rendered,
        }
    })
}

/// The first `{` or `[` of a flow collection that the text never closes, as (line, column,
/// bracket), 1-based. Quoted strings, comments and block scalars (`|`, `>`) are skipped.
fn unclosed_flow(text: &str) -> Option<(u64, u64, char)> {
    let mut open: Vec<(u64, u64, char)> = Vec::new();
    // The indentation of a block scalar's key line while its lines are skipped.
    let mut block_scalar: Option<usize> = None;
    for (index, line) in text.lines().enumerate() {
        let indent = line.len() - line.trim_start().len();
        if let Some(key_indent) = block_scalar {
            if line.trim().is_empty() || indent > key_indent {
                continue;
            }
            block_scalar = None;
        }
        let mut quote: Option<char> = None;
        let mut previous = ' ';
        let mut code = String::new();
        for (column, c) in line.chars().enumerate() {
            match quote {
                Some('"') if c == '"' && previous != '\\' => quote = None,
                Some('\'') if c == '\'' => quote = None,
                Some(_) => {}
                None => match c {
                    '"' | '\'' => quote = Some(c),
                    '#' if previous.is_whitespace() => break,
                    '{' | '[' => open.push((index as u64 + 1, column as u64 + 1, c)),
                    '}' | ']' => {
                        open.pop();
                    }
                    _ => {}
                },
            }
            code.push(c);
            previous = c;
        }
        let code = code.trim_end();
        if open.is_empty()
            && ["|", ">", "|-", ">-", "|+", ">+"]
                .iter()
                .any(|indicator| code.ends_with(&format!(" {indicator}")) || code == *indicator)
        {
            block_scalar = Some(indent);
        }
    }
    open.first().copied()
}

/// The key (if the value follows `key:` on its line) and the scalar at a 1-based position.
fn token_at(text: &str, (line, column): (u64, u64)) -> Option<(Option<String>, String)> {
    let line = text
        .lines()
        .nth(usize::try_from(line).ok()?.checked_sub(1)?)?;
    let column = usize::try_from(column).ok()?.checked_sub(1)?;
    let cut = line
        .char_indices()
        .nth(column)
        .map_or(line.len(), |(at, _)| at);
    let (before, rest) = line.split_at(cut);
    let value: String = rest
        .chars()
        .take_while(|c| !matches!(c, ',' | ']' | '}' | '#'))
        .collect();
    let before = before.trim_end();
    let key = before.strip_suffix(':').map(|head| {
        head.chars()
            .rev()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect::<String>()
            .chars()
            .rev()
            .collect::<String>()
    });
    Some((key.filter(|k| !k.is_empty()), value.trim().to_string()))
}

/// The parser's message in the words of a scenario's author: what the field accepts, and
/// nothing of the parser's internals (its types, options and functions).
fn plain_words(message: &str, token: Option<(Option<String>, String)>) -> String {
    let (key, value) = token.unwrap_or((None, String::new()));
    let subject = key.map_or("the value".to_string(), |key| format!("`{key}`"));
    let found = if value.is_empty() {
        String::new()
    } else {
        format!(", found {value}")
    };
    let accepts = |what: &str| format!("{subject} must be {what}{found}");
    let lower = message.to_ascii_lowercase();
    let numeric = |name: &str| lower.contains(name);
    if lower.starts_with("invalid")
        || lower.contains("expected u64")
        || lower.contains("expected i64")
    {
        if numeric("u64") || numeric("u32") || numeric("usize") || numeric("u16") || numeric("u8") {
            return accepts("a whole number ≥ 0");
        }
        if numeric("i64") || numeric("i32") {
            return accepts("a whole number");
        }
        if numeric("f64") || numeric("f32") {
            return accepts("a number");
        }
        if numeric("bool") {
            return accepts("true or false");
        }
    }
    // serde-saphyr's words for `.nan`/`.inf` speak of a parser "policy", which reads like the
    // scheduling policy: say what the field takes.
    if lower.starts_with("non-finite float") {
        return accepts("a finite number (not .nan or .inf)");
    }
    if let Some(rest) = message.strip_prefix("duplicate mapping key: ") {
        let key = rest.split(',').next().unwrap_or(rest).trim();
        return format!("`{key}` is given twice");
    }
    if message.starts_with("multiple YAML documents detected") {
        return "the file holds more than one YAML document (a `---` line starts another); it must hold one"
            .into();
    }
    if let Some(breach) = message.strip_prefix("budget breached: ") {
        return if breach.starts_with("Depth") {
            format!("the document is nested more than {MAX_DEPTH} levels deep")
        } else if breach.starts_with("Nodes") || breach.starts_with("Events") {
            format!("the document has more than {MAX_NODES} values")
        } else if breach.starts_with("Alias") || breach.starts_with("Anchor") {
            "the document uses too many aliases or anchors (at most 1000)".into()
        } else {
            "the document is too large or too deeply nested".into()
        };
    }
    if let Some(rest) = message.strip_prefix("data did not match any variant of untagged enum ") {
        let what = match rest.trim() {
            "ResourcesFile" => "a map of totals ({A: 10, B: 5}) or a list of names ([A, B])",
            "RubricValue" => {
                "points (a number), true or false, a list of times, or a map of points"
            }
            _ => "one of the shapes this field accepts (see docs/scenario-format.md)",
        };
        return format!("{subject} must be {what}");
    }
    match message {
        "expected mapping start" => "expected a map here ({key: value, ...})".into(),
        "recursion limit exceeded" => {
            format!("the document is nested more than {MAX_DEPTH} levels deep")
        }
        "expected sequence start" => "expected a list here ([a, b, ...])".into(),
        _ => message.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unclosed_bracket_is_found_past_quotes_comments_and_block_scalars() {
        assert_eq!(
            unclosed_flow("policy: {kind: rr, quantum: 2\nx: 1\n"),
            Some((1, 9, '{'))
        );
        assert_eq!(unclosed_flow("a: [1, {b: 2}\n"), Some((1, 4, '[')));
        assert_eq!(unclosed_flow("a: [1, {b: 2}]\n"), None);
        assert_eq!(unclosed_flow("a: \"{x\"  # [ comment\nb: '[it''s'\n"), None);
        assert_eq!(
            unclosed_flow("d: |\n  text with { and [\n  more\ne: 1\n"),
            None
        );
        assert_eq!(unclosed_flow("d: >-\n  {\ne: {\n"), Some((3, 4, '{')));
    }

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
        let error = parse::<serde_json_free::Any>(&text).unwrap_err();
        assert_eq!(
            error.message,
            "the document is nested more than 32 levels deep"
        );
    }

    #[test]
    fn locates_a_field_path_in_flow_and_block_style() {
        let text = "name: x\nprocesses:\n  - {name: A, burst: 0}\n  - name: B\n    program:\n      - cpu: 3\n";
        let at = locate(text, "processes[0].burst").unwrap();
        assert_eq!((at.line, at.column), (3, 22));
        let at = locate(text, "processes[1].program[0].cpu").unwrap();
        assert_eq!((at.line, at.column), (6, 14));
        // A field the text does not give points at the nearest one it does.
        let at = locate(text, "processes[1].arrival").unwrap();
        assert_eq!(at.line, 4);
        assert!(at.snippet("s.yaml", "here").contains("4 |   - name: B"));
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
