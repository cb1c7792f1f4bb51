//! A missing or unexpected object as the DDL that creates it, for the text
//! and Markdown reports: `CREATE INDEX patients_name_idx ON care.patients
//! USING btree (name)` where the JSON report has the object's fields; and
//! a changed object as the statements that turn ACTUAL's into EXPECTED's
//! (the JSON report's `sql`).
//!
//! The object is looked up in the side that has it (EXPECTED for a missing
//! one, ACTUAL for an unexpected one, both for a changed one) by its
//! reported type and name, and rendered by the same functions as the fix
//! script. The changes of one object share its statements.

use std::collections::BTreeMap;

use super::postgres::{
    access_method, cast, collation, column, constraint, conversion, event_trigger, foreign,
    function, index, language, opclass, operator, policy, privileges, publication, refs, rule,
    schema, security_label, sequence, statistics, subscription, table, text_search, transform,
    trigger, types, view, Name, Pg,
};
use super::{cypher, Alter, Statement};
use crate::diff::{Change, ChangeKind};
use crate::model::postgres::{PgSchema, Schema, Table};
use crate::model::{Neo4jSchema, Snapshot};

/// The key [`ddl_of_changes`] files an object's DDL under.
pub fn key(c: &Change) -> String {
    format!("{} {}", c.object_type().name(), c.object())
}

/// What of one side of a comparison the DDL is rendered from.
#[derive(Clone, Copy, Default)]
pub struct Side<'a> {
    pub postgres: Option<&'a PgSchema>,
    pub neo4j: Option<&'a Neo4jSchema>,
    pub server_version: Option<&'a str>,
}

impl<'a> From<&'a Snapshot> for Side<'a> {
    fn from(s: &'a Snapshot) -> Side<'a> {
        Side {
            postgres: s.postgres.as_ref(),
            neo4j: s.neo4j.as_ref(),
            server_version: s.server_version.as_deref(),
        }
    }
}

/// The DDL of every missing and unexpected object in `changes` that can
/// be found and rendered, by [`key`].
pub fn ddl_of_changes(
    changes: &[Change],
    expected: &Snapshot,
    actual: &Snapshot,
) -> BTreeMap<String, String> {
    ddl_of_sides(changes, expected.into(), actual.into())
}

/// [`ddl_of_changes`] from the parts of two sides.
pub fn ddl_of_sides(changes: &[Change], expected: Side, actual: Side) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for c in changes {
        let object_type = c.object_type().name();
        let side = match c.kind() {
            ChangeKind::Missing => expected,
            ChangeKind::Unexpected => actual,
            ChangeKind::Changed => {
                if out.contains_key(&key(c)) {
                    continue;
                }
                let alter = match c.object().strip_prefix("neo4j:") {
                    Some(identity) => expected
                        .neo4j
                        .zip(actual.neo4j)
                        .and_then(|(e, a)| neo4j_alter(e, a, object_type, identity)),
                    None => expected.postgres.zip(actual.postgres).and_then(|(e, a)| {
                        // The statements run against ACTUAL.
                        let r = Pg::for_server(actual.server_version);
                        postgres_alter(&r, e, a, object_type, c.object())
                    }),
                };
                let statements = alter.map(Alter::into_statements);
                if let Some(text) = statements.as_deref().and_then(text_of) {
                    out.insert(key(c), text);
                }
                continue;
            }
        };
        let statements = match c.object().strip_prefix("neo4j:") {
            Some(identity) => side.neo4j.and_then(|g| neo4j(g, object_type, identity)),
            None => side.postgres.and_then(|pg| {
                let r = Pg::for_server(side.server_version);
                postgres(&r, pg, object_type, c.object())
            }),
        };
        if let Some(text) = statements.as_deref().and_then(text_of) {
            out.insert(key(c), text);
        }
    }
    out
}

/// The statements as a script's lines; none for no statement, or for a
/// text a lazy read left as a placeholder (the fields say more).
fn text_of(v: &[Statement]) -> Option<String> {
    if v.is_empty() {
        return None;
    }
    let text: Vec<String> = v.iter().map(ToString::to_string).collect();
    let text = text.join("\n");
    (!crate::postgres::holds_placeholder(&text)).then_some(text)
}

/// A changed Neo4j constraint or index: dropped and created again (Neo4j
/// alters neither).
fn neo4j_alter(
    e: &Neo4jSchema,
    a: &Neo4jSchema,
    object_type: &str,
    identity: &str,
) -> Option<Alter> {
    match object_type {
        "constraint" => {
            cypher::alter_constraint(e.constraints.get(identity)?, a.constraints.get(identity)?)
                .ok()
        }
        "index" => cypher::alter_index(e.indexes.get(identity)?, a.indexes.get(identity)?).ok(),
        _ => None,
    }
}

/// A changed PostgreSQL object: the alter the fix script makes of it.
fn postgres_alter(
    r: &Pg,
    e: &PgSchema,
    a: &PgSchema,
    object_type: &str,
    object: &str,
) -> Option<Alter> {
    match object_type {
        "extension" => Some(schema::alter_extension(
            r,
            object,
            e.extensions.get(object)?,
            a.extensions.get(object)?,
        )),
        "schema" => Some(schema::alter(
            r,
            object,
            e.schemas.get(object)?,
            a.schemas.get(object)?,
        )),
        "cast" => Some(cast::alter(
            r,
            object,
            e.casts.get(object)?,
            a.casts.get(object)?,
        )),
        "default_privileges" => Some(Alter::InPlace(privileges::default_privileges(
            r,
            Some(e.default_privileges.get(object)?),
            Some(a.default_privileges.get(object)?),
        ))),
        "foreign_data_wrapper" => Some(foreign::alter_wrapper(
            r,
            object,
            e.foreign_data_wrappers.get(object)?,
            a.foreign_data_wrappers.get(object)?,
        )),
        "foreign_server" => Some(foreign::alter_server(
            r,
            object,
            e.foreign_servers.get(object)?,
            a.foreign_servers.get(object)?,
        )),
        "user_mapping" => {
            let (sn, who) = foreign::split_mapping(&e.foreign_servers, object)?;
            let em = e.foreign_servers.get(sn)?.user_mappings.get(who)?;
            let am = a.foreign_servers.get(sn)?.user_mappings.get(who)?;
            let st = foreign::alter_user_mapping(r, sn, who, em, am);
            Some(Alter::InPlace(st.into_iter().collect()))
        }
        "access_method" => Some(access_method::alter(
            r,
            object,
            e.access_methods.get(object)?,
            a.access_methods.get(object)?,
        )),
        "language" => Some(language::alter(
            r,
            object,
            e.languages.get(object)?,
            a.languages.get(object)?,
        )),
        "transform" => Some(transform::alter(
            r,
            object,
            e.transforms.get(object)?,
            a.transforms.get(object)?,
        )),
        "security_label" => {
            let (target, provider, label) = security_label::label_of(e, object)?;
            Some(Alter::InPlace(vec![security_label::set(
                target,
                provider,
                Some(label),
            )]))
        }
        "subscription" => Some(subscription::alter(
            r,
            object,
            e.subscriptions.get(object)?,
            a.subscriptions.get(object)?,
        )),
        "event_trigger" => Some(event_trigger::alter(
            r,
            object,
            e.event_triggers.get(object)?,
            a.event_triggers.get(object)?,
        )),
        "publication" => Some(publication::alter(
            r,
            object,
            e.publications.get(object)?,
            a.publications.get(object)?,
        )),
        "function" => {
            let (sn, key) = object.split_once('.')?;
            let ef = e.schemas.get(sn)?.functions.get(key)?;
            let af = a.schemas.get(sn)?.functions.get(key)?;
            function::alter(r, sn, key, ef, af).ok()
        }
        // An operator's key holds its types, which may be qualified.
        "operator" => {
            let (sn, key) = object.split_once('.')?;
            let eo = e.schemas.get(sn)?.operators.get(key)?;
            let ao = a.schemas.get(sn)?.operators.get(key)?;
            Some(operator::alter(r, sn, key, eo, ao))
        }
        "operator_class" => {
            let (sn, key) = object.split_once('.')?;
            let ec = e.schemas.get(sn)?.operator_classes.get(key)?;
            let ac = a.schemas.get(sn)?.operator_classes.get(key)?;
            Some(opclass::alter_class(r, sn, key, ec, ac))
        }
        "operator_family" => {
            let (sn, key) = object.split_once('.')?;
            let ef = e.schemas.get(sn)?.operator_families.get(key)?;
            let af = a.schemas.get(sn)?.operator_families.get(key)?;
            let x = opclass::alter_family(r, sn, key, ef, af);
            Some(Alter::InPlace(
                x.drop.into_iter().chain(x.add).chain(x.rest).collect(),
            ))
        }
        "conversion" => {
            let (sn, n) = object.split_once('.')?;
            let ec = e.schemas.get(sn)?.conversions.get(n)?;
            let ac = a.schemas.get(sn)?.conversions.get(n)?;
            Some(conversion::alter(r, Name::new(sn, n), ec, ac))
        }
        // A collation's name may hold a dot (`de_DE.utf8`).
        "collation" => {
            let (sn, n) = object.split_once('.')?;
            let ec = e.schemas.get(sn)?.collations.get(n)?;
            let ac = a.schemas.get(sn)?.collations.get(n)?;
            Some(collation::alter(r, Name::new(sn, n), ec, ac))
        }
        "text_search_configuration"
        | "text_search_dictionary"
        | "text_search_parser"
        | "text_search_template" => {
            let (sn, n) = object.split_once('.')?;
            let (es, as_) = (e.schemas.get(sn)?, a.schemas.get(sn)?);
            let at = Name::new(sn, n);
            Some(match object_type {
                "text_search_configuration" => text_search::alter_configuration(
                    r,
                    at,
                    es.text_search_configurations.get(n)?,
                    as_.text_search_configurations.get(n)?,
                ),
                "text_search_dictionary" => text_search::alter_dictionary(
                    r,
                    at,
                    es.text_search_dictionaries.get(n)?,
                    as_.text_search_dictionaries.get(n)?,
                ),
                "text_search_parser" => text_search::alter_parser(
                    r,
                    at,
                    es.text_search_parsers.get(n)?,
                    as_.text_search_parsers.get(n)?,
                ),
                _ => text_search::alter_template(
                    r,
                    at,
                    es.text_search_templates.get(n)?,
                    as_.text_search_templates.get(n)?,
                ),
            })
        }
        _ => {
            let (sn, n, child) = parts(object);
            let (es, as_) = (e.schemas.get(sn)?, a.schemas.get(sn)?);
            let n = n?;
            // A foreign table's parts alter with ALTER FOREIGN TABLE.
            let at = Name::new(sn, n);
            let at = as_.tables.get(n).map_or(at, |t| at.of_table(t));
            Some(match (object_type, child) {
                ("table" | "foreign_table", None) => {
                    table::alter(r, at, es.tables.get(n)?, as_.tables.get(n)?)
                }
                ("view", None) => view::alter_view(r, at, es.views.get(n)?, as_.views.get(n)?),
                ("materialized_view", None) => view::alter_materialized_view(
                    r,
                    at,
                    es.materialized_views.get(n)?,
                    as_.materialized_views.get(n)?,
                ),
                ("sequence", None) => {
                    sequence::alter(r, at, es.sequences.get(n)?, as_.sequences.get(n)?)
                }
                ("enum", None) => types::alter_enum(r, at, es.enums.get(n)?, as_.enums.get(n)?),
                ("domain", None) => {
                    types::alter_domain(r, at, es.domains.get(n)?, as_.domains.get(n)?)
                }
                ("composite_type", None) => types::alter_composite(
                    r,
                    at,
                    es.composite_types.get(n)?,
                    as_.composite_types.get(n)?,
                ),
                ("range_type", None) => {
                    types::alter_range(r, at, es.range_types.get(n)?, as_.range_types.get(n)?)
                }
                ("base_type", None) => {
                    types::alter_base(r, at, es.base_types.get(n)?, as_.base_types.get(n)?)
                }
                ("shell_type", None) => {
                    types::alter_shell_type(r, at, es.shell_types.get(n)?, as_.shell_types.get(n)?)
                }
                (kind, Some(child)) => return child_alter(r, es, as_, at, kind, child),
                _ => return None,
            })
        }
    }
}

/// A changed column, constraint, index, trigger or policy of relation `at`.
fn child_alter(
    r: &Pg,
    es: &Schema,
    as_: &Schema,
    at: Name,
    kind: &str,
    name: &str,
) -> Option<Alter> {
    if let (Some(et), Some(t)) = (es.tables.get(at.name), as_.tables.get(at.name)) {
        let col = |t: &'_ Table| t.columns.iter().find(|c| c.name == name).cloned();
        return Some(match kind {
            "column" => column::alter(r, at, &col(et)?, &col(t)?),
            "constraint" => constraint::alter(
                r,
                at,
                name,
                et.constraints.get(name)?,
                t.constraints.get(name)?,
            ),
            "index" => index::alter(
                r,
                at,
                name,
                et.indexes.get(name)?,
                t.indexes.get(name)?,
                Some(&et.columns),
            ),
            "trigger" => trigger::alter(r, at, name, et.triggers.get(name)?, t.triggers.get(name)?),
            "rule" => rule::alter(r, at, name, et.rules.get(name)?, t.rules.get(name)?),
            "statistics" => statistics::alter(
                r,
                at,
                name,
                et.statistics.get(name)?,
                t.statistics.get(name)?,
            ),
            "policy" => policy::alter(r, at, name, et.policies.get(name)?, t.policies.get(name)?),
            _ => return None,
        });
    }
    if let (Some(em), Some(m)) = (
        es.materialized_views.get(at.name),
        as_.materialized_views.get(at.name),
    ) {
        if kind == "column" {
            return Some(view::alter_materialized_view_column(r, at, name, em, m));
        }
        if kind != "index" {
            return None;
        }
        return Some(index::alter(
            r,
            at,
            name,
            em.indexes.get(name)?,
            m.indexes.get(name)?,
            None,
        ));
    }
    if let (Some(ev), Some(v)) = (es.views.get(at.name), as_.views.get(at.name)) {
        if kind == "column" {
            return Some(view::alter_view_column(r, at, name, ev, v));
        }
        if kind == "rule" {
            return Some(rule::alter(
                r,
                at,
                name,
                ev.rules.get(name)?,
                v.rules.get(name)?,
            ));
        }
        if kind != "trigger" {
            return None;
        }
        return Some(trigger::alter(
            r,
            at,
            name,
            ev.triggers.get(name)?,
            v.triggers.get(name)?,
        ));
    }
    let (ed, d) = (es.domains.get(at.name)?, as_.domains.get(at.name)?);
    (kind == "constraint").then(|| types::alter_domain(r, at, ed, d))
}

fn neo4j(g: &Neo4jSchema, object_type: &str, identity: &str) -> Option<Vec<Statement>> {
    match object_type {
        "constraint" => g
            .constraints
            .get(identity)
            .map(|c| vec![cypher::create_constraint(c)]),
        "index" => g
            .indexes
            .get(identity)
            .map(|x| vec![cypher::create_index(x)]),
        _ => None,
    }
}

/// `object` split at its first dot, and the rest at its next one: schema,
/// then table (or other relation), then child. Names holding a dot are
/// not found (the report shows the fields instead).
fn parts(object: &str) -> (&str, Option<&str>, Option<&str>) {
    let mut it = object.splitn(3, '.');
    (it.next().unwrap_or(""), it.next(), it.next())
}

fn postgres(r: &Pg, pg: &PgSchema, object_type: &str, object: &str) -> Option<Vec<Statement>> {
    match object_type {
        "extension" => pg
            .extensions
            .get(object)
            .map(|e| vec![schema::create_extension(r, object, e)]),
        "schema" => pg.schemas.get(object).map(|s| schema::create(r, object, s)),
        "cast" => pg.casts.get(object).map(|x| cast::create(r, object, x)),
        "default_privileges" => pg
            .default_privileges
            .get(object)
            .map(|x| privileges::default_privileges(r, Some(x), None)),
        "foreign_data_wrapper" => pg
            .foreign_data_wrappers
            .get(object)
            .map(|x| foreign::create_wrapper(r, object, x)),
        "foreign_server" => pg
            .foreign_servers
            .get(object)
            .map(|x| foreign::create_server(r, object, x)),
        "user_mapping" => {
            let (sn, who) = foreign::split_mapping(&pg.foreign_servers, object)?;
            let m = pg.foreign_servers.get(sn)?.user_mappings.get(who)?;
            Some(vec![foreign::create_user_mapping(r, sn, who, m)])
        }
        "access_method" => pg
            .access_methods
            .get(object)
            .map(|x| access_method::create(r, object, x)),
        "language" => pg
            .languages
            .get(object)
            .map(|x| language::create(r, object, x)),
        "transform" => pg
            .transforms
            .get(object)
            .map(|x| transform::create(r, object, x)),
        "security_label" => {
            let (target, provider, label) = security_label::label_of(pg, object)?;
            Some(vec![security_label::set(target, provider, Some(label))])
        }
        "subscription" => pg
            .subscriptions
            .get(object)
            .map(|x| subscription::create(r, object, x)),
        "event_trigger" => pg
            .event_triggers
            .get(object)
            .map(|x| event_trigger::create(r, object, x)),
        "publication" => pg
            .publications
            .get(object)
            .map(|p| publication::create(r, object, p)),
        // A function's key holds its argument types, which may be qualified.
        "function" => {
            let (sn, key) = object.split_once('.')?;
            let f = pg.schemas.get(sn)?.functions.get(key)?;
            function::create(r, sn, key, f).ok()
        }
        "operator" => {
            let (sn, key) = object.split_once('.')?;
            let o = pg.schemas.get(sn)?.operators.get(key)?;
            Some(operator::create(r, sn, key, o))
        }
        "conversion" => {
            let (sn, n) = object.split_once('.')?;
            let c = pg.schemas.get(sn)?.conversions.get(n)?;
            Some(conversion::create(r, Name::new(sn, n), c))
        }
        "operator_class" => {
            let (sn, key) = object.split_once('.')?;
            let c = pg.schemas.get(sn)?.operator_classes.get(key)?;
            Some(opclass::create_class(r, sn, key, c))
        }
        "operator_family" => {
            let (sn, key) = object.split_once('.')?;
            let f = pg.schemas.get(sn)?.operator_families.get(key)?;
            Some(opclass::create_family(r, sn, key, f))
        }
        "collation" => {
            let (sn, n) = object.split_once('.')?;
            let c = pg.schemas.get(sn)?.collations.get(n)?;
            Some(collation::create(r, Name::new(sn, n), c))
        }
        "text_search_configuration"
        | "text_search_dictionary"
        | "text_search_parser"
        | "text_search_template" => {
            let (sn, n) = object.split_once('.')?;
            let s = pg.schemas.get(sn)?;
            let at = Name::new(sn, n);
            Some(match object_type {
                "text_search_configuration" => {
                    text_search::create_configuration(r, at, s.text_search_configurations.get(n)?)
                }
                "text_search_dictionary" => {
                    text_search::create_dictionary(r, at, s.text_search_dictionaries.get(n)?)
                }
                "text_search_parser" => {
                    text_search::create_parser(r, at, s.text_search_parsers.get(n)?)
                }
                _ => text_search::create_template(r, at, s.text_search_templates.get(n)?),
            })
        }
        _ => {
            let (sn, n, child) = parts(object);
            let s = pg.schemas.get(sn)?;
            let n = n?;
            let at = Name::new(sn, n);
            let at = s.tables.get(n).map_or(at, |t| at.of_table(t));
            match (object_type, child) {
                ("table" | "foreign_table", None) => {
                    Some(table_with_partitions(r, pg, at, s.tables.get(n)?))
                }
                ("view", None) => {
                    let v = s.views.get(n)?;
                    let mut out = view::create_view(r, at, v);
                    out.extend(view::create_view_triggers(r, at, v));
                    Some(out)
                }
                ("materialized_view", None) => {
                    let m = s.materialized_views.get(n)?;
                    let mut out = view::create_materialized_view(r, at, m);
                    out.extend(view::create_materialized_view_indexes(r, at, m));
                    Some(out)
                }
                ("sequence", None) => Some(sequence::create(r, at, s.sequences.get(n)?)),
                ("enum", None) => Some(types::create_enum(r, at, s.enums.get(n)?)),
                ("domain", None) => Some(types::create_domain(r, at, s.domains.get(n)?)),
                ("composite_type", None) => {
                    Some(types::create_composite(r, at, s.composite_types.get(n)?))
                }
                ("range_type", None) => Some(types::create_range(r, at, s.range_types.get(n)?)),
                // The shell first: its I/O functions need it, the type them.
                ("base_type", None) => {
                    let mut out = vec![types::create_shell(r, at)];
                    out.extend(types::create_base(r, at, s.base_types.get(n)?));
                    Some(out)
                }
                ("shell_type", None) => {
                    Some(types::create_shell_type(r, at, s.shell_types.get(n)?))
                }
                (kind, Some(child)) => child_of(r, s, at, kind, child),
                _ => None,
            }
        }
    }
}

/// A column, constraint, index, trigger or policy of relation `at`.
fn child_of(r: &Pg, s: &Schema, at: Name, kind: &str, name: &str) -> Option<Vec<Statement>> {
    if let Some(t) = s.tables.get(at.name) {
        return match kind {
            "column" => Some(column::add(
                r,
                at,
                t.columns.iter().find(|c| c.name == name)?,
            )),
            "constraint" => Some(constraint::create(r, at, name, t.constraints.get(name)?)),
            "index" => Some(index::create(
                r,
                at,
                name,
                t.indexes.get(name)?,
                Some(&t.columns),
            )),
            "trigger" => Some(trigger::create(r, at, name, t.triggers.get(name)?)),
            "rule" => Some(rule::create(r, at, name, t.rules.get(name)?)),
            "statistics" => Some(statistics::create(r, at, name, t.statistics.get(name)?)),
            "policy" => Some(policy::create(r, at, name, t.policies.get(name)?)),
            _ => None,
        };
    }
    if let Some(m) = s.materialized_views.get(at.name) {
        return match kind {
            "index" => Some(index::create(r, at, name, m.indexes.get(name)?, None)),
            "statistics" => Some(statistics::create(r, at, name, m.statistics.get(name)?)),
            _ => None,
        };
    }
    if let Some(v) = s.views.get(at.name) {
        if kind == "rule" {
            return Some(rule::create(r, at, name, v.rules.get(name)?));
        }
        let t = v.triggers.get(name).filter(|_| kind == "trigger")?;
        return Some(trigger::create(r, at, name, t));
    }
    // A domain's constraint: the domain with it is the clearest DDL.
    let d = s.domains.get(at.name)?;
    (kind == "constraint" && d.constraints.contains_key(name))
        .then(|| types::create_domain(r, at, d))
}

/// The table with its parts, and its partitions (the report folds them
/// into their parent's change).
fn table_with_partitions(r: &Pg, pg: &PgSchema, at: Name, t: &Table) -> Vec<Statement> {
    let mut out = table::create_with_parts(r, at, t, None);
    for (sn, s) in &pg.schemas {
        for (n, p) in &s.tables {
            let parent = p
                .partition_of
                .as_ref()
                .and_then(|x| refs::qualified_names(&x.parent).into_iter().next());
            if parent.is_some_and(|(ps, pn)| ps == at.schema && pn == at.name) {
                out.extend(table_with_partitions(r, pg, Name::new(sn, n), p));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::{Definition, ObjectType};
    use serde_json::json;

    fn snapshot(pg: PgSchema) -> Snapshot {
        let mut s = Snapshot::empty();
        s.server_version = Some("PostgreSQL 15.18".into());
        s.postgres = Some(pg);
        s
    }

    fn change(kind: ChangeKind, object_type: ObjectType, object: &str) -> Change {
        // What the DDL is rendered from is the side's model, not this.
        let definition = Definition::Schema(Box::default());
        match kind {
            ChangeKind::Missing => Change::missing(object_type, object.into(), definition),
            _ => Change::unexpected(object_type, object.into(), definition),
        }
    }

    #[test]
    fn missing_and_unexpected_objects_are_their_ddl() {
        let t: Table = serde_json::from_value(json!({
            "columns": [{"name": "name", "type": "text", "not_null": true}],
            "indexes": {"patients_name_idx": {"method": "btree", "keys": [{"expression": "name"}]}}
        }))
        .unwrap();
        let mut pg = PgSchema::default();
        let mut s = Schema::default();
        s.tables.insert("patients".into(), t);
        pg.schemas.insert("care".into(), s);
        let have = snapshot(pg);
        let changes = vec![
            change(
                ChangeKind::Unexpected,
                ObjectType::Index,
                "care.patients.patients_name_idx",
            ),
            change(
                ChangeKind::Missing,
                ObjectType::Column,
                "care.patients.name",
            ),
            change(ChangeKind::Unexpected, ObjectType::Table, "care.patients"),
            change(ChangeKind::Unexpected, ObjectType::View, "care.nothing"),
        ];
        let ddl = ddl_of_changes(&changes, &have, &have);
        assert_eq!(
            ddl["index care.patients.patients_name_idx"],
            "CREATE INDEX patients_name_idx ON care.patients USING btree (name);"
        );
        assert_eq!(
            ddl["column care.patients.name"],
            "ALTER TABLE care.patients ADD COLUMN name text NOT NULL;"
        );
        assert!(ddl["table care.patients"].starts_with("CREATE TABLE care.patients ("));
        assert!(!ddl.contains_key("view care.nothing"));
    }

    /// A changed object is the statements that turn ACTUAL's into
    /// EXPECTED's; the changes of one object share them.
    #[test]
    fn changed_objects_are_their_alter() {
        let table = |not_null: bool, rls: bool| -> PgSchema {
            let t: Table = serde_json::from_value(json!({
                "columns": [{"name": "name", "type": "text", "not_null": not_null}],
                "rls_enabled": rls
            }))
            .unwrap();
            let mut pg = PgSchema::default();
            let mut s = Schema::default();
            s.tables.insert("patients".into(), t);
            pg.schemas.insert("care".into(), s);
            pg
        };
        let (want, have) = (snapshot(table(true, true)), snapshot(table(false, false)));
        let changes = crate::diff::diff_snapshots(&want, &have);
        let ddl = ddl_of_changes(&changes, &want, &have);
        assert_eq!(
            ddl["column care.patients.name"],
            "ALTER TABLE care.patients ALTER COLUMN name SET NOT NULL;"
        );
        assert_eq!(
            ddl["table care.patients"],
            "ALTER TABLE care.patients ENABLE ROW LEVEL SECURITY;"
        );
    }
}
