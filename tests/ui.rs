//! The explorer's screen and keys, without a terminal: `App::update` driven
//! directly (or through `tui::handle`, as the event loop does), and the app
//! drawn into ratatui's `TestBackend`.
//!
//! - `content`: what each tab shows at 80×24 and 120×40, the title, tab bar
//!   and footer (hints come from the keymap, so the test reads them there).
//! - `navigation`, `search_sort`, `ramp`, `mouse`, `keys`: behaviour.
//! - `robustness`: every tab and overlay at sizes from 1×1 to 300×100, and a
//!   property test of random input. For a long run of the property test:
//!
//!   ```text
//!   PROPTEST_CASES=10000 cargo test --release --test ui
//!   ```
//!
//! - `controls`: control characters in the data never reach a cell.
//! - `snapshots`: whole screens at 80×24. The layout is still being polished;
//!   after a deliberate layout change, review and re-accept them all with
//!
//!   ```text
//!   INSTA_UPDATE=always cargo test --test ui snapshots
//!   ```
//!
//!   Every other assertion here is about content, never column positions.

use crossterm::event::{
    Event as TermEvent, KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent,
    MouseEventKind,
};
use gigawatt::app::App;
use gigawatt::app::action::Action;
use gigawatt::app::keymap;
use gigawatt::tabs::descriptor::Tab;
use gigawatt::tui;
use gigawatt::ui::layout;
use gigawatt::ui::overlay::Overlay;
use gigawatt_model::data::Dataset;
use gigawatt_model::text::width;
use ratatui::buffer::Buffer;

mod common;
use common::{UI_SOURCE, assert_shows, generator, lines, row_text, screen, ui_dataset};

/// The frozen UI fixture, so that editing the bundled data changes no test.
fn dataset() -> Dataset {
    ui_dataset()
}

/// No providers, commitments, notes or capacity: every "nothing here" path.
fn empty_dataset() -> Dataset {
    let mut ds = dataset();
    ds.providers.clear();
    ds.commitments.clear();
    ds.notes.clear();
    ds.capacities.clear();
    ds
}

/// Hundreds of generated records, with wide characters, for scrolling.
fn big_dataset() -> Dataset {
    gigawatt_model::data::load_str(&generator::generate(500, 7), "generated.toml")
        .expect("the generator writes valid files")
}

fn app_with(dataset: Dataset, (w, h): (u16, u16)) -> App {
    App::with_data(dataset, UI_SOURCE, (w, h))
}

fn app_at(w: u16, h: u16) -> App {
    app_with(dataset(), (w, h))
}

/// The app on `tab` at `w`×`h`.
fn app_on(tab: Tab, w: u16, h: u16) -> App {
    let mut app = app_at(w, h);
    app.update(Action::GoTab(tab.index()));
    assert_eq!(app.tab, tab);
    app
}

use common::draw;

/// Renders straight into a buffer, skipping the terminal's diffing: the
/// same drawing code, for the size sweeps where speed matters.
fn draw_fast(app: &App, buf: &mut Buffer) {
    use ratatui::widgets::Widget;
    let area = ratatui::layout::Rect::new(0, 0, app.size.0, app.size.1);
    buf.resize(area);
    buf.reset();
    app.render(area, buf);
}

/// A terminal event through the event loop's own routing; says whether it
/// did anything (and so would redraw).
fn handle(app: &mut App, event: TermEvent) -> bool {
    match tui::input_action(app, &event) {
        Some(action) => {
            app.update(action);
            true
        }
        None => false,
    }
}

/// A key as crossterm reports it, through the event loop's own routing.
fn key(app: &mut App, code: KeyCode, modifiers: KeyModifiers) {
    handle(app, TermEvent::Key(KeyEvent::new(code, modifiers)));
}

fn chars(app: &mut App, text: &str) {
    for c in text.chars() {
        key(app, KeyCode::Char(c), KeyModifiers::NONE);
    }
}

/// The id of the selected record on the current tab.
fn selected_id(app: &App) -> Option<String> {
    let i = app.list().current()?;
    Some(app.rows(app.tab).id(i).into_owned())
}

/// Where a tab's list rows are, by the same geometry `update` uses for clicks.
fn list_rows(app: &App, tab: Tab) -> ratatui::layout::Rect {
    let rows = app.lists()[tab.index()].order.len();
    (tab.spec().list_rows)(layout::frame(app.size).body, rows)
}

fn no_control_cells(buf: &Buffer) -> Result<(), String> {
    let w = usize::from(buf.area.width.max(1));
    match buf
        .content()
        .iter()
        .position(|cell| cell.symbol().chars().any(char::is_control))
    {
        None => Ok(()),
        Some(i) => Err(format!(
            "control character {:?} at ({}, {})",
            buf.content()[i].symbol(),
            i % w,
            i / w
        )),
    }
}

mod content {
    use super::*;

    const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];

    #[test]
    fn providers_shows_names_values_and_undisclosed() {
        for (w, h) in SIZES {
            let s = screen(&app_on(Tab::Providers, w, h));
            assert_shows(&s, &["Amazon Web Services", "$38bn", "undisclosed"]);
            // The detail pane follows the selection: the first row, as
            // Parties open sorted by money, largest first.
            assert_shows(&s, &["Oracle  cloud", "$300 billion, agreed"]);
        }
    }

    #[test]
    fn commitments_shows_values_and_a_total_that_says_what_it_covers() {
        for (w, h) in SIZES {
            let s = screen(&app_on(Tab::Commitments, w, h));
            assert_shows(
                &s,
                &["$38bn", "$250bn", "undisclosed", "4 of 5", "$610.4bn"],
            );
        }
    }

    /// The notes' Change cells are drawn by the tab in colour; one wider
    /// than its column ("±▲ ~+12.2%" where sources disagree) must be cut
    /// to it, not push the row's later cells out of their columns.
    #[test]
    fn a_wide_change_cell_keeps_the_notes_columns_in_line() {
        for (w, h) in [(80, 24), (120, 40), (200, 60)] {
            let mut app = App::with_data(
                gigawatt_model::data::bundled().expect("the bundled data loads"),
                "bundled",
                (w, h),
            );
            app.update(Action::GoTab(Tab::Notes.index()));
            let buf = draw(&app);
            let header_y = (0..h)
                .find(|&y| row_text(&buf, y).contains("Headline"))
                .expect("the notes' header");
            // Whether `text` (one cell a character) is drawn from `x` on.
            let starts_at = |x: u16, y: u16, text: &str| {
                text.chars()
                    .enumerate()
                    .all(|(k, c)| buf[(x + k as u16, y)].symbol() == c.to_string())
            };
            let at = (0..w)
                .find(|&x| starts_at(x, header_y, "Headline"))
                .expect("a Headline column");
            let list = app.document.list(Tab::Notes);
            let ds = &app.document.view.as_ref().expect("a view").dataset;
            for (line, &record) in list.order.iter().skip(list.offset).take(6).enumerate() {
                let y = header_y + 1 + line as u16;
                let first: String = ds.notes[record].headline.chars().take(6).collect();
                assert!(
                    starts_at(at, y, &first),
                    "{w}x{h}: row {line} ({first}…) starts its headline off the column:\n{}",
                    row_text(&buf, y)
                );
            }
        }
    }

    /// A wide character of the screen behind an overlay whose second half
    /// falls on the overlay's left border must go: a terminal draws that
    /// half over the border, which then has gaps ("京北京算力" with no │).
    #[test]
    fn an_overlays_left_border_is_whole_beside_wide_characters() {
        for (w, h) in [(120, 40), (200, 60)] {
            for tab in Tab::ALL {
                // Wide names at both parities, so that some straddle the
                // overlay's left edge whatever its column.
                let mut dataset = big_dataset();
                for (i, p) in dataset.providers.iter_mut().enumerate() {
                    p.name = format!("{}北京算力中心", "x".repeat(i % 2));
                }
                let mut app = app_with(dataset, (w, h));
                app.update(Action::GoTab(tab.index()));
                app.update(Action::Open);
                let buf = draw(&app);
                let Some((left, top)) =
                    (0..h)
                        .flat_map(|y| (1..w).map(move |x| (x, y)))
                        .find(|&(x, y)| {
                            buf[(x, y)].symbol() == "┌" && row_text(&buf, y).contains("Esc closes")
                        })
                else {
                    continue;
                };
                for y in top + 1..h {
                    if buf[(left, y)].symbol() == "└" {
                        break;
                    }
                    let before = buf[(left - 1, y)].symbol();
                    assert!(
                        buf[(left, y)].symbol() == "│" && gigawatt_model::text::width(before) < 2,
                        "{w}x{h} {tab:?}: row {y} at the border: {before:?} then {:?}\n{}",
                        buf[(left, y)].symbol(),
                        row_text(&buf, y)
                    );
                }
            }
        }
    }

    #[test]
    fn ramp_shows_target_pace_and_cost_per_gw() {
        for (w, h) in SIZES {
            let s = screen(&app_on(Tab::Ramp, w, h));
            assert_shows(&s, &["30 GW", "1 GW/wk", ">$40bn", "30 weeks"]);
        }
        // Tall enough for the whole scenario panel: the plan's cost per GW,
        // derived from the file's target_cost (≤$1.4tn / 30 GW).
        let s = screen(&app_on(Tab::Ramp, 120, 40));
        assert_shows(&s, &["Plan per GW", "≤$46.7bn"]);
    }

    /// The file's `capacity.target_cost` ("as much as $1.4 trillion") is the
    /// ramp's headline figure: it must be on the tab, hedge kept, at every
    /// usable size. (When these tests were written it was shown nowhere on
    /// the tab, only "Plan per GW ≤$46.7bn" derived from it, cut off below
    /// about 28 rows.)
    #[test]
    fn ramp_shows_the_files_target_cost_hedged() {
        for (w, h) in [
            (50, 12),
            (60, 16),
            (80, 24),
            (100, 30),
            (120, 40),
            (200, 60),
        ] {
            let s = screen(&app_on(Tab::Ramp, w, h));
            assert_shows(&s, &["≤$1.4tn"]);
        }
    }

    #[test]
    fn notes_show_moves_with_arrows_and_hedged_amounts() {
        for (w, h) in SIZES {
            let s = screen(&app_on(Tab::Notes, w, h));
            assert_shows(&s, &["+5%", "+10%", "▲", "<$140bn"]);
            // The arrow travels with the sign, so the move reads without colour.
            assert!(
                s.lines().any(|l| l.contains("▲ +10%")),
                "no \"▲ +10%\" at {w}x{h}:\n{s}"
            );
        }
    }

    #[test]
    fn title_bar_names_the_dataset_subject_and_date() {
        for (w, h) in SIZES {
            for tab in Tab::ALL {
                let app = app_on(tab, w, h);
                let buf = draw(&app);
                let title = row_text(&buf, layout::frame(app.size).title.y);
                for needle in ["gigawatt", "OpenAI's compute", "OpenAI", "as of 2025-11-03"] {
                    assert!(title.contains(needle), "{needle:?} not in {title:?}");
                }
            }
        }
        // With room, the whole title and the file's name.
        let app = app_at(120, 40);
        let title = row_text(&draw(&app), 0);
        assert!(
            title.contains("OpenAI's compute commitments, November 2025"),
            "{title:?}"
        );
        assert!(title.contains(UI_SOURCE), "{title:?}");
    }

    #[test]
    fn tab_bar_lists_every_tab() {
        // Full titles where they all fit, short ones at 80 columns.
        for ((w, h), full) in SIZES.into_iter().zip([false, true]) {
            let app = app_at(w, h);
            let buf = draw(&app);
            let bar = row_text(&buf, layout::frame(app.size).tabs.y);
            for tab in Tab::ALL {
                let name = if full { tab.title() } else { tab.spec().short };
                let label = format!("{} {name}", tab.index() + 1);
                assert!(bar.contains(&label), "{label:?} not in {bar:?}");
            }
        }
        // Narrow screens use short labels, still numbered.
        let app = app_at(50, 12);
        let bar = row_text(&draw(&app), layout::frame(app.size).tabs.y);
        for label in Tab::labels(50) {
            assert!(bar.contains(label.trim()), "{label:?} not in {bar:?}");
        }
    }

    /// Every hint that fits (each takes its keys, its word and three spaces)
    /// is in the footer, in keymap order.
    #[track_caller]
    fn assert_footer_hints(app: &App) {
        let buf = draw(app);
        let footer = row_text(&buf, layout::frame(app.size).footer.y);
        let room = usize::from(app.size.0);
        let mut used = 0;
        let mut from = 0;
        let mut shown = 0;
        for (keys, hint) in keymap::hints(app.scopes()) {
            let piece = width(keys) + width(hint) + 3;
            if used + piece > room {
                break;
            }
            used += piece;
            let needle = format!("{keys} {hint}");
            let at = footer[from..].find(&needle).unwrap_or_else(|| {
                panic!(
                    "{:?} at {:?}: hint {needle:?} fits but is not in order in {footer:?}",
                    app.tab, app.size
                )
            });
            from += at + needle.len();
            shown += 1;
        }
        assert!(shown > 0, "no hints at {:?}: {footer:?}", app.size);
    }

    #[test]
    fn footer_shows_the_keymaps_hints_for_the_tab() {
        for (w, h) in [(80, 24), (120, 40), (50, 12), (60, 20), (200, 50)] {
            for tab in Tab::ALL {
                assert_footer_hints(&app_on(tab, w, h));
            }
        }
        // Scoped hints: the ramp's scenario keys only on the ramp, sorting
        // only on tables.
        let row = |app: &App| row_text(&draw(app), layout::frame(app.size).footer.y);
        let ramp = row(&app_on(Tab::Ramp, 200, 50));
        let providers = row(&app_on(Tab::Providers, 200, 50));
        assert!(
            ramp.contains("+/- pace") && !ramp.contains("sort"),
            "{ramp:?}"
        );
        assert!(
            providers.contains("s/S sort") && !providers.contains("pace"),
            "{providers:?}"
        );
    }

    #[test]
    fn status_line_counts_the_records() {
        let s = screen(&app_at(100, 30));
        assert_shows(&s, &["6 providers", "5 commitments", "14 notes"]);
    }
}

mod navigation {
    use super::*;

    #[test]
    fn up_and_down_stop_at_the_ends() {
        let mut app = app_on(Tab::Providers, 80, 24);
        let len = app.list().order.len();
        assert_eq!(len, 6);
        app.update(Action::Up);
        assert_eq!(app.list().selected, 0, "Up at the top stays at the top");
        for _ in 0..len + 3 {
            app.update(Action::Down);
        }
        assert_eq!(app.list().selected, len - 1, "Down stops at the last row");
        for _ in 0..len + 3 {
            app.update(Action::Up);
        }
        assert_eq!(app.list().selected, 0);
        // The same through the keys j/k/↓/↑.
        key(&mut app, KeyCode::Char('j'), KeyModifiers::NONE);
        key(&mut app, KeyCode::Down, KeyModifiers::NONE);
        assert_eq!(app.list().selected, 2);
        key(&mut app, KeyCode::Char('k'), KeyModifiers::NONE);
        assert_eq!(app.list().selected, 1);
        key(&mut app, KeyCode::Up, KeyModifiers::NONE);
        key(&mut app, KeyCode::Up, KeyModifiers::NONE);
        assert_eq!(app.list().selected, 0);
    }

    #[test]
    fn top_and_bottom() {
        let mut app = app_on(Tab::Notes, 80, 24);
        app.update(Action::Bottom);
        assert_eq!(app.list().selected, 13);
        assert!(app.list().offset > 0, "the last note is scrolled into view");
        assert!(screen(&app).contains(" of 14"));
        app.update(Action::Top);
        assert_eq!(app.list().selected, 0);
        assert_eq!(app.list().offset, 0);
    }

    #[test]
    fn page_down_and_up_move_by_the_visible_rows() {
        let mut app = app_on(Tab::Notes, 60, 14);
        let page = app.page_size(Tab::Notes);
        assert!((2..14).contains(&page), "page {page}");
        app.update(Action::PageDown);
        assert_eq!(app.list().selected, page);
        let list = app.list();
        assert!(list.offset <= list.selected && list.selected < list.offset + page);
        // The position indicator agrees with the scroll.
        let shown = format!("{}-{} of 14", list.offset + 1, list.offset + page);
        assert_shows(&screen(&app), &[&shown]);
        for _ in 0..10 {
            app.update(Action::PageDown);
        }
        assert_eq!(app.list().selected, 13, "PageDown stops at the end");
        assert_eq!(app.list().offset, 14 - page);
        app.update(Action::PageUp);
        assert_eq!(app.list().selected, 13 - page);
        for _ in 0..10 {
            app.update(Action::PageUp);
        }
        assert_eq!(app.list().selected, 0);
        assert_eq!(app.list().offset, 0);
    }

    #[test]
    fn tabs_cycle_both_ways_and_go_to() {
        let mut app = app_at(80, 24);
        let mut seen = vec![app.tab];
        for _ in 0..Tab::ALL.len() {
            app.update(Action::NextTab);
            seen.push(app.tab);
        }
        assert_eq!(
            seen,
            [
                Tab::Providers,
                Tab::Commitments,
                Tab::Ramp,
                Tab::Notes,
                Tab::Flows,
                Tab::Sites,
                Tab::Clusters,
                Tab::Providers
            ]
        );
        app.update(Action::PrevTab);
        assert_eq!(app.tab, Tab::Clusters, "back from the first tab wraps");
        app.update(Action::PrevTab);
        assert_eq!(app.tab, Tab::Sites);
        app.update(Action::GoTab(1));
        assert_eq!(app.tab, Tab::Commitments);
        app.update(Action::GoTab(99));
        assert_eq!(app.tab, Tab::Clusters, "out of range goes to the last tab");
        // Each tab keeps its own selection.
        app.update(Action::GoTab(0));
        app.update(Action::Down);
        app.update(Action::GoTab(1));
        assert_eq!(app.list().selected, 0);
        app.update(Action::GoTab(0));
        assert_eq!(app.list().selected, 1);
    }

    #[test]
    fn enter_opens_the_detail_and_esc_closes_it() {
        let mut app = app_on(Tab::Commitments, 80, 24);
        app.update(Action::Open);
        assert_eq!(app.overlay, Some(Overlay::Detail));
        let s = screen(&app);
        assert_shows(
            &s,
            &["Detail", "Amazon Web Services", "aws-2025", "Seven-year"],
        );
        app.update(Action::Back);
        assert_eq!(app.overlay, None);
        assert!(!screen(&app).contains("aws-2025"));
        // The same with keys.
        key(&mut app, KeyCode::Enter, KeyModifiers::NONE);
        assert_eq!(app.overlay, Some(Overlay::Detail));
        key(&mut app, KeyCode::Esc, KeyModifiers::NONE);
        assert_eq!(app.overlay, None);
    }

    #[test]
    fn detail_opens_on_every_tab() {
        // The fixture has no sites or clusters: tests/sites_tab.rs opens a site.
        for tab in Tab::ALL
            .into_iter()
            .filter(|t| ![Tab::Sites, Tab::Clusters].contains(t))
        {
            let mut app = app_on(tab, 100, 30);
            app.update(Action::Open);
            assert_eq!(app.overlay, Some(Overlay::Detail), "{tab:?}");
            assert!(screen(&app).contains("Esc closes"), "{tab:?}");
        }
    }

    #[test]
    fn help_lists_every_binding() {
        // Tall enough for the whole help; the next test scrolls a small one.
        let mut app = app_at(120, 70);
        app.update(Action::Help);
        assert_eq!(app.overlay, Some(Overlay::Help));
        let s = screen(&app);
        for binding in keymap::BINDINGS {
            assert!(
                s.contains(binding.help),
                "help is missing {:?} ({}):\n{s}",
                binding.help,
                binding.label
            );
        }
        // Each line pairs the keys with what they do.
        for (_, bindings) in keymap::help_sections() {
            for (keys, help) in bindings {
                assert!(
                    s.lines().any(|l| l.contains(&keys) && l.contains(help)),
                    "no line with {keys:?} and {help:?}:\n{s}"
                );
            }
        }
        app.update(Action::Back);
        assert_eq!(app.overlay, None);
    }

    #[test]
    fn overlay_scrolls_to_every_binding_on_a_small_screen() {
        let mut app = app_at(80, 24);
        key(&mut app, KeyCode::Char('?'), KeyModifiers::NONE);
        assert_eq!(app.overlay, Some(Overlay::Help));
        let mut seen = String::new();
        for _ in 0..60 {
            seen.push_str(&screen(&app));
            app.update(Action::Down);
        }
        for binding in keymap::BINDINGS {
            assert!(seen.contains(binding.help), "never saw {:?}", binding.help);
        }
        // Up scrolls back; the overlay stays open while scrolling.
        for _ in 0..100 {
            app.update(Action::Up);
        }
        assert_eq!(app.overlay_scroll, 0);
        assert_eq!(app.overlay, Some(Overlay::Help));
    }

    #[test]
    fn cite_shows_the_paragraph_of_the_aws_deal() {
        let mut app = app_on(Tab::Commitments, 80, 24);
        assert_eq!(selected_id(&app).as_deref(), Some("aws-2025"));
        key(&mut app, KeyCode::Char('c'), KeyModifiers::NONE);
        assert_eq!(app.overlay, Some(Overlay::Cite));
        let s = screen(&app);
        assert_shows(&s, &["Citation", "para 3", "Amazon inks $38bn deal"]);
        // `y` copies the same line.
        let effect = app.update(Action::Yank);
        match effect {
            Some(gigawatt::app::Effect::Clipboard(text)) => {
                assert!(text.contains("para 3") && text.contains("$38bn"), "{text}");
            }
            other => panic!("expected a clipboard effect, got {other:?}"),
        }
        app.update(Action::Back);
        assert_eq!(app.overlay, None);
    }
}

mod search_sort {
    use super::*;

    #[test]
    fn typing_a_search_moves_to_the_first_match() {
        let mut app = app_on(Tab::Commitments, 80, 24);
        key(&mut app, KeyCode::Char('/'), KeyModifiers::NONE);
        assert!(app.list().typing);
        chars(&mut app, "oracle");
        assert_eq!(app.list().query, "oracle");
        assert_eq!(selected_id(&app).as_deref(), Some("oracle"));
        let s = screen(&app);
        let footer = s.lines().nth(usize::from(layout::frame(app.size).footer.y));
        let footer = footer.unwrap_or_default();
        assert!(
            footer.contains("/oracle") && footer.contains("1 match"),
            "{footer:?}"
        );
        // Enter keeps the query; the list title says so.
        key(&mut app, KeyCode::Enter, KeyModifiers::NONE);
        assert!(!app.list().typing);
        assert_shows(&screen(&app), &["/oracle: 1"]);
        // Esc clears it and keeps the selection.
        key(&mut app, KeyCode::Esc, KeyModifiers::NONE);
        assert!(app.list().query.is_empty());
        assert!(app.list().matches.is_empty());
        assert_eq!(selected_id(&app).as_deref(), Some("oracle"));
    }

    #[test]
    fn typed_letters_are_text_not_commands() {
        let mut app = app_on(Tab::Commitments, 80, 24);
        key(&mut app, KeyCode::Char('/'), KeyModifiers::NONE);
        chars(&mut app, "q?2");
        assert!(!app.should_quit);
        assert_eq!(app.overlay, None);
        assert_eq!(app.tab, Tab::Commitments);
        assert_eq!(app.list().query, "q?2");
        key(&mut app, KeyCode::Backspace, KeyModifiers::NONE);
        assert_eq!(app.list().query, "q?");
    }

    /// Searches `query` on the current tab and confirms it.
    fn search(app: &mut App, query: &str) {
        app.update(Action::SearchStart);
        for c in query.chars() {
            app.update(Action::SearchInput(c));
        }
        app.update(Action::SearchConfirm);
    }

    #[test]
    fn n_and_shift_n_cycle_through_matches() {
        let mut app = app_on(Tab::Commitments, 80, 24);
        search(&mut app, "agreed");
        let matches = app.list().matches.clone();
        assert!(matches.len() >= 2, "{matches:?}");
        assert_eq!(app.list().selected, matches[0]);
        for &m in matches.iter().skip(1) {
            app.update(Action::NextMatch);
            assert_eq!(app.list().selected, m);
        }
        app.update(Action::NextMatch);
        assert_eq!(app.list().selected, matches[0], "n wraps to the first");
        app.update(Action::PrevMatch);
        assert_eq!(
            app.list().selected,
            *matches.last().unwrap(),
            "N wraps to the last"
        );
        let rows = app.rows(app.tab);
        for &m in &matches {
            let record = app.list().order[m];
            assert!(rows.haystack(record).to_lowercase().contains("agreed"));
        }
        // Matches are marked on screen.
        assert!(screen(&app).contains('›'));
    }

    #[test]
    fn ampersand_shows_only_matches_and_esc_shows_all() {
        let mut app = app_on(Tab::Commitments, 80, 24);
        search(&mut app, "agreed");
        let n = app.list().matches.len();
        let before = selected_id(&app);
        app.update(Action::ToggleFilter);
        assert!(app.list().filter);
        assert_eq!(app.list().order.len(), n);
        assert_eq!(selected_id(&app), before, "filtering keeps the selection");
        let rows = app.rows(app.tab);
        assert!(
            app.list()
                .order
                .iter()
                .all(|&i| rows.haystack(i).to_lowercase().contains("agreed"))
        );
        assert_shows(&screen(&app), &[&format!("{n} of 5, filtered")]);
        // & again: every row.
        app.update(Action::ToggleFilter);
        assert_eq!(app.list().order.len(), 5);
        assert_eq!(selected_id(&app), before);
        // & then Esc: every row, no query.
        app.update(Action::ToggleFilter);
        app.update(Action::Back);
        assert!(!app.list().filter);
        assert!(app.list().query.is_empty());
        assert_eq!(app.list().order.len(), 5);
        assert!(!screen(&app).contains("filtered"));
    }

    /// `/` while `&` shows only matches clears the query, which shows every
    /// row again: the selected record must stay selected (it used to keep
    /// the position, landing on a different record).
    #[test]
    fn slash_while_filtered_keeps_the_selection() {
        let mut app = app_on(Tab::Commitments, 80, 24);
        search(&mut app, "agreed");
        app.update(Action::ToggleFilter);
        app.update(Action::Down);
        let before = selected_id(&app);
        assert_eq!(before.as_deref(), Some("oracle"));
        app.update(Action::SearchStart);
        assert_eq!(selected_id(&app), before);
        // Typing searches onward from it.
        app.update(Action::SearchInput('c'));
        assert!(
            app.rows(app.tab)
                .haystack(app.list().current().unwrap())
                .to_lowercase()
                .contains('c')
        );
    }

    #[test]
    fn ampersand_without_a_query_says_what_to_do() {
        let mut app = app_on(Tab::Notes, 80, 24);
        app.update(Action::ToggleFilter);
        assert!(!app.list().filter);
        assert_shows(&screen(&app), &["search first"]);
    }

    #[test]
    fn filter_with_no_matches_says_so() {
        let mut app = app_on(Tab::Providers, 80, 24);
        search(&mut app, "zzzz-nothing");
        app.update(Action::ToggleFilter);
        assert!(app.list().order.is_empty());
        assert_eq!(app.list().selected, 0);
        assert_shows(&screen(&app), &["no rows match"]);
        // Nothing to open or cite.
        app.update(Action::Open);
        app.update(Action::Cite);
        assert_eq!(app.overlay, None);
    }

    #[test]
    fn sort_cycles_columns_and_keeps_the_selected_record() {
        for tab in [Tab::Providers, Tab::Commitments, Tab::Notes] {
            let mut app = app_on(tab, 120, 40);
            app.update(Action::Down);
            app.update(Action::Down);
            let id = selected_id(&app);
            // Columns not drawn (every row alike) are not sorted by.
            let hidden = (tab.spec().hidden)(app.view().unwrap()).to_vec();
            let columns = (0..app.columns().len())
                .filter(|c| !hidden.get(*c).copied().unwrap_or(false))
                .count();
            let start = app.list().sort;
            let mut seen = vec![start];
            for _ in 0..=columns {
                app.update(Action::SortNext);
                assert_eq!(selected_id(&app), id, "{tab:?} sort {:?}", app.list().sort);
                assert!(!app.list().reverse);
                seen.push(app.list().sort);
                app.update(Action::SortReverse);
                assert_eq!(selected_id(&app), id, "{tab:?} reversed");
                assert!(app.list().reverse);
                if let Some(col) = app.list().sort {
                    let title = app.columns()[col].title.to_lowercase();
                    assert_shows(&screen(&app), &[&format!("by {title}▼")]);
                }
                app.update(Action::SortReverse);
            }
            // Every column, then file order, then round again.
            assert_eq!(seen.first(), seen.last(), "{tab:?}: {seen:?}");
            let mut distinct: Vec<_> = seen.clone();
            distinct.dedup();
            assert_eq!(distinct.len(), columns + 2, "{tab:?}: {seen:?}");
        }
    }

    #[test]
    fn sort_by_value_puts_undisclosed_last_both_ways() {
        let mut app = app_on(Tab::Commitments, 120, 40);
        app.update(Action::SortNext); // provider (one buyer: no buyer column)
        app.update(Action::SortNext); // value (one kind: no kind column)
        let value = app.columns().iter().position(|c| c.title == "Value");
        assert_eq!(app.list().sort, value);
        let ids = |app: &App| -> Vec<String> {
            app.list()
                .order
                .iter()
                .map(|&i| app.rows(Tab::Commitments).id(i).into_owned())
                .collect()
        };
        assert_eq!(
            ids(&app),
            [
                "coreweave",
                "aws-2025",
                "azure-2025",
                "oracle",
                "google-cloud"
            ]
        );
        app.update(Action::SortReverse);
        assert_eq!(
            ids(&app),
            [
                "oracle",
                "azure-2025",
                "aws-2025",
                "coreweave",
                "google-cloud"
            ]
        );
        assert_shows(&screen(&app), &["by value▼", "Value▼"]);
    }

    #[test]
    fn s_on_the_ramp_does_nothing() {
        let mut app = app_on(Tab::Ramp, 80, 24);
        let before = app.list().clone();
        app.update(Action::SortNext);
        app.update(Action::SortReverse);
        assert_eq!(*app.list(), before);
    }
}

mod ramp {
    use super::*;

    #[test]
    fn pace_and_cost_change_the_scenario_and_r_resets() {
        let mut app = app_on(Tab::Ramp, 80, 24);
        let pace = |app: &App| app.scenario().pace(&app.view().unwrap().dataset);
        let cost = |app: &App| app.scenario().cost(&app.view().unwrap().dataset);
        assert!(!app.scenario().is_changed());
        assert_shows(&screen(&app), &["30 weeks", "file's figures"]);

        // Steps scale with the file's own pace: ×1.25 up, ÷1.25 down.
        key(&mut app, KeyCode::Char('+'), KeyModifiers::NONE);
        assert_eq!(pace(&app), Some(1.25));
        let s = screen(&app);
        assert_shows(&s, &["24 weeks", "1.25 GW/wk", "adjusted"]);
        assert!(!s.contains("30 weeks"), "{s}");

        key(&mut app, KeyCode::Char('-'), KeyModifiers::NONE);
        key(&mut app, KeyCode::Char('-'), KeyModifiers::NONE);
        assert_eq!(pace(&app), Some(0.8));
        assert_shows(&screen(&app), &["37.5 weeks"]);

        // `=` is `+` without Shift; back on the file's figure is the file's.
        key(&mut app, KeyCode::Char('='), KeyModifiers::NONE);
        assert_eq!(pace(&app), None);
        assert_shows(&screen(&app), &["30 weeks"]);

        key(&mut app, KeyCode::Char(']'), KeyModifiers::NONE);
        assert_eq!(cost(&app), Some(50e9));
        assert_shows(&screen(&app), &["$50bn"]);
        key(&mut app, KeyCode::Char('['), KeyModifiers::NONE);
        key(&mut app, KeyCode::Char('['), KeyModifiers::NONE);
        assert_eq!(cost(&app), Some(32e9));
        assert_shows(&screen(&app), &["$32bn"]);

        key(&mut app, KeyCode::Char('r'), KeyModifiers::NONE);
        assert!(!app.scenario().is_changed());
        assert_eq!(*app.scenario(), Default::default());
        let s = screen(&app);
        assert_shows(&s, &["30 weeks", "file's figures", ">$40bn"]);
    }

    #[test]
    fn pace_and_cost_have_no_floor_but_zero() {
        let mut app = app_on(Tab::Ramp, 100, 30);
        for _ in 0..20 {
            app.update(Action::PaceDown);
            app.update(Action::CostDown);
        }
        let ds = &app.view().unwrap().dataset;
        let pace = app.scenario().pace(ds).unwrap();
        let cost = app.scenario().cost(ds).unwrap();
        assert!(
            pace > 0.0 && (pace - 1.25f64.powi(-20)).abs() < 1e-9,
            "{pace}"
        );
        assert!(
            cost > 0.0 && (cost - 40e9 * 1.25f64.powi(-20)).abs() < 1.0,
            "{cost}"
        );
    }

    #[test]
    fn scenario_keys_do_nothing_on_other_tabs() {
        let mut app = app_on(Tab::Providers, 80, 24);
        chars(&mut app, "+-[]");
        assert!(!app.scenario().is_changed());
    }
}

mod mouse {
    use super::*;

    fn click(app: &mut App, x: u16, y: u16) {
        handle(
            app,
            TermEvent::Mouse(MouseEvent {
                kind: MouseEventKind::Down(MouseButton::Left),
                column: x,
                row: y,
                modifiers: KeyModifiers::NONE,
            }),
        );
    }

    #[test]
    fn clicking_a_tab_label_switches_tab() {
        for (w, h) in [(80, 24), (120, 40), (50, 12)] {
            let mut app = app_at(w, h);
            let tabs = layout::frame(app.size).tabs;
            let mut x = tabs.x;
            for (i, label) in Tab::labels(tabs.width).iter().enumerate() {
                let label_w = width(label) as u16;
                // Both ends of the label count.
                for at in [x, x + label_w / 2, x + label_w - 1] {
                    app.update(Action::GoTab((i + 1) % 4));
                    app.update(Action::Click(at, tabs.y));
                    assert_eq!(
                        app.tab,
                        Tab::ALL[i],
                        "click at {at} on {label:?} at {w}x{h}"
                    );
                }
                x += label_w + 1;
            }
            // Past the last label: nothing.
            app.update(Action::GoTab(1));
            app.update(Action::Click(x + 2, tabs.y));
            assert_eq!(app.tab, Tab::Commitments);
        }
    }

    #[test]
    fn clicking_a_row_selects_it() {
        for tab in [Tab::Providers, Tab::Commitments, Tab::Ramp, Tab::Notes] {
            let mut app = app_on(tab, 100, 30);
            let rows = list_rows(&app, tab);
            click(&mut app, rows.x + 3, rows.y + 2);
            assert_eq!(app.list().selected, 2, "{tab:?}");
            // The row clicked is the one drawn selected: its name is on it.
            let buf = draw(&app);
            let line = row_text(&buf, rows.y + 2);
            let record = app.list().current().unwrap();
            // The name column: the headline of a note, a deal's provider.
            let column = match tab {
                Tab::Notes => 5,
                Tab::Commitments | Tab::Ramp => 1,
                _ => 0,
            };
            let name = app.rows(tab).cell(record, column);
            let stem: String = name.chars().take(8).collect();
            assert!(line.contains(&stem), "{tab:?}: {stem:?} not in {line:?}");
        }
    }

    #[test]
    fn clicking_below_the_last_row_or_outside_changes_nothing() {
        let mut app = app_on(Tab::Notes, 100, 40);
        app.update(Action::Down);
        let rows = list_rows(&app, Tab::Notes);
        let len = app.list().order.len();
        // Empty rows under the last record, when the list has any.
        if usize::from(rows.height) > len {
            app.update(Action::Click(rows.x + 3, rows.y + len as u16));
            assert_eq!(app.list().selected, 1);
        }
        app.update(Action::Click(rows.x + 3, rows.y - 1)); // the header
        assert_eq!(app.list().selected, 1);
        app.update(Action::Click(rows.x + 3, rows.y + rows.height + 1)); // under the block
        assert_eq!(app.list().selected, 1);
        app.update(Action::Click(500, 500));
        assert_eq!(app.list().selected, 1);
    }

    #[test]
    fn clicking_a_scrolled_list_selects_the_row_under_the_pointer() {
        let mut app = app_on(Tab::Notes, 60, 16);
        app.update(Action::Bottom);
        let offset = app.list().offset;
        assert!(offset > 0);
        let rows = list_rows(&app, Tab::Notes);
        click(&mut app, rows.x + 2, rows.y);
        assert_eq!(app.list().selected, offset);
    }

    #[test]
    fn the_wheel_moves_the_selection_and_scrolls_help() {
        let mut app = app_on(Tab::Commitments, 80, 24);
        let wheel = |app: &mut App, kind| {
            handle(
                app,
                TermEvent::Mouse(MouseEvent {
                    kind,
                    column: 10,
                    row: 5,
                    modifiers: KeyModifiers::NONE,
                }),
            )
        };
        wheel(&mut app, MouseEventKind::ScrollDown);
        wheel(&mut app, MouseEventKind::ScrollDown);
        assert_eq!(app.list().selected, 2);
        wheel(&mut app, MouseEventKind::ScrollUp);
        assert_eq!(app.list().selected, 1);
        app.update(Action::Help);
        wheel(&mut app, MouseEventKind::ScrollDown);
        assert_eq!(app.overlay_scroll, 1);
        assert_eq!(app.list().selected, 1, "help scrolls, the list does not");
    }
}

mod keys {
    use super::*;
    use gigawatt::app::keymap::{Scope, action_for, search_action};

    fn ev(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, modifiers)
    }

    const LIST: &[Scope] = &[Scope::Global, Scope::List, Scope::Table];
    const RAMP: &[Scope] = &[Scope::Global, Scope::List, Scope::Ramp];

    #[test]
    fn crossterm_keys_map_to_actions() {
        let cases = [
            (
                ev(KeyCode::Char('G'), KeyModifiers::SHIFT),
                Some(Action::Bottom),
            ),
            (
                ev(KeyCode::Char('G'), KeyModifiers::NONE),
                Some(Action::Bottom),
            ),
            (
                ev(KeyCode::Char('g'), KeyModifiers::NONE),
                Some(Action::Top),
            ),
            (
                ev(KeyCode::Char('c'), KeyModifiers::CONTROL),
                Some(Action::Quit),
            ),
            (
                ev(KeyCode::Char('q'), KeyModifiers::NONE),
                Some(Action::Quit),
            ),
            (
                ev(KeyCode::Char('1'), KeyModifiers::NONE),
                Some(Action::GoTab(0)),
            ),
            (
                ev(KeyCode::Char('3'), KeyModifiers::NONE),
                Some(Action::GoTab(2)),
            ),
            (
                ev(KeyCode::Char('4'), KeyModifiers::NONE),
                Some(Action::GoTab(3)),
            ),
            (
                ev(KeyCode::Char('?'), KeyModifiers::SHIFT),
                Some(Action::Help),
            ),
            (
                ev(KeyCode::Char('N'), KeyModifiers::SHIFT),
                Some(Action::PrevMatch),
            ),
            (
                ev(KeyCode::Char('S'), KeyModifiers::SHIFT),
                Some(Action::SortReverse),
            ),
            (
                ev(KeyCode::Char('&'), KeyModifiers::SHIFT),
                Some(Action::ToggleFilter),
            ),
            (ev(KeyCode::Tab, KeyModifiers::NONE), Some(Action::NextTab)),
            (
                ev(KeyCode::Right, KeyModifiers::NONE),
                Some(Action::NextTab),
            ),
            (ev(KeyCode::Left, KeyModifiers::NONE), Some(Action::PrevTab)),
            // crossterm reports Shift-Tab as BackTab *with* SHIFT.
            (
                ev(KeyCode::BackTab, KeyModifiers::SHIFT),
                Some(Action::PrevTab),
            ),
            (
                ev(KeyCode::BackTab, KeyModifiers::NONE),
                Some(Action::PrevTab),
            ),
            (
                ev(KeyCode::PageDown, KeyModifiers::NONE),
                Some(Action::PageDown),
            ),
            (ev(KeyCode::End, KeyModifiers::NONE), Some(Action::Bottom)),
            (ev(KeyCode::Enter, KeyModifiers::NONE), Some(Action::Open)),
            (ev(KeyCode::Esc, KeyModifiers::NONE), Some(Action::Back)),
            // Not bound: Ctrl with an ordinary letter, Alt, the ramp's keys off the ramp.
            (ev(KeyCode::Char('j'), KeyModifiers::CONTROL), None),
            (ev(KeyCode::Char('j'), KeyModifiers::ALT), None),
            (ev(KeyCode::Char('+'), KeyModifiers::NONE), None),
            (ev(KeyCode::Char('x'), KeyModifiers::NONE), None),
        ];
        for (event, expected) in cases {
            assert_eq!(action_for(event, LIST), expected, "{event:?}");
        }
        assert_eq!(
            action_for(ev(KeyCode::Char('+'), KeyModifiers::SHIFT), RAMP),
            Some(Action::PaceUp)
        );
        assert_eq!(
            action_for(ev(KeyCode::Char('s'), KeyModifiers::NONE), RAMP),
            None,
            "the ramp's timeline does not sort"
        );
    }

    #[test]
    fn every_bound_key_gives_its_bindings_action() {
        for binding in keymap::BINDINGS {
            for k in binding.keys {
                let got = action_for(ev(k.0, k.1), &[binding.scope]);
                let ok = match (&binding.action, &got) {
                    (Action::GoTab(_), Some(Action::GoTab(_))) => true,
                    (want, got) => got.as_ref() == Some(want),
                };
                assert!(
                    ok,
                    "{:?} {:?} gives {got:?}, not {:?}",
                    k.0, k.1, binding.action
                );
            }
        }
    }

    #[test]
    fn footer_hints_name_bound_keys() {
        for scopes in [LIST, RAMP] {
            for (keys, hint) in keymap::hints(scopes) {
                let binding = keymap::BINDINGS
                    .iter()
                    .find(|b| b.label == keys && b.footer == Some(hint))
                    .unwrap_or_else(|| panic!("hint {keys} {hint} has no binding"));
                assert!(scopes.contains(&binding.scope));
            }
        }
    }

    #[test]
    fn while_typing_keys_are_text() {
        let cases = [
            (
                ev(KeyCode::Char('q'), KeyModifiers::NONE),
                Some(Action::SearchInput('q')),
            ),
            (
                ev(KeyCode::Char('O'), KeyModifiers::SHIFT),
                Some(Action::SearchInput('O')),
            ),
            (
                ev(KeyCode::Char('c'), KeyModifiers::CONTROL),
                Some(Action::Quit),
            ),
            (ev(KeyCode::Char('u'), KeyModifiers::CONTROL), None),
            (ev(KeyCode::Esc, KeyModifiers::NONE), Some(Action::Back)),
            (
                ev(KeyCode::Enter, KeyModifiers::NONE),
                Some(Action::SearchConfirm),
            ),
            (
                ev(KeyCode::Backspace, KeyModifiers::NONE),
                Some(Action::SearchBackspace),
            ),
            (
                ev(KeyCode::Down, KeyModifiers::NONE),
                Some(Action::NextMatch),
            ),
            (ev(KeyCode::Up, KeyModifiers::NONE), Some(Action::PrevMatch)),
        ];
        for (event, expected) in cases {
            assert_eq!(search_action(event), expected, "{event:?}");
        }
    }

    #[test]
    fn shift_tab_from_crossterm_goes_back_a_tab() {
        let mut app = app_at(80, 24);
        key(&mut app, KeyCode::BackTab, KeyModifiers::SHIFT);
        assert_eq!(app.tab, Tab::Clusters);
    }

    #[test]
    fn key_releases_are_ignored() {
        let mut app = app_at(80, 24);
        let mut release = KeyEvent::new(KeyCode::Char('j'), KeyModifiers::NONE);
        release.kind = KeyEventKind::Release;
        let redraw = handle(&mut app, TermEvent::Key(release));
        assert!(!redraw);
        assert_eq!(app.list().selected, 0);
    }

    #[test]
    fn ctrl_c_quits_even_while_typing_or_in_help() {
        let mut app = app_at(80, 24);
        key(&mut app, KeyCode::Char('/'), KeyModifiers::NONE);
        key(&mut app, KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert!(app.should_quit);
        let mut app = app_at(80, 24);
        app.update(Action::Help);
        key(&mut app, KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert!(app.should_quit);
    }
}

mod robustness {
    use super::*;
    use proptest::prelude::*;

    const WIDTHS: [u16; 19] = [
        1, 2, 5, 10, 20, 30, 49, 50, 51, 60, 79, 80, 81, 100, 120, 160, 200, 250, 300,
    ];
    const HEIGHTS: [u16; 15] = [1, 2, 3, 5, 8, 11, 12, 13, 16, 20, 24, 30, 40, 60, 100];

    #[derive(Debug, Clone, Copy)]
    enum Mode {
        Plain,
        Help,
        Detail,
        Cite,
        Typing,
        Filtered,
    }

    const MODES: [Mode; 6] = [
        Mode::Plain,
        Mode::Help,
        Mode::Detail,
        Mode::Cite,
        Mode::Typing,
        Mode::Filtered,
    ];

    fn setup(tab: Tab, mode: Mode) -> App {
        let mut app = app_on(tab, 80, 24);
        // Not the first row, so that scrolling is exercised too.
        app.update(Action::Bottom);
        match mode {
            Mode::Plain => {}
            Mode::Help => {
                app.update(Action::Help);
                app.update(Action::Down);
            }
            Mode::Detail => {
                app.update(Action::Open);
            }
            Mode::Cite => {
                app.update(Action::Cite);
            }
            Mode::Typing => {
                app.update(Action::SearchStart);
                app.update(Action::SearchInput('o'));
            }
            Mode::Filtered => {
                app.update(Action::SearchStart);
                app.update(Action::SearchInput('a'));
                app.update(Action::SearchConfirm);
                app.update(Action::ToggleFilter);
            }
        }
        app
    }

    fn every_size(tab: Tab) {
        let mut buf = Buffer::empty(ratatui::layout::Rect::ZERO);
        let mut apps: Vec<(Mode, App)> = MODES.iter().map(|&m| (m, setup(tab, m))).collect();
        // Sizes outermost: ratatui caches layouts per area, and solving
        // them dominates a debug build's drawing time.
        for w in WIDTHS {
            for h in HEIGHTS {
                for (mode, app) in &mut apps {
                    app.update(Action::Resize(w, h));
                    draw_fast(app, &mut buf);
                    let at = format!("{tab:?} {mode:?} at {w}x{h}");
                    no_control_cells(&buf).unwrap_or_else(|e| panic!("{at}: {e}"));
                    if layout::too_small((w, h)) {
                        let text = lines(&buf).join("\n");
                        if w >= 20 {
                            assert!(text.contains("terminal too small"), "{at}:\n{text}");
                        } else {
                            // Too narrow for the sentence: what shows is part of it.
                            let shown = text.trim();
                            assert!(
                                shown.is_empty()
                                    || "terminal too small:".contains(shown)
                                    || shown.lines().count() > 1,
                                "{at}: {shown:?}"
                            );
                        }
                    } else {
                        let title = row_text(&buf, 0);
                        assert!(title.contains("gigawatt"), "{at}: {title:?}");
                    }
                    assert_list_invariants(app, &at);
                }
            }
        }
    }

    #[test]
    fn providers_render_at_every_size() {
        every_size(Tab::Providers);
    }

    #[test]
    fn commitments_render_at_every_size() {
        every_size(Tab::Commitments);
    }

    #[test]
    fn ramp_renders_at_every_size() {
        every_size(Tab::Ramp);
    }

    #[test]
    fn notes_render_at_every_size() {
        every_size(Tab::Notes);
    }

    #[test]
    fn too_small_says_what_it_needs() {
        let app = app_at(49, 30);
        assert_shows(
            &screen(&app),
            &["terminal too small", "need 50×12", "have 49×30"],
        );
        let app = app_at(80, 11);
        assert_shows(&screen(&app), &["terminal too small", "have 80×11"]);
    }

    #[track_caller]
    fn assert_list_invariants(app: &App, context: &str) {
        for tab in Tab::ALL {
            let list = &app.lists()[tab.index()];
            let len = list.order.len();
            assert!(
                list.selected < len || (len == 0 && list.selected == 0),
                "{context}: {tab:?} selected {} of {len}",
                list.selected
            );
            assert!(
                list.offset <= list.selected,
                "{context}: {tab:?} offset {} past selected {}",
                list.offset,
                list.selected
            );
            // The selection is on screen, and the list is not scrolled past
            // its end (no blank rows under the last record while rows are
            // hidden above).
            {
                let page = app.page_size(tab);
                assert!(
                    len == 0 || list.selected < list.offset + page,
                    "{context}: {tab:?} selected {} not visible: offset {} page {page}",
                    list.selected,
                    list.offset
                );
                assert!(
                    list.offset + page <= len.max(page),
                    "{context}: {tab:?} scrolled past the end: offset {} page {page} len {len}",
                    list.offset
                );
            }
            assert!(
                list.matches.iter().all(|&m| m < len),
                "{context}: {tab:?} matches {:?} beyond {len}",
                list.matches
            );
        }
    }

    /// One step of input, as the terminal would deliver it.
    #[derive(Debug, Clone)]
    enum Step {
        Key(KeyCode, KeyModifiers),
        Resize(u16, u16),
        Click(u16, u16),
        Wheel(bool),
        /// An action no key gives directly (e.g. GoTab out of range).
        Act(Action),
    }

    fn key_code() -> impl Strategy<Value = KeyCode> {
        prop_oneof![
            4 => prop::sample::select(
                "jkgGnNsS&/cy?r+-=[]1234 oracle$AZ5".chars().collect::<Vec<_>>()
            )
            .prop_map(KeyCode::Char),
            2 => prop::sample::select(vec![
                KeyCode::Enter,
                KeyCode::Esc,
                KeyCode::Backspace,
                KeyCode::Tab,
                KeyCode::BackTab,
                KeyCode::Up,
                KeyCode::Down,
                KeyCode::Left,
                KeyCode::Right,
                KeyCode::PageUp,
                KeyCode::PageDown,
                KeyCode::Home,
                KeyCode::End,
            ]),
        ]
    }

    fn step() -> impl Strategy<Value = Step> {
        prop_oneof![
            10 => (key_code(), prop::sample::select(vec![
                KeyModifiers::NONE,
                KeyModifiers::NONE,
                KeyModifiers::NONE,
                KeyModifiers::SHIFT,
            ]))
                .prop_map(|(c, m)| Step::Key(c, m)),
            2 => (1u16..=300, 1u16..=100).prop_map(|(w, h)| Step::Resize(w, h)),
            2 => (0u16..320, 0u16..110).prop_map(|(x, y)| Step::Click(x, y)),
            1 => any::<bool>().prop_map(Step::Wheel),
            1 => prop::sample::select(vec![
                Action::GoTab(7),
                Action::Open,
                Action::Cite,
                Action::Help,
                Action::ToggleFilter,
                Action::SearchConfirm,
                Action::SearchBackspace,
                Action::SearchInput('\u{7}'),
                Action::Yank,
                Action::Export,
                Action::ResetScenario,
            ])
            .prop_map(Step::Act),
        ]
    }

    fn apply(app: &mut App, step: &Step) {
        let input = |e| e;
        match step {
            Step::Key(code, modifiers) => {
                handle(app, input(TermEvent::Key(KeyEvent::new(*code, *modifiers))));
            }
            Step::Resize(w, h) => {
                handle(app, input(TermEvent::Resize(*w, *h)));
            }
            Step::Click(x, y) => {
                handle(
                    app,
                    input(TermEvent::Mouse(MouseEvent {
                        kind: MouseEventKind::Down(MouseButton::Left),
                        column: *x,
                        row: *y,
                        modifiers: KeyModifiers::NONE,
                    })),
                );
            }
            Step::Wheel(down) => {
                let kind = if *down {
                    MouseEventKind::ScrollDown
                } else {
                    MouseEventKind::ScrollUp
                };
                handle(
                    app,
                    input(TermEvent::Mouse(MouseEvent {
                        kind,
                        column: 5,
                        row: 5,
                        modifiers: KeyModifiers::NONE,
                    })),
                );
            }
            Step::Act(action) => {
                // Effects (clipboard, export) are the loop's business; the
                // state is what matters here.
                let _ = app.update(action.clone());
            }
        }
    }

    struct Datasets {
        bundled: Dataset,
        empty: Dataset,
        big: Dataset,
    }

    static DATASETS: std::sync::LazyLock<Datasets> = std::sync::LazyLock::new(|| Datasets {
        bundled: dataset(),
        empty: empty_dataset(),
        big: big_dataset(),
    });

    #[test]
    fn empty_and_big_datasets_render_on_every_tab() {
        let mut buf = Buffer::empty(ratatui::layout::Rect::ZERO);
        for (name, data) in [("empty", empty_dataset()), ("big", big_dataset())] {
            for tab in Tab::ALL {
                for (w, h) in [(50, 12), (80, 24), (120, 40), (300, 100)] {
                    let mut app = app_with(data.clone(), (w, h));
                    app.update(Action::GoTab(tab.index()));
                    for action in [
                        Action::Bottom,
                        Action::PageUp,
                        Action::SortNext,
                        Action::SortReverse,
                        Action::PaceUp,
                        Action::CostDown,
                        Action::SearchStart,
                        Action::SearchInput('o'),
                        Action::SearchConfirm,
                        Action::ToggleFilter,
                        Action::NextMatch,
                        Action::Click(3, 6),
                        Action::Open,
                        Action::Back,
                        Action::Cite,
                    ] {
                        app.update(action.clone());
                        let at = format!("{name} {tab:?} {w}x{h} after {action:?}");
                        assert_list_invariants(&app, &at);
                        draw_fast(&app, &mut buf);
                        no_control_cells(&buf).unwrap_or_else(|e| panic!("{at}: {e}"));
                    }
                }
            }
        }
        // Saying so beats a blank pane.
        let mut app = app_with(empty_dataset(), (80, 24));
        assert_shows(&screen(&app), &["no records"]);
        app.update(Action::GoTab(2));
        assert_shows(&screen(&app), &["no [capacity]"]);
        app.update(Action::PaceUp);
        assert!(!app.scenario().is_changed());
    }

    /// Cases: PROPTEST_CASES if set, else 200 (quick in debug builds).
    fn cases() -> u32 {
        std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(200)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(cases()))]

        #[test]
        fn random_input_never_panics_and_keeps_lists_consistent(
            which in 0usize..6,
            start in (1u16..=300, 1u16..=100),
            steps in prop::collection::vec(step(), 0..=60),
        ) {
            // Mostly the bundled data; sometimes none, sometimes hundreds of rows.
            let data = match which {
                0 => DATASETS.empty.clone(),
                1 => DATASETS.big.clone(),
                _ => DATASETS.bundled.clone(),
            };
            let mut app = app_with(data, start);
            let mut buf = Buffer::empty(ratatui::layout::Rect::ZERO);
            for (i, step) in steps.iter().enumerate() {
                apply(&mut app, step);
                assert_list_invariants(&app, &format!("after step {i} {step:?}"));
                // Drawing every step is too slow for big screens in debug
                // builds; small screens are drawn every step, all at the end.
                if u32::from(app.size.0) * u32::from(app.size.1) <= 4000 {
                    draw_fast(&app, &mut buf);
                    prop_assert!(no_control_cells(&buf).is_ok());
                }
            }
            draw_fast(&app, &mut buf);
            prop_assert!(no_control_cells(&buf).is_ok());
        }
    }
}

mod controls {
    use super::*;

    /// Strings that reached the model without the loader (which rejects
    /// control characters in names): escapes in a name, a bell and tabs in
    /// prose, a newline in a title.
    fn hostile() -> Dataset {
        let mut ds = dataset();
        ds.title = "Title\u{1b}]0;pwned\u{7}\nnext".into();
        ds.subject = "Sub\u{9b}31mject".into();
        ds.providers[0].name = "Evil\u{1b}[31m".into();
        ds.providers[0].summary = Some("tab\there\nline two\u{1b}[2J".into());
        ds.providers[0].hardware = vec!["GPU\u{8}\u{8}".into()];
        ds.commitments[0].summary = Some("ring\u{7}ring\tand\nbreak".into());
        for note in &mut ds.notes {
            note.body = Some("bell\u{7} and\ttab\nsecond line\u{7f}".into());
            note.headline = format!("{}\u{1b}[5m", note.headline);
        }
        if let Some(source) = ds.sources.first_mut() {
            source.title = "Report\u{1b}[8m hidden".into();
            source.url = Some("https://example.com/\u{7}".into());
        }
        if let Some(capacity) = ds.capacity_mut() {
            for m in &mut capacity.milestones {
                m.label = format!("{}\u{1b}[1A", m.label);
            }
        }
        ds
    }

    #[test]
    fn control_characters_never_reach_a_cell() {
        for (w, h) in [(80, 24), (120, 40), (50, 12)] {
            for tab in Tab::ALL {
                for overlay in [None, Some(Action::Open), Some(Action::Cite)] {
                    for row in 0..2 {
                        let mut app = app_with(hostile(), (w, h));
                        app.update(Action::GoTab(tab.index()));
                        for _ in 0..row {
                            app.update(Action::Down);
                        }
                        if let Some(action) = overlay.clone() {
                            app.update(action);
                        }
                        let buf = draw(&app);
                        if let Err(e) = no_control_cells(&buf) {
                            panic!(
                                "{tab:?} {overlay:?} row {row} at {w}x{h}: {e}\n{}",
                                lines(&buf).join("\n")
                            );
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn control_characters_are_shown_escaped_not_dropped() {
        let mut app = app_with(hostile(), (120, 40));
        let s = screen(&app);
        // The escape is visible as text, so a reader sees something is off.
        assert_shows(&s, &["Evil\\u{1b}[31m"]);
        app.update(Action::Open);
        let s = screen(&app);
        assert_shows(&s, &["Evil\\u{1b}[31m"]);
        app.update(Action::Back);
        app.update(Action::GoTab(3));
        app.update(Action::Open);
        assert_shows(&screen(&app), &["bell\\u{7}"]);
        // The copied line is escaped too.
        app.update(Action::Back);
        app.update(Action::GoTab(0));
        let line = app.citation_line().unwrap();
        assert!(!line.chars().any(char::is_control), "{line:?}");
    }
}

/// Whole screens. Layout work changes these on purpose: review the diff and
/// re-accept with `INSTA_UPDATE=always cargo test --test ui snapshots`.
mod snapshots {
    use super::*;

    fn snap(app: &App) -> String {
        screen(app)
    }

    #[test]
    fn providers_80x24() {
        insta::assert_snapshot!(snap(&app_on(Tab::Providers, 80, 24)));
    }

    #[test]
    fn commitments_80x24() {
        insta::assert_snapshot!(snap(&app_on(Tab::Commitments, 80, 24)));
    }

    #[test]
    fn ramp_80x24() {
        insta::assert_snapshot!(snap(&app_on(Tab::Ramp, 80, 24)));
    }

    #[test]
    fn notes_80x24() {
        insta::assert_snapshot!(snap(&app_on(Tab::Notes, 80, 24)));
    }

    #[test]
    fn help_80x24() {
        let mut app = app_at(80, 24);
        app.update(Action::Help);
        insta::assert_snapshot!(snap(&app));
    }

    #[test]
    fn commitment_detail_80x24() {
        let mut app = app_on(Tab::Commitments, 80, 24);
        app.update(Action::Open);
        insta::assert_snapshot!(snap(&app));
    }

    #[test]
    fn search_typing_80x24() {
        let mut app = app_on(Tab::Commitments, 80, 24);
        app.update(Action::SearchStart);
        for c in "agreed".chars() {
            app.update(Action::SearchInput(c));
        }
        insta::assert_snapshot!(snap(&app));
    }

    #[test]
    fn too_small_40x10() {
        insta::assert_snapshot!(snap(&app_at(40, 10)));
    }

    /// The screen, then every run of cells styled alike that is not plain,
    /// as `row col: "text" modifiers fg bg` (colours only where set).
    fn styled(buf: &Buffer) -> String {
        use ratatui::style::Color;
        let plain = ratatui::buffer::Cell::default().style();
        let colour = |name: &str, c: Option<Color>| match c {
            Some(c) if c != Color::Reset => format!(" {name}={c}"),
            _ => String::new(),
        };
        let mut out = lines(buf).join("\n");
        out.push_str("\n---");
        for y in 0..buf.area.height {
            let mut x = 0;
            while x < buf.area.width {
                let style = buf[(x, y)].style();
                let start = x;
                let mut text = String::new();
                while x < buf.area.width && buf[(x, y)].style() == style {
                    text.push_str(buf[(x, y)].symbol());
                    x += 1;
                }
                if style != plain {
                    out.push_str(&format!(
                        "\n{y:>2} {start:>2}: {text:?} {:?}{}{}",
                        style.add_modifier,
                        colour("fg", style.fg),
                        colour("bg", style.bg)
                    ));
                }
            }
        }
        out
    }

    /// Reverse video marks the selection and an underline the search match.
    #[test]
    fn selection_and_match_styles_80x24() {
        let mut app = app_on(Tab::Commitments, 80, 24);
        app.update(Action::SearchStart);
        for c in "oracle".chars() {
            app.update(Action::SearchInput(c));
        }
        app.update(Action::SearchConfirm);
        insta::assert_snapshot!(styled(&draw(&app)));
    }
}

/// Every line of every Detail and Cite overlay can be scrolled into view:
/// at the furthest scroll `update` allows, the box's last row is the text's
/// last wrapped row. Measured by drawing the same lines unclipped.
mod overlay_scroll {
    use super::*;
    use gigawatt::ui::overlay::{self, OverlayContext};
    use ratatui::widgets::{Block, Borders, Paragraph, Widget, Wrap};

    /// The last non-blank row inside a bordered box drawn in `buf`.
    /// The lowest row inside the box's border with any text.
    fn last_text_y(buf: &Buffer) -> Option<u16> {
        let area = buf.area;
        let inner = 1..area.width.saturating_sub(1);
        (1..area.height.saturating_sub(1)).rev().find(|&y| {
            inner
                .clone()
                .any(|x| !buf[(x, y)].symbol().chars().all(char::is_whitespace))
        })
    }

    fn last_text_row(buf: &Buffer) -> String {
        last_text_y(buf)
            .map(|y| {
                (1..buf.area.width.saturating_sub(1))
                    .map(|x| buf[(x, y)].symbol())
                    .collect::<String>()
            })
            .unwrap_or_default()
            .trim_end()
            .to_string()
    }

    fn boxed(lines: Vec<ratatui::text::Line<'static>>, w: u16, h: u16, scroll: u16) -> Buffer {
        let mut buf = Buffer::empty(ratatui::layout::Rect::new(0, 0, w, h));
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((scroll, 0))
            .block(Block::default().borders(Borders::ALL))
            .render(buf.area, &mut buf);
        buf
    }

    /// Detail and Cite text depends on the width only, so the unclipped
    /// text is drawn once per width and checked against heights that cut
    /// it short (a wrong line count shows at any of them: it is the
    /// width's, not the height's) and one that shows the whole screen.
    #[test]
    fn every_detail_and_cite_reaches_its_last_row() {
        let mut app = app_at(80, 24);
        let mut checked = 0usize;
        let mut failures = Vec::new();
        for tab in Tab::ALL {
            app.update(Action::GoTab(tab.index()));
            let records = app.list().order.len();
            for record in 0..records {
                app.update(Action::Top);
                for _ in 0..record {
                    app.update(Action::Down);
                }
                for kind in [Overlay::Detail, Overlay::Cite] {
                    let ctx = OverlayContext {
                        overlay: kind,
                        tab,
                        document: &app.document,
                        theme: &app.theme,
                        keymap: &app.keymap,
                    };
                    for w in 50..=160u16 {
                        let tallest = layout::frame((w, 40)).body;
                        let Some(content) = overlay::content(&ctx, tallest) else {
                            continue;
                        };
                        let box_w = content.rect.width;
                        // Drawn into a box taller than the text, independently
                        // of how the app measures it: ratatui's count only
                        // sizes a first try, taken when the text ends with an
                        // empty row to spare; else the box is far taller.
                        let guess = Paragraph::new(content.lines.clone())
                            .wrap(Wrap { trim: false })
                            .line_count(box_w.saturating_sub(2));
                        let guess = u16::try_from(guess)
                            .unwrap_or(300)
                            .saturating_add(4)
                            .min(300);
                        let mut unclipped = boxed(content.lines.clone(), box_w, guess, 0);
                        if last_text_y(&unclipped).is_none_or(|y| y + 3 > guess) {
                            unclipped = boxed(content.lines.clone(), box_w, 300, 0);
                        }
                        let last = last_text_row(&unclipped);
                        let full_h = last_text_y(&unclipped).map_or(2, |y| y + 2);
                        assert!(full_h < 298, "a text taller than the measuring box");
                        for h in [12u16, 13, 17, 24, 40] {
                            let body = layout::frame((w, h)).body;
                            let box_h = full_h.min(body.height);
                            let max = overlay::max_scroll(&ctx, (w, h));
                            let scrolled = boxed(content.lines.clone(), box_w, box_h, max);
                            checked += 1;
                            if last_text_row(&scrolled) != last {
                                failures
                                    .push(format!("{w}x{h} {} row {record} {kind:?}", tab.title()));
                            }
                        }
                    }
                }
            }
        }
        assert!(checked > 10_000, "only {checked} cases ran");
        assert!(
            failures.is_empty(),
            "{} of {checked} overlays cannot scroll to their last row, e.g. {:?}",
            failures.len(),
            &failures[..failures.len().min(5)]
        );
    }

    /// The same through the app: Bottom scrolls the open overlay as far as
    /// the renderer will show, and the drawn box ends with the text's end.
    #[test]
    fn bottom_shows_the_end_on_screen() {
        let mut app = app_on(Tab::Commitments, 50, 12);
        app.update(Action::Down);
        app.update(Action::Down);
        app.update(Action::Cite);
        app.update(Action::Bottom);
        let screen = screen(&app);
        // The citation line wraps; its last piece sits on the box's last row.
        let rows: Vec<&str> = screen.lines().collect();
        let bottom = rows.iter().position(|r| r.starts_with('└')).expect("a box");
        assert!(rows[bottom - 1].contains("19)"), "{screen}");
    }
}

/// The loading panel moves in every stage: while a load runs the loop is
/// asked to wake every frame (`deadline`), and each tick moves the clock,
/// so the last stage, which reports no progress of its own, never looks
/// hung.
#[test]
fn the_loading_panel_ticks_in_every_stage() {
    use std::time::{Duration, Instant};
    let t0 = Instant::now();
    let (mut app, _) = App::opening(
        std::path::PathBuf::from("big.toml"),
        gigawatt::ui::theme::Theme::new(false),
        t0,
    );
    app.update(Action::Resize(80, 24));
    let doc = app.document.id;
    app.update(Action::LoadProgress {
        doc,
        progress: gigawatt::app::action::Progress {
            bytes: 0,
            total: 0,
            stage: "arranging rows",
        },
    });
    assert_eq!(
        app.deadline(),
        Some(t0 + gigawatt::app::document::LOADING_FRAME)
    );
    let later = t0 + Duration::from_millis(1500);
    app.update(Action::Tick(later));
    let s = common::screen(&app);
    assert!(s.contains("arranging rows, 1.5 s"), "{s}");
    assert!(s.contains("or Esc quits"), "{s}");
    assert_eq!(
        app.deadline(),
        Some(later + gigawatt::app::document::LOADING_FRAME)
    );
}
