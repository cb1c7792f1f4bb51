//! PostgreSQL DDL rendered from the model, proven by applying it.
//!
//! - Round trip: every fixture's schemas (base, base + drift, and both
//!   routes of each equivalence case) are read from a live database,
//!   rendered as one creation script, run into an empty database and read
//!   again: the diff must be empty both ways.
//! - Alters: each fixture's drifted database is brought back to its base
//!   with the per-object `create`, `drop`, `alter` and `rename` functions
//!   (a plain driver below, in a fixed order of kinds, not the fix-script
//!   builder), then diffed against the base: empty.
//!
//! Run one case with `SCHEMADRIFT_FIXTURE=name`; `SCHEMADRIFT_DDL_DUMP=1`
//! prints each creation script, and `--nocapture` the objects the alters
//! had to drop and create again.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use common::fixtures::{cases, fixtures_dir, introspect, introspect_with, read, run_all};
use common::TestDb;
use schemadrift::ddl::postgres::{
    column, constraint, function, index, policy, schema, script, sequence, table, trigger, types,
    view, Name, Pg,
};
use schemadrift::ddl::{Alter, Hazard, Statement};
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
                &db.url,
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
    let r = pg();
    let target = TestDb::new(&format!("rt_{label}"));
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
            serde_json::to_string_pretty(&changes).unwrap(),
            script_text(&s.statements)
        );
    }
}

#[test]
fn every_fixture_round_trips_through_its_creation_script() {
    let opts = schemadrift::postgres::Options::default();
    run_all(cases(&fixtures_dir(), "drift.sql"), |name, dir| {
        let db = TestDb::with_sql(&format!("{name}_src"), &read(&dir.join("base.sql")));
        round_trip(&format!("{name}_base"), &introspect(&db.url), &opts);
        db.exec(&read(&dir.join("drift.sql")));
        round_trip(&format!("{name}_drift"), &introspect(&db.url), &opts);
    });
}

#[test]
fn equivalent_routes_round_trip_through_their_creation_scripts() {
    let opts = schemadrift::postgres::Options::default();
    run_all(
        cases(&fixtures_dir().join("equivalent"), "a.sql"),
        |name, dir| {
            for side in ["a", "b"] {
                let sql = read(&dir.join(format!("{side}.sql")));
                let db = TestDb::with_sql(&format!("eq_{name}_{side}"), &sql);
                round_trip(&format!("eq_{name}_{side}"), &introspect(&db.url), &opts);
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

#[test]
fn aggregates_and_c_functions_are_reported_not_rendered() {
    let db = TestDb::with_sql(
        "ddl_aggregate",
        "CREATE SCHEMA s; CREATE AGGREGATE s.total(integer) (SFUNC = int4pl, STYPE = integer, INITCOND = '0');",
    );
    let schema = introspect(&db.url);
    let s = script::create_script(&pg(), &schema, &PgSchema::default());
    assert_eq!(s.unsupported.len(), 1, "{:?}", s.unsupported);
    assert!(s.unsupported[0].object.contains("s.total(integer)"));
    assert!(!script_text(&s.statements).contains("total"));
}

// ------------------------------------------------------------- alters --

/// The statements that bring `actual` back to `expected`, made of the
/// per-object functions only: drops of unexpected objects (dependants
/// first), renames, alters of objects on both sides, and creates of missing
/// ones (whole objects through `create_objects`, in dependency order; then
/// the parts of tables both sides have).
struct Fix<'a> {
    r: Pg,
    e: &'a PgSchema,
    a: &'a PgSchema,
    drops: Vec<Vec<Statement>>,
    early: Vec<Statement>,
    alters: Vec<Statement>,
    later: Vec<Statement>,
    owned: Vec<Statement>,
    /// Whole objects to create.
    missing: PgSchema,
    /// Tables whose columns end in another order than EXPECTED's: a
    /// column dropped in the middle and added again goes last, and
    /// PostgreSQL has no statement that moves a column (only a new table
    /// would have EXPECTED's order).
    reordered: BTreeSet<String>,
    /// Why objects were dropped and created again.
    recreated: Vec<String>,
}

type Policies = BTreeMap<String, Policy>;

/// Keys in `e` but not `a`, in both, in `a` but not `e`.
fn split<'m, V>(
    e: &'m BTreeMap<String, V>,
    a: &'m BTreeMap<String, V>,
) -> (Vec<&'m String>, Vec<&'m String>, Vec<&'m String>) {
    let missing = e.keys().filter(|k| !a.contains_key(*k)).collect();
    let both = e.keys().filter(|k| a.contains_key(*k)).collect();
    let extra = a.keys().filter(|k| !e.contains_key(*k)).collect();
    (missing, both, extra)
}

/// Pairs (missing, unexpected) whose values are equal once `key` strips
/// what a rename keeps apart (the comment).
fn renames<'m, V, K: PartialEq>(
    e: &'m BTreeMap<String, V>,
    a: &'m BTreeMap<String, V>,
    key: impl Fn(&V) -> K,
) -> Vec<(&'m String, &'m String)> {
    let (missing, _, extra) = split(e, a);
    let mut used = BTreeSet::new();
    let mut out = Vec::new();
    for m in missing {
        if let Some(x) = extra
            .iter()
            .find(|x| !used.contains(*x) && key(&a[**x]) == key(&e[m]))
        {
            used.insert(*x);
            out.push((m, *x));
        }
    }
    out
}

impl<'a> Fix<'a> {
    fn new(r: Pg, e: &'a PgSchema, a: &'a PgSchema) -> Fix<'a> {
        Fix {
            r,
            e,
            a,
            drops: vec![Vec::new(); 8],
            early: Vec::new(),
            alters: Vec::new(),
            later: Vec::new(),
            owned: Vec::new(),
            missing: PgSchema::default(),
            reordered: BTreeSet::new(),
            recreated: Vec::new(),
        }
    }

    fn take(&mut self, a: Alter) {
        if let Alter::Recreate { reason, .. } = &a {
            self.recreated.push(reason.clone());
        }
        self.alters.extend(a.into_statements());
    }

    /// Drop levels: 0 triggers and policies, 1 views, 2 foreign keys, 3
    /// other constraints and indexes, 4 columns, 5 tables, 6 sequences and
    /// functions, 7 types and schemas.
    fn drop(&mut self, level: usize, s: Statement) {
        self.drops[level].push(s);
    }

    fn run(mut self) -> (Vec<Statement>, BTreeSet<String>, Vec<String>) {
        let r = self.r;
        let (e, a) = (self.e, self.a);
        self.missing.extensions = e.extensions.clone();
        let mut existing = PgSchema {
            extensions: a.extensions.clone(),
            ..Default::default()
        };
        for (sn, es) in &e.schemas {
            let shell = Schema {
                comment: es.comment.clone(),
                privileges: es.privileges.clone(),
                ..Default::default()
            };
            self.missing.schemas.insert(sn.clone(), shell);
            if let Some(as_) = a.schemas.get(sn) {
                existing.schemas.insert(
                    sn.clone(),
                    Schema {
                        comment: as_.comment.clone(),
                        privileges: as_.privileges.clone(),
                        ..Default::default()
                    },
                );
                self.schema(sn, es, as_);
            } else {
                *self.missing.schemas.get_mut(sn).unwrap() = es.clone();
            }
        }
        for (sn, as_) in &a.schemas {
            if !e.schemas.contains_key(sn) {
                self.drop_contents(sn, as_);
                existing.schemas.insert(sn.clone(), Schema::default());
            }
        }
        let created = script::create_objects(&r, &self.missing, e, &existing);
        assert!(created.unsupported.is_empty(), "{:?}", created.unsupported);
        let mut out: Vec<Statement> = script::preamble();
        for level in self.drops {
            out.extend(level);
        }
        out.extend(self.early);
        out.extend(self.alters);
        out.extend(created.statements);
        out.extend(self.later);
        out.extend(self.owned);
        (out, self.reordered, self.recreated)
    }

    fn drop_contents(&mut self, sn: &str, s: &Schema) {
        let r = self.r;
        for n in s.views.keys() {
            self.drop(1, view::drop_view(&r, Name::new(sn, n)));
        }
        for n in s.materialized_views.keys() {
            self.drop(1, view::drop_materialized_view(&r, Name::new(sn, n)));
        }
        for (n, t) in &s.tables {
            // Partitions go with their parent.
            if t.partition_of.is_none() {
                self.drop(5, table::drop(&r, Name::new(sn, n)));
            }
        }
        for (n, q) in &s.sequences {
            if q.owned_by.is_none() {
                self.drop(6, sequence::drop(&r, Name::new(sn, n)));
            }
        }
        for (k, f) in &s.functions {
            self.drop(6, function::drop(&r, sn, k, f));
        }
        for n in s.domains.keys() {
            self.drop(7, types::drop_domain(&r, Name::new(sn, n)));
        }
        for n in s.composite_types.keys().chain(s.enums.keys()) {
            self.drop(7, types::drop_type(&r, Name::new(sn, n)));
        }
    }

    fn schema(&mut self, sn: &str, e: &Schema, a: &Schema) {
        let r = self.r;
        self.types(
            sn,
            &e.enums,
            &a.enums,
            |s| &mut s.enums,
            types::alter_enum,
            types::drop_type,
        );
        self.types(
            sn,
            &e.domains,
            &a.domains,
            |s| &mut s.domains,
            types::alter_domain,
            types::drop_domain,
        );
        self.types(
            sn,
            &e.composite_types,
            &a.composite_types,
            |s| &mut s.composite_types,
            types::alter_composite,
            types::drop_type,
        );
        // Sequences: a rename keeps the options and the owner.
        let seq_key = |q: &Sequence| Sequence {
            comment: None,
            ..q.clone()
        };
        let renamed = renames(&e.sequences, &a.sequences, seq_key);
        for (to, from) in &renamed {
            self.alters
                .push(sequence::rename(&r, Name::new(sn, from), to));
            self.take(sequence::alter(
                &r,
                Name::new(sn, to),
                &e.sequences[*to],
                &a.sequences[*from],
            ));
        }
        let (missing, both, extra) = split(&e.sequences, &a.sequences);
        for n in missing
            .into_iter()
            .filter(|n| !renamed.iter().any(|(t, _)| t == n))
        {
            // Before a column's default can use it; owned once the column is there.
            let q = &e.sequences[n];
            self.early.extend(sequence::create(&r, Name::new(sn, n), q));
            if let Some(o) = &q.owned_by {
                self.owned
                    .push(sequence::owned_by(&r, Name::new(sn, n), Some(o)));
            }
        }
        for n in both {
            self.take(sequence::alter(
                &r,
                Name::new(sn, n),
                &e.sequences[n],
                &a.sequences[n],
            ));
        }
        for n in extra
            .into_iter()
            .filter(|n| !renamed.iter().any(|(_, f)| f == n))
        {
            let q = &a.sequences[n];
            // A sequence owned by a column goes with the column.
            let owner_goes = q.owned_by.as_ref().is_some_and(|o| !self.column_kept(o));
            if !owner_goes {
                self.drop(6, sequence::drop(&r, Name::new(sn, n)));
            }
        }
        let (missing, both, extra) = split(&e.functions, &a.functions);
        for k in missing {
            self.m(sn)
                .functions
                .insert(k.clone(), e.functions[k].clone());
        }
        for k in both {
            self.take(function::alter(&r, sn, k, &e.functions[k], &a.functions[k]).unwrap());
        }
        for k in extra {
            self.drop(6, function::drop(&r, sn, k, &a.functions[k]));
        }
        let (missing, both, extra) = split(&e.tables, &a.tables);
        for n in missing {
            self.missing
                .schemas
                .get_mut(sn)
                .unwrap()
                .tables
                .insert(n.clone(), e.tables[n].clone());
        }
        for n in both {
            self.table(sn, n, &e.tables[n], &a.tables[n]);
        }
        for n in extra {
            if a.tables[n]
                .partition_of
                .as_ref()
                .is_none_or(|p| self.e_has_table(&p.parent))
            {
                self.drop(5, table::drop(&r, Name::new(sn, n)));
            }
        }
        let (missing, both, extra) = split(&e.views, &a.views);
        for n in missing {
            self.m(sn).views.insert(n.clone(), e.views[n].clone());
        }
        for n in both {
            let at = Name::new(sn, n);
            let (ev, av) = (&e.views[n], &a.views[n]);
            let alter = view::alter_view(&r, at, ev, av);
            let recreated = matches!(alter, Alter::Recreate { .. });
            self.take(alter);
            if !recreated {
                self.children(at, &ev.triggers, &av.triggers, None);
            }
        }
        for n in extra {
            self.drop(1, view::drop_view(&r, Name::new(sn, n)));
        }
        let (missing, both, extra) = split(&e.materialized_views, &a.materialized_views);
        for n in missing {
            self.m(sn)
                .materialized_views
                .insert(n.clone(), e.materialized_views[n].clone());
        }
        for n in both {
            let at = Name::new(sn, n);
            let (em, am) = (&e.materialized_views[n], &a.materialized_views[n]);
            let alter = view::alter_materialized_view(&r, at, em, am);
            let recreated = matches!(alter, Alter::Recreate { .. });
            self.take(alter);
            if !recreated {
                self.indexes(at, &em.indexes, &am.indexes, None);
            }
        }
        for n in extra {
            self.drop(1, view::drop_materialized_view(&r, Name::new(sn, n)));
        }
    }

    /// Types of one kind: missing ones to create, others altered or dropped.
    fn types<V: Clone>(
        &mut self,
        sn: &str,
        e: &BTreeMap<String, V>,
        a: &BTreeMap<String, V>,
        put: fn(&mut Schema) -> &mut BTreeMap<String, V>,
        alter: fn(&Pg, Name, &V, &V) -> Alter,
        drop: fn(&Pg, Name) -> Statement,
    ) {
        let r = self.r;
        let (missing, both, extra) = split(e, a);
        for n in missing {
            put(self.m(sn)).insert(n.clone(), e[n].clone());
        }
        for n in both {
            self.take(alter(&r, Name::new(sn, n), &e[n], &a[n]));
        }
        for n in extra {
            self.drop(7, drop(&r, Name::new(sn, n)));
        }
    }

    /// The part of schema `sn` to create.
    fn m(&mut self, sn: &str) -> &mut Schema {
        self.missing.schemas.get_mut(sn).unwrap()
    }

    fn e_has_table(&self, qualified: &str) -> bool {
        let Some((s, t)) = qualified.split_once('.') else {
            return false;
        };
        self.e
            .schemas
            .get(s)
            .is_some_and(|x| x.tables.contains_key(t))
    }

    /// Whether column `schema.table.column` (as `owned_by` names it) is in
    /// EXPECTED too.
    fn column_kept(&self, owner: &str) -> bool {
        let parts: Vec<&str> = owner.split('.').collect();
        parts.len() == 3
            && self.e.schemas.get(parts[0]).is_some_and(|s| {
                s.tables
                    .get(parts[1])
                    .is_some_and(|t| t.columns.iter().any(|c| c.name == parts[2]))
            })
    }

    fn table(&mut self, sn: &str, n: &str, e: &Table, a: &Table) {
        let r = self.r;
        let at = Name::new(sn, n);
        let common_order = |x: &Table, y: &Table| -> Vec<String> {
            x.columns
                .iter()
                .filter(|c| y.columns.iter().any(|d| d.name == c.name))
                .map(|c| c.name.clone())
                .collect()
        };
        if matches!(table::alter(&r, at, e, a), Alter::Recreate { .. })
            || common_order(e, a) != common_order(a, e)
        {
            // No alter (a new partition key, or a new column order): a new table.
            self.drop(5, table::drop(&r, at));
            self.missing
                .schemas
                .get_mut(sn)
                .unwrap()
                .tables
                .insert(n.to_string(), e.clone());
            return;
        }
        let kept: Vec<&str> = a
            .columns
            .iter()
            .filter(|c| e.columns.iter().any(|x| x.name == c.name))
            .chain(
                e.columns
                    .iter()
                    .filter(|c| !a.columns.iter().any(|x| x.name == c.name)),
            )
            .map(|c| c.name.as_str())
            .collect();
        if kept
            != e.columns
                .iter()
                .map(|c| c.name.as_str())
                .collect::<Vec<_>>()
        {
            self.reordered.insert(format!("{sn}.{n}"));
        }
        // Columns: dropped, altered, added.
        for c in &a.columns {
            if !e.columns.iter().any(|x| x.name == c.name) {
                self.drop(4, column::drop(&r, at, &c.name));
            }
        }
        for c in &e.columns {
            match a.columns.iter().find(|x| x.name == c.name) {
                Some(old) => self.take(column::alter(&r, at, c, old)),
                None => self.alters.extend(column::add(&r, at, c)),
            }
        }
        // Out of its hierarchy before its columns change; the table's own
        // attributes, and back in, once they are right.
        self.drops[0].extend(table::unlink(&r, at, e, a));
        let mut no_links = e.clone();
        no_links.partition_of = a.partition_of.clone();
        no_links.inherits = a.inherits.clone();
        self.take(table::alter(&r, at, &no_links, a));
        self.later.extend(table::link(&r, at, e, a));
        // Constraints: renamed, dropped, altered, added (foreign keys last).
        let con_key = |c: &Constraint| Constraint {
            comment: None,
            ..c.clone()
        };
        let renamed = renames(&e.constraints, &a.constraints, con_key);
        for (to, from) in &renamed {
            self.alters.push(constraint::rename(&r, at, from, to));
            self.take(constraint::alter(
                &r,
                at,
                to,
                &e.constraints[*to],
                &a.constraints[*from],
            ));
        }
        let (missing, both, extra) = split(&e.constraints, &a.constraints);
        for k in extra
            .into_iter()
            .filter(|k| !renamed.iter().any(|(_, f)| f == k))
        {
            let level = if a.constraints[k].kind == ConstraintKind::ForeignKey {
                2
            } else {
                3
            };
            self.drop(level, constraint::drop(&r, at, k));
        }
        for k in both {
            self.take(constraint::alter(
                &r,
                at,
                k,
                &e.constraints[k],
                &a.constraints[k],
            ));
        }
        let mut fks = Vec::new();
        for k in missing
            .into_iter()
            .filter(|k| !renamed.iter().any(|(t, _)| t == k))
        {
            let st = constraint::create(&r, at, k, &e.constraints[k]);
            if e.constraints[k].kind == ConstraintKind::ForeignKey {
                fks.extend(st);
            } else {
                self.later.extend(st);
            }
        }
        self.indexes(at, &e.indexes, &a.indexes, Some(&e.columns));
        self.later.extend(fks);
        self.children(
            at,
            &e.triggers,
            &a.triggers,
            Some((&e.policies, &a.policies)),
        );
    }

    fn indexes(
        &mut self,
        at: Name,
        e: &BTreeMap<String, Index>,
        a: &BTreeMap<String, Index>,
        columns: Option<&[Column]>,
    ) {
        let r = self.r;
        let key = |x: &Index| Index {
            comment: None,
            ..x.clone()
        };
        let renamed = renames(e, a, key);
        for (to, from) in &renamed {
            self.alters.push(index::rename(&r, at.schema, from, to));
            self.take(index::alter(&r, at, to, &e[*to], &a[*from], columns));
        }
        let (missing, both, extra) = split(e, a);
        for k in extra
            .into_iter()
            .filter(|k| !renamed.iter().any(|(_, f)| f == k))
        {
            self.drop(3, index::drop(&r, at.schema, k));
        }
        for k in both {
            self.take(index::alter(&r, at, k, &e[k], &a[k], columns));
        }
        for k in missing
            .into_iter()
            .filter(|k| !renamed.iter().any(|(t, _)| t == k))
        {
            self.later.extend(index::create(&r, at, k, &e[k], columns));
        }
    }

    fn children(
        &mut self,
        at: Name,
        e: &BTreeMap<String, Trigger>,
        a: &BTreeMap<String, Trigger>,
        policies: Option<(&Policies, &Policies)>,
    ) {
        let r = self.r;
        let (missing, both, extra) = split(e, a);
        for k in extra {
            self.drop(0, trigger::drop(&r, at, k));
        }
        for k in both {
            self.take(trigger::alter(&r, at, k, &e[k], &a[k]));
        }
        for k in missing {
            self.later.extend(trigger::create(&r, at, k, &e[k]));
        }
        if let Some((e, a)) = policies {
            let (missing, both, extra) = split(e, a);
            for k in extra {
                self.drop(0, policy::drop(&r, at, k));
            }
            for k in both {
                self.take(policy::alter(&r, at, k, &e[k], &a[k]));
            }
            for k in missing {
                self.later.extend(policy::create(&r, at, k, &e[k]));
            }
        }
    }
}

/// Why objects were recreated, and in which fixtures (printed with
/// `--nocapture`).
static RECREATED: std::sync::Mutex<BTreeMap<String, Vec<String>>> =
    std::sync::Mutex::new(BTreeMap::new());

#[test]
fn every_drift_is_undone_by_the_rendered_statements() {
    run_all(cases(&fixtures_dir(), "drift.sql"), |name, dir| {
        let base_sql = read(&dir.join("base.sql"));
        let base_db = TestDb::with_sql(&format!("{name}_want"), &base_sql);
        let drift_db = TestDb::with_sql(&format!("{name}_undo"), &base_sql);
        drift_db.exec(&read(&dir.join("drift.sql")));
        let expected = introspect(&base_db.url);
        let actual = introspect(&drift_db.url);
        let (statements, reordered, recreated) = Fix::new(pg(), &expected, &actual).run();
        let mut log = RECREATED.lock().unwrap();
        for why in recreated {
            log.entry(why).or_default().push(name.to_string());
        }
        if !reordered.is_empty() {
            log.entry("(column order left as is)".into())
                .or_default()
                .push(name.to_string());
        }
        drop(log);
        if let Err(e) = apply(&drift_db.url, &statements) {
            panic!(
                "{name}: {e}\n--- statements ---\n{}",
                script_text(&statements)
            );
        }
        let fixed = introspect(&drift_db.url);
        let mut left = diff(&expected, &fixed);
        left.retain(|c| !(c.code == "column-order-changed" && reordered.contains(&c.object)));
        assert!(
            left.is_empty(),
            "{name}: still differs:\n{}\n--- statements ---\n{}",
            serde_json::to_string_pretty(&left).unwrap(),
            script_text(&statements)
        );
    });
    for (why, fixtures) in RECREATED.lock().unwrap().iter() {
        eprintln!("recreated for {why}: {}", fixtures.join(", "));
    }
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
