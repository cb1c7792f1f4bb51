//! The rows stage: one `Raw*` record per catalog query row, one field per
//! column, as `postgres/mod.rs` fills them; `Raw` holds them all.

use super::RawTextSearch;
use crate::model::postgres::{Aggregate, BaseType, SequenceOptions};
use crate::postgres::tree::Tree;

/// Everything the catalog queries returned, one vector per query.
#[derive(Debug, Clone, Default)]
pub struct Raw {
    pub with_privileges: bool,
    pub schemas: Vec<RawSchema>,
    pub extensions: Vec<RawExtension>,
    pub publications: Vec<RawPublication>,
    pub publication_tables: Vec<RawPublicationTable>,
    pub event_triggers: Vec<RawEventTrigger>,
    pub casts: Vec<RawCast>,
    pub default_privileges: Vec<RawDefaultPrivileges>,
    pub foreign_data_wrappers: Vec<RawForeignDataWrapper>,
    pub foreign_servers: Vec<RawForeignServer>,
    pub user_mappings: Vec<RawUserMapping>,
    pub subscriptions: Vec<RawSubscription>,
    pub access_methods: Vec<RawAccessMethod>,
    pub languages: Vec<RawLanguage>,
    pub transforms: Vec<RawTransform>,
    /// `security_labels.sql` (and a subscription's, `subscriptions.sql`).
    pub security_labels: Vec<RawSecurityLabel>,
    pub relations: Vec<RawRelation>,
    /// `foreign_tables.sql`.
    pub foreign_tables: Vec<RawForeignTable>,
    pub columns: Vec<RawColumn>,
    /// `column_defaults.sql`: (table OID, attnum, default), to be put in
    /// `columns` by [`Raw::attach_column_extras`].
    pub column_defaults: Vec<(u32, i16, String)>,
    /// `column_comments.sql`: (table OID, attnum, comment), likewise.
    pub column_comments: Vec<(u32, i16, String)>,
    /// `column_grants.sql`: (table OID, attnum, exploded ACL), likewise.
    pub column_grants: Vec<(u32, i16, Vec<String>)>,
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
    pub rules: Vec<RawRule>,
    pub statistics: Vec<RawStatistics>,
    pub policies: Vec<RawPolicy>,
    pub enums: Vec<RawEnum>,
    pub domains: Vec<RawDomain>,
    pub composite_types: Vec<RawCompositeType>,
    /// `range_types.sql`.
    pub range_types: Vec<RawRangeType>,
    /// `base_types.sql`: base types and shell types.
    pub base_types: Vec<RawBaseType>,
    /// `collation_definitions.sql`.
    pub collation_definitions: Vec<RawCollation>,
    /// `operators.sql`.
    pub operators: Vec<RawOperator>,
    /// `text_search_*.sql`.
    pub text_search: RawTextSearch,
    /// `operator_families.sql`.
    pub operator_families: Vec<RawOperatorFamily>,
    /// `operator_classes.sql`.
    pub operator_classes: Vec<RawOperatorClass>,
    /// `conversions.sql`.
    pub conversions: Vec<RawConversion>,
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
        self.publications.append(&mut other.publications);
        self.publication_tables
            .append(&mut other.publication_tables);
        self.event_triggers.append(&mut other.event_triggers);
        self.casts.append(&mut other.casts);
        self.default_privileges
            .append(&mut other.default_privileges);
        self.foreign_data_wrappers
            .append(&mut other.foreign_data_wrappers);
        self.foreign_servers.append(&mut other.foreign_servers);
        self.user_mappings.append(&mut other.user_mappings);
        self.subscriptions.append(&mut other.subscriptions);
        self.access_methods.append(&mut other.access_methods);
        self.languages.append(&mut other.languages);
        self.transforms.append(&mut other.transforms);
        self.security_labels.append(&mut other.security_labels);
        self.relations.append(&mut other.relations);
        self.foreign_tables.append(&mut other.foreign_tables);
        self.columns.append(&mut other.columns);
        self.column_defaults.append(&mut other.column_defaults);
        self.column_comments.append(&mut other.column_comments);
        self.column_grants.append(&mut other.column_grants);
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
        self.rules.append(&mut other.rules);
        self.statistics.append(&mut other.statistics);
        self.policies.append(&mut other.policies);
        self.enums.append(&mut other.enums);
        self.not_compared.append(&mut other.not_compared);
        self.domains.append(&mut other.domains);
        self.composite_types.append(&mut other.composite_types);
        self.range_types.append(&mut other.range_types);
        self.base_types.append(&mut other.base_types);
        self.collation_definitions
            .append(&mut other.collation_definitions);
        self.operators.append(&mut other.operators);
        self.text_search.absorb(&mut other.text_search);
        self.operator_families.append(&mut other.operator_families);
        self.operator_classes.append(&mut other.operator_classes);
        self.conversions.append(&mut other.conversions);
    }

    /// Sort the columns by table and position, and put in them the defaults,
    /// comments and grants read apart, dropping those of columns not read.
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
        let grants = std::mem::take(&mut self.column_grants);
        attach(columns, grants, |c, g| c.grants = g);
    }
}

/// Give `put` each column (sorted by table and position) and the value
/// `extras` has for it, in one walk over both.
pub(super) fn attach<T>(
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

/// A row of `publications.sql`.
#[derive(Debug, Clone, Default)]
pub struct RawPublication {
    pub name: String,
    pub all_tables: bool,
    pub publish_insert: bool,
    pub publish_update: bool,
    pub publish_delete: bool,
    pub publish_truncate: bool,
    pub via_partition_root: bool,
    pub generated_columns: bool,
    pub schemas: Vec<String>,
    pub comment: Option<String>,
    pub privileges: RawPrivileges,
}

/// A row of `default_privileges.sql`.
#[derive(Debug, Clone, Default)]
pub struct RawDefaultPrivileges {
    /// `FOR ROLE app IN SCHEMA care ON TABLES`.
    pub name: String,
    pub role: String,
    pub schema: Option<String>,
    pub on: String,
    /// The exploded ACL (`grantee=PRIVILEGE`).
    pub acl: Vec<String>,
}

/// A row of `casts.sql`.
#[derive(Debug, Clone, Default)]
pub struct RawCast {
    /// `(source AS target)`.
    pub name: String,
    /// `castmethod`: `f`, `b` or `i`.
    pub method: String,
    pub function: Option<String>,
    /// `castcontext`: `e`, `a` or `i`.
    pub context: String,
    pub comment: Option<String>,
}

/// A row of `foreign_data_wrappers.sql`.
#[derive(Debug, Clone, Default)]
pub struct RawForeignDataWrapper {
    pub name: String,
    pub handler: Option<String>,
    pub validator: Option<String>,
    /// Option name -> value, secret values already replaced
    /// (`redact::option_value`).
    pub options: std::collections::BTreeMap<String, String>,
    pub comment: Option<String>,
    pub privileges: RawPrivileges,
}

/// A row of `foreign_servers.sql`.
#[derive(Debug, Clone, Default)]
pub struct RawForeignServer {
    pub name: String,
    pub wrapper: String,
    pub server_type: Option<String>,
    pub version: Option<String>,
    /// As [`RawForeignDataWrapper::options`].
    pub options: std::collections::BTreeMap<String, String>,
    pub comment: Option<String>,
    pub privileges: RawPrivileges,
}

/// A row of `foreign_tables.sql`: a foreign table's server and options
/// (`column` none), or one of its columns' options.
#[derive(Debug, Clone, Default)]
pub struct RawForeignTable {
    pub table_oid: u32,
    pub column: Option<String>,
    /// The server (of the table's row only).
    pub server: Option<String>,
    /// As [`RawForeignDataWrapper::options`].
    pub options: std::collections::BTreeMap<String, String>,
}

/// A row of `user_mappings.sql`.
#[derive(Debug, Clone, Default)]
pub struct RawUserMapping {
    pub server: String,
    /// The role, or `PUBLIC`.
    pub role: String,
    /// As [`RawForeignDataWrapper::options`].
    pub options: std::collections::BTreeMap<String, String>,
}

/// A row of `transforms.sql`.
#[derive(Debug, Clone, Default)]
pub struct RawTransform {
    pub type_name: String,
    pub language: String,
    pub from_sql: Option<String>,
    pub to_sql: Option<String>,
    pub comment: Option<String>,
}

/// A row of `languages.sql`.
#[derive(Debug, Clone, Default)]
pub struct RawLanguage {
    pub name: String,
    pub trusted: bool,
    pub handler: String,
    pub inline: Option<String>,
    pub validator: Option<String>,
    pub comment: Option<String>,
    pub privileges: RawPrivileges,
}

/// A row of `access_methods.sql`.
#[derive(Debug, Clone, Default)]
pub struct RawAccessMethod {
    pub name: String,
    /// `table` or `index`.
    pub kind: String,
    pub handler: String,
    pub comment: Option<String>,
}

/// A row of `security_labels.sql`.
#[derive(Debug, Clone, Default)]
pub struct RawSecurityLabel {
    /// The object's schema; none for an object of the database.
    pub schema: Option<String>,
    /// The object as `SECURITY LABEL .. ON` names it: `TABLE app.t`.
    pub target: String,
    pub provider: String,
    pub label: String,
}

/// A row of `subscriptions.sql`.
#[derive(Debug, Clone, Default)]
pub struct RawSubscription {
    pub name: String,
    /// Keyword -> value, secret values already replaced
    /// (`conninfo::settings`): the connection string itself is never kept.
    pub conninfo: std::collections::BTreeMap<String, String>,
    pub publications: Vec<String>,
    pub enabled: bool,
    pub slot_name: Option<String>,
    pub binary: bool,
    pub streaming: String,
    pub two_phase: bool,
    pub disable_on_error: bool,
    pub password_required: bool,
    pub run_as_owner: bool,
    pub origin: String,
    pub failover: bool,
    pub synchronous_commit: String,
    pub comment: Option<String>,
    pub privileges: RawPrivileges,
}

/// A row of `event_triggers.sql`.
#[derive(Debug, Clone, Default)]
pub struct RawEventTrigger {
    pub name: String,
    pub event: String,
    pub tags: Vec<String>,
    pub function: String,
    /// `evtenabled`: `O`, `D`, `R` or `A`.
    pub enabled: String,
    pub comment: Option<String>,
    pub privileges: RawPrivileges,
}

/// A row of `publication_tables.sql`.
#[derive(Debug, Clone, Default)]
pub struct RawPublicationTable {
    pub publication: String,
    /// Qualified.
    pub table: String,
    /// `None` for all columns.
    pub columns: Option<Vec<String>>,
    pub row_filter: Option<String>,
}

/// A row of `relations.sql`: a table, partitioned table, view or materialized view.
#[derive(Debug, Clone, Default)]
pub struct RawRelation {
    pub oid: u32,
    pub schema: String,
    pub name: String,
    /// `relkind`: `r`, `p`, `v`, `m` or `f`.
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
    /// The access method of a table or materialized view, unless `heap`.
    pub access_method: Option<String>,
    /// A typed table's composite type, qualified.
    pub of_type: Option<String>,
    /// The index a table is clustered on.
    pub clustered_on: Option<String>,
    /// A table's `REPLICA IDENTITY` unless the default, as the model has it.
    pub replica_identity: Option<String>,
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
    /// `attstorage` where it is not the type's `typstorage`.
    pub storage: Option<String>,
    /// `attcompression` where set.
    pub compression: Option<String>,
    /// `attstattarget` where set.
    pub statistics: Option<i32>,
    /// `attoptions`, as stored (unsorted).
    pub options: Vec<String>,
    pub comment: Option<String>,
    /// The column's exploded ACL (`grantee=PRIVILEGE`), from
    /// `column_grants.sql`; empty without privileges.
    pub grants: Vec<String>,
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
    /// Expression indexes only, per key: the statistics target, when set.
    pub key_statistics: Option<Vec<Option<i32>>>,
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
    /// `procost`, `prorows` unless the defaults, and `prosupport`, as text.
    pub cost: Option<String>,
    pub rows: Option<String>,
    pub support: Option<String>,
    /// `prosrc`.
    pub source: String,
    /// `probin`, when not empty.
    pub library: Option<String>,
    /// `protrftypes`, as `format_type` prints them.
    pub transforms: Vec<String>,
    /// `pg_get_functiondef` of a function with a SQL-standard body.
    pub sql_body_definition: Option<String>,
    /// `CREATE AGGREGATE`'s clauses of an aggregate.
    pub aggregate: Option<Aggregate>,
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

/// A row of `rules.sql`.
#[derive(Debug, Clone, Default)]
pub struct RawRule {
    /// The table or view.
    pub table_oid: u32,
    pub name: String,
    /// `pg_get_ruledef`, with its `;`.
    pub definition: String,
    /// `ev_enabled`: `O`, `D`, `R`, `A`.
    pub enabled: String,
    pub comment: Option<String>,
}

/// A row of `statistics.sql`.
#[derive(Debug, Clone, Default)]
pub struct RawStatistics {
    /// The table.
    pub table_oid: u32,
    pub name: String,
    /// The statistics object's own schema.
    pub schema: String,
    pub kinds: Vec<String>,
    pub columns: Vec<String>,
    pub expressions: Vec<String>,
    pub target: Option<i32>,
    pub comment: Option<String>,
    pub privileges: RawPrivileges,
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

/// A row of `collation_definitions.sql`.
#[derive(Debug, Clone, Default)]
pub struct RawCollation {
    pub schema: String,
    pub name: String,
    /// `libc`, `icu`, `builtin`.
    pub provider: String,
    pub locale: Option<String>,
    pub lc_collate: Option<String>,
    pub lc_ctype: Option<String>,
    pub deterministic: bool,
    pub rules: Option<String>,
    pub comment: Option<String>,
    pub privileges: RawPrivileges,
}

/// A row of `operators.sql`.
#[derive(Debug, Clone, Default)]
pub struct RawOperator {
    pub schema: String,
    /// `name(left, right)`.
    pub name: String,
    pub function: String,
    pub commutator: Option<String>,
    pub negator: Option<String>,
    pub restrict: Option<String>,
    pub join: Option<String>,
    pub hashes: bool,
    pub merges: bool,
    pub comment: Option<String>,
    pub privileges: RawPrivileges,
}

/// A row of `operator_families.sql`.
#[derive(Debug, Clone, Default)]
pub struct RawOperatorFamily {
    pub schema: String,
    /// `name USING method`.
    pub name: String,
    pub member_keys: Vec<String>,
    pub member_values: Vec<String>,
    pub comment: Option<String>,
    pub privileges: RawPrivileges,
}

/// A row of `operator_classes.sql`.
#[derive(Debug, Clone, Default)]
pub struct RawOperatorClass {
    pub schema: String,
    /// `name USING method`.
    pub name: String,
    pub for_type: String,
    pub default: bool,
    pub storage: Option<String>,
    pub family: String,
    pub member_keys: Vec<String>,
    pub member_values: Vec<String>,
    pub comment: Option<String>,
    pub privileges: RawPrivileges,
}

/// A row of `conversions.sql`.
#[derive(Debug, Clone, Default)]
pub struct RawConversion {
    pub schema: String,
    pub name: String,
    pub for_encoding: String,
    pub to_encoding: String,
    pub function: String,
    pub default: bool,
    pub comment: Option<String>,
    pub privileges: RawPrivileges,
}

/// A row of `base_types.sql`: a base type (its definition, without
/// comment and privileges, which are here), or a shell type (`None`).
#[derive(Debug, Clone)]
pub struct RawBaseType {
    pub schema: String,
    pub name: String,
    pub definition: Option<BaseType>,
    pub comment: Option<String>,
    pub privileges: RawPrivileges,
}

/// A row of `range_types.sql`.
#[derive(Debug, Clone, Default)]
pub struct RawRangeType {
    pub schema: String,
    pub name: String,
    pub subtype: String,
    pub subtype_opclass: Option<String>,
    pub collation: Option<String>,
    pub canonical: Option<String>,
    pub subtype_diff: Option<String>,
    pub multirange_type_name: Option<String>,
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
