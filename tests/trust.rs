//! Trust, round 2: hostile inputs, odd files and bursts of keys. Each test
//! is a case a hostile user found, described in issue 26.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

mod common;
use common::{BIN, Options, PATIENCE, Pty, arg, describe, stderr, stdout, temp_dir};

/// A small format 2 ledger: the buyer `lab`, the provider `cloud`, and the
/// test's own records after them.
fn ledger(as_of: &str, rest: &str) -> String {
    format!(
        "format = 2\n[dataset]\ntitle = \"Trust\"\nsubject = \"lab\"\nas_of = {as_of}\n\n\
         [[sources]]\nid = \"wire\"\ntitle = \"Wire\"\n\n\
         [[parties]]\nid = \"lab\"\nname = \"Lab\"\nkind = \"lab\"\n\n\
         [[parties]]\nid = \"cloud\"\nname = \"Cloud\"\nkind = \"cloud\"\n{rest}"
    )
}

/// One signed deal of `value` from `lab` to `cloud`.
fn deal(id: &str, value: &str) -> String {
    format!(
        "\n[[commitments]]\nid = \"{id}\"\nprovider = \"cloud\"\nvalue = \"{value}\"\nstatus = \"signed\"\n"
    )
}

fn write(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write a test file");
    path
}

fn run(args: &[&str]) -> std::process::Output {
    Command::new(BIN)
        .args(args)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output()
        .expect("run gigawatt")
}

// Item 14.
#[test]
fn dates_before_the_year_1000_export_as_four_digit_years() {
    let dir = temp_dir();
    let rest = format!("{}announced = 0001-01-01\n", deal("old", "$10bn"));
    let file = write(dir.path(), "old.toml", &ledger("0999-06-01", &rest));
    let out = run(&["export", "commitments", "--data", arg(&file)]);
    let text = stdout(&out);
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers().expect("a header").clone();
    let row = reader
        .records()
        .next()
        .expect("a row")
        .expect("a CSV record");
    for column in ["announced", "announced_earliest", "announced_latest"] {
        let i = headers.iter().position(|h| h == column).expect(column);
        assert_eq!(&row[i], "0001-01-01", "{column} in\n{text}");
    }
}

// Item 19.
#[test]
fn commands_fail_when_standard_output_is_closed() {
    for command in ["check", "export commitments", "man", "config --default"] {
        let out = Command::new("sh")
            .arg("-c")
            .arg(format!("exec \"$0\" {command} >&-"))
            .arg(BIN)
            .env("NO_COLOR", "1")
            .output()
            .expect("run gigawatt");
        assert_eq!(out.status.code(), Some(1), "{command}: {}", describe(&out));
        assert!(
            stderr(&out).contains("standard output"),
            "{command}: {}",
            describe(&out)
        );
    }
}
