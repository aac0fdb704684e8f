//! Names in any script line up on every screen: columns are measured in the cells a terminal
//! gives them, so a decomposed "Zoë" (o + U+0308) does not leave its row a column short, nor
//! "李明" (four cells) push its row two columns long.

use chrono::{NaiveDate, NaiveDateTime};
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::Terminal;
use releaseday::domain::case::{Accommodation, Case};
use releaseday::keys::{Action, ViewId};
use releaseday::query::{Planner, Settings};
use releaseday::store::SqliteStore;
use releaseday::tui::app::App;
use releaseday::tui::theme::Theme;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
}

fn clock() -> NaiveDateTime {
    today().and_hms_opt(9, 14, 0).unwrap()
}

/// Three people due today with nowhere to go (so every view lists them), and one of them a
/// name written with a combining accent, one in Chinese characters.
const PEOPLE: [(&str, &str); 3] = [
    ("X910001", "Ann Plain"),
    ("X910002", "Zoe\u{308} Decomposed"),
    ("X910003", "李明"),
];

fn app() -> App {
    let mut planner =
        Planner::new(SqliteStore::open_in_memory().unwrap(), Settings::default()).unwrap();
    let cases: Vec<Case> = PEOPLE
        .iter()
        .map(|(crn, name)| {
            let mut c = Case::new(crn.parse().unwrap(), *name, today());
            c.accommodation = Accommodation::Nfa;
            c.officer = Some("Test Officer".into());
            c.prison = Some("HMP Testmoor".into());
            c
        })
        .collect();
    planner.put_cases(&cases, "test").unwrap();
    App::new(planner, today(), Box::new(clock), Theme::mono()).unwrap()
}

fn draw(app: &mut App, w: u16, h: u16) -> Buffer {
    let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
    term.draw(|f| app.draw(f)).unwrap();
    term.backend().buffer().clone()
}

/// The cell where `text` starts on some row of the screen, as (column, row).
fn cell_of(buf: &Buffer, text: &str) -> Option<(u16, u16)> {
    let area = buf.area;
    let n = text.chars().count() as u16;
    (0..area.height).find_map(|y| {
        (0..area.width.saturating_sub(n)).find_map(|x| {
            let here: String = (x..x + n).map(|i| buf[(i, y)].symbol()).collect();
            (here == text).then_some((x, y))
        })
    })
}

/// On each screen, every person's CRN sits in the same column whatever their name's script.
#[test]
fn the_crn_column_lines_up_whatever_the_name() {
    let mut a = app();
    for view in [ViewId::Releases, ViewId::Gaps, ViewId::Today] {
        a.dispatch(Action::Show(view));
        for (w, h) in [(80, 24), (120, 40)] {
            let buf = draw(&mut a, w, h);
            let columns: Vec<u16> = PEOPLE
                .iter()
                .map(|(crn, _)| {
                    cell_of(&buf, crn)
                        .unwrap_or_else(|| panic!("{view:?} {w}×{h}: {crn} not on screen"))
                        .0
                })
                .collect();
            assert!(
                columns.windows(2).all(|p| p[0] == p[1]),
                "{view:?} at {w}×{h}: CRNs start at columns {columns:?}"
            );
        }
    }
}
