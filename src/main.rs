use clap::Parser;
use releaseday::cli::{self, import::Refused, Cli};
use releaseday::tui::{self, app::App, theme::Theme};
use std::io::{IsTerminal, Write};
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = Cli::parse();
    // The clock is read here and nowhere below: `today` once, and check-in times through `clock`.
    let today = cli
        .today
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    let screens = cli.command.is_none() && std::io::stdout().is_terminal();
    let result = if screens {
        open_screens(&cli, today).map(|()| String::new())
    } else {
        cli::run(cli, today)
    };
    match result {
        Ok(out) => {
            // A closed pipe (`| head`) is not an error worth a message.
            let _ = std::io::stdout().lock().write_all(out.as_bytes());
            ExitCode::SUCCESS
        }
        Err(e) => {
            if let Some(refused) = e.downcast_ref::<Refused>() {
                eprintln!("{refused}");
            } else {
                eprintln!("releaseday: {e:#}");
            }
            ExitCode::FAILURE
        }
    }
}

fn open_screens(cli: &Cli, today: chrono::NaiveDate) -> anyhow::Result<()> {
    let ctx = cli::prepare(cli, today)?;
    let clock: tui::Clock = Box::new(|| chrono::Local::now().naive_local());
    let mut app = App::new(ctx.planner, today, clock, Theme::from_env())?;
    tui::run(&mut app)
}
