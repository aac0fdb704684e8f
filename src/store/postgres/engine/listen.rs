//! Change notification: a connection of its own `LISTEN`s on the schema's channel, on a thread
//! that counts what others committed (`Change` payloads name a table and a transaction, never a
//! case). A planner compares the count (`change_token`) and reloads when it moved. When the
//! listening connection drops, the thread connects again (with backoff) and counts one more
//! change: notifications sent meanwhile are lost, so the planner reloads everything.

use super::super::{connect_for_notifications, ConnSpec, CHANNEL};
use crate::store::{Result, StoreError};
use ::postgres::fallible_iterator::FallibleIterator;
use std::sync::atomic::{AtomicBool, AtomicI32, AtomicU64, Ordering};
use std::sync::{mpsc, Arc};
use std::time::Duration;

/// How often the thread looks up from waiting to see whether it should stop.
const POLL: Duration = Duration::from_millis(200);

/// How long `start` waits for the first `LISTEN`.
const FIRST_LISTEN: Duration = Duration::from_secs(10);

/// The listening thread; stops (within `POLL`) when dropped.
pub(super) struct Listener {
    count: Arc<AtomicU64>,
    stop: Arc<AtomicBool>,
    /// Whether the listening connection is up: while it is down the screens say the team
    /// database cannot be reached (`change_token` fails), and read everything once it is back.
    up: Arc<AtomicBool>,
}

impl Listener {
    /// Connects, `LISTEN`s, and returns once listening: nothing committed after `start`
    /// returns goes uncounted. `own` is the main connection's server process: its
    /// notifications are this handle's own writes, which it counts itself.
    pub(super) fn start(spec: &ConnSpec, own: Arc<AtomicI32>) -> Result<Listener> {
        let count = Arc::new(AtomicU64::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let up = Arc::new(AtomicBool::new(true));
        let (ready, listening) = mpsc::channel();
        let spec = spec.clone();
        let (c, s, u) = (count.clone(), stop.clone(), up.clone());
        std::thread::Builder::new()
            .name("releaseday-pg-listen".into())
            .spawn(move || run(&spec, &c, &s, &u, &own, Some(ready)))
            .map_err(|e| StoreError::Unavailable(format!("no thread to listen on: {e}")))?;
        match listening.recv_timeout(FIRST_LISTEN) {
            Ok(Ok(())) => Ok(Listener { count, stop, up }),
            Ok(Err(why)) => {
                stop.store(true, Ordering::Relaxed);
                Err(StoreError::Unavailable(why))
            }
            Err(_) => {
                stop.store(true, Ordering::Relaxed);
                Err(StoreError::Unavailable(
                    "the connection for change notification did not start".into(),
                ))
            }
        }
    }

    /// Changes counted: others' commits, and one for each time the listener reconnected.
    pub(super) fn count(&self) -> u64 {
        self.count.load(Ordering::Relaxed)
    }

    /// Whether the listening connection is up (it reconnects by itself when it is not).
    pub(super) fn is_up(&self) -> bool {
        self.up.load(Ordering::Relaxed)
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

fn run(
    spec: &ConnSpec,
    count: &AtomicU64,
    stop: &AtomicBool,
    up: &AtomicBool,
    own: &AtomicI32,
    mut ready: Option<mpsc::Sender<std::result::Result<(), String>>>,
) {
    let mut pause = Duration::from_millis(200);
    while !stop.load(Ordering::Relaxed) {
        let listening = connect_for_notifications(spec)
            .map_err(|e| e.to_string())
            .and_then(|mut client| {
                client
                    .batch_execute(&format!("LISTEN {CHANNEL}"))
                    .map_err(|e| super::PgError::from(e).to_string())
                    .map(|()| client)
            });
        let mut client = match listening {
            Ok(client) => client,
            Err(why) => {
                if let Some(ready) = ready.take() {
                    let _ = ready.send(Err(why));
                    return;
                }
                std::thread::sleep(pause);
                pause = (pause * 2).min(Duration::from_secs(5));
                continue;
            }
        };
        match ready.take() {
            Some(ready) => {
                let _ = ready.send(Ok(()));
            }
            // Listening again after a loss: whatever was sent meanwhile is gone.
            None => {
                count.fetch_add(1, Ordering::Relaxed);
                up.store(true, Ordering::Relaxed);
            }
        }
        pause = Duration::from_millis(200);
        loop {
            if stop.load(Ordering::Relaxed) {
                return;
            }
            let mut notifications = client.notifications();
            let mut iter = notifications.timeout_iter(POLL);
            let lost = 'read: loop {
                match iter.next() {
                    Ok(Some(n)) => {
                        if n.process_id() != own.load(Ordering::Relaxed) {
                            count.fetch_add(1, Ordering::Relaxed);
                        }
                    }
                    Ok(None) => break 'read false,
                    Err(_) => break 'read true,
                }
            };
            drop(iter);
            drop(notifications);
            if lost || client.is_closed() {
                // Others' changes may have been missed while it was down.
                count.fetch_add(1, Ordering::Relaxed);
                up.store(false, Ordering::Relaxed);
                break;
            }
        }
    }
}
