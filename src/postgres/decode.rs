//! Catalog rows -> the canonical model, as pure functions.
//!
//! `mod.rs` fills the `Raw*` structs below from the rows of
//! `queries/*.sql` (one struct per query, one field per column) and calls
//! [`assemble`]. Nothing here does I/O, so the decoding of PostgreSQL's
//! bitfields and codes is unit-tested without a server.

use std::borrow::Cow;

use super::tree::{placeholder, Tree};
use std::collections::{BTreeMap, HashMap, HashSet};

use crate::model::postgres::{
    Column, CompositeAttribute, CompositeType, Constraint, ConstraintKind, Domain, Enum, Extension,
    ForeignKey, Function, Generated, GeneratedKind, Identity, IdentityGeneration, Index, IndexKey,
    MaterializedView, PartitionOf, Persistence, PgSchema, Policy, Privileges, Schema, Sequence,
    SequenceOptions, Table, Trigger, View,
};

/// Everything the catalog queries returned, one vector per query.
#[derive(Debug, Clone, Default)]
pub struct Raw {
    pub with_privileges: bool,
    pub schemas: Vec<RawSchema>,
    pub extensions: Vec<RawExtension>,
    pub relations: Vec<RawRelation>,
    pub columns: Vec<RawColumn>,
    /// `column_defaults.sql`: (table OID, attnum, default), to be put in
    /// `columns` by [`Raw::attach_column_extras`].
    pub column_defaults: Vec<(u32, i16, String)>,
    /// `column_comments.sql`: (table OID, attnum, comment), likewise.
    pub column_comments: Vec<(u32, i16, String)>,
    pub identities: Vec<RawIdentity>,
    pub constraints: Vec<RawConstraint>,
    pub indexes: Vec<RawIndex>,
    /// `opclasses.sql`: OID -> name, `None` for a default opclass.
    pub opclasses: Vec<(u32, Option<String>)>,
    /// `collations.sql`: OID -> name.
    pub collations: Vec<(u32, String)>,
    /// `keywords.sql`: the keywords an identifier must be quoted to be.
    pub keywords: Vec<String>,
    /// `types.sql` (lazy reads only): OID -> name.
    pub types: Vec<(u32, String)>,
    pub sequences: Vec<RawSequence>,
    pub functions: Vec<RawFunction>,
    pub triggers: Vec<RawTrigger>,
    pub policies: Vec<RawPolicy>,
    pub enums: Vec<RawEnum>,
    pub domains: Vec<RawDomain>,
    pub composite_types: Vec<RawCompositeType>,
    /// `not_compared.sql`: (schema, or none for the database; kind; count).
    pub not_compared: Vec<(Option<String>, String, i64)>,
}

impl Raw {
    /// Move in the rows `other` read (each query is read by one connection,
    /// so this appends to empty vectors or appends nothing).
    pub fn absorb(&mut self, mut other: Raw) {
        self.with_privileges |= other.with_privileges;
        self.schemas.append(&mut other.schemas);
        self.extensions.append(&mut other.extensions);
        self.relations.append(&mut other.relations);
        self.columns.append(&mut other.columns);
        self.column_defaults.append(&mut other.column_defaults);
        self.column_comments.append(&mut other.column_comments);
        self.identities.append(&mut other.identities);
        self.constraints.append(&mut other.constraints);
        self.indexes.append(&mut other.indexes);
        self.opclasses.append(&mut other.opclasses);
        self.collations.append(&mut other.collations);
        self.keywords.append(&mut other.keywords);
        self.types.append(&mut other.types);
        self.sequences.append(&mut other.sequences);
        self.functions.append(&mut other.functions);
        self.triggers.append(&mut other.triggers);
        self.policies.append(&mut other.policies);
        self.enums.append(&mut other.enums);
        self.not_compared.append(&mut other.not_compared);
        self.domains.append(&mut other.domains);
        self.composite_types.append(&mut other.composite_types);
    }

    /// Sort the columns by table and position, and put in them the defaults
    /// and comments read apart, dropping those of columns not read.
    pub fn attach_column_extras(&mut self) {
        let columns = &mut self.columns;
        // They mostly come sorted already, in pg_attribute's physical
        // order. Else by cached key: each column (a large struct) is moved
        // once, not at every step of the sort.
        if !columns.is_sorted_by_key(|c| (c.table_oid, c.position)) {
            columns.sort_by_cached_key(|c| (c.table_oid, c.position));
        }
        let defaults = std::mem::take(&mut self.column_defaults);
        attach(columns, defaults, |c, d| c.default = Some(d));
        let comments = std::mem::take(&mut self.column_comments);
        attach(columns, comments, |c, d| c.comment = Some(d));
    }
}

/// Give `put` each column (sorted by table and position) and the value
/// `extras` has for it, in one walk over both.
fn attach<T>(
    columns: &mut [RawColumn],
    mut extras: Vec<(u32, i16, T)>,
    mut put: impl FnMut(&mut RawColumn, T),
) {
    if !extras.is_sorted_by_key(|x| (x.0, x.1)) {
        extras.sort_unstable_by_key(|x| (x.0, x.1));
    }
    let mut i = 0;
    for (table, position, value) in extras {
        while columns
            .get(i)
            .is_some_and(|c| (c.table_oid, c.position) < (table, position))
        {
            i += 1;
        }
        if let Some(c) = columns.get_mut(i) {
            if (c.table_oid, c.position) == (table, position) {
                put(c, value);
            }
        }
    }
}

/// Owner and exploded ACL (`grantee=PRIVILEGE[ WITH GRANT OPTION]`, as
/// `aclexplode` gives them) of one object; both `None` without privileges.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RawPrivileges {
    pub owner: Option<String>,
    /// `None` for a NULL ACL (default privileges).
    pub acl: Option<Vec<String>>,
}

#[derive(Debug, Clone, Default)]
pub struct RawSchema {
    pub name: String,
    pub comment: Option<String>,
    pub privileges: RawPrivileges,
}

#[derive(Debug, Clone, Default)]
pub struct RawExtension {
    pub name: String,
    pub version: String,
    pub schema: String,
    /// `pg_available_extensions.default_version`; `None` without a control file.
    pub default_version: Option<String>,
}

/// A row of `relations.sql`: a table, partitioned table, view or materialized view.
#[derive(Debug, Clone, Default)]
pub struct RawRelation {
    pub oid: u32,
    pub schema: String,
    pub name: String,
    /// `relkind`: `r`, `p`, `v` or `m`.
    pub kind: String,
    /// `relpersistence`: `p`, `u` (or `t`).
    pub persistence: String,
    pub rls_enabled: bool,
    pub rls_forced: bool,
    pub partition_key: Option<String>,
    pub partition_parent: Option<String>,
    pub partition_bound: Option<String>,
    pub inherits: Vec<String>,
    pub options: Vec<String>,
    /// `pg_get_viewdef` of views and materialized views.
    pub definition: Option<String>,
    /// A lazy read's view: its query's stored tree instead (see
    /// [`super::tree`]).
    pub definition_tree: Option<Tree>,
    pub comment: Option<String>,
    pub privileges: RawPrivileges,
}

#[derive(Debug, Clone, Default)]
pub struct RawColumn {
    pub table_oid: u32,
    /// `attnum`, which index keys refer to.
    pub position: i16,
    pub name: String,
    pub data_type: String,
    pub not_null: bool,
    pub default: Option<String>,
    /// `attidentity`: empty, `a` (always) or `d` (by default).
    pub identity: String,
    /// `attgenerated`: empty, `s` (stored) or `v` (virtual, PostgreSQL 18).
    pub generated: String,
    /// `attcollation` (0 for a type without collation), and the default
    /// collation of the column's type: the column shows a collation only
    /// when they differ, and an index key only when it is not the column's.
    pub collation_oid: u32,
    pub type_collation_oid: u32,
    pub comment: Option<String>,
}

/// A row of `identities.sql`: the sequence of an identity column.
#[derive(Debug, Clone, Default)]
pub struct RawIdentity {
    pub table_oid: u32,
    pub position: i16,
    pub sequence: SequenceOptions,
}

#[derive(Debug, Clone, Default)]
pub struct RawConstraint {
    pub table_oid: u32,
    pub name: String,
    /// `contype`: `p`, `u`, `c`, `x` or `f`.
    pub kind: String,
    /// `pg_get_constraintdef`; `None` for a key or foreign key that
    /// [`constraint_definition`] writes instead, and for a CHECK read as
    /// its `tree`.
    pub definition: Option<String>,
    /// A lazy read's CHECK: `conbin` (see [`super::tree`]).
    pub tree: Option<Tree>,
    pub oid: u32,
    /// `conkey` (empty for CHECK).
    pub attnums: Vec<i16>,
    pub deferrable: bool,
    pub initially_deferred: bool,
    pub validated: bool,
    pub no_inherit: bool,
    pub fk_references: Option<String>,
    /// `confrelid` and `confkey` of a foreign key.
    pub fk_table_oid: u32,
    pub fk_attnums: Vec<i16>,
    /// A foreign key to a table that is not read: its columns' names.
    pub fk_columns_elsewhere: Option<Vec<String>>,
    /// `confupdtype`, `confdeltype`: `a`, `r`, `c`, `n`, `d` (space when not a FK).
    pub on_update: String,
    pub on_delete: String,
    /// `confmatchtype`: `s`, `f`, `p`.
    pub match_type: String,
    pub comment: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct RawIndex {
    /// The table or materialized view.
    pub table_oid: u32,
    pub name: String,
    pub method: String,
    pub unique: bool,
    pub nulls_not_distinct: bool,
    /// `indnkeyatts`: the first this many `attnums` are keys, the rest INCLUDE columns.
    pub key_count: i16,
    /// `indkey`: the table's column numbers, 0 for an expression key.
    pub attnums: Vec<i16>,
    /// `indclass` and `indcollation`, per key.
    pub opclass_oids: Vec<u32>,
    pub collation_oids: Vec<u32>,
    /// `indoption` bits per key: 1 = DESC, 2 = NULLS FIRST.
    pub key_options: Vec<i16>,
    /// Expression indexes only, per key: the deparsed expression (`None`
    /// for a plain column key).
    pub key_exprs: Option<Vec<Option<String>>>,
    /// Expression indexes only, per key: the collation of the key's type,
    /// which is the default collation of an expression key.
    pub key_type_collations: Option<Vec<u32>>,
    pub predicate: Option<String>,
    /// A lazy read's `indexprs` and `indpred` (see [`super::tree`]),
    /// instead of `key_exprs` and `predicate`.
    pub key_exprs_tree: Option<Tree>,
    pub predicate_tree: Option<Tree>,
    /// `indexrelid`.
    pub oid: u32,
    pub options: Vec<String>,
    pub comment: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct RawSequence {
    pub schema: String,
    pub name: String,
    pub options: SequenceOptions,
    pub owned_by: Option<String>,
    pub comment: Option<String>,
    pub privileges: RawPrivileges,
}

#[derive(Debug, Clone, Default)]
pub struct RawFunction {
    pub schema: String,
    pub name: String,
    /// `oidvectortypes(proargtypes)`, e.g. `integer, integer`.
    pub identity: String,
    /// `prokind`: `f`, `p`, `a`, `w`.
    pub kind: String,
    pub arguments: String,
    pub returns: Option<String>,
    pub language: String,
    /// `provolatile`: `i`, `s`, `v`.
    pub volatility: String,
    pub strict: bool,
    pub security_definer: bool,
    pub leakproof: bool,
    /// `proparallel`: `s`, `r`, `u`.
    pub parallel: String,
    pub settings: Vec<String>,
    /// `prosrc`.
    pub source: String,
    /// `pg_get_functiondef` of a function with a SQL-standard body.
    pub sql_body_definition: Option<String>,
    pub comment: Option<String>,
    pub privileges: RawPrivileges,
}

#[derive(Debug, Clone, Default)]
pub struct RawTrigger {
    /// The table or view.
    pub table_oid: u32,
    pub name: String,
    pub tgtype: i32,
    pub columns: Vec<String>,
    pub function: String,
    /// `tgargs`: the arguments, each ended by a NUL byte.
    pub args: Vec<u8>,
    pub nargs: i32,
    /// `pg_get_triggerdef`, read only when the trigger has a WHEN condition.
    pub definition: Option<String>,
    /// A lazy read's `tgqual` instead (see [`super::tree`]), and then its
    /// placeholder.
    pub when_tree: Option<Tree>,
    pub when_text: Option<String>,
    pub oid: u32,
    /// `tgenabled`: `O`, `D`, `R`, `A`.
    pub enabled: String,
    pub old_table: Option<String>,
    pub new_table: Option<String>,
    pub is_constraint: bool,
    pub deferrable: bool,
    pub initially_deferred: bool,
    pub comment: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct RawPolicy {
    pub table_oid: u32,
    pub name: String,
    /// `polcmd`: `r`, `a`, `w`, `d`, `*`.
    pub command: String,
    pub permissive: bool,
    pub roles: Vec<String>,
    pub using: Option<String>,
    pub with_check: Option<String>,
    /// A lazy read's `polqual` and `polwithcheck` instead (see [`super::tree`]).
    pub using_tree: Option<Tree>,
    pub with_check_tree: Option<Tree>,
    pub oid: u32,
    pub comment: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct RawEnum {
    pub schema: String,
    pub name: String,
    pub labels: Vec<String>,
    pub comment: Option<String>,
    pub privileges: RawPrivileges,
}

#[derive(Debug, Clone, Default)]
pub struct RawDomain {
    pub schema: String,
    pub name: String,
    pub base_type: String,
    pub not_null: bool,
    pub default: Option<String>,
    pub collation: Option<String>,
    pub constraint_names: Vec<String>,
    pub constraint_definitions: Vec<String>,
    pub comment: Option<String>,
    pub privileges: RawPrivileges,
}

#[derive(Debug, Clone, Default)]
pub struct RawCompositeType {
    pub schema: String,
    pub name: String,
    pub attribute_names: Vec<String>,
    pub attribute_types: Vec<String>,
    pub attribute_collations: Vec<Option<String>>,
    pub comment: Option<String>,
    pub privileges: RawPrivileges,
}

/// A relation being built, found by OID while child rows are attached.
enum Rel {
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
        relations,
        columns,
        column_defaults: _, // attached to `columns` above
        column_comments: _, // likewise
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
        policies,
        enums,
        domains,
        composite_types,
        not_compared,
    } = raw;
    let mut out = PgSchema {
        with_privileges,
        extensions: BTreeMap::new(),
        schemas: BTreeMap::new(),
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
            options,
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
                privileges,
            }),
            "m" => Rel::Materialized(MaterializedView {
                definition: definition.unwrap_or_default(),
                storage_parameters: options,
                indexes: BTreeMap::new(),
                comment,
                column_comments: BTreeMap::new(),
                privileges,
            }),
            _ => Rel::Table(Table {
                persistence: persistence(&persistence_code),
                columns: Vec::new(),
                constraints: BTreeMap::new(),
                indexes: BTreeMap::new(),
                triggers: BTreeMap::new(),
                policies: BTreeMap::new(),
                rls_enabled,
                rls_forced,
                partition_key,
                partition_of: match (partition_parent, partition_bound) {
                    (Some(parent), Some(bound)) => Some(PartitionOf { parent, bound }),
                    _ => None,
                },
                inherits,
                storage_parameters: options,
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
                if let Some(comment) = c.comment {
                    v.column_comments.insert(c.name, comment);
                }
            }
            Rel::Materialized(m) => {
                if let Some(comment) = c.comment {
                    m.column_comments.insert(c.name, comment);
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

fn persistence(code: &str) -> Persistence {
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
fn column(
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
        comment,
    } = c;
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
        comment,
    }
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

fn constraint(kind: ConstraintKind, c: RawConstraint, names: &KeyNames) -> Constraint {
    let RawConstraint {
        table_oid,
        name: _, // the caller's key
        kind: _, // decoded by the caller into `kind`
        tree: _, // a lazy read's CHECK: deferred into `definition` before
        oid: _,  // what a deferred tree is deparsed by
        definition,
        attnums,
        deferrable,
        initially_deferred,
        validated,
        no_inherit,
        fk_references,
        fk_table_oid,
        fk_attnums,
        fk_columns_elsewhere,
        on_update,
        on_delete,
        match_type,
        comment,
    } = c;
    let columns = names.column_names(table_oid, &attnums);
    let foreign_key = (kind == ConstraintKind::ForeignKey).then(|| ForeignKey {
        references: fk_references.unwrap_or_default(),
        referenced_columns: fk_columns_elsewhere
            .unwrap_or_else(|| names.column_names(fk_table_oid, &fk_attnums)),
        on_update: fk_action(&on_update).to_string(),
        on_delete: fk_action(&on_delete).to_string(),
        match_type: fk_match(&match_type).to_string(),
    });
    let definition = match definition {
        Some(d) => d,
        None => constraint_definition(&KeyDefinition {
            kind,
            columns: &columns,
            foreign_key: foreign_key.as_ref(),
            deferrable,
            initially_deferred,
            validated,
            keywords: &names.keywords,
        }),
    };
    Constraint {
        kind,
        definition,
        columns,
        deferrable,
        initially_deferred,
        validated,
        // connoinherit is also set on keys of plain tables; it means
        // something only for CHECK.
        no_inherit: kind == ConstraintKind::Check && no_inherit,
        foreign_key,
        comment,
    }
}

/// What a primary key, unique or foreign key constraint's text is made of.
pub struct KeyDefinition<'a> {
    pub kind: ConstraintKind,
    pub columns: &'a [String],
    pub foreign_key: Option<&'a ForeignKey>,
    pub deferrable: bool,
    pub initially_deferred: bool,
    pub validated: bool,
    /// The keywords an identifier must be quoted to be (see [`quote_ident`]).
    pub keywords: &'a HashSet<String>,
}

/// The text `pg_get_constraintdef` gives a primary key, unique or foreign
/// key constraint without INCLUDE, NULLS NOT DISTINCT, PERIOD / WITHOUT
/// OVERLAPS, NOT ENFORCED or ON DELETE SET NULL (columns) (`constraints.sql`
/// asks the server for those), written as PostgreSQL's ruleutils.c does:
/// `PRIMARY KEY (a, b)`, `UNIQUE (a)`, `FOREIGN KEY (a) REFERENCES s.t(b)
/// MATCH FULL ON UPDATE CASCADE ON DELETE SET NULL`, then ` DEFERRABLE`,
/// ` INITIALLY DEFERRED`, ` NOT VALID`. Other kinds give an empty string.
pub fn constraint_definition(d: &KeyDefinition) -> String {
    let list = |cols: &[String]| {
        cols.iter()
            .map(|c| quote_ident(c, d.keywords))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut out = match (d.kind, d.foreign_key) {
        (ConstraintKind::PrimaryKey, _) => format!("PRIMARY KEY ({})", list(d.columns)),
        (ConstraintKind::Unique, _) => format!("UNIQUE ({})", list(d.columns)),
        (ConstraintKind::ForeignKey, Some(fk)) => {
            let mut s = format!(
                "FOREIGN KEY ({}) REFERENCES {}({})",
                list(d.columns),
                fk.references,
                list(&fk.referenced_columns)
            );
            match fk.match_type.as_str() {
                "full" => s.push_str(" MATCH FULL"),
                "partial" => s.push_str(" MATCH PARTIAL"),
                _ => {}
            }
            for (clause, action) in [("ON UPDATE", &fk.on_update), ("ON DELETE", &fk.on_delete)] {
                let action = match action.as_str() {
                    "restrict" => "RESTRICT",
                    "cascade" => "CASCADE",
                    "set_null" => "SET NULL",
                    "set_default" => "SET DEFAULT",
                    _ => continue,
                };
                s.push_str(&format!(" {clause} {action}"));
            }
            s
        }
        _ => return String::new(),
    };
    if d.deferrable {
        out.push_str(" DEFERRABLE");
    }
    if d.initially_deferred {
        out.push_str(" INITIALLY DEFERRED");
    }
    if !d.validated {
        out.push_str(" NOT VALID");
    }
    out
}

/// An identifier as PostgreSQL's `quote_ident` writes it: bare when it is
/// lower-case ASCII letters, digits and underscores, not starting with a
/// digit, and not one of `keywords` (the server's keywords other than the
/// unreserved ones); else in double quotes, with quotes doubled.
pub fn quote_ident<'a>(name: &'a str, keywords: &HashSet<String>) -> Cow<'a, str> {
    let bytes = name.as_bytes();
    let plain = bytes
        .first()
        .is_some_and(|b| b.is_ascii_lowercase() || *b == b'_')
        && bytes
            .iter()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'_')
        && !keywords.contains(name);
    if plain {
        Cow::Borrowed(name)
    } else {
        Cow::Owned(format!("\"{}\"", name.replace('"', "\"\"")))
    }
}

/// `indoption` bits of one key -> (descending, nulls_not_default).
pub fn index_option(bits: i32) -> (bool, bool) {
    const DESC: i32 = 1;
    const NULLS_FIRST: i32 = 2;
    let descending = bits & DESC != 0;
    let nulls_first = bits & NULLS_FIRST != 0;
    // The default is NULLS LAST for ASC and NULLS FIRST for DESC.
    (descending, nulls_first != descending)
}

/// What index and constraint keys are named from: the columns of every
/// relation read (sorted by relation OID and `attnum`, looked up by binary
/// search), operator classes and collations (by OID), and the keywords that
/// identifiers must be quoted to be.
pub struct KeyNames<'a> {
    /// Sorted by table and `attnum`.
    columns: &'a [RawColumn],
    /// Where each table's columns are in `columns`: one hash lookup, where
    /// a binary search of 100,000 columns missed the cache at most steps.
    tables: HashMap<u32, std::ops::Range<usize>>,
    opclasses: HashMap<u32, Option<String>>,
    collations: HashMap<u32, String>,
    keywords: HashSet<String>,
}

impl<'a> KeyNames<'a> {
    /// `columns` must be sorted by table OID and position.
    pub fn new(
        columns: &'a [RawColumn],
        opclasses: Vec<(u32, Option<String>)>,
        collations: Vec<(u32, String)>,
        keywords: Vec<String>,
    ) -> Self {
        let mut tables = HashMap::new();
        let mut start = 0;
        for run in columns.chunk_by(|a, b| a.table_oid == b.table_oid) {
            tables.insert(run[0].table_oid, start..start + run.len());
            start += run.len();
        }
        KeyNames {
            columns,
            tables,
            opclasses: opclasses.into_iter().collect(),
            collations: collations.into_iter().collect(),
            keywords: keywords.into_iter().collect(),
        }
    }

    /// Every column of `table`: number and name, in order, so that no two
    /// lists read alike.
    fn all_columns(&self, table: u32) -> String {
        let mut out = String::new();
        for c in self.of(table) {
            push_part(&mut out, &c.position.to_string());
            push_part(&mut out, &c.name);
        }
        out
    }

    /// The columns of `table`, in order.
    fn of(&self, table: u32) -> &'a [RawColumn] {
        match self.tables.get(&table) {
            Some(range) => &self.columns[range.clone()],
            None => &[],
        }
    }

    fn column(&self, table: u32, attnum: i16) -> Option<&'a RawColumn> {
        let columns = self.of(table);
        // Without dropped columns, column n is at n - 1.
        let guess = usize::try_from(attnum).ok()?.checked_sub(1)?;
        match columns.get(guess) {
            Some(c) if c.position == attnum => Some(c),
            _ => columns
                .binary_search_by_key(&attnum, |c| c.position)
                .ok()
                .map(|i| &columns[i]),
        }
    }

    /// The names of columns `attnums` of `table`, leaving out any not read
    /// (0 stands for an expression).
    fn column_names(&self, table: u32, attnums: &[i16]) -> Vec<String> {
        attnums
            .iter()
            .filter_map(|&n| self.column(table, n).map(|c| c.name.clone()))
            .collect()
    }
}

fn index(x: RawIndex, names: &KeyNames) -> Index {
    let RawIndex {
        table_oid,
        name: _, // the caller's key
        method,
        unique,
        nulls_not_distinct,
        key_count,
        attnums,
        opclass_oids,
        collation_oids,
        key_options,
        key_exprs,
        key_type_collations,
        predicate,
        key_exprs_tree: _, // a lazy read's: deferred into `key_exprs` before
        predicate_tree: _, // and into `predicate`
        oid: _,            // what a deferred tree is deparsed by
        options,
        comment,
    } = x;
    let key_count = usize::try_from(key_count).unwrap_or(0).min(attnums.len());
    let (key_attnums, include_attnums) = attnums.split_at(key_count);
    let keys = key_attnums
        .iter()
        .enumerate()
        .map(|(k, &attnum)| {
            let column = (attnum != 0)
                .then(|| names.column(table_oid, attnum))
                .flatten();
            // A plain column key is the column's name; an expression key
            // its deparsed text. A key's collation is shown only when it is
            // not the column's (or, for an expression, its type's).
            let (expression, own_collation) = match column {
                Some(c) => (c.name.clone(), c.collation_oid),
                None => (
                    key_exprs
                        .as_ref()
                        .and_then(|e| e.get(k).cloned().flatten())
                        .unwrap_or_default(),
                    key_type_collations
                        .as_ref()
                        .and_then(|t| t.get(k).copied())
                        .unwrap_or(0),
                ),
            };
            let collation = collation_oids
                .get(k)
                .copied()
                .filter(|&c| c != 0 && c != own_collation)
                .and_then(|c| names.collations.get(&c).cloned());
            let opclass = opclass_oids
                .get(k)
                .and_then(|o| names.opclasses.get(o).cloned().flatten());
            let (descending, nulls_not_default) =
                index_option(i32::from(key_options.get(k).copied().unwrap_or(0)));
            IndexKey {
                expression,
                opclass,
                collation,
                descending,
                nulls_not_default,
            }
        })
        .collect();
    let include = names.column_names(table_oid, include_attnums);
    Index {
        method,
        unique,
        nulls_not_distinct,
        keys,
        include,
        predicate,
        storage_parameters: options,
        comment,
    }
}

/// An object with an expression that a lazy read left as a tree: where it
/// is in the model, and the OID to deparse it by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deferred {
    pub kind: DeferredKind,
    /// `pg_constraint`, `pg_class` (the index), `pg_trigger` or `pg_policy`.
    pub oid: u32,
    pub schema: String,
    /// The table (or view, or materialized view) it belongs to.
    pub table: String,
    pub name: String,
    /// A tree with no key, and so no placeholder: to deparse before the
    /// model is compared with anything.
    pub now: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DeferredKind {
    Constraint,
    Index,
    Trigger,
    Policy,
    /// A view or materialized view (`schema`.`table`).
    View,
}

/// Append `part` to `out` after its length, so that no two sequences of
/// parts read alike.
fn push_part(out: &mut String, part: &str) {
    out.push_str(&part.len().to_string());
    out.push(':');
    out.push_str(part);
}

/// `n` empty maps, one per relation (an empty map allocates nothing).
fn empty_maps<V>(n: usize) -> Vec<BTreeMap<String, V>> {
    (0..n).map(|_| BTreeMap::new()).collect()
}

/// Puts the placeholder of each tree of a lazy read where its text goes
/// (an index's expression keys and predicate, a CHECK's definition, a
/// trigger's WHEN, a policy's expressions, a view's query), and lists the
/// objects to deparse. A tree without a key leaves an empty text, and its
/// object is marked to be deparsed at once. Shared by the threads that
/// assemble a model (each lists its objects in its own `out`).
struct Deferrer<'a> {
    names: &'a KeyNames<'a>,
    by_oid: &'a HashMap<u32, usize>,
    rels: &'a [(String, String, Rel)],
    /// See [`object_names`]; empty when there are no trees.
    objects: HashMap<u32, String>,
}

impl<'a> Deferrer<'a> {
    /// `oids`: the OIDs of users' objects that the trees hold.
    fn new(
        oids: HashSet<u32>,
        names: &'a KeyNames<'a>,
        by_oid: &'a HashMap<u32, usize>,
        rels: &'a [(String, String, Rel)],
        types: Vec<(u32, String)>,
    ) -> Self {
        Deferrer {
            names,
            by_oid,
            rels,
            objects: object_names(oids, rels, by_oid, names, types),
        }
    }

    /// The placeholders of an object's trees (tagged), in order; `None`
    /// where there is no tree.
    #[allow(clippy::too_many_arguments)]
    fn defer(
        &self,
        out: &mut Vec<Deferred>,
        kind: DeferredKind,
        table_oid: u32,
        oid: u32,
        name: &str,
        trees: &[(Option<Tree>, String)],
        context: &str,
    ) -> Vec<Option<String>> {
        if trees.iter().all(|(t, _)| t.is_none()) {
            return vec![None; trees.len()];
        }
        let Some(&i) = self.by_oid.get(&table_oid) else {
            return vec![None; trees.len()];
        };
        let (schema, table, _) = &self.rels[i];
        // A view's columns count through its context and the relations it
        // reads (`object`): its query's column numbers are theirs.
        let column = |n| match kind {
            DeferredKind::View => Some(""),
            _ => self.names.column(table_oid, n).map(|c| c.name.as_str()),
        };
        let object = |oid: u32| self.objects.get(&oid).map(String::as_str);
        let mut now = false;
        let held = trees
            .iter()
            .map(|(t, tag)| {
                let t = t.as_ref()?;
                let p = t
                    .key(column, object, context)
                    .and_then(|k| placeholder(schema, table, tag, &k));
                now |= p.is_none();
                Some(p.unwrap_or_default())
            })
            .collect();
        out.push(Deferred {
            kind,
            oid,
            schema: schema.clone(),
            table: table.clone(),
            name: name.to_string(),
            now,
        });
        held
    }

    fn constraints(&self, constraints: &mut [RawConstraint], out: &mut Vec<Deferred>) {
        for c in constraints {
            let trees = [(c.tree.take(), String::new())];
            let kind = DeferredKind::Constraint;
            let held = self.defer(out, kind, c.table_oid, c.oid, &c.name, &trees, "");
            if let Some(mut d) = held.into_iter().next().flatten() {
                // The clauses that PostgreSQL prints after the condition.
                if c.no_inherit {
                    d.push_str(" NO INHERIT");
                }
                if !c.validated {
                    d.push_str(" NOT VALID");
                }
                c.definition = Some(d);
            }
        }
    }

    fn indexes(&self, indexes: &mut [RawIndex], out: &mut Vec<Deferred>) {
        for x in indexes {
            // Each expression key stands as the placeholder of the whole
            // list with its position: equal lists print equal keys.
            let keys = usize::try_from(x.key_count).unwrap_or(0);
            let exprs = x.key_exprs_tree.take();
            let expression_keys: Vec<usize> = match exprs {
                Some(_) => (0..keys)
                    .filter(|&k| x.attnums.get(k) == Some(&0))
                    .collect(),
                None => Vec::new(),
            };
            let mut trees: Vec<(Option<Tree>, String)> = expression_keys
                .iter()
                .map(|k| (exprs.clone(), format!("k{k}")))
                .collect();
            trees.push((x.predicate_tree.take(), "p".to_string()));
            let kind = DeferredKind::Index;
            let mut held = self.defer(out, kind, x.table_oid, x.oid, &x.name, &trees, "");
            if let Some(p) = held.pop().flatten() {
                x.predicate = Some(p);
            }
            if exprs.is_some() {
                let mut per_key = vec![None; keys];
                for (k, p) in expression_keys.into_iter().zip(held) {
                    per_key[k] = p;
                }
                x.key_exprs = Some(per_key);
            }
        }
    }

    fn triggers(&self, triggers: &mut [RawTrigger], out: &mut Vec<Deferred>) {
        for t in triggers {
            let trees = [(t.when_tree.take(), String::new())];
            let kind = DeferredKind::Trigger;
            let held = self.defer(out, kind, t.table_oid, t.oid, &t.name, &trees, "");
            // `trigger` takes a placeholder in `when_text` for the WHEN.
            t.when_text = held.into_iter().next().flatten();
        }
    }

    fn policies(&self, policies: &mut [RawPolicy], out: &mut Vec<Deferred>) {
        for p in policies {
            let trees = [
                (p.using_tree.take(), "u".to_string()),
                (p.with_check_tree.take(), "w".to_string()),
            ];
            let kind = DeferredKind::Policy;
            let held = self.defer(out, kind, p.table_oid, p.oid, &p.name, &trees, "");
            let mut held = held.into_iter();
            if let Some(u) = held.next().flatten() {
                p.using = Some(u);
            }
            if let Some(w) = held.next().flatten() {
                p.with_check = Some(w);
            }
        }
    }

    /// The placeholders of views' queries (`views`: position in `rels`,
    /// OID, tree), by position in `rels`.
    fn views(
        &self,
        views: Vec<(usize, u32, Tree)>,
        out: &mut Vec<Deferred>,
    ) -> Vec<(usize, Option<String>)> {
        views
            .into_iter()
            .map(|(i, oid, tree)| {
                let trees = [(Some(tree), String::new())];
                // A view's text also names its own columns.
                let context = self.names.all_columns(oid);
                let kind = DeferredKind::View;
                let held = self.defer(out, kind, oid, oid, &self.rels[i].1, &trees, &context);
                (i, held.into_iter().next().flatten())
            })
            .collect()
    }
}

/// What the trees refer to by OID (`wanted`), by name: a relation read,
/// with its columns, or a type (`types.sql`). Relations with the same name
/// and columns print alike, and so do types with the same name.
fn object_names(
    wanted: HashSet<u32>,
    rels: &[(String, String, Rel)],
    by_oid: &HashMap<u32, usize>,
    names: &KeyNames,
    types: Vec<(u32, String)>,
) -> HashMap<u32, String> {
    let mut out: HashMap<u32, String> = types
        .into_iter()
        .filter(|(oid, _)| wanted.contains(oid))
        .map(|(oid, name)| (oid, super::tree::hash(&format!("type {name}"))))
        .collect();
    for oid in wanted {
        if let Some(&i) = by_oid.get(&oid) {
            let (schema, name, _) = &rels[i];
            let mut entry = String::from("relation ");
            push_part(&mut entry, schema);
            push_part(&mut entry, name);
            entry.push_str(&names.all_columns(oid));
            // A table's name is as long as its columns, and a tree's key
            // is hashed: the digest stands for it in each key that holds
            // it (a view names its tables many times over).
            out.insert(oid, super::tree::hash(&entry));
        }
    }
    out
}

/// The OIDs of users' objects that the trees of a lazy read hold, or
/// `None` when there are no trees.
fn tree_oids(
    constraints: &[RawConstraint],
    indexes: &[RawIndex],
    triggers: &[RawTrigger],
    policies: &[RawPolicy],
    views: &[(usize, u32, Tree)],
) -> Option<HashSet<u32>> {
    let mut any = !views.is_empty();
    let mut oids = HashSet::new();
    let mut want = |t: &Option<Tree>| {
        if let Some(t) = t {
            any = true;
            oids.extend(t.oids());
        }
    };
    constraints.iter().for_each(|c| want(&c.tree));
    indexes.iter().for_each(|x| {
        want(&x.key_exprs_tree);
        want(&x.predicate_tree);
    });
    triggers.iter().for_each(|t| want(&t.when_tree));
    policies.iter().for_each(|p| {
        want(&p.using_tree);
        want(&p.with_check_tree);
    });
    oids.extend(views.iter().flat_map(|(_, _, t)| t.oids()));
    any.then_some(oids)
}

/// The texts PostgreSQL printed for a [`Deferred`] object: a CHECK's
/// definition; an index's expression keys (`None` for a column) then its
/// predicate; a trigger's definition; a policy's USING and WITH CHECK.
pub fn patch(schema: &mut PgSchema, d: &Deferred, texts: Vec<Option<String>>) {
    let Some(s) = schema.schemas.get_mut(&d.schema) else {
        return;
    };
    let mut texts = texts.into_iter();
    match d.kind {
        DeferredKind::Constraint => {
            if let Some(c) = s
                .tables
                .get_mut(&d.table)
                .and_then(|t| t.constraints.get_mut(&d.name))
            {
                c.definition = texts.next().flatten().unwrap_or_default();
            }
        }
        DeferredKind::Index => {
            let index = match s.tables.get_mut(&d.table) {
                Some(t) => t.indexes.get_mut(&d.name),
                None => s
                    .materialized_views
                    .get_mut(&d.table)
                    .and_then(|m| m.indexes.get_mut(&d.name)),
            };
            if let Some(i) = index {
                let mut texts: Vec<Option<String>> = texts.collect();
                let predicate = texts.pop().flatten();
                for (key, text) in i.keys.iter_mut().zip(texts) {
                    if let Some(text) = text {
                        key.expression = text;
                    }
                }
                i.predicate = predicate;
            }
        }
        DeferredKind::Trigger => {
            let trigger = match s.tables.get_mut(&d.table) {
                Some(t) => t.triggers.get_mut(&d.name),
                None => s
                    .views
                    .get_mut(&d.table)
                    .and_then(|v| v.triggers.get_mut(&d.name)),
            };
            if let Some(t) = trigger {
                t.when = texts.next().flatten().as_deref().and_then(trigger_when);
            }
        }
        DeferredKind::View => {
            let text = texts.next().flatten().unwrap_or_default();
            if let Some(v) = s.views.get_mut(&d.table) {
                v.definition = text;
            } else if let Some(m) = s.materialized_views.get_mut(&d.table) {
                m.definition = text;
            }
        }
        DeferredKind::Policy => {
            if let Some(p) = s
                .tables
                .get_mut(&d.table)
                .and_then(|t| t.policies.get_mut(&d.name))
            {
                p.using = texts.next().flatten();
                p.with_check = texts.next().flatten();
            }
        }
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

fn trigger(t: RawTrigger) -> Trigger {
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

fn policy(p: RawPolicy) -> Policy {
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

fn function(f: RawFunction) -> Function {
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
        source,
        sql_body_definition,
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
        body,
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

#[cfg(test)]
mod tests {
    use super::*;

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
    fn index_options_decode_direction_and_nulls() {
        assert_eq!(index_option(0), (false, false)); // ASC NULLS LAST
        assert_eq!(index_option(2), (false, true)); // ASC NULLS FIRST
        assert_eq!(index_option(3), (true, false)); // DESC NULLS FIRST
        assert_eq!(index_option(1), (true, true)); // DESC NULLS LAST
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

    #[test]
    fn identifiers_are_quoted_as_quote_ident_does() {
        let keywords: HashSet<String> = ["select", "user", "order"].map(String::from).into();
        assert_eq!(quote_ident("plain_1", &keywords), "plain_1");
        assert_eq!(quote_ident("_x", &keywords), "_x");
        assert_eq!(quote_ident("1x", &keywords), "\"1x\"");
        assert_eq!(quote_ident("Mixed", &keywords), "\"Mixed\"");
        assert_eq!(quote_ident("with space", &keywords), "\"with space\"");
        assert_eq!(quote_ident("a\"b", &keywords), "\"a\"\"b\"");
        assert_eq!(quote_ident("café", &keywords), "\"café\"");
        assert_eq!(quote_ident("user", &keywords), "\"user\"");
        assert_eq!(quote_ident("users", &keywords), "users");
        assert_eq!(quote_ident("", &keywords), "\"\"");
    }

    #[test]
    fn key_definitions_read_as_pg_get_constraintdef_writes_them() {
        let keywords: HashSet<String> = ["order"].map(String::from).into();
        let cols = |names: &[&str]| names.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let key = |kind, columns: &[String]| {
            constraint_definition(&KeyDefinition {
                kind,
                columns,
                foreign_key: None,
                deferrable: false,
                initially_deferred: false,
                validated: true,
                keywords: &keywords,
            })
        };
        assert_eq!(
            key(ConstraintKind::PrimaryKey, &cols(&["id", "order"])),
            "PRIMARY KEY (id, \"order\")"
        );
        assert_eq!(
            key(ConstraintKind::Unique, &cols(&["Email"])),
            "UNIQUE (\"Email\")"
        );
        assert_eq!(key(ConstraintKind::Check, &cols(&["x"])), "");
        let fk = ForeignKey {
            references: "app.\"Owners\"".into(),
            referenced_columns: cols(&["id", "tenant"]),
            on_update: "cascade".into(),
            on_delete: "set_null".into(),
            match_type: "full".into(),
        };
        let columns = cols(&["owner_id", "tenant"]);
        let mut d = KeyDefinition {
            kind: ConstraintKind::ForeignKey,
            columns: &columns,
            foreign_key: Some(&fk),
            deferrable: true,
            initially_deferred: true,
            validated: false,
            keywords: &keywords,
        };
        assert_eq!(
            constraint_definition(&d),
            "FOREIGN KEY (owner_id, tenant) REFERENCES app.\"Owners\"(id, tenant) MATCH FULL \
             ON UPDATE CASCADE ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED NOT VALID"
        );
        let plain = ForeignKey {
            on_update: "no_action".into(),
            on_delete: "restrict".into(),
            match_type: "simple".into(),
            ..fk.clone()
        };
        d.foreign_key = Some(&plain);
        d.deferrable = false;
        d.initially_deferred = false;
        d.validated = true;
        assert_eq!(
            constraint_definition(&d),
            "FOREIGN KEY (owner_id, tenant) REFERENCES app.\"Owners\"(id, tenant) ON DELETE RESTRICT"
        );
    }

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

    /// A lazy read's trees stand as placeholders that name their table and
    /// depend on the columns' names; `patch` puts the text in their place.
    #[test]
    fn lazy_assembly_holds_trees_as_placeholders_until_patched() {
        use super::super::tree::MARK;
        let check = "{OPEXPR :opno 521 :args ({VAR :varno 1 :varattno 2 :vartype 23 :location 7} \
                     {CONST :consttype 23 :location 12 :constvalue 4 [ 0 0 0 0 0 0 0 0 ]}) :location 9}";
        let raw = |column: &str, location: &str| Raw {
            schemas: vec![RawSchema {
                name: "app".into(),
                ..Default::default()
            }],
            relations: vec![RawRelation {
                oid: 10,
                schema: "app".into(),
                name: "t".into(),
                kind: "r".into(),
                ..Default::default()
            }],
            columns: vec![RawColumn {
                table_oid: 10,
                position: 2,
                name: column.into(),
                ..Default::default()
            }],
            constraints: vec![RawConstraint {
                table_oid: 10,
                oid: 500,
                name: "t_qty".into(),
                kind: "c".into(),
                tree: Some(Tree::read(&check.replace(":location 9", location))),
                no_inherit: true,
                ..Default::default()
            }],
            indexes: vec![RawIndex {
                table_oid: 10,
                oid: 600,
                name: "t_idx".into(),
                key_count: 2,
                attnums: vec![2, 0],
                key_exprs_tree: Some(Tree::read(check)),
                predicate_tree: Some(Tree::read(
                    "{CONST :consttype 2205 :constvalue 4 [ 1 0 0 0 ]}",
                )),
                ..Default::default()
            }],
            ..Default::default()
        };
        let (s, deferred) = assemble_lazy(raw("qty", ":location 30"));
        let t = &s.schemas["app"].tables["t"];
        let def = &t.constraints["t_qty"].definition;
        assert!(
            def.starts_with(MARK) && def.ends_with(" NO INHERIT NOT VALID"),
            "{def}"
        );
        let mut tables = Vec::new();
        super::super::tree::tables_in(def, &mut tables);
        assert_eq!(tables, [("app", "t")]);
        // Positions do not count; a column's name does.
        let (same, _) = assemble_lazy(raw("qty", ":location 31"));
        assert_eq!(
            &same.schemas["app"].tables["t"].constraints["t_qty"].definition,
            def
        );
        let (renamed, _) = assemble_lazy(raw("amount", ":location 30"));
        assert_ne!(
            &renamed.schemas["app"].tables["t"].constraints["t_qty"].definition,
            def
        );
        // The index's predicate is a regclass constant: no key, so the index
        // is to be deparsed at once; its column key stays the column.
        let i = &t.indexes["t_idx"];
        assert_eq!(i.keys[0].expression, "qty");
        assert!(i.keys[1].expression.starts_with(MARK));
        assert_eq!(
            deferred,
            [
                Deferred {
                    kind: DeferredKind::Constraint,
                    oid: 500,
                    schema: "app".into(),
                    table: "t".into(),
                    name: "t_qty".into(),
                    now: false,
                },
                Deferred {
                    kind: DeferredKind::Index,
                    oid: 600,
                    schema: "app".into(),
                    table: "t".into(),
                    name: "t_idx".into(),
                    now: true,
                },
            ]
        );

        let mut s = s;
        patch(
            &mut s,
            &deferred[0],
            vec![Some("CHECK ((qty > 0)) NO INHERIT NOT VALID".into())],
        );
        patch(
            &mut s,
            &deferred[1],
            vec![None, Some("(qty + 1)".into()), Some("(qty > 0)".into())],
        );
        let t = &s.schemas["app"].tables["t"];
        assert_eq!(
            t.constraints["t_qty"].definition,
            "CHECK ((qty > 0)) NO INHERIT NOT VALID"
        );
        let i = &t.indexes["t_idx"];
        assert_eq!(i.keys[0].expression, "qty");
        assert_eq!(i.keys[1].expression, "(qty + 1)");
        assert_eq!(i.predicate.as_deref(), Some("(qty > 0)"));
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
