//! The search's results across the whole database: the cases the view on screen lists first,
//! then every other case that matches — hidden by a filter, outside the view, or released
//! before the days the screens hold — each with its day and whether it is past, so a case
//! from any day can be opened, edited, or have a check-in taken back.

use super::parts::{centred, frame, scroll_keys, Nav};
use super::{Outcome, PopupCx};
use crate::domain::case::Crn;
use crate::domain::dates;
use crate::keys::Action;
use crate::text::{fill, fit, inert};
use crate::tui::data::Caseload;
use crate::tui::theme::Theme;
use chrono::{NaiveDate, NaiveDateTime};
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};
use ratatui::Frame;

/// Most rows listed; past that the list says how many more and asks for more letters.
pub const MOST: usize = 1000;

/// One matching case as the list shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub crn: Crn,
    pub name: String,
    pub day: NaiveDate,
    pub reported_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone)]
pub struct Results {
    /// The search as typed.
    pub search: String,
    pub rows: Vec<Found>,
    /// How many of `rows` (the first ones) the view lists; `None` when the view lists no cases
    /// by the search (the calendar's grid), so the list is not split.
    pub here: Option<usize>,
    /// Matches left off the list (past `MOST`).
    pub more: usize,
    pub selected: usize,
}

impl Results {
    /// The matches of the search in force: `listed` are the positions in `Caseload::cases`
    /// the view lists, in its order.
    pub fn build(data: &Caseload, search: &str, listed: Option<Vec<usize>>) -> Results {
        let held = data.search_hits();
        let earlier = data.earlier_hits();
        let found = |i: usize| {
            let v = &data.cases[i];
            Found {
                crn: v.case.crn.clone(),
                name: v.case.name.clone(),
                day: v.expected_day(),
                reported_at: v.reported_at,
            }
        };
        let mut rows = Vec::new();
        let mut in_view = vec![false; data.cases.len()];
        let here = listed.map(|listed| {
            for &i in &listed {
                if let Some(slot) = in_view.get_mut(i) {
                    *slot = true;
                }
            }
            rows.extend(listed.iter().take(MOST).map(|i| found(*i)));
            listed.len()
        });
        // Elsewhere: the releases still to come first, by day; then the past, latest first.
        let others: Vec<usize> = held.into_iter().filter(|i| !in_view[*i]).collect();
        let split = others.partition_point(|i| data.day(*i) < data.today);
        let (past, coming) = others.split_at(split);
        let total = here.unwrap_or(0) + others.len() + earlier.len();
        let room = |rows: &Vec<Found>| MOST.saturating_sub(rows.len());
        let take = room(&rows);
        rows.extend(coming.iter().take(take).map(|i| found(*i)));
        let take = room(&rows);
        rows.extend(past.iter().rev().take(take).map(|i| found(*i)));
        let take = room(&rows);
        rows.extend(earlier.into_iter().take(take).map(|k| Found {
            crn: k.crn.clone(),
            name: k.name.clone(),
            day: k.expected_day,
            reported_at: k.reported_at,
        }));
        Results {
            search: search.to_string(),
            more: total - rows.len(),
            rows,
            here: here.map(|n| n.min(MOST)),
            selected: 0,
        }
    }

    pub fn selected_crn(&self) -> Option<&Crn> {
        self.rows.get(self.selected).map(|f| &f.crn)
    }

    /// A case was written (a check-in taken back from its detail, say): its row shows it now.
    pub fn refresh_case(&mut self, crn: &Crn, data: &Caseload) {
        let Some(v) = data.get(crn) else { return };
        for row in self.rows.iter_mut().filter(|r| r.crn == *crn) {
            row.name = v.case.name.clone();
            row.day = v.expected_day();
            row.reported_at = v.reported_at;
        }
    }

    /// Enter (or the open key) opens the case under the cursor; movement moves it.
    pub fn handle_key(&mut self, key: KeyEvent, nav: Nav, act: Option<Action>) -> Outcome {
        match (key.code, act) {
            (KeyCode::Esc, _) | (_, Some(Action::Quit | Action::Back)) => Outcome::Close,
            (KeyCode::Enter, _) | (_, Some(Action::Open)) => match self.selected_crn() {
                Some(crn) => Outcome::OpenCase(crn.clone()),
                None => Outcome::Keep,
            },
            _ => {
                nav.pick(&mut self.selected, self.rows.len());
                Outcome::Keep
            }
        }
    }

    pub fn draw(&self, f: &mut Frame, area: Rect, cx: &PopupCx) {
        let t = cx.theme;
        let r = centred(area, 90, 80, 76, 20);
        let inner_w = r.width.saturating_sub(2) as usize;
        let (lines, at) = self.lines(inner_w, cx.data.today, t);
        let height = r.height.saturating_sub(2) as usize;
        // Keep the selected row in view.
        let top = (at + 1).saturating_sub(height);
        let title = format!(
            "Search \"{}\" · {} in the database — Enter opens · Esc back",
            inert(&self.search),
            self.count()
        );
        let foot = format!(" {} move ", scroll_keys(cx.keys));
        f.render_widget(Clear, r);
        f.render_widget(
            Paragraph::new(lines)
                .block(frame(&title, t).title_bottom(Span::styled(foot, t.dim())))
                .scroll((top as u16, 0)),
            r,
        );
    }

    /// "3 cases", "1 case".
    pub fn count(&self) -> String {
        let n = self.rows.len() + self.more;
        format!("{n} case{}", if n == 1 { "" } else { "s" })
    }

    /// The lines to draw at a width, and which of them is the selected row.
    pub fn lines<'a>(&self, width: usize, today: NaiveDate, t: &Theme) -> (Vec<Line<'a>>, usize) {
        let mut lines = Vec::with_capacity(self.rows.len() + 3);
        let mut at = 0;
        // Name, CRN, day ("Wed 25 Nov 2026") and state ("past · reported 17 Nov 09:12").
        let name_w = width.saturating_sub(2 + 7 + 15 + 3 * 2 + 28).clamp(12, 30);
        let heading = |text: String| Line::from(Span::styled(text, t.heading()));
        for (k, row) in self.rows.iter().enumerate() {
            match self.here {
                Some(n) if k == 0 && n > 0 => lines.push(heading(format!("In this view ({n})"))),
                Some(n) if k == n => {
                    let rest = self.rows.len() - n + self.more;
                    lines.push(heading(format!(
                        "Not in this view ({rest}): earlier days, later ones, or hidden by a filter"
                    )));
                }
                _ => {}
            }
            if k == self.selected {
                at = lines.len();
            }
            let state = state(row, today);
            let text = format!(
                "{}  {}  {:<15}  {}",
                fill(&fit(&inert(&row.name), name_w), name_w),
                row.crn,
                dates::long(row.day),
                state,
            );
            let text = fit(&text, width.saturating_sub(2));
            lines.push(if k == self.selected {
                Line::from(Span::styled(format!("▶ {text}"), t.selected()))
            } else {
                let style = if row.day < today {
                    t.dim()
                } else {
                    Default::default()
                };
                Line::from(Span::styled(format!("  {text}"), style))
            });
        }
        if self.rows.is_empty() {
            lines.push(Line::from(Span::styled(
                "No case in the database matches: Esc, then try fewer letters or a CRN",
                t.dim(),
            )));
        }
        if self.more > 0 {
            lines.push(Line::from(Span::styled(
                format!("… and {} more: type more of the name to narrow", self.more),
                t.dim(),
            )));
        }
        (lines, at)
    }
}

/// "in 10 days", "today · reported 09:14", "past · not reported", "past · reported Tue 17 Nov 09:12".
pub fn state(row: &Found, today: NaiveDate) -> String {
    let reported = |t: NaiveDateTime| {
        if t.date() == row.day {
            format!("reported {}", t.format("%H:%M"))
        } else {
            format!("reported {}", t.format("%-d %b %H:%M"))
        }
    };
    match row.day.cmp(&today) {
        std::cmp::Ordering::Greater => crate::tui::views::detail::release_when(row.day, today),
        std::cmp::Ordering::Equal => match row.reported_at {
            Some(t) => format!("today · {}", reported(t)),
            None => "today · not reported yet".into(),
        },
        std::cmp::Ordering::Less => match row.reported_at {
            Some(t) => format!("past · {}", reported(t)),
            None => "past · not reported".into(),
        },
    }
}
