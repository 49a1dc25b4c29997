//! Speed at scale: load, derive, render and keystrokes, on the bundled file
//! and on generated files of 10k and 100k commitments.
//!
//! `cargo bench --bench gigawatt` (add a filter, e.g. `-- render`, to run a
//! part). Measurement times are short: the machine is small and shared.

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, SamplingMode, criterion_group, criterion_main};
use gigawatt::app::App;
use gigawatt::app::action::Action;
use gigawatt::tabs::descriptor::Tab;
use gigawatt_model::data::{self, Dataset};
use gigawatt_model::view::ViewData;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

#[allow(dead_code)] // the generator's `main` is not used here
#[path = "../examples/gen.rs"]
mod generator;

const SEED: u64 = 1;

fn generated(commitments: usize) -> String {
    generator::generate(commitments, SEED)
}

fn load(text: &str) -> Dataset {
    data::load_str(text, "generated.toml").expect("the generator writes valid files")
}

fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .sample_size(20)
}

/// Load + validate beside the bare TOML parses of the same text.
fn loading(c: &mut Criterion) {
    let inputs = [
        ("bundled", data::BUNDLED.to_string()),
        ("10k", generated(10_000)),
        ("100k", generated(100_000)),
    ];
    for (name, text) in &inputs {
        let mut group = c.benchmark_group(format!("load/{name}"));
        if *name == "100k" {
            // About a second an iteration: a flat sample of ten.
            group.sampling_mode(SamplingMode::Flat).sample_size(10);
        }
        group.bench_function("load_validate", |b| {
            b.iter(|| black_box(data::load_str(black_box(text), "bench.toml").is_ok()))
        });
        group.bench_function("toml_table", |b| {
            b.iter(|| black_box(toml::from_str::<toml::Table>(black_box(text)).is_ok()))
        });
        group.bench_function("toml_detable", |b| {
            b.iter(|| black_box(toml::de::DeTable::parse(black_box(text)).is_ok()))
        });
        group.finish();
    }
}

/// A format 2 file (ranges, hedged dates, alternatives, several buyers) of
/// the same size in bytes as the 100k format 1 file, against that file.
fn loading_format_2(c: &mut Criterion) {
    let one = generated(100_000);
    let probe = generator::generate_v2(10_000, SEED).len();
    let two = generator::generate_v2(10_000 * one.len() / probe, SEED);
    eprintln!(
        "load/format2: format 1 {} bytes, format 2 {} bytes",
        one.len(),
        two.len()
    );
    let mut group = c.benchmark_group("load/format2");
    group.sampling_mode(SamplingMode::Flat).sample_size(10);
    for (id, text) in [("format1_100k", &one), ("format2_same_size", &two)] {
        group.bench_function(id, |b| {
            b.iter(|| black_box(data::load_str(black_box(text), "bench.toml").is_ok()))
        });
    }
    // The bare parse of each: how much of the difference is TOML's own.
    for (id, text) in [("toml_table_format1", &one), ("toml_table_format2", &two)] {
        group.bench_function(id, |b| {
            b.iter(|| black_box(toml::from_str::<toml::Table>(black_box(text)).is_ok()))
        });
    }
    group.finish();
}

/// The files of a generated set: 100 files of 1,000 commitments, no id
/// shared.
fn set_members() -> Vec<(String, String)> {
    (0..100)
        .map(|m| {
            (
                format!("set-{m:03}.toml"),
                generator::generate_member(1_000, SEED, m),
            )
        })
        .collect()
}

/// A set of 100 files of 1,000 commitments against the bare TOML parse of
/// the same 100 texts, and against one file of 100,000: each read from
/// memory, checked and merged.
fn loading_sets(c: &mut Criterion) {
    let members = set_members();
    let one = generated(100_000);
    let mut group = c.benchmark_group("load/set");
    group.sampling_mode(SamplingMode::Flat).sample_size(10);
    // The texts are copied outside the timing: a set file owns its text.
    group.bench_function("100_files_of_1000", |b| {
        b.iter_batched(
            || members.clone(),
            |members| {
                let files = members
                    .into_iter()
                    .map(|(name, text)| data::SetFile::from_text(&name, text))
                    .collect();
                black_box(data::merge(files).dataset.is_some())
            },
            criterion::BatchSize::PerIteration,
        )
    });
    // As `gigawatt --data DIR` reads a set: each file parsed once, the
    // files spread over the machine's cores.
    group.bench_function("100_files_of_1000_as_read", |b| {
        b.iter_batched(
            || members.clone(),
            |members| {
                black_box(
                    data::merge(data::SetFile::from_texts(members))
                        .dataset
                        .is_some(),
                )
            },
            criterion::BatchSize::PerIteration,
        )
    });
    group.bench_function("toml_table_100_files", |b| {
        b.iter(|| {
            for (_, text) in &members {
                black_box(toml::from_str::<toml::Table>(black_box(text)).is_ok());
            }
        })
    });
    group.bench_function("1_file_of_100000", |b| {
        b.iter_batched(
            || one.clone(),
            |one| {
                let files = vec![data::SetFile::from_text("one.toml", one)];
                black_box(data::merge(files).dataset.is_some())
            },
            criterion::BatchSize::PerIteration,
        )
    });
    group.finish();
}

/// A set of 100 files on disk, as the explorer watches it: one file
/// changed and the set loaded again (that file read and checked again, the
/// others taken from the cache, the set merged), against loading the whole
/// set afresh; then what the explorer makes of the set before it shows it
/// (`view_data`: totals, names, the Flows matrix), which both do; and every
/// derived figure with its formula (`derive_all`), which `export derived`
/// writes and the explorer makes one at a time when shown; and the two
/// loads with their views, end to end, which the reload target compares.
fn reloading(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    for (name, text) in set_members() {
        std::fs::write(dir.path().join(name), text).expect("written");
    }
    let paths = vec![dir.path().to_path_buf()];
    let changed = vec![dir.path().join("set-042.toml")];
    let loaded = |reload: data::SetReload| match reload {
        data::SetReload::Loaded(d) => d,
        other => panic!("the generated set loads: {other:?}"),
    };
    let mut group = c.benchmark_group("reload");
    group.sampling_mode(SamplingMode::Flat).sample_size(10);
    group.bench_function("full_100_files", |b| {
        b.iter(|| black_box(loaded(data::SetCache::default().load(&paths, &[]))))
    });
    let mut cache = data::SetCache::default();
    let dataset = loaded(cache.load(&paths, &[]));
    group.bench_function("one_of_100", |b| {
        b.iter(|| black_box(loaded(cache.load(&paths, &changed))))
    });
    // The view is handed back, so that dropping it (and its dataset) is
    // not timed as building it.
    group.bench_function("view_data", |b| {
        b.iter_batched(
            || dataset.clone(),
            |d| black_box(ViewData::new(d)),
            criterion::BatchSize::PerIteration,
        )
    });
    group.bench_function("derive_all", |b| {
        b.iter(|| black_box(gigawatt_model::ledger::all(black_box(&dataset)).len()))
    });
    // End to end, as the explorer does it: the set read and its view built
    // (each dropped untimed).
    group.bench_function("full_100_files_and_view", |b| {
        b.iter_with_large_drop(|| {
            black_box(ViewData::new(loaded(
                data::SetCache::default().load(&paths, &[]),
            )))
        })
    });
    group.bench_function("one_of_100_and_view", |b| {
        b.iter_with_large_drop(|| black_box(ViewData::new(loaded(cache.load(&paths, &changed)))))
    });
    group.finish();
}

/// What happens once per load after validation.
fn deriving(c: &mut Criterion) {
    let dataset = load(&generated(100_000));
    let mut group = c.benchmark_group("derive/100k");
    group.sampling_mode(SamplingMode::Flat).sample_size(10);
    group.bench_function("derive_all", |b| {
        b.iter(|| black_box(gigawatt_model::ledger::all(black_box(&dataset)).len()))
    });
    group.bench_function("view_data_new", |b| {
        b.iter_batched(
            || dataset.clone(),
            |d| black_box(ViewData::new(d)),
            criterion::BatchSize::PerIteration,
        )
    });
    group.finish();
}

fn render_into(app: &App, buf: &mut Buffer) {
    buf.reset();
    gigawatt::ui::render(app, buf.area, buf);
}

/// Every tab at 200x60, bundled and 100k.
fn rendering(c: &mut Criterion) {
    let area = Rect::new(0, 0, 200, 60);
    let sets = [
        ("bundled", data::bundled().expect("bundled data loads")),
        ("100k", load(&generated(100_000))),
    ];
    for (name, dataset) in sets {
        let mut app = App::with_data(dataset, "bench.toml", (area.width, area.height));
        let mut group = c.benchmark_group(format!("render/{name}"));
        for tab in Tab::ALL {
            app.update(Action::GoTab(tab.index()));
            let mut buf = Buffer::empty(area);
            let id = tab.title().to_lowercase().replace(' ', "_");
            group.bench_function(id, |b| b.iter(|| render_into(&app, &mut buf)));
        }
        group.finish();
    }
}

/// One keystroke and the frame after it, on the commitments tab at 100k.
fn keystrokes(c: &mut Criterion) {
    let area = Rect::new(0, 0, 200, 60);
    let dataset = load(&generated(100_000));
    let mut app = App::with_data(dataset, "bench.toml", (area.width, area.height));
    app.update(Action::GoTab(Tab::Commitments.index()));
    let mut buf = Buffer::empty(area);
    let mut group = c.benchmark_group("keys/100k");

    for (id, action) in [("down", Action::Down), ("page_down", Action::PageDown)] {
        group.bench_function(id, |b| {
            b.iter(|| {
                app.update(action.clone());
                render_into(&app, &mut buf);
                // Wrap around at the bottom so that every keystroke moves.
                let list = &app.lists()[Tab::Commitments.index()];
                if list.selected + 1 >= list.order.len() {
                    app.update(Action::Top);
                }
            })
        });
    }
    app.update(Action::Top);

    // Cycles the sort through every column and back to file order.
    group.bench_function("sort_next", |b| {
        b.iter(|| {
            app.update(Action::SortNext);
            render_into(&app, &mut buf);
        })
    });
    while app.lists()[Tab::Commitments.index()].sort.is_some() {
        app.update(Action::SortNext);
    }

    // `/` then a word typed a character at a time, a frame after each; the
    // time is per keystroke (the total divided by the keystrokes).
    let query = "gigawatt";
    let keys = 1 + query.chars().count() as u32;
    group.bench_function("search_as_you_type_per_key", |b| {
        b.iter_custom(|iterations| {
            let mut total = Duration::ZERO;
            for _ in 0..iterations {
                let start = Instant::now();
                app.update(Action::SearchStart);
                render_into(&app, &mut buf);
                for ch in query.chars() {
                    app.update(Action::SearchInput(ch));
                    render_into(&app, &mut buf);
                }
                total += start.elapsed() / keys;
                app.update(Action::Back);
            }
            total
        })
    });
    group.finish();
    flows_keystrokes(c);
}

/// Keystrokes on the Flows tab at 100k, with the generator's ledger of
/// eight buyers: a cell move each way, the buyer lens (`b`, which builds
/// the buyer's view on the UI thread) and the switch to the tab, each with
/// the frame after it.
fn flows_keystrokes(c: &mut Criterion) {
    let area = Rect::new(0, 0, 200, 60);
    let dataset = load(&generator::generate_ledger(100_000, SEED, 8));
    let mut app = App::with_data(dataset, "bench.toml", (area.width, area.height));
    app.update(Action::GoTab(Tab::Flows.index()));
    let mut buf = Buffer::empty(area);
    let mut group = c.benchmark_group("keys/100k_flows");
    let providers = app.view().map_or(0, |v| v.flows.providers.len());

    // Right to the last column, then left to the first, and again.
    let mut rightwards = true;
    group.bench_function("flows_cell_right_left", |b| {
        b.iter(|| {
            let column = app.lists()[Tab::Flows.index()].column;
            if column + 1 >= providers {
                rightwards = false;
            } else if column == 0 {
                rightwards = true;
            }
            app.update(if rightwards {
                Action::CellRight
            } else {
                Action::CellLeft
            });
            render_into(&app, &mut buf);
        })
    });
    group.bench_function("flows_down", |b| {
        b.iter(|| {
            app.update(Action::Down);
            render_into(&app, &mut buf);
            let list = &app.lists()[Tab::Flows.index()];
            if list.selected + 1 >= list.order.len() {
                app.update(Action::Top);
            }
        })
    });

    // From Commitments to Flows: only the switch and its frame are timed.
    group.bench_function("tab_to_flows", |b| {
        b.iter_custom(|iterations| {
            let mut total = Duration::ZERO;
            for _ in 0..iterations {
                app.update(Action::GoTab(Tab::Commitments.index()));
                render_into(&app, &mut buf);
                let start = Instant::now();
                app.update(Action::GoTab(Tab::Flows.index()));
                render_into(&app, &mut buf);
                total += start.elapsed();
            }
            total
        })
    });

    group.finish();

    // `b` round the buyers: all, then each of the eight, then all again.
    // The key asks for the buyer's view to be built off the UI thread and
    // draws the frame saying so (`lens_b`); the build itself, the time
    // until the lens is on screen, is `lens_build`.
    let mut lens = c.benchmark_group("keys/100k_flows_lens");
    lens.sampling_mode(SamplingMode::Flat).sample_size(18);
    lens.bench_function("lens_b", |b| {
        b.iter(|| {
            black_box(app.update(Action::Lens));
            render_into(&app, &mut buf);
        })
    });
    let all = app.view().expect("loaded").clone();
    let buyers = all.buyers.clone();
    let mut next = buyers.iter().cycle();
    lens.bench_function("lens_build", |b| {
        b.iter(|| {
            let buyer = next.next().expect("buyers");
            black_box(ViewData::lensed(&all, buyer))
        })
    });
    lens.finish();
}

/// Start-up to the first frame with the bundled data, in process.
fn startup(c: &mut Criterion) {
    let area = Rect::new(0, 0, 80, 24);
    let mut buf = Buffer::empty(area);
    c.bench_function("startup/bundled_first_frame_80x24", |b| {
        b.iter(|| {
            let dataset = data::bundled().expect("bundled data loads");
            let app = App::with_data(dataset, data::BUNDLED_NAME, (area.width, area.height));
            render_into(&app, &mut buf);
        })
    });
}

criterion_group! {
    name = benches;
    config = config();
    targets = startup, loading, loading_format_2, loading_sets, reloading, rendering, keystrokes, deriving
}
criterion_main!(benches);
