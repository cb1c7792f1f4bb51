#!/usr/bin/env python3
"""Synthetic PostgreSQL schemas for scripts/bench.sh (standard library only).

    gen_schema.py --tables N --seed S --out DIR

writes, for a schema of N tables spread over 5 schemas:

    DIR/base.sql       the schema (run with psql --single-transaction)
    DIR/drift.sql      about 20 drifts of different kinds, applied to a copy
    DIR/expected.tsv   the drifts: change code <TAB> object <TAB> what was done
    DIR/stats.json     how many objects of each kind were generated

The same N and seed always give the same bytes. Proportions per 10,000 tables
follow the reference schema of issue 7: about 117,000 columns, 40,000
indexes, 42,000 constraints, 1,250 views (1,000 views, 250 materialized),
1,000 functions, 4,000 triggers and 1,500 policies, plus enums, domains,
composite types, standalone sequences, partitioned tables and comments.
"""

import argparse
import json
import os
import random

SCHEMAS = ["app", "billing", "inventory", "crm", "reporting"]

NOUNS = (
    "account address asset batch booking campaign carrier category channel "
    "claim contact contract coupon customer delivery device discount document "
    "employee event feature feedback invoice item journal ledger lead license "
    "location lot message note order package partner payment payout permit "
    "plan policy price product profile project promotion quote receipt refund "
    "region release report request reservation return review route schedule "
    "segment session shipment sku store subscription supplier survey task "
    "team tenant ticket transfer trip unit user vendor visit voucher warehouse "
    "webhook workflow zone"
).split()

ATTRS = (
    "name title label code slug email phone status kind state currency "
    "amount total balance price quantity weight height width depth score "
    "rating rank priority level version revision notes description summary "
    "reference external_ref source origin target country city postal_code "
    "street latitude longitude opened_at closed_at starts_at ends_at due_on "
    "paid_at shipped_at approved_at expires_at verified locked archived "
    "tags flags metadata settings payload attributes checksum token ip_addr "
    "user_agent duration retries attempts color size margin discount tax "
    "fee cost budget limit_value threshold ratio percent sequence_no"
).split()

ENUM_WORDS = (
    "draft pending active paused suspended closed cancelled archived "
    "approved rejected shipped delivered returned refunded low medium high "
    "critical new open resolved escalated trial basic pro enterprise"
).split()


def q(s):
    """A SQL string literal."""
    return "'" + s.replace("'", "''") + "'"


class Col:
    def __init__(self, name, typ, kind, not_null=False, default=None, extra=""):
        self.name = name
        self.typ = typ  # SQL type text
        self.kind = kind  # str num int bool ts date time uuid json arr enum other
        self.not_null = not_null
        self.default = default
        self.extra = extra  # e.g. GENERATED ... AS IDENTITY
        self.used = False  # referenced by an index, constraint, view, policy...

    def sql(self):
        s = f"{self.name} {self.typ}"
        if self.extra:
            s += " " + self.extra
        if self.default is not None:
            s += f" DEFAULT {self.default}"
        if self.not_null:
            s += " NOT NULL"
        return s


class Table:
    def __init__(self, schema, name):
        self.schema = schema
        self.name = name
        self.cols = []
        self.pk_type = "bigint"
        self.pk_kind = "identity"
        self.checks = []  # (name, expr)
        self.uniques = []  # (name, [cols])
        self.fks = []  # dict
        self.indexes = []  # dict(name, sql, unique, kind)
        self.triggers = []  # (name, sql)
        self.policies = []  # dict(name, sql, alt_sql)
        self.rls = False
        self.force_rls = False
        self.comment = None
        self.referenced = False  # an FK points at it
        self.dependents = False  # views, functions or drift picks use it
        self.partitioned = False
        self.has_updated_at = False
        self.has_tenant = False
        self.drifted = False

    @property
    def qname(self):
        return f"{self.schema}.{self.name}"

    def col(self, name):
        for c in self.cols:
            if c.name == name:
                return c
        return None

    def new_col_name(self, base):
        name = base
        i = 2
        while self.col(name) is not None:
            name = f"{base}_{i}"
            i += 1
        return name


class Gen:
    def __init__(self, n, seed):
        self.n = n
        self.rng = random.Random(seed * 1_000_003 + n)
        self.out = []
        self.tables = []
        self.enums = {}  # qname -> labels
        self.domains = []  # (qname, kind, typ)
        self.sequences = []  # qname
        self.views = []  # dict
        self.matviews = []  # dict
        self.functions = []  # dict
        self.trigger_functions = {}  # schema -> dict(kind -> qname)
        self.stats = {}
        self.drift = []
        self.expected = []

    # ------------------------------------------------------------ helpers --
    def emit(self, s):
        self.out.append(s)

    def count(self, what, k=1):
        self.stats[what] = self.stats.get(what, 0) + k

    def scaled(self, per_10k, minimum):
        return max(minimum, round(self.n * per_10k / 10000))

    # ---------------------------------------------------------------- run --
    def run(self):
        r = self.rng
        self.emit("-- generated by scripts/bench/gen_schema.py; do not edit")
        self.emit("SET client_min_messages = warning;")
        self.emit("SET check_function_bodies = on;")
        self.emit(
            "DO $$ BEGIN\n"
            "  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'bench_app') THEN CREATE ROLE bench_app; END IF;\n"
            "  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'bench_admin') THEN CREATE ROLE bench_admin; END IF;\n"
            "END $$;"
        )
        for s in SCHEMAS:
            self.emit(f"CREATE SCHEMA {s};")
            self.emit(f"COMMENT ON SCHEMA {s} IS {q('the ' + s + ' domain')};")
        self.types()
        self.trigger_funcs()
        self.make_tables()
        self.make_fks()
        for t in self.tables:
            self.emit_table(t)
        self.partitioned()
        for t in self.tables:
            self.emit_indexes(t)
        for t in self.tables:
            for fk in t.fks:
                self.emit(fk["sql"])
        self.make_views()
        self.make_functions()
        self.make_triggers()
        self.make_policies()
        self.make_comments()
        self.stats["tables"] = len(self.tables) + self.stats.get("partition_tables", 0)

    # -------------------------------------------------------------- types --
    def types(self):
        r = self.rng
        n_enums = self.scaled(200, 5)
        for i in range(n_enums):
            s = SCHEMAS[i % len(SCHEMAS)]
            labels = r.sample(ENUM_WORDS, r.randint(3, 8))
            name = f"{s}.{r.choice(NOUNS)}_{r.choice(['status', 'kind', 'tier', 'level', 'state'])}_{i:03d}"
            self.enums[name] = labels
            self.emit(f"CREATE TYPE {name} AS ENUM ({', '.join(q(l) for l in labels)});")
            self.count("enums")
        n_domains = self.scaled(20, 2)
        for i in range(n_domains):
            s = SCHEMAS[i % len(SCHEMAS)]
            if i % 2 == 0:
                name = f"{s}.email_{i:02d}"
                self.emit(
                    f"CREATE DOMAIN {name} AS text COLLATE \"C\" "
                    f"CONSTRAINT {'email_' + str(i) + '_format'} CHECK (VALUE ~ '^[^@ ]+@[^@ ]+$');"
                )
                self.domains.append((name, "str"))
            else:
                name = f"{s}.money_{i:02d}"
                self.emit(
                    f"CREATE DOMAIN {name} AS numeric(14,2) DEFAULT 0 NOT NULL "
                    f"CONSTRAINT {'money_' + str(i) + '_positive'} CHECK (VALUE >= 0);"
                )
                self.domains.append((name, "num"))
            self.count("domains")
        for i in range(self.scaled(10, 2)):
            s = SCHEMAS[i % len(SCHEMAS)]
            self.emit(
                f"CREATE TYPE {s}.address_{i:02d} AS (street text, city varchar(80), "
                f"postal_code char(5), country char(2), geo point);"
            )
            self.count("composite_types")
        for i in range(self.scaled(100, 2)):
            s = SCHEMAS[i % len(SCHEMAS)]
            name = f"{s}.{r.choice(NOUNS)}_number_seq_{i:03d}"
            start = r.choice([1, 1000, 100000])
            inc = r.choice([1, 1, 1, 10])
            cache = r.choice([1, 1, 20])
            cyc = " CYCLE" if i % 7 == 3 else ""
            self.emit(
                f"CREATE SEQUENCE {name} AS bigint START WITH {start} INCREMENT BY {inc} "
                f"CACHE {cache}{cyc};"
            )
            self.sequences.append(name)
            self.count("sequences")

    def trigger_funcs(self):
        for s in SCHEMAS:
            fs = {}
            fs["touch"] = f"{s}.set_updated_at"
            self.emit(
                f"CREATE FUNCTION {s}.set_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$\n"
                "BEGIN\n  NEW.updated_at := now();\n  RETURN NEW;\nEND\n$$;"
            )
            fs["audit"] = f"{s}.audit_row"
            self.emit(
                f"CREATE FUNCTION {s}.audit_row() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER "
                "SET search_path = pg_catalog AS $$\n"
                "BEGIN\n"
                "  PERFORM pg_notify('audit', TG_TABLE_SCHEMA || '.' || TG_TABLE_NAME || ':' || TG_OP\n"
                "                   || coalesce(':' || TG_ARGV[0], ''));\n"
                "  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;\n"
                "  RETURN NEW;\nEND\n$$;"
            )
            fs["guard"] = f"{s}.guard_change"
            self.emit(
                f"CREATE FUNCTION {s}.guard_change() RETURNS trigger LANGUAGE plpgsql AS $$\n"
                "BEGIN\n"
                "  IF current_setting('app.read_only', true) = 'on' THEN\n"
                "    RAISE EXCEPTION 'read-only: % on %', TG_OP, TG_TABLE_NAME;\n"
                "  END IF;\n"
                "  RETURN NEW;\nEND\n$$;"
            )
            fs["stmt"] = f"{s}.notify_statement"
            self.emit(
                f"CREATE FUNCTION {s}.notify_statement() RETURNS trigger LANGUAGE plpgsql AS $$\n"
                "BEGIN\n  PERFORM pg_notify('changes', TG_TABLE_NAME);\n  RETURN NULL;\nEND\n$$;"
            )
            fs["batch"] = f"{s}.count_new_rows"
            self.emit(
                f"CREATE FUNCTION {s}.count_new_rows() RETURNS trigger LANGUAGE plpgsql AS $$\n"
                "DECLARE n bigint;\nBEGIN\n"
                "  SELECT count(*) INTO n FROM new_rows;\n"
                "  RAISE DEBUG '% new rows in %', n, TG_TABLE_NAME;\n"
                "  RETURN NULL;\nEND\n$$;"
            )
            self.trigger_functions[s] = fs
            self.count("functions", len(fs))

    # ------------------------------------------------------------- tables --
    def rand_type(self, t):
        r = self.rng
        x = r.random()
        if x < 0.20:
            n = r.choice([16, 32, 64, 100, 120, 255])
            return f"varchar({n})", "str", None
        if x < 0.30:
            return "text", "str", r.choice([None, None, "''::text"])
        if x < 0.33:
            return f"char({r.choice([2, 3])})", "str", None
        if x < 0.43:
            p, s = r.choice([(10, 2), (12, 4), (18, 6), (5, 0), (14, 2)])
            return f"numeric({p},{s})", "num", r.choice([None, "0"])
        if x < 0.51:
            return r.choice(["integer", "bigint", "smallint"]), "int", r.choice([None, "0", "1"])
        if x < 0.54:
            return r.choice(["double precision", "real"]), "num", None
        if x < 0.60:
            return "boolean", "bool", r.choice(["false", "true", None])
        if x < 0.69:
            return r.choice(["timestamptz", "timestamptz", "timestamp(3) without time zone"]), "ts", r.choice([None, None, "now()"])
        if x < 0.72:
            return "date", "date", r.choice([None, "CURRENT_DATE"])
        if x < 0.73:
            return "time(0) without time zone", "time", None
        if x < 0.75:
            return "interval", "other", None
        if x < 0.78:
            return "uuid", "uuid", r.choice([None, "gen_random_uuid()"])
        if x < 0.84:
            return "jsonb", "json", r.choice([None, "'{}'::jsonb"])
        if x < 0.88:
            return r.choice(["text[]", "integer[]", "varchar(40)[]"]), "arr", r.choice([None, "'{}'"])
        if x < 0.94:
            e = r.choice(list(self.enums))
            return e, "enum", r.choice([None, q(self.enums[e][0]) + "::" + e])
        if x < 0.96 and self.domains:
            d, kind = r.choice(self.domains)
            return d, kind if kind == "str" else "domain", None
        if x < 0.98:
            return r.choice(["inet", "bytea", "tsvector"]), "other", None
        if x < 0.99 and self.sequences:
            return "bigint", "int", f"nextval({q(r.choice(self.sequences))}::regclass)"
        return f"{r.choice(['numeric', 'varchar(32)', 'int4range', 'tstzrange'])}", "other", None

    def make_tables(self):
        r = self.rng
        n_part = max(1, self.n // 1000)
        n_regular = self.n - n_part * 5  # parents + 4 partitions each
        for i in range(n_regular):
            s = SCHEMAS[r.choices(range(len(SCHEMAS)), weights=[30, 20, 20, 20, 10])[0]]
            t = Table(s, f"{r.choice(NOUNS)}_{i:05d}")
            x = r.random()
            if x < 0.70:
                gen = r.choice(["ALWAYS", "BY DEFAULT"])
                opts = r.choice(["", "", " (START WITH 1000 INCREMENT BY 1)", " (CACHE 10)"])
                t.cols.append(Col("id", "bigint", "int", True, None, f"GENERATED {gen} AS IDENTITY{opts}"))
                t.pk_type, t.pk_kind = "bigint", "identity"
            elif x < 0.85:
                t.cols.append(Col("id", "bigserial", "int"))
                t.pk_type, t.pk_kind = "bigint", "serial"
            else:
                t.cols.append(Col("id", "uuid", "uuid", True, "gen_random_uuid()"))
                t.pk_type, t.pk_kind = "uuid", "uuid"
            t.cols[0].used = True
            if r.random() < 0.30:
                t.has_tenant = True
                c = Col("tenant_id", "bigint", "int", True)
                c.used = True
                t.cols.append(c)
            for _ in range(r.randint(2, 13)):
                typ, kind, default = self.rand_type(t)
                name = t.new_col_name(r.choice(ATTRS))
                nn = r.random() < 0.35 or (default is not None and r.random() < 0.6)
                t.cols.append(Col(name, typ, kind, nn, default))
            t.cols.append(Col("created_at", "timestamptz", "ts", True, "now()"))
            if r.random() < 0.6:
                t.has_updated_at = True
                t.cols.append(Col("updated_at", "timestamptz", "ts"))
            if r.random() < 0.15:
                t.cols.append(Col("deleted_at", "timestamptz", "ts"))
            self.tables.append(t)
        self.n_part = n_part

    def make_fks(self):
        r = self.rng
        for t in self.tables:
            n = r.choices([0, 1, 2, 3, 4], weights=[20, 30, 25, 15, 10])[0]
            for k in range(n):
                if r.random() < 0.05:
                    ref = t
                    cname = t.new_col_name("parent_id")
                else:
                    ref = r.choice(self.tables)
                    cname = t.new_col_name(ref.name.split("_")[0] + "_id")
                on_delete = r.choices(
                    ["NO ACTION", "CASCADE", "RESTRICT", "SET NULL"], weights=[40, 25, 15, 20]
                )[0]
                on_update = r.choices(["NO ACTION", "CASCADE"], weights=[80, 20])[0]
                not_null = on_delete != "SET NULL" and r.random() < 0.5
                c = Col(cname, ref.pk_type, "fk", not_null)
                c.used = True
                t.cols.insert(len(t.cols) - 1, c)
                ref.referenced = True
                name = f"{t.name}_{cname}_fkey"
                deferrable = " DEFERRABLE INITIALLY DEFERRED" if r.random() < 0.05 else ""
                fk = dict(name=name, col=cname, ref=ref, on_delete=on_delete, on_update=on_update,
                          deferrable=deferrable)
                fk["sql"] = self.fk_sql(t, fk, on_delete)
                t.fks.append(fk)
                self.count("foreign_keys")
                if r.random() < 0.6:
                    t.indexes.append(dict(name=f"{t.name}_{cname}_idx", kind="fk",
                                          sql=f"CREATE INDEX {t.name}_{cname}_idx ON {t.qname} ({cname});"))

    def fk_sql(self, t, fk, on_delete):
        upd = f" ON UPDATE {fk['on_update']}" if fk["on_update"] != "NO ACTION" else ""
        dele = f" ON DELETE {on_delete}" if on_delete != "NO ACTION" else ""
        return (f"ALTER TABLE {t.qname} ADD CONSTRAINT {fk['name']} FOREIGN KEY ({fk['col']}) "
                f"REFERENCES {fk['ref'].qname} (id){upd}{dele}{fk['deferrable']};")

    def emit_table(self, t):
        r = self.rng
        parts = [c.sql() for c in t.cols]
        parts.append(f"CONSTRAINT {t.name}_pkey PRIMARY KEY (id)")
        self.count("columns", len(t.cols))
        # checks: about 1.2 per table
        candidates = [c for c in t.cols if c.kind in ("num", "int", "str", "date") and not c.used]
        r.shuffle(candidates)
        n_checks = r.choices([0, 1, 2, 3], weights=[25, 40, 25, 10])[0]
        for c in candidates[:n_checks]:
            if c.kind == "num":
                expr = f"{c.name} >= 0"
            elif c.kind == "int":
                expr = r.choice([f"{c.name} >= 0", f"{c.name} BETWEEN 0 AND 1000000"])
            elif c.kind == "str":
                expr = r.choice([f"{c.name} <> ''", f"char_length({c.name}) <= 200"])
            else:
                expr = f"{c.name} > '2000-01-01'::date"
            c.used = True
            t.checks.append((f"{t.name}_{c.name}_check", expr))
        if t.has_updated_at and r.random() < 0.2:
            t.checks.append((f"{t.name}_updated_check", "updated_at IS NULL OR updated_at >= created_at"))
        for name, expr in t.checks:
            parts.append(f"CONSTRAINT {name} CHECK ({expr})")
        self.count("checks", len(t.checks))
        # uniques: about 0.5 per table
        if r.random() < 0.45:
            cands = [c for c in t.cols if c.kind in ("str", "uuid", "int") and not c.used]
            if cands:
                c = r.choice(cands)
                c.used = True
                cols = ["tenant_id", c.name] if t.has_tenant else [c.name]
                name = f"{t.name}_{c.name}_key"
                t.uniques.append((name, cols))
                parts.append(f"CONSTRAINT {name} UNIQUE ({', '.join(cols)})")
                self.count("uniques")
        self.emit(f"CREATE TABLE {t.qname} (\n    " + ",\n    ".join(parts) + "\n);")
        if r.random() < 0.04:
            self.emit(f"ALTER TABLE {t.qname} SET (fillfactor = 90, autovacuum_vacuum_scale_factor = 0.05);")

    def partitioned(self):
        r = self.rng
        for i in range(self.n_part):
            s = SCHEMAS[i % len(SCHEMAS)]
            name = f"{s}.event_log_{i:03d}"
            e = r.choice(list(self.enums))
            self.emit(
                f"CREATE TABLE {name} (\n"
                "    id bigint GENERATED ALWAYS AS IDENTITY,\n"
                "    occurred_at timestamptz NOT NULL DEFAULT now(),\n"
                f"    kind {e},\n"
                "    actor varchar(120),\n"
                "    payload jsonb NOT NULL DEFAULT '{}'::jsonb,\n"
                f"    CONSTRAINT event_log_{i:03d}_pkey PRIMARY KEY (id, occurred_at)\n"
                ") PARTITION BY RANGE (occurred_at);"
            )
            self.emit(f"CREATE INDEX event_log_{i:03d}_actor_idx ON {name} (actor, occurred_at DESC);")
            for qn in range(4):
                lo = f"2024-{3 * qn + 1:02d}-01"
                hi = f"2025-01-01" if qn == 3 else f"2024-{3 * qn + 4:02d}-01"
                self.emit(
                    f"CREATE TABLE {name}_q{qn + 1} PARTITION OF {name} "
                    f"FOR VALUES FROM ('{lo}') TO ('{hi}');"
                )
            self.count("partitioned_tables")
            self.count("partition_tables", 4 + 1)
            self.count("columns", 5 * 5)

    # ------------------------------------------------------------ indexes --
    def emit_indexes(self, t):
        r = self.rng
        n_extra = r.choices([0, 1, 2, 3, 4], weights=[15, 30, 30, 15, 10])[0]
        cols = t.cols[1:]
        for k in range(n_extra):
            c = r.choice(cols)
            x = r.random()
            name = f"{t.name}_x{k}_idx"
            if c.kind == "json" and x < 0.7:
                sql = f"CREATE INDEX {name} ON {t.qname} USING gin ({c.name} jsonb_path_ops);"
                kind = "gin"
            elif c.kind == "arr" and x < 0.7:
                sql = f"CREATE INDEX {name} ON {t.qname} USING gin ({c.name});"
                kind = "gin"
            elif c.kind == "str" and c.typ not in ("text[]",) and x < 0.4:
                sql = f"CREATE INDEX {name} ON {t.qname} (lower({c.name}::text));"
                kind = "expression"
            elif x < 0.55:
                other = r.choice(cols)
                if other is c or other.kind in ("json", "arr", "other"):
                    other = t.cols[0]
                sql = f"CREATE INDEX {name} ON {t.qname} ({c.name}, {other.name} DESC);"
                other.used = True
                kind = "multi"
            elif x < 0.80:
                pred = "deleted_at IS NULL" if t.col("deleted_at") else f"{c.name} IS NOT NULL"
                sql = f"CREATE INDEX {name} ON {t.qname} (created_at DESC) WHERE {pred};"
                t.col("created_at").used = True
                kind = "partial"
            elif x < 0.90 and c.kind == "ts":
                sql = f"CREATE INDEX {name} ON {t.qname} USING brin ({c.name});"
                kind = "brin"
            else:
                sql = f"CREATE INDEX {name} ON {t.qname} ({c.name}) INCLUDE (created_at);"
                kind = "include"
            if c.kind in ("json", "arr", "other") and kind not in ("gin",):
                # no btree opclass for some of these: index created_at instead
                sql = f"CREATE INDEX {name} ON {t.qname} (created_at, id);"
                kind = "multi"
            else:
                c.used = True
            t.indexes.append(dict(name=name, kind=kind, sql=sql))
        if r.random() < 0.1:
            name = f"{t.name}_active_key"
            t.indexes.append(dict(name=name, kind="unique-partial",
                                  sql=f"CREATE UNIQUE INDEX {name} ON {t.qname} (id, created_at) "
                                      f"WHERE created_at > '2020-01-01 00:00:00+00'::timestamptz;"))
        for ix in t.indexes:
            self.emit(ix["sql"])
        self.count("indexes", len(t.indexes) + 1 + len(t.uniques))
        if r.random() < 0.05 and t.indexes:
            ix = r.choice(t.indexes)
            ix["comment"] = True
            self.emit(f"COMMENT ON INDEX {t.schema}.{ix['name']} IS 'used by the nightly report';")

    # -------------------------------------------------------------- views --
    def make_views(self):
        r = self.rng
        n_views = self.scaled(1000, 10)
        n_mat = self.scaled(250, 3)
        for i in range(n_views):
            t = r.choice(self.tables)
            t.dependents = True
            s = t.schema if r.random() < 0.8 else r.choice(SCHEMAS)
            name = f"{s}.v_{t.name}_{i:04d}"
            cols = [c for c in t.cols if c.kind not in ("other",)]
            picked = [t.cols[0]] + r.sample(cols[1:], min(len(cols) - 1, r.randint(2, 6)))
            for c in picked:
                c.used = True
            days = r.choice([7, 30, 90, 365])
            x = r.random()
            if x < 0.5:
                sel = ", ".join(f"x.{c.name}" for c in picked)
                body = f"SELECT {sel} FROM {t.qname} x WHERE x.created_at > now() - interval '{{d}} days'"
                kind = "simple"
            elif x < 0.8 and t.fks:
                fk = r.choice(t.fks)
                p = fk["ref"]
                p.dependents = True
                pc = p.cols[1] if len(p.cols) > 1 else p.cols[0]
                pc.used = True
                sel = ", ".join(f"x.{c.name}" for c in picked)
                body = (f"SELECT {sel}, p.{pc.name} AS parent_{pc.name} FROM {t.qname} x "
                        f"JOIN {p.qname} p ON p.id = x.{fk['col']} "
                        f"WHERE x.created_at > now() - interval '{{d}} days'")
                kind = "join"
            else:
                body = (f"SELECT date_trunc('day', x.created_at) AS day, count(*) AS n, "
                        f"max(x.created_at) AS last_at FROM {t.qname} x "
                        f"WHERE x.created_at > now() - interval '{{d}} days' GROUP BY 1")
                kind = "aggregate"
            opts = " WITH (security_barrier = true)" if r.random() < 0.1 else ""
            v = dict(name=name, body=body, days=days, opts=opts, kind=kind, used=False)
            self.emit(f"CREATE VIEW {name}{opts} AS {body.format(d=days)};")
            if r.random() < 0.3:
                self.emit(f"COMMENT ON VIEW {name} IS {q('recent rows of ' + t.qname)};")
            self.views.append(v)
            self.count("views")
        # some views over views
        for base in r.sample(self.views, max(1, n_views // 20)):
            base["used"] = True
            name = f"{base['name']}_top"
            first = "day" if base["kind"] == "aggregate" else "id"
            self.emit(f"CREATE VIEW {name} AS SELECT * FROM {base['name']} ORDER BY {first} DESC LIMIT 100;")
            self.views.append(dict(name=name, body=None, kind="nested", used=True))
            self.count("views")
        for i in range(n_mat):
            t = r.choice(self.tables)
            t.dependents = True
            name = f"{t.schema}.mv_{t.name}_{i:04d}"
            grp = r.choice([c for c in t.cols[1:]] or t.cols)
            if grp.kind in ("json", "arr", "other", "domain"):
                grp = t.col("created_at")
            grp.used = True
            t.col("created_at").used = True
            days = r.choice([30, 90, 365])
            body = (f"SELECT x.{grp.name} AS grp, count(*) AS n, min(x.created_at) AS first_at "
                    f"FROM {t.qname} x WHERE x.created_at > '2020-01-01 00:00:00+00'::timestamptz - interval '{{d}} days' "
                    f"GROUP BY x.{grp.name}")
            mv = dict(name=name, body=body, days=days, indexed=False)
            self.emit(f"CREATE MATERIALIZED VIEW {name} AS {body.format(d=days)} WITH NO DATA;")
            if r.random() < 0.5:
                mv["indexed"] = True
                self.emit(f"CREATE UNIQUE INDEX mv_{t.name}_{i:04d}_grp_idx ON {name} (grp);")
                self.count("indexes")
            self.matviews.append(mv)
            self.count("materialized_views")

    # ---------------------------------------------------------- functions --
    def make_functions(self):
        r = self.rng
        n = self.scaled(1000, 10) - self.stats.get("functions", 0)
        for i in range(max(n, 5)):
            t = r.choice(self.tables)
            t.dependents = True
            s = t.schema
            x = r.random()
            if x < 0.35:
                name = f"{s}.count_{t.name}"
                args = "p_since timestamptz"
                if t.has_tenant:
                    args = "p_tenant bigint, p_since timestamptz"
                    where = "tenant_id = p_tenant AND created_at >= p_since"
                else:
                    where = "created_at >= p_since"
                vol = r.choice(["STABLE", "STABLE PARALLEL SAFE"])
                body = f"SELECT count(*) FROM {t.qname} WHERE {where} AND {{k}} > 0"
                f = dict(name=name, args=args, ret="bigint", lang="sql", attrs=vol, body=body, k=1)
            elif x < 0.55:
                name = f"{s}.get_{t.name}"
                arg_t = t.pk_type
                body = f"SELECT x.* FROM {t.qname} x WHERE x.id = p_id LIMIT {{k}}"
                f = dict(name=name, args=f"p_id {arg_t}", ret=f"SETOF {t.qname}", lang="sql",
                         attrs="STABLE STRICT", body=body, k=1)
            elif x < 0.85:
                name = f"{s}.score_{r.choice(ATTRS)}_{i:04d}"
                body = ("DECLARE\n  v numeric := 0;\n  i integer;\nBEGIN\n"
                        "  IF p_value IS NULL THEN\n    RETURN NULL;\n  END IF;\n"
                        "  FOR i IN 1..p_rounds LOOP\n"
                        "    v := v + (p_value * {k}) / i;\n"
                        "  END LOOP;\n"
                        "  RETURN round(v, 2);\nEND")
                attrs = r.choice(["IMMUTABLE", "IMMUTABLE PARALLEL SAFE", "STABLE", "VOLATILE COST 50"])
                f = dict(name=name, args="p_value numeric, p_rounds integer DEFAULT 3", ret="numeric",
                         lang="plpgsql", attrs=attrs, body=body, k=r.randint(2, 9))
            else:
                name = f"{s}.archive_{t.name}"
                body = ("DECLARE\n  n bigint;\nBEGIN\n"
                        f"  DELETE FROM {t.qname} WHERE created_at < now() - make_interval(days => p_days + {{k}});\n"
                        "  GET DIAGNOSTICS n = ROW_COUNT;\n"
                        "  RAISE NOTICE 'archived % rows', n;\n"
                        "  RETURN n;\nEND")
                f = dict(name=name, args="p_days integer", ret="bigint", lang="plpgsql",
                         attrs="VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp", body=body, k=0)
            sig = f["name"] + "(" + f["args"] + ")"
            if any(g["sig"] == sig for g in self.functions):
                continue
            f["sig"] = sig
            self.emit(self.function_sql(f, f["k"]))
            if r.random() < 0.5:
                self.emit(f"COMMENT ON FUNCTION {f['name']}({self.arg_types(f['args'])}) IS {q('helper for ' + t.qname)};")
            self.functions.append(f)
            self.count("functions")

    @staticmethod
    def arg_types(args):
        out = []
        for a in args.split(","):
            a = a.strip()
            if not a:
                continue
            a = a.split(" DEFAULT ")[0].split(" ", 1)[1]
            out.append({"timestamptz": "timestamp with time zone"}.get(a, a))
        return ", ".join(out)

    def function_sql(self, f, k):
        body = f["body"].format(k=k)
        return (f"CREATE OR REPLACE FUNCTION {f['name']}({f['args']}) RETURNS {f['ret']} "
                f"LANGUAGE {f['lang']} {f['attrs']} AS $fn$\n{body}\n$fn$;")

    # ----------------------------------------------------------- triggers --
    def make_triggers(self):
        r = self.rng
        target = self.scaled(4000, 30)
        made = 0
        order = list(self.tables)
        r.shuffle(order)
        for t in order:
            if made >= target:
                break
            fs = self.trigger_functions[t.schema]
            kinds = []
            if t.has_updated_at:
                kinds.append("touch")
            kinds += ["audit", "guard", "stmt", "batch"]
            r.shuffle(kinds)
            for kind in kinds[: r.randint(1, 3)]:
                name = f"{t.name}_{kind}_trg"
                if kind == "touch":
                    sql = (f"CREATE TRIGGER {name} BEFORE UPDATE ON {t.qname} "
                           f"FOR EACH ROW EXECUTE FUNCTION {fs['touch']}();")
                elif kind == "audit":
                    sql = (f"CREATE TRIGGER {name} AFTER INSERT OR UPDATE OR DELETE ON {t.qname} "
                           f"FOR EACH ROW EXECUTE FUNCTION {fs['audit']}({q(t.name)});")
                elif kind == "guard":
                    c = r.choice(t.cols[1:])
                    if c.kind in ("json", "other", "arr"):
                        c = t.col("created_at")
                    c.used = True
                    sql = (f"CREATE TRIGGER {name} BEFORE UPDATE OF {c.name} ON {t.qname} "
                           f"FOR EACH ROW WHEN (OLD.{c.name} IS DISTINCT FROM NEW.{c.name}) "
                           f"EXECUTE FUNCTION {fs['guard']}();")
                elif kind == "stmt":
                    sql = (f"CREATE TRIGGER {name} AFTER TRUNCATE ON {t.qname} "
                           f"FOR EACH STATEMENT EXECUTE FUNCTION {fs['stmt']}();")
                else:
                    sql = (f"CREATE TRIGGER {name} AFTER INSERT ON {t.qname} REFERENCING NEW TABLE AS new_rows "
                           f"FOR EACH STATEMENT EXECUTE FUNCTION {fs['batch']}();")
                t.triggers.append((name, sql))
                self.emit(sql)
                made += 1
                self.count("triggers")

    # ----------------------------------------------------------- policies --
    def make_policies(self):
        r = self.rng
        target = self.scaled(1500, 12)
        made = 0
        cands = [t for t in self.tables if t.has_tenant]
        r.shuffle(cands)
        for t in cands:
            if made >= target:
                break
            t.rls = True
            self.emit(f"ALTER TABLE {t.qname} ENABLE ROW LEVEL SECURITY;")
            if r.random() < 0.2:
                t.force_rls = True
                self.emit(f"ALTER TABLE {t.qname} FORCE ROW LEVEL SECURITY;")
            tenant = "(tenant_id = (current_setting('app.tenant_id'::text))::bigint)"
            pols = [
                dict(name="tenant_isolation",
                     sql=f"CREATE POLICY tenant_isolation ON {t.qname} TO bench_app USING {tenant};",
                     alt=f"ALTER POLICY tenant_isolation ON {t.qname} USING ({tenant[1:-1]} OR (current_setting('app.superuser'::text, true) = 'on'::text));"),
                dict(name="tenant_insert",
                     sql=f"CREATE POLICY tenant_insert ON {t.qname} FOR INSERT TO bench_app WITH CHECK {tenant};",
                     alt=f"ALTER POLICY tenant_insert ON {t.qname} TO bench_app, bench_admin;"),
                dict(name="admin_read",
                     sql=f"CREATE POLICY admin_read ON {t.qname} FOR SELECT TO bench_admin USING (true);",
                     alt=f"ALTER POLICY admin_read ON {t.qname} USING (created_at > '2020-01-01 00:00:00+00'::timestamptz);"),
                dict(name="no_old_deletes",
                     sql=f"CREATE POLICY no_old_deletes ON {t.qname} AS RESTRICTIVE FOR DELETE USING (created_at > now() - interval '1 year');",
                     alt=f"ALTER POLICY no_old_deletes ON {t.qname} USING (created_at > now() - interval '2 years');"),
            ]
            n = r.choices([1, 2, 3], weights=[60, 30, 10])[0]
            for p in pols[:n]:
                t.policies.append(p)
                self.emit(p["sql"])
                made += 1
                self.count("policies")
            if r.random() < 0.1:
                self.emit(f"COMMENT ON POLICY tenant_isolation ON {t.qname} IS 'one tenant per session';")

    # ----------------------------------------------------------- comments --
    def make_comments(self):
        r = self.rng
        for t in self.tables:
            if r.random() < 0.4:
                t.comment = f"{t.name.split('_')[0].capitalize()} records of the {t.schema} domain"
                self.emit(f"COMMENT ON TABLE {t.qname} IS {q(t.comment)};")
                self.count("comments")
            for c in t.cols:
                if r.random() < 0.08:
                    self.emit(f"COMMENT ON COLUMN {t.qname}.{c.name} IS {q('the ' + c.name.replace('_', ' '))};")
                    self.count("comments")

    # -------------------------------------------------------------- drift --
    def make_drift(self):
        r = random.Random(self.n * 7919 + 17)
        taken = set()

        def table(pred, why):
            pool = [t for t in self.tables if t.qname not in taken and pred(t)]
            if not pool:
                raise SystemExit(f"gen_schema: no table for drift '{why}' at {self.n} tables")
            t = r.choice(pool)
            taken.add(t.qname)
            return t

        def plain(t, pred=lambda c: True):
            return [c for c in t.cols if not c.used and pred(c)]

        d = self.drift
        exp = self.expected

        def add(code, obj, sql, what):
            d.append(sql)
            exp.append((code, obj, what))

        def is_varchar(c):
            return c.kind == "str" and c.typ.startswith("varchar(") and c.typ.endswith(")")

        t = table(lambda t: plain(t, is_varchar), "type")
        c = plain(t, is_varchar)[0]
        n = int(c.typ[8:-1])
        add("column-type-changed", f"{t.qname}.{c.name}",
            f"ALTER TABLE {t.qname} ALTER COLUMN {c.name} TYPE varchar({n + 50});",
            f"{c.typ} -> varchar({n + 50})")

        def droppable(c):
            return c.name not in ("created_at", "updated_at", "deleted_at")

        t = table(lambda t: plain(t, droppable), "drop column")
        c = plain(t, droppable)[-1]
        add("column-missing", f"{t.qname}.{c.name}", f"ALTER TABLE {t.qname} DROP COLUMN {c.name};", "column dropped")

        t = table(lambda t: plain(t, lambda c: not c.not_null), "nullability")
        c = plain(t, lambda c: not c.not_null)[0]
        add("column-nullability-changed", f"{t.qname}.{c.name}",
            f"ALTER TABLE {t.qname} ALTER COLUMN {c.name} SET NOT NULL;", "SET NOT NULL")

        t = table(lambda t: plain(t, lambda c: c.kind in ("int", "num") and c.default in ("0", "1")), "default")
        c = plain(t, lambda c: c.kind in ("int", "num") and c.default in ("0", "1"))[0]
        add("column-default-changed", f"{t.qname}.{c.name}",
            f"ALTER TABLE {t.qname} ALTER COLUMN {c.name} SET DEFAULT 42;", f"default {c.default} -> 42")

        t = table(lambda t: True, "add column")
        add("column-unexpected", f"{t.qname}.hotfix_note",
            f"ALTER TABLE {t.qname} ADD COLUMN hotfix_note text;", "column added")

        t = table(lambda t: t.pk_kind == "identity", "identity")
        add("column-identity-changed", f"{t.qname}.id",
            f"ALTER TABLE {t.qname} ALTER COLUMN id SET INCREMENT BY 10;", "identity INCREMENT BY 10")

        t = table(lambda t: plain(t, lambda c: c.kind in ("int", "str", "ts", "date", "uuid")), "add index")
        c = plain(t, lambda c: c.kind in ("int", "str", "ts", "date", "uuid"))[0]
        add("index-unexpected", f"{t.qname}.{t.name}_hotfix_idx",
            f"CREATE INDEX {t.name}_hotfix_idx ON {t.qname} ({c.name});", "index added")

        t = table(lambda t: any(ix["kind"] in ("multi", "partial", "expression") for ix in t.indexes), "drop index")
        ix = [ix for ix in t.indexes if ix["kind"] in ("multi", "partial", "expression")][0]
        add("index-missing", f"{t.qname}.{ix['name']}", f"DROP INDEX {t.schema}.{ix['name']};",
            f"{ix['kind']} index dropped")

        t = table(lambda t: len(t.checks) > 0, "drop check")
        name, expr = t.checks[0]
        add("constraint-missing", f"{t.qname}.{name}", f"ALTER TABLE {t.qname} DROP CONSTRAINT {name};",
            "check constraint dropped")

        t = table(lambda t: any(fk["ref"] is not t for fk in t.fks), "fk action")
        fk = [fk for fk in t.fks if fk["ref"] is not t][0]
        new_action = "CASCADE" if fk["on_delete"] != "CASCADE" else "RESTRICT"
        add("constraint-changed", f"{t.qname}.{fk['name']}",
            f"ALTER TABLE {t.qname} DROP CONSTRAINT {fk['name']};\n" + self.fk_sql(t, fk, new_action),
            f"FK ON DELETE {fk['on_delete']} -> {new_action}")

        t = table(lambda t: any(e.endswith(">= 0") for _, e in t.checks), "check changed")
        name, expr = [x for x in t.checks if x[1].endswith(">= 0")][0]
        add("constraint-changed", f"{t.qname}.{name}",
            f"ALTER TABLE {t.qname} DROP CONSTRAINT {name};\n"
            f"ALTER TABLE {t.qname} ADD CONSTRAINT {name} CHECK ({expr[:-4]} > 0);",
            "check >= 0 -> > 0")

        vs = [v for v in self.views if not v["used"] and v["body"]]
        v = r.choice(vs)
        v["used"] = True
        nd = v["days"] * 2
        add("view-definition-changed", v["name"],
            f"CREATE OR REPLACE VIEW {v['name']}{v['opts']} AS {v['body'].format(d=nd)};",
            f"interval {v['days']} -> {nd} days")

        mvs = [m for m in self.matviews if not m["indexed"]] or self.matviews
        m = r.choice(mvs)
        sql = f"DROP MATERIALIZED VIEW {m['name']};\nCREATE MATERIALIZED VIEW {m['name']} AS {m['body'].format(d=m['days'] + 1)} WITH NO DATA;"
        if m["indexed"]:
            i = m["name"].split(".", 1)[1].replace("mv_", "mv_", 1)
            sql += f"\nCREATE UNIQUE INDEX {i}_grp_idx ON {m['name']} (grp);"
        add("materialized-view-definition-changed", m["name"], sql, "interval +1 day")

        fs = [f for f in self.functions if f["lang"] == "plpgsql"]
        f = r.choice(fs)
        add("function-body-changed", f"{f['name']}({self.arg_types(f['args'])})",
            self.function_sql(f, f["k"] + 1), "body constant changed")

        fs2 = [g for g in self.functions if g is not f and g["lang"] == "plpgsql"]
        g = r.choice(fs2)
        add("function-missing", f"{g['name']}({self.arg_types(g['args'])})",
            f"DROP FUNCTION {g['name']}({self.arg_types(g['args'])});", "function dropped")

        t = table(lambda t: len(t.triggers) > 0, "trigger")
        name = t.triggers[0][0]
        add("trigger-disabled", f"{t.qname}.{name}", f"ALTER TABLE {t.qname} DISABLE TRIGGER {name};",
            "trigger disabled")

        t = table(lambda t: t.rls and len(t.policies) > 0, "policy")
        p = t.policies[0]
        add("policy-changed", f"{t.qname}.{p['name']}", p["alt"], "USING changed")

        t = table(lambda t: t.rls, "rls")
        add("rls-disabled", t.qname, f"ALTER TABLE {t.qname} DISABLE ROW LEVEL SECURITY;", "RLS disabled")

        e = r.choice(sorted(self.enums))
        add("enum-label-unexpected", e, f"ALTER TYPE {e} ADD VALUE 'on_hold';", "label added")

        t = table(lambda t: t.comment is not None, "comment")
        add("comment-changed", t.qname, f"COMMENT ON TABLE {t.qname} IS {q(t.comment + ' (deprecated)')};",
            "table comment changed")

        add("table-unexpected", "app.hotfix_backup",
            "CREATE TABLE app.hotfix_backup (id bigint PRIMARY KEY, payload jsonb, copied_at timestamptz DEFAULT now());",
            "table added")

        t = table(lambda t: not t.referenced and not t.dependents, "drop table")
        add("table-missing", t.qname, f"DROP TABLE {t.qname};", "table dropped")

        s = r.choice(self.sequences)
        add("sequence-changed", s, f"ALTER SEQUENCE {s} INCREMENT BY 5 CACHE 50;", "increment, cache")

    # -------------------------------------------------------------- write --
    def write(self, out):
        os.makedirs(out, exist_ok=True)
        with open(os.path.join(out, "base.sql"), "w") as f:
            f.write("\n".join(self.out) + "\n")
        with open(os.path.join(out, "drift.sql"), "w") as f:
            f.write("-- generated by scripts/bench/gen_schema.py: one statement group per drift\n")
            f.write("SET client_min_messages = warning;\n")
            f.write("\n".join(self.drift) + "\n")
        with open(os.path.join(out, "expected.tsv"), "w") as f:
            for code, obj, what in sorted(self.expected):
                f.write(f"{code}\t{obj}\t{what}\n")
        with open(os.path.join(out, "stats.json"), "w") as f:
            json.dump(dict(sorted(self.stats.items()), drifts=len(self.expected)), f, indent=1)
            f.write("\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tables", type=int, required=True)
    ap.add_argument("--seed", type=int, default=20240607)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    if a.tables < 60:
        ap.error("--tables must be at least 60")
    g = Gen(a.tables, a.seed)
    g.run()
    g.make_drift()
    g.write(a.out)
    print(json.dumps(dict(sorted(g.stats.items()), drifts=len(g.expected))))


if __name__ == "__main__":
    main()
