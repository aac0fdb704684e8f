//! Small key/value settings kept in the database (e.g. when the demo was seeded).

use super::{Result, SqliteStore};
use rusqlite::OptionalExtension;

impl SqliteStore {
    pub fn meta_get(&self, key: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .prepare_cached("SELECT value FROM meta WHERE key = ?1")?
            .query_row([key], |r| r.get(0))
            .optional()?)
    }

    /// Sets `key` to `value`, replacing any earlier value.
    pub fn meta_set(&self, key: &str, value: &str) -> Result<()> {
        self.conn
            .prepare_cached(
                "INSERT INTO meta (key, value) VALUES (?1, ?2) \
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            )?
            .execute([key, value])?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_get_replace() {
        let store = SqliteStore::open_in_memory().unwrap();
        assert_eq!(store.meta_get("seed").unwrap(), None);
        store.meta_set("seed", "1").unwrap();
        store.meta_set("seed", "2").unwrap();
        assert_eq!(store.meta_get("seed").unwrap().as_deref(), Some("2"));
    }
}
