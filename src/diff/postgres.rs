//! What PostgreSQL objects mean to the differ: identities, compared
//! attributes, change codes and severities.
//!
//! Everything is compared textually, as PostgreSQL normalised it when the
//! snapshot was taken (see `model::postgres`). The exceptions, each there to
//! avoid a false positive:
//!
//! - constraints and indexes whose names differ but whose meaning is equal
//!   are paired and reported as an `info` rename;
//! - a sequence owned by a column is identified by that column, and the
//!   column's `nextval('...'::regclass)` default by "its own sequence", so
//!   `serial` and an explicit sequence with `OWNED BY` compare equal;
//! - column order is compared only among the columns both sides have, and
//!   reported at `info` level;
//! - a missing or unexpected object carries its children (and the sequences
//!   it owns and the partitions it holds), so a dropped table is one change.
//!
//! Severity: `error` for a lost object that code depends on (everything but
//! an index; a unique index too, since it enforces data), a changed type or
//! nullability, a changed constraint or policy (the expected one no longer
//! exists as written), RLS disabled, a trigger disabled, an enum label lost;
//! `warning` for unexpected objects, missing indexes and other changed
//! attributes; `info` for comments, names and column order.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::change::{ColumnDefinition, TableDefinition};
use super::{
    pair_by_meaning, split, to_value, Change, Changes, Code, Definition, Fields, ObjectType,
    SecurityLabelDefinition, Severity,
};
use crate::ddl::postgres::security_label;
use crate::equiv::{Equiv, Kind};
use crate::model::postgres::*;

/// Compare two PostgreSQL schemas read by the same PostgreSQL version. The
/// result is unsorted.
pub fn diff(expected: &PgSchema, actual: &PgSchema) -> Vec<Change> {
    diff_with(expected, actual, &Equiv::default())
}

/// [`diff`], with expressions compared by meaning as `eq` says (which
/// knows the versions that printed them).
pub fn diff_with(expected: &PgSchema, actual: &PgSchema, eq: &Equiv) -> Vec<Change> {
    let PgSchema {
        with_privileges,
        extensions: _,            // compared by `extensions`, through `Side`
        schemas: _,               // likewise by `schemas`
        publications: _,          // likewise by `publications`
        event_triggers: _,        // likewise by `event_triggers`
        casts: _,                 // likewise by `casts`
        foreign_data_wrappers: _, // likewise by `foreign_data_wrappers`
        default_privileges: _,    // likewise by `default_privileges`
        foreign_servers: _,       // likewise by `foreign_servers`
        subscriptions: _,         // likewise by `subscriptions`
        access_methods: _,        // likewise by `access_methods`
        languages: _,             // likewise by `languages`
        transforms: _,            // likewise by `transforms`
        security_labels,
        not_compared: _, // counted for the report (`crate::diff::not_compared`)
    } = expected;
    let (e, a) = (Side::new(expected), Side::new(actual));
    let mut d = Differ {
        e: &e,
        a: &a,
        eq,
        privileges: *with_privileges && actual.with_privileges,
        out: Changes::default(),
    };
    d.extensions();
    d.schemas();
    d.publications();
    d.event_triggers();
    d.casts();
    d.default_privileges();
    d.foreign_data_wrappers();
    d.foreign_servers();
    d.subscriptions();
    d.access_methods();
    d.languages();
    d.transforms();
    d.security_labels(None, security_labels, &actual.security_labels);
    d.out.0
}

/// Grants (grantee -> privileges) that differ, one field `grants.<grantee>`
/// each, absent (null) on the side that has none.
fn grants_by_grantee(
    f: &mut Fields,
    e: &BTreeMap<String, Vec<String>>,
    a: &BTreeMap<String, Vec<String>>,
) {
    let s = split(e, a);
    for (who, p) in s.missing {
        f.push(format!("grants.{who}"), to_value(p), Value::Null);
    }
    for (who, p) in s.unexpected {
        f.push(format!("grants.{who}"), Value::Null, to_value(p));
    }
    for (who, ep, ap) in s.both {
        f.cmp(&format!("grants.{who}"), ep, ap);
    }
}

/// The members of an operator family or class that differ, one field
/// `members.<OPERATOR n (left, right)>` each, absent (null) on the side that
/// has none.
fn members_by_key(f: &mut Fields, e: &BTreeMap<String, String>, a: &BTreeMap<String, String>) {
    let s = split(e, a);
    for (k, v) in s.missing {
        f.push(format!("members.{k}"), to_value(v), Value::Null);
    }
    for (k, v) in s.unexpected {
        f.push(format!("members.{k}"), Value::Null, to_value(v));
    }
    for (k, ev, av) in s.both {
        f.cmp(&format!("members.{k}"), ev, av);
    }
}

/// `parent.name`, in one allocation of the right size (`format!` grows its
/// string as it goes; this runs for every object compared).
fn qual(parent: &str, name: &str) -> String {
    let mut q = String::with_capacity(parent.len() + 1 + name.len());
    q.push_str(parent);
    q.push('.');
    q.push_str(name);
    q
}

/// One side of the comparison with the lookups folding needs.
struct Side<'a> {
    pg: &'a PgSchema,
    /// Owner column (`schema.table.column`) -> sequences it owns (schema, name).
    owned: BTreeMap<&'a str, Vec<(&'a str, &'a str, &'a Sequence)>>,
    /// Partitioned parent (`schema.table`) -> its partitions (schema, name).
    partitions: BTreeMap<&'a str, Vec<(&'a str, &'a str)>>,
}

impl<'a> Side<'a> {
    fn new(pg: &'a PgSchema) -> Side<'a> {
        let mut owned: BTreeMap<&str, Vec<_>> = BTreeMap::new();
        let mut partitions: BTreeMap<&str, Vec<_>> = BTreeMap::new();
        for (sn, s) in &pg.schemas {
            for (qn, q) in &s.sequences {
                if let Some(o) = &q.owned_by {
                    owned
                        .entry(o.as_str())
                        .or_default()
                        .push((sn.as_str(), qn.as_str(), q));
                }
            }
            for (tn, t) in &s.tables {
                if let Some(p) = &t.partition_of {
                    partitions
                        .entry(p.parent.as_str())
                        .or_default()
                        .push((sn.as_str(), tn.as_str()));
                }
            }
        }
        Side {
            pg,
            owned,
            partitions,
        }
    }

    fn has_schema(&self, s: &str) -> bool {
        self.pg.schemas.contains_key(s)
    }

    fn table(&self, qualified: &str) -> Option<&'a Table> {
        let (s, t) = qualified.split_once('.')?;
        self.pg.schemas.get(s)?.tables.get(t)
    }

    fn has_table(&self, qualified: &str) -> bool {
        self.table(qualified).is_some()
    }

    fn has_column(&self, qualified: &str) -> bool {
        let mut it = qualified.splitn(3, '.');
        let (Some(s), Some(t), Some(c)) = (it.next(), it.next(), it.next()) else {
            return false;
        };
        self.pg
            .schemas
            .get(s)
            .and_then(|s| s.tables.get(t))
            .is_some_and(|t| t.columns.iter().any(|col| col.name == c))
    }

    fn has_sequence(&self, s: &str, name: &str) -> bool {
        self.pg
            .schemas
            .get(s)
            .is_some_and(|s| s.sequences.contains_key(name))
    }

    /// The sequence owned by `owner` (`schema.table.column`), when exactly one.
    fn owned_sequence(&self, owner: &str) -> Option<(&'a str, &'a str)> {
        match self.owned.get(owner).map(Vec::as_slice) {
            Some([(s, n, _)]) => Some((s, n)),
            _ => None,
        }
    }
}

struct Differ<'a> {
    e: &'a Side<'a>,
    a: &'a Side<'a>,
    /// Expressions that print differently but mean the same are equal.
    eq: &'a Equiv,
    privileges: bool,
    out: Changes,
}

/// From this many tables present on both sides, a schema's tables are
/// compared on two threads (a thread costs about what five tables do).
const PARALLEL_TABLES: usize = 256;

// Each function that compares an object destructures the expected side's
// model struct without `..`: a field added to the model and compared
// nowhere is an unused binding, which does not build (`-D warnings`). A
// field left out on purpose is bound to `_` with the reason.
impl<'a> Differ<'a> {
    fn comment(&mut self, ty: ObjectType, object: &str, e: &Option<String>, a: &Option<String>) {
        self.out
            .changed(Code::CommentChanged, ty, object, |f| f.cmp("comment", e, a));
    }

    fn privileges(&mut self, ty: ObjectType, object: &str, e: &Privileges, a: &Privileges) {
        if !self.privileges {
            return;
        }
        let Privileges { owner, grants } = e;
        self.out.changed(Code::PrivilegesChanged, ty, object, |f| {
            f.cmp("owner", owner, &a.owner);
            let (Some(eg), Some(ag)) = (grants, &a.grants) else {
                // Default privileges (a NULL ACL) on one side: the whole ACL
                // differs, and is reported whole so that applying the
                // change gives the other side exactly.
                f.cmp("grants", grants, &a.grants);
                return;
            };
            grants_by_grantee(f, eg, ag);
        });
    }

    /// A column's grants (`GRANT SELECT (col) ...`), grantee by grantee.
    fn column_grants(
        &mut self,
        object: &str,
        e: &BTreeMap<String, Vec<String>>,
        a: &BTreeMap<String, Vec<String>>,
    ) {
        if !self.privileges {
            return;
        }
        self.out
            .changed(Code::PrivilegesChanged, ObjectType::Column, object, |f| {
                grants_by_grantee(f, e, a)
            });
    }

    fn storage(&mut self, ty: ObjectType, object: &str, e: &[String], a: &[String]) {
        self.out
            .changed(Code::StorageParametersChanged, ty, object, |f| {
                f.cmp("storage_parameters", e, a)
            });
    }

    fn extensions(&mut self) {
        let s = split(&self.e.pg.extensions, &self.a.pg.extensions);
        let ty = ObjectType::Extension;
        for (n, x) in s.missing {
            self.out
                .missing(ty, n, Definition::Extension(Box::new(x.clone())));
        }
        for (n, x) in s.unexpected {
            self.out
                .unexpected(ty, n, Definition::Extension(Box::new(x.clone())));
        }
        for (n, e, a) in s.both {
            let Extension {
                version,
                schema,
                default_version: _, // how `version` compares
            } = e;
            let same_version = crate::equiv::same_extension_version(e, a);
            self.out.changed(Code::ExtensionVersionChanged, ty, n, |f| {
                if !same_version {
                    f.cmp("version", version, &a.version)
                }
            });
            self.out.changed(Code::ExtensionSchemaChanged, ty, n, |f| {
                f.cmp("schema", schema, &a.schema)
            });
        }
    }

    /// Publications, with their tables compared one by one
    /// (`tables.<table>`: the column list and row filter, or absent).
    fn publications(&mut self) {
        let s = split(&self.e.pg.publications, &self.a.pg.publications);
        let ty = ObjectType::Publication;
        for (n, x) in s.missing {
            let def = Definition::Publication(Box::new(x.clone()));
            self.out.missing(ty, n, def);
        }
        for (n, x) in s.unexpected {
            let def = Definition::Publication(Box::new(x.clone()));
            self.out.unexpected(ty, n, def);
        }
        for (n, e, a) in s.both {
            let Publication {
                all_tables,
                tables,
                schemas,
                publish,
                via_partition_root,
                generated_columns,
                comment,
                privileges,
            } = e;
            let eq = self.eq;
            self.out.changed(Code::PublicationChanged, ty, n, |f| {
                f.cmp("all_tables", all_tables, &a.all_tables);
                let t = split(tables, &a.tables);
                for (name, x) in t.missing {
                    f.push(format!("tables.{name}"), to_value(x), Value::Null);
                }
                for (name, x) in t.unexpected {
                    f.push(format!("tables.{name}"), Value::Null, to_value(x));
                }
                for (name, et, at) in t.both {
                    let PublicationTable {
                        columns,
                        row_filter,
                    } = et;
                    f.cmp(&format!("tables.{name}.columns"), columns, &at.columns);
                    let field = format!("tables.{name}.row_filter");
                    let (ef, af) = (row_filter, &at.row_filter);
                    cmp_expr(eq, f, &field, Kind::Expression, ef, af);
                }
                f.cmp("schemas", schemas, &a.schemas);
                f.cmp("publish", publish, &a.publish);
                f.cmp(
                    "via_partition_root",
                    via_partition_root,
                    &a.via_partition_root,
                );
                f.cmp("generated_columns", generated_columns, &a.generated_columns);
            });
            self.comment(ty, n, comment, &a.comment);
            self.privileges(ty, n, privileges, &a.privileges);
        }
    }

    /// Default privileges, only when both sides read privileges. The key
    /// holds the role, schema and object kind; the grants are compared
    /// grantee by grantee.
    fn default_privileges(&mut self) {
        if !self.privileges {
            return;
        }
        let s = split(&self.e.pg.default_privileges, &self.a.pg.default_privileges);
        let ty = ObjectType::DefaultPrivileges;
        for (n, x) in s.missing {
            let def = Definition::DefaultPrivileges(Box::new(x.clone()));
            self.out.missing(ty, n, def);
        }
        for (n, x) in s.unexpected {
            let def = Definition::DefaultPrivileges(Box::new(x.clone()));
            self.out.unexpected(ty, n, def);
        }
        for (n, e, a) in s.both {
            let DefaultPrivileges {
                role: _,   // in the key
                schema: _, // likewise
                on: _,     // likewise
                grants,
            } = e;
            self.out
                .changed(Code::DefaultPrivilegesChanged, ty, n, |f| {
                    grants_by_grantee(f, grants, &a.grants)
                });
        }
    }

    fn casts(&mut self) {
        let s = split(&self.e.pg.casts, &self.a.pg.casts);
        let ty = ObjectType::Cast;
        for (n, x) in s.missing {
            let def = Definition::Cast(Box::new(x.clone()));
            self.out.missing(ty, n, def);
        }
        for (n, x) in s.unexpected {
            let def = Definition::Cast(Box::new(x.clone()));
            self.out.unexpected(ty, n, def);
        }
        for (n, e, a) in s.both {
            let Cast {
                method,
                function,
                context,
                comment,
            } = e;
            self.out.changed(Code::CastChanged, ty, n, |f| {
                f.cmp("method", method, &a.method);
                f.cmp("function", function, &a.function);
                f.cmp("context", context, &a.context);
            });
            self.comment(ty, n, comment, &a.comment);
        }
    }

    fn foreign_data_wrappers(&mut self) {
        let (e, a) = (
            &self.e.pg.foreign_data_wrappers,
            &self.a.pg.foreign_data_wrappers,
        );
        let s = split(e, a);
        let ty = ObjectType::ForeignDataWrapper;
        for (n, x) in s.missing {
            let def = Definition::ForeignDataWrapper(Box::new(x.clone()));
            self.out.missing(ty, n, def);
        }
        for (n, x) in s.unexpected {
            let def = Definition::ForeignDataWrapper(Box::new(x.clone()));
            self.out.unexpected(ty, n, def);
        }
        for (n, e, a) in s.both {
            let ForeignDataWrapper {
                handler,
                validator,
                options,
                comment,
                privileges,
            } = e;
            self.out
                .changed(Code::ForeignDataWrapperChanged, ty, n, |f| {
                    f.cmp("handler", handler, &a.handler);
                    f.cmp("validator", validator, &a.validator);
                    option_fields(f, options, &a.options);
                });
            self.comment(ty, n, comment, &a.comment);
            self.privileges(ty, n, privileges, &a.privileges);
        }
    }

    /// Foreign servers, with their user mappings compared one by one
    /// (object `<server>.<role>`; a missing or unexpected server carries
    /// its own).
    fn foreign_servers(&mut self) {
        let s = split(&self.e.pg.foreign_servers, &self.a.pg.foreign_servers);
        let ty = ObjectType::ForeignServer;
        for (n, x) in s.missing {
            let def = Definition::ForeignServer(Box::new(x.clone()));
            self.out.missing(ty, n, def);
        }
        for (n, x) in s.unexpected {
            let def = Definition::ForeignServer(Box::new(x.clone()));
            self.out.unexpected(ty, n, def);
        }
        for (n, e, a) in s.both {
            let ForeignServer {
                wrapper,
                server_type,
                version,
                options,
                user_mappings,
                comment,
                privileges,
            } = e;
            self.out.changed(Code::ForeignServerChanged, ty, n, |f| {
                f.cmp("wrapper", wrapper, &a.wrapper);
                f.cmp("type", server_type, &a.server_type);
                f.cmp("version", version, &a.version);
                option_fields(f, options, &a.options);
            });
            self.comment(ty, n, comment, &a.comment);
            self.privileges(ty, n, privileges, &a.privileges);
            let ty = ObjectType::UserMapping;
            let m = split(user_mappings, &a.user_mappings);
            for (role, x) in m.missing {
                let def = Definition::UserMapping(Box::new(x.clone()));
                self.out.missing(ty, &qual(n, role), def);
            }
            for (role, x) in m.unexpected {
                let def = Definition::UserMapping(Box::new(x.clone()));
                self.out.unexpected(ty, &qual(n, role), def);
            }
            for (role, e, a) in m.both {
                let UserMapping { options } = e;
                let q = qual(n, role);
                self.out.changed(Code::UserMappingChanged, ty, &q, |f| {
                    option_fields(f, options, &a.options)
                });
            }
        }
    }

    fn transforms(&mut self) {
        let s = split(&self.e.pg.transforms, &self.a.pg.transforms);
        let ty = ObjectType::Transform;
        for (n, x) in s.missing {
            let def = Definition::Transform(Box::new(x.clone()));
            self.out.missing(ty, n, def);
        }
        for (n, x) in s.unexpected {
            let def = Definition::Transform(Box::new(x.clone()));
            self.out.unexpected(ty, n, def);
        }
        for (n, e, a) in s.both {
            let Transform {
                from_sql,
                to_sql,
                comment,
            } = e;
            self.out.changed(Code::TransformChanged, ty, n, |f| {
                f.cmp("from_sql", from_sql, &a.from_sql);
                f.cmp("to_sql", to_sql, &a.to_sql);
            });
            self.comment(ty, n, comment, &a.comment);
        }
    }

    fn languages(&mut self) {
        let s = split(&self.e.pg.languages, &self.a.pg.languages);
        let ty = ObjectType::Language;
        for (n, x) in s.missing {
            let def = Definition::Language(Box::new(x.clone()));
            self.out.missing(ty, n, def);
        }
        for (n, x) in s.unexpected {
            let def = Definition::Language(Box::new(x.clone()));
            self.out.unexpected(ty, n, def);
        }
        for (n, e, a) in s.both {
            let Language {
                trusted,
                handler,
                inline,
                validator,
                comment,
                privileges,
            } = e;
            self.out.changed(Code::LanguageChanged, ty, n, |f| {
                f.cmp("trusted", trusted, &a.trusted);
                f.cmp("handler", handler, &a.handler);
                f.cmp("inline", inline, &a.inline);
                f.cmp("validator", validator, &a.validator);
            });
            self.comment(ty, n, comment, &a.comment);
            self.privileges(ty, n, privileges, &a.privileges);
        }
    }

    fn access_methods(&mut self) {
        let s = split(&self.e.pg.access_methods, &self.a.pg.access_methods);
        let ty = ObjectType::AccessMethod;
        for (n, x) in s.missing {
            let def = Definition::AccessMethod(Box::new(x.clone()));
            self.out.missing(ty, n, def);
        }
        for (n, x) in s.unexpected {
            let def = Definition::AccessMethod(Box::new(x.clone()));
            self.out.unexpected(ty, n, def);
        }
        for (n, e, a) in s.both {
            let AccessMethod {
                kind,
                handler,
                comment,
            } = e;
            self.out
                .changed(Code::AccessMethodDefinitionChanged, ty, n, |f| {
                    f.cmp("type", kind, &a.kind);
                    f.cmp("handler", handler, &a.handler);
                });
            self.comment(ty, n, comment, &a.comment);
        }
    }

    fn subscriptions(&mut self) {
        let s = split(&self.e.pg.subscriptions, &self.a.pg.subscriptions);
        let ty = ObjectType::Subscription;
        for (n, x) in s.missing {
            let def = Definition::Subscription(Box::new(x.clone()));
            self.out.missing(ty, n, def);
        }
        for (n, x) in s.unexpected {
            let def = Definition::Subscription(Box::new(x.clone()));
            self.out.unexpected(ty, n, def);
        }
        for (n, e, a) in s.both {
            let Subscription {
                conninfo,
                publications,
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
                comment,
                privileges,
            } = e;
            if *enabled != a.enabled {
                let code = if *enabled {
                    Code::SubscriptionDisabled
                } else {
                    Code::SubscriptionEnabled
                };
                self.out
                    .changed(code, ty, n, |f| f.cmp("enabled", enabled, &a.enabled));
            }
            let eq = self.eq;
            self.out.changed(Code::SubscriptionChanged, ty, n, |f| {
                let keys: BTreeSet<&String> = conninfo.keys().chain(a.conninfo.keys()).collect();
                for k in keys {
                    f.cmp(
                        &format!("conninfo.{k}"),
                        &conninfo.get(k),
                        &a.conninfo.get(k),
                    );
                }
                f.cmp("publications", publications, &a.publications);
                f.cmp("slot_name", slot_name, &a.slot_name);
                f.cmp("binary", binary, &a.binary);
                if !eq.same_streaming(streaming, &a.streaming) {
                    f.cmp("streaming", streaming, &a.streaming);
                }
                f.cmp("two_phase", two_phase, &a.two_phase);
                f.cmp("disable_on_error", disable_on_error, &a.disable_on_error);
                f.cmp("password_required", password_required, &a.password_required);
                f.cmp("run_as_owner", run_as_owner, &a.run_as_owner);
                f.cmp("origin", origin, &a.origin);
                f.cmp("failover", failover, &a.failover);
                f.cmp(
                    "synchronous_commit",
                    synchronous_commit,
                    &a.synchronous_commit,
                );
            });
            self.comment(ty, n, comment, &a.comment);
            self.privileges(ty, n, privileges, &a.privileges);
        }
    }

    fn event_triggers(&mut self) {
        let s = split(&self.e.pg.event_triggers, &self.a.pg.event_triggers);
        let ty = ObjectType::EventTrigger;
        for (n, x) in s.missing {
            let def = Definition::EventTrigger(Box::new(x.clone()));
            self.out.missing(ty, n, def);
        }
        for (n, x) in s.unexpected {
            let def = Definition::EventTrigger(Box::new(x.clone()));
            self.out.unexpected(ty, n, def);
        }
        for (n, e, a) in s.both {
            let EventTrigger {
                event,
                tags,
                function,
                enabled,
                comment,
                privileges,
            } = e;
            if *enabled != a.enabled {
                let code = if a.enabled == "disabled" {
                    Code::EventTriggerDisabled
                } else {
                    Code::EventTriggerEnabledChanged
                };
                self.out
                    .changed(code, ty, n, |f| f.cmp("enabled", enabled, &a.enabled));
            }
            self.out.changed(Code::EventTriggerChanged, ty, n, |f| {
                f.cmp("event", event, &a.event);
                f.cmp("tags", tags, &a.tags);
                f.cmp("function", function, &a.function);
            });
            self.comment(ty, n, comment, &a.comment);
            self.privileges(ty, n, privileges, &a.privileges);
        }
    }

    fn schemas(&mut self) {
        let s = split(&self.e.pg.schemas, &self.a.pg.schemas);
        let ty = ObjectType::Schema;
        for (n, x) in s.missing {
            self.out
                .missing(ty, n, Definition::Schema(Box::new(x.clone())));
        }
        for (n, x) in s.unexpected {
            self.out
                .unexpected(ty, n, Definition::Schema(Box::new(x.clone())));
        }
        for (n, e, a) in s.both {
            let Schema {
                comment,
                privileges,
                tables,
                views,
                materialized_views,
                sequences,
                functions,
                enums,
                domains,
                composite_types,
                range_types,
                base_types,
                shell_types,
                collations,
                operators,
                text_search_configurations: _, // compared by `text_search`
                text_search_dictionaries: _,   // likewise
                text_search_parsers: _,        // likewise
                text_search_templates: _,      // likewise
                operator_families,
                operator_classes,
                conversions,
                security_labels,
                not_compared: _, // counted for the report
            } = e;
            self.comment(ty, n, comment, &a.comment);
            self.privileges(ty, n, privileges, &a.privileges);
            self.tables(n, tables, &a.tables);
            self.views(n, views, &a.views);
            self.materialized_views(n, materialized_views, &a.materialized_views);
            self.sequences(n, sequences, &a.sequences);
            self.functions(n, functions, &a.functions);
            self.enums(n, enums, &a.enums);
            self.domains(n, domains, &a.domains);
            self.composite_types(n, composite_types, &a.composite_types);
            self.range_types(n, range_types, &a.range_types);
            self.base_types(n, base_types, &a.base_types);
            self.shell_types(n, shell_types, &a.shell_types);
            self.collations(n, collations, &a.collations);
            self.operators(n, operators, &a.operators);
            self.text_search(n, e, a);
            self.operator_families(n, operator_families, &a.operator_families);
            self.operator_classes(n, operator_classes, &a.operator_classes);
            self.conversions(n, conversions, &a.conversions);
            self.security_labels(Some(n), security_labels, &a.security_labels);
        }
    }

    /// The security labels of schema `sn`'s objects (none: the
    /// database's), one change per object and provider.
    fn security_labels(&mut self, sn: Option<&str>, e: &SecurityLabels, a: &SecurityLabels) {
        let ty = ObjectType::SecurityLabel;
        let none = BTreeMap::new();
        let def = |target: &str, provider: &str, label: &str| {
            Definition::SecurityLabel(Box::new(SecurityLabelDefinition {
                schema: sn.map(str::to_string),
                target: target.to_string(),
                provider: provider.to_string(),
                label: label.to_string(),
            }))
        };
        let targets: BTreeSet<&String> = e.keys().chain(a.keys()).collect();
        for target in targets {
            let (el, al) = (
                e.get(target).unwrap_or(&none),
                a.get(target).unwrap_or(&none),
            );
            let s = split(el, al);
            for (p, l) in s.missing {
                let object = security_label::object(target, p);
                self.out.missing(ty, &object, def(target, p, l));
            }
            for (p, l) in s.unexpected {
                let object = security_label::object(target, p);
                self.out.unexpected(ty, &object, def(target, p, l));
            }
            for (p, el, al) in s.both {
                let object = security_label::object(target, p);
                self.out
                    .changed(Code::SecurityLabelChanged, ty, &object, |f| {
                        f.cmp("label", el, al)
                    });
            }
        }
    }

    // ---- tables -------------------------------------------------------------

    fn tables(&mut self, sn: &str, e: &'a BTreeMap<String, Table>, a: &'a BTreeMap<String, Table>) {
        let s = split(e, a);
        for (tn, t) in s.missing {
            if !folded_partition(self.e, self.a, t) {
                let def = table_definition(self.e, self.a, sn, tn, t);
                self.out.missing(table_type(t, t), &qual(sn, tn), def);
            }
        }
        for (tn, t) in s.unexpected {
            if !folded_partition(self.a, self.e, t) {
                let def = table_definition(self.a, self.e, sn, tn, t);
                self.out.unexpected(table_type(t, t), &qual(sn, tn), def);
            }
        }
        // Most of the work: with many tables, the second half is compared on
        // another thread and its changes follow the first half's, in the
        // order one thread would have made them.
        let half = if s.both.len() < PARALLEL_TABLES {
            s.both.len()
        } else {
            s.both.len() / 2
        };
        let (first, second) = s.both.split_at(half);
        std::thread::scope(|scope| {
            let rest = (!second.is_empty()).then(|| {
                let mut d = Differ {
                    out: Changes::default(),
                    ..*self
                };
                scope.spawn(move || {
                    d.table_pairs(sn, second);
                    d.out
                })
            });
            self.table_pairs(sn, first);
            if let Some(rest) = rest {
                let out = rest
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
                self.out.0.extend(out.0);
            }
        });
    }

    fn table_pairs(&mut self, sn: &str, pairs: &[(&String, &Table, &Table)]) {
        for (tn, et, at) in pairs {
            self.table(&qual(sn, tn), et, at);
        }
    }

    fn table(&mut self, q: &str, e: &Table, a: &Table) {
        let Table {
            persistence,
            columns,
            constraints,
            indexes,
            triggers,
            rules,
            statistics,
            policies,
            rls_enabled,
            rls_forced,
            partition_key,
            partition_of,
            inherits,
            of,
            storage_parameters,
            access_method,
            clustered_on,
            replica_identity,
            foreign,
            comment,
            privileges,
        } = e;
        let ty = table_type(e, a);
        self.out.changed(Code::ForeignTableChanged, ty, q, |f| {
            match (foreign, &a.foreign) {
                (
                    Some(ForeignTable {
                        server,
                        options,
                        column_options,
                    }),
                    Some(af),
                ) => {
                    f.cmp("server", server, &af.server);
                    option_fields(f, options, &af.options);
                    column_option_fields(f, column_options, &af.column_options);
                }
                (ef, af) => f.cmp("foreign", ef, af),
            }
        });
        self.out.changed(Code::TablePersistenceChanged, ty, q, |f| {
            f.cmp("persistence", persistence, &a.persistence)
        });
        if *rls_enabled != a.rls_enabled {
            let code = if *rls_enabled {
                Code::RlsDisabled
            } else {
                Code::RlsEnabled
            };
            self.out.changed(code, ty, q, |f| {
                f.cmp("rls_enabled", rls_enabled, &a.rls_enabled)
            });
        }
        if *rls_forced != a.rls_forced {
            let code = if *rls_forced {
                Code::RlsForceDisabled
            } else {
                Code::RlsForceEnabled
            };
            self.out.changed(code, ty, q, |f| {
                f.cmp("rls_forced", rls_forced, &a.rls_forced)
            });
        }
        let eq = self.eq;
        self.out.changed(Code::PartitionKeyChanged, ty, q, |f| {
            cmp_expr(
                eq,
                f,
                "partition_key",
                Kind::PartitionKey,
                partition_key,
                &a.partition_key,
            )
        });
        self.out.changed(Code::PartitionOfChanged, ty, q, |f| {
            match (partition_of, &a.partition_of) {
                (Some(PartitionOf { parent, bound }), Some(ap)) => {
                    f.cmp("partition_of.parent", parent, &ap.parent);
                    f.cmp("partition_of.bound", bound, &ap.bound);
                }
                (ep, ap) => f.cmp("partition_of", ep, ap),
            }
        });
        self.out.changed(Code::TableInheritsChanged, ty, q, |f| {
            f.cmp("inherits", inherits, &a.inherits)
        });
        self.out
            .changed(Code::TableOfChanged, ty, q, |f| f.cmp("of", of, &a.of));
        self.out.changed(Code::AccessMethodChanged, ty, q, |f| {
            f.cmp("access_method", access_method, &a.access_method)
        });
        self.out.changed(Code::TableClusterChanged, ty, q, |f| {
            f.cmp("clustered_on", clustered_on, &a.clustered_on)
        });
        self.out
            .changed(Code::TableReplicaIdentityChanged, ty, q, |f| {
                f.cmp("replica_identity", replica_identity, &a.replica_identity)
            });
        self.storage(ty, q, storage_parameters, &a.storage_parameters);
        self.comment(ty, q, comment, &a.comment);
        self.privileges(ty, q, privileges, &a.privileges);

        self.columns(ty, q, columns, &a.columns);
        self.constraints(q, constraints, &a.constraints);
        self.indexes(q, indexes, &a.indexes);
        self.triggers(q, triggers, &a.triggers);
        self.rules(q, rules, &a.rules);
        self.statistics(q, statistics, &a.statistics);
        self.policies(q, policies, &a.policies);
    }

    fn columns(&mut self, ty: ObjectType, tq: &str, ec: &[Column], ac: &[Column]) {
        // The common case, without the maps: the same columns in the same
        // order (changes are sorted afterwards, so the visiting order is free).
        if ec.len() == ac.len() && ec.iter().zip(ac).all(|(e, a)| e.name == a.name) {
            for (e, a) in ec.iter().zip(ac) {
                self.column(&qual(tq, &e.name), e, a);
            }
            return;
        }
        let em: BTreeMap<&str, &Column> = ec.iter().map(|c| (c.name.as_str(), c)).collect();
        let am: BTreeMap<&str, &Column> = ac.iter().map(|c| (c.name.as_str(), c)).collect();
        let s = split(&em, &am);
        for (cn, c) in &s.missing {
            let q = qual(tq, cn);
            let def = column_definition(self.e, self.a, &q, c, position(ec, cn));
            self.out.missing(ObjectType::Column, &q, def);
        }
        for (cn, c) in &s.unexpected {
            let q = qual(tq, cn);
            let def = column_definition(self.a, self.e, &q, c, position(ac, cn));
            self.out.unexpected(ObjectType::Column, &q, def);
        }
        for (cn, e, a) in &s.both {
            self.column(&qual(tq, cn), e, a);
        }

        // Order among the columns both sides have: an added or dropped column
        // is its own change, not an order change.
        fn common<'c>(cols: &'c [Column], other: &BTreeMap<&str, &Column>) -> Vec<&'c str> {
            cols.iter()
                .map(|c| c.name.as_str())
                .filter(|n| other.contains_key(n))
                .collect()
        }
        let (eo, ao) = (common(ec, &am), common(ac, &em));
        self.out.changed(Code::ColumnOrderChanged, ty, tq, |f| {
            f.cmp("column_order", &eo, &ao)
        });
    }

    fn column(&mut self, q: &str, e: &Column, a: &Column) {
        let Column {
            name: _, // its identity: compared by `columns`
            data_type,
            not_null,
            default,
            identity,
            generated,
            collation,
            storage,
            compression,
            statistics,
            options,
            comment,
            grants,
        } = e;
        let ty = ObjectType::Column;
        self.out.changed(Code::ColumnTypeChanged, ty, q, |f| {
            f.cmp("type", data_type, &a.data_type)
        });
        self.out
            .changed(Code::ColumnNullabilityChanged, ty, q, |f| {
                f.cmp("not_null", not_null, &a.not_null)
            });
        let ed = canonical_default(self.e, q, default.as_deref());
        let ad = canonical_default(self.a, q, a.default.as_deref());
        if !self.eq.same_opt(Kind::Expression, ed, ad) {
            self.out.changed(Code::ColumnDefaultChanged, ty, q, |f| {
                f.cmp("default", default, &a.default)
            });
        }
        self.out.changed(Code::ColumnIdentityChanged, ty, q, |f| {
            match (identity, &a.identity) {
                (
                    Some(Identity {
                        generation,
                        sequence,
                    }),
                    Some(ai),
                ) => {
                    f.cmp("identity.generation", generation, &ai.generation);
                    sequence_options(f, "identity.sequence.", sequence, &ai.sequence);
                }
                (ei, ai) => f.cmp("identity", ei, ai),
            }
        });
        let eq = self.eq;
        self.out.changed(Code::ColumnGeneratedChanged, ty, q, |f| {
            match (generated, &a.generated) {
                (Some(Generated { expression, kind }), Some(ag)) => {
                    if !eq.same(Kind::Expression, expression, &ag.expression) {
                        f.cmp("generated.expression", expression, &ag.expression);
                    }
                    f.cmp("generated.kind", kind, &ag.kind);
                }
                (eg, ag) => f.cmp("generated", eg, ag),
            }
        });
        self.out.changed(Code::ColumnCollationChanged, ty, q, |f| {
            f.cmp("collation", collation, &a.collation)
        });
        self.out.changed(Code::ColumnStorageChanged, ty, q, |f| {
            f.cmp("storage", storage, &a.storage)
        });
        self.out
            .changed(Code::ColumnCompressionChanged, ty, q, |f| {
                f.cmp("compression", compression, &a.compression)
            });
        self.out.changed(Code::ColumnStatisticsChanged, ty, q, |f| {
            f.cmp("statistics", statistics, &a.statistics)
        });
        self.out.changed(Code::ColumnOptionsChanged, ty, q, |f| {
            f.cmp("options", options, &a.options)
        });
        self.comment(ty, q, comment, &a.comment);
        self.column_grants(q, grants, &a.grants);
    }

    fn constraints(
        &mut self,
        tq: &str,
        e: &BTreeMap<String, Constraint>,
        a: &BTreeMap<String, Constraint>,
    ) {
        let mut s = split(e, a);
        let renamed = pair_by_meaning(&mut s, |c: &Constraint| {
            Some((c.kind, self.eq.meaning(Kind::Constraint, &c.definition)))
        });
        let ty = ObjectType::Constraint;
        for (n, c) in s.missing {
            let def = Definition::Constraint(Box::new(c.clone()));
            self.out.missing(ty, &qual(tq, n), def);
        }
        for (n, c) in s.unexpected {
            let def = Definition::Constraint(Box::new(c.clone()));
            self.out.unexpected(ty, &qual(tq, n), def);
        }
        for (en, ec, an, ac) in renamed {
            let q = qual(tq, en);
            self.renamed(Code::ConstraintRenamed, ty, &q, en, an);
            self.constraint(&q, ec, ac);
        }
        for (n, ec, ac) in s.both {
            self.constraint(&qual(tq, n), ec, ac);
        }
    }

    fn renamed(&mut self, code: Code, ty: ObjectType, q: &str, en: &str, an: &str) {
        self.out.changed(code, ty, q, |f| f.cmp("name", en, an));
    }

    fn constraint(&mut self, q: &str, e: &Constraint, a: &Constraint) {
        let Constraint {
            kind,
            definition,
            columns,
            deferrable,
            initially_deferred,
            validated,
            no_inherit,
            foreign_key,
            comment,
        } = e;
        let ty = ObjectType::Constraint;
        let eq = self.eq;
        self.out.changed(Code::ConstraintChanged, ty, q, |f| {
            f.cmp("kind", kind, &a.kind);
            let (ed, ad) = (core_definition(definition), core_definition(&a.definition));
            if !eq.same(Kind::Constraint, ed, ad) {
                f.cmp("definition", definition, &a.definition);
            }
            f.cmp("columns", columns, &a.columns);
            match (foreign_key, &a.foreign_key) {
                (
                    Some(ForeignKey {
                        references,
                        referenced_columns,
                        on_update,
                        on_delete,
                        match_type,
                    }),
                    Some(af),
                ) => {
                    f.cmp("foreign_key.references", references, &af.references);
                    f.cmp(
                        "foreign_key.referenced_columns",
                        referenced_columns,
                        &af.referenced_columns,
                    );
                    f.cmp("foreign_key.on_update", on_update, &af.on_update);
                    f.cmp("foreign_key.on_delete", on_delete, &af.on_delete);
                    f.cmp("foreign_key.match", match_type, &af.match_type);
                }
                (ef, af) => f.cmp("foreign_key", ef, af),
            }
        });
        self.out
            .changed(Code::ConstraintDeferrableChanged, ty, q, |f| {
                f.cmp("deferrable", deferrable, &a.deferrable);
                f.cmp(
                    "initially_deferred",
                    initially_deferred,
                    &a.initially_deferred,
                );
            });
        self.out
            .changed(Code::ConstraintValidationChanged, ty, q, |f| {
                f.cmp("validated", validated, &a.validated)
            });
        self.out
            .changed(Code::ConstraintInheritanceChanged, ty, q, |f| {
                f.cmp("no_inherit", no_inherit, &a.no_inherit)
            });
        self.comment(ty, q, comment, &a.comment);
    }

    /// Indexes of a table or materialized view named `parent`.
    fn indexes(&mut self, parent: &str, e: &BTreeMap<String, Index>, a: &BTreeMap<String, Index>) {
        let mut s = split(e, a);
        let renamed = pair_by_meaning(&mut s, |i| Some(index_meaning(self.eq, i)));
        let ty = ObjectType::Index;
        for (n, i) in s.missing {
            // A unique index enforces data, as a constraint does.
            let c = Change::missing(ty, qual(parent, n), Definition::Index(Box::new(i.clone())));
            self.out.0.push(if i.unique {
                c.with_severity(Severity::Error)
            } else {
                c
            });
        }
        for (n, i) in s.unexpected {
            let def = Definition::Index(Box::new(i.clone()));
            self.out.unexpected(ty, &qual(parent, n), def);
        }
        for (en, ei, an, ai) in renamed {
            let q = qual(parent, en);
            self.renamed(Code::IndexRenamed, ty, &q, en, an);
            self.index(&q, ei, ai);
        }
        for (n, ei, ai) in s.both {
            self.index(&qual(parent, n), ei, ai);
        }
    }

    fn index(&mut self, q: &str, e: &Index, a: &Index) {
        let Index {
            method,
            unique,
            nulls_not_distinct,
            keys,
            include,
            predicate,
            storage_parameters,
            comment,
        } = e;
        let ty = ObjectType::Index;
        let sev = if *unique && !a.unique {
            Severity::Error
        } else {
            Severity::Warning
        };
        let eq = self.eq;
        let same = same_keys(eq, keys, &a.keys);
        self.out.changed_as(Code::IndexChanged, ty, q, sev, |f| {
            f.cmp("method", method, &a.method);
            f.cmp("unique", unique, &a.unique);
            f.cmp(
                "nulls_not_distinct",
                nulls_not_distinct,
                &a.nulls_not_distinct,
            );
            if !same {
                f.cmp("keys", keys, &a.keys);
            }
            f.cmp("include", include, &a.include);
            cmp_expr(
                eq,
                f,
                "predicate",
                Kind::Expression,
                predicate,
                &a.predicate,
            );
        });
        // Each key's statistics target, by its number as `ALTER INDEX ..
        // ALTER COLUMN n` has it (otherwise the keys differ, and say so).
        self.out.changed(Code::IndexStatisticsChanged, ty, q, |f| {
            if same {
                for (n, (ek, ak)) in keys.iter().zip(&a.keys).enumerate() {
                    let field = format!("keys.{}.statistics", n + 1);
                    f.cmp(&field, &ek.statistics, &ak.statistics);
                }
            }
        });
        self.storage(ty, q, storage_parameters, &a.storage_parameters);
        self.comment(ty, q, comment, &a.comment);
    }

    /// Extended statistics of a table named `tq`.
    fn statistics(
        &mut self,
        tq: &str,
        e: &BTreeMap<String, Statistics>,
        a: &BTreeMap<String, Statistics>,
    ) {
        let s = split(e, a);
        let ty = ObjectType::Statistics;
        for (n, x) in s.missing {
            let def = Definition::Statistics(Box::new(x.clone()));
            self.out.missing(ty, &qual(tq, n), def);
        }
        for (n, x) in s.unexpected {
            let def = Definition::Statistics(Box::new(x.clone()));
            self.out.unexpected(ty, &qual(tq, n), def);
        }
        for (n, e, a) in s.both {
            let q = qual(tq, n);
            let Statistics {
                schema,
                kinds,
                columns,
                expressions,
                target,
                comment,
                privileges,
            } = e;
            let eq = self.eq;
            self.out.changed(Code::StatisticsChanged, ty, &q, |f| {
                f.cmp("schema", schema, &a.schema);
                f.cmp("kinds", kinds, &a.kinds);
                f.cmp("columns", columns, &a.columns);
                let same = expressions.len() == a.expressions.len()
                    && expressions
                        .iter()
                        .zip(&a.expressions)
                        .all(|(e, a)| eq.same(Kind::Expression, e, a));
                if !same {
                    f.cmp("expressions", expressions, &a.expressions);
                }
            });
            self.out
                .changed(Code::StatisticsTargetChanged, ty, &q, |f| {
                    f.cmp("target", target, &a.target)
                });
            self.comment(ty, &q, comment, &a.comment);
            self.privileges(ty, &q, privileges, &a.privileges);
        }
    }

    /// Rules of a table or view named `tq`.
    fn rules(&mut self, tq: &str, e: &BTreeMap<String, Rule>, a: &BTreeMap<String, Rule>) {
        let s = split(e, a);
        let ty = ObjectType::Rule;
        for (n, r) in s.missing {
            let def = Definition::Rule(Box::new(r.clone()));
            self.out.missing(ty, &qual(tq, n), def);
        }
        for (n, r) in s.unexpected {
            let def = Definition::Rule(Box::new(r.clone()));
            self.out.unexpected(ty, &qual(tq, n), def);
        }
        for (n, e, a) in s.both {
            let q = qual(tq, n);
            let Rule {
                definition,
                enabled,
                comment,
            } = e;
            self.out.changed(Code::RuleChanged, ty, &q, |f| {
                f.cmp("definition", definition, &a.definition);
                f.cmp("enabled", enabled, &a.enabled);
            });
            self.comment(ty, &q, comment, &a.comment);
        }
    }

    /// Triggers of a table or view named `tq`.
    fn triggers(&mut self, tq: &str, e: &BTreeMap<String, Trigger>, a: &BTreeMap<String, Trigger>) {
        let s = split(e, a);
        let ty = ObjectType::Trigger;
        for (n, t) in s.missing {
            let def = Definition::Trigger(Box::new(t.clone()));
            self.out.missing(ty, &qual(tq, n), def);
        }
        for (n, t) in s.unexpected {
            let def = Definition::Trigger(Box::new(t.clone()));
            self.out.unexpected(ty, &qual(tq, n), def);
        }
        for (n, e, a) in s.both {
            let q = qual(tq, n);
            let Trigger {
                timing,
                events,
                level,
                columns,
                function,
                arguments,
                when,
                enabled,
                old_table,
                new_table,
                constraint,
                deferrable,
                initially_deferred,
                comment,
            } = e;
            if *enabled != a.enabled {
                let code = if a.enabled == "disabled" {
                    Code::TriggerDisabled
                } else {
                    Code::TriggerEnabledChanged
                };
                self.out
                    .changed(code, ty, &q, |f| f.cmp("enabled", enabled, &a.enabled));
            }
            let eq = self.eq;
            self.out.changed(Code::TriggerChanged, ty, &q, |f| {
                f.cmp("timing", timing, &a.timing);
                f.cmp("events", events, &a.events);
                f.cmp("level", level, &a.level);
                f.cmp("columns", columns, &a.columns);
                f.cmp("function", function, &a.function);
                f.cmp("arguments", arguments, &a.arguments);
                cmp_expr(eq, f, "when", Kind::Expression, when, &a.when);
                f.cmp("old_table", old_table, &a.old_table);
                f.cmp("new_table", new_table, &a.new_table);
                f.cmp("constraint", constraint, &a.constraint);
                f.cmp("deferrable", deferrable, &a.deferrable);
                f.cmp(
                    "initially_deferred",
                    initially_deferred,
                    &a.initially_deferred,
                );
            });
            self.comment(ty, &q, comment, &a.comment);
        }
    }

    fn policies(&mut self, tq: &str, e: &BTreeMap<String, Policy>, a: &BTreeMap<String, Policy>) {
        let s = split(e, a);
        let ty = ObjectType::Policy;
        for (n, p) in s.missing {
            let def = Definition::Policy(Box::new(p.clone()));
            self.out.missing(ty, &qual(tq, n), def);
        }
        for (n, p) in s.unexpected {
            let def = Definition::Policy(Box::new(p.clone()));
            self.out.unexpected(ty, &qual(tq, n), def);
        }
        for (n, e, a) in s.both {
            let q = qual(tq, n);
            let Policy {
                command,
                permissive,
                roles,
                using,
                with_check,
                comment,
            } = e;
            let eq = self.eq;
            self.out.changed(Code::PolicyChanged, ty, &q, |f| {
                f.cmp("command", command, &a.command);
                f.cmp("permissive", permissive, &a.permissive);
                f.cmp("roles", roles, &a.roles);
                cmp_expr(eq, f, "using", Kind::Expression, using, &a.using);
                cmp_expr(
                    eq,
                    f,
                    "with_check",
                    Kind::Expression,
                    with_check,
                    &a.with_check,
                );
            });
            self.comment(ty, &q, comment, &a.comment);
        }
    }

    // ---- other relations ----------------------------------------------------

    fn column_comments(
        &mut self,
        parent: &str,
        e: &BTreeMap<String, String>,
        a: &BTreeMap<String, String>,
    ) {
        let s = split(e, a);
        let ty = ObjectType::Column;
        for (n, c) in s.missing {
            self.comment(ty, &qual(parent, n), &Some(c.clone()), &None);
        }
        for (n, c) in s.unexpected {
            self.comment(ty, &qual(parent, n), &None, &Some(c.clone()));
        }
        for (n, ec, ac) in s.both {
            self.comment(ty, &qual(parent, n), &Some(ec.clone()), &Some(ac.clone()));
        }
    }

    /// The column grants of a view or materialized view, column by column
    /// (a column left out has none).
    fn view_column_grants(
        &mut self,
        parent: &str,
        e: &BTreeMap<String, BTreeMap<String, Vec<String>>>,
        a: &BTreeMap<String, BTreeMap<String, Vec<String>>>,
    ) {
        let none = BTreeMap::new();
        for n in e.keys().chain(a.keys()).collect::<BTreeSet<_>>() {
            let (eg, ag) = (e.get(n).unwrap_or(&none), a.get(n).unwrap_or(&none));
            self.column_grants(&qual(parent, n), eg, ag);
        }
    }

    fn views(&mut self, sn: &str, e: &BTreeMap<String, View>, a: &BTreeMap<String, View>) {
        let s = split(e, a);
        let ty = ObjectType::View;
        for (n, v) in s.missing {
            self.out
                .missing(ty, &qual(sn, n), Definition::View(Box::new(v.clone())));
        }
        for (n, v) in s.unexpected {
            self.out
                .unexpected(ty, &qual(sn, n), Definition::View(Box::new(v.clone())));
        }
        for (n, e, a) in s.both {
            let q = qual(sn, n);
            let View {
                definition,
                options,
                comment,
                column_comments,
                triggers,
                rules,
                privileges,
                column_grants,
            } = e;
            let eq = self.eq;
            self.out.changed(Code::ViewDefinitionChanged, ty, &q, |f| {
                if !eq.same(Kind::Query, definition, &a.definition) {
                    f.cmp("definition", definition, &a.definition)
                }
            });
            self.out.changed(Code::ViewOptionsChanged, ty, &q, |f| {
                f.cmp("options", options, &a.options)
            });
            self.triggers(&q, triggers, &a.triggers);
            self.rules(&q, rules, &a.rules);
            self.comment(ty, &q, comment, &a.comment);
            self.column_comments(&q, column_comments, &a.column_comments);
            self.privileges(ty, &q, privileges, &a.privileges);
            self.view_column_grants(&q, column_grants, &a.column_grants);
        }
    }

    fn materialized_views(
        &mut self,
        sn: &str,
        e: &BTreeMap<String, MaterializedView>,
        a: &BTreeMap<String, MaterializedView>,
    ) {
        let s = split(e, a);
        let ty = ObjectType::MaterializedView;
        for (n, v) in s.missing {
            let def = Definition::MaterializedView(Box::new(v.clone()));
            self.out.missing(ty, &qual(sn, n), def);
        }
        for (n, v) in s.unexpected {
            let def = Definition::MaterializedView(Box::new(v.clone()));
            self.out.unexpected(ty, &qual(sn, n), def);
        }
        for (n, e, a) in s.both {
            let q = qual(sn, n);
            let MaterializedView {
                definition,
                storage_parameters,
                access_method,
                indexes,
                statistics,
                clustered_on,
                comment,
                column_comments,
                column_settings,
                privileges,
                column_grants,
            } = e;
            let eq = self.eq;
            self.out
                .changed(Code::MaterializedViewDefinitionChanged, ty, &q, |f| {
                    if !eq.same(Kind::Query, definition, &a.definition) {
                        f.cmp("definition", definition, &a.definition)
                    }
                });
            self.storage(ty, &q, storage_parameters, &a.storage_parameters);
            self.out.changed(Code::AccessMethodChanged, ty, &q, |f| {
                f.cmp("access_method", access_method, &a.access_method)
            });
            self.out
                .changed(Code::MaterializedViewClusterChanged, ty, &q, |f| {
                    f.cmp("clustered_on", clustered_on, &a.clustered_on)
                });
            self.indexes(&q, indexes, &a.indexes);
            self.statistics(&q, statistics, &a.statistics);
            self.comment(ty, &q, comment, &a.comment);
            self.column_comments(&q, column_comments, &a.column_comments);
            self.column_settings(&q, column_settings, &a.column_settings);
            self.privileges(ty, &q, privileges, &a.privileges);
            self.view_column_grants(&q, column_grants, &a.column_grants);
        }
    }

    /// A materialized view's column settings, as a table column's are
    /// compared: a column on one side only has the type's defaults there.
    fn column_settings(
        &mut self,
        vq: &str,
        e: &BTreeMap<String, ColumnSettings>,
        a: &BTreeMap<String, ColumnSettings>,
    ) {
        let none = ColumnSettings::default();
        let names: BTreeSet<&String> = e.keys().chain(a.keys()).collect();
        for n in names {
            let ColumnSettings {
                data_type: _, // follows from the query, compared with it
                storage,
                compression,
                statistics,
                options,
            } = e.get(n).unwrap_or(&none);
            let a = a.get(n).unwrap_or(&none);
            let (ty, q) = (ObjectType::Column, qual(vq, n));
            self.out.changed(Code::ColumnStorageChanged, ty, &q, |f| {
                f.cmp("storage", storage, &a.storage)
            });
            self.out
                .changed(Code::ColumnCompressionChanged, ty, &q, |f| {
                    f.cmp("compression", compression, &a.compression)
                });
            self.out
                .changed(Code::ColumnStatisticsChanged, ty, &q, |f| {
                    f.cmp("statistics", statistics, &a.statistics)
                });
            self.out.changed(Code::ColumnOptionsChanged, ty, &q, |f| {
                f.cmp("options", options, &a.options)
            });
        }
    }

    // ---- sequences, functions, types ----------------------------------------

    fn sequences(
        &mut self,
        sn: &str,
        e: &BTreeMap<String, Sequence>,
        a: &BTreeMap<String, Sequence>,
    ) {
        let mut s = split(e, a);
        // A sequence owned by a column is that column's sequence, whatever its name.
        let renamed = pair_by_meaning(&mut s, |q: &Sequence| q.owned_by.clone());
        let ty = ObjectType::Sequence;
        for (n, q) in s.missing {
            // Dropped with the table or column that owns it: part of that change.
            if q.owned_by.as_deref().is_none_or(|o| self.a.has_column(o)) {
                let def = Definition::Sequence(Box::new(q.clone()));
                self.out.missing(ty, &qual(sn, n), def);
            }
        }
        for (n, q) in s.unexpected {
            if q.owned_by.as_deref().is_none_or(|o| self.e.has_column(o)) {
                let def = Definition::Sequence(Box::new(q.clone()));
                self.out.unexpected(ty, &qual(sn, n), def);
            }
        }
        for (en, eq, an, aq) in renamed {
            let q = qual(sn, en);
            self.renamed(Code::SequenceRenamed, ty, &q, en, an);
            self.sequence(&q, eq, aq);
        }
        for (n, eq, aq) in s.both {
            self.sequence(&qual(sn, n), eq, aq);
        }
    }

    fn sequence(&mut self, q: &str, e: &Sequence, a: &Sequence) {
        let Sequence {
            data_type,
            start,
            increment,
            min_value,
            max_value,
            cache,
            cycle,
            owned_by,
            comment,
            privileges,
        } = e;
        let options = SequenceOptions {
            data_type: data_type.clone(),
            start: *start,
            increment: *increment,
            min_value: *min_value,
            max_value: *max_value,
            cache: *cache,
            cycle: *cycle,
        };
        let ty = ObjectType::Sequence;
        self.out.changed(Code::SequenceChanged, ty, q, |f| {
            sequence_options(f, "", &options, &seq_options(a));
            f.cmp("owned_by", owned_by, &a.owned_by);
        });
        self.comment(ty, q, comment, &a.comment);
        self.privileges(ty, q, privileges, &a.privileges);
    }

    fn functions(
        &mut self,
        sn: &str,
        e: &BTreeMap<String, Function>,
        a: &BTreeMap<String, Function>,
    ) {
        let s = split(e, a);
        let ty = ObjectType::Function;
        for (n, x) in s.missing {
            self.out
                .missing(ty, &qual(sn, n), Definition::Function(Box::new(x.clone())));
        }
        for (n, x) in s.unexpected {
            self.out
                .unexpected(ty, &qual(sn, n), Definition::Function(Box::new(x.clone())));
        }
        for (n, e, a) in s.both {
            let q = qual(sn, n);
            let Function {
                kind,
                arguments,
                returns,
                language,
                volatility,
                strict,
                security_definer,
                leakproof,
                parallel,
                settings,
                cost,
                rows,
                support,
                body,
                transforms,
                library,
                aggregate,
                comment,
                privileges,
            } = e;
            if let (Some(ea), Some(aa)) = (aggregate, &a.aggregate) {
                self.out.changed(Code::AggregateChanged, ty, &q, |f| {
                    aggregate_fields(f, ea, aa)
                });
            }
            let sql_bodies = language.as_str() == "sql" && a.language == "sql";
            let eq = self.eq;
            self.out.changed(Code::FunctionBodyChanged, ty, &q, |f| {
                if !(sql_bodies && eq.same(Kind::SqlBody, body, &a.body)) {
                    f.cmp("body", body, &a.body)
                }
                f.cmp("library", library, &a.library);
            });
            self.out.changed(Code::FunctionChanged, ty, &q, |f| {
                f.cmp("kind", kind, &a.kind);
                f.cmp("arguments", arguments, &a.arguments);
                f.cmp("returns", returns, &a.returns);
                f.cmp("language", language, &a.language);
                f.cmp("volatility", volatility, &a.volatility);
                f.cmp("strict", strict, &a.strict);
                f.cmp("security_definer", security_definer, &a.security_definer);
                f.cmp("leakproof", leakproof, &a.leakproof);
                f.cmp("parallel", parallel, &a.parallel);
                f.cmp("settings", settings, &a.settings);
                f.cmp("transforms", transforms, &a.transforms);
            });
            self.out.changed(Code::FunctionPlannerChanged, ty, &q, |f| {
                f.cmp("cost", cost, &a.cost);
                f.cmp("rows", rows, &a.rows);
                f.cmp("support", support, &a.support);
            });
            self.comment(ty, &q, comment, &a.comment);
            self.privileges(ty, &q, privileges, &a.privileges);
        }
    }

    fn enums(&mut self, sn: &str, e: &BTreeMap<String, Enum>, a: &BTreeMap<String, Enum>) {
        let s = split(e, a);
        let ty = ObjectType::Enum;
        for (n, x) in s.missing {
            self.out
                .missing(ty, &qual(sn, n), Definition::Enum(Box::new(x.clone())));
        }
        for (n, x) in s.unexpected {
            self.out
                .unexpected(ty, &qual(sn, n), Definition::Enum(Box::new(x.clone())));
        }
        for (n, e, a) in s.both {
            let q = qual(sn, n);
            let Enum {
                labels,
                comment,
                privileges,
            } = e;
            let el: BTreeSet<&String> = labels.iter().collect();
            let al: BTreeSet<&String> = a.labels.iter().collect();
            let all_labels = |f: &mut Fields| f.cmp("labels", labels, &a.labels);
            if el.iter().any(|l| !al.contains(l)) {
                self.out.changed(Code::EnumLabelMissing, ty, &q, all_labels);
            }
            if al.iter().any(|l| !el.contains(l)) {
                self.out
                    .changed(Code::EnumLabelUnexpected, ty, &q, all_labels);
            }
            let eo: Vec<&String> = labels.iter().filter(|l| al.contains(l)).collect();
            let ao: Vec<&String> = a.labels.iter().filter(|l| el.contains(l)).collect();
            if eo != ao {
                self.out
                    .changed(Code::EnumLabelsReordered, ty, &q, all_labels);
            }
            self.comment(ty, &q, comment, &a.comment);
            self.privileges(ty, &q, privileges, &a.privileges);
        }
    }

    fn domains(&mut self, sn: &str, e: &BTreeMap<String, Domain>, a: &BTreeMap<String, Domain>) {
        let s = split(e, a);
        let ty = ObjectType::Domain;
        for (n, x) in s.missing {
            self.out
                .missing(ty, &qual(sn, n), Definition::Domain(Box::new(x.clone())));
        }
        for (n, x) in s.unexpected {
            self.out
                .unexpected(ty, &qual(sn, n), Definition::Domain(Box::new(x.clone())));
        }
        for (n, e, a) in s.both {
            let q = qual(sn, n);
            let Domain {
                base_type,
                not_null,
                default,
                collation,
                constraints,
                comment,
                privileges,
            } = e;
            self.out.changed(Code::DomainTypeChanged, ty, &q, |f| {
                f.cmp("base_type", base_type, &a.base_type)
            });
            self.out
                .changed(Code::DomainNullabilityChanged, ty, &q, |f| {
                    f.cmp("not_null", not_null, &a.not_null)
                });
            let eq = self.eq;
            self.out.changed(Code::DomainDefaultChanged, ty, &q, |f| {
                cmp_expr(eq, f, "default", Kind::Expression, default, &a.default)
            });
            self.out.changed(Code::DomainCollationChanged, ty, &q, |f| {
                f.cmp("collation", collation, &a.collation)
            });

            let mut cs = split(constraints, &a.constraints);
            let renamed = pair_by_meaning(&mut cs, |d| Some(eq.meaning(Kind::Constraint, d)));
            let cty = ObjectType::Constraint;
            for (cn, c) in cs.missing {
                let def = Definition::DomainConstraint(c.clone());
                self.out.missing(cty, &qual(&q, cn), def);
            }
            for (cn, c) in cs.unexpected {
                let def = Definition::DomainConstraint(c.clone());
                self.out.unexpected(cty, &qual(&q, cn), def);
            }
            for (en, _, an, _) in renamed {
                self.renamed(Code::ConstraintRenamed, cty, &qual(&q, en), en, an);
            }
            for (cn, ec, ac) in cs.both {
                self.out
                    .changed(Code::ConstraintChanged, cty, &qual(&q, cn), |f| {
                        if !eq.same(Kind::Constraint, ec, ac) {
                            f.cmp("definition", ec, ac)
                        }
                    });
            }
            self.comment(ty, &q, comment, &a.comment);
            self.privileges(ty, &q, privileges, &a.privileges);
        }
    }

    fn collations(
        &mut self,
        sn: &str,
        e: &BTreeMap<String, Collation>,
        a: &BTreeMap<String, Collation>,
    ) {
        let s = split(e, a);
        let ty = ObjectType::Collation;
        for (n, x) in s.missing {
            let def = Definition::Collation(Box::new(x.clone()));
            self.out.missing(ty, &qual(sn, n), def);
        }
        for (n, x) in s.unexpected {
            let def = Definition::Collation(Box::new(x.clone()));
            self.out.unexpected(ty, &qual(sn, n), def);
        }
        for (n, e, a) in s.both {
            let q = qual(sn, n);
            let Collation {
                provider,
                locale,
                lc_collate,
                lc_ctype,
                deterministic,
                rules,
                comment,
                privileges,
            } = e;
            self.out.changed(Code::CollationChanged, ty, &q, |f| {
                f.cmp("provider", provider, &a.provider);
                f.cmp("locale", locale, &a.locale);
                f.cmp("lc_collate", lc_collate, &a.lc_collate);
                f.cmp("lc_ctype", lc_ctype, &a.lc_ctype);
                f.cmp("deterministic", deterministic, &a.deterministic);
                f.cmp("rules", rules, &a.rules);
            });
            self.comment(ty, &q, comment, &a.comment);
            self.privileges(ty, &q, privileges, &a.privileges);
        }
    }

    fn operators(
        &mut self,
        sn: &str,
        e: &BTreeMap<String, Operator>,
        a: &BTreeMap<String, Operator>,
    ) {
        let s = split(e, a);
        let ty = ObjectType::Operator;
        for (n, x) in s.missing {
            let def = Definition::Operator(Box::new(x.clone()));
            self.out.missing(ty, &qual(sn, n), def);
        }
        for (n, x) in s.unexpected {
            let def = Definition::Operator(Box::new(x.clone()));
            self.out.unexpected(ty, &qual(sn, n), def);
        }
        for (n, e, a) in s.both {
            let q = qual(sn, n);
            let Operator {
                function,
                commutator,
                negator,
                restrict,
                join,
                hashes,
                merges,
                comment,
                privileges,
            } = e;
            self.out.changed(Code::OperatorChanged, ty, &q, |f| {
                f.cmp("function", function, &a.function);
                f.cmp("commutator", commutator, &a.commutator);
                f.cmp("negator", negator, &a.negator);
                f.cmp("restrict", restrict, &a.restrict);
                f.cmp("join", join, &a.join);
                f.cmp("hashes", hashes, &a.hashes);
                f.cmp("merges", merges, &a.merges);
            });
            self.comment(ty, &q, comment, &a.comment);
            self.privileges(ty, &q, privileges, &a.privileges);
        }
    }

    fn operator_families(
        &mut self,
        sn: &str,
        e: &BTreeMap<String, OperatorFamily>,
        a: &BTreeMap<String, OperatorFamily>,
    ) {
        let s = split(e, a);
        let ty = ObjectType::OperatorFamily;
        for (n, x) in s.missing {
            let def = Definition::OperatorFamily(Box::new(x.clone()));
            self.out.missing(ty, &qual(sn, n), def);
        }
        for (n, x) in s.unexpected {
            let def = Definition::OperatorFamily(Box::new(x.clone()));
            self.out.unexpected(ty, &qual(sn, n), def);
        }
        for (n, e, a) in s.both {
            let q = qual(sn, n);
            let OperatorFamily {
                members,
                comment,
                privileges,
            } = e;
            self.out.changed(Code::OperatorFamilyChanged, ty, &q, |f| {
                members_by_key(f, members, &a.members);
            });
            self.comment(ty, &q, comment, &a.comment);
            self.privileges(ty, &q, privileges, &a.privileges);
        }
    }

    fn operator_classes(
        &mut self,
        sn: &str,
        e: &BTreeMap<String, OperatorClass>,
        a: &BTreeMap<String, OperatorClass>,
    ) {
        let s = split(e, a);
        let ty = ObjectType::OperatorClass;
        for (n, x) in s.missing {
            let def = Definition::OperatorClass(Box::new(x.clone()));
            self.out.missing(ty, &qual(sn, n), def);
        }
        for (n, x) in s.unexpected {
            let def = Definition::OperatorClass(Box::new(x.clone()));
            self.out.unexpected(ty, &qual(sn, n), def);
        }
        for (n, e, a) in s.both {
            let q = qual(sn, n);
            let OperatorClass {
                for_type,
                default,
                storage,
                family,
                members,
                comment,
                privileges,
            } = e;
            self.out.changed(Code::OperatorClassChanged, ty, &q, |f| {
                f.cmp("for_type", for_type, &a.for_type);
                f.cmp("default", default, &a.default);
                f.cmp("storage", storage, &a.storage);
                f.cmp("family", family, &a.family);
                members_by_key(f, members, &a.members);
            });
            self.comment(ty, &q, comment, &a.comment);
            self.privileges(ty, &q, privileges, &a.privileges);
        }
    }

    fn conversions(
        &mut self,
        sn: &str,
        e: &BTreeMap<String, Conversion>,
        a: &BTreeMap<String, Conversion>,
    ) {
        let s = split(e, a);
        let ty = ObjectType::Conversion;
        for (n, x) in s.missing {
            let def = Definition::Conversion(Box::new(x.clone()));
            self.out.missing(ty, &qual(sn, n), def);
        }
        for (n, x) in s.unexpected {
            let def = Definition::Conversion(Box::new(x.clone()));
            self.out.unexpected(ty, &qual(sn, n), def);
        }
        for (n, e, a) in s.both {
            let q = qual(sn, n);
            let Conversion {
                for_encoding,
                to_encoding,
                function,
                default,
                comment,
                privileges,
            } = e;
            self.out.changed(Code::ConversionChanged, ty, &q, |f| {
                f.cmp("for_encoding", for_encoding, &a.for_encoding);
                f.cmp("to_encoding", to_encoding, &a.to_encoding);
                f.cmp("function", function, &a.function);
                f.cmp("default", default, &a.default);
            });
            self.comment(ty, &q, comment, &a.comment);
            self.privileges(ty, &q, privileges, &a.privileges);
        }
    }

    fn base_types(
        &mut self,
        sn: &str,
        e: &BTreeMap<String, BaseType>,
        a: &BTreeMap<String, BaseType>,
    ) {
        let s = split(e, a);
        let ty = ObjectType::BaseType;
        for (n, x) in s.missing {
            let def = Definition::BaseType(Box::new(x.clone()));
            self.out.missing(ty, &qual(sn, n), def);
        }
        for (n, x) in s.unexpected {
            let def = Definition::BaseType(Box::new(x.clone()));
            self.out.unexpected(ty, &qual(sn, n), def);
        }
        for (n, e, a) in s.both {
            let q = qual(sn, n);
            let BaseType {
                input,
                output,
                receive,
                send,
                typmod_in,
                typmod_out,
                analyze,
                subscript,
                internal_length,
                passed_by_value,
                alignment,
                storage,
                category,
                preferred,
                default,
                element,
                delimiter,
                collatable,
                comment,
                privileges,
            } = e;
            self.out.changed(Code::BaseTypeChanged, ty, &q, |f| {
                f.cmp("input", input, &a.input);
                f.cmp("output", output, &a.output);
                f.cmp("receive", receive, &a.receive);
                f.cmp("send", send, &a.send);
                f.cmp("typmod_in", typmod_in, &a.typmod_in);
                f.cmp("typmod_out", typmod_out, &a.typmod_out);
                f.cmp("analyze", analyze, &a.analyze);
                f.cmp("subscript", subscript, &a.subscript);
                f.cmp("internal_length", internal_length, &a.internal_length);
                f.cmp("passed_by_value", passed_by_value, &a.passed_by_value);
                f.cmp("alignment", alignment, &a.alignment);
                f.cmp("storage", storage, &a.storage);
                f.cmp("category", category, &a.category);
                f.cmp("preferred", preferred, &a.preferred);
                f.cmp("default", default, &a.default);
                f.cmp("element", element, &a.element);
                f.cmp("delimiter", delimiter, &a.delimiter);
                f.cmp("collatable", collatable, &a.collatable);
            });
            self.comment(ty, &q, comment, &a.comment);
            self.privileges(ty, &q, privileges, &a.privileges);
        }
    }

    fn shell_types(
        &mut self,
        sn: &str,
        e: &BTreeMap<String, ShellType>,
        a: &BTreeMap<String, ShellType>,
    ) {
        let s = split(e, a);
        let ty = ObjectType::ShellType;
        for (n, x) in s.missing {
            let def = Definition::ShellType(Box::new(x.clone()));
            self.out.missing(ty, &qual(sn, n), def);
        }
        for (n, x) in s.unexpected {
            let def = Definition::ShellType(Box::new(x.clone()));
            self.out.unexpected(ty, &qual(sn, n), def);
        }
        for (n, e, a) in s.both {
            let q = qual(sn, n);
            let ShellType {
                comment,
                privileges,
            } = e;
            self.comment(ty, &q, comment, &a.comment);
            self.privileges(ty, &q, privileges, &a.privileges);
        }
    }

    fn range_types(
        &mut self,
        sn: &str,
        e: &BTreeMap<String, RangeType>,
        a: &BTreeMap<String, RangeType>,
    ) {
        let s = split(e, a);
        let ty = ObjectType::RangeType;
        for (n, x) in s.missing {
            let def = Definition::RangeType(Box::new(x.clone()));
            self.out.missing(ty, &qual(sn, n), def);
        }
        for (n, x) in s.unexpected {
            let def = Definition::RangeType(Box::new(x.clone()));
            self.out.unexpected(ty, &qual(sn, n), def);
        }
        for (n, e, a) in s.both {
            let q = qual(sn, n);
            let RangeType {
                subtype,
                subtype_opclass,
                collation,
                canonical,
                subtype_diff,
                multirange_type_name,
                comment,
                privileges,
            } = e;
            self.out.changed(Code::RangeTypeChanged, ty, &q, |f| {
                f.cmp("subtype", subtype, &a.subtype);
                f.cmp("subtype_opclass", subtype_opclass, &a.subtype_opclass);
                f.cmp("collation", collation, &a.collation);
                f.cmp("canonical", canonical, &a.canonical);
                f.cmp("subtype_diff", subtype_diff, &a.subtype_diff);
                f.cmp(
                    "multirange_type_name",
                    multirange_type_name,
                    &a.multirange_type_name,
                );
            });
            self.comment(ty, &q, comment, &a.comment);
            self.privileges(ty, &q, privileges, &a.privileges);
        }
    }

    fn composite_types(
        &mut self,
        sn: &str,
        e: &BTreeMap<String, CompositeType>,
        a: &BTreeMap<String, CompositeType>,
    ) {
        let s = split(e, a);
        let ty = ObjectType::CompositeType;
        for (n, x) in s.missing {
            let def = Definition::CompositeType(Box::new(x.clone()));
            self.out.missing(ty, &qual(sn, n), def);
        }
        for (n, x) in s.unexpected {
            let def = Definition::CompositeType(Box::new(x.clone()));
            self.out.unexpected(ty, &qual(sn, n), def);
        }
        for (n, e, a) in s.both {
            let q = qual(sn, n);
            let CompositeType {
                attributes,
                comment,
                privileges,
            } = e;
            let em: BTreeMap<&str, &CompositeAttribute> =
                attributes.iter().map(|x| (x.name.as_str(), x)).collect();
            let am: BTreeMap<&str, &CompositeAttribute> =
                a.attributes.iter().map(|x| (x.name.as_str(), x)).collect();
            let attr = |x: Option<&&CompositeAttribute>| match x {
                Some(CompositeAttribute {
                    name: _, // the key of the map
                    data_type,
                    collation,
                }) => serde_json::json!({"type": data_type, "collation": collation}),
                None => Value::Null,
            };
            let eo: Vec<&str> = attributes
                .iter()
                .map(|x| x.name.as_str())
                .filter(|n| am.contains_key(n))
                .collect();
            let ao: Vec<&str> = a
                .attributes
                .iter()
                .map(|x| x.name.as_str())
                .filter(|n| em.contains_key(n))
                .collect();
            self.out.changed(Code::CompositeTypeChanged, ty, &q, |f| {
                let names: BTreeSet<&str> = em.keys().chain(am.keys()).copied().collect();
                for name in names {
                    f.cmp(
                        &format!("attributes.{name}"),
                        &attr(em.get(name)),
                        &attr(am.get(name)),
                    );
                }
                f.cmp("attribute_order", &eo, &ao);
            });
            self.comment(ty, &q, comment, &a.comment);
            self.privileges(ty, &q, privileges, &a.privileges);
        }
    }
}

/// Record an expression field unless the two mean the same.
/// `OPTIONS (...)` of a foreign-data wrapper, server, user mapping or
/// foreign table, option by option (`options.<name>`, `null` where it is
/// not set).
/// A table's object type: a foreign table's (on either side), or a table's.
fn table_type(e: &Table, a: &Table) -> ObjectType {
    if e.foreign.is_some() || a.foreign.is_some() {
        ObjectType::ForeignTable
    } else {
        ObjectType::Table
    }
}

/// A foreign table's column options, `columns.<column>.options.<name>`,
/// in column then option name order, of every column either side has
/// options for (a column added or dropped carries its options here).
fn column_option_fields(
    f: &mut Fields,
    e: &BTreeMap<String, BTreeMap<String, String>>,
    a: &BTreeMap<String, BTreeMap<String, String>>,
) {
    let columns: BTreeSet<&String> = e.keys().chain(a.keys()).collect();
    for c in columns {
        let (eo, ao) = (e.get(c), a.get(c));
        let names: BTreeSet<&String> = eo.into_iter().chain(ao).flat_map(|m| m.keys()).collect();
        for k in names {
            let (ev, av) = (eo.and_then(|m| m.get(k)), ao.and_then(|m| m.get(k)));
            f.cmp(&format!("columns.{c}.options.{k}"), &ev, &av);
        }
    }
}

fn option_fields(f: &mut Fields, e: &BTreeMap<String, String>, a: &BTreeMap<String, String>) {
    let names: BTreeSet<&String> = e.keys().chain(a.keys()).collect();
    for k in names {
        f.cmp(&format!("options.{k}"), &e.get(k), &a.get(k));
    }
}

fn cmp_expr(
    eq: &Equiv,
    f: &mut Fields,
    field: &str,
    kind: Kind,
    e: &Option<String>,
    a: &Option<String>,
) {
    if !eq.same_opt(kind, e.as_deref(), a.as_deref()) {
        f.cmp(field, e, a);
    }
}

/// What makes two indexes the same index, whatever their names: the key
/// and predicate expressions by meaning.
fn index_meaning(
    eq: &Equiv,
    i: &Index,
) -> (
    String,
    bool,
    bool,
    Vec<IndexKey>,
    Vec<String>,
    Option<String>,
) {
    let keys = i
        .keys
        .iter()
        .map(|k| IndexKey {
            expression: eq.meaning(Kind::Expression, &k.expression).to_string(),
            statistics: None, // a setting of the index, not what it is
            ..k.clone()
        })
        .collect();
    (
        i.method.clone(),
        i.unique,
        i.nulls_not_distinct,
        keys,
        i.include.clone(),
        i.predicate
            .as_deref()
            .map(|p| eq.meaning(Kind::Expression, p).to_string()),
    )
}

/// Index keys equal but for expressions that mean the same, and for their
/// statistics targets (compared on their own).
fn same_keys(eq: &Equiv, e: &[IndexKey], a: &[IndexKey]) -> bool {
    e.len() == a.len()
        && e.iter().zip(a).all(|(e, a)| {
            eq.same(Kind::Expression, &e.expression, &a.expression)
                && IndexKey {
                    expression: String::new(),
                    statistics: None,
                    ..e.clone()
                } == IndexKey {
                    expression: String::new(),
                    statistics: None,
                    ..a.clone()
                }
        })
}

/// A constraint definition without the trailing clauses that have their own
/// fields (and their own change codes): `DEFERRABLE`, `INITIALLY DEFERRED`,
/// `NOT VALID`, `NO INHERIT`. PostgreSQL prints them last, outside any
/// parentheses, so stripping them from the end is exact.
pub fn core_definition(def: &str) -> &str {
    const SUFFIXES: &[&str] = &[
        " NOT VALID",
        " NO INHERIT",
        " INITIALLY DEFERRED",
        " DEFERRABLE",
    ];
    let mut d = def;
    loop {
        match SUFFIXES.iter().find(|s| d.ends_with(*s)) {
            Some(s) => d = &d[..d.len() - s.len()],
            None => return d,
        }
    }
}

fn seq_options(s: &Sequence) -> SequenceOptions {
    SequenceOptions {
        data_type: s.data_type.clone(),
        start: s.start,
        increment: s.increment,
        min_value: s.min_value,
        max_value: s.max_value,
        cache: s.cache,
        cycle: s.cycle,
    }
}

fn sequence_options(f: &mut Fields, p: &str, e: &SequenceOptions, a: &SequenceOptions) {
    if e == a {
        // Nothing to record: spare the field names.
        return;
    }
    let SequenceOptions {
        data_type,
        start,
        increment,
        min_value,
        max_value,
        cache,
        cycle,
    } = e;
    f.cmp(&format!("{p}data_type"), data_type, &a.data_type);
    f.cmp(&format!("{p}start"), start, &a.start);
    f.cmp(&format!("{p}increment"), increment, &a.increment);
    f.cmp(&format!("{p}min_value"), min_value, &a.min_value);
    f.cmp(&format!("{p}max_value"), max_value, &a.max_value);
    f.cmp(&format!("{p}cache"), cache, &a.cache);
    f.cmp(&format!("{p}cycle"), cycle, &a.cycle);
}

/// A column default with "the sequence this column owns" in place of that
/// sequence's name, so `serial` and an explicit owned sequence compare equal
/// whatever the sequence is called. Other defaults are returned unchanged.
fn canonical_default<'d>(side: &Side, column: &str, default: Option<&'d str>) -> Option<&'d str> {
    let d = default?;
    if let Some(target) = nextval_target(d) {
        if let Some((s, n)) = side.owned_sequence(column) {
            if split_qualified(target).as_deref() == Some(&[s.to_string(), n.to_string()][..]) {
                return Some("nextval(<owned sequence>)");
            }
        }
    }
    Some(d)
}

/// The quoted name inside `nextval('NAME'::regclass)`, exactly that shape.
fn nextval_target(d: &str) -> Option<&str> {
    d.strip_prefix("nextval('")?.strip_suffix("'::regclass)")
}

/// Split `schema.name` as PostgreSQL prints a regclass: each part bare or
/// double-quoted (with `""` for a quote). Single quotes are doubled inside
/// the literal.
fn split_qualified(s: &str) -> Option<Vec<String>> {
    let s = s.replace("''", "'");
    let mut parts = Vec::new();
    let mut cur = String::new();
    let mut chars = s.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                chars.next();
                cur.push('"');
            }
            '"' => quoted = !quoted,
            '.' if !quoted => parts.push(std::mem::take(&mut cur)),
            c => cur.push(c),
        }
    }
    if quoted {
        return None;
    }
    parts.push(cur);
    Some(parts)
}

/// Is this table a partition whose parent is itself missing on the other
/// side (so it is reported inside its parent's change)?
fn folded_partition(this: &Side, other: &Side, t: &Table) -> bool {
    let Some(p) = &t.partition_of else {
        return false;
    };
    let parent_schema = p.parent.split_once('.').map(|(s, _)| s).unwrap_or("");
    this.has_table(&p.parent) && !other.has_table(&p.parent) && other.has_schema(parent_schema)
}

/// A table with what goes with it when it is dropped: the sequences its
/// columns own and its partitions (those the other side lacks).
fn table_definition(this: &Side, other: &Side, sn: &str, tn: &str, t: &Table) -> Definition {
    Definition::Table(Box::new(table_with_extras(this, other, sn, tn, t)))
}

fn table_with_extras(this: &Side, other: &Side, sn: &str, tn: &str, t: &Table) -> TableDefinition {
    let q = qual(sn, tn);
    let mut owned_sequences = BTreeMap::new();
    for c in &t.columns {
        owned_sequences.extend(owned_only_here(this, other, &qual(&q, &c.name)));
    }
    let mut partitions = BTreeMap::new();
    for (s, n) in this.partitions.get(q.as_str()).into_iter().flatten() {
        let pq = qual(s, n);
        if !other.has_table(&pq) {
            if let Some(pt) = this.table(&pq) {
                let part = table_with_extras(this, other, s, n, pt);
                partitions.insert(pq, part);
            }
        }
    }
    TableDefinition {
        table: t.clone(),
        owned_sequences,
        partitions,
    }
}

/// A column with the sequence it owns, when the other side lacks that sequence.
fn column_definition(
    this: &Side,
    other: &Side,
    q: &str,
    c: &Column,
    position: Option<usize>,
) -> Definition {
    Definition::Column(Box::new(ColumnDefinition {
        column: c.clone(),
        owned_sequences: owned_only_here(this, other, q).collect(),
        position,
    }))
}

/// The 1-based place of the column `name` among `cols`, unless it is the last.
fn position(cols: &[Column], name: &str) -> Option<usize> {
    let i = cols.iter().position(|c| c.name == name)?;
    (i + 1 < cols.len()).then_some(i + 1)
}

/// The sequences the column `owner` owns on `this` side that `other` lacks,
/// by qualified name.
fn owned_only_here<'s>(
    this: &'s Side,
    other: &'s Side,
    owner: &str,
) -> impl Iterator<Item = (String, Sequence)> + 's {
    this.owned
        .get(owner)
        .into_iter()
        .flatten()
        .filter(|(s, n, _)| !other.has_sequence(s, n))
        .map(|(s, n, seq)| (qual(s, n), (*seq).clone()))
}

mod align;
pub use align::align;
mod text_search;

/// The clauses of two aggregates that differ, as `aggregate.<clause>`.
fn aggregate_fields(f: &mut Fields, e: &Aggregate, a: &Aggregate) {
    let Aggregate {
        sfunc,
        stype,
        sspace,
        initcond,
        finalfunc,
        finalfunc_extra,
        finalfunc_modify,
        combinefunc,
        serialfunc,
        deserialfunc,
        msfunc,
        minvfunc,
        mstype,
        msspace,
        minitcond,
        mfinalfunc,
        mfinalfunc_extra,
        mfinalfunc_modify,
        sortop,
        hypothetical,
    } = e;
    f.cmp("aggregate.sfunc", sfunc, &a.sfunc);
    f.cmp("aggregate.stype", stype, &a.stype);
    f.cmp("aggregate.sspace", sspace, &a.sspace);
    f.cmp("aggregate.initcond", initcond, &a.initcond);
    f.cmp("aggregate.finalfunc", finalfunc, &a.finalfunc);
    f.cmp(
        "aggregate.finalfunc_extra",
        finalfunc_extra,
        &a.finalfunc_extra,
    );
    f.cmp(
        "aggregate.finalfunc_modify",
        finalfunc_modify,
        &a.finalfunc_modify,
    );
    f.cmp("aggregate.combinefunc", combinefunc, &a.combinefunc);
    f.cmp("aggregate.serialfunc", serialfunc, &a.serialfunc);
    f.cmp("aggregate.deserialfunc", deserialfunc, &a.deserialfunc);
    f.cmp("aggregate.msfunc", msfunc, &a.msfunc);
    f.cmp("aggregate.minvfunc", minvfunc, &a.minvfunc);
    f.cmp("aggregate.mstype", mstype, &a.mstype);
    f.cmp("aggregate.msspace", msspace, &a.msspace);
    f.cmp("aggregate.minitcond", minitcond, &a.minitcond);
    f.cmp("aggregate.mfinalfunc", mfinalfunc, &a.mfinalfunc);
    f.cmp(
        "aggregate.mfinalfunc_extra",
        mfinalfunc_extra,
        &a.mfinalfunc_extra,
    );
    f.cmp(
        "aggregate.mfinalfunc_modify",
        mfinalfunc_modify,
        &a.mfinalfunc_modify,
    );
    f.cmp("aggregate.sortop", sortop, &a.sortop);
    f.cmp("aggregate.hypothetical", hypothetical, &a.hypothetical);
}

#[cfg(test)]
pub(crate) mod tests;
