//! Role and database names in SQL and in messages.

/// `"name"` with any `"` doubled: a role name safe in SQL whatever it holds.
pub fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// A role name as a message shows it: bare when it is plain lower-case, quoted otherwise.
pub fn shown(name: &str) -> String {
    let plain = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if plain {
        name.to_string()
    } else {
        quote_ident(name)
    }
}
