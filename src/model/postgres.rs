//! The PostgreSQL part of the canonical model.
//!
//! Every expression and definition here is text as PostgreSQL itself prints
//! it (`pg_get_expr`, `pg_get_constraintdef`, `pg_get_viewdef`,
//! `format_type`, ...) with an empty `search_path`, so names outside
//! `pg_catalog` are always schema-qualified and two databases can be compared
//! textually without parsing SQL.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

fn is_false(b: &bool) -> bool {
    !*b
}
fn is_true(b: &bool) -> bool {
    *b
}
fn yes() -> bool {
    true
}

/// A list read without spare capacity. serde grows a `Vec` by doubling, and
/// a large snapshot holds a list of columns per table and of keys per
/// index: the slack is memory to fault in, and to keep, for nothing.
fn exact_vec<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    let mut v = Vec::deserialize(d)?;
    v.shrink_to_fit();
    Ok(v)
}

/// A whole PostgreSQL database schema (the parts schemadrift compares).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PgSchema {
    /// Whether owners and grants were captured (`--with-privileges`).
    #[serde(default, skip_serializing_if = "is_false")]
    pub with_privileges: bool,
    /// Installed extensions by name.
    #[serde(default)]
    pub extensions: BTreeMap<String, Extension>,
    /// Schemas (namespaces) by name, each holding its objects.
    #[serde(default)]
    pub schemas: BTreeMap<String, Schema>,
    /// Publications (`CREATE PUBLICATION`) by name: objects of the
    /// database, read only when no schema is chosen by name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub publications: BTreeMap<String, Publication>,
    /// Event triggers (`CREATE EVENT TRIGGER`) by name: objects of the
    /// database, read only when no schema is chosen by name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub event_triggers: BTreeMap<String, EventTrigger>,
    /// Casts (`CREATE CAST`) by `(source AS target)`, each type as
    /// `format_type` prints it qualified: objects of the database, read only
    /// when no schema is chosen by name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub casts: BTreeMap<String, Cast>,
    /// Default privileges (`ALTER DEFAULT PRIVILEGES`) by `FOR ROLE r [IN
    /// SCHEMA s] ON TABLES`: read only `--with-privileges`; those of a
    /// schema follow the schema filter, the database-wide ones are read only
    /// when no schema is chosen by name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub default_privileges: BTreeMap<String, DefaultPrivileges>,
    /// Foreign-data wrappers (`CREATE FOREIGN DATA WRAPPER`) by name:
    /// objects of the database, read only when no schema is chosen by name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub foreign_data_wrappers: BTreeMap<String, ForeignDataWrapper>,
    /// Foreign servers (`CREATE SERVER`) by name, each with its user
    /// mappings: objects of the database, read only when no schema is
    /// chosen by name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub foreign_servers: BTreeMap<String, ForeignServer>,
    /// Subscriptions (`CREATE SUBSCRIPTION`) by name: objects of the
    /// database, read only when no schema is chosen by name and only by a
    /// role that may read their connection strings (else counted as not
    /// compared).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub subscriptions: BTreeMap<String, Subscription>,
    /// Access methods (`CREATE ACCESS METHOD`) by name: objects of the
    /// database, read only when no schema is chosen by name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub access_methods: BTreeMap<String, AccessMethod>,
    /// Procedural languages (`CREATE LANGUAGE`) by name: objects of the
    /// database, read only when no schema is chosen by name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub languages: BTreeMap<String, Language>,
    /// Transforms (`CREATE TRANSFORM`) by `FOR type LANGUAGE language`
    /// (the type as `format_type` prints it, qualified outside
    /// `pg_catalog`): objects of the database, read only when no schema is
    /// chosen by name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub transforms: BTreeMap<String, Transform>,
    /// Security labels of the objects of the database (languages, event
    /// triggers, publications, subscriptions), as [`Schema::security_labels`]:
    /// read only when no schema is chosen by name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub security_labels: SecurityLabels,
    /// Objects of the database (in no schema) that the model does not
    /// compare, counted by kind (`transform`, `foreign_server`, `language`,
    /// ...): reports name them instead of staying silent. See
    /// [`Schema::not_compared`] and src/report/json-report.md.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub not_compared: BTreeMap<String, u64>,
}

impl PgSchema {
    /// What is not compared, counted by kind over the database and all its
    /// schemas.
    pub fn not_compared_total(&self) -> BTreeMap<String, u64> {
        let mut total = self.not_compared.clone();
        for s in self.schemas.values() {
            for (kind, n) in &s.not_compared {
                *total.entry(kind.clone()).or_default() += n;
            }
        }
        total
    }
}

/// Security labels, keyed by the object as `SECURITY LABEL .. ON` names it
/// (`TABLE app.t`, `COLUMN app.t."B c"`, `FUNCTION app.f(integer, text)`,
/// `SCHEMA app`: identifiers quoted as `quote_ident` quotes them, argument
/// types as the model keys functions), then by provider (`anon`,
/// `pgsodium`, `selinux`) -> the label.
///
/// One collection rather than a field beside each kind's `comment`: labels
/// come from one catalog for a dozen kinds (relations and their columns,
/// types, domains, functions, procedures, aggregates, schemas, languages,
/// event triggers, publications, subscriptions), `SECURITY LABEL` names
/// every one the same way, and a kind the model gains later (a language, a
/// base type) has its labels compared already. Empty (and absent from the
/// JSON) where no provider is loaded, which is nearly everywhere.
pub type SecurityLabels = BTreeMap<String, BTreeMap<String, String>>;

/// Owner and grants of an object; empty unless `--with-privileges`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Privileges {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// Grantee (`PUBLIC` for the public pseudo-role) -> sorted privileges,
    /// e.g. `["INSERT", "SELECT WITH GRANT OPTION"]`. Absent when the object
    /// has default privileges (a NULL ACL).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grants: Option<BTreeMap<String, Vec<String>>>,
}

impl Privileges {
    pub fn is_empty(&self) -> bool {
        self.owner.is_none() && self.grants.is_none()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Extension {
    pub version: String,
    /// The schema its objects live in.
    pub schema: String,
    /// The version `CREATE EXTENSION` installs on the server read, when it
    /// is not `version`. Absent, the extension is at that default: two
    /// servers of different releases give the same migrations different
    /// versions (citext 1.6 on PostgreSQL 17, 1.8 on 18).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_version: Option<String>,
}

/// A publication for logical replication. Its tables and schemas are
/// those of the compared schemas only, as `pg_dump` dumps the membership
/// of the tables and schemas it dumps: a table of a schema left out
/// (`--exclude-schema`) or of an extension is not listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Publication {
    /// `FOR ALL TABLES`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub all_tables: bool,
    /// `FOR TABLE`: qualified table name -> its column list and row filter.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub tables: BTreeMap<String, PublicationTable>,
    /// `FOR TABLES IN SCHEMA` (PostgreSQL 15+), sorted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub schemas: Vec<String>,
    /// `publish`: the operations published, of `insert`, `update`,
    /// `delete`, `truncate`, in that order.
    pub publish: Vec<String>,
    /// `publish_via_partition_root`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub via_partition_root: bool,
    /// `publish_generated_columns = stored` (PostgreSQL 18+).
    #[serde(default, skip_serializing_if = "is_false")]
    pub generated_columns: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// The owner (a publication has no grants).
    #[serde(default, skip_serializing_if = "Privileges::is_empty")]
    pub privileges: Privileges,
}

/// An event trigger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventTrigger {
    /// `ddl_command_start`, `ddl_command_end`, `sql_drop`,
    /// `table_rewrite` or (PostgreSQL 17+) `login`.
    pub event: String,
    /// `WHEN TAG IN (...)`: the command tags, in upper case as PostgreSQL
    /// keeps them, sorted; empty for every command.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// The function with its identity arguments, qualified: `app.on_ddl()`.
    pub function: String,
    /// `origin` (the default), `disabled`, `replica` or `always`.
    #[serde(default = "origin", skip_serializing_if = "is_origin")]
    pub enabled: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// The owner (an event trigger has no grants).
    #[serde(default, skip_serializing_if = "Privileges::is_empty")]
    pub privileges: Privileges,
}

/// A cast between two types (`CREATE CAST`), keyed `(source AS target)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cast {
    /// How: `function` (`WITH FUNCTION`), `binary` (`WITHOUT FUNCTION`) or
    /// `inout` (`WITH INOUT`).
    pub method: String,
    /// The function with its identity arguments, qualified, for `function`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub function: Option<String>,
    /// `explicit` (the default), `assignment` or `implicit`.
    #[serde(default = "explicit", skip_serializing_if = "is_explicit")]
    pub context: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// The privileges objects get when `role` makes them (`ALTER DEFAULT
/// PRIVILEGES FOR ROLE role [IN SCHEMA schema] GRANT ... ON TABLES`), as
/// `pg_default_acl` holds them: the whole ACL such an object starts with.
/// A database-wide entry replaces the built-in default (`acldefault`: the
/// role has every privilege, `PUBLIC` may execute functions and use types),
/// a schema's adds to it; PostgreSQL keeps no entry equal to its default.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DefaultPrivileges {
    /// The role whose new objects get them (`FOR ROLE`).
    pub role: String,
    /// `IN SCHEMA`; none for the database-wide entry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// `tables`, `sequences`, `functions`, `types`, `schemas` or (18+)
    /// `large_objects`.
    pub on: String,
    /// Grantee (`PUBLIC` for the public pseudo-role) -> sorted privileges,
    /// as [`Privileges::grants`]; empty when everything is revoked.
    #[serde(default)]
    pub grants: BTreeMap<String, Vec<String>>,
}

/// A foreign-data wrapper (`CREATE FOREIGN DATA WRAPPER`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ForeignDataWrapper {
    /// `HANDLER`: the function, qualified as `regproc` prints it; absent
    /// for `NO HANDLER`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub handler: Option<String>,
    /// `VALIDATOR`: likewise; absent for `NO VALIDATOR`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub validator: Option<String>,
    /// `OPTIONS`, by name. The value of an option that may be a secret
    /// (see [`crate::redact::is_secret_option`]) is never read: it stands
    /// as [`crate::redact::SECRET`], so it compares by its presence only.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub options: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// The owner and `USAGE` grants.
    #[serde(default, skip_serializing_if = "Privileges::is_empty")]
    pub privileges: Privileges,
}

/// A foreign server (`CREATE SERVER`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ForeignServer {
    /// Its foreign-data wrapper.
    pub wrapper: String,
    /// `TYPE`.
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub server_type: Option<String>,
    /// `VERSION`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// `OPTIONS`, by name; secret ones as in
    /// [`ForeignDataWrapper::options`].
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub options: BTreeMap<String, String>,
    /// `CREATE USER MAPPING FOR <user> SERVER ...`, by role name (`PUBLIC`
    /// for the public pseudo-role).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub user_mappings: BTreeMap<String, UserMapping>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// The owner and `USAGE` grants.
    #[serde(default, skip_serializing_if = "Privileges::is_empty")]
    pub privileges: Privileges,
}

/// An access method (`CREATE ACCESS METHOD`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccessMethod {
    /// `TYPE`: `table` or `index`.
    #[serde(rename = "type")]
    pub kind: String,
    /// `HANDLER`: the function, qualified as `regproc` prints it.
    pub handler: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// A procedural language (`CREATE LANGUAGE`), as `pg_dump` writes one
/// whose functions it dumps.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Language {
    /// `TRUSTED`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub trusted: bool,
    /// `HANDLER`: the function, qualified as `regproc` prints it.
    pub handler: String,
    /// `INLINE`, as the handler.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inline: Option<String>,
    /// `VALIDATOR`, as the handler.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub validator: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// The owner and (of a trusted language) `USAGE` grants.
    #[serde(default, skip_serializing_if = "Privileges::is_empty")]
    pub privileges: Privileges,
}

impl Language {
    /// The handler, inline and validator functions.
    pub fn functions(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.handler.as_str())
            .chain(self.inline.as_deref())
            .chain(self.validator.as_deref())
    }
}

/// A transform (`CREATE TRANSFORM`), keyed `FOR type LANGUAGE language`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Transform {
    /// `FROM SQL WITH FUNCTION`: qualified, with its argument types, as
    /// `regprocedure` prints it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_sql: Option<String>,
    /// `TO SQL WITH FUNCTION`, as `from_sql`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to_sql: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

impl Transform {
    /// The model's key of the transform for `type_name` in `language`.
    pub fn key(type_name: &str, language: &str) -> String {
        format!("FOR {type_name} LANGUAGE {language}")
    }

    /// The type and the language of a key.
    pub fn split_key(key: &str) -> (&str, &str) {
        let rest = key.strip_prefix("FOR ").unwrap_or(key);
        rest.rsplit_once(" LANGUAGE ").unwrap_or((rest, ""))
    }

    /// The FROM SQL and TO SQL functions.
    pub fn functions(&self) -> impl Iterator<Item = &str> {
        self.from_sql.iter().chain(&self.to_sql).map(String::as_str)
    }
}

/// A subscription for logical replication (`CREATE SUBSCRIPTION`), with
/// the options `pg_dump` writes; an option a server's version lacks reads
/// as its default there, as `pg_dump` reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Subscription {
    /// `CONNECTION`, parsed as libpq parses it (a URI and `key=value`
    /// text that say the same are equal), by keyword. The value of a secret
    /// keyword (`password`, `sslpassword`, ...:
    /// [`crate::conninfo::is_secret`]) is never read: it stands as
    /// [`crate::redact::SECRET`], so it compares by its presence only.
    #[serde(default)]
    pub conninfo: BTreeMap<String, String>,
    /// `PUBLICATION`: the publications' names, sorted.
    pub publications: Vec<String>,
    /// Whether it replicates (`ENABLE` / `DISABLE`).
    #[serde(default, skip_serializing_if = "is_false")]
    pub enabled: bool,
    /// `slot_name`; absent for `NONE`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slot_name: Option<String>,
    /// `binary` (PostgreSQL 14+).
    #[serde(default, skip_serializing_if = "is_false")]
    pub binary: bool,
    /// `streaming`: `off`, `on` (14+) or `parallel` (16+).
    pub streaming: String,
    /// `two_phase` (15+).
    #[serde(default, skip_serializing_if = "is_false")]
    pub two_phase: bool,
    /// `disable_on_error` (15+).
    #[serde(default, skip_serializing_if = "is_false")]
    pub disable_on_error: bool,
    /// `password_required` (16+; `true` before).
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub password_required: bool,
    /// `run_as_owner` (16+).
    #[serde(default, skip_serializing_if = "is_false")]
    pub run_as_owner: bool,
    /// `origin`: `any` (the default) or `none` (16+).
    pub origin: String,
    /// `failover` (17+).
    #[serde(default, skip_serializing_if = "is_false")]
    pub failover: bool,
    /// `synchronous_commit` (`off`, the default, ...).
    pub synchronous_commit: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// The owner (a subscription has no grants).
    #[serde(default, skip_serializing_if = "Privileges::is_empty")]
    pub privileges: Privileges,
}

/// A user mapping of a foreign server (`CREATE USER MAPPING`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserMapping {
    /// `OPTIONS`, by name; secret ones (a `password`) as in
    /// [`ForeignDataWrapper::options`].
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub options: BTreeMap<String, String>,
}

/// A table of a publication (`FOR TABLE`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublicationTable {
    /// The column list (PostgreSQL 15+), sorted; empty for all columns.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub columns: Vec<String>,
    /// `WHERE (...)`: the row filter (PostgreSQL 15+), as `pg_get_expr`
    /// prints it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub row_filter: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Schema {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    #[serde(default, skip_serializing_if = "Privileges::is_empty")]
    pub privileges: Privileges,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub tables: BTreeMap<String, Table>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub views: BTreeMap<String, View>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub materialized_views: BTreeMap<String, MaterializedView>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub sequences: BTreeMap<String, Sequence>,
    /// Functions and procedures keyed by `name(identity arguments)`, e.g.
    /// `touch_updated_at()` or `add(integer, integer)`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub functions: BTreeMap<String, Function>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub enums: BTreeMap<String, Enum>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub domains: BTreeMap<String, Domain>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub composite_types: BTreeMap<String, CompositeType>,
    /// Range types (`CREATE TYPE .. AS RANGE`), by name, each with its
    /// multirange type.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub range_types: BTreeMap<String, RangeType>,
    /// Base types (`CREATE TYPE .. (INPUT = .., OUTPUT = ..)`), by name;
    /// their I/O functions are functions of their own.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub base_types: BTreeMap<String, BaseType>,
    /// Shell types never completed (`CREATE TYPE name;` alone), by name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub shell_types: BTreeMap<String, ShellType>,
    /// Collations made with `CREATE COLLATION`, by name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub collations: BTreeMap<String, Collation>,
    /// Operators made with `CREATE OPERATOR`, keyed `name(left, right)`
    /// with both types as `format_type` prints them (`NONE` for a prefix
    /// operator's left), e.g. `===(integer, app.flag)`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub operators: BTreeMap<String, Operator>,
    /// Text search configurations (`CREATE TEXT SEARCH CONFIGURATION`), by name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub text_search_configurations: BTreeMap<String, TextSearchConfiguration>,
    /// Text search dictionaries (`CREATE TEXT SEARCH DICTIONARY`), by name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub text_search_dictionaries: BTreeMap<String, TextSearchDictionary>,
    /// Text search parsers (`CREATE TEXT SEARCH PARSER`), by name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub text_search_parsers: BTreeMap<String, TextSearchParser>,
    /// Text search templates (`CREATE TEXT SEARCH TEMPLATE`), by name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub text_search_templates: BTreeMap<String, TextSearchTemplate>,
    /// Operator families (`CREATE OPERATOR FAMILY`, and those `CREATE
    /// OPERATOR CLASS` makes), keyed `name USING method`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub operator_families: BTreeMap<String, OperatorFamily>,
    /// Operator classes (`CREATE OPERATOR CLASS`), keyed `name USING method`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub operator_classes: BTreeMap<String, OperatorClass>,
    /// Conversions (`CREATE CONVERSION`), by name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub conversions: BTreeMap<String, Conversion>,
    /// Security labels (`SECURITY LABEL FOR provider ON ...`) of the schema
    /// and of its objects and columns, one collection for every kind (see
    /// [`SecurityLabels`]).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub security_labels: SecurityLabels,
    /// Objects and settings in this schema that the model does not compare,
    /// counted by kind (`rule`, `operator`, `column_compression`, ...).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub not_compared: BTreeMap<String, u64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Persistence {
    #[default]
    Permanent,
    Unlogged,
}

impl Persistence {
    pub fn is_permanent(&self) -> bool {
        *self == Persistence::Permanent
    }
}

/// An ordinary, partitioned or foreign table (including partitions themselves).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Table {
    #[serde(default, skip_serializing_if = "Persistence::is_permanent")]
    pub persistence: Persistence,
    /// Columns in position order (dropped columns left out).
    #[serde(deserialize_with = "exact_vec")]
    pub columns: Vec<Column>,
    /// Constraints by name: primary key, unique, check, exclusion, foreign key.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub constraints: BTreeMap<String, Constraint>,
    /// Indexes by name, except those that implement a constraint (they are
    /// part of the constraint).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub indexes: BTreeMap<String, Index>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub triggers: BTreeMap<String, Trigger>,
    /// Rules (`CREATE RULE`) by name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub rules: BTreeMap<String, Rule>,
    /// Extended statistics (`CREATE STATISTICS`) on the table, by name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub statistics: BTreeMap<String, Statistics>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub policies: BTreeMap<String, Policy>,
    /// `ALTER TABLE ... ENABLE ROW LEVEL SECURITY`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub rls_enabled: bool,
    /// `ALTER TABLE ... FORCE ROW LEVEL SECURITY`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub rls_forced: bool,
    /// `pg_get_partkeydef`, e.g. `RANGE (created_at)`, when partitioned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partition_key: Option<String>,
    /// The parent and bound when this table is a partition.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partition_of: Option<PartitionOf>,
    /// Parents by classic (non-partition) inheritance, qualified, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inherits: Vec<String>,
    /// `OF`: the composite type of a typed table (`CREATE TABLE t OF
    /// type`), qualified, whose attributes are its columns.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub of: Option<String>,
    /// Storage parameters (`reloptions`), sorted, e.g. `fillfactor=70`;
    /// those of its TOAST table as `toast.<name>=<value>`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub storage_parameters: Vec<String>,
    /// `USING`: the table access method, unless `heap` (or, for a
    /// partitioned table, none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_method: Option<String>,
    /// `CLUSTER ON`: the index (or key constraint) `CLUSTER` uses by default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clustered_on: Option<String>,
    /// `REPLICA IDENTITY`, unless the default (the primary key): `full`,
    /// `nothing`, or `using index <name>` (the index's own name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replica_identity: Option<String>,
    /// A foreign table's own part (`CREATE FOREIGN TABLE .. SERVER ..
    /// OPTIONS (..)`); absent for every other table.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub foreign: Option<ForeignTable>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    #[serde(default, skip_serializing_if = "Privileges::is_empty")]
    pub privileges: Privileges,
}

/// What makes a [`Table`] a foreign table (relkind `f`), as pg_dump
/// treats one: a table whose rows a foreign server holds. Its columns,
/// CHECK constraints, statistics, triggers, inheritance, partition bound,
/// comment and grants are the table's own.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ForeignTable {
    /// `SERVER`: the foreign server.
    pub server: String,
    /// `OPTIONS`, by name; an option that may be a secret as in
    /// [`ForeignDataWrapper::options`].
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub options: BTreeMap<String, String>,
    /// Column `OPTIONS` (`attfdwoptions`), by column name, then option
    /// name; a column without options is left out.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub column_options: BTreeMap<String, BTreeMap<String, String>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartitionOf {
    /// Qualified name of the partitioned parent.
    pub parent: String,
    /// `pg_get_expr(relpartbound)`, e.g. `FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')`.
    pub bound: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Column {
    pub name: String,
    /// `format_type(atttypid, atttypmod)`, e.g. `character varying(80)`, `numeric(10,2)[]`.
    #[serde(rename = "type")]
    pub data_type: String,
    #[serde(default, skip_serializing_if = "is_false")]
    pub not_null: bool,
    /// `pg_get_expr(adbin)`; absent for generated columns (see `generated`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity: Option<Identity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generated: Option<Generated>,
    /// Set only when it differs from the type's default collation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collation: Option<String>,
    /// `SET STORAGE`: `plain`, `external`, `extended` or `main`, set only
    /// when it differs from the type's default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub storage: Option<String>,
    /// `SET COMPRESSION`: `pglz` or `lz4` (PostgreSQL 14+), when set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compression: Option<String>,
    /// `SET STATISTICS`: the statistics target, when set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub statistics: Option<i32>,
    /// `SET (...)`: the column's options (`n_distinct=10`), sorted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Column grants (`GRANT SELECT (col) ON ...`): grantee (`PUBLIC` for
    /// the public pseudo-role) -> sorted privileges, as in
    /// [`Privileges::grants`]; read only `--with-privileges`. A column has
    /// no privileges by default, so none is an empty map.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub grants: BTreeMap<String, Vec<String>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Identity {
    /// `always` or `by_default`.
    pub generation: IdentityGeneration,
    /// The options of the implicit sequence.
    pub sequence: SequenceOptions,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IdentityGeneration {
    Always,
    ByDefault,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Generated {
    /// `pg_get_expr(adbin)` of the generation expression.
    pub expression: String,
    /// `stored` or (PostgreSQL 18) `virtual`.
    pub kind: GeneratedKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GeneratedKind {
    Stored,
    Virtual,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConstraintKind {
    PrimaryKey,
    Unique,
    Check,
    Exclusion,
    ForeignKey,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Constraint {
    pub kind: ConstraintKind,
    /// `pg_get_constraintdef`, e.g. `CHECK ((amount > 0))`,
    /// `FOREIGN KEY (owner_id) REFERENCES care.owners(id) ON DELETE CASCADE`.
    pub definition: String,
    /// The constrained columns, in key order (empty for most checks).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub columns: Vec<String>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub deferrable: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    pub initially_deferred: bool,
    /// False for a constraint added `NOT VALID` and not yet validated.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub validated: bool,
    /// `NO INHERIT` check constraints.
    #[serde(default, skip_serializing_if = "is_false")]
    pub no_inherit: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub foreign_key: Option<ForeignKey>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ForeignKey {
    /// Qualified name of the referenced table.
    pub references: String,
    pub referenced_columns: Vec<String>,
    /// `no_action`, `restrict`, `cascade`, `set_null`, `set_default`.
    pub on_update: String,
    pub on_delete: String,
    /// `simple`, `full` or `partial`.
    #[serde(rename = "match")]
    pub match_type: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Index {
    /// Access method: `btree`, `hash`, `gin`, `gist`, `brin`, `spgist`, ...
    pub method: String,
    #[serde(default, skip_serializing_if = "is_false")]
    pub unique: bool,
    /// PostgreSQL 15+: `UNIQUE NULLS NOT DISTINCT`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub nulls_not_distinct: bool,
    /// Key parts in order.
    #[serde(deserialize_with = "exact_vec")]
    pub keys: Vec<IndexKey>,
    /// `INCLUDE` columns, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub include: Vec<String>,
    /// `pg_get_expr(indpred)` of a partial index.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub predicate: Option<String>,
    /// Storage parameters, sorted, e.g. `fillfactor=70`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub storage_parameters: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndexKey {
    /// A column name, or an expression as `pg_get_indexdef(index, n, true)` prints it.
    pub expression: String,
    /// Operator class, when not the default for the type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opclass: Option<String>,
    /// Collation, when not the column's or type's default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collation: Option<String>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub descending: bool,
    /// `NULLS FIRST` on an ascending key or `NULLS LAST` on a descending one:
    /// set only when it differs from the default for the direction.
    #[serde(default, skip_serializing_if = "is_false")]
    pub nulls_not_default: bool,
    /// `ALTER INDEX .. ALTER COLUMN n SET STATISTICS`: the statistics
    /// target of an expression key, when set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub statistics: Option<i32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Trigger {
    /// `before`, `after` or `instead_of`.
    pub timing: String,
    /// Sorted subset of `insert`, `update`, `delete`, `truncate`.
    pub events: Vec<String>,
    /// `row` or `statement`.
    pub level: String,
    /// `UPDATE OF` columns, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub columns: Vec<String>,
    /// The qualified trigger function with its identity arguments, e.g. `app.touch()`.
    pub function: String,
    /// Arguments passed to the function, as strings.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub arguments: Vec<String>,
    /// The `WHEN (...)` condition.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<String>,
    /// `origin` (the default), `disabled`, `replica` or `always`.
    pub enabled: String,
    /// `REFERENCING OLD TABLE AS x`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub old_table: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new_table: Option<String>,
    /// A `CREATE CONSTRAINT TRIGGER`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub constraint: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    pub deferrable: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    pub initially_deferred: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// A rule of a table or view.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// `pg_get_ruledef(oid, true)`: the whole `CREATE RULE` statement, e.g.
    /// `CREATE RULE keep AS ON DELETE TO care.log DO INSTEAD NOTHING`
    /// (without the `;` it prints).
    pub definition: String,
    /// `origin` (the default), `disabled`, `replica` or `always`.
    #[serde(default = "origin", skip_serializing_if = "is_origin")]
    pub enabled: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// An extended statistics object (`CREATE STATISTICS`) on a table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Statistics {
    /// The schema the statistics object is in, when not its table's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// What is gathered, of `ndistinct`, `dependencies`, `mcv`, in that
    /// order (all three when `CREATE STATISTICS` names none; none for
    /// the statistics of a single expression).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub kinds: Vec<String>,
    /// The columns, in the table's order (as PostgreSQL keeps them).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub columns: Vec<String>,
    /// The expressions (PostgreSQL 14+), in order, as
    /// `pg_get_statisticsobjdef_expressions` prints them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub expressions: Vec<String>,
    /// `ALTER STATISTICS .. SET STATISTICS`: the statistics target, when set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// The owner (a statistics object has no grants).
    #[serde(default, skip_serializing_if = "Privileges::is_empty")]
    pub privileges: Privileges,
}

impl Statistics {
    /// Its name, given its key among its table's statistics: the key,
    /// unless another of that name is in the table's schema and this one
    /// is keyed `schema.name`.
    pub fn name<'k>(&self, key: &'k str) -> &'k str {
        self.schema
            .as_deref()
            .and_then(|s| key.strip_prefix(s)?.strip_prefix('.'))
            .unwrap_or(key)
    }

    /// The schema it is in, given its table's.
    pub fn schema_in<'s>(&'s self, table_schema: &'s str) -> &'s str {
        self.schema.as_deref().unwrap_or(table_schema)
    }
}

fn explicit() -> String {
    "explicit".to_string()
}

fn is_explicit(s: &String) -> bool {
    s == "explicit"
}

fn origin() -> String {
    "origin".to_string()
}

fn is_origin(s: &String) -> bool {
    s == "origin"
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    /// `all`, `select`, `insert`, `update` or `delete`.
    pub command: String,
    /// False for `AS RESTRICTIVE`.
    pub permissive: bool,
    /// Sorted role names; `public` for PUBLIC.
    pub roles: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub using: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub with_check: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct View {
    /// `pg_get_viewdef(oid, true)`.
    pub definition: String,
    /// Reloptions, sorted: `check_option=local`, `security_barrier=true`,
    /// `security_invoker=true`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Column comments by column name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub column_comments: BTreeMap<String, String>,
    /// Triggers on the view (`INSTEAD OF` row triggers, statement triggers).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub triggers: BTreeMap<String, Trigger>,
    /// Rules on the view (`CREATE RULE`; not its own `_RETURN` rule).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub rules: BTreeMap<String, Rule>,
    #[serde(default, skip_serializing_if = "Privileges::is_empty")]
    pub privileges: Privileges,
    /// Column grants by column name, as [`Column::grants`]; only columns
    /// with grants, read only `--with-privileges`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub column_grants: BTreeMap<String, BTreeMap<String, Vec<String>>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MaterializedView {
    pub definition: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub storage_parameters: Vec<String>,
    /// `USING`: the table access method, unless `heap`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_method: Option<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub indexes: BTreeMap<String, Index>,
    /// Extended statistics (`CREATE STATISTICS`) on it, by name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub statistics: BTreeMap<String, Statistics>,
    /// `CLUSTER ON`: the index `CLUSTER` uses by default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clustered_on: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub column_comments: BTreeMap<String, String>,
    /// The columns that have settings (`ALTER MATERIALIZED VIEW .. ALTER
    /// COLUMN .. SET STORAGE / COMPRESSION / STATISTICS / (...)`), by name;
    /// the others are left out.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub column_settings: BTreeMap<String, ColumnSettings>,
    #[serde(default, skip_serializing_if = "Privileges::is_empty")]
    pub privileges: Privileges,
    /// Column grants by column name, as [`View::column_grants`].
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub column_grants: BTreeMap<String, BTreeMap<String, Vec<String>>>,
}

/// The settings of a materialized view's column, as [`Column`]'s fields of
/// the same names.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ColumnSettings {
    /// The column's type (from the query: not compared); it names the
    /// storage to go back to before PostgreSQL 16, which has no `SET
    /// STORAGE DEFAULT`.
    #[serde(rename = "type")]
    pub data_type: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub storage: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compression: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub statistics: Option<i32>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<String>,
}

impl Column {
    /// Its storage, compression, statistics target and options.
    pub fn settings(&self) -> ColumnSettings {
        ColumnSettings {
            data_type: self.data_type.clone(),
            storage: self.storage.clone(),
            compression: self.compression.clone(),
            statistics: self.statistics,
            options: self.options.clone(),
        }
    }
}

impl ColumnSettings {
    /// Whether it sets nothing (the column keeps its type's defaults).
    pub fn is_empty(&self) -> bool {
        self.storage.is_none()
            && self.compression.is_none()
            && self.statistics.is_none()
            && self.options.is_empty()
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SequenceOptions {
    /// `smallint`, `integer` or `bigint`.
    pub data_type: String,
    pub start: i64,
    pub increment: i64,
    pub min_value: i64,
    pub max_value: i64,
    pub cache: i64,
    #[serde(default, skip_serializing_if = "is_false")]
    pub cycle: bool,
}

/// A standalone sequence (identity sequences belong to their column).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sequence {
    /// `smallint`, `integer` or `bigint`.
    pub data_type: String,
    pub start: i64,
    pub increment: i64,
    pub min_value: i64,
    pub max_value: i64,
    pub cache: i64,
    #[serde(default, skip_serializing_if = "is_false")]
    pub cycle: bool,
    /// `schema.table.column` when the sequence is `OWNED BY` a column (as `serial` makes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owned_by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    #[serde(default, skip_serializing_if = "Privileges::is_empty")]
    pub privileges: Privileges,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Function {
    /// `function`, `procedure`, `aggregate` or `window`.
    pub kind: String,
    /// `pg_get_function_arguments`: names, modes and defaults.
    pub arguments: String,
    /// `pg_get_function_result`; absent for procedures.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub returns: Option<String>,
    pub language: String,
    /// `immutable`, `stable` or `volatile`.
    pub volatility: String,
    #[serde(default, skip_serializing_if = "is_false")]
    pub strict: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    pub security_definer: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    pub leakproof: bool,
    /// `safe`, `restricted` or `unsafe`.
    pub parallel: String,
    /// `SET` clauses (`proconfig`), e.g. `search_path=app, pg_temp`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub settings: Vec<String>,
    /// `COST`, as PostgreSQL prints it, unless the language's default (1
    /// for C and internal functions, 100 for others), as `pg_dump` leaves
    /// it out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost: Option<String>,
    /// `ROWS` of a set-returning function, unless the default (1000).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rows: Option<String>,
    /// `SUPPORT`: the planner support function, as `regproc` prints it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub support: Option<String>,
    /// The body: `prosrc`, or for a SQL-standard body (`BEGIN ATOMIC`,
    /// `RETURN`) PostgreSQL's own deparse of it.
    pub body: String,
    /// `TRANSFORM FOR TYPE ..`: the types whose transforms the function
    /// uses, in order, as `format_type` prints them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub transforms: Vec<String>,
    /// The object file of a C function (`probin`: `AS 'library',
    /// 'symbol'`, the symbol being the body), as `pg_dump` writes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub library: Option<String>,
    /// What `CREATE AGGREGATE` says of an aggregate (kind `aggregate`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aggregate: Option<Aggregate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    #[serde(default, skip_serializing_if = "Privileges::is_empty")]
    pub privileges: Privileges,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Enum {
    /// Labels in sort order.
    pub labels: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    #[serde(default, skip_serializing_if = "Privileges::is_empty")]
    pub privileges: Privileges,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Domain {
    /// `format_type` of the base type.
    pub base_type: String,
    #[serde(default, skip_serializing_if = "is_false")]
    pub not_null: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collation: Option<String>,
    /// Check constraints by name -> `pg_get_constraintdef`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub constraints: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    #[serde(default, skip_serializing_if = "Privileges::is_empty")]
    pub privileges: Privileges,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CompositeType {
    pub attributes: Vec<CompositeAttribute>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    #[serde(default, skip_serializing_if = "Privileges::is_empty")]
    pub privileges: Privileges,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CompositeAttribute {
    pub name: String,
    #[serde(rename = "type")]
    pub data_type: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collation: Option<String>,
}

/// A base type (`CREATE TYPE name (INPUT = .., OUTPUT = ..)`), as
/// `pg_dump`'s dumpBaseType writes it, what is the default left out
/// (ALIGNMENT and STORAGE it always writes). Functions as `regproc` prints
/// them (qualified outside `pg_catalog`), types as `format_type` does.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BaseType {
    /// `INPUT`.
    pub input: String,
    /// `OUTPUT`.
    pub output: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub receive: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub send: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub typmod_in: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub typmod_out: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub analyze: Option<String>,
    /// `SUBSCRIPT` (PostgreSQL 14+).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subscript: Option<String>,
    /// `INTERNALLENGTH`: `variable`, or a number of bytes.
    pub internal_length: String,
    #[serde(default, skip_serializing_if = "is_false")]
    pub passed_by_value: bool,
    /// `ALIGNMENT`: `char`, `int2`, `int4` or `double`.
    pub alignment: String,
    /// `STORAGE`: `plain`, `external`, `extended` or `main`.
    pub storage: String,
    /// `CATEGORY`, one character, unless `U` (user-defined, the default).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub preferred: bool,
    /// `DEFAULT`, as written: a quoted literal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    /// `ELEMENT`, as `format_type` prints it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub element: Option<String>,
    /// `DELIMITER`, one character, unless `,` (the default).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delimiter: Option<String>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub collatable: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    #[serde(default, skip_serializing_if = "Privileges::is_empty")]
    pub privileges: Privileges,
}

impl BaseType {
    /// The functions the type names, as `regproc` prints them: input,
    /// output, then the optional ones.
    pub fn functions(&self) -> impl Iterator<Item = &str> {
        [&self.input, &self.output]
            .into_iter()
            .chain(
                [
                    &self.receive,
                    &self.send,
                    &self.typmod_in,
                    &self.typmod_out,
                    &self.analyze,
                    &self.subscript,
                ]
                .into_iter()
                .flatten(),
            )
            .map(String::as_str)
    }
}

/// A shell type never completed (`CREATE TYPE name;` alone), as `pg_dump`'s
/// dumpUndefinedType writes it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShellType {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    #[serde(default, skip_serializing_if = "Privileges::is_empty")]
    pub privileges: Privileges,
}

/// A range type (`CREATE TYPE .. AS RANGE`), as `pg_dump`'s dumpRangeType
/// writes it, with what is the default left out: its multirange type and
/// the constructor functions of both are part of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RangeType {
    /// `SUBTYPE`, as `format_type` prints it.
    pub subtype: String,
    /// `SUBTYPE_OPCLASS`, `schema.name`, when it is not the subtype's
    /// default operator class.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subtype_opclass: Option<String>,
    /// `COLLATION`, when it is not the subtype's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collation: Option<String>,
    /// `CANONICAL`, the function as `regproc` prints it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub canonical: Option<String>,
    /// `SUBTYPE_DIFF`, the function as `regproc` prints it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subtype_diff: Option<String>,
    /// `MULTIRANGE_TYPE_NAME` (PostgreSQL 14+), `schema.name`, when it is
    /// not the name PostgreSQL gives by default (see
    /// [`RangeType::multirange`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub multirange_type_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    #[serde(default, skip_serializing_if = "Privileges::is_empty")]
    pub privileges: Privileges,
}

impl RangeType {
    /// The name PostgreSQL gives range `name`'s multirange type when none
    /// is given (makeMultirangeTypeName): `range` in the name becomes
    /// `multirange`, else `_multirange` is added.
    pub fn default_multirange(name: &str) -> String {
        let mut out = match name.find("range") {
            Some(i) => format!("{}multi{}", &name[..i], &name[i..]),
            None => {
                let cut = (0..=name.len().min(52))
                    .rev()
                    .find(|&i| name.is_char_boundary(i))
                    .unwrap_or(0);
                format!("{}_multirange", &name[..cut])
            }
        };
        if out.len() > 63 {
            let cut = (0..=63)
                .rev()
                .find(|&i| out.is_char_boundary(i))
                .unwrap_or(0);
            out.truncate(cut);
        }
        out
    }
}

/// A collation (`CREATE COLLATION`), its locale as `pg_dump` writes it:
/// `locale` when the provider has one locale (ICU, builtin) or libc's
/// `LC_COLLATE` and `LC_CTYPE` are the same, else both of those.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Collation {
    /// `libc`, `icu` or (PostgreSQL 17+) `builtin`.
    pub provider: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
    /// libc's `LC_COLLATE`, when it differs from `LC_CTYPE`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lc_collate: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lc_ctype: Option<String>,
    /// False for `deterministic = false` (ICU).
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub deterministic: bool,
    /// ICU tailoring rules (PostgreSQL 16+).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rules: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// The owner (collations have no grants).
    #[serde(default, skip_serializing_if = "Privileges::is_empty")]
    pub privileges: Privileges,
}

/// An operator (`CREATE OPERATOR`), as `pg_dump`'s dumpOpr writes it: its
/// types are in its key; functions as `regproc` prints them (qualified
/// outside `pg_catalog`), the commutator and negator as their qualified
/// names (`app.===`: their types follow from the operator's).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Operator {
    /// `FUNCTION`, the function that implements it.
    pub function: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commutator: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub negator: Option<String>,
    /// `RESTRICT`, the restriction selectivity estimator.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub restrict: Option<String>,
    /// `JOIN`, the join selectivity estimator.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub join: Option<String>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub hashes: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    pub merges: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// The owner (operators have no grants).
    #[serde(default, skip_serializing_if = "Privileges::is_empty")]
    pub privileges: Privileges,
}

/// A text search configuration (`CREATE TEXT SEARCH CONFIGURATION`), as
/// `pg_dump`'s dumpTSConfig writes it: its parser, then a mapping per token
/// type. Names of parsers and dictionaries are qualified outside
/// `pg_catalog`, as `regdictionary` prints them with an empty `search_path`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TextSearchConfiguration {
    /// `PARSER`: `"default"`, `care.words`.
    pub parser: String,
    /// `ADD MAPPING FOR token WITH dictionaries`: the token type (its alias,
    /// as `ts_token_type` names it) -> the dictionaries, in the order they
    /// are consulted.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub mappings: BTreeMap<String, Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// The owner (a configuration has no grants).
    #[serde(default, skip_serializing_if = "Privileges::is_empty")]
    pub privileges: Privileges,
}

/// An operator family (`CREATE OPERATOR FAMILY`), with the members tied
/// to the family itself (`ALTER OPERATOR FAMILY .. ADD`), as `pg_dump`'s
/// dumpOpfamily writes them; its classes' own members are theirs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OperatorFamily {
    /// Members by how `ALTER OPERATOR FAMILY .. DROP` names them
    /// (`OPERATOR 1 (integer, bigint)`, `FUNCTION 1 (integer, bigint)`): the
    /// operator as `regoperator` prints it (`<(integer,bigint)`, with `FOR
    /// ORDER BY schema.family`), or the function as `regprocedure` does.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub members: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// The owner (operator families have no grants).
    #[serde(default, skip_serializing_if = "Privileges::is_empty")]
    pub privileges: Privileges,
}

/// An operator class (`CREATE OPERATOR CLASS`), as `pg_dump`'s dumpOpclass
/// writes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OperatorClass {
    /// `FOR TYPE`, as `format_type` prints it.
    pub for_type: String,
    /// `DEFAULT` for its type.
    #[serde(default, skip_serializing_if = "is_false")]
    pub default: bool,
    /// `STORAGE`, when not the type itself.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub storage: Option<String>,
    /// `FAMILY`, qualified (`app.name`, the class's own name unless given).
    pub family: String,
    /// The members tied to the class, as [`OperatorFamily::members`].
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub members: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// The owner (operator classes have no grants).
    #[serde(default, skip_serializing_if = "Privileges::is_empty")]
    pub privileges: Privileges,
}

/// A text search dictionary (`CREATE TEXT SEARCH DICTIONARY`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TextSearchDictionary {
    /// `TEMPLATE`, qualified outside `pg_catalog`: `snowball`, `care.tmpl`.
    pub template: String,
    /// The template's options: name -> value as PostgreSQL keeps it, an SQL
    /// literal (`'english'`) or a number (`10`), by name whatever the
    /// order they were given or altered in.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub options: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// The owner (a dictionary has no grants).
    #[serde(default, skip_serializing_if = "Privileges::is_empty")]
    pub privileges: Privileges,
}

/// A text search parser (`CREATE TEXT SEARCH PARSER`): its functions, as
/// `regproc` prints them (qualified outside `pg_catalog`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TextSearchParser {
    pub start: String,
    pub gettoken: String,
    pub end: String,
    pub lextypes: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub headline: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// A text search template (`CREATE TEXT SEARCH TEMPLATE`): its functions,
/// as `regproc` prints them (qualified outside `pg_catalog`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TextSearchTemplate {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub init: Option<String>,
    pub lexize: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// A conversion between encodings (`CREATE [DEFAULT] CONVERSION`), as
/// `pg_dump`'s dumpConversion writes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Conversion {
    /// `FOR`, the source encoding's name.
    pub for_encoding: String,
    /// `TO`, the destination encoding's name.
    pub to_encoding: String,
    /// `FROM`, the function, as `regproc` prints it.
    pub function: String,
    /// `DEFAULT` for its two encodings.
    #[serde(default, skip_serializing_if = "is_false")]
    pub default: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// The owner (conversions have no grants).
    #[serde(default, skip_serializing_if = "Privileges::is_empty")]
    pub privileges: Privileges,
}

/// The clauses of `CREATE AGGREGATE` (`pg_aggregate`), as `pg_dump`'s
/// dumpAgg writes them: functions as `regproc` prints them (qualified
/// outside `pg_catalog`), types as `format_type` does, and only what is
/// not the default.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Aggregate {
    /// `SFUNC`: the state transition function.
    pub sfunc: String,
    /// `STYPE`: the state type.
    pub stype: String,
    /// `SSPACE`, unless 0 (the default estimate).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sspace: Option<i32>,
    /// `INITCOND`, the initial state as text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub initcond: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finalfunc: Option<String>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub finalfunc_extra: bool,
    /// `FINALFUNC_MODIFY` (`read_only`, `shareable`, `read_write`) unless the
    /// default of its kind (`read_only` for a normal aggregate, `read_write`
    /// for an ordered-set one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finalfunc_modify: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub combinefunc: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub serialfunc: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deserialfunc: Option<String>,
    /// The moving-aggregate mode: `MSFUNC`, `MINVFUNC`, `MSTYPE`, ...
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub msfunc: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minvfunc: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mstype: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub msspace: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minitcond: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mfinalfunc: Option<String>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub mfinalfunc_extra: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mfinalfunc_modify: Option<String>,
    /// `SORTOP`, as `regoper` prints it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sortop: Option<String>,
    /// `HYPOTHETICAL`: a hypothetical-set aggregate.
    #[serde(default, skip_serializing_if = "is_false")]
    pub hypothetical: bool,
}
