//! Popups over the views: help, a case's detail, editing a field (and confirming an unusual
//! value), choosing a filter, and the search's results across the database. Every hint names
//! the keys in force (`KeyMap::key_for`), not the defaults.

use super::data::Caseload;
use super::filter::Dimension;
use super::results::Results;
use super::theme::Theme;
use super::ViewId;
use crate::domain::case::Crn;
use crate::domain::fields::Field;
use crate::keys::Action;
use crate::keys::KeyMap;
use crate::query::history::AuditEntry;
use crate::query::Planner;
use crate::text::{fill, fit, inert};
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};
use ratatui::Frame;

pub enum Popup {
    Help {
        scroll: u16,
    },
    Detail {
        crn: Crn,
        scroll: u16,
        history: Option<Vec<AuditEntry>>,
    },
    EditMenu {
        crn: Crn,
        selected: usize,
    },
    EditChoice {
        crn: Crn,
        field: Field,
        options: Vec<&'static str>,
        selected: usize,
        error: Option<String>,
    },
    EditText {
        crn: Crn,
        field: Field,
        input: String,
        error: Option<String>,
    },
    FilterMenu {
        selected: usize,
        dims: Vec<Dimension>,
    },
    FilterValues {
        dim: Dimension,
        values: Vec<(String, usize)>,
        selected: usize,
        /// The search and other filters the counts are counted within ("" for none).
        within: String,
        /// The value this dimension is filtered to now, if any.
        active: Option<String>,
    },
    /// A value the rules ask about (a confirmed day on a non-working day): y saves it anyway.
    Confirm {
        crn: Crn,
        field: Field,
        text: String,
        message: String,
    },
    /// Every case in the database the search matches.
    Results(Results),
}

/// What a popup asks the app to do after a key.
pub enum Outcome {
    Keep,
    Close,
    Push(Popup),
    Replace(Popup),
    Save {
        crn: Crn,
        field: Field,
        text: String,
    },
    Filter(Dimension, String),
    /// The filter menu chose a dimension: the app lists its values with their counts.
    FilterValues(Dimension),
    Action(Action),
    /// Open a case's detail (from the search results: it may lie outside the window).
    OpenCase(Crn),
    /// Mark a case reported (true) or not (false), from its detail.
    CheckIn(Crn, bool),
    /// Save what `Confirm` asked about, confirmed.
    SaveConfirmed {
        crn: Crn,
        field: Field,
        text: String,
    },
}

impl Popup {
    pub fn help() -> Popup {
        Popup::Help { scroll: 0 }
    }

    pub fn detail(crn: Crn) -> Popup {
        Popup::Detail {
            crn,
            scroll: 0,
            history: None,
        }
    }

    pub fn edit_menu(crn: Crn) -> Popup {
        Popup::EditMenu { crn, selected: 0 }
    }

    pub fn filter_menu(view: ViewId) -> Popup {
        let dims = Dimension::ALL
            .into_iter()
            .filter(|d| *d != Dimension::Flag || view == ViewId::Gaps)
            .collect();
        Popup::FilterMenu { selected: 0, dims }
    }

    /// Opens the editor that suits a field: a pick list for closed sets, a line otherwise.
    pub fn editor(crn: Crn, field: Field, current: Option<String>) -> Popup {
        match field.choices() {
            Some(options) => {
                let selected = current
                    .as_deref()
                    .and_then(|c| options.iter().position(|o| *o == c))
                    .unwrap_or(0);
                Popup::EditChoice {
                    crn,
                    field,
                    options,
                    selected,
                    error: None,
                }
            }
            None => Popup::EditText {
                crn,
                field,
                input: current.unwrap_or_default(),
                error: None,
            },
        }
    }

    pub fn set_error(&mut self, message: String) {
        match self {
            Popup::EditChoice { error, .. } | Popup::EditText { error, .. } => {
                *error = Some(message)
            }
            _ => {}
        }
    }

    /// A case was written: a detail drops its cached history so it shows the change, and
    /// the search results show the case as it is now.
    pub fn refresh_case(&mut self, crn: &Crn, data: &Caseload) {
        match self {
            Popup::Detail { history, .. } => *history = None,
            Popup::Results(r) => r.refresh_case(crn, data),
            _ => {}
        }
    }

    /// `act` is what the key means in the user's key map: popups move with the same keys as
    /// the lists (the arrows, page keys, Home and End always work too), and `e`/`u` in the
    /// case detail are whatever edit and undo are bound to.
    pub fn handle_key(&mut self, key: KeyEvent, act: Option<Action>, data: &Caseload) -> Outcome {
        let esc = key.code == KeyCode::Esc;
        let nav = Nav::of(key.code, act);
        match self {
            Popup::Help { scroll } => match nav {
                Nav::Down | Nav::PageDown => {
                    *scroll = scroll.saturating_add(if nav == Nav::Down { 1 } else { 10 });
                    Outcome::Keep
                }
                Nav::Up | Nav::PageUp => {
                    *scroll = scroll.saturating_sub(if nav == Nav::Up { 1 } else { 10 });
                    Outcome::Keep
                }
                _ => Outcome::Close,
            },
            Popup::Detail { crn, scroll, .. } => match (nav, act) {
                _ if esc || key.code == KeyCode::Enter => Outcome::Close,
                (_, Some(Action::Quit | Action::Back | Action::Open)) => Outcome::Close,
                (Nav::Down | Nav::PageDown, _) => {
                    *scroll = scroll.saturating_add(if nav == Nav::Down { 1 } else { 10 });
                    Outcome::Keep
                }
                (Nav::Up | Nav::PageUp, _) => {
                    *scroll = scroll.saturating_sub(if nav == Nav::Up { 1 } else { 10 });
                    Outcome::Keep
                }
                (Nav::Top, _) => {
                    *scroll = 0;
                    Outcome::Keep
                }
                (_, Some(Action::Edit)) => Outcome::Push(Popup::edit_menu(crn.clone())),
                (_, Some(a @ (Action::Undo | Action::Redo))) => Outcome::Action(a),
                (_, Some(Action::MarkReported)) => Outcome::CheckIn(crn.clone(), true),
                (_, Some(Action::MarkNotReported)) => Outcome::CheckIn(crn.clone(), false),
                _ => Outcome::Keep,
            },
            Popup::EditMenu { crn, selected } => {
                let n = Field::EDITABLE.len();
                match key.code {
                    _ if esc => Outcome::Close,
                    KeyCode::Enter => {
                        let field = Field::EDITABLE[*selected];
                        let current = data.get(crn).and_then(|v| field.get(&v.case));
                        Outcome::Replace(Popup::editor(crn.clone(), field, current))
                    }
                    _ => {
                        nav.pick(selected, n);
                        Outcome::Keep
                    }
                }
            }
            Popup::EditChoice {
                crn,
                field,
                options,
                selected,
                ..
            } => {
                let n = options.len();
                match key.code {
                    _ if esc => Outcome::Close,
                    KeyCode::Enter => Outcome::Save {
                        crn: crn.clone(),
                        field: *field,
                        text: options[*selected].to_string(),
                    },
                    KeyCode::Backspace | KeyCode::Delete => Outcome::Save {
                        crn: crn.clone(),
                        field: *field,
                        text: String::new(),
                    },
                    _ => {
                        nav.pick(selected, n);
                        Outcome::Keep
                    }
                }
            }
            Popup::EditText {
                crn,
                field,
                input,
                error,
            } => match key.code {
                // Typing: every character is text, whatever it is bound to elsewhere.
                _ if esc => Outcome::Close,
                KeyCode::Enter => Outcome::Save {
                    crn: crn.clone(),
                    field: *field,
                    text: input.clone(),
                },
                KeyCode::Backspace => {
                    input.pop();
                    *error = None;
                    Outcome::Keep
                }
                KeyCode::Char(c) => {
                    if input.chars().count() < 500 {
                        input.push(c);
                    }
                    *error = None;
                    Outcome::Keep
                }
                _ => Outcome::Keep,
            },
            Popup::FilterMenu { selected, dims } => {
                let n = dims.len();
                match key.code {
                    _ if esc => Outcome::Close,
                    KeyCode::Enter => Outcome::FilterValues(dims[*selected]),
                    _ => {
                        nav.pick(selected, n);
                        Outcome::Keep
                    }
                }
            }
            Popup::FilterValues {
                dim,
                values,
                selected,
                ..
            } => {
                let n = values.len().max(1);
                match key.code {
                    _ if esc => Outcome::Close,
                    KeyCode::Enter => match values.get(*selected) {
                        Some((v, _)) => Outcome::Filter(*dim, v.clone()),
                        None => Outcome::Close,
                    },
                    _ => {
                        nav.pick(selected, n);
                        Outcome::Keep
                    }
                }
            }
            Popup::Confirm {
                crn, field, text, ..
            } => match key.code {
                KeyCode::Char('y' | 'Y') => Outcome::SaveConfirmed {
                    crn: crn.clone(),
                    field: *field,
                    text: text.clone(),
                },
                // Back to the editor, with what was typed still in it.
                KeyCode::Char('n' | 'N') => Outcome::Close,
                _ if esc => Outcome::Close,
                _ => Outcome::Keep,
            },
            Popup::Results(r) => match (key.code, act) {
                _ if esc => Outcome::Close,
                (_, Some(Action::Quit | Action::Back)) => Outcome::Close,
                (KeyCode::Enter, _) | (_, Some(Action::Open)) => match r.selected_crn() {
                    Some(crn) => Outcome::OpenCase(crn.clone()),
                    None => Outcome::Keep,
                },
                _ => {
                    nav.pick(&mut r.selected, r.rows.len());
                    Outcome::Keep
                }
            },
        }
    }
}

/// A key as movement inside a popup.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Nav {
    Down,
    Up,
    PageDown,
    PageUp,
    Top,
    Bottom,
    None,
}

impl Nav {
    fn of(code: KeyCode, act: Option<Action>) -> Nav {
        match (code, act) {
            (KeyCode::Down, _) | (_, Some(Action::Down)) => Nav::Down,
            (KeyCode::Up, _) | (_, Some(Action::Up)) => Nav::Up,
            (KeyCode::PageDown, _) | (_, Some(Action::PageDown)) => Nav::PageDown,
            (KeyCode::PageUp, _) | (_, Some(Action::PageUp)) => Nav::PageUp,
            (KeyCode::Home, _) | (_, Some(Action::Top)) => Nav::Top,
            (KeyCode::End, _) | (_, Some(Action::Bottom)) => Nav::Bottom,
            _ => Nav::None,
        }
    }

    /// Moves a pick list's cursor: one row wrapping at the ends, a page, or to either end.
    fn pick(self, selected: &mut usize, n: usize) {
        let last = n.max(1) - 1;
        *selected = match self {
            Nav::Down if *selected >= last => 0,
            Nav::Down => *selected + 1,
            Nav::Up if *selected == 0 => last,
            Nav::Up => *selected - 1,
            Nav::PageDown => (*selected + 10).min(last),
            Nav::PageUp => selected.saturating_sub(10),
            Nav::Top => 0,
            Nav::Bottom => last,
            Nav::None => *selected,
        };
    }
}

/// A centred rectangle of the given share of `area`, at least `min_w` × `min_h`.
fn centred(area: Rect, pct_w: u16, pct_h: u16, min_w: u16, min_h: u16) -> Rect {
    let w = (area.width * pct_w / 100).max(min_w).min(area.width);
    let h = (area.height * pct_h / 100).max(min_h).min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}

fn frame<'a>(title: &'a str, t: &Theme) -> Block<'a> {
    Block::default()
        .borders(Borders::ALL)
        .border_style(t.key())
        .title(Span::styled(format!(" {title} "), t.title()))
}

/// Lines for a pick list with the cursor row reversed.
fn pick_lines<'a>(
    items: impl Iterator<Item = String>,
    selected: usize,
    t: &Theme,
) -> Vec<Line<'a>> {
    items
        .enumerate()
        .map(|(i, s)| {
            if i == selected {
                Line::from(Span::styled(format!("▶ {s}"), t.selected()))
            } else {
                Line::from(format!("  {s}"))
            }
        })
        .collect()
}

/// Scrolls a pick list so the cursor stays visible.
fn scroll_for(selected: usize, height: u16) -> u16 {
    let h = height.saturating_sub(4) as usize;
    selected.saturating_sub(h.saturating_sub(1)) as u16
}

#[allow(clippy::too_many_arguments)]
pub fn draw(
    p: &mut Popup,
    f: &mut Frame,
    area: Rect,
    data: &Caseload,
    planner: &Planner,
    keymap: &KeyMap,
    view: ViewId,
    t: &Theme,
) {
    match p {
        Popup::Help { scroll } => {
            let r = centred(area, 90, 90, 76, 22);
            // One entry per action, with every key that does it, in two columns.
            let mut entries: Vec<(String, &'static str)> = Vec::new();
            for b in keymap.for_view(view) {
                let what = b.action.describe();
                match entries.iter_mut().find(|(_, w)| *w == what) {
                    Some((keys, _)) => *keys = format!("{keys} {}", b.key_name()),
                    None => entries.push((b.key_name(), what)),
                }
            }
            let half = entries.len().div_ceil(2);
            let col = (r.width.saturating_sub(4) / 2) as usize;
            let cell = |e: Option<&(String, &str)>| -> Vec<Span<'static>> {
                match e {
                    Some((k, w)) => {
                        let k = format!("{k:>11}  ");
                        let w = format!("{:<width$}", w, width = col.saturating_sub(13));
                        vec![Span::styled(k, t.key()), Span::raw(w)]
                    }
                    None => vec![],
                }
            };
            let mut lines = vec![
                Line::from(Span::styled(
                    format!("Keys in {}", view.title()),
                    t.heading(),
                )),
                Line::from(""),
            ];
            for i in 0..half {
                let mut spans = cell(entries.get(i));
                spans.extend(cell(entries.get(i + half)));
                lines.push(Line::from(spans));
            }
            lines.push(Line::from(""));
            let undo = format!(
                "Undo and redo walk back and forth through this session's changes ({} and {}); \
                 a change someone else has made since is never undone over.",
                keymap.key_for(Action::Undo),
                keymap.key_for(Action::Redo)
            );
            let detail = format!(
                "In a case's detail ({}): {} edits it, {} takes back a check-in, {} makes one \
                 once the day has come.",
                keymap.key_for(Action::Open),
                keymap.key_for(Action::Edit),
                keymap.key_for(Action::MarkNotReported),
                keymap.key_for(Action::MarkReported)
            );
            for note in [
                "Search: type to narrow by name, CRN or NOMS; Enter keeps it, Esc clears it; \
                 Tab lists every case in the database that matches, past ones too.",
                detail.as_str(),
                undo.as_str(),
                "Severity: ▲ red (overdue or urgent) · ● amber (due soon) · ✓ nothing due.",
                "▲ beside accommodation: nowhere to go (no fixed abode, or no place booked).",
            ] {
                lines.push(Line::from(Span::styled(note.to_string(), t.dim())));
            }
            let title = format!(
                "Help — {} scroll · any other key closes",
                scroll_keys(keymap)
            );
            f.render_widget(Clear, r);
            f.render_widget(
                Paragraph::new(lines)
                    .block(frame(&title, t))
                    .wrap(Wrap { trim: false })
                    .scroll((*scroll, 0)),
                r,
            );
        }
        Popup::Detail {
            crn,
            scroll,
            history,
        } => {
            let r = centred(area, 90, 90, 76, 22);
            if history.is_none() {
                *history = Some(planner.case_history(crn).unwrap_or_default());
            }
            let lines = match data.get(crn) {
                Some(v) => super::views::detail::lines(
                    v,
                    planner,
                    history.as_deref().unwrap_or(&[]),
                    data.today,
                    t,
                ),
                None => vec![Line::from("This case is no longer in the database.")],
            };
            let key = |a| keymap.key_for(a);
            // The check-in that applies: taken back when marked, made once the day has come.
            let check_in = match data.get(crn) {
                Some(v) if v.reported_at.is_some() => {
                    format!("{} not reported · ", key(Action::MarkNotReported))
                }
                Some(v) if v.expected_day() <= data.today => {
                    format!("{} reported · ", key(Action::MarkReported))
                }
                _ => String::new(),
            };
            let title = format!("Case — {} edit · {check_in}Esc back", key(Action::Edit));
            let foot = format!(
                " {} undo · {} redo · {} scroll ",
                key(Action::Undo),
                key(Action::Redo),
                scroll_keys(keymap)
            );
            f.render_widget(Clear, r);
            f.render_widget(
                Paragraph::new(lines)
                    .block(frame(&title, t).title_bottom(Span::styled(foot, t.dim())))
                    .wrap(Wrap { trim: false })
                    .scroll((*scroll, 0)),
                r,
            );
        }
        Popup::EditMenu { crn, selected } => {
            let r = centred(area, 60, 70, 60, 22);
            let case = data.get(crn).map(|v| &v.case);
            let items = Field::EDITABLE.iter().map(|fl| {
                let blank = match fl.choices() {
                    Some(ch) if ch.contains(&"NOT_SENT") => "— (counts as NOT_SENT)",
                    _ => "—",
                };
                let value = case.and_then(|c| fl.get(c)).unwrap_or_else(|| blank.into());
                format!("{:<22} {}", fl.label(), inert(&value))
            });
            let lines = pick_lines(items, *selected, t);
            let name = case.map(|c| inert(&c.name)).unwrap_or_default();
            let title = format!("Edit {name} — Enter choose · Esc cancel");
            f.render_widget(Clear, r);
            f.render_widget(
                Paragraph::new(lines)
                    .block(frame(&title, t))
                    .scroll((scroll_for(*selected, r.height), 0)),
                r,
            );
        }
        Popup::EditChoice {
            field,
            options,
            selected,
            error,
            ..
        } => {
            let r = centred(
                area,
                50,
                60,
                50,
                (options.len() as u16 + 6).min(area.height),
            );
            let [list, msg] =
                Layout::vertical([Constraint::Min(1), Constraint::Length(2)]).areas(r);
            let lines = pick_lines(options.iter().map(|o| o.to_string()), *selected, t);
            let title = format!("{} — Enter save · Del blank · Esc cancel", field.label());
            f.render_widget(Clear, r);
            f.render_widget(
                Paragraph::new(lines)
                    .block(frame(&title, t))
                    .scroll((scroll_for(*selected, list.height), 0)),
                list,
            );
            if let Some(e) = error {
                f.render_widget(
                    Paragraph::new(Span::styled(inert(e), t.error())).wrap(Wrap { trim: true }),
                    msg,
                );
            }
        }
        Popup::EditText {
            field,
            input,
            error,
            ..
        } => {
            let r = centred(area, 70, 30, 60, 9);
            let hint = if field.is_date() {
                "YYYY-MM-DD or DD/MM/YYYY; empty clears"
            } else {
                "empty clears"
            };
            let mut lines = vec![
                Line::from(vec![Span::raw(inert(input)), Span::styled("▏", t.key())]),
                Line::from(""),
                Line::from(Span::styled(hint, t.dim())),
            ];
            if let Some(e) = error {
                lines.push(Line::from(Span::styled(inert(e), t.error())));
            }
            let title = format!("{} — Enter save · Esc cancel", field.label());
            f.render_widget(Clear, r);
            f.render_widget(
                Paragraph::new(lines)
                    .block(frame(&title, t))
                    .wrap(Wrap { trim: false }),
                r,
            );
        }
        Popup::FilterMenu { selected, dims } => {
            let r = centred(area, 40, 40, 40, 12);
            let lines = pick_lines(dims.iter().map(|d| d.label().to_string()), *selected, t);
            f.render_widget(Clear, r);
            f.render_widget(
                Paragraph::new(lines).block(frame("Filter by — Enter · Esc", t)),
                r,
            );
        }
        Popup::FilterValues {
            dim,
            values,
            selected,
            within,
            active,
        } => {
            let r = centred(area, 50, 70, 50, 14);
            let lines = if values.is_empty() {
                vec![Line::from("No values among what this view lists")]
            } else {
                pick_lines(
                    values.iter().map(|(v, n)| {
                        let now = if active.as_deref() == Some(v) {
                            " ✓ now"
                        } else {
                            ""
                        };
                        format!("{} {n:>5}{now}", fill(&inert(v), 32))
                    }),
                    *selected,
                    t,
                )
            };
            let title = format!("{} — Enter filter · Esc cancel", dim.label());
            let block = frame(&title, t);
            let block = if within.is_empty() {
                block
            } else {
                // The counts are within what is already narrowed: say so where they are.
                let foot = fit(
                    &format!(" counted within {} ", inert(within)),
                    r.width as usize - 2,
                );
                block.title_bottom(Span::styled(foot, t.dim()))
            };
            f.render_widget(Clear, r);
            f.render_widget(
                Paragraph::new(lines)
                    .block(block)
                    .scroll((scroll_for(*selected, r.height), 0)),
                r,
            );
        }
        Popup::Confirm { message, .. } => {
            let r = centred(area, 60, 30, 60, 7);
            let lines = vec![
                Line::from(Span::styled(
                    format!("{}: save anyway? y/n", inert(message)),
                    t.title(),
                )),
                Line::from(""),
                Line::from(vec![
                    Span::styled("y", t.key()),
                    Span::raw(" saves it · "),
                    Span::styled("n", t.key()),
                    Span::raw(" or "),
                    Span::styled("Esc", t.key()),
                    Span::raw(" goes back to change it"),
                ]),
            ];
            f.render_widget(Clear, r);
            f.render_widget(
                Paragraph::new(lines)
                    .block(frame("Not a working day — y/n", t))
                    .wrap(Wrap { trim: true }),
                r,
            );
        }
        Popup::Results(res) => {
            let r = centred(area, 90, 80, 76, 20);
            let inner_w = r.width.saturating_sub(2) as usize;
            let (lines, at) = res.lines(inner_w, data.today, t);
            let height = r.height.saturating_sub(2) as usize;
            // Keep the selected row in view.
            let top = (at + 1).saturating_sub(height);
            let title = format!(
                "Search \"{}\" · {} in the database — Enter opens · Esc back",
                inert(&res.search),
                res.count()
            );
            let foot = format!(" {} move ", scroll_keys(keymap));
            f.render_widget(Clear, r);
            f.render_widget(
                Paragraph::new(lines)
                    .block(frame(&title, t).title_bottom(Span::styled(foot, t.dim())))
                    .scroll((top as u16, 0)),
                r,
            );
        }
    }
}

/// "j/k", or the arrows when movement keys are unbound (they always work in popups).
fn scroll_keys(keymap: &KeyMap) -> String {
    let (down, up) = (keymap.key_for(Action::Down), keymap.key_for(Action::Up));
    if down == "—" || up == "—" {
        "↓/↑".into()
    } else {
        format!("{down}/{up}")
    }
}
