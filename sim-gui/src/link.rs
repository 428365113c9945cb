//! Links that open a scenario in the browser build: `?scenario=python/counter-race-gil` opens a
//! built-in one, `#yaml=<base64url>` any scenario's text. Reading and making them is plain
//! Rust (the page's address comes from `web`), so it is tested on the desktop.

use base64::Engine as _;
use base64::engine::DecodePaddingMode;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};

/// What a link asks to open.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LinkTarget {
    /// A built-in scenario, by its path in scenarios/ (`python/counter-race-gil.yaml`).
    BuiltIn(String),
    /// A scenario's text.
    Yaml(String),
}

/// Longest scenario text a link carries (bytes): past it, share the file.
pub const MAX_LINKED_YAML: usize = 1 << 20;

/// Base64url without padding, as URLs want it; padded input is read too.
const BASE64URL: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::URL_SAFE,
    GeneralPurposeConfig::new()
        .with_encode_padding(false)
        .with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// The scenario the page's query (`?scenario=...`) or fragment (`#yaml=...`) names, the
/// fragment first; `None` when neither does. A name with no built-in scenario, or a fragment
/// that is not base64url UTF-8 text, is an error to show.
pub fn parse(query: &str, fragment: &str) -> Result<Option<LinkTarget>, String> {
    if let Some(encoded) = parameter(fragment.trim_start_matches('#'), "yaml") {
        if encoded.len() > MAX_LINKED_YAML * 4 / 3 + 4 {
            return Err(format!(
                "the link's scenario is longer than {} KiB: share the file instead",
                MAX_LINKED_YAML / 1024
            ));
        }
        let bytes = BASE64URL
            .decode(encoded.trim())
            .map_err(|error| format!("the link's #yaml= is not base64url: {error}"))?;
        let text = String::from_utf8(bytes)
            .map_err(|_| "the link's #yaml= is not UTF-8 text".to_string())?;
        return Ok(Some(LinkTarget::Yaml(text)));
    }
    let Some(name) = parameter(query.trim_start_matches('?'), "scenario") else {
        return Ok(None);
    };
    let name = percent_decoded(name);
    let path = if name.ends_with(".yaml") {
        name
    } else {
        format!("{name}.yaml")
    };
    match crate::gallery::entries().iter().find(|e| e.path == path) {
        Some(entry) => Ok(Some(LinkTarget::BuiltIn(entry.path.to_string()))),
        None => Err(format!(
            "no built-in scenario `{path}` (the Gallery lists them; a link names one as \
             ?scenario=python/counter-race-gil)"
        )),
    }
}

/// A link to `target` on the page at `base` (its address without query or fragment).
pub fn make(base: &str, target: &LinkTarget) -> String {
    match target {
        LinkTarget::BuiltIn(path) => {
            format!("{base}?scenario={}", path.trim_end_matches(".yaml"))
        }
        LinkTarget::Yaml(text) => format!("{base}#yaml={}", BASE64URL.encode(text)),
    }
}

/// The value of `key` in `a=1&key=value`.
fn parameter<'a>(pairs: &'a str, key: &str) -> Option<&'a str> {
    pairs
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(name, _)| *name == key)
        .map(|(_, value)| value)
}

/// `%2F` and the like decoded (a name's `/` may come escaped); what is not valid stays as is.
fn percent_decoded(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        let hex = |at: usize| {
            bytes
                .get(at)
                .and_then(|&b| (b as char).to_digit(16))
                .map(|d| d as u8)
        };
        match (bytes[index], hex(index + 1), hex(index + 2)) {
            (b'%', Some(high), Some(low)) => {
                out.push(high * 16 + low);
                index += 3;
            }
            (b'+', _, _) => {
                out.push(b' ');
                index += 1;
            }
            (byte, _, _) => {
                out.push(byte);
                index += 1;
            }
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_string())
}

// The standard engine, for tests that check links made elsewhere (with padding) read too.
#[cfg(test)]
const PADDED: GeneralPurpose = base64::engine::general_purpose::URL_SAFE;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_built_in_scenario_by_its_path_with_or_without_yaml() {
        for query in [
            "?scenario=python/counter-race-gil",
            "scenario=python/counter-race-gil.yaml",
            "?x=1&scenario=python%2Fcounter-race-gil",
        ] {
            assert_eq!(
                parse(query, ""),
                Ok(Some(LinkTarget::BuiltIn(
                    "python/counter-race-gil.yaml".into()
                ))),
                "{query}"
            );
        }
        assert_eq!(parse("", ""), Ok(None));
        let error = parse("?scenario=python/nothing", "").unwrap_err();
        assert!(
            error.contains("no built-in scenario `python/nothing.yaml`"),
            "{error}"
        );
    }

    #[test]
    fn any_scenario_as_base64url_and_back() {
        let text = "name: Ünïcode ✓\npolicy: fcfs\nprocesses: [{name: A, burst: 2}] # ?&=/+\n";
        let link = make("http://h/", &LinkTarget::Yaml(text.into()));
        let fragment = link.split_once('#').unwrap().1;
        assert!(
            fragment[5..]
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'),
            "{link}"
        );
        assert_eq!(
            parse("?scenario=python/counter-race-gil", fragment),
            Ok(Some(LinkTarget::Yaml(text.into()))),
            "the fragment wins"
        );
        let padded = format!("yaml={}", PADDED.encode(text));
        assert_eq!(parse("", &padded), Ok(Some(LinkTarget::Yaml(text.into()))));
        let built_in = make(
            "https://x.org/procsim/",
            &LinkTarget::BuiltIn("python/counter-race-gil.yaml".into()),
        );
        assert_eq!(
            built_in,
            "https://x.org/procsim/?scenario=python/counter-race-gil"
        );
    }

    #[test]
    fn a_broken_fragment_says_what_is_wrong() {
        assert!(
            parse("", "#yaml=***")
                .unwrap_err()
                .contains("not base64url")
        );
        let not_utf8 = format!("#yaml={}", BASE64URL.encode([0xff, 0xfe]));
        assert!(parse("", &not_utf8).unwrap_err().contains("not UTF-8"));
        let long = format!("#yaml={}", "A".repeat(MAX_LINKED_YAML * 2));
        assert!(parse("", &long).unwrap_err().contains("share the file"));
    }
}
