//! Table columns: their definition in `CREATE TABLE`, `ADD`/`DROP COLUMN`,
//! and the precise `ALTER COLUMN` for each attribute.

use std::collections::BTreeMap;

use super::{alter_comment, alter_options, comment, privileges, Name, Pg};
use crate::ddl::{Alter, Hazard, Statement};
use crate::model::postgres::{
    Column, ColumnSettings, GeneratedKind, Identity, IdentityGeneration, SequenceOptions,
};

/// `name type [COLLATE ..] [GENERATED .. | DEFAULT ..] [NOT NULL]`, as the
/// column goes in `CREATE TABLE` or `ADD COLUMN`.
pub fn definition(r: &Pg, c: &Column) -> String {
    let mut s = format!("{} {}", r.ident(&c.name), c.data_type);
    if let Some(coll) = &c.collation {
        s.push_str(&format!(" COLLATE {coll}"));
    }
    if let Some(g) = &c.generated {
        s.push_str(&format!(
            " GENERATED ALWAYS AS ({}) {}",
            g.expression,
            generated_kind(g.kind)
        ));
    } else if let Some(i) = &c.identity {
        s.push_str(&format!(
            " GENERATED {} AS IDENTITY ({})",
            generation(i.generation),
            sequence_options(&i.sequence)
        ));
    } else if let Some(d) = &c.default {
        s.push_str(&format!(" DEFAULT {d}"));
    }
    if c.not_null {
        s.push_str(" NOT NULL");
    }
    s
}

fn generated_kind(k: GeneratedKind) -> &'static str {
    match k {
        GeneratedKind::Stored => "STORED",
        GeneratedKind::Virtual => "VIRTUAL",
    }
}

fn generation(g: IdentityGeneration) -> &'static str {
    match g {
        IdentityGeneration::Always => "ALWAYS",
        IdentityGeneration::ByDefault => "BY DEFAULT",
    }
}

/// The options of an identity's sequence, every one spelled out.
fn sequence_options(o: &SequenceOptions) -> String {
    format!(
        "START WITH {} INCREMENT BY {} MINVALUE {} MAXVALUE {} CACHE {}{}",
        o.start,
        o.increment,
        o.min_value,
        o.max_value,
        o.cache,
        if o.cycle { " CYCLE" } else { " NO CYCLE" }
    )
}

/// `COMMENT ON COLUMN` target.
pub fn comment_target(r: &Pg, table: Name, column: &str) -> String {
    format!("COLUMN {}.{}", r.qual(table), r.ident(column))
}

/// `ALTER TABLE .. ADD COLUMN ..` and its comment.
pub fn add(r: &Pg, table: Name, c: &Column) -> Vec<Statement> {
    let mut hazards = Vec::new();
    if c.not_null && c.default.is_none() && c.identity.is_none() && c.generated.is_none() {
        hazards.push(Hazard::MayFail);
    }
    let volatile_default = c.default.as_deref().is_some_and(is_volatile);
    if c.identity.is_some()
        || volatile_default
        || c.generated
            .as_ref()
            .is_some_and(|g| g.kind == GeneratedKind::Stored)
    {
        hazards.push(Hazard::Rewrite);
    }
    let mut out = vec![Statement::new(format!(
        "ALTER {} {} ADD COLUMN {}",
        table.table_kw(),
        r.qual(table),
        definition(r, c)
    ))
    .with(&hazards)];
    out.extend(settings(r, table, c, None));
    if let Some(t) = &c.comment {
        out.push(comment(&comment_target(r, table, &c.name), Some(t)));
    }
    out.extend(grants(r, table, c, None));
    out
}

/// The `GRANT`s and `REVOKE`s (`GRANT SELECT (col) ON TABLE ..`) that give
/// column `c` its grants: from `actual`'s, or, for a column just made
/// (`None`), from none.
pub fn grants(r: &Pg, table: Name, c: &Column, actual: Option<&Column>) -> Vec<Statement> {
    let none = BTreeMap::new();
    privileges::column_grants(
        r,
        &r.qual(table),
        &c.name,
        &c.grants,
        actual.map_or(&none, |a| &a.grants),
    )
}

/// The `SET STORAGE`, `SET COMPRESSION` and `SET STATISTICS` that give
/// column `c` its settings: those that differ from `actual`'s, or, for a
/// column just made (`None`), those it has.
pub fn settings(r: &Pg, table: Name, c: &Column, actual: Option<&Column>) -> Vec<Statement> {
    let actual = actual.map(Column::settings);
    settings_of(
        r,
        table.table_kw(),
        table,
        &c.name,
        &c.settings(),
        actual.as_ref(),
    )
}

/// [`settings`] of column `column` of `ALTER <what>` (`TABLE`,
/// `MATERIALIZED VIEW`) `table`, from `actual`'s or from none (`None`: its
/// type's defaults).
pub fn settings_of(
    r: &Pg,
    what: &str,
    table: Name,
    column: &str,
    c: &ColumnSettings,
    actual: Option<&ColumnSettings>,
) -> Vec<Statement> {
    let alter = format!("{what} {} ALTER COLUMN {}", r.qual(table), r.ident(column));
    let at = |clause: String| Statement::new(format!("ALTER {alter} {clause}"));
    // Set on a new column, or different from the actual one.
    let wanted = |set: bool, differs: fn(&ColumnSettings, &ColumnSettings) -> bool| match actual {
        None => set,
        Some(a) => differs(c, a),
    };
    let mut out = Vec::new();
    if wanted(c.storage.is_some(), |c, a| c.storage != a.storage) {
        let storage = match &c.storage {
            Some(s) => s.to_ascii_uppercase(),
            None if r.version >= 160000 => "DEFAULT".to_string(),
            // Before 16 the type's default is named: EXTENDED for most
            // variable-length types, MAIN for numeric and the network types
            // (fixed-length types have PLAIN, and no other).
            None => default_storage(&c.data_type).to_string(),
        };
        out.push(at(format!("SET STORAGE {storage}")));
    }
    if wanted(c.compression.is_some(), |c, a| {
        c.compression != a.compression
    }) {
        let method = c.compression.as_deref().unwrap_or("default");
        out.push(at(format!("SET COMPRESSION {method}")));
    }
    if wanted(c.statistics.is_some(), |c, a| c.statistics != a.statistics) {
        out.push(at(format!("SET STATISTICS {}", c.statistics.unwrap_or(-1))));
    }
    let none = Vec::new();
    out.extend(alter_options(
        &alter,
        &c.options,
        actual.map_or(&none, |a| &a.options),
    ));
    out
}

/// The storage a type has by default, as far as the name tells: MAIN for
/// `numeric`, `inet` and `cidr`, EXTENDED for the other variable-length
/// types (the only ones whose storage can be changed).
fn default_storage(data_type: &str) -> &'static str {
    let base = data_type.split('(').next().unwrap_or(data_type).trim();
    if !data_type.ends_with("[]") && ["numeric", "inet", "cidr"].contains(&base) {
        "MAIN"
    } else {
        "EXTENDED"
    }
}

/// Whether a default may be volatile, so that adding the column fills
/// every row (a rewrite) instead of storing the value once: a call of a
/// volatile built-in or of any function of the user's, whose volatility
/// the model does not say here.
fn is_volatile(default: &str) -> bool {
    let d = default.to_ascii_lowercase();
    [
        "nextval(",
        "random(",
        "gen_random_uuid(",
        "uuid_generate_",
        "clock_timestamp(",
        "timeofday(",
        "txid_current(",
    ]
    .iter()
    .any(|f| d.contains(f))
        || super::refs::qualified_names(default)
            .iter()
            .any(|(_, name)| d.contains(&format!("{}(", name.to_ascii_lowercase())))
}

/// `ALTER TABLE .. DROP COLUMN ..`: its data is lost.
pub fn drop(r: &Pg, table: Name, column: &str) -> Statement {
    Statement::new(format!(
        "ALTER {} {} DROP COLUMN {}",
        table.table_kw(),
        r.qual(table),
        r.ident(column)
    ))
    .with(&[Hazard::DataLoss])
}

/// `ALTER TABLE .. RENAME COLUMN .. TO ..`.
pub fn rename(r: &Pg, table: Name, from: &str, to: &str) -> Statement {
    Statement::new(format!(
        "ALTER {} {} RENAME COLUMN {} TO {}",
        table.table_kw(),
        r.qual(table),
        r.ident(from),
        r.ident(to)
    ))
}

/// The `ALTER COLUMN` statements that turn column `actual` into `expected`
/// (same name), in the order PostgreSQL needs them: an identity or a
/// default out of the way before the type changes, `NOT NULL` before an
/// identity is added. A column cannot become generated, nor change how it
/// is generated before PostgreSQL 17: then it is dropped and added again.
pub fn alter(r: &Pg, table: Name, expected: &Column, actual: &Column) -> Alter {
    let t = r.qual(table);
    let col = r.ident(&expected.name);
    let kw = table.table_kw();
    let at = |clause: &str| format!("ALTER {kw} {t} ALTER COLUMN {col} {clause}");
    let mut out = Vec::new();

    let (e_gen, a_gen) = (&expected.generated, &actual.generated);
    let regenerate = match (e_gen, a_gen) {
        (Some(_), None) => Some("a column cannot become generated"),
        (Some(e), Some(a)) if e.kind != a.kind => Some("how the column is generated"),
        (Some(e), Some(a)) if e.expression != a.expression && r.version < 170000 => {
            Some("the generation expression (before PostgreSQL 17)")
        }
        _ => None,
    };
    if let Some(reason) = regenerate {
        return Alter::Recreate {
            reason: reason.to_string(),
            drop: vec![drop(r, table, &actual.name)],
            create: add(r, table, expected),
        };
    }

    let type_changes =
        expected.data_type != actual.data_type || expected.collation != actual.collation;
    if actual.identity.is_some() && expected.identity.is_none() {
        out.push(Statement::new(at("DROP IDENTITY")));
    }
    let default_in_the_way = actual.default.is_some()
        && (expected.default != actual.default
            || type_changes
            || expected.identity.is_some() && actual.identity.is_none());
    if default_in_the_way {
        out.push(Statement::new(at("DROP DEFAULT")));
    }
    if expected.generated.is_none() && actual.generated.is_some() {
        out.push(Statement::new(at("DROP EXPRESSION")));
    }
    if type_changes {
        let mut clause = format!("TYPE {}", expected.data_type);
        if let Some(c) = &expected.collation {
            clause.push_str(&format!(" COLLATE {c}"));
        }
        if needs_using(&actual.data_type, &expected.data_type) {
            clause.push_str(&format!(" USING {col}::{}", expected.data_type));
        }
        let hazards = if expected.data_type == actual.data_type {
            // A new collation: the indexes on the column are rebuilt.
            vec![Hazard::Rewrite]
        } else {
            type_change_hazards(&actual.data_type, &expected.data_type)
        };
        out.push(Statement::new(at(&clause)).with(&hazards));
    }
    if let Some(d) = &expected.default {
        if expected.default != actual.default || default_in_the_way {
            out.push(Statement::new(at(&format!("SET DEFAULT {d}"))));
        }
    }
    if expected.not_null && !actual.not_null {
        out.push(Statement::new(at("SET NOT NULL")).with(&[Hazard::Lock, Hazard::MayFail]));
    }
    if !expected.not_null && actual.not_null && expected.identity.is_none() {
        out.push(Statement::new(at("DROP NOT NULL")));
    }
    match (&expected.identity, &actual.identity) {
        (Some(e), None) => out.push(
            Statement::new(at(&format!(
                "ADD GENERATED {} AS IDENTITY ({})",
                generation(e.generation),
                sequence_options(&e.sequence)
            )))
            .with(&[Hazard::MayFail]),
        ),
        (Some(e), Some(a)) => {
            if let Some(s) = alter_identity(e, a) {
                out.push(Statement::new(at(&s)));
            }
        }
        _ => {}
    }
    if let (Some(e), Some(a)) = (e_gen, a_gen) {
        if e.expression != a.expression {
            out.push(
                Statement::new(at(&format!("SET EXPRESSION AS ({})", e.expression)))
                    .with(&[Hazard::Rewrite]),
            );
        }
    }
    out.extend(settings(r, table, expected, Some(actual)));
    out.extend(alter_comment(
        &comment_target(r, table, &expected.name),
        expected.comment.as_ref(),
        actual.comment.as_ref(),
    ));
    out.extend(grants(r, table, expected, Some(actual)));
    Alter::InPlace(out)
}

fn alter_identity(e: &Identity, a: &Identity) -> Option<String> {
    let mut clauses = Vec::new();
    if e.generation != a.generation {
        clauses.push(format!("SET GENERATED {}", generation(e.generation)));
    }
    clauses.extend(super::sequence::option_changes(
        &e.sequence,
        &a.sequence,
        "SET ",
    ));
    (!clauses.is_empty()).then(|| clauses.join(" "))
}

/// A type as `format_type` prints it, split into its base name, its
/// modifiers and its array dimensions: `numeric(10,2)[]` ->
/// (`numeric`, `10,2`, 1); `timestamp(3) with time zone` ->
/// (`timestamp with time zone`, `3`, 0).
fn split_type(t: &str) -> (String, Option<&str>, usize) {
    let mut base = t;
    let mut dims = 0;
    while let Some(b) = base.strip_suffix("[]") {
        base = b;
        dims += 1;
    }
    if let (Some(open), Some(close)) = (base.find('('), base.find(')')) {
        if open < close && !base.starts_with('"') {
            let name = format!("{}{}", &base[..open], &base[close + 1..]);
            return (name, Some(&base[open + 1..close]), dims);
        }
    }
    (base.to_string(), None, dims)
}

fn family(base: &str) -> &'static str {
    match base {
        "smallint" | "integer" | "bigint" | "numeric" | "real" | "double precision" => "number",
        "text" | "character varying" | "character" | "name" | "\"char\"" => "string",
        "date"
        | "timestamp without time zone"
        | "timestamp with time zone"
        | "timestamp"
        | "time without time zone"
        | "time with time zone"
        | "time"
        | "interval" => "time",
        "inet" | "cidr" => "network",
        "bit" | "bit varying" => "bits",
        "json" | "jsonb" => "json",
        _ => "",
    }
}

/// Whether changing a column's type from `from` to `to` needs a `USING`:
/// when PostgreSQL has no assignment cast between them (text to integer,
/// anything to an enum or a domain). Casts to a string type and between
/// the number, date and time types need none; and without one, a value
/// too long for a narrower type fails instead of being cut short, as an
/// explicit cast in `USING` would do.
pub fn needs_using(from: &str, to: &str) -> bool {
    let (fb, _, fd) = split_type(from);
    let (tb, _, td) = split_type(to);
    if fb == tb && fd == td {
        return false;
    }
    if fd != td {
        return true;
    }
    let (ff, tf) = (family(&fb), family(&tb));
    if tf == "string" {
        return false;
    }
    !(ff == tf && !ff.is_empty() && ff != "json")
}

/// What changing a column's type does: nothing more than a catalog update
/// when PostgreSQL knows the old values fit (a longer `varchar`, `varchar`
/// to `text`); a rewrite when every value is converted; a loss when values
/// are rounded or cut; a failure when some may not convert.
pub fn type_change_hazards(from: &str, to: &str) -> Vec<Hazard> {
    let (fb, fm, fd) = split_type(from);
    let (tb, tm, td) = split_type(to);
    if fd != td {
        return vec![Hazard::Rewrite, Hazard::MayFail];
    }
    let num = |m: Option<&str>| -> Option<Vec<i64>> {
        m.map(|m| m.split(',').filter_map(|p| p.trim().parse().ok()).collect())
    };
    if fb == tb {
        return match (num(fm), num(tm)) {
            // To unconstrained: every value fits.
            (_, None) => Vec::new(),
            (None, Some(_)) => vec![Hazard::Rewrite, Hazard::MayFail],
            (Some(f), Some(t)) if fb == "numeric" => {
                // numeric(p, s): p - s digits before the point, s after.
                let (fp, fs) = (f[0], f.get(1).copied().unwrap_or(0));
                let (tp, ts) = (t[0], t.get(1).copied().unwrap_or(0));
                if tp - ts < fp - fs {
                    vec![Hazard::Rewrite, Hazard::MayFail]
                } else if ts < fs {
                    vec![Hazard::Rewrite, Hazard::DataLoss]
                } else if ts == fs {
                    Vec::new()
                } else {
                    vec![Hazard::Rewrite]
                }
            }
            (Some(f), Some(t)) => {
                let wider = f.len() == t.len() && t.iter().zip(&f).all(|(t, f)| t >= f);
                if wider && (fb == "character" || fb == "bit") {
                    // Blank-padded and fixed-width values are rewritten.
                    vec![Hazard::Rewrite]
                } else if wider {
                    Vec::new()
                } else if fb.starts_with("time") || fb == "interval" {
                    // Less precision: values are rounded.
                    vec![Hazard::Rewrite, Hazard::DataLoss]
                } else {
                    vec![Hazard::Rewrite, Hazard::MayFail]
                }
            }
        };
    }
    match (fb.as_str(), tb.as_str()) {
        ("character varying", "text") | ("cidr", "inet") => Vec::new(),
        ("text", "character varying") if tm.is_none() => Vec::new(),
        ("smallint", "integer" | "bigint" | "numeric" | "real" | "double precision")
        | ("integer", "bigint" | "numeric" | "double precision")
        | ("bigint", "numeric")
        | ("real", "double precision")
        | ("date", "timestamp without time zone" | "timestamp with time zone")
        | (
            "timestamp without time zone" | "timestamp with time zone",
            "timestamp without time zone" | "timestamp with time zone",
        ) => vec![Hazard::Rewrite],
        (_, "text" | "character varying") if tm.is_none() => vec![Hazard::Rewrite],
        ("numeric" | "real" | "double precision", "smallint" | "integer" | "bigint")
        | ("double precision", "real")
        | ("timestamp without time zone" | "timestamp with time zone", "date") => {
            vec![Hazard::Rewrite, Hazard::DataLoss]
        }
        _ => vec![Hazard::Rewrite, Hazard::MayFail],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ddl::sql_of;
    use crate::model::postgres::Generated;

    fn col(name: &str, ty: &str) -> Column {
        Column {
            name: name.into(),
            data_type: ty.into(),
            not_null: false,
            default: None,
            identity: None,
            generated: None,
            collation: None,
            storage: None,
            compression: None,
            statistics: None,
            options: vec![],
            comment: None,
            grants: Default::default(),
        }
    }

    const T: Name = Name {
        schema: "care",
        name: "patients",
        foreign: false,
    };

    #[test]
    fn definitions_spell_every_attribute() {
        let r = Pg::default();
        let mut c = col("User", "character varying(80)");
        c.collation = Some("\"C\"".into());
        c.default = Some("'x'::character varying".into());
        c.not_null = true;
        assert_eq!(
            definition(&r, &c),
            "\"User\" character varying(80) COLLATE \"C\" DEFAULT 'x'::character varying NOT NULL"
        );
        let mut id = col("id", "bigint");
        id.not_null = true;
        id.identity = Some(Identity {
            generation: IdentityGeneration::ByDefault,
            sequence: SequenceOptions {
                data_type: "bigint".into(),
                start: 1,
                increment: 1,
                min_value: 1,
                max_value: i64::MAX,
                cache: 1,
                cycle: false,
            },
        });
        assert_eq!(
            definition(&r, &id),
            "id bigint GENERATED BY DEFAULT AS IDENTITY (START WITH 1 INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 CACHE 1 NO CYCLE) NOT NULL"
        );
        let mut g = col("total", "numeric");
        g.generated = Some(Generated {
            expression: "(price * qty)".into(),
            kind: GeneratedKind::Stored,
        });
        assert_eq!(
            definition(&r, &g),
            "total numeric GENERATED ALWAYS AS ((price * qty)) STORED"
        );
    }

    #[test]
    fn options_are_set_and_reset() {
        let mut c = col("vet", "text");
        c.options = vec!["n_distinct=40".into(), "n_distinct_inherited=8".into()];
        let at = "ALTER TABLE care.patients ALTER COLUMN vet";
        assert_eq!(
            sql_of(add(&Pg::new(150000), T, &c))[1],
            format!("{at} SET (n_distinct=40, n_distinct_inherited=8)")
        );
        let mut e = col("vet", "text");
        e.options = vec!["n_distinct=5".into()];
        match alter(&Pg::new(150000), T, &e, &c) {
            Alter::InPlace(s) => assert_eq!(
                sql_of(s),
                [
                    format!("{at} RESET (n_distinct_inherited)"),
                    format!("{at} SET (n_distinct=5)"),
                ]
            ),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn storage_compression_and_statistics_are_set_and_reset() {
        let mut c = col("body", "text");
        c.storage = Some("external".into());
        c.compression = Some("pglz".into());
        c.statistics = Some(500);
        let at = "ALTER TABLE care.patients ALTER COLUMN body";
        // A new column gets what it has.
        assert_eq!(
            sql_of(add(&Pg::new(150000), T, &c)),
            [
                "ALTER TABLE care.patients ADD COLUMN body text".to_string(),
                format!("{at} SET STORAGE EXTERNAL"),
                format!("{at} SET COMPRESSION pglz"),
                format!("{at} SET STATISTICS 500"),
            ]
        );
        // Back to the defaults: by name before PostgreSQL 16.
        let plain = col("body", "text");
        let back = |version: u32, e: &Column| match alter(&Pg::new(version), T, e, &c) {
            Alter::InPlace(s) => sql_of(s),
            other => panic!("{other:?}"),
        };
        assert_eq!(
            back(150000, &plain),
            [
                format!("{at} SET STORAGE EXTENDED"),
                format!("{at} SET COMPRESSION default"),
                format!("{at} SET STATISTICS -1"),
            ]
        );
        assert_eq!(back(160000, &plain)[0], format!("{at} SET STORAGE DEFAULT"));
        let amount = col("amount", "numeric(12,2)");
        let mut external = amount.clone();
        external.storage = Some("external".into());
        match alter(&Pg::new(150000), T, &amount, &external) {
            Alter::InPlace(s) => assert_eq!(
                sql_of(s),
                ["ALTER TABLE care.patients ALTER COLUMN amount SET STORAGE MAIN"]
            ),
            other => panic!("{other:?}"),
        }
        // Only what differs.
        let mut other = c.clone();
        other.statistics = Some(100);
        match alter(&Pg::new(150000), T, &c, &other) {
            Alter::InPlace(s) => assert_eq!(sql_of(s), [format!("{at} SET STATISTICS 500")]),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn volatile_defaults_rewrite_when_added() {
        assert!(is_volatile("nextval('care.ids'::regclass)"));
        assert!(is_volatile("care.next_code()"));
        assert!(!is_volatile("now()"));
        assert!(!is_volatile("1.5"));
        assert!(!is_volatile("'a.b'::text"));
        let r = Pg::default();
        let mut c = col("code", "text");
        c.default = Some("care.next_code()".into());
        assert!(add(&r, T, &c)[0].has(Hazard::Rewrite));
        c.default = Some("now()".into());
        c.not_null = true;
        assert!(add(&r, T, &c)[0].hazards.is_empty());
    }

    #[test]
    fn type_changes_cast_only_where_postgres_would_not() {
        let r = Pg::default();
        let a = col("age", "text");
        let e = col("age", "integer");
        let alter = alter(&r, T, &e, &a);
        let s = alter.statements();
        assert_eq!(
            s[0].sql,
            "ALTER TABLE care.patients ALTER COLUMN age TYPE integer USING age::integer"
        );
        assert!(s[0].has(Hazard::Rewrite) && s[0].has(Hazard::MayFail));
        // A longer varchar: no cast, no rewrite.
        let a = col("phone", "character varying(20)");
        let e = col("phone", "character varying(40)");
        let s = super::alter(&r, T, &e, &a).into_statements();
        assert_eq!(
            s[0].sql,
            "ALTER TABLE care.patients ALTER COLUMN phone TYPE character varying(40)"
        );
        assert!(s[0].hazards.is_empty());
        // Shorter: a failure rather than a silent cut.
        let s = super::alter(&r, T, &a, &e).into_statements();
        assert_eq!(
            s[0].sql,
            "ALTER TABLE care.patients ALTER COLUMN phone TYPE character varying(20)"
        );
        assert!(s[0].has(Hazard::MayFail));
        assert!(needs_using("text", "care.mood"));
        assert!(!needs_using("integer", "bigint"));
        assert!(!needs_using("care.mood", "text"));
        assert!(needs_using("integer", "integer[]"));
        assert_eq!(
            type_change_hazards("numeric(10,2)", "integer"),
            [Hazard::Rewrite, Hazard::DataLoss]
        );
        assert!(type_change_hazards("numeric(10,2)", "numeric(12,2)").is_empty());
        assert_eq!(
            type_change_hazards("numeric(10,4)", "numeric(10,2)"),
            [Hazard::Rewrite, Hazard::DataLoss]
        );
        assert_eq!(
            type_change_hazards("timestamp(3) with time zone", "timestamp(0) with time zone"),
            [Hazard::Rewrite, Hazard::DataLoss]
        );
        assert!(
            type_change_hazards("timestamp(0) with time zone", "timestamp with time zone")
                .is_empty()
        );
    }

    #[test]
    fn defaults_nullability_and_identity_change_in_order() {
        let r = Pg::default();
        let mut a = col("id", "integer");
        a.default = Some("nextval('care.ids'::regclass)".into());
        let mut e = col("id", "integer");
        e.not_null = true;
        e.identity = Some(Identity {
            generation: IdentityGeneration::Always,
            sequence: SequenceOptions {
                data_type: "integer".into(),
                start: 1,
                increment: 1,
                min_value: 1,
                max_value: 2147483647,
                cache: 1,
                cycle: false,
            },
        });
        assert_eq!(
            sql_of(alter(&r, T, &e, &a)),
            [
                "ALTER TABLE care.patients ALTER COLUMN id DROP DEFAULT",
                "ALTER TABLE care.patients ALTER COLUMN id SET NOT NULL",
                "ALTER TABLE care.patients ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (START WITH 1 INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 CACHE 1 NO CYCLE)",
            ]
        );
        let mut e2 = e.clone();
        if let Some(i) = &mut e2.identity {
            i.generation = IdentityGeneration::ByDefault;
            i.sequence.increment = 10;
            i.sequence.cache = 5;
        }
        assert_eq!(
            sql_of(alter(&r, T, &e2, &e)),
            ["ALTER TABLE care.patients ALTER COLUMN id SET GENERATED BY DEFAULT SET INCREMENT BY 10 SET CACHE 5"]
        );
        assert_eq!(
            sql_of(alter(&r, T, &a, &e)),
            [
                "ALTER TABLE care.patients ALTER COLUMN id DROP IDENTITY",
                "ALTER TABLE care.patients ALTER COLUMN id SET DEFAULT nextval('care.ids'::regclass)",
                "ALTER TABLE care.patients ALTER COLUMN id DROP NOT NULL",
            ]
        );
    }

    #[test]
    fn generation_expressions_change_in_place_from_17() {
        let mut a = col("total", "numeric");
        a.generated = Some(Generated {
            expression: "(price * qty)".into(),
            kind: GeneratedKind::Stored,
        });
        let mut e = a.clone();
        e.generated.as_mut().unwrap().expression = "(price * (qty + 1))".into();
        let new = alter(&Pg::new(170000), T, &e, &a);
        assert_eq!(
            sql_of(new),
            ["ALTER TABLE care.patients ALTER COLUMN total SET EXPRESSION AS ((price * (qty + 1)))"]
        );
        let old = alter(&Pg::new(160000), T, &e, &a);
        assert!(matches!(old, Alter::Recreate { .. }));
        // Generated no more: the values stay.
        let plain = col("total", "numeric");
        assert_eq!(
            sql_of(alter(&Pg::new(160000), T, &plain, &a)),
            ["ALTER TABLE care.patients ALTER COLUMN total DROP EXPRESSION"]
        );
    }
}
