//! Bulk loads: a table's secondary indexes set aside while many rows go in, then built again
//! once. SQLite builds an index from sorted keys far faster than it keeps one up row by row
//! (each row a search down the tree and often a page split). Callers do both halves inside one
//! transaction, so a crash leaves the table and its indexes as they were.

use super::Result;
use rusqlite::Connection;

/// New rows in one import from which the indexes are rebuilt rather than kept up row by row.
pub(super) const BULK_ROWS: usize = 5_000;

/// Drops `table`'s own indexes (not those SQLite makes for a primary key or UNIQUE constraint,
/// which have no SQL) and returns the SQL that makes them again, read from the schema so a later
/// migration's index is included.
pub(super) fn drop_indexes(conn: &Connection, table: &str) -> Result<Vec<String>> {
    let indexes: Vec<(String, String)> = conn
        .prepare(
            "SELECT name, sql FROM sqlite_master \
             WHERE type = 'index' AND tbl_name = ?1 AND sql IS NOT NULL",
        )?
        .query_map([table], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (name, _) in &indexes {
        conn.execute_batch(&format!("DROP INDEX \"{}\"", name.replace('"', "\"\"")))?;
    }
    Ok(indexes.into_iter().map(|(_, sql)| sql).collect())
}

/// Builds again the indexes `drop_indexes` set aside.
pub(super) fn rebuild_indexes(conn: &Connection, set_aside: &[String]) -> Result<()> {
    for sql in set_aside {
        conn.execute_batch(sql)?;
    }
    Ok(())
}
