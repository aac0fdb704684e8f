//! Every colour the screens use, in one place. With NO_COLOR the screens keep their symbols,
//! words, bold and reverse video, and drop colour.

use crate::config::ThemeName;
use crate::domain::severity::Severity;
use ratatui::style::{Color, Modifier, Style};

#[derive(Debug, Clone, Copy)]
pub struct Theme {
    pub color: bool,
    /// Colours chosen for a light background.
    pub light: bool,
}

impl Theme {
    /// The configured theme, except that `NO_COLOR` (no-color.org) always wins.
    pub fn new(name: ThemeName) -> Theme {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        match name {
            _ if no_color => Theme::mono(),
            ThemeName::Mono => Theme::mono(),
            ThemeName::Dark => Theme {
                color: true,
                light: false,
            },
            ThemeName::Light => Theme {
                color: true,
                light: true,
            },
        }
    }

    pub fn mono() -> Theme {
        Theme {
            color: false,
            light: false,
        }
    }

    fn fg(&self, c: Color) -> Style {
        if !self.color {
            return Style::default();
        }
        // The bright colours wash out on white; use their deeper forms there.
        let c = match (self.light, c) {
            (true, Color::LightRed) => Color::Red,
            (true, Color::Yellow) => Color::Rgb(150, 95, 0),
            (true, Color::Cyan) => Color::Blue,
            (true, Color::Green) => Color::Rgb(0, 120, 40),
            (_, c) => c,
        };
        Style::default().fg(c)
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
        let shades = if self.light {
            [(200, 230, 200), (245, 220, 150), (240, 160, 160)]
        } else {
            [(40, 60, 40), (110, 90, 20), (140, 30, 30)]
        };
        match level {
            0 => Style::default(),
            1 | 2 => {
                let (r, g, b) = shades[usize::from(level) - 1];
                Style::default().bg(Color::Rgb(r, g, b))
            }
            _ => {
                let (r, g, b) = shades[2];
                Style::default()
                    .bg(Color::Rgb(r, g, b))
                    .add_modifier(Modifier::BOLD)
            }
        }
    }
    pub fn error(&self) -> Style {
        self.fg(Color::LightRed).add_modifier(Modifier::BOLD)
    }
    pub fn info(&self) -> Style {
        self.fg(Color::Green)
    }
}
