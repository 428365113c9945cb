//! Small text helpers shared by every layer: numbers and ticks as people write them, plural
//! words, plain padded tables and file-name slugs. Pure functions from values to strings.

/// A number as a person writes it: integers without decimals, others to 2 places.
pub fn number(value: f64) -> String {
    if value.fract() == 0.0 {
        format!("{value:.0}")
    } else {
        format!("{value:.2}")
    }
}

/// A figure that may not exist (an average of no process): `-` then.
pub fn maybe_number(value: Option<f64>) -> String {
    value.map_or_else(|| "-".to_string(), number)
}

/// `n tick` or `n ticks`.
pub fn ticks(n: u64) -> String {
    if n == 1 {
        "1 tick".to_string()
    } else {
        format!("{n} ticks")
    }
}

/// `count word` with the word in the plural when count is not 1: `1 process`, `2 processes`.
pub fn count_of(count: usize, singular: &str, plural: &str) -> String {
    if count == 1 {
        format!("1 {singular}")
    } else {
        format!("{count} {plural}")
    }
}

/// `""` for one, `"s"` otherwise: the plural ending of a regular word.
pub fn plural_s(count: usize) -> &'static str {
    if count == 1 { "" } else { "s" }
}

/// The width of `text` on a terminal, in columns (wide characters count 2).
pub fn display_width(text: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(text)
}

/// `text` followed by spaces up to `width` columns (no padding when it is already wider).
/// Unlike `format!("{:<width$}")`, any width is fine: format widths over 65,535 panic.
pub fn pad_right(text: &str, width: usize) -> String {
    let mut out = String::from(text);
    out.extend(std::iter::repeat_n(
        ' ',
        width.saturating_sub(display_width(text)),
    ));
    out
}

/// Spaces up to `width` columns, then `text`.
pub fn pad_left(text: &str, width: usize) -> String {
    let mut out: String =
        std::iter::repeat_n(' ', width.saturating_sub(display_width(text))).collect();
    out.push_str(text);
    out
}

/// `text` with every control character (ESC, BEL, NUL, newlines, ...) and every bidirectional
/// override, embedding, isolate and mark written as an escape (`\u{1b}`, `\n`, `\u{202e}`), so
/// that text from files cannot drive a terminal, break a line-based format, or show itself in
/// another order than it is (CVE-2021-42574, "Trojan Source").
pub fn escape_controls(text: &str) -> String {
    escape_where(text, |c| c.is_control() || is_bidi_control(c))
}

/// `text` with each character for which `hidden` holds written as its escape (`\u{1b}`).
fn escape_where(text: &str, hidden: impl Fn(char) -> bool) -> String {
    if !text.chars().any(&hidden) {
        return text.to_string();
    }
    text.chars()
        .map(|c| {
            if hidden(c) {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// `text` for a terminal, a message of several lines: as `escape_controls`, but line breaks
/// and tabs are kept. Every message procsim writes to stderr goes through it, so a file name or
/// any other text from a file cannot send an escape sequence or reorder a line, whichever
/// message carries it.
pub fn escape_for_terminal(text: &str) -> String {
    escape_where(text, |c| {
        (c.is_control() && c != '\n' && c != '\t') || is_bidi_control(c)
    })
}

/// Unicode's bidirectional formatting characters (UAX #9): marks, embeddings, overrides and
/// isolates.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `text` for XML 1.0 content or an attribute value (JUnit, SVG): `&`, `<`, `>`, `"` and `'`
/// as entities; a character XML 1.0 does not allow (a control other than tab, newline and
/// carriage return; U+FFFE, U+FFFF) and the bidirectional overrides written as escapes
/// (`\u{1b}`), so that no name can make the document invalid or hide in it.
pub fn xml_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if c.is_control() || is_bidi_control(c) || matches!(c, '\u{fffe}' | '\u{ffff}') => {
                out.extend(c.escape_default())
            }
            c => out.push(c),
        }
    }
    out
}

/// A cell of text in a CSV file (RFC 4180): controls escaped; a cell a spreadsheet would take
/// for a formula — starting with `=`, `+`, `-`, `@`, a tab or a carriage return — neutralised
/// by a leading `'` (OWASP's advice on CSV injection); quoted when it holds a comma, a quote or
/// the neutralising `'`. Numbers are not cells of text: a negative one stays as it is.
pub fn csv_cell(text: &str) -> String {
    let mut cell = escape_controls(text);
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        cell.insert(0, '\'');
    }
    if cell.contains([',', '"', '\'']) {
        format!("\"{}\"", cell.replace('"', "\"\""))
    } else {
        cell
    }
}

/// `text` as literal Markdown text: every ASCII punctuation character backslash-escaped
/// (CommonMark lets any be; GitHub's tables take `\|`), controls written as escapes, so that
/// a name cannot open a link, raw HTML, emphasis or a table cell.
pub fn markdown_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in escape_controls(text).chars() {
        if c.is_ascii_punctuation() {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A code fence longer than any run of backticks in `content` (at least three), so that the
/// content cannot close it.
pub fn markdown_fence(content: &str) -> String {
    let longest = content.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    "`".repeat(longest.max(2) + 1)
}

/// The first control character of `text`, if any (line breaks and tabs allowed with `lines`):
/// names with one are refused where they are read.
pub fn control_char(text: &str, lines: bool) -> Option<char> {
    text.chars()
        .find(|&c| c.is_control() && !(lines && (c == '\n' || c == '\t')))
}

/// A plain table with columns padded to their widest cell.
pub fn table(headers: &[&str], rows: &[Vec<String>]) -> String {
    // Cells come from files (names, students' answers): no control character reaches a terminal.
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|row| row.iter().map(|cell| escape_controls(cell)).collect())
        .collect();
    let rows = rows.as_slice();
    let mut widths: Vec<usize> = headers.iter().map(|h| display_width(h)).collect();
    for row in rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(display_width(cell));
        }
    }
    let line = |cells: Vec<String>| {
        let padded: Vec<String> = cells
            .iter()
            .zip(&widths)
            .map(|(cell, &width)| pad_right(cell, width))
            .collect();
        padded.join("  ").trim_end().to_string() + "\n"
    };
    let mut out = line(headers.iter().map(|h| h.to_string()).collect());
    out.push_str(&line(widths.iter().map(|&w| "-".repeat(w)).collect()));
    for row in rows {
        out.push_str(&line(row.clone()));
    }
    out
}

/// A file-name-safe version of a name: lowercase ASCII letters and digits joined by dashes
/// (`problem` when nothing is left).
pub fn slug(name: &str) -> String {
    let lower: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let slug = lower
        .split('-')
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    if slug.is_empty() {
        "problem".into()
    } else {
        slug
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_terminal_message_keeps_its_lines_and_loses_its_escapes() {
        assert_eq!(
            escape_for_terminal("error: a\u{1b}[2Jb\u{202e}.yaml:\n  line\tthree\r"),
            "error: a\\u{1b}[2Jb\\u{202e}.yaml:\n  line\tthree\\r"
        );
        assert_eq!(escape_for_terminal("plain"), "plain");
    }

    #[test]
    fn csv_cells_that_a_spreadsheet_would_run_are_neutralised() {
        assert_eq!(
            csv_cell("=HYPERLINK(\"http://x\")"),
            "\"'=HYPERLINK(\"\"http://x\"\")\""
        );
        assert_eq!(csv_cell("+1"), "\"'+1\"");
        assert_eq!(csv_cell("-2+3"), "\"'-2+3\"");
        assert_eq!(csv_cell("@SUM(A1)"), "\"'@SUM(A1)\"");
        // A tab or CR first is written as an escape, which no spreadsheet runs.
        assert_eq!(csv_cell("\t=1"), "\\t=1");
        assert_eq!(csv_cell("plain"), "plain");
        assert_eq!(csv_cell("a,b"), "\"a,b\"");
        assert_eq!(csv_cell("it's"), "\"it's\"");
        // Parsed back (RFC 4180): one cell, the text with its leading quote.
        let cell = csv_cell("=1+1,2");
        let inner = cell
            .strip_prefix('"')
            .and_then(|c| c.strip_suffix('"'))
            .unwrap();
        assert_eq!(inner.replace("\"\"", "\""), "'=1+1,2");
    }

    #[test]
    fn bidi_overrides_are_shown_as_escapes() {
        assert_eq!(escape_controls("ab\u{202e}cd"), "ab\\u{202e}cd");
        assert_eq!(
            escape_controls("x\u{2066}y\u{2069}"),
            "x\\u{2066}y\\u{2069}"
        );
        assert_eq!(escape_controls("שלום"), "שלום");
    }

    #[test]
    fn tables_pad_any_width_without_panicking() {
        let long = "x".repeat(70_000);
        let text = table(&["Name", "PID"], &[vec![long.clone(), "2".into()]]);
        assert!(text.starts_with("Name"));
        assert!(text.contains(&format!("{long}  2")));
        assert_eq!(pad_right("日本", 6), "日本  ");
        assert_eq!(pad_left("7", 3), "  7");
        assert_eq!(escape_controls("a\u{1b}[31mb\nc"), "a\\u{1b}[31mb\\nc");
        let escaped = table(&["Name"], &[vec!["x\u{7}\ny".into()]]);
        assert_eq!(escaped.lines().count(), 3, "{escaped}");
    }
}
