//! A shadow on a server the user names with `--shadow URL`: a uniquely
//! named temporary database, dropped afterwards with the roles made for it.

use super::cleanup::{register, Cleanup};
use std::time::Duration;

use super::embedded::parse_major;
use super::{connect, random_suffix, Shadow};
use crate::ddl::postgres::quote::always_quoted;
use crate::error::{Error, Result};
use crate::migrations::replay::shadow_message;
use crate::redact::Dsn;

/// added to a key=value string (the last one wins, in libpq too).
fn with_dbname(conn: &str, db: &str) -> Option<String> {
    use crate::conninfo;
    if conninfo::is_uri(conn) {
        let mut url = url::Url::parse(conn).ok()?;
        url.set_path(&format!("/{db}"));
        Some(url.to_string())
    } else if conninfo::is_connection_string(conn) {
        Some(format!("{conn} dbname={db}"))
    } else {
        None
    }
}

pub(super) async fn start_on_server(admin_url: &Dsn) -> Result<Shadow> {
    if with_dbname(admin_url.expose(), "x").is_none() {
        return Err(Error::Usage(format!(
            "--shadow must be a postgres:// URL or a key=value connection string, not {admin_url}"
        )));
    }
    let label = format!("shadow server {admin_url}");
    let (client, conn_task) = connect(admin_url).await?;
    let version: String = client
        .query_one("SHOW server_version", &[])
        .await
        .map_err(|e| {
            Error::Shadow(format!(
                "cannot read the version of {label}: {}",
                shadow_message(&e)
            ))
        })?
        .get(0);
    let name = format!(
        "schemadrift_shadow_{}_{}",
        std::process::id(),
        random_suffix()
    );
    // Register before creating, so an interruption during CREATE still drops it.
    let id = register(Cleanup::Database {
        admin_url: admin_url.clone(),
        name: name.clone(),
        roles: vec![],
    });
    let shadow = Shadow {
        url: Dsn::new(with_dbname(admin_url.expose(), &name).unwrap_or_default()),
        label: format!("{label} (PostgreSQL {version})"),
        major: parse_major(&version),
        id,
    };
    // template0: a template1 with extensions installed in it would otherwise
    // leak them into the expected schema.
    client
        .batch_execute(&format!(
            "CREATE DATABASE {} TEMPLATE template0",
            always_quoted(&name)
        ))
        .await
        .map_err(|e| {
            Error::Shadow(format!(
                "cannot create the temporary database {name} on {label}: {}",
                shadow_message(&e)
            ))
        })?;
    drop(client);
    let _ = conn_task.await;
    Ok(shadow)
}

pub(super) async fn drop_database(admin_url: &Dsn, name: &str, roles: &[String]) -> Result<()> {
    let fail = |what: String| {
        Error::Shadow(format!(
            "could not drop the temporary database {name} on {admin_url}: {what}"
        ))
    };
    let (client, task) = connect(admin_url).await.map_err(|e| fail(e.to_string()))?;
    // Disconnect anything still using it (our own replay connection, when
    // interrupted), then drop it; WITH (FORCE) exists from PostgreSQL 13.
    let _ = client
        .execute(
            "SELECT pg_catalog.pg_terminate_backend(pid) FROM pg_catalog.pg_stat_activity WHERE datname = $1 AND pid <> pg_catalog.pg_backend_pid()",
            &[&name],
        )
        .await;
    let mut result = client
        .batch_execute(&format!("DROP DATABASE IF EXISTS {}", always_quoted(name)))
        .await
        .map_err(|e| fail(shadow_message(&e)));
    if result.is_err() {
        if let Ok(()) = client
            .batch_execute(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                always_quoted(name)
            ))
            .await
        {
            result = Ok(());
        }
    }
    // Roles we made on a shared server; one still in use elsewhere stays.
    for r in roles {
        let _ = client
            .batch_execute(&format!("DROP ROLE IF EXISTS {}", always_quoted(r)))
            .await;
    }
    drop(client);
    let _ = task.await;
    result
}

/// Refuse a `--shadow` URL that names one of the databases being checked:
/// the shadow is written to, targets never are.
pub fn ensure_not_target(shadow_url: &Dsn, targets: &[Dsn]) -> Result<()> {
    let Some(s) = endpoint(shadow_url) else {
        return Ok(());
    };
    for t in targets {
        if endpoint(t).as_ref() == Some(&s) {
            return Err(Error::Usage(format!(
                "--shadow {shadow_url} names the same database as {t}; the shadow must be a different database (it is written to, the databases being checked never are)"
            )));
        }
    }
    Ok(())
}

/// (host, port, database) of a connection string, with libpq's defaults
/// (the PG* variables too) and local names unified.
fn endpoint(u: &Dsn) -> Option<(String, u16, String)> {
    crate::postgres::connect::parse(u, Duration::from_secs(1))
        .ok()?
        .identity()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shadow_must_not_be_a_target() {
        let t = vec![Dsn::new("postgres://app:secret@localhost:5432/app")];
        let shadow = |u: &str| ensure_not_target(&Dsn::new(u), &t);
        let e = shadow("postgres://admin@127.0.0.1/app")
            .unwrap_err()
            .to_string();
        assert!(e.contains("same database"), "{e}");
        assert!(!e.contains("secret"), "{e}");
        assert!(shadow("postgres://admin@127.0.0.1/postgres").is_ok());
        assert!(shadow("postgres://admin@127.0.0.1:5433/app").is_ok());
        assert!(shadow("postgres://admin@db.example/app").is_ok());
    }

    #[test]
    fn the_shadow_database_in_either_string_form() {
        assert_eq!(
            with_dbname("postgres://u:p@h:5/postgres?sslmode=require", "sh").as_deref(),
            Some("postgres://u:p@h:5/sh?sslmode=require")
        );
        assert_eq!(
            with_dbname("host=h dbname=postgres", "sh").as_deref(),
            Some("host=h dbname=postgres dbname=sh")
        );
        assert_eq!(with_dbname("db.example", "sh"), None);
    }
}
