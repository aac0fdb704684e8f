use releaseday::cli::{self, import::Refused, Cli};
use releaseday::tui::{self, app::App, theme::Theme};
use std::io::{IsTerminal, Write};
use std::process::ExitCode;

fn main() -> ExitCode {
    // Before the screens start: ratatui's own hook restores the terminal, then calls this one.
    install_panic_hook();
    if std::env::var_os("RELEASEDAY_TEST_PANIC").is_some_and(|v| v == "1") {
        // Hidden trigger for tests/leaks.rs: the payload names an invented person and CRN.
        panic!("test panic while showing Testy McFakename, CRN X999999");
    }
    let cli = Cli::from_env_args();
    if cli.version {
        print!("{}", cli::version(&cli));
        return ExitCode::SUCCESS;
    }
    // The clock is read here and nowhere below: `today` once, and check-in times through `clock`.
    let today = cli
        .today
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    // `--today` moves the whole session to that day: check-in times and sent dates fall on it
    // (at the real time of day), so a rehearsal never writes the real date beside a pretend one.
    let now = {
        let now = chrono::Local::now().naive_local();
        cli.today.map_or(now, |day| day.and_time(now.time()))
    };
    let screens = cli.command.is_none() && std::io::stdout().is_terminal();
    let result = if screens {
        open_screens(&cli, today).map(|()| String::new())
    } else {
        cli::run(cli, today, now)
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
    // `--today` moves the whole session to that day: check-in times and sent dates fall on it
    // (at the real time of day), so a rehearsal never writes the real date beside a pretend one.
    let fixed_day = cli.today;
    let clock: tui::Clock = Box::new(move || {
        let now = chrono::Local::now().naive_local();
        fixed_day.map_or(now, |day| day.and_time(now.time()))
    });
    let theme = Theme::new(ctx.config.config.screen.theme);
    let keymap = ctx.config.keymap.clone();
    let mut app = App::new(ctx.planner, today, clock, theme)?;
    app.keymap = keymap;
    tui::run(&mut app)
}

/// A panic prints one generic sentence and where it happened, never its message: a message may
/// hold a name or CRN (DESIGN.md: personal data never goes to panic messages).
fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let at = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        eprintln!(
            "releaseday stopped unexpectedly{at}. Nothing was half-written: each change is saved \
             whole or not at all. Please report this."
        );
    }));
}
