//! What went wrong in the store, as one sentence a user can act on, never naming a person or
//! a CRN; an engine's own error is kept as the source where it helps.

use std::path::PathBuf;

/// What went wrong in the store, as one sentence a user can act on. Never names a person or a CRN.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("could not create the database folder {}: {error}", path.display())]
    CreateDir {
        path: PathBuf,
        error: std::io::Error,
    },

    #[error("could not create or protect the database file {}: {error}", path.display())]
    PrepareFile {
        path: PathBuf,
        error: std::io::Error,
    },

    #[error("the database is busy: another releaseday is writing to it; try again in a moment")]
    Busy(#[source] EngineError),

    #[error("the database file is not a releaseday database or is damaged; check the --db path")]
    NotADatabase(#[source] EngineError),

    #[error(
        "the database was written by a newer releaseday (schema version {found}; this program \
         knows up to {known}); install the newer version"
    )]
    TooNew { found: i64, known: i64 },

    #[error("a stored value in column {column} is not valid; the database may be damaged")]
    Corrupt { column: &'static str },

    #[error("a new case in the import has no {field}; check the file's {field} column")]
    MissingField { field: &'static str },

    #[error("no case with that CRN is stored")]
    NotFound,

    #[error(
        "the stored cases changed while the import was being checked, so nothing was written; \
         run the import again"
    )]
    Conflict,

    #[error(
        "someone else changed this case since it was opened, so your change was not saved; \
         it has been reloaded: check it and make the change again"
    )]
    StaleEdit,

    #[error("the database could not complete the operation: {0}")]
    Engine(EngineError),

    /// The team database could not be reached, or the connection dropped and could not be made
    /// again in time (the server restarted, the network dropped): nothing of the call was
    /// written. The engine reconnects by itself on a later call, and the same call can then be
    /// made again; the screens say so and keep what the officer typed.
    #[error(
        "the team database cannot be reached ({0}); nothing was changed: try again when it \
         is back"
    )]
    Unavailable(String),

    /// The team database does not allow this (an engine-wide refusal, or the signed-in role may
    /// not do it): one sentence saying what to do instead.
    #[error("{0}")]
    Refused(String),
}

impl StoreError {
    /// Whether the database could not be reached (rather than refusing or failing a write).
    pub fn is_unavailable(&self) -> bool {
        matches!(self, StoreError::Unavailable(_))
    }
}

/// An engine's own error, kept as the source of a `StoreError`. Engines' messages are about
/// statements, files and connections, never the values in them, so they name no one.
#[derive(Debug)]
pub struct EngineError(Box<dyn std::error::Error + Send + Sync>);

impl EngineError {
    pub fn new(e: impl std::error::Error + Send + Sync + 'static) -> EngineError {
        EngineError(Box::new(e))
    }

    /// The engine's error, for the engine itself to look into.
    pub fn downcast_ref<E: std::error::Error + 'static>(&self) -> Option<&E> {
        self.0.downcast_ref()
    }
}

impl std::fmt::Display for EngineError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for EngineError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.0.source()
    }
}

pub type Result<T> = std::result::Result<T, StoreError>;

/// Why a backup or restore was refused or failed: one sentence, never a name or CRN. Every
/// refusal of a restore happens before the current database is touched.
#[derive(Debug, thiserror::Error)]
pub enum MaintenanceError {
    #[error("{} already exists; choose another name, or add --force to replace it", .0.display())]
    Exists(PathBuf),

    #[error("{} is the database itself (or one of its working files); choose another file", .0.display())]
    SameFile(PathBuf),

    #[error("could not write {}: {error}", path.display())]
    Write {
        path: PathBuf,
        error: std::io::Error,
    },

    #[error("cannot read {}: {error}; nothing was restored", path.display())]
    Read {
        path: PathBuf,
        error: std::io::Error,
    },

    #[error(
        "{} is not a database or is damaged beyond reading, so nothing was restored; \
         your database is unchanged",
        .0.display()
    )]
    NotADatabase(PathBuf),

    #[error(
        "{} is damaged (SQLite's integrity check failed), so nothing was restored; your \
         database is unchanged: try an older backup",
        .0.display()
    )]
    Damaged(PathBuf),

    #[error(
        "{} is not a releaseday database (it has no releaseday cases table), so nothing was \
         restored; your database is unchanged",
        .0.display()
    )]
    Foreign(PathBuf),

    #[error(
        "{} was written by a newer releaseday (schema version {found}; this program knows up to \
         {known}), so nothing was restored; install the newer version",
        path.display()
    )]
    TooNew {
        path: PathBuf,
        found: i64,
        known: i64,
    },

    #[error(
        "{} uses {found}-byte pages where this database uses {ours}, so it cannot be restored \
         over it; your database is unchanged",
        path.display()
    )]
    PageSize {
        path: PathBuf,
        found: i64,
        ours: i64,
    },

    #[error(transparent)]
    Store(#[from] StoreError),
}
