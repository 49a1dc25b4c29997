//! The TOML reader's syntax errors as problems a person can place: its
//! span, or, where it gives none, the place found by a scan of our own; its
//! wording made to speak the format's language. Both the whole-file read
//! and a sectioned diagnosis (`sections`) report syntax through here.

use std::ops::Range;

use super::error::Problem;

/// The TOML reader's error as a problem at its span.
pub(super) fn syntax_problem(text: &str, e: &toml::de::Error, path: String) -> Problem {
    match e.span() {
        Some(span) => Problem::at(span, path, friendly(e.message())),
        // The reader gives up on keys of too many dotted parts without
        // saying where: find them.
        None if e.message().trim() == "recursion limit" => match too_deep_key(text) {
            Some(span) => Problem::at(
                span,
                path,
                format!(
                    "key nested too deeply: more than {KEY_DEPTH} dotted parts \
                     (in a key or a [table] header); the TOML reader stops there"
                ),
            ),
            None => Problem::at(0..0, path, friendly(e.message())),
        },
        None => Problem::at(0..0, path, friendly(e.message())),
    }
}

/// The most dotted parts the TOML reader takes in one key (its recursion
/// limit; it refuses a key of more).
const KEY_DEPTH: usize = 80;

/// The part that takes the first over-deep key past `KEY_DEPTH` parts; or,
/// should the reader's limit ever differ, the last part of the deepest key.
fn too_deep_key(text: &str) -> Option<Range<usize>> {
    use toml_parser::parser::{Event, EventKind, parse_document};
    let tokens: Vec<_> = toml_parser::Source::new(text).lex().collect();
    let mut parts = 0usize;
    let mut after_separator = false;
    let mut first_too_deep = None;
    let mut deepest: Option<(usize, Range<usize>)> = None;
    let mut receive = |event: Event| match event.kind() {
        EventKind::SimpleKey => {
            parts = if after_separator { parts + 1 } else { 1 };
            after_separator = false;
            let span = event.span().start()..event.span().end();
            if parts > KEY_DEPTH && first_too_deep.is_none() {
                first_too_deep = Some(span.clone());
            }
            if deepest.as_ref().is_none_or(|(most, _)| parts > *most) {
                deepest = Some((parts, span));
            }
        }
        EventKind::KeySep => after_separator = true,
        EventKind::Whitespace => {}
        _ => {
            parts = 0;
            after_separator = false;
        }
    };
    parse_document(&tokens, &mut receive, &mut ());
    first_too_deep.or(deepest.map(|(_, span)| span))
}

/// Serde's wording, made to speak the contract's language.
fn friendly(message: &str) -> String {
    let message = message.trim();
    if message.contains("expected a TOML datetime") || message.contains("expected a datetime") {
        return format!("{message}; write a TOML date without quotes, like 2025-11-03");
    }
    message.to_string()
}
