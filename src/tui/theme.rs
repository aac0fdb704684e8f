//! Every colour the screens use, in one place. With NO_COLOR the screens keep their symbols,
//! words, bold and reverse video, and drop colour.

use crate::domain::severity::Severity;
use ratatui::style::{Color, Modifier, Style};

#[derive(Debug, Clone, Copy)]
pub struct Theme {
    pub color: bool,
}

impl Theme {
    pub fn from_env() -> Theme {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Theme { color: !no_color }
    }

    fn fg(&self, c: Color) -> Style {
        if self.color {
            Style::default().fg(c)
        } else {
            Style::default()
        }
    }

    pub fn severity(&self, s: Severity) -> Style {
        match s {
            Severity::Red => self.fg(Color::LightRed).add_modifier(Modifier::BOLD),
            Severity::Amber => self.fg(Color::Yellow),
        }
    }
    pub fn homeless(&self) -> Style {
        self.fg(Color::LightRed).add_modifier(Modifier::BOLD)
    }
    pub fn ok(&self) -> Style {
        self.fg(Color::Green)
    }
    pub fn dim(&self) -> Style {
        if self.color {
            Style::default().fg(Color::DarkGray)
        } else {
            Style::default()
        }
    }
    pub fn heading(&self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }
    pub fn title(&self) -> Style {
        Style::default().add_modifier(Modifier::BOLD)
    }
    pub fn selected(&self) -> Style {
        Style::default().add_modifier(Modifier::REVERSED)
    }
    pub fn key(&self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }
    pub fn tab_active(&self) -> Style {
        Style::default().add_modifier(Modifier::BOLD | Modifier::REVERSED)
    }
    pub fn holiday(&self) -> Style {
        self.fg(Color::Magenta).add_modifier(Modifier::BOLD)
    }
    /// Today's date on the calendar: underlined, so it shows without colour too.
    pub fn today(&self) -> Style {
        Style::default().add_modifier(Modifier::UNDERLINED | Modifier::BOLD)
    }
    /// Background shade for a calendar day by how many releases it has (0–3).
    pub fn load(&self, level: u8) -> Style {
        if !self.color {
            return match level {
                0 => Style::default(),
                1 | 2 => Style::default(),
                _ => Style::default().add_modifier(Modifier::BOLD),
            };
        }
        match level {
            0 => Style::default(),
            1 => Style::default().bg(Color::Rgb(40, 60, 40)),
            2 => Style::default().bg(Color::Rgb(110, 90, 20)),
            _ => Style::default()
                .bg(Color::Rgb(140, 30, 30))
                .add_modifier(Modifier::BOLD),
        }
    }
    pub fn error(&self) -> Style {
        self.fg(Color::LightRed).add_modifier(Modifier::BOLD)
    }
    pub fn info(&self) -> Style {
        self.fg(Color::Green)
    }
}
