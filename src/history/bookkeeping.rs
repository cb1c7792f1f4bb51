//! The migration tools' own tables, which are bookkeeping and not schema: a live
//! database has them and the migrations folder does not create them, so they must
//! not be reported as drift.

use super::{TableName, Tool};

/// Whose bookkeeping a table is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bookkeeping {
    /// A tool whose history schemadrift reads.
    Tool(Tool),
    /// `schema_migrations`: golang-migrate's, dbmate's and Rails' table share the name
    /// (Supabase's CLI keeps one in `supabase_migrations` too).
    SchemaMigrations,
    /// Rails' `ar_internal_metadata` (the environment the schema was loaded for).
    RailsMetadata,
    /// Atlas' `atlas_schema_revisions`.
    Atlas,
    /// Liquibase's `databasechangelog`.
    Liquibase,
    /// Liquibase's `databasechangeloglock`.
    LiquibaseLock,
}

impl Bookkeeping {
    /// Who keeps the table, for the report's one line.
    pub fn owner(self) -> &'static str {
        match self {
            Bookkeeping::Tool(t) => t.name(),
            Bookkeeping::SchemaMigrations => "golang-migrate, dbmate or Rails",
            Bookkeeping::RailsMetadata => "Rails",
            Bookkeeping::Atlas => "Atlas",
            Bookkeeping::Liquibase | Bookkeeping::LiquibaseLock => "Liquibase",
        }
    }
}

/// Whether `schema.name` is a migration tool's bookkeeping table, and whose. `configured`
/// holds the tables a configuration renamed or moved (`flyway.table`, golang-migrate's
/// `x-migrations-table`, dbmate's `--migrations-table`, goose's `-table`, sqlx's
/// `migrate.table-name`); a configured table without a schema matches in any schema.
/// The default names are recognised in every schema, since every tool can be pointed at
/// another one.
pub fn bookkeeping_tool(
    schema: &str,
    name: &str,
    configured: &[(Tool, TableName)],
) -> Option<Bookkeeping> {
    for (tool, t) in configured {
        if t.name == name && t.schema.as_deref().is_none_or(|s| s == schema) {
            return Some(Bookkeeping::Tool(*tool));
        }
    }
    Some(match name {
        "flyway_schema_history" => Bookkeeping::Tool(Tool::Flyway),
        "schema_migrations" => Bookkeeping::SchemaMigrations,
        "ar_internal_metadata" => Bookkeeping::RailsMetadata,
        "_prisma_migrations" => Bookkeeping::Tool(Tool::Prisma),
        "__diesel_schema_migrations" => Bookkeeping::Tool(Tool::Diesel),
        "_sqlx_migrations" => Bookkeeping::Tool(Tool::Sqlx),
        "goose_db_version" => Bookkeeping::Tool(Tool::Goose),
        "atlas_schema_revisions" => Bookkeeping::Atlas,
        "databasechangelog" => Bookkeeping::Liquibase,
        "databasechangeloglock" => Bookkeeping::LiquibaseLock,
        _ => return None,
    })
}

/// neo4j-migrations' own schema in Neo4j: its node labels and the constraints and index it
/// creates for them (`Migrations.UNIQUE_VERSION`, `REPEATED_AT`, `MigrationsLock`).
pub const NEO4J_MIGRATIONS_SCHEMA: [&str; 6] = [
    "__Neo4jMigration",
    "__Neo4jMigrationsLock",
    "unique_version___Neo4jMigration",
    "repeated_at__Neo4jMigration",
    "__Neo4jMigrationsLock__has_unique_id",
    "__Neo4jMigrationsLock__has_unique_name",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_tables_in_any_schema() {
        let cases = [
            ("flyway_schema_history", "Flyway"),
            ("schema_migrations", "golang-migrate, dbmate or Rails"),
            ("ar_internal_metadata", "Rails"),
            ("_prisma_migrations", "Prisma"),
            ("__diesel_schema_migrations", "diesel"),
            ("_sqlx_migrations", "sqlx"),
            ("goose_db_version", "goose"),
            ("atlas_schema_revisions", "Atlas"),
            ("databasechangelog", "Liquibase"),
            ("databasechangeloglock", "Liquibase"),
        ];
        for (name, owner) in cases {
            for schema in ["public", "app", "supabase_migrations"] {
                let got = bookkeeping_tool(schema, name, &[]).map(Bookkeeping::owner);
                assert_eq!(got, Some(owner), "{schema}.{name}");
            }
        }
    }

    #[test]
    fn user_tables_are_not_bookkeeping() {
        for name in [
            "users",
            "migrations",
            "Schema_Migrations",
            "flyway_schema_history_old",
            "DATABASECHANGELOG",
        ] {
            assert_eq!(bookkeeping_tool("public", name, &[]), None, "{name}");
        }
    }

    #[test]
    fn renamed_tables_are_recognised_where_configured() {
        let configured = [
            (
                Tool::Flyway,
                TableName {
                    schema: Some("ops".into()),
                    name: "deploy_history".into(),
                },
            ),
            (
                Tool::GolangMigrate,
                TableName {
                    schema: None,
                    name: "migrate_version".into(),
                },
            ),
        ];
        assert_eq!(
            bookkeeping_tool("ops", "deploy_history", &configured),
            Some(Bookkeeping::Tool(Tool::Flyway))
        );
        assert_eq!(
            bookkeeping_tool("public", "deploy_history", &configured),
            None
        );
        assert_eq!(
            bookkeeping_tool("anything", "migrate_version", &configured),
            Some(Bookkeeping::Tool(Tool::GolangMigrate))
        );
        // A configured name wins over the shared default name.
        let dbmate = [(Tool::Dbmate, TableName::default_for(Tool::Dbmate))];
        assert_eq!(
            bookkeeping_tool("public", "schema_migrations", &dbmate),
            Some(Bookkeeping::Tool(Tool::Dbmate))
        );
        // The defaults still hold beside a configuration.
        assert_eq!(
            bookkeeping_tool("public", "_sqlx_migrations", &configured),
            Some(Bookkeeping::Tool(Tool::Sqlx))
        );
    }

    #[test]
    fn neo4j_migrations_schema_names() {
        assert!(NEO4J_MIGRATIONS_SCHEMA.contains(&"__Neo4jMigration"));
        assert!(NEO4J_MIGRATIONS_SCHEMA.contains(&"unique_version___Neo4jMigration"));
    }
}
