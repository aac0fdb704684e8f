//! The real binary in a pseudo-terminal (portable-pty), its screen read back through a
//! terminal emulator (vt100): what an officer would see, key by key.

use portable_pty::{native_pty_system, CommandBuilder, PtySize};
use std::io::{Read, Write};
use std::path::Path;
use std::sync::mpsc;
use std::time::{Duration, Instant};

pub const ROWS: u16 = 30;
pub const COLS: u16 = 100;

pub struct Session {
    pub parser: vt100::Parser,
    pub rx: mpsc::Receiver<Vec<u8>>,
    /// Everything the program wrote, escapes and all.
    pub raw: Vec<u8>,
    writer: Box<dyn Write + Send>,
}

pub type Child = Box<dyn portable_pty::Child + Send + Sync>;

impl Session {
    /// Reads output until the screen contains `text`, or fails after a generous wait.
    pub fn wait_for(&mut self, text: &str) -> String {
        self.wait_until(text, |screen| screen.contains(text))
    }

    /// Reads output until `done` holds for the screen, or fails after a generous wait
    /// (`what` says what was awaited).
    pub fn wait_until(&mut self, what: &str, done: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let screen = self.parser.screen().contents();
            if done(&screen) {
                return screen;
            }
            let left = deadline.saturating_duration_since(Instant::now());
            assert!(
                !left.is_zero(),
                "{what:?} never appeared; the screen was:\n{screen}"
            );
            if let Ok(bytes) = self.rx.recv_timeout(left.min(Duration::from_millis(200))) {
                self.parser.process(&bytes);
                self.raw.extend_from_slice(&bytes);
            }
        }
    }

    /// The screen as it is now, after taking in whatever output has arrived.
    pub fn screen(&mut self) -> String {
        while let Ok(bytes) = self.rx.try_recv() {
            self.parser.process(&bytes);
            self.raw.extend_from_slice(&bytes);
        }
        self.parser.screen().contents()
    }

    pub fn send(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).unwrap();
        self.writer.flush().unwrap();
    }

    /// Takes in what is still coming after the program ended.
    pub fn drain(&mut self) {
        while let Ok(bytes) = self.rx.recv_timeout(Duration::from_millis(300)) {
            self.raw.extend_from_slice(&bytes);
        }
    }
}

/// Starts the planner with `--db db` and `args` in a 100×30 pseudo-terminal, its settings
/// file at `config` (which need not exist).
pub fn spawn(db: &str, config: &Path, args: &[&str]) -> (Session, Child) {
    let pty = native_pty_system()
        .openpty(PtySize {
            rows: ROWS,
            cols: COLS,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_releaseday"));
    cmd.args(["--db", db]);
    cmd.args(args);
    cmd.env("TERM", "xterm-256color");
    cmd.env("RELEASEDAY_CONFIG", config.to_str().unwrap());
    cmd.env_remove("RELEASEDAY_DB");
    cmd.env_remove("NO_COLOR");
    let child = pty.slave.spawn_command(cmd).unwrap();
    drop(pty.slave);
    let mut reader = pty.master.try_clone_reader().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut buf = [0u8; 8192];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                break;
            }
        }
    });
    let session = Session {
        parser: vt100::Parser::new(ROWS.try_into().unwrap(), COLS.try_into().unwrap(), 0),
        rx,
        raw: Vec::new(),
        writer: pty.master.take_writer().unwrap(),
    };
    (session, child)
}

/// Waits for the planner to exit and returns its status.
pub fn exit_status(child: &mut Child) -> portable_pty::ExitStatus {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Some(st) = child.try_wait().unwrap() {
            return st;
        }
        assert!(Instant::now() < deadline, "the planner did not quit");
        std::thread::sleep(Duration::from_millis(50));
    }
}
