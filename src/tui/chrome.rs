//! What frames every view: the tabs line, the status or search line, the command bar, and
//! the screens for a terminal too small or a database still empty.

use super::filter::Filter;
use super::theme::Theme;
use super::ViewId;
use crate::domain::dates;
use crate::keys::{Action, KeyMap};
use crate::text::{inert, width};
use chrono::NaiveDate;
use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use ratatui::Frame;

/// The smallest terminal the screens are laid out for.
pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 24;

/// A message on the status line until the next key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub text: String,
    pub error: bool,
}

/// What the frame around the views shows, gathered from the app's state for one draw.
pub struct Chrome<'a> {
    pub view: ViewId,
    pub today: NaiveDate,
    /// Releases that could not be loaded (said on every screen).
    pub unloaded: usize,
    pub theme: &'a Theme,
    pub keys: &'a KeyMap,
    /// Typing into the search line.
    pub searching: bool,
    pub filter: &'a Filter,
    pub status: Option<&'a Status>,
    /// The search in force: (matches the view lists, matches in the database).
    pub search_counts: Option<(Option<usize>, usize)>,
    /// The earlier cases' search keys are still being read.
    pub earlier_pending: bool,
    /// The team database cannot be reached (said in the header until it answers again).
    pub unreachable: bool,
}

/// Tabs on top, the view in the middle, status and command bar below.
pub fn layout(area: Rect) -> [Rect; 3] {
    Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(2),
    ])
    .areas(area)
}

pub fn tabs(f: &mut Frame, area: Rect, app: &Chrome) {
    let t = app.theme;
    let mut spans = vec![Span::styled(" releaseday ", t.title())];
    for (i, id) in ViewId::ALL.iter().enumerate() {
        let label = format!(" {} {} ", i + 1, id.title());
        let style = if *id == app.view {
            t.tab_active()
        } else {
            Style::default()
        };
        spans.push(Span::styled(label, style));
    }
    // Kept in view for the whole session: every list and count is short by this many.
    let mut warning = match app.unloaded {
        0 => String::new(),
        n => format!("⚠ {n} releases not loaded (restart) "),
    };
    if app.unreachable {
        warning = format!("⚠ team database unreachable — reconnecting… {warning}");
    }
    // A warning comes before the date, and then before the other views' tabs, where they
    // do not all fit.
    let fits = |spans: &[Span], right: &str| {
        let used: usize = spans.iter().map(|s| width(&s.content)).sum();
        used + width(&warning) + width(right) <= area.width as usize
    };
    // Today's date, without its year where the tabs leave no room for it (80 columns), and
    // not at all where a warning needs the room.
    let mut right = format!("{} ", dates::long(app.today));
    if !fits(&spans, &right) {
        right = format!("{} ", dates::short(app.today));
    }
    if !fits(&spans, &right) {
        right = String::new();
    }
    if !fits(&spans, &right) {
        let active = ViewId::ALL
            .iter()
            .position(|id| *id == app.view)
            .unwrap_or(0);
        spans = vec![spans.swap_remove(active + 1)];
    }
    let used: usize = spans.iter().map(|s| width(&s.content)).sum();
    let gap = (area.width as usize).saturating_sub(used + width(&warning) + width(&right));
    spans.push(Span::raw(" ".repeat(gap)));
    spans.push(Span::styled(warning, t.error()));
    spans.push(Span::styled(right, t.dim()));
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}

pub fn bar(f: &mut Frame, area: Rect, app: &Chrome) {
    let t = app.theme;
    let [status, keys] =
        Layout::vertical([Constraint::Length(1), Constraint::Length(1)]).areas(area);
    let status_line = if app.searching {
        let typed = inert(&app.filter.search);
        let room = (area.width as usize).saturating_sub(width(&typed) + 2);
        Line::from(vec![
            Span::styled("/", t.key()),
            Span::raw(typed),
            Span::styled("▏", t.key()),
            Span::styled(
                search_hint(app.search_counts, app.earlier_pending, room),
                t.dim(),
            ),
        ])
    } else if let Some(s) = app.status {
        let style = if s.error { t.error() } else { t.info() };
        Line::from(Span::styled(inert(&s.text), style))
    } else if !app.filter.is_empty() {
        let elsewhere = match app.search_counts {
            Some((Some(here), total)) if total > here => {
                format!(" · {} more not in this view", total - here)
            }
            _ => String::new(),
        };
        Line::from(vec![
            Span::styled("Showing only ", t.dim()),
            Span::raw(inert(&app.filter.describe())),
            Span::styled(elsewhere, t.dim()),
            Span::styled(
                format!("   {} clears", app.keys.key_for(Action::ClearFilters)),
                t.dim(),
            ),
        ])
    } else {
        Line::from("")
    };
    // A message too long for one line (a refusal naming a person and what is there now)
    // takes the command bar's line too, until the next key, rather than being cut off.
    if status_line.width() > status.width as usize && !app.searching {
        f.render_widget(Paragraph::new(status_line).wrap(Wrap { trim: true }), area);
        return;
    }
    f.render_widget(Paragraph::new(status_line), status);
    let mut items = app.keys.bar(app.view);
    items.push((format!("1-{}/Tab", crate::keys::VIEWS.len()), "views"));
    let width = |items: &[(String, &str)]| -> usize {
        items.iter().map(|(k, w)| width(k) + width(w) + 3).sum()
    };
    // Too narrow: drop entries from the end, but never help or quit (help lists the rest).
    while width(&items) > area.width as usize {
        match items.iter().rposition(|(k, _)| k != "?" && k != "q") {
            Some(i) => {
                items.remove(i);
            }
            None => break,
        }
    }
    let mut spans = Vec::new();
    for (key, what) in items {
        spans.push(Span::styled(key, t.key()));
        spans.push(Span::raw(format!(" {what}  ")));
    }
    f.render_widget(Paragraph::new(Line::from(spans)), keys);
}

/// What the search line says after the text typed: how many match here and elsewhere in the
/// database, and what Enter and Tab do, cut from the end to fit `room`. `pending`: the
/// earlier cases' keys are still being read, so the counts may grow.
fn search_hint(counts: Option<(Option<usize>, usize)>, pending: bool, room: usize) -> String {
    let mut parts: Vec<String> = Vec::new();
    if pending && counts.is_some() {
        parts.push("reading earlier cases…".into());
    }
    match counts {
        Some((Some(0), 0)) | Some((None, 0)) => parts.push("no case matches".into()),
        Some((Some(0), n)) => {
            parts.push(format!("none here, {n} elsewhere: Enter lists them"));
        }
        Some((Some(here), total)) if total > here => {
            parts.push(format!(
                "{here} here, {} elsewhere: Tab lists all",
                total - here
            ));
            parts.push("Enter keeps".into());
        }
        Some((Some(here), _)) => {
            parts.push(format!("{here} here"));
            parts.push("Enter keeps".into());
        }
        Some((None, n)) => {
            parts.push(format!(
                "{n} match{}: Tab lists them",
                if n == 1 { "" } else { "es" }
            ));
            parts.push("Enter keeps".into());
        }
        None => parts.push("Enter keeps".into()),
    }
    parts.push("Esc clears".into());
    parts.push("↑↓ move".into());
    let mut text = String::new();
    for p in parts {
        let next = format!("{}{}{p}", text, if text.is_empty() { "   " } else { " · " });
        if width(&next) > room {
            break;
        }
        text = next;
    }
    text
}

pub fn too_small(f: &mut Frame, area: Rect, t: &Theme, keys: &KeyMap) {
    let text = vec![
        Line::from(Span::styled("releaseday needs a bigger window", t.title())),
        Line::from(format!(
            "at least {MIN_WIDTH}×{MIN_HEIGHT}; this one is {}×{}",
            area.width, area.height
        )),
        Line::from(format!("{} quits", keys.key_for(Action::Quit))),
    ];
    f.render_widget(
        Paragraph::new(text)
            .alignment(Alignment::Center)
            .wrap(Wrap { trim: true }),
        area,
    );
}

pub fn welcome(f: &mut Frame, area: Rect, t: &Theme, keys: &KeyMap) {
    let lines = vec![
        Line::from(""),
        Line::from(Span::styled("Welcome to releaseday", t.title())),
        Line::from(""),
        Line::from("There are no cases in this database yet."),
        Line::from(""),
        Line::from(vec![
            Span::raw("Import your team's export (CSV or XLSX):  "),
            Span::styled("releaseday import releases.csv", t.key()),
        ]),
        Line::from(vec![
            Span::raw("Or try the planner on invented data:     "),
            Span::styled("releaseday --demo", t.key()),
        ]),
        Line::from(""),
        Line::from(format!(
            "The Calendar view ({}) already shows the bank-holiday clusters ahead.",
            keys.key_for(Action::Show(ViewId::Calendar))
        )),
        Line::from(format!(
            "Press {} to quit, {} for help.",
            keys.key_for(Action::Quit),
            keys.key_for(Action::Help)
        )),
    ];
    let block = Block::default().borders(Borders::ALL).border_style(t.dim());
    f.render_widget(
        Paragraph::new(lines).block(block).wrap(Wrap { trim: true }),
        area,
    );
}
