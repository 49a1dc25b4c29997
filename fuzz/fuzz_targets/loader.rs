//! The loader on arbitrary bytes: it must never panic, its three ways of
//! reading a file must agree, and whatever it accepts must export, derive
//! and lay out without panicking.
//!
//! `RUSTC_BOOTSTRAP=1 cargo fuzz run loader` from the crate root (see
//! fuzz/README.md).

#![no_main]

use std::io::Read;

use gigawatt_model::data;
use gigawatt_model::export::{self, Format, TableName};
use libfuzzer_sys::fuzz_target;

/// Hands out the bytes a few at a time, so that sections are cut anywhere.
struct Trickle<'a> {
    bytes: &'a [u8],
    step: usize,
}

impl Read for Trickle<'_> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        let n = self.step.min(out.len()).min(self.bytes.len());
        out[..n].copy_from_slice(&self.bytes[..n]);
        self.bytes = &self.bytes[n..];
        self.step = self.step * 7 % 61 + 1;
        Ok(n)
    }
}

fuzz_target!(|bytes: &[u8]| {
    let loaded = data::load_bytes(bytes, "fuzz.toml");

    // The fast paths (by sections, and streamed) agree with the whole parse.
    if let Ok(text) = std::str::from_utf8(bytes) {
        let whole = data::load_whole(text, "fuzz.toml");
        assert_eq!(
            loaded.as_ref().ok(),
            whole.as_ref().ok(),
            "load_str vs load_whole"
        );
        if let (Err(a), Err(b)) = (&loaded, &whole) {
            assert_eq!(a.report(), b.report());
        }
    }
    let step = bytes.first().map_or(1, |b| usize::from(*b % 16) + 1);
    if let Some(streamed) = data::load_reader(Trickle { bytes, step }, "fuzz.toml") {
        assert_eq!(
            Some(&streamed),
            loaded.as_ref().ok(),
            "streamed vs load_bytes"
        );
    }

    match loaded {
        Ok(dataset) => {
            for name in [
                TableName::Providers,
                TableName::Commitments,
                TableName::Milestones,
                TableName::Notes,
                TableName::Derived,
            ] {
                let table = export::table(&dataset, name, None);
                for format in [Format::Csv, Format::Json, Format::Markdown] {
                    let _ = export::write(&table, format, &mut std::io::sink());
                }
            }
            let _ = gigawatt_model::ledger::all(&dataset);
            let _ = gigawatt_model::view::ViewData::new(dataset);
        }
        Err(e) => {
            let _ = e.report();
            let _ = e.summary();
        }
    }
});
