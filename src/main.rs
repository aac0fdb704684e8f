use clap::Parser;
use releaseday::cli::{self, import::Refused, Cli};
use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = Cli::parse();
    // The clock is read once, here; everything below takes `today` as an argument.
    let today = cli
        .today
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    match cli::run(cli, today) {
        Ok(out) => {
            let mut stdout = std::io::stdout().lock();
            // A closed pipe (`| head`) is not an error worth a message.
            let _ = stdout.write_all(out.as_bytes());
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
