//! Subscriptions (`CREATE SUBSCRIPTION`), objects of the database, written
//! so that running a script never reaches out to another server: a
//! subscription is created `WITH (connect = false)` (as `pg_dump` writes
//! it: no slot is made on the publisher, no table is subscribed, and it
//! starts disabled), dropped once it is disabled and has no slot
//! (`slot_name = NONE`: its slot on the publisher stays, to drop there),
//! its publications set `WITH (refresh = false)`. A `two_phase` or
//! `failover` that differs is a new subscription: PostgreSQL alters those
//! on the publisher's slot.
//!
//! The connection string's secret keywords (a password) have no value in
//! the model: a statement never writes one, and [`secrets_not_written`]
//! names the connection strings a script leaves for the user to set.

use super::{alter_comment, comment, quote, Pg};
use crate::conninfo::{is_secret, without_secrets};
use crate::ddl::{Alter, Statement, Unsupported};
use crate::model::postgres::Subscription;

fn target(r: &Pg, name: &str) -> String {
    format!("SUBSCRIPTION {}", r.ident(name))
}

fn alter_sql(r: &Pg, name: &str, what: &str) -> Statement {
    Statement::new(format!("ALTER {} {what}", target(r, name)))
}

fn connection(x: &Subscription) -> String {
    quote::literal(&without_secrets(&x.conninfo))
}

fn publications(r: &Pg, x: &Subscription) -> String {
    let names: Vec<String> = x
        .publications
        .iter()
        .map(|p| r.ident(p).into_owned())
        .collect();
    names.join(", ")
}

fn slot(x: &Subscription) -> String {
    match &x.slot_name {
        Some(s) => quote::literal(s),
        None => "NONE".to_string(),
    }
}

/// `CREATE SUBSCRIPTION .. WITH (connect = false, ...)` with the options
/// `pg_dump` writes (those the server has, when not the default; streaming
/// always, as its default changed in PostgreSQL 18), and its comment. It
/// is left disabled, as `pg_dump` leaves it; one that should be enabled
/// says how to enable it, in a comment.
pub fn create(r: &Pg, name: &str, x: &Subscription) -> Vec<Statement> {
    let Subscription {
        conninfo: _,     // connection()
        publications: _, // publications()
        enabled,
        slot_name: _, // slot()
        binary,
        streaming,
        two_phase,
        disable_on_error,
        password_required,
        run_as_owner,
        origin,
        failover,
        synchronous_commit,
        comment: text,
    } = x;
    let mut with = vec![
        "connect = false".to_string(),
        format!("slot_name = {}", slot(x)),
    ];
    let v = r.version;
    if *binary {
        with.push("binary = true".into());
    }
    if v >= 140000 {
        with.push(format!("streaming = {streaming}"));
    }
    if *two_phase {
        with.push("two_phase = on".into());
    }
    if *disable_on_error {
        with.push("disable_on_error = true".into());
    }
    if !*password_required {
        with.push("password_required = false".into());
    }
    if *run_as_owner {
        with.push("run_as_owner = true".into());
    }
    if *failover {
        with.push("failover = true".into());
    }
    if synchronous_commit != "off" {
        with.push(format!(
            "synchronous_commit = {}",
            quote::literal(synchronous_commit)
        ));
    }
    if origin != "any" {
        with.push(format!("origin = {origin}"));
    }
    let mut sql = "-- connect = false: this does not connect to the publisher, makes no \
                   replication slot there and subscribes no table yet; the subscription \
                   stays disabled\n"
        .to_string();
    if *enabled {
        sql.push_str(&format!(
            "-- It should be enabled: once its replication slot is on the publisher, \
             run {}; and ALTER {} REFRESH PUBLICATION;\n",
            alter_sql(r, name, "ENABLE").sql,
            target(r, name)
        ));
    }
    sql.push_str(&format!(
        "CREATE {} CONNECTION {} PUBLICATION {} WITH ({})",
        target(r, name),
        connection(x),
        publications(r, x),
        with.join(", ")
    ));
    let mut out = vec![Statement::new(sql)];
    if let Some(c) = text {
        out.push(comment(&target(r, name), Some(c)));
    }
    out
}

/// What a script says of the secrets of `expected`'s connection string
/// that it does not write: all of them, for a subscription it creates
/// (`actual` none), or for one whose connection string it would set.
pub fn secrets_not_written(
    r: &Pg,
    name: &str,
    expected: &Subscription,
    actual: Option<&Subscription>,
) -> Vec<Unsupported> {
    if actual.is_some_and(|a| a.conninfo == expected.conninfo) {
        return Vec::new();
    }
    let secrets: Vec<&str> = expected
        .conninfo
        .keys()
        .filter(|k| is_secret(k))
        .map(String::as_str)
        .collect();
    if secrets.is_empty() {
        return Vec::new();
    }
    let mut set = without_secrets(&expected.conninfo);
    for k in &secrets {
        set.push_str(&format!(" {k}=..."));
    }
    vec![Unsupported {
        object: format!("subscription {name}"),
        reason: format!(
            "its connection string holds {}, which no snapshot holds: set it yourself \
             (ALTER {} CONNECTION '{set}')",
            secrets.join(", "),
            target(r, name)
        ),
    }]
}

/// `DROP SUBSCRIPTION`, once it is disabled and has no slot, so that the
/// drop does not connect to the publisher (whose slot stays, to drop
/// there).
pub fn drop(r: &Pg, name: &str, actual: &Subscription) -> Vec<Statement> {
    let mut out = Vec::new();
    if actual.enabled {
        out.push(alter_sql(r, name, "DISABLE"));
    }
    if actual.slot_name.is_some() {
        out.push(alter_sql(r, name, "SET (slot_name = NONE)"));
    }
    out.push(Statement::new(format!(
        "-- its replication slot, if any, stays on the publisher: drop it there\nDROP {}",
        target(r, name)
    )));
    out
}

/// Turn subscription `actual` into `expected` (same name): disabled first
/// when it should be, its connection (unless it holds a secret: see
/// [`secrets_not_written`]), publications, slot and options set, enabled
/// last when it should be, the comment. Another `two_phase` or `failover`
/// has no alter that stays off the publisher (drop and create).
pub fn alter(r: &Pg, name: &str, expected: &Subscription, actual: &Subscription) -> Alter {
    let Subscription {
        conninfo,
        publications: pubs,
        enabled,
        slot_name,
        binary,
        streaming,
        two_phase,
        disable_on_error,
        password_required,
        run_as_owner,
        origin,
        failover,
        synchronous_commit,
        comment: _, // altered below
    } = expected;
    let what = if *two_phase != actual.two_phase {
        Some("its two_phase option")
    } else if *failover != actual.failover {
        Some("its failover option")
    } else {
        None
    };
    if let Some(what) = what {
        return Alter::Recreate {
            reason: what.to_string(),
            drop: drop(r, name, actual),
            create: create(r, name, expected),
        };
    }
    let mut out = Vec::new();
    if actual.enabled && !*enabled {
        out.push(alter_sql(r, name, "DISABLE"));
    }
    if *conninfo != actual.conninfo && !conninfo.keys().any(|k| is_secret(k)) {
        out.push(alter_sql(
            r,
            name,
            &format!("CONNECTION {}", connection(expected)),
        ));
    }
    if *pubs != actual.publications {
        let set = format!(
            "SET PUBLICATION {} WITH (refresh = false)",
            publications(r, expected)
        );
        out.push(alter_sql(r, name, &set));
    }
    let mut set = Vec::new();
    if *slot_name != actual.slot_name {
        set.push(format!("slot_name = {}", slot(expected)));
    }
    if *binary != actual.binary {
        set.push(format!("binary = {binary}"));
    }
    if *streaming != actual.streaming {
        set.push(format!("streaming = {streaming}"));
    }
    if *disable_on_error != actual.disable_on_error {
        set.push(format!("disable_on_error = {disable_on_error}"));
    }
    if *password_required != actual.password_required {
        set.push(format!("password_required = {password_required}"));
    }
    if *run_as_owner != actual.run_as_owner {
        set.push(format!("run_as_owner = {run_as_owner}"));
    }
    if *origin != actual.origin {
        set.push(format!("origin = {origin}"));
    }
    if *synchronous_commit != actual.synchronous_commit {
        set.push(format!(
            "synchronous_commit = {}",
            quote::literal(synchronous_commit)
        ));
    }
    if !set.is_empty() {
        out.push(alter_sql(r, name, &format!("SET ({})", set.join(", "))));
    }
    if *enabled && !actual.enabled {
        out.push(alter_sql(r, name, "ENABLE"));
    }
    out.extend(alter_comment(
        &target(r, name),
        expected.comment.as_ref(),
        actual.comment.as_ref(),
    ));
    Alter::InPlace(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ddl::sql_of;

    fn sub() -> Subscription {
        Subscription {
            conninfo: crate::conninfo::settings("host=pub.example dbname=app password=s3cret"),
            publications: vec!["orders".into(), "Stock".into()],
            enabled: false,
            slot_name: Some("sub_slot".into()),
            binary: false,
            streaming: "off".into(),
            two_phase: false,
            disable_on_error: false,
            password_required: true,
            run_as_owner: false,
            origin: "any".into(),
            failover: false,
            synchronous_commit: "off".into(),
            comment: None,
        }
    }

    #[test]
    fn subscriptions_are_created_without_connecting_and_without_secrets() {
        let r = Pg::new(170000);
        let mut x = sub();
        x.binary = true;
        x.origin = "none".into();
        x.synchronous_commit = "local".into();
        x.comment = Some("from the shop".into());
        x.enabled = true;
        let sql = sql_of(create(&r, "copy", &x));
        assert_eq!(
            sql[0].lines().last().unwrap(),
            "CREATE SUBSCRIPTION copy CONNECTION 'dbname=app host=pub.example' \
             PUBLICATION orders, \"Stock\" WITH (connect = false, slot_name = 'sub_slot', \
             binary = true, streaming = off, synchronous_commit = 'local', origin = none)"
        );
        assert!(sql[0].starts_with("-- connect = false: "), "{}", sql[0]);
        assert_eq!(sql[1], "COMMENT ON SUBSCRIPTION copy IS 'from the shop'");
        assert!(!sql.concat().contains("s3cret"));
        assert!(
            sql[0].contains(
                "\n-- It should be enabled: once its replication slot is on \
                             the publisher, run ALTER SUBSCRIPTION copy ENABLE;"
            ),
            "{}",
            sql[0]
        );
        let notes = secrets_not_written(&r, "copy", &x, None);
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert!(notes[0].reason.contains("holds password"), "{notes:?}");
        assert!(
            notes[0].reason.contains(
                "ALTER SUBSCRIPTION copy CONNECTION 'dbname=app host=pub.example password=...'"
            ),
            "{notes:?}"
        );
        // PostgreSQL 13 has no streaming option.
        x.slot_name = None;
        let old = sql_of(create(&Pg::new(130000), "copy", &x));
        assert!(old[0].ends_with(
            "WITH (connect = false, slot_name = NONE, binary = true, \
             synchronous_commit = 'local', origin = none)"
        ));
    }

    #[test]
    fn subscriptions_alter_in_place_or_are_made_again() {
        let r = Pg::new(170000);
        let mut e = sub();
        e.enabled = true;
        e.conninfo = crate::conninfo::settings("host=pub.example dbname=shop");
        e.publications = vec!["orders".into()];
        e.streaming = "parallel".into();
        e.comment = Some("c".into());
        let mut a = sub();
        a.slot_name = Some("old".into());
        match alter(&r, "copy", &e, &a) {
            Alter::InPlace(v) => assert_eq!(
                sql_of(v),
                [
                    "ALTER SUBSCRIPTION copy CONNECTION 'dbname=shop host=pub.example'",
                    "ALTER SUBSCRIPTION copy SET PUBLICATION orders WITH (refresh = false)",
                    "ALTER SUBSCRIPTION copy SET (slot_name = 'sub_slot', streaming = parallel)",
                    "ALTER SUBSCRIPTION copy ENABLE",
                    "COMMENT ON SUBSCRIPTION copy IS 'c'",
                ]
            ),
            other => panic!("{other:?}"),
        }
        // Back: disabled first; the connection with a password is left to
        // the user.
        match alter(&r, "copy", &a, &e) {
            Alter::InPlace(v) => assert_eq!(
                sql_of(v),
                [
                    "ALTER SUBSCRIPTION copy DISABLE",
                    "ALTER SUBSCRIPTION copy SET PUBLICATION orders, \"Stock\" WITH (refresh = false)",
                    "ALTER SUBSCRIPTION copy SET (slot_name = 'old', streaming = off)",
                    "COMMENT ON SUBSCRIPTION copy IS NULL",
                ]
            ),
            other => panic!("{other:?}"),
        }
        assert_eq!(secrets_not_written(&r, "copy", &a, Some(&e)).len(), 1);
        assert!(secrets_not_written(&r, "copy", &a, Some(&a)).is_empty());
        let mut f = e.clone();
        f.failover = true;
        match alter(&r, "copy", &f, &e) {
            Alter::Recreate { reason, drop, .. } => {
                assert_eq!(reason, "its failover option");
                let drop = sql_of(drop);
                assert_eq!(drop[0], "ALTER SUBSCRIPTION copy DISABLE");
                assert_eq!(drop[1], "ALTER SUBSCRIPTION copy SET (slot_name = NONE)");
                assert!(drop[2].ends_with("\nDROP SUBSCRIPTION copy"), "{drop:?}");
            }
            other => panic!("{other:?}"),
        }
    }
}
