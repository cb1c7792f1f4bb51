//! PostgreSQL DDL rendered from the model, proven by applying it.
//!
//! - Round trip: every fixture's schemas (base, base + drift, and both
//!   routes of each equivalence case) are read from a live database,
//!   rendered as one creation script, run into an empty database and read
//!   again: the diff must be empty both ways. A case's `setup.sql` (what
//!   its schema needs that the model does not hold, such as an access
//!   method) runs first in the empty database, as a deployment's setup
//!   files do.
//! - Alters: the fix script, made of the per-object `create`, `drop`,
//!   `alter` and `rename` functions, is proven in tests/fix_script.rs.
//!
//! Run one case with `SCHEMADRIFT_FIXTURE=name`; `SCHEMADRIFT_DDL_DUMP=1`
//! prints each creation script.

mod common;

use std::sync::OnceLock;

use common::fixtures::{
    cases, fixtures_dir, introspect, introspect_with, options_of, read, run_all,
};
use common::TestDb;
use schemadrift::ddl::postgres::{column, schema, script, table, Name, Pg};
use schemadrift::ddl::{Hazard, Statement};
use schemadrift::diff::{self, Change};
use schemadrift::model::postgres::*;

/// The renderer for the test server's version.
fn pg() -> Pg {
    static PG: OnceLock<Pg> = OnceLock::new();
    *PG.get_or_init(|| {
        let db = TestDb::new("ddl_version");
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        schemadrift::run::install_crypto_provider();
        let (_, version) = rt
            .block_on(schemadrift::postgres::introspect(
                &schemadrift::redact::Dsn::new(&db.url),
                &Default::default(),
            ))
            .unwrap();
        Pg::for_server(Some(&version))
    })
}

/// Run `statements` one by one on one connection, each in its own
/// transaction (as `psql` without `-1` does).
fn apply(url: &str, statements: &[Statement]) -> Result<(), String> {
    let url = url.to_string();
    let texts: Vec<String> = statements.iter().map(|s| s.sql.clone()).collect();
    std::thread::spawn(move || {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(async move {
                let (client, conn) = tokio_postgres::connect(&url, tokio_postgres::NoTls)
                    .await
                    .map_err(|e| e.to_string())?;
                let h = tokio::spawn(conn);
                for t in &texts {
                    if let Err(e) = client.batch_execute(t).await {
                        let msg = e
                            .as_db_error()
                            .map_or(e.to_string(), |d| d.message().to_string());
                        return Err(format!("{msg}\n--- in ---\n{t};"));
                    }
                }
                drop(client);
                let _ = h.await;
                Ok(())
            })
    })
    .join()
    .unwrap()
}

fn diff(e: &PgSchema, a: &PgSchema) -> Vec<Change> {
    let mut v = diff::postgres::diff(e, a);
    diff::sort_changes(&mut v);
    v
}

fn script_text(v: &[Statement]) -> String {
    v.iter().map(|s| format!("{s}\n")).collect()
}

/// Render `schema` as a creation script, run it into an empty database,
/// read that back and require no difference.
fn round_trip(label: &str, schema: &PgSchema, opts: &schemadrift::postgres::Options) {
    round_trip_after(label, "", schema, opts)
}

/// The `setup.sql` of fixture folder `dir`, or nothing.
fn setup_of(dir: &std::path::Path) -> String {
    let p = dir.join("setup.sql");
    if p.is_file() {
        read(&p)
    } else {
        String::new()
    }
}

/// [`round_trip`] into a database where `setup` ran first.
fn round_trip_after(
    label: &str,
    setup: &str,
    schema: &PgSchema,
    opts: &schemadrift::postgres::Options,
) {
    let r = pg();
    let target = TestDb::new(&format!("rt_{label}"));
    if !setup.is_empty() {
        target.exec(setup);
    }
    let empty = introspect_with(&target.url, opts);
    let s = script::create_script(&r, schema, &empty);
    assert!(
        s.unsupported.is_empty(),
        "{label}: left out: {:?}",
        s.unsupported
    );
    if std::env::var_os("SCHEMADRIFT_DDL_DUMP").is_some() {
        eprintln!("{}", script_text(&s.statements));
    }
    if let Err(e) = apply(&target.url, &s.statements) {
        panic!(
            "{label}: the creation script failed: {e}\n--- script ---\n{}",
            script_text(&s.statements)
        );
    }
    let back = introspect_with(&target.url, opts);
    for (what, changes) in [
        ("forward", diff(schema, &back)),
        ("back", diff(&back, schema)),
    ] {
        assert!(
            changes.is_empty(),
            "{label}: {what} diff after the round trip:\n{}\n--- script ---\n{}",
            serde_json::to_string_pretty(&wire(&changes)).unwrap(),
            script_text(&s.statements)
        );
    }
}

#[test]
fn every_fixture_round_trips_through_its_creation_script() {
    run_all(cases(&fixtures_dir(), "drift.sql"), |name, dir| {
        let opts = options_of(dir);
        let db = TestDb::with_sql(&format!("{name}_src"), &read(&dir.join("base.sql")));
        let setup = setup_of(dir);
        let base = introspect_with(&db.url, &opts);
        round_trip_after(&format!("{name}_base"), &setup, &base, &opts);
        db.exec(&read(&dir.join("drift.sql")));
        let drift = introspect_with(&db.url, &opts);
        round_trip_after(&format!("{name}_drift"), &setup, &drift, &opts);
    });
}

#[test]
fn equivalent_routes_round_trip_through_their_creation_scripts() {
    run_all(
        cases(&fixtures_dir().join("equivalent"), "a.sql"),
        |name, dir| {
            let opts = options_of(dir);
            for side in ["a", "b"] {
                let sql = read(&dir.join(format!("{side}.sql")));
                let db = TestDb::with_sql(&format!("eq_{name}_{side}"), &sql);
                let label = format!("eq_{name}_{side}");
                let schema = introspect_with(&db.url, &opts);
                round_trip_after(&label, &setup_of(dir), &schema, &opts);
            }
        },
    );
}

/// Roles the rich schema grants to. Roles are cluster-wide: created once,
/// idempotently, and left in place.
const ROLES: &str = "
DO $$ BEGIN CREATE ROLE sdt_ddl_owner; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$;
DO $$ BEGIN CREATE ROLE \"Sdt Ddl Reader\"; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$;
";

/// What the fixtures leave out: names that need quoting, owners and
/// grants, partitions with keys, foreign keys and row triggers (which
/// PostgreSQL copies to each partition), a foreign key to a partitioned
/// table (which PostgreSQL derives per partition), classic inheritance
/// with checks, a view that needs its table's primary key, views on views,
/// a domain whose check calls a function, SQL-standard bodies that read
/// tables, and every kind of trigger.
const RICH: &str = r#"
CREATE SCHEMA "Care Unit";
CREATE SCHEMA app AUTHORIZATION sdt_ddl_owner;
COMMENT ON SCHEMA app IS 'it''s the app';
GRANT USAGE ON SCHEMA app TO "Sdt Ddl Reader";

CREATE TYPE app."Mood" AS ENUM ('sad', 'it''s ok', 'happy');
CREATE FUNCTION app.is_even(n integer) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$ SELECT n % 2 = 0 $$;
CREATE DOMAIN app.even AS integer CONSTRAINT even_check CHECK (app.is_even(VALUE));
CREATE TYPE app.pair AS (a app.even, b app."Mood");
ALTER TYPE app."Mood" OWNER TO sdt_ddl_owner;
REVOKE USAGE ON TYPE app."Mood" FROM PUBLIC;
GRANT USAGE ON TYPE app."Mood" TO "Sdt Ddl Reader";

CREATE TABLE "Care Unit"."Order" (
    "select" integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    "User" text NOT NULL DEFAULT CURRENT_USER,
    mood app."Mood",
    p app.pair,
    n serial,
    total numeric(10,2) GENERATED ALWAYS AS ("select" * 2.5) STORED
);
ALTER TABLE "Care Unit"."Order" OWNER TO sdt_ddl_owner;
GRANT SELECT, UPDATE ("User") ON "Care Unit"."Order" TO "Sdt Ddl Reader";
GRANT INSERT ON "Care Unit"."Order" TO "Sdt Ddl Reader" WITH GRANT OPTION;
COMMENT ON COLUMN "Care Unit"."Order"."User" IS 'who';

CREATE TABLE app.customers (id integer PRIMARY KEY, name text, region text);
CREATE VIEW app.by_customer AS SELECT c.id, c.name, count(*) AS n FROM app.customers c GROUP BY c.id;
CREATE VIEW app.big_customers AS SELECT id, name FROM app.by_customer WHERE n > 10;
ALTER VIEW app.big_customers OWNER TO sdt_ddl_owner;

CREATE TABLE app.orders (id bigint NOT NULL, at date NOT NULL, customer_id integer, note text) PARTITION BY RANGE (at);
CREATE TABLE app.orders_2024 PARTITION OF app.orders FOR VALUES FROM ('2024-01-01') TO ('2025-01-01') PARTITION BY RANGE (at);
CREATE TABLE app.orders_2024_h1 PARTITION OF app.orders_2024 FOR VALUES FROM ('2024-01-01') TO ('2024-07-01');
CREATE TABLE app.orders_rest PARTITION OF app.orders DEFAULT;
ALTER TABLE app.orders ADD CONSTRAINT orders_pkey PRIMARY KEY (id, at);
ALTER TABLE app.orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES app.customers (id);
CREATE INDEX orders_note_idx ON app.orders (lower(note));
CREATE FUNCTION app.log() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER orders_log AFTER INSERT ON app.orders FOR EACH ROW EXECUTE FUNCTION app.log();
ALTER TABLE app.orders_rest DISABLE TRIGGER orders_log;
CREATE TABLE app.orders_2025 (LIKE app.orders INCLUDING DEFAULTS);
CREATE INDEX orders_2025_own ON app.orders_2025 (customer_id);
ALTER TABLE app.orders ATTACH PARTITION app.orders_2025 FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE app.shipments (id integer PRIMARY KEY, order_id bigint, order_at date,
    FOREIGN KEY (order_id, order_at) REFERENCES app.orders (id, at) ON DELETE CASCADE);

CREATE TABLE app.notes (id integer, body text CHECK (body <> ''));
CREATE TABLE app.vet_notes (vet text, id integer, body text);
ALTER TABLE app.vet_notes ADD CONSTRAINT notes_body_check CHECK (body <> '');
ALTER TABLE app.vet_notes INHERIT app.notes;

CREATE FUNCTION app."Weird Name"(a integer, "b c" text DEFAULT 'x') RETURNS TABLE(x integer, y text)
    LANGUAGE sql AS $$ SELECT a, "b c" $$;
ALTER FUNCTION app."Weird Name"(integer, text) OWNER TO sdt_ddl_owner;
REVOKE EXECUTE ON FUNCTION app."Weird Name"(integer, text) FROM PUBLIC;
CREATE PROCEDURE app.tidy() LANGUAGE plpgsql SECURITY DEFINER SET search_path = app, "Care Unit" AS $$ BEGIN NULL; END $$;

CREATE VIEW app.customer_names AS SELECT id, name FROM app.customers;
CREATE FUNCTION app.ins_name() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER customer_names_ins INSTEAD OF INSERT ON app.customer_names FOR EACH ROW EXECUTE FUNCTION app.ins_name();
CREATE MATERIALIZED VIEW app.region_counts AS SELECT region, count(*) AS "N" FROM app.customers GROUP BY region;
CREATE UNIQUE INDEX region_counts_region ON app.region_counts (region);
CREATE INDEX region_counts_n ON app.region_counts ("N" DESC);

ALTER TABLE app.customers ENABLE ROW LEVEL SECURITY;
CREATE POLICY customers_read ON app.customers FOR SELECT TO "Sdt Ddl Reader", sdt_ddl_owner USING (region IS NOT NULL);
CREATE SEQUENCE app.counter AS smallint INCREMENT BY -1 MINVALUE -100 MAXVALUE -1 START WITH -1 CYCLE;
GRANT USAGE ON SEQUENCE app.counter TO "Sdt Ddl Reader";
"#;

/// SQL-standard bodies (PostgreSQL 14+): a function that reads a table, and
/// a table whose default calls it.
const RICH_14: &str = "
CREATE FUNCTION app.customer_count() RETURNS bigint LANGUAGE sql STABLE
    BEGIN ATOMIC SELECT count(*) FROM app.customers; END;
CREATE TABLE app.stats (id integer, customers bigint DEFAULT app.customer_count());
";

#[test]
fn a_rich_schema_with_privileges_round_trips() {
    common::exec(&common::server_url(), ROLES);
    let db = TestDb::with_sql("ddl_rich", RICH);
    if pg().version >= 140000 {
        db.exec(RICH_14);
    }
    let opts = schemadrift::postgres::Options {
        with_privileges: true,
        ..Default::default()
    };
    let rich = introspect_with(&db.url, &opts);
    // What makes the case worth having is there.
    let app = &rich.schemas["app"];
    assert!(app.tables["orders_rest"]
        .triggers
        .contains_key("orders_log"));
    assert!(
        app.tables["shipments"].constraints.len() > 2,
        "derived foreign keys"
    );
    assert!(app.tables["orders"].privileges.owner.is_some());
    round_trip("rich", &rich, &opts);
}

/// A C function is written with its object file, as `pg_dump` writes it
/// (a language's handler is one); an aggregate with its clauses.
#[test]
fn c_functions_and_aggregates_are_rendered() {
    let db = TestDb::with_sql(
        "ddl_aggregate",
        "CREATE SCHEMA s; CREATE AGGREGATE s.total(integer) (SFUNC = int4pl, STYPE = integer, INITCOND = '0');
         CREATE FUNCTION s.c_fn() RETURNS language_handler LANGUAGE c
             AS '$libdir/plpgsql', 'plpgsql_call_handler';",
    );
    let schema = introspect(&db.url);
    let s = script::create_script(&pg(), &schema, &PgSchema::default());
    assert!(s.unsupported.is_empty(), "{:?}", s.unsupported);
    let text = script_text(&s.statements);
    assert!(
        text.contains("LANGUAGE c\n")
            && text.contains("AS '$libdir/plpgsql', 'plpgsql_call_handler'"),
        "{text}"
    );
    assert!(text.contains(
        "CREATE AGGREGATE s.total(integer) (\n    SFUNC = int4pl,\n    STYPE = integer,\n    INITCOND = '0'\n)"
    ));
}

#[test]
fn hazards_are_data() {
    let r = pg();
    let at = Name::new("care", "patients");
    assert!(table::drop(&r, at).has(Hazard::DataLoss));
    assert!(column::drop(&r, at, "born").has(Hazard::DataLoss));
    let e = schema::drop_extension(&r, "citext");
    assert!(e.has(Hazard::DataLoss));
    let json = serde_json::to_value(&e).unwrap();
    assert_eq!(json["hazards"][0], "data-loss");
}

/// Rows of one text column from a query with one text[] parameter.
fn query_texts(url: &str, sql: &str, param: Vec<String>) -> Vec<Vec<Option<String>>> {
    let (url, sql) = (url.to_string(), sql.to_string());
    std::thread::spawn(move || {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(async move {
                let (client, conn) = tokio_postgres::connect(&url, tokio_postgres::NoTls)
                    .await
                    .unwrap();
                let h = tokio::spawn(conn);
                let rows = client.query(&sql, &[&param]).await.unwrap();
                let out = rows
                    .iter()
                    .map(|r| {
                        (0..r.len())
                            .map(|i| r.get::<_, Option<String>>(i))
                            .collect()
                    })
                    .collect();
                drop(client);
                let _ = h.await;
                out
            })
    })
    .join()
    .unwrap()
}

#[test]
fn quoting_is_the_servers_quote_ident_and_quote_literal() {
    let r = pg();
    let url = common::server_url();
    let keywords = query_texts(
        &url,
        "SELECT word FROM pg_catalog.pg_get_keywords() \
         WHERE catcode <> 'U' AND $1::text[] IS NOT NULL ORDER BY word",
        vec![],
    );
    let server: Vec<String> = keywords
        .into_iter()
        .map(|r| r[0].clone().unwrap())
        .collect();
    let ours: Vec<&str> = schemadrift::ddl::postgres::quote::keywords(r.version).collect();
    assert_eq!(ours, server, "the keywords of PostgreSQL {}", r.version);

    let mut names: Vec<String> = [
        "plain",
        "Mixed",
        "with space",
        "1abc",
        "_x1",
        "a\"b",
        "é",
        "",
        "it's",
        r"back\slash",
        "name",
        "comment",
        "json",
        "system_user",
        "merge_action",
        "select",
        "user",
        "order",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    names.extend(server);
    let rows = query_texts(
        &url,
        "SELECT x, pg_catalog.quote_ident(x), pg_catalog.quote_literal(x) \
         FROM pg_catalog.unnest($1::text[]) x",
        names,
    );
    for row in rows {
        let x = row[0].clone().unwrap();
        assert_eq!(Some(r.ident(&x).into_owned()), row[1], "quote_ident({x:?})");
        assert_eq!(
            Some(schemadrift::ddl::postgres::quote::literal(&x)),
            row[2],
            "quote_literal({x:?})"
        );
    }
}

/// Changes in the JSON report's form, for messages.
fn wire(changes: &[schemadrift::diff::Change]) -> Vec<schemadrift::report::json::JsonChange> {
    changes.iter().map(Into::into).collect()
}
