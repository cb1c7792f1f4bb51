//! The assembly stage: the raw rows become the model, children attached
//! to their relation by OID.

use std::collections::{BTreeMap, HashMap};

use crate::model::postgres::{
    AccessMethod, BaseType, Cast, Collation, CompositeAttribute, CompositeType, Constraint,
    Conversion, DefaultPrivileges, Domain, Enum, EventTrigger, Extension, ForeignDataWrapper,
    ForeignServer, ForeignTable, Index, Language, MaterializedView, Operator, OperatorClass,
    OperatorFamily, PartitionOf, PgSchema, PublicationTable, RangeType, Schema, Sequence,
    SequenceOptions, ShellType, Subscription, Table, Transform, UserMapping, View,
};
use crate::postgres::tree::Tree;

use super::*;

/// A relation being built, found by OID while child rows are attached.
// A table is the largest by far (its rules made it cross clippy's line);
// each relation is built once and moved into the model, so boxing it would
// only add an allocation per table.
#[allow(clippy::large_enum_variant)]
pub(super) enum Rel {
    Table(Table),
    View(View),
    Materialized(MaterializedView),
}

/// Build the model from the raw rows. Child rows (columns, constraints,
/// indexes, triggers, policies) are attached to their relation through one
/// OID -> position map; rows whose relation is not in `relations` are
/// ignored (they cannot appear, since every query filters alike).
pub fn assemble(raw: Raw) -> PgSchema {
    assemble_lazy(raw).0
}

/// [`assemble`] the rows of a lazy read: an expression read as a tree
/// stands in the model as its placeholder (see [`super::tree`]), and is
/// listed to be deparsed later.
pub fn assemble_lazy(mut raw: Raw) -> (PgSchema, Vec<Deferred>) {
    raw.attach_column_extras();
    let Raw {
        with_privileges,
        schemas,
        extensions,
        publications,
        publication_tables,
        event_triggers,
        casts,
        default_privileges,
        foreign_data_wrappers,
        foreign_servers,
        user_mappings,
        subscriptions,
        access_methods,
        languages,
        transforms,
        security_labels,
        relations,
        foreign_tables,
        columns,
        column_defaults: _, // attached to `columns` above
        column_comments: _, // likewise
        column_grants: _,   // likewise
        identities,
        constraints,
        indexes,
        opclasses,
        collations,
        keywords,
        types,
        sequences,
        functions,
        triggers,
        rules,
        statistics,
        policies,
        enums,
        domains,
        composite_types,
        range_types,
        base_types,
        collation_definitions,
        operators,
        text_search,
        operator_families,
        operator_classes,
        conversions,
        not_compared,
    } = raw;
    let mut out = PgSchema {
        with_privileges,
        extensions: BTreeMap::new(),
        schemas: BTreeMap::new(),
        publications: BTreeMap::new(),
        event_triggers: BTreeMap::new(),
        casts: BTreeMap::new(),
        default_privileges: BTreeMap::new(),
        foreign_data_wrappers: BTreeMap::new(),
        foreign_servers: BTreeMap::new(),
        subscriptions: BTreeMap::new(),
        access_methods: BTreeMap::new(),
        languages: BTreeMap::new(),
        transforms: BTreeMap::new(),
        security_labels: BTreeMap::new(),
        not_compared: BTreeMap::new(),
    };

    for RawExtension {
        name,
        version,
        schema,
        default_version,
    } in extensions
    {
        let default_version = default_version.filter(|d| *d != version);
        out.extensions.insert(
            name,
            Extension {
                default_version,
                version,
                schema,
            },
        );
    }
    for x in publications {
        let (name, p) = publication(x);
        out.publications.insert(name, p);
    }
    for RawPublicationTable {
        publication,
        table,
        columns,
        row_filter,
    } in publication_tables
    {
        if let Some(p) = out.publications.get_mut(&publication) {
            let mut columns = columns.unwrap_or_default();
            columns.sort_unstable();
            let t = PublicationTable {
                columns,
                row_filter,
            };
            p.tables.insert(table, t);
        }
    }
    for RawEventTrigger {
        name,
        event,
        tags,
        function,
        enabled,
        comment,
        privileges: p,
    } in event_triggers
    {
        let enabled = trigger_enabled(&enabled).to_string();
        let x = EventTrigger {
            event,
            tags,
            function,
            enabled,
            comment,
            privileges: privileges(p),
        };
        out.event_triggers.insert(name, x);
    }
    for RawCast {
        name,
        method,
        function,
        context,
        comment,
    } in casts
    {
        let method = match method.as_str() {
            "f" => "function",
            "b" => "binary",
            _ => "inout",
        };
        let context = match context.as_str() {
            "i" => "implicit",
            "a" => "assignment",
            _ => "explicit",
        };
        let x = Cast {
            method: method.to_string(),
            function,
            context: context.to_string(),
            comment,
        };
        out.casts.insert(name, x);
    }
    for RawDefaultPrivileges {
        name,
        role,
        schema,
        on,
        acl,
    } in default_privileges
    {
        let grants = privileges(RawPrivileges {
            owner: None,
            acl: Some(acl),
        })
        .grants
        .unwrap_or_default();
        let x = DefaultPrivileges {
            role,
            schema,
            on,
            grants,
        };
        out.default_privileges.insert(name, x);
    }
    for RawForeignDataWrapper {
        name,
        handler,
        validator,
        options,
        comment,
        privileges: p,
    } in foreign_data_wrappers
    {
        let x = ForeignDataWrapper {
            handler,
            validator,
            options,
            comment,
            privileges: privileges(p),
        };
        out.foreign_data_wrappers.insert(name, x);
    }
    for RawForeignServer {
        name,
        wrapper,
        server_type,
        version,
        options,
        comment,
        privileges: p,
    } in foreign_servers
    {
        let x = ForeignServer {
            wrapper,
            server_type,
            version,
            options,
            user_mappings: BTreeMap::new(),
            comment,
            privileges: privileges(p),
        };
        out.foreign_servers.insert(name, x);
    }
    for RawUserMapping {
        server,
        role,
        options,
    } in user_mappings
    {
        // A mapping of an extension's server goes with it.
        if let Some(s) = out.foreign_servers.get_mut(&server) {
            s.user_mappings.insert(role, UserMapping { options });
        }
    }
    for RawAccessMethod {
        name,
        kind,
        handler,
        comment,
    } in access_methods
    {
        let x = AccessMethod {
            kind,
            handler,
            comment,
        };
        out.access_methods.insert(name, x);
    }
    for RawLanguage {
        name,
        trusted,
        handler,
        inline,
        validator,
        comment,
        privileges: p,
    } in languages
    {
        let x = Language {
            trusted,
            handler,
            inline,
            validator,
            comment,
            privileges: privileges(p),
        };
        out.languages.insert(name, x);
    }
    for RawTransform {
        type_name,
        language,
        from_sql,
        to_sql,
        comment,
    } in transforms
    {
        let x = Transform {
            from_sql,
            to_sql,
            comment,
        };
        out.transforms
            .insert(Transform::key(&type_name, &language), x);
    }
    for RawSubscription {
        name,
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
        privileges: p,
    } in subscriptions
    {
        let x = Subscription {
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
            privileges: privileges(p),
        };
        out.subscriptions.insert(name, x);
    }
    for RawSchema {
        name,
        comment,
        privileges: acl,
    } in schemas
    {
        out.schemas.insert(
            name,
            Schema {
                comment,
                privileges: privileges(acl),
                // The objects in it are added below.
                ..Default::default()
            },
        );
    }

    // Relations, then their children by OID.
    let mut by_oid: HashMap<u32, usize> = HashMap::with_capacity(relations.len());
    let mut rels: Vec<(String, String, Rel)> = Vec::with_capacity(relations.len());
    // A lazy read's views: (position in `rels`, OID, tree).
    let mut views: Vec<(usize, u32, Tree)> = Vec::new();
    for r in relations {
        let RawRelation {
            oid,
            schema,
            name,
            kind,
            persistence: persistence_code,
            rls_enabled,
            rls_forced,
            partition_key,
            partition_parent,
            partition_bound,
            inherits,
            of_type,
            options,
            access_method,
            clustered_on,
            replica_identity,
            definition,
            definition_tree,
            comment,
            privileges: acl,
        } = r;
        if let Some(tree) = definition_tree {
            views.push((rels.len(), oid, tree));
        }
        by_oid.insert(oid, rels.len());
        let privileges = privileges(acl);
        let rel = match kind.as_str() {
            "v" => Rel::View(View {
                definition: definition.unwrap_or_default(),
                options,
                comment,
                column_comments: BTreeMap::new(),
                triggers: BTreeMap::new(),
                rules: BTreeMap::new(),
                privileges,
                column_grants: BTreeMap::new(),
            }),
            "m" => Rel::Materialized(MaterializedView {
                definition: definition.unwrap_or_default(),
                storage_parameters: options,
                access_method,
                indexes: BTreeMap::new(),
                statistics: BTreeMap::new(),
                clustered_on,
                comment,
                column_comments: BTreeMap::new(),
                column_settings: BTreeMap::new(),
                privileges,
                column_grants: BTreeMap::new(),
            }),
            _ => Rel::Table(Table {
                persistence: persistence(&persistence_code),
                columns: Vec::new(),
                constraints: BTreeMap::new(),
                indexes: BTreeMap::new(),
                triggers: BTreeMap::new(),
                rules: BTreeMap::new(),
                statistics: BTreeMap::new(),
                policies: BTreeMap::new(),
                rls_enabled,
                rls_forced,
                partition_key,
                partition_of: match (partition_parent, partition_bound) {
                    (Some(parent), Some(bound)) => Some(PartitionOf { parent, bound }),
                    _ => None,
                },
                inherits,
                of: of_type,
                storage_parameters: options,
                access_method,
                clustered_on,
                replica_identity,
                // Set below, from foreign_tables.sql.
                foreign: None,
                comment,
                privileges,
            }),
        };
        rels.push((schema, name, rel));
    }

    // Indexes and constraints name their keys from the columns, so they go
    // before the columns are moved into the model.
    // The columns, sorted by table and position (attach_column_extras).
    let names = KeyNames::new(&columns, opclasses, collations, keywords);
    // Two threads: one names the constraints, the other everything else
    // that has keys or trees; the columns then move into their tables.
    let (mut constraints, mut indexes) = (constraints, indexes);
    let (mut triggers, mut policies) = (triggers, policies);
    let deferrer = tree_oids(&constraints, &indexes, &triggers, &policies, &views)
        .map(|oids| Deferrer::new(oids, &names, &by_oid, &rels, types));
    let read = &rels;
    let (deferred, constraint_maps, index_maps, view_texts) = std::thread::scope(|scope| {
        let (names, by_oid, deferrer) = (&names, &by_oid, deferrer.as_ref());
        let keys = scope.spawn(move || {
            let mut out = Vec::new();
            if let Some(d) = deferrer {
                d.constraints(&mut constraints, &mut out);
            }
            let mut maps: Vec<BTreeMap<String, Constraint>> = empty_maps(read.len());
            for c in constraints {
                let Some(&i) = by_oid.get(&c.table_oid) else {
                    continue;
                };
                if let (Rel::Table(_), Some(kind)) = (&read[i].2, constraint_kind(&c.kind)) {
                    maps[i].insert(c.name.clone(), constraint(kind, c, names));
                }
            }
            (out, maps)
        });
        let mut out = Vec::new();
        let mut view_texts = Vec::new();
        if let Some(d) = deferrer {
            d.indexes(&mut indexes, &mut out);
            d.triggers(&mut triggers, &mut out);
            d.policies(&mut policies, &mut out);
            view_texts = d.views(views, &mut out);
        }
        let mut maps: Vec<BTreeMap<String, Index>> = empty_maps(read.len());
        for x in indexes {
            let Some(&i) = by_oid.get(&x.table_oid) else {
                continue;
            };
            if !matches!(read[i].2, Rel::View(_)) {
                maps[i].insert(x.name.clone(), index(x, names));
            }
        }
        let (mut deferred, constraint_maps) = keys
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        deferred.append(&mut out);
        (deferred, constraint_maps, maps, view_texts)
    });
    drop(deferrer);
    for (i, text) in view_texts {
        match &mut rels[i].2 {
            Rel::View(v) => v.definition = text.unwrap_or_default(),
            Rel::Materialized(m) => m.definition = text.unwrap_or_default(),
            Rel::Table(_) => {}
        }
    }
    for (rel, (c, x)) in rels
        .iter_mut()
        .zip(constraint_maps.into_iter().zip(index_maps))
    {
        match &mut rel.2 {
            Rel::Table(t) => {
                t.constraints = c;
                t.indexes = x;
            }
            Rel::Materialized(m) => m.indexes = x,
            Rel::View(_) => {}
        }
    }
    let KeyNames {
        collations,
        tables: column_ranges,
        ..
    } = names;

    let mut identities: HashMap<(u32, i16), RawIdentity> = identities
        .into_iter()
        .map(|x| ((x.table_oid, x.position), x))
        .collect();
    for (oid, range) in column_ranges {
        if let Some(Rel::Table(t)) = by_oid.get(&oid).map(|&i| &mut rels[i].2) {
            t.columns.reserve_exact(range.len());
        }
    }
    for c in columns {
        let Some(&i) = by_oid.get(&c.table_oid) else {
            continue;
        };
        match &mut rels[i].2 {
            Rel::Table(t) => {
                let identity = identities.remove(&(c.table_oid, c.position));
                let partition = t.partition_of.is_some();
                t.columns.push(column(c, identity, partition, &collations));
            }
            Rel::View(v) => {
                let ViewColumn {
                    name,
                    comment,
                    settings: _, // a view's columns have none
                    grants,
                } = view_column(c);
                if !grants.is_empty() {
                    v.column_grants.insert(name.clone(), grants);
                }
                if let Some(comment) = comment {
                    v.column_comments.insert(name, comment);
                }
            }
            Rel::Materialized(m) => {
                let ViewColumn {
                    name,
                    comment,
                    settings,
                    grants,
                } = view_column(c);
                if !settings.is_empty() {
                    m.column_settings.insert(name.clone(), settings);
                }
                if !grants.is_empty() {
                    m.column_grants.insert(name.clone(), grants);
                }
                if let Some(comment) = comment {
                    m.column_comments.insert(name, comment);
                }
            }
        }
    }
    for t in triggers {
        let Some(&i) = by_oid.get(&t.table_oid) else {
            continue;
        };
        let name = t.name.clone();
        match &mut rels[i].2 {
            Rel::Table(tab) => {
                tab.triggers.insert(name, trigger(t));
            }
            Rel::View(v) => {
                v.triggers.insert(name, trigger(t));
            }
            Rel::Materialized(_) => {}
        }
    }
    for x in rules {
        let Some(&i) = by_oid.get(&x.table_oid) else {
            continue;
        };
        let name = x.name.clone();
        match &mut rels[i].2 {
            Rel::Table(tab) => {
                tab.rules.insert(name, rule(x));
            }
            Rel::View(v) => {
                v.rules.insert(name, rule(x));
            }
            Rel::Materialized(_) => {}
        }
    }
    for x in statistics {
        let Some(&i) = by_oid.get(&x.table_oid) else {
            continue;
        };
        let (table_schema, _, rel) = &mut rels[i];
        let on = match rel {
            Rel::Table(t) => &mut t.statistics,
            Rel::Materialized(m) => &mut m.statistics,
            Rel::View(_) => continue,
        };
        let (name, x) = extended_statistics(x, table_schema);
        insert_statistics(on, name, x);
    }
    for RawForeignTable {
        table_oid,
        column,
        server,
        options,
    } in foreign_tables
    {
        let Some(Rel::Table(t)) = by_oid.get(&table_oid).map(|&i| &mut rels[i].2) else {
            continue;
        };
        // The table's row comes before its columns' (ORDER BY).
        let f = t.foreign.get_or_insert_with(ForeignTable::default);
        match column {
            None => {
                f.server = server.unwrap_or_default();
                f.options = options;
            }
            Some(c) => {
                f.column_options.insert(c, options);
            }
        }
    }
    for p in policies {
        let Some(&i) = by_oid.get(&p.table_oid) else {
            continue;
        };
        if let Rel::Table(t) = &mut rels[i].2 {
            let name = p.name.clone();
            t.policies.insert(name, policy(p));
        }
    }

    for (schema, name, rel) in rels {
        let s = out.schemas.entry(schema).or_default();
        match rel {
            Rel::Table(t) => {
                s.tables.insert(name, t);
            }
            Rel::View(v) => {
                s.views.insert(name, v);
            }
            Rel::Materialized(m) => {
                s.materialized_views.insert(name, m);
            }
        }
    }

    for q in sequences {
        let RawSequence {
            schema,
            name,
            options:
                SequenceOptions {
                    data_type,
                    start,
                    increment,
                    min_value,
                    max_value,
                    cache,
                    cycle,
                },
            owned_by,
            comment,
            privileges: acl,
        } = q;
        out.schemas.entry(schema).or_default().sequences.insert(
            name,
            Sequence {
                data_type,
                start,
                increment,
                min_value,
                max_value,
                cache,
                cycle,
                owned_by,
                comment,
                privileges: privileges(acl),
            },
        );
    }
    for f in functions {
        let key = format!("{}({})", f.name, f.identity);
        let schema = f.schema.clone();
        out.schemas
            .entry(schema)
            .or_default()
            .functions
            .insert(key, function(f));
    }
    for RawEnum {
        schema,
        name,
        labels,
        comment,
        privileges: acl,
    } in enums
    {
        out.schemas.entry(schema).or_default().enums.insert(
            name,
            Enum {
                labels,
                comment,
                privileges: privileges(acl),
            },
        );
    }
    for d in domains {
        let RawDomain {
            schema,
            name,
            base_type,
            not_null,
            default,
            collation,
            constraint_names,
            constraint_definitions,
            comment,
            privileges: acl,
        } = d;
        let constraints = constraint_names
            .into_iter()
            .zip(constraint_definitions)
            .collect();
        out.schemas.entry(schema).or_default().domains.insert(
            name,
            Domain {
                base_type,
                not_null,
                default,
                collation,
                constraints,
                comment,
                privileges: privileges(acl),
            },
        );
    }
    for RawRangeType {
        schema,
        name,
        subtype,
        subtype_opclass,
        collation,
        canonical,
        subtype_diff,
        multirange_type_name,
        comment,
        privileges: acl,
    } in range_types
    {
        out.schemas.entry(schema).or_default().range_types.insert(
            name,
            RangeType {
                subtype,
                subtype_opclass,
                collation,
                canonical,
                subtype_diff,
                multirange_type_name,
                comment,
                privileges: privileges(acl),
            },
        );
    }
    for RawBaseType {
        schema,
        name,
        definition,
        comment,
        privileges: acl,
    } in base_types
    {
        let s = out.schemas.entry(schema).or_default();
        let privileges = privileges(acl);
        match definition {
            Some(t) => {
                let t = BaseType {
                    comment,
                    privileges,
                    ..t
                };
                s.base_types.insert(name, t);
            }
            None => {
                let t = ShellType {
                    comment,
                    privileges,
                };
                s.shell_types.insert(name, t);
            }
        }
    }
    for c in composite_types {
        let RawCompositeType {
            schema,
            name,
            attribute_names,
            attribute_types,
            attribute_collations,
            comment,
            privileges: acl,
        } = c;
        let mut collations = attribute_collations.into_iter();
        let attributes = attribute_names
            .into_iter()
            .zip(attribute_types)
            .map(|(name, data_type)| CompositeAttribute {
                name,
                data_type,
                collation: collations.next().flatten(),
            })
            .collect();
        out.schemas
            .entry(schema)
            .or_default()
            .composite_types
            .insert(
                name,
                CompositeType {
                    attributes,
                    comment,
                    privileges: privileges(acl),
                },
            );
    }
    for RawCollation {
        schema,
        name,
        provider,
        locale,
        lc_collate,
        lc_ctype,
        deterministic,
        rules,
        comment,
        privileges: acl,
    } in collation_definitions
    {
        out.schemas.entry(schema).or_default().collations.insert(
            name,
            Collation {
                provider,
                locale,
                lc_collate,
                lc_ctype,
                deterministic,
                rules,
                comment,
                privileges: privileges(acl),
            },
        );
    }
    for RawOperator {
        schema,
        name,
        function,
        commutator,
        negator,
        restrict,
        join,
        hashes,
        merges,
        comment,
        privileges: acl,
    } in operators
    {
        out.schemas.entry(schema).or_default().operators.insert(
            name,
            Operator {
                function,
                commutator,
                negator,
                restrict,
                join,
                hashes,
                merges,
                comment,
                privileges: privileges(acl),
            },
        );
    }
    assemble_text_search(&mut out, text_search);
    for RawOperatorFamily {
        schema,
        name,
        member_keys,
        member_values,
        comment,
        privileges: acl,
    } in operator_families
    {
        out.schemas
            .entry(schema)
            .or_default()
            .operator_families
            .insert(
                name,
                OperatorFamily {
                    members: member_keys.into_iter().zip(member_values).collect(),
                    comment,
                    privileges: privileges(acl),
                },
            );
    }
    for RawOperatorClass {
        schema,
        name,
        for_type,
        default,
        storage,
        family,
        member_keys,
        member_values,
        comment,
        privileges: acl,
    } in operator_classes
    {
        out.schemas
            .entry(schema)
            .or_default()
            .operator_classes
            .insert(
                name,
                OperatorClass {
                    for_type,
                    default,
                    storage,
                    family,
                    members: member_keys.into_iter().zip(member_values).collect(),
                    comment,
                    privileges: privileges(acl),
                },
            );
    }
    for RawConversion {
        schema,
        name,
        for_encoding,
        to_encoding,
        function,
        default,
        comment,
        privileges: acl,
    } in conversions
    {
        out.schemas.entry(schema).or_default().conversions.insert(
            name,
            Conversion {
                for_encoding,
                to_encoding,
                function,
                default,
                comment,
                privileges: privileges(acl),
            },
        );
    }
    for RawSecurityLabel {
        schema,
        target,
        provider,
        label,
    } in security_labels
    {
        let labels = match schema {
            Some(s) => &mut out.schemas.entry(s).or_default().security_labels,
            None => &mut out.security_labels,
        };
        labels.entry(target).or_default().insert(provider, label);
    }
    for (schema, kind, n) in not_compared {
        let n = u64::try_from(n).unwrap_or(0);
        let counts = match schema {
            Some(s) => &mut out.schemas.entry(s).or_default().not_compared,
            None => &mut out.not_compared,
        };
        *counts.entry(kind).or_default() += n;
    }
    (out, deferred)
}

/// `n` empty maps, one per relation (an empty map allocates nothing).
pub(super) fn empty_maps<V>(n: usize) -> Vec<BTreeMap<String, V>> {
    (0..n).map(|_| BTreeMap::new()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::postgres::*;

    fn column_of<'a>(t: &'a Table, name: &str) -> &'a Column {
        t.columns.iter().find(|c| c.name == name).unwrap()
    }

    #[test]
    fn assemble_attaches_children_by_oid() {
        let raw = Raw {
            schemas: vec![RawSchema {
                name: "app".into(),
                ..Default::default()
            }],
            relations: vec![
                RawRelation {
                    oid: 10,
                    schema: "app".into(),
                    name: "t".into(),
                    kind: "r".into(),
                    persistence: "u".into(),
                    ..Default::default()
                },
                RawRelation {
                    oid: 11,
                    schema: "app".into(),
                    name: "v".into(),
                    kind: "v".into(),
                    definition: Some(" SELECT 1;".into()),
                    ..Default::default()
                },
            ],
            columns: vec![
                RawColumn {
                    table_oid: 10,
                    position: 1,
                    name: "id".into(),
                    data_type: "bigint".into(),
                    not_null: true,
                    identity: "a".into(),
                    ..Default::default()
                },
                RawColumn {
                    table_oid: 10,
                    position: 3,
                    name: "g".into(),
                    data_type: "integer".into(),
                    generated: "s".into(),
                    ..Default::default()
                },
                RawColumn {
                    table_oid: 10,
                    position: 4,
                    name: "label".into(),
                    data_type: "text".into(),
                    collation_oid: 200,
                    type_collation_oid: 100,
                    ..Default::default()
                },
                RawColumn {
                    table_oid: 11,
                    position: 1,
                    name: "x".into(),
                    ..Default::default()
                },
                RawColumn {
                    table_oid: 99,
                    name: "orphan".into(),
                    ..Default::default()
                },
            ],
            // Read apart, in no order, with rows for columns not read.
            column_defaults: vec![
                (99, 7, "0".into()),
                (10, 3, "(id * 2)".into()),
                (10, 2, "1".into()),
            ],
            column_comments: vec![(12, 1, "elsewhere".into()), (11, 1, "a view column".into())],
            constraints: vec![
                RawConstraint {
                    table_oid: 10,
                    name: "t_fk".into(),
                    kind: "f".into(),
                    definition: Some("FOREIGN KEY ...".into()),
                    attnums: vec![3],
                    validated: true,
                    fk_references: Some("app.t".into()),
                    fk_table_oid: 10,
                    fk_attnums: vec![1],
                    on_update: "a".into(),
                    on_delete: "c".into(),
                    match_type: "s".into(),
                    ..Default::default()
                },
                RawConstraint {
                    table_oid: 10,
                    name: "t_out".into(),
                    kind: "f".into(),
                    definition: Some("FOREIGN KEY ...".into()),
                    attnums: vec![1, 3],
                    fk_references: Some("other.t".into()),
                    fk_table_oid: 500,
                    fk_attnums: vec![1, 2],
                    fk_columns_elsewhere: Some(vec!["a".into(), "b".into()]),
                    ..Default::default()
                },
            ],
            indexes: vec![RawIndex {
                table_oid: 10,
                name: "t_idx".into(),
                method: "btree".into(),
                key_count: 3,
                attnums: vec![4, 0, 4, 1],
                opclass_oids: vec![7, 8, 8],
                collation_oids: vec![200, 100, 100],
                key_options: vec![0, 3, 1],
                key_exprs: Some(vec![None, Some("lower(label)".into()), None]),
                key_type_collations: Some(vec![100, 100, 100]),
                ..Default::default()
            }],
            opclasses: vec![(7, None), (8, Some("text_pattern_ops".into()))],
            collations: vec![(100, "default".into()), (200, "\"C\"".into())],
            identities: vec![RawIdentity {
                table_oid: 10,
                position: 1,
                sequence: SequenceOptions {
                    data_type: "bigint".into(),
                    start: 1,
                    increment: 1,
                    min_value: 1,
                    max_value: i64::MAX,
                    cache: 1,
                    cycle: false,
                },
            }],
            ..Default::default()
        };
        let s = assemble(raw);
        let app = &s.schemas["app"];
        let t = &app.tables["t"];
        assert_eq!(t.persistence, Persistence::Unlogged);
        assert_eq!(t.columns.len(), 3);
        let id = &t.columns[0];
        assert_eq!(
            id.identity.as_ref().unwrap().generation,
            IdentityGeneration::Always
        );
        assert_eq!(id.identity.as_ref().unwrap().sequence.max_value, i64::MAX);
        assert_eq!((&id.default, &id.comment), (&None, &None));
        assert_eq!(t.columns[2].default, None);
        let g = &t.columns[1];
        assert_eq!(g.default, None);
        assert_eq!(g.generated.as_ref().unwrap().expression, "(id * 2)");
        let fk = t.constraints["t_fk"].foreign_key.as_ref().unwrap();
        assert_eq!(t.constraints["t_fk"].columns, ["g"]);
        assert_eq!(fk.referenced_columns, ["id"]);
        assert_eq!(fk.on_delete, "cascade");
        let out = &t.constraints["t_out"];
        assert_eq!(out.columns, ["id", "g"]);
        assert_eq!(
            out.foreign_key.as_ref().unwrap().referenced_columns,
            ["a", "b"]
        );
        let idx = &t.indexes["t_idx"];
        let keys: Vec<_> = idx
            .keys
            .iter()
            .map(|k| {
                (
                    k.expression.as_str(),
                    k.opclass.as_deref(),
                    k.collation.as_deref(),
                    k.descending,
                    k.nulls_not_default,
                )
            })
            .collect();
        assert_eq!(
            keys,
            [
                ("label", None, None, false, false),
                ("lower(label)", Some("text_pattern_ops"), None, true, false),
                (
                    "label",
                    Some("text_pattern_ops"),
                    Some("default"),
                    true,
                    true
                ),
            ]
        );
        assert_eq!(idx.include, ["id"]);
        // A column shows its collation only when it is not its type's.
        assert_eq!(column_of(t, "label").collation.as_deref(), Some("\"C\""));
        assert_eq!(column_of(t, "id").collation, None);
        assert_eq!(fk.on_update, "no_action");
        assert_eq!(app.views["v"].column_comments["x"], "a view column");
    }

    /// PostgreSQL 17 marks a partition's column with its parent's identity
    /// and gives it no sequence: that identity is the parent's alone.
    #[test]
    fn a_partition_has_no_identity_of_its_own() {
        let relation = |oid, name: &str, parent: Option<&str>| RawRelation {
            oid,
            schema: "app".into(),
            name: name.into(),
            kind: if parent.is_some() { "r" } else { "p" }.into(),
            partition_parent: parent.map(Into::into),
            partition_bound: parent.map(|_| "DEFAULT".into()),
            ..Default::default()
        };
        let id = |table_oid| RawColumn {
            table_oid,
            position: 1,
            name: "id".into(),
            data_type: "bigint".into(),
            identity: "a".into(),
            ..Default::default()
        };
        let raw = Raw {
            relations: vec![
                relation(10, "p", None),
                relation(11, "p_all", Some("app.p")),
                relation(12, "loose", None),
            ],
            columns: vec![id(10), id(11), id(12)],
            identities: vec![RawIdentity {
                table_oid: 10,
                position: 1,
                sequence: SequenceOptions {
                    data_type: "bigint".into(),
                    start: 1,
                    ..Default::default()
                },
            }],
            ..Default::default()
        };
        let s = assemble(raw);
        let t = &s.schemas["app"].tables;
        assert_eq!(
            t["p"].columns[0].identity.as_ref().unwrap().sequence.start,
            1
        );
        assert_eq!(t["p_all"].columns[0].identity, None);
        // Elsewhere a marked column stays an identity, however its sequence reads.
        assert!(t["loose"].columns[0].identity.is_some());
    }
}
