//! One object's row to the model: PostgreSQL's codes and bitfields
//! (`attidentity`, `contype`, `tgtype`, `polcmd`, ...) decoded.

use std::collections::{BTreeMap, HashMap};

use crate::model::postgres::{
    Column, ColumnSettings, ConstraintKind, Function, Generated, GeneratedKind, Identity,
    IdentityGeneration, Persistence, Policy, Privileges, Publication, Rule, Statistics, Trigger,
};

use super::*;

pub(super) fn persistence(code: &str) -> Persistence {
    match code {
        "u" => Persistence::Unlogged,
        _ => Persistence::Permanent,
    }
}

/// A column of a table; `partition` when the table is a partition.
/// PostgreSQL 17 and later mark a partition's column with its parent's
/// identity, with no sequence of its own (the parent's is used, and a
/// partition cannot have an identity of its own); 16 and older do not mark
/// it. Such an identity is the parent's, reported there, so the partition
/// reads alike on every version.
pub(super) fn column(
    c: RawColumn,
    sequence: Option<RawIdentity>,
    partition: bool,
    collations: &HashMap<u32, String>,
) -> Column {
    // Every field is named here (no `..`), in this and each function that
    // turns a raw row into the model: a column added to a query and never
    // read does not compile.
    let RawColumn {
        table_oid: _, // the caller attached the column to its table by it
        position: _,  // the caller's order; index keys found the column by it
        name,
        data_type,
        not_null,
        default,
        identity,
        generated,
        collation_oid,
        type_collation_oid,
        storage,
        compression,
        statistics,
        options,
        comment,
        grants,
    } = c;
    let column_options = column_options(options);
    let own = sequence.is_some() || !partition;
    let identity = identity_generation(&identity)
        .filter(|_| own)
        .map(|generation| Identity {
            generation,
            sequence: sequence
                .map(
                    |RawIdentity {
                         table_oid: _,
                         position: _,
                         sequence,
                     }| sequence,
                )
                .unwrap_or_default(),
        });
    let (default, generated) = match generated_kind(&generated) {
        Some(kind) => (
            None,
            default.map(|expression| Generated { expression, kind }),
        ),
        None => (default, None),
    };
    let collation = (collation_oid != 0 && collation_oid != type_collation_oid)
        .then(|| collations.get(&collation_oid).cloned())
        .flatten();
    Column {
        name,
        data_type,
        not_null,
        default,
        identity,
        generated,
        collation,
        storage: storage.map(|s| storage_name(&s)),
        compression: compression.map(|m| compression_name(&m)),
        statistics,
        options: column_options,
        comment,
        grants: column_grants(grants),
    }
}

/// The option PostgreSQL 15.20 (Debian's security release of November 2026)
/// stamps on every column it makes (`pg_attver=<n>`, a new number for each
/// table): pg_dump 15.20 leaves it out of the options it dumps, so a
/// restored copy and any other server have none or another.
const ATTRIBUTE_VERSION: &str = "pg_attver=";

/// A column's `attoptions`, sorted, without the version stamp pg_dump
/// leaves out (as its getTableAttrs does: `substr(o, 1, n) <> 'pg_attver='`).
fn column_options(mut options: Vec<String>) -> Vec<String> {
    options.retain(|o| !o.starts_with(ATTRIBUTE_VERSION));
    options.sort_unstable();
    options
}

/// A column's exploded ACL as grantee -> privileges (none when empty).
fn column_grants(acl: Vec<String>) -> BTreeMap<String, Vec<String>> {
    privileges(RawPrivileges {
        owner: None,
        acl: Some(acl),
    })
    .grants
    .unwrap_or_default()
}

/// A view's or materialized view's column: its name, comment, settings
/// (a materialized view's) and grants.
pub(super) struct ViewColumn {
    pub name: String,
    pub comment: Option<String>,
    pub settings: ColumnSettings,
    pub grants: BTreeMap<String, Vec<String>>,
}

/// A column of a materialized view: its name, comment and settings.
pub(super) fn view_column(c: RawColumn) -> ViewColumn {
    let RawColumn {
        table_oid: _, // the caller attached the column to its view by it
        position: _,
        name,
        data_type,
        not_null: _, // a view's columns have no constraints,
        default: _,  // defaults,
        identity: _, // identities,
        generated: _,
        collation_oid: _, // or collation of their own
        type_collation_oid: _,
        storage,
        compression,
        statistics,
        options,
        comment,
        grants,
    } = c;
    let column_options = column_options(options);
    let settings = ColumnSettings {
        data_type,
        storage: storage.map(|s| storage_name(&s)),
        compression: compression.map(|m| compression_name(&m)),
        statistics,
        options: column_options,
    };
    ViewColumn {
        name,
        comment,
        settings,
        grants: column_grants(grants),
    }
}

/// `attstorage` as the word `SET STORAGE` takes.
pub fn storage_name(code: &str) -> String {
    match code {
        "p" => "plain",
        "e" => "external",
        "m" => "main",
        "x" => "extended",
        other => other,
    }
    .to_string()
}

/// `attcompression` as the word `SET COMPRESSION` takes.
pub fn compression_name(code: &str) -> String {
    match code {
        "p" => "pglz",
        "l" => "lz4",
        other => other,
    }
    .to_string()
}

/// `attidentity`.
pub fn identity_generation(code: &str) -> Option<IdentityGeneration> {
    match code {
        "a" => Some(IdentityGeneration::Always),
        "d" => Some(IdentityGeneration::ByDefault),
        _ => None,
    }
}

/// `attgenerated`.
pub fn generated_kind(code: &str) -> Option<GeneratedKind> {
    match code {
        "s" => Some(GeneratedKind::Stored),
        "v" => Some(GeneratedKind::Virtual),
        _ => None,
    }
}

/// `contype`; `None` for kinds the model leaves out (NOT NULL `n`, trigger `t`).
pub fn constraint_kind(code: &str) -> Option<ConstraintKind> {
    match code {
        "p" => Some(ConstraintKind::PrimaryKey),
        "u" => Some(ConstraintKind::Unique),
        "c" => Some(ConstraintKind::Check),
        "x" => Some(ConstraintKind::Exclusion),
        "f" => Some(ConstraintKind::ForeignKey),
        _ => None,
    }
}

/// `confupdtype` / `confdeltype`.
pub fn fk_action(code: &str) -> &'static str {
    match code {
        "r" => "restrict",
        "c" => "cascade",
        "n" => "set_null",
        "d" => "set_default",
        _ => "no_action",
    }
}

/// `confmatchtype`.
pub fn fk_match(code: &str) -> &'static str {
    match code {
        "f" => "full",
        "p" => "partial",
        _ => "simple",
    }
}

/// `tgtype` -> (timing, sorted events, level).
pub fn trigger_type(tgtype: i32) -> (&'static str, Vec<String>, &'static str) {
    const ROW: i32 = 1 << 0;
    const BEFORE: i32 = 1 << 1;
    const INSERT: i32 = 1 << 2;
    const DELETE: i32 = 1 << 3;
    const UPDATE: i32 = 1 << 4;
    const TRUNCATE: i32 = 1 << 5;
    const INSTEAD: i32 = 1 << 6;
    let timing = if tgtype & INSTEAD != 0 {
        "instead_of"
    } else if tgtype & BEFORE != 0 {
        "before"
    } else {
        "after"
    };
    // Alphabetical, as the model wants them sorted.
    let events = [
        (DELETE, "delete"),
        (INSERT, "insert"),
        (TRUNCATE, "truncate"),
        (UPDATE, "update"),
    ]
    .iter()
    .filter(|(bit, _)| tgtype & bit != 0)
    .map(|(_, name)| name.to_string())
    .collect();
    let level = if tgtype & ROW != 0 {
        "row"
    } else {
        "statement"
    };
    (timing, events, level)
}

/// `tgenabled`.
pub fn trigger_enabled(code: &str) -> &'static str {
    match code {
        "D" => "disabled",
        "R" => "replica",
        "A" => "always",
        _ => "origin",
    }
}

/// `tgargs` (each argument followed by a NUL byte) -> the arguments.
pub fn trigger_args(bytes: &[u8], nargs: i32) -> Vec<String> {
    let n = usize::try_from(nargs).unwrap_or(0);
    if n == 0 {
        return Vec::new();
    }
    bytes
        .split(|b| *b == 0)
        .take(n)
        .map(|a| String::from_utf8_lossy(a).into_owned())
        .collect()
}

/// The condition of `WHEN (...)` in a `pg_get_triggerdef` text, without the
/// outer parentheses that the WHEN syntax requires.
pub fn trigger_when(definition: &str) -> Option<String> {
    let start = definition.find(" WHEN (")? + " WHEN (".len();
    let end = definition.rfind(") EXECUTE ")?;
    (end >= start).then(|| definition[start..end].to_string())
}

pub(super) fn trigger(t: RawTrigger) -> Trigger {
    let RawTrigger {
        table_oid: _, // the caller attached the trigger to its relation by it
        name: _,      // the caller's key
        tgtype,
        columns,
        function,
        args,
        nargs,
        definition,
        when_tree: _, // a lazy read's: deferred into `when_text` before
        when_text,
        oid: _, // what a deferred tree is deparsed by
        enabled,
        old_table,
        new_table,
        is_constraint,
        deferrable,
        initially_deferred,
        comment,
    } = t;
    let (timing, events, level) = trigger_type(tgtype);
    Trigger {
        timing: timing.to_string(),
        events,
        level: level.to_string(),
        columns,
        function,
        arguments: trigger_args(&args, nargs),
        // A lazy read's placeholder (see `Deferrer::defer`), else the text.
        when: when_text.or_else(|| definition.as_deref().and_then(trigger_when)),
        enabled: trigger_enabled(&enabled).to_string(),
        old_table,
        new_table,
        constraint: is_constraint,
        deferrable,
        initially_deferred,
        comment,
    }
}

/// `polcmd`.
pub fn policy_command(code: &str) -> &'static str {
    match code {
        "r" => "select",
        "a" => "insert",
        "w" => "update",
        "d" => "delete",
        _ => "all",
    }
}

pub(super) fn policy(p: RawPolicy) -> Policy {
    let RawPolicy {
        table_oid: _, // the caller attached the policy to its table by it
        name: _,      // the caller's key
        command,
        permissive,
        roles,
        using,
        with_check,
        using_tree: _,      // a lazy read's: deferred into `using` before
        with_check_tree: _, // and into `with_check`
        oid: _,             // what a deferred tree is deparsed by
        comment,
    } = p;
    Policy {
        command: policy_command(&command).to_string(),
        permissive,
        roles,
        using,
        with_check,
        comment,
    }
}

/// `provolatile`.
pub fn volatility(code: &str) -> &'static str {
    match code {
        "i" => "immutable",
        "s" => "stable",
        _ => "volatile",
    }
}

/// `proparallel`.
pub fn parallel(code: &str) -> &'static str {
    match code {
        "s" => "safe",
        "r" => "restricted",
        _ => "unsafe",
    }
}

/// `prokind`.
pub fn function_kind(code: &str) -> &'static str {
    match code {
        "p" => "procedure",
        "a" => "aggregate",
        "w" => "window",
        _ => "function",
    }
}

/// The SQL-standard body (`RETURN ...` or `BEGIN ATOMIC ... END`) out of a
/// `pg_get_functiondef` text: its header lines all start with a space or
/// `CREATE`, the body is the first line that does not.
pub fn sql_standard_body(definition: &str) -> Option<String> {
    let mut offset = 0;
    for line in definition.split_inclusive('\n') {
        if line.starts_with("RETURN ") || line.starts_with("BEGIN ATOMIC") {
            return Some(definition[offset..].trim_end().to_string());
        }
        offset += line.len();
    }
    None
}

pub(super) fn function(f: RawFunction) -> Function {
    let RawFunction {
        schema: _,   // the caller's schema
        name: _,     // the caller's key, with `identity`
        identity: _, // the caller's key, with `name`
        kind,
        arguments,
        returns,
        language,
        volatility: volatility_code,
        strict,
        security_definer,
        leakproof,
        parallel: parallel_code,
        settings,
        cost,
        rows,
        support,
        source,
        library,
        transforms,
        sql_body_definition,
        aggregate,
        comment,
        privileges: acl,
    } = f;
    let body = sql_body_definition
        .as_deref()
        .and_then(sql_standard_body)
        .unwrap_or(source);
    Function {
        kind: function_kind(&kind).to_string(),
        arguments,
        returns,
        language,
        volatility: volatility(&volatility_code).to_string(),
        strict,
        security_definer,
        leakproof,
        parallel: parallel(&parallel_code).to_string(),
        settings,
        cost,
        rows,
        support,
        body,
        transforms,
        library,
        aggregate,
        comment,
        privileges: privileges(acl),
    }
}

/// Group `grantee=PRIVILEGE` entries by grantee, sorted and deduplicated (the
/// same privilege given by two grantors is one grant).
pub fn privileges(raw: RawPrivileges) -> Privileges {
    let RawPrivileges { owner, acl } = raw;
    let grants = acl.map(|entries| {
        let mut map: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for entry in entries {
            let (grantee, privilege) = match entry.rsplit_once('=') {
                Some((g, p)) => (g.to_string(), p.to_string()),
                None => (entry.clone(), String::new()),
            };
            map.entry(grantee).or_default().push(privilege);
        }
        for privs in map.values_mut() {
            privs.sort();
            privs.dedup();
        }
        map
    });
    Privileges { owner, grants }
}

/// A rule as the model has it: its definition without the `;`
/// `pg_get_ruledef` ends it with.
pub(super) fn rule(x: RawRule) -> Rule {
    let RawRule {
        table_oid: _, // the caller attached the rule to its relation by it
        name: _,      // the caller's key
        definition,
        enabled,
        comment,
    } = x;
    Rule {
        definition: definition.trim_end().trim_end_matches(';').to_string(),
        enabled: trigger_enabled(&enabled).to_string(),
        comment,
    }
}

/// A publication as the model has it, with its name; its tables are
/// added by the caller. `publish` lists the operations in PostgreSQL's
/// order (insert, update, delete, truncate), as `pg_dump` writes them.
pub(super) fn publication(x: RawPublication) -> (String, Publication) {
    let RawPublication {
        name,
        all_tables,
        publish_insert,
        publish_update,
        publish_delete,
        publish_truncate,
        via_partition_root,
        generated_columns,
        schemas,
        comment,
        privileges: p,
    } = x;
    let publish = [
        (publish_insert, "insert"),
        (publish_update, "update"),
        (publish_delete, "delete"),
        (publish_truncate, "truncate"),
    ]
    .into_iter()
    .filter(|(on, _)| *on)
    .map(|(_, op)| op.to_string())
    .collect();
    let publication = Publication {
        all_tables,
        tables: BTreeMap::new(),
        schemas,
        publish,
        via_partition_root,
        generated_columns,
        comment,
        privileges: privileges(p),
    };
    (name, publication)
}

/// An extended statistics object as the model has it, with its name; its
/// schema only when not its table's (`table_schema`).
pub(super) fn extended_statistics(x: RawStatistics, table_schema: &str) -> (String, Statistics) {
    let RawStatistics {
        table_oid: _, // the caller attached it to its table by it
        name,
        schema,
        kinds,
        columns,
        expressions,
        target,
        comment,
        privileges: acl,
    } = x;
    let stats = Statistics {
        schema: (schema != table_schema).then_some(schema),
        kinds,
        columns,
        expressions,
        target,
        comment,
        privileges: privileges(acl),
    };
    (name, stats)
}

/// Put statistics object `x` named `name` among its table's: two of the
/// same name (in different schemas) stay apart, the one outside the
/// table's schema keyed `schema.name` (see
/// [`crate::model::postgres::Statistics::name`]).
pub(super) fn insert_statistics(
    map: &mut BTreeMap<String, Statistics>,
    name: String,
    x: Statistics,
) {
    match map.remove(&name) {
        None => {
            map.insert(name, x);
        }
        Some(other) => {
            let (outside, inside) = if x.schema.is_some() {
                (x, other)
            } else {
                (other, x)
            };
            let key = format!("{}.{name}", outside.schema.as_deref().unwrap_or_default());
            map.insert(key, outside);
            map.insert(name, inside);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::postgres::*;

    #[test]
    fn trigger_type_decodes_timing_events_level() {
        // BEFORE INSERT OR UPDATE FOR EACH ROW = ROW|BEFORE|INSERT|UPDATE
        assert_eq!(
            trigger_type(1 | 2 | 4 | 16),
            (
                "before",
                vec!["insert".to_string(), "update".to_string()],
                "row"
            )
        );
        // AFTER DELETE OR TRUNCATE FOR EACH STATEMENT
        assert_eq!(
            trigger_type(8 | 32),
            (
                "after",
                vec!["delete".to_string(), "truncate".to_string()],
                "statement"
            )
        );
        // INSTEAD OF INSERT OR UPDATE OR DELETE FOR EACH ROW
        let (timing, events, level) = trigger_type(1 | 64 | 4 | 8 | 16);
        assert_eq!(timing, "instead_of");
        assert_eq!(events, ["delete", "insert", "update"]);
        assert_eq!(level, "row");
    }

    #[test]
    fn column_options_leave_out_the_version_stamp() {
        let raw = vec![
            "pg_attver=4386585128".to_string(),
            "n_distinct=-1".to_string(),
            "n_distinct_inherited=5".to_string(),
        ];
        assert_eq!(
            column_options(raw),
            ["n_distinct=-1", "n_distinct_inherited=5"]
        );
        // Only the stamp: a name that merely starts alike stays.
        assert_eq!(
            column_options(vec!["pg_attversion=1".to_string()]),
            ["pg_attversion=1"]
        );
        assert!(column_options(vec!["pg_attver=1".to_string()]).is_empty());
    }

    #[test]
    fn trigger_enabled_codes() {
        assert_eq!(trigger_enabled("O"), "origin");
        assert_eq!(trigger_enabled("D"), "disabled");
        assert_eq!(trigger_enabled("R"), "replica");
        assert_eq!(trigger_enabled("A"), "always");
    }

    #[test]
    fn trigger_args_split_on_nul() {
        assert_eq!(trigger_args(b"a\0b c\0\0", 3), ["a", "b c", ""]);
        assert!(trigger_args(b"", 0).is_empty());
    }

    #[test]
    fn trigger_when_is_cut_from_the_definition() {
        let def = "CREATE TRIGGER t BEFORE UPDATE ON app.x FOR EACH ROW WHEN ((old.* IS DISTINCT FROM new.*)) EXECUTE FUNCTION app.touch()";
        assert_eq!(
            trigger_when(def).as_deref(),
            Some("(old.* IS DISTINCT FROM new.*)")
        );
        let none =
            "CREATE TRIGGER t BEFORE UPDATE ON app.x FOR EACH ROW EXECUTE FUNCTION app.touch()";
        assert_eq!(trigger_when(none), None);
    }

    #[test]
    fn fk_codes() {
        assert_eq!(fk_action("a"), "no_action");
        assert_eq!(fk_action("r"), "restrict");
        assert_eq!(fk_action("c"), "cascade");
        assert_eq!(fk_action("n"), "set_null");
        assert_eq!(fk_action("d"), "set_default");
        assert_eq!(fk_match("s"), "simple");
        assert_eq!(fk_match("f"), "full");
        assert_eq!(fk_match("p"), "partial");
    }

    #[test]
    fn policy_and_function_codes() {
        assert_eq!(policy_command("r"), "select");
        assert_eq!(policy_command("a"), "insert");
        assert_eq!(policy_command("w"), "update");
        assert_eq!(policy_command("d"), "delete");
        assert_eq!(policy_command("*"), "all");
        assert_eq!(volatility("i"), "immutable");
        assert_eq!(volatility("s"), "stable");
        assert_eq!(volatility("v"), "volatile");
        assert_eq!(parallel("s"), "safe");
        assert_eq!(parallel("r"), "restricted");
        assert_eq!(parallel("u"), "unsafe");
        assert_eq!(function_kind("f"), "function");
        assert_eq!(function_kind("p"), "procedure");
        assert_eq!(function_kind("a"), "aggregate");
        assert_eq!(function_kind("w"), "window");
        assert_eq!(identity_generation("a"), Some(IdentityGeneration::Always));
        assert_eq!(
            identity_generation("d"),
            Some(IdentityGeneration::ByDefault)
        );
        assert_eq!(identity_generation(""), None);
        assert_eq!(generated_kind("s"), Some(GeneratedKind::Stored));
        assert_eq!(generated_kind("v"), Some(GeneratedKind::Virtual));
        assert_eq!(constraint_kind("n"), None);
        assert_eq!(constraint_kind("x"), Some(ConstraintKind::Exclusion));
    }

    #[test]
    fn sql_standard_body_is_cut_from_functiondef() {
        let def = "CREATE OR REPLACE FUNCTION app.add(a integer, b integer)\n RETURNS integer\n LANGUAGE sql\n IMMUTABLE\nRETURN (a + b)\n";
        assert_eq!(sql_standard_body(def).as_deref(), Some("RETURN (a + b)"));
        let atomic = "CREATE OR REPLACE PROCEDURE app.p()\n LANGUAGE sql\nBEGIN ATOMIC\n INSERT INTO app.t DEFAULT VALUES;\nEND\n";
        assert_eq!(
            sql_standard_body(atomic).as_deref(),
            Some("BEGIN ATOMIC\n INSERT INTO app.t DEFAULT VALUES;\nEND")
        );
        assert_eq!(
            sql_standard_body("CREATE FUNCTION f()\n AS $$ x $$\n"),
            None
        );
    }

    #[test]
    fn privileges_group_sort_and_dedup() {
        let p = privileges(RawPrivileges {
            owner: Some("app".into()),
            acl: Some(vec![
                "app=SELECT".into(),
                "app=INSERT".into(),
                "PUBLIC=SELECT".into(),
                "app=SELECT".into(),
                "reader=SELECT WITH GRANT OPTION".into(),
            ]),
        });
        assert_eq!(p.owner.as_deref(), Some("app"));
        let g = p.grants.unwrap();
        assert_eq!(g["app"], ["INSERT", "SELECT"]);
        assert_eq!(g["PUBLIC"], ["SELECT"]);
        assert_eq!(g["reader"], ["SELECT WITH GRANT OPTION"]);
        assert!(privileges(RawPrivileges::default()).is_empty());
        // An explicit empty ACL (everything revoked) is not the default.
        let empty = privileges(RawPrivileges {
            owner: None,
            acl: Some(vec![]),
        });
        assert_eq!(empty.grants, Some(BTreeMap::new()));
    }
}
