//! The month grid: each day shaded by its load, with its holiday or cluster mark, and the
//! legend saying what the shades and marks mean.

use super::{holiday_title, month_end, month_start, CalendarView};
use crate::tui::theme::Theme;
use crate::tui::DrawCx;
use chrono::{Datelike, Days, Months, NaiveDate};
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};
use ratatui::Frame;

impl CalendarView {
    pub(super) fn draw_month(
        &self,
        f: &mut Frame,
        area: Rect,
        month: NaiveDate,
        cx: &DrawCx,
        levels: &Levels,
    ) {
        let t = cx.theme;
        let title_style = if month == month_start(self.day) {
            t.title()
        } else {
            Style::default()
        };
        let title = format!(" {} ", month.format("%B %Y"));
        let block =
            Block::bordered().title(Line::from(Span::styled(title, title_style)).centered());
        let inner = block.inner(area);
        f.render_widget(block, area);

        let mut lines = Vec::with_capacity(7);
        let mut header = Vec::with_capacity(7);
        for (k, name) in ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"]
            .iter()
            .enumerate()
        {
            let style = if k >= 5 { t.dim() } else { Style::default() };
            let sep = if k < 6 { " " } else { "" };
            header.push(Span::styled(format!("{name}{sep}"), style));
        }
        lines.push(Line::from(header));

        let lead = month.weekday().num_days_from_monday() as i64;
        let last = month_end(month);
        for week in 0..6i64 {
            let mut spans = Vec::with_capacity(14);
            for col in 0..7i64 {
                let offset = week * 7 + col - lead;
                let day = (offset >= 0)
                    .then(|| month.checked_add_days(Days::new(offset as u64)))
                    .flatten()
                    .filter(|d| *d <= last);
                match day {
                    Some(d) => spans.extend(self.cell(d, cx, levels)),
                    None => spans.push(Span::raw("   ")),
                }
            }
            lines.push(Line::from(spans));
        }
        f.render_widget(Paragraph::new(lines), inner);
    }

    /// A day's cell: the number, shaded by load, then one mark (cluster symbol, `*` for a
    /// bank holiday). Today is underlined and the cursor day reversed, so neither needs colour.
    pub(super) fn cell(&self, d: NaiveDate, cx: &DrawCx, levels: &Levels) -> [Span<'static>; 2] {
        let t = cx.theme;
        let cal = &cx.planner.cal;
        let load = cx.data.loads.get(&d).map_or(0, |l| l.load);
        let mut number = t.load(levels.level(load));
        let mut mark = Style::default();
        let holiday = holiday_title(cal, d).is_some();
        if holiday {
            number = number.patch(t.holiday());
            mark = mark.patch(t.holiday());
        } else if cal.is_non_working(d) {
            number = number.patch(t.dim());
        }
        let cluster = cx.data.cluster_on(d);
        let symbol = match cluster {
            Some(k) => {
                mark = mark.patch(t.severity(k.severity));
                k.severity.symbol()
            }
            None if holiday => "*",
            None => " ",
        };
        if d == cx.today {
            number = number.patch(t.today());
        }
        if d == self.day {
            number = number.patch(t.selected());
            mark = mark.patch(t.selected());
        }
        [
            Span::styled(format!("{:>2}", d.day()), number),
            Span::styled(symbol, mark),
        ]
    }
}

/// Load shading thresholds, from the average releases per working day (days with releases,
/// over the next 12 months), so the shades mean the same for a caseload of 50 or 100,000.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Levels {
    /// Up to this many releases: a typical day (level 1).
    typical: usize,
    /// Up to this many: busy (level 2); above it heavy (level 3).
    busy: usize,
}

impl Levels {
    pub(super) fn of(cx: &DrawCx) -> Levels {
        // Days with releases only: a few cases due months out would otherwise stretch the
        // range and make every ordinary day look heavy.
        let from = cx.today;
        let to = from.checked_add_months(Months::new(12)).unwrap_or(from);
        let (mut total, mut days) = (0usize, 0usize);
        for (d, l) in cx.data.loads.range(from..=to) {
            if l.load > 0 && cx.planner.cal.is_working(*d) {
                total += l.load;
                days += 1;
            }
        }
        Levels::from_average(total as f64 / days.max(1) as f64)
    }

    pub(super) fn from_average(avg: f64) -> Levels {
        let typical = ((avg * 1.25).ceil() as usize).max(1);
        let busy = ((avg * 2.5).ceil() as usize).max(typical + 1);
        Levels { typical, busy }
    }

    pub(super) fn level(&self, load: usize) -> u8 {
        match load {
            0 => 0,
            n if n <= self.typical => 1,
            n if n <= self.busy => 2,
            _ => 3,
        }
    }
}

/// What each shade and mark means, each with a sample cell drawn the way the grid draws it.
pub(super) fn draw_legend(f: &mut Frame, area: Rect, t: &Theme, levels: &Levels) {
    if area.width < 8 || area.height == 0 {
        return;
    }
    let area = Rect {
        x: area.x + 1,
        width: area.width - 1,
        ..area
    };
    let sample = |style: Style| Span::styled("12", style);
    let typical = if levels.typical == 1 {
        "1".to_string()
    } else {
        format!("1–{}", levels.typical)
    };
    let busy = if levels.busy == levels.typical + 1 {
        format!("{}", levels.busy)
    } else {
        format!("{}–{}", levels.typical + 1, levels.busy)
    };
    let red = crate::domain::severity::Severity::Red;
    let amber = crate::domain::severity::Severity::Amber;
    let lines = vec![
        Line::styled("Releases a day", t.dim()),
        Line::from(vec![
            sample(t.load(1)),
            Span::raw(format!("  {typical}: typical")),
        ]),
        Line::from(vec![
            sample(t.load(2)),
            Span::raw(format!("  {busy}: busy")),
        ]),
        Line::from(vec![
            sample(t.load(3)),
            Span::raw(format!("  {}+: heavy", levels.busy + 1)),
        ]),
        Line::from(vec![
            sample(t.holiday()),
            Span::styled("*", t.holiday()),
            Span::raw(" bank holiday"),
        ]),
        Line::from(vec![
            sample(Style::default()),
            Span::styled(red.symbol(), t.severity(red)),
            Span::raw(" red cluster"),
        ]),
        Line::from(vec![
            sample(Style::default()),
            Span::styled(amber.symbol(), t.severity(amber)),
            Span::raw(" amber cluster"),
        ]),
        Line::from(vec![sample(t.today()), Span::raw("  today")]),
        Line::from(vec![sample(t.selected()), Span::raw("  selected day")]),
    ];
    f.render_widget(Paragraph::new(lines), area);
}
