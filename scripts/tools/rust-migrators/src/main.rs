//! `rust-migrators sqlx|diesel DATABASE_URL MIGRATIONS_DIR`: apply the
//! pending migrations of a folder the way `sqlx migrate run` and
//! `diesel migration run` do, through the same library calls, so each writes
//! its own history table (`_sqlx_migrations`, `__diesel_schema_migrations`).
use std::path::Path;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let (tool, url, dir) = match args.as_slice() {
        [_, tool, url, dir] => (tool.as_str(), url.as_str(), Path::new(dir)),
        _ => {
            eprintln!("usage: rust-migrators sqlx|diesel DATABASE_URL MIGRATIONS_DIR");
            return ExitCode::from(2);
        }
    };
    let result = match tool {
        "sqlx" => sqlx_run(url, dir),
        "diesel" => diesel_run(url, dir),
        other => Err(format!("unknown tool {other:?}: sqlx or diesel")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{tool}: {e}");
            ExitCode::FAILURE
        }
    }
}

/// `sqlx migrate run`: sqlx-cli resolves the folder and calls the migrator.
fn sqlx_run(url: &str, dir: &Path) -> Result<(), String> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    rt.block_on(async {
        use sqlx::Connection;
        let mut conn = sqlx::PgConnection::connect(url)
            .await
            .map_err(|e| e.to_string())?;
        let migrator = sqlx::migrate::Migrator::new(dir)
            .await
            .map_err(|e| e.to_string())?;
        migrator.run(&mut conn).await.map_err(|e| e.to_string())
    })
}

/// `diesel migration run`: diesel_cli reads the folder with
/// FileBasedMigrations and runs the pending ones through the harness.
fn diesel_run(url: &str, dir: &Path) -> Result<(), String> {
    use diesel::Connection;
    use diesel_migrations::{FileBasedMigrations, MigrationHarness};
    let mut conn = diesel::PgConnection::establish(url).map_err(|e| e.to_string())?;
    let migrations = FileBasedMigrations::from_path(dir).map_err(|e| e.to_string())?;
    conn.run_pending_migrations(migrations)
        .map(|_| ())
        .map_err(|e| e.to_string())
}
