//! The cluster panel: the holiday and load clusters of the next 12 months, the cursor day's
//! kept in view.

use super::CalendarView;
use crate::domain::clusters::Cluster;
use crate::domain::dates;
use crate::text::{fit, width};
use crate::tui::data::Caseload;
use crate::tui::DrawCx;
use chrono::{Days, NaiveDate};
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;

/// Rows for the cluster panel: a title line and one per cluster, at most `max`.
pub(super) fn cluster_height(data: &Caseload, max: u16) -> u16 {
    let want = data.clusters.len().max(1) as u16 + 1;
    want.min(max.max(3))
}

impl CalendarView {
    pub(super) fn draw_clusters(&mut self, f: &mut Frame, area: Rect, cx: &DrawCx) {
        let t = cx.theme;
        let warn_until = cx
            .today
            .checked_add_days(Days::new(u64::from(cx.warn_weeks) * 7))
            .unwrap_or(cx.today);
        let block = Block::default()
            .borders(Borders::TOP)
            .title(Line::from(vec![
                Span::styled(" Clusters in the next 12 months ", t.title()),
                Span::styled(format!("⚠ = within {} weeks ", cx.warn_weeks), t.dim()),
            ]));
        let inner = block.inner(area);
        f.render_widget(block, area);
        let clusters = &cx.data.clusters;
        if clusters.is_empty() {
            f.render_widget(
                Paragraph::new("No holiday or load clusters in the next 12 months.").style(t.dim()),
                inner,
            );
            return;
        }
        // Keep the cursor day's cluster, or the next one after it, in view.
        let height = inner.height as usize;
        let target = clusters
            .partition_point(|k| k.day < self.day)
            .min(clusters.len() - 1);
        if target < self.cluster_offset {
            self.cluster_offset = target;
        }
        if height > 0 && target >= self.cluster_offset + height {
            self.cluster_offset = target + 1 - height;
        }
        self.cluster_offset = self
            .cluster_offset
            .min(clusters.len().saturating_sub(height.max(1)));
        let shown =
            &clusters[self.cluster_offset..(self.cluster_offset + height).min(clusters.len())];
        let cols = ClusterColumns::of(shown, cx.today, inner.width as usize);
        let lines: Vec<Line> = shown
            .iter()
            .map(|k| cluster_line(k, cx, &cols, (k.day <= warn_until, k.day == self.day)))
            .collect();
        f.render_widget(Paragraph::new(lines), inner);
    }
}

/// Column widths shared by the cluster lines on screen, so they line up.
pub(super) struct ClusterColumns {
    day: usize,
    load: usize,
    nfa: usize,
    /// The whole line, and whether "releases" fits where "rel" would otherwise do.
    width: usize,
}

impl ClusterColumns {
    pub(super) fn of(shown: &[Cluster], today: NaiveDate, line_width: usize) -> ClusterColumns {
        let max = |f: &dyn Fn(&Cluster) -> usize| shown.iter().map(f).max().unwrap_or(1);
        ClusterColumns {
            day: max(&|k| width(&dates::near(k.day, today))),
            load: max(&|k| k.load.to_string().len()),
            nfa: max(&|k| k.no_accommodation.to_string().len()),
            width: line_width,
        }
    }
}

/// "⚠ ▲ red   Wed 23 Dec  23–28 Dec     21 releases ·  9 NFA  Christmas Day, Boxing Day",
/// cut with "…" to the panel's width.
pub(super) fn cluster_line<'a>(
    k: &Cluster,
    cx: &DrawCx,
    cols: &ClusterColumns,
    (warn_now, on_cursor): (bool, bool),
) -> Line<'a> {
    let t = cx.theme;
    let base = match (warn_now, on_cursor) {
        (_, true) => t.selected().patch(if warn_now {
            t.title()
        } else {
            Style::default()
        }),
        (true, false) => t.title(),
        (false, false) => Style::default(),
    };
    // The due dates it takes ("23–28 Dec"): the line reads "Wed 23 Dec  23–28 Dec".
    let covers = k.takes();
    let why = k.why();
    let lead = format!(
        "{} {} {:<5} ",
        if warn_now { "⚠" } else { " " },
        k.severity.symbol(),
        k.severity.as_str()
    );
    let gap = if cols.width >= 80 { "  " } else { " " };
    let noun = match (cols.width >= 80, k.load == 1) {
        (true, true) => "release ",
        (true, false) => "releases",
        (false, _) => "rel",
    };
    let mut rest = format!(
        "{:<dw$}{gap}{:<12}{gap}{:>lw$} {noun} · {:>nw$} NFA",
        dates::near(k.day, cx.today),
        covers,
        k.load,
        k.no_accommodation,
        dw = cols.day,
        lw = cols.load,
        nw = cols.nfa,
    );
    let room = cols.width.saturating_sub(width(&lead));
    // The holidays where there is room for more than a stub of them (the day list has them).
    let left = room.saturating_sub(width(&rest) + gap.len());
    if left >= 8 {
        rest += gap;
        rest += &fit(&why, left);
    }
    Line::from(vec![
        Span::styled(lead, base.patch(t.severity(k.severity))),
        Span::styled(fit(&rest, room), base),
    ])
}
