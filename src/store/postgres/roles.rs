//! Officers: `db grant ROLE [--team T…]` makes an existing login role a member of the officer
//! group and records which teams' cases it sees; `db revoke ROLE` undoes both. Run by the team
//! database's owner (the role that ran `db setup`), each in one transaction.
//!
//! An officer is never a superuser, never a role that bypasses row-level security, never a role
//! that can become one of those (`SET ROLE`), and never a member of the owner: each of them would
//! see every case whatever the grant says. Role names are taken exactly as given (PostgreSQL's
//! names are case-sensitive) and always quoted in SQL, so capitals, spaces and quotes are safe.

use super::admin_error::AdminError;
pub use super::ident::{quote_ident, shown};
use super::schema::{check_schema, OFFICER_GROUP};
use ::postgres::{Client, Transaction};
use std::fmt;

/// Which cases an officer sees.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Teams {
    Every,
    /// These teams' cases (matched ignoring ASCII case) and, with `no_team`, cases with no team.
    Listed {
        teams: Vec<String>,
        no_team: bool,
    },
}

/// What `--team (none)` stands for, as the screens' filters spell it.
pub const NO_TEAM: &str = "(none)";

impl Teams {
    /// The teams `--team` named: none given means every team; `(none)` means cases with no
    /// team; names are trimmed, and a name given twice (ignoring case) counts once.
    pub fn from_args(args: &[String]) -> Result<Teams, AdminError> {
        if args.is_empty() {
            return Ok(Teams::Every);
        }
        let mut teams: Vec<String> = Vec::new();
        let mut no_team = false;
        for arg in args {
            let t = arg.trim();
            if t.is_empty() {
                return Err(AdminError::Refused(
                    "a --team cannot be empty; give a team's name, or (none) for cases with no team"
                        .into(),
                ));
            }
            if t.chars().any(char::is_control) {
                return Err(AdminError::Refused(
                    "a --team cannot hold control characters".into(),
                ));
            }
            if t.eq_ignore_ascii_case(NO_TEAM) {
                no_team = true;
            } else if !teams.iter().any(|have| have.eq_ignore_ascii_case(t)) {
                teams.push(t.to_string());
            }
        }
        sort(&mut teams);
        Ok(Teams::Listed { teams, no_team })
    }
}

/// Teams in one order wherever they come from: ignoring ASCII case, then as written.
fn sort(teams: &mut [String]) {
    teams.sort_by(|a, b| {
        a.to_ascii_lowercase()
            .cmp(&b.to_ascii_lowercase())
            .then_with(|| a.cmp(b))
    });
}

impl fmt::Display for Teams {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Teams::Every => f.write_str("every team"),
            Teams::Listed { teams, no_team } => {
                let mut parts: Vec<String> = teams.clone();
                if *no_team {
                    parts.push("cases with no team".into());
                }
                let lead = match (teams.len(), no_team) {
                    (0, _) => "",
                    (1, _) => "the team ",
                    _ => "the teams ",
                };
                let list = match parts.len() {
                    1 => parts[0].clone(),
                    n => format!("{} and {}", parts[..n - 1].join(", "), parts[n - 1]),
                };
                write!(f, "{lead}{list}")
            }
        }
    }
}

/// What `grant` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Granted {
    pub role: String,
    /// What the role saw before, if it was an officer already.
    pub before: Option<Teams>,
    pub now: Teams,
    /// Teams given that no case has yet (a misspelling, or a team not yet imported).
    pub unmatched: Vec<String>,
}

/// What `revoke` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revoked {
    pub role: String,
    /// What the role saw, if it was recorded as an officer.
    pub was: Option<Teams>,
    /// Whether it was a member of the officer group.
    pub member: bool,
}

/// A login role as `pg_roles` describes it.
struct Role {
    oid: u32,
    name: String,
    superuser: bool,
    bypass_rls: bool,
    login: bool,
}

/// Makes `role` an officer seeing `teams` (replacing what it saw, if it was one already).
pub fn grant(client: &mut Client, role: &str, teams: &Teams) -> Result<Granted, AdminError> {
    let doing = "granting";
    let mut tx = client
        .transaction()
        .map_err(|e| AdminError::server(doing, &e))?;
    let me = owner_session(&mut tx)?;
    let r = find_role(&mut tx, role)?;
    refuse_unsafe(&mut tx, &r, &me)?;
    let before = officer_teams(&mut tx, r.oid)?;

    let version: i32 = tx
        .query_one("SELECT current_setting('server_version_num')::int", &[])
        .map_err(|e| AdminError::server(doing, &e))?
        .get(0);
    // From PostgreSQL 16 a membership says itself whether it passes the group's privileges on.
    let inherit = if version >= 160000 {
        " WITH INHERIT TRUE"
    } else {
        ""
    };
    tx.batch_execute(&format!(
        "GRANT {} TO {}{inherit}",
        quote_ident(OFFICER_GROUP),
        quote_ident(&r.name)
    ))
    .map_err(|e| {
        AdminError::needing(
            "adding the role to the officer group",
            &shown(&me.name),
            &format!("ADMIN OPTION on {OFFICER_GROUP}"),
            &format!(
                "a superuser runs GRANT {OFFICER_GROUP} TO {} WITH ADMIN OPTION (on PostgreSQL \
                 15 and older, CREATEROLE is enough)",
                quote_ident(&me.name)
            ),
            &e,
        )
    })?;
    let (every, no_team, listed) = match teams {
        Teams::Every => (true, true, Vec::new()),
        Teams::Listed { teams, no_team } => (false, *no_team, teams.clone()),
    };
    let write = |tx: &mut Transaction| -> Result<(), ::postgres::Error> {
        tx.execute(
            "INSERT INTO public.officers (role, every_team, no_team) VALUES ($1::oid::regrole, $2, $3) \
             ON CONFLICT (role) DO UPDATE SET every_team = excluded.every_team, \
             no_team = excluded.no_team, granted_at = now(), granted_by = session_user",
            &[&r.oid, &every, &no_team],
        )?;
        tx.execute(
            "DELETE FROM public.officer_teams WHERE role = $1::oid::regrole",
            &[&r.oid],
        )?;
        tx.execute(
            "INSERT INTO public.officer_teams (role, team) \
             SELECT $1::oid::regrole, t FROM unnest($2::text[]) AS t",
            &[&r.oid, &listed],
        )?;
        Ok(())
    };
    write(&mut tx).map_err(|e| AdminError::server("recording the officer's teams", &e))?;
    // The grant must reach the tables: a role that does not inherit its groups' privileges
    // (NOINHERIT, before PostgreSQL 16) would not get them.
    let reaches: bool = tx
        .query_one(
            "SELECT has_table_privilege($1::oid, 'public.cases', 'SELECT')",
            &[&r.oid],
        )
        .map_err(|e| AdminError::server(doing, &e))?
        .get(0);
    if !reaches {
        return Err(AdminError::Refused(format!(
            "{} does not inherit the privileges of the roles it belongs to (NOINHERIT), so as \
             an officer it could not read the cases: run ALTER ROLE {} INHERIT, then grant again; \
             nothing was changed",
            shown(&r.name),
            quote_ident(&r.name)
        )));
    }
    let unmatched: Vec<String> = tx
        .query(
            "SELECT t FROM unnest($1::text[]) WITH ORDINALITY AS u (t, i) \
             WHERE NOT EXISTS (SELECT 1 FROM public.cases c WHERE lower(c.team) = lower(u.t)) \
             ORDER BY i",
            &[&listed],
        )
        .map_err(|e| AdminError::server(doing, &e))?
        .iter()
        .map(|row| row.get(0))
        .collect();
    tx.commit().map_err(|e| AdminError::server(doing, &e))?;
    Ok(Granted {
        role: r.name,
        before,
        now: teams.clone(),
        unmatched,
    })
}

/// Stops `role` being an officer: its membership of the officer group and its teams go. A role
/// that still belongs to the group another way (through another role, or a grant only another
/// role may revoke) is reported as an error, after what could be undone was.
pub fn revoke(client: &mut Client, role: &str) -> Result<Revoked, AdminError> {
    let doing = "revoking";
    let mut tx = client
        .transaction()
        .map_err(|e| AdminError::server(doing, &e))?;
    let me = owner_session(&mut tx)?;
    let r = find_role(&mut tx, role)?;
    let was = officer_teams(&mut tx, r.oid)?;
    let direct = direct_member(&mut tx, r.oid)?;
    if direct.is_some() {
        tx.batch_execute(&format!(
            "REVOKE {} FROM {}",
            quote_ident(OFFICER_GROUP),
            quote_ident(&r.name)
        ))
        .map_err(|e| {
            AdminError::needing(
                "removing the role from the officer group",
                &shown(&me.name),
                &format!("ADMIN OPTION on {OFFICER_GROUP}"),
                &format!(
                    "a superuser runs GRANT {OFFICER_GROUP} TO {} WITH ADMIN OPTION",
                    quote_ident(&me.name)
                ),
                &e,
            )
        })?;
    }
    tx.execute(
        "DELETE FROM public.officers WHERE role = $1::oid::regrole",
        &[&r.oid],
    )
    .map_err(|e| AdminError::server("forgetting the officer's teams", &e))?;
    let still_direct = direct_member(&mut tx, r.oid)?;
    let through: Vec<String> = tx
        .query(
            "SELECT r.rolname::text FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.member \
             WHERE m.roleid = (SELECT oid FROM pg_roles WHERE rolname = $2) \
               AND m.member <> $1::oid AND pg_has_role($1::oid, m.member, 'MEMBER') \
             ORDER BY 1",
            &[&r.oid, &OFFICER_GROUP],
        )
        .map_err(|e| AdminError::server(doing, &e))?
        .iter()
        .map(|row| row.get(0))
        .collect();
    tx.commit().map_err(|e| AdminError::server(doing, &e))?;
    let name = shown(&r.name);
    if let Some(grantor) = still_direct {
        return Err(AdminError::Refused(format!(
            "{name}'s teams were forgotten, so it sees no case, but its membership of \
             {OFFICER_GROUP} was granted by {} and only that role (or a superuser) can revoke it: \
             REVOKE {OFFICER_GROUP} FROM {} GRANTED BY {}",
            shown(&grantor),
            quote_ident(&r.name),
            quote_ident(&grantor)
        )));
    }
    if !through.is_empty() {
        let via: Vec<String> = through.iter().map(|n| shown(n)).collect();
        return Err(AdminError::Refused(format!(
            "{name}'s teams were forgotten, so it sees no case, but it still belongs to \
             {OFFICER_GROUP} through {}: revoke that too (db revoke ROLE), or take {name} out of it",
            via.join(", ")
        )));
    }
    Ok(Revoked {
        role: r.name,
        was,
        member: direct.is_some(),
    })
}

/// The signed-in role, which must have the owner's rights over the releaseday schema, and the
/// schema at this program's version.
fn owner_session(tx: &mut Transaction) -> Result<Role, AdminError> {
    let row = tx
        .query_opt(
            "SELECT current_user::text, pg_get_userbyid(c.relowner)::text, \
                    pg_has_role(current_user, c.relowner, 'USAGE') \
             FROM pg_class c WHERE c.oid = to_regclass('public.schema_migrations')",
            &[],
        )
        .map_err(|e| AdminError::server("reading who owns the schema", &e))?
        .ok_or(AdminError::NotSetUp)?;
    let (me, owner, owns): (String, String, bool) = (row.get(0), row.get(1), row.get(2));
    if !owns {
        return Err(AdminError::Refused(format!(
            "officers are granted and revoked by the team database's owner, {}; you are signed \
             in as {}",
            shown(&owner),
            shown(&me)
        )));
    }
    check_schema(tx)?;
    find_role(tx, &me)
}

fn find_role(tx: &mut Transaction, name: &str) -> Result<Role, AdminError> {
    let doing = "looking the role up";
    let row = tx
        .query_opt(
            "SELECT oid, rolname::text, rolsuper, rolbypassrls, rolcanlogin \
             FROM pg_roles WHERE rolname = $1",
            &[&name],
        )
        .map_err(|e| AdminError::server(doing, &e))?;
    if let Some(row) = row {
        return Ok(Role {
            oid: row.get(0),
            name: row.get(1),
            superuser: row.get(2),
            bypass_rls: row.get(3),
            login: row.get(4),
        });
    }
    let like: Vec<String> = tx
        .query(
            "SELECT rolname::text FROM pg_roles WHERE lower(rolname) = lower($1) ORDER BY 1",
            &[&name],
        )
        .map_err(|e| AdminError::server(doing, &e))?
        .iter()
        .map(|row| row.get(0))
        .collect();
    let hint = match like.first() {
        Some(other) => format!(
            " (role names are case-sensitive: did you mean {}?)",
            quote_ident(other)
        ),
        None => ": create it first (CREATE ROLE … LOGIN PASSWORD …), then grant it".to_string(),
    };
    Err(AdminError::Refused(format!(
        "there is no role named {}{hint}",
        quote_ident(name)
    )))
}

/// Refuses a role that as an officer would not be held by row-level security, or could not
/// sign in to use it.
fn refuse_unsafe(tx: &mut Transaction, r: &Role, me: &Role) -> Result<(), AdminError> {
    let name = shown(&r.name);
    let refuse = |why: String| Err(AdminError::Refused(format!("{why}; nothing was changed")));
    if r.name == OFFICER_GROUP {
        return refuse(format!(
            "{OFFICER_GROUP} is the officer group itself; grant each officer's own login role"
        ));
    }
    if r.superuser {
        return refuse(format!(
            "{name} is a superuser, and a superuser sees every case whatever its teams: officers \
             sign in with a role of their own that is not a superuser"
        ));
    }
    if r.bypass_rls {
        return refuse(format!(
            "{name} has BYPASSRLS, which would let it see every case whatever its teams: run \
             ALTER ROLE {} NOBYPASSRLS first, or use another role",
            quote_ident(&r.name)
        ));
    }
    if !r.login {
        return refuse(format!(
            "{name} cannot sign in (NOLOGIN); an officer is a login role, one per person (the \
             audit log names it)"
        ));
    }
    let row = tx
        .query_one(
            "SELECT pg_has_role($1::oid, c.relowner, 'MEMBER'), pg_get_userbyid(c.relowner)::text \
             FROM pg_class c WHERE c.oid = 'public.cases'::regclass",
            &[&r.oid],
        )
        .map_err(|e| AdminError::server("checking the role", &e))?;
    let (in_owner, owner): (bool, String) = (row.get(0), row.get(1));
    if in_owner || r.oid == me.oid {
        let is = if r.name == owner || r.oid == me.oid {
            "is"
        } else {
            "is a member of"
        };
        return refuse(format!(
            "{name} {is} the team database's owner ({}), which sees every case: officers sign \
             in with a role of their own",
            shown(&owner)
        ));
    }
    let above: Vec<(String, bool)> = tx
        .query(
            "SELECT rolname::text, rolsuper FROM pg_roles \
             WHERE (rolsuper OR rolbypassrls) AND oid <> $1::oid AND pg_has_role($1::oid, oid, 'MEMBER') \
             ORDER BY 1",
            &[&r.oid],
        )
        .map_err(|e| AdminError::server("checking the role", &e))?
        .iter()
        .map(|row| (row.get(0), row.get(1)))
        .collect();
    if let Some((other, superuser)) = above.first() {
        return refuse(format!(
            "{name} is a member of {}, which {}, so it could see every case with SET ROLE: take \
             it out of that role first",
            shown(other),
            if *superuser {
                "is a superuser"
            } else {
                "has BYPASSRLS"
            }
        ));
    }
    Ok(())
}

/// What the role with `oid` sees now, if it is recorded as an officer.
fn officer_teams(tx: &mut Transaction, oid: u32) -> Result<Option<Teams>, AdminError> {
    let doing = "reading the officer's teams";
    let row = tx
        .query_opt(
            "SELECT every_team, no_team FROM public.officers WHERE role = $1::oid::regrole",
            &[&oid],
        )
        .map_err(|e| AdminError::server(doing, &e))?;
    let Some(row) = row else {
        return Ok(None);
    };
    let (every, no_team): (bool, bool) = (row.get(0), row.get(1));
    if every {
        return Ok(Some(Teams::Every));
    }
    let mut teams: Vec<String> = tx
        .query(
            "SELECT team::text FROM public.officer_teams WHERE role = $1::oid::regrole",
            &[&oid],
        )
        .map_err(|e| AdminError::server(doing, &e))?
        .iter()
        .map(|row| row.get(0))
        .collect();
    sort(&mut teams);
    Ok(Some(Teams::Listed { teams, no_team }))
}

/// Who granted the role its own membership of the officer group, if it has one.
fn direct_member(tx: &mut Transaction, oid: u32) -> Result<Option<String>, AdminError> {
    let row = tx
        .query_opt(
            "SELECT pg_get_userbyid(m.grantor)::text FROM pg_auth_members m \
             WHERE m.member = $1::oid AND m.roleid = (SELECT oid FROM pg_roles WHERE rolname = $2) \
             LIMIT 1",
            &[&oid, &OFFICER_GROUP],
        )
        .map_err(|e| AdminError::server("reading the role's memberships", &e))?;
    Ok(row.map(|row| row.get(0)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn teams(args: &[&str]) -> Teams {
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        Teams::from_args(&args).unwrap()
    }

    #[test]
    fn teams_from_arguments() {
        assert_eq!(teams(&[]), Teams::Every);
        assert_eq!(
            teams(&[" South ", "North", "north", "(None)"]),
            Teams::Listed {
                teams: vec!["North".into(), "South".into()],
                no_team: true
            }
        );
        for bad in [" ", "a\u{1b}b"] {
            assert!(Teams::from_args(&[bad.to_string()]).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn teams_in_words() {
        assert_eq!(teams(&[]).to_string(), "every team");
        assert_eq!(teams(&["North"]).to_string(), "the team North");
        assert_eq!(
            teams(&["North", "South", "(none)"]).to_string(),
            "the teams North, South and cases with no team"
        );
        assert_eq!(teams(&["(none)"]).to_string(), "cases with no team");
    }

    #[test]
    fn names_are_quoted_whatever_they_hold() {
        assert_eq!(quote_ident("alice"), "\"alice\"");
        assert_eq!(
            quote_ident("Mary \"M\" O'Neil"),
            "\"Mary \"\"M\"\" O'Neil\""
        );
        assert_eq!(shown("alice_2"), "alice_2");
        assert_eq!(shown("Alice"), "\"Alice\"");
        assert_eq!(shown("a b"), "\"a b\"");
        assert_eq!(shown("2fa"), "\"2fa\"");
    }
}
