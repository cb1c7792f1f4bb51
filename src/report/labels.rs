//! A changed attribute as people who write DDL call it (`NOT NULL`, `ROW
//! LEVEL SECURITY`, `ON DELETE`), for the text and Markdown reports. The
//! JSON report keeps the model's field names (`not_null`, `rls_enabled`):
//! they are its public format.
//!
//! A foreign key whose actions or target changed is shown once, by the
//! clauses that changed: its `definition` (the whole `FOREIGN KEY ...
//! REFERENCES ...` text, which says the same again) is left out of those
//! reports when `foreign_key.*` fields are there.

use crate::diff::{FieldChange, ObjectType};

/// The SQL (or Cypher) words for `field` of an object of type `ty`;
/// a field with no such words keeps its name, with spaces for `_`.
pub fn label(ty: ObjectType, field: &str) -> String {
    if let Some(who) = field.strip_prefix("grants.") {
        return format!("GRANT ... TO {who}");
    }
    if let Some(clause) = field.strip_prefix("aggregate.") {
        return clause.to_ascii_uppercase();
    }
    if let Some(name) = field.strip_prefix("attributes.") {
        return format!("attribute {name}");
    }
    if let Some(token) = field.strip_prefix("mappings.") {
        return format!("MAPPING FOR {token}");
    }
    if let (ObjectType::TextSearchDictionary, Some(key)) = (ty, field.strip_prefix("options.")) {
        return format!("({key} = ...)");
    }
    if let Some(key) = field.strip_prefix("options.") {
        return format!("OPTIONS `{key}`");
    }
    if let (ObjectType::Subscription, Some(key)) = (ty, field.strip_prefix("conninfo.")) {
        return format!("CONNECTION `{key}`");
    }
    if let Some(t) = field.strip_prefix("tables.") {
        if ty == ObjectType::Publication {
            return match t.rsplit_once('.') {
                Some((t, "columns")) => format!("TABLE {t} (columns)"),
                Some((t, "row_filter")) => format!("TABLE {t} WHERE"),
                _ => format!("TABLE {t}"),
            };
        }
    }
    if let Some(n) = field
        .strip_prefix("keys.")
        .and_then(|k| k.strip_suffix(".statistics"))
    {
        return format!("ALTER COLUMN {n} SET STATISTICS");
    }
    if let Some(opt) = field.strip_prefix("identity.sequence.") {
        return format!("IDENTITY ({})", sequence_option(opt).unwrap_or(opt));
    }
    let words = match (ty, field) {
        (_, "comment") => "COMMENT",
        (_, "owner") => "OWNER",
        (_, "grants") => "GRANT",
        (ObjectType::Index | ObjectType::Constraint, "provider") => "indexProvider",
        (ObjectType::Constraint, "property_type") => "IS ::",
        (_, "storage_parameters") => "WITH (storage parameters)",
        (ObjectType::Table, "persistence") => "LOGGED / UNLOGGED",
        (ObjectType::Table, "rls_enabled") => "ROW LEVEL SECURITY",
        (ObjectType::Table, "rls_forced") => "FORCE ROW LEVEL SECURITY",
        (ObjectType::Table, "partition_key") => "PARTITION BY",
        (ObjectType::Table | ObjectType::ForeignTable, "partition_of" | "partition_of.parent") => {
            "PARTITION OF"
        }
        (ObjectType::Table | ObjectType::ForeignTable, "partition_of.bound") => "FOR VALUES",
        (ObjectType::ForeignTable, "server") => "SERVER",
        (ObjectType::ForeignTable, "foreign") => "FOREIGN TABLE (server and options)",
        (ObjectType::Table | ObjectType::ForeignTable, "inherits") => "INHERITS",
        (ObjectType::Table, "of") => "OF (type)",
        (ObjectType::Table, "replica_identity") => "REPLICA IDENTITY",
        (ObjectType::Table | ObjectType::MaterializedView, "clustered_on") => "CLUSTER ON",
        (ObjectType::Table | ObjectType::MaterializedView, "access_method") => {
            "USING (access method)"
        }
        (ObjectType::Column, "type") => "TYPE",
        (ObjectType::Column | ObjectType::Domain, "not_null") => "NOT NULL",
        (ObjectType::Column | ObjectType::Domain, "default") => "DEFAULT",
        (ObjectType::Column | ObjectType::Domain, "collation") => "COLLATE",
        (ObjectType::Column, "storage") => "SET STORAGE",
        (ObjectType::Column, "compression") => "SET COMPRESSION",
        (ObjectType::Column, "statistics") => "SET STATISTICS",
        (ObjectType::Column, "options") => "SET (options)",
        (ObjectType::Column, "identity") => "GENERATED AS IDENTITY",
        (ObjectType::Column, "identity.generation") => "GENERATED ALWAYS / BY DEFAULT AS IDENTITY",
        (ObjectType::Column, "generated" | "generated.expression") => "GENERATED ALWAYS AS",
        (ObjectType::Column, "generated.kind") => "STORED / VIRTUAL",
        (ObjectType::Constraint, "foreign_key") => "FOREIGN KEY",
        (ObjectType::Constraint, "foreign_key.references") => "REFERENCES",
        (ObjectType::Constraint, "foreign_key.referenced_columns") => "REFERENCES (columns)",
        (ObjectType::Constraint, "foreign_key.on_update") => "ON UPDATE",
        (ObjectType::Constraint, "foreign_key.on_delete") => "ON DELETE",
        (ObjectType::Constraint, "foreign_key.match") => "MATCH",
        (ObjectType::Constraint, "no_inherit") => "NO INHERIT",
        (ObjectType::Constraint, "validated") => "validated (NOT VALID when false)",
        (ObjectType::Constraint | ObjectType::Trigger, "deferrable") => "DEFERRABLE",
        (ObjectType::Constraint | ObjectType::Trigger, "initially_deferred") => {
            "INITIALLY DEFERRED"
        }
        (ObjectType::Index, "method") => "USING",
        (ObjectType::Index, "unique") => "UNIQUE",
        (ObjectType::Index, "nulls_not_distinct") => "NULLS NOT DISTINCT",
        (ObjectType::Index, "include") => "INCLUDE",
        (ObjectType::Index, "predicate") => "WHERE",
        (ObjectType::Trigger, "enabled") => "ENABLE / DISABLE TRIGGER",
        (ObjectType::Trigger, "timing") => "BEFORE / AFTER / INSTEAD OF",
        (ObjectType::Trigger, "level") => "FOR EACH ROW / STATEMENT",
        (ObjectType::Trigger, "columns") => "UPDATE OF",
        (ObjectType::Trigger, "function") => "EXECUTE FUNCTION",
        (ObjectType::Trigger, "arguments") => "EXECUTE FUNCTION arguments",
        (ObjectType::Trigger, "when") => "WHEN",
        (ObjectType::Trigger, "old_table") => "REFERENCING OLD TABLE",
        (ObjectType::Trigger, "new_table") => "REFERENCING NEW TABLE",
        (ObjectType::Trigger, "constraint") => "CONSTRAINT TRIGGER",
        (ObjectType::Rule, "definition") => "CREATE RULE",
        (ObjectType::Rule, "enabled") => "ENABLE / DISABLE RULE",
        (ObjectType::Statistics, "schema") => "SET SCHEMA",
        (ObjectType::Statistics, "kinds") => "(ndistinct, dependencies, mcv)",
        (ObjectType::Statistics, "columns") => "ON (columns)",
        (ObjectType::Statistics, "expressions") => "ON (expressions)",
        (ObjectType::Statistics, "target") => "SET STATISTICS",
        (ObjectType::Policy, "command") => "FOR",
        (ObjectType::Policy, "permissive") => "AS PERMISSIVE / RESTRICTIVE",
        (ObjectType::Policy, "roles") => "TO",
        (ObjectType::Policy, "using") => "USING",
        (ObjectType::Policy, "with_check") => "WITH CHECK",
        (ObjectType::View | ObjectType::MaterializedView, "definition") => "AS (query)",
        (ObjectType::View, "options") => "WITH (options)",
        (ObjectType::Sequence, "owned_by") => "OWNED BY",
        (ObjectType::Function, "body") => "AS (body)",
        (ObjectType::Function, "library") => "AS (library)",
        (ObjectType::Function, "kind") => "FUNCTION / PROCEDURE",
        (ObjectType::Function, "returns") => "RETURNS",
        (ObjectType::Function, "language") => "LANGUAGE",
        (ObjectType::Function, "volatility") => "IMMUTABLE / STABLE / VOLATILE",
        (ObjectType::Function, "strict") => "STRICT",
        (ObjectType::Function, "security_definer") => "SECURITY DEFINER",
        (ObjectType::Function, "leakproof") => "LEAKPROOF",
        (ObjectType::Function, "parallel") => "PARALLEL",
        (ObjectType::Function, "settings") => "SET",
        (ObjectType::Function, "cost") => "COST",
        (ObjectType::Function, "rows") => "ROWS",
        (ObjectType::Function, "support") => "SUPPORT",
        (ObjectType::Enum, "labels") => "AS ENUM (labels)",
        (ObjectType::Domain, "base_type") => "AS (type)",
        (ObjectType::RangeType, "subtype") => "SUBTYPE",
        (ObjectType::RangeType, "subtype_opclass") => "SUBTYPE_OPCLASS",
        (ObjectType::RangeType, "collation") => "COLLATION",
        (ObjectType::RangeType, "canonical") => "CANONICAL",
        (ObjectType::RangeType, "subtype_diff") => "SUBTYPE_DIFF",
        (ObjectType::RangeType, "multirange_type_name") => "MULTIRANGE_TYPE_NAME",
        (ObjectType::BaseType, "input") => "INPUT",
        (ObjectType::BaseType, "output") => "OUTPUT",
        (ObjectType::BaseType, "receive") => "RECEIVE",
        (ObjectType::BaseType, "send") => "SEND",
        (ObjectType::BaseType, "typmod_in") => "TYPMOD_IN",
        (ObjectType::BaseType, "typmod_out") => "TYPMOD_OUT",
        (ObjectType::BaseType, "analyze") => "ANALYZE",
        (ObjectType::BaseType, "subscript") => "SUBSCRIPT",
        (ObjectType::BaseType, "internal_length") => "INTERNALLENGTH",
        (ObjectType::BaseType, "passed_by_value") => "PASSEDBYVALUE",
        (ObjectType::BaseType, "alignment") => "ALIGNMENT",
        (ObjectType::BaseType, "storage") => "STORAGE",
        (ObjectType::BaseType, "category") => "CATEGORY",
        (ObjectType::BaseType, "preferred") => "PREFERRED",
        (ObjectType::BaseType, "default") => "DEFAULT",
        (ObjectType::BaseType, "element") => "ELEMENT",
        (ObjectType::BaseType, "delimiter") => "DELIMITER",
        (ObjectType::BaseType, "collatable") => "COLLATABLE",
        (ObjectType::Collation, "provider") => "PROVIDER",
        (ObjectType::Collation, "locale") => "LOCALE",
        (ObjectType::Collation, "lc_collate") => "LC_COLLATE",
        (ObjectType::Collation, "lc_ctype") => "LC_CTYPE",
        (ObjectType::Collation, "deterministic") => "DETERMINISTIC",
        (ObjectType::Collation, "rules") => "RULES",
        (ObjectType::Operator, "function") => "FUNCTION",
        (ObjectType::Operator, "commutator") => "COMMUTATOR",
        (ObjectType::Operator, "negator") => "NEGATOR",
        (ObjectType::Operator, "restrict") => "RESTRICT",
        (ObjectType::Operator, "join") => "JOIN",
        (ObjectType::Operator, "hashes") => "HASHES",
        (ObjectType::Operator, "merges") => "MERGES",
        (ObjectType::TextSearchConfiguration, "parser") => "PARSER",
        (ObjectType::TextSearchDictionary, "template") => "TEMPLATE",
        (ObjectType::TextSearchParser, "start") => "START",
        (ObjectType::TextSearchParser, "gettoken") => "GETTOKEN",
        (ObjectType::TextSearchParser, "end") => "END",
        (ObjectType::TextSearchParser, "lextypes") => "LEXTYPES",
        (ObjectType::TextSearchParser, "headline") => "HEADLINE",
        (ObjectType::TextSearchTemplate, "init") => "INIT",
        (ObjectType::TextSearchTemplate, "lexize") => "LEXIZE",
        (ObjectType::OperatorClass, "for_type") => "FOR TYPE",
        (ObjectType::OperatorClass, "default") => "DEFAULT",
        (ObjectType::OperatorClass, "storage") => "STORAGE",
        (ObjectType::OperatorClass, "family") => "FAMILY",
        (ObjectType::SecurityLabel, "label") => "SECURITY LABEL",
        (ObjectType::Conversion, "for_encoding") => "FOR",
        (ObjectType::Conversion, "to_encoding") => "TO",
        (ObjectType::Conversion, "function") => "FROM",
        (ObjectType::Conversion, "default") => "DEFAULT",
        (ObjectType::Extension, "version") => "VERSION",
        (ObjectType::Extension, "schema") => "SCHEMA",
        (ObjectType::Cast, "method") => "WITH FUNCTION / WITHOUT FUNCTION / WITH INOUT",
        (ObjectType::Cast, "function") => "WITH FUNCTION",
        (ObjectType::Cast, "context") => "AS ASSIGNMENT / AS IMPLICIT",
        (ObjectType::ForeignDataWrapper, "handler") => "HANDLER",
        (ObjectType::ForeignDataWrapper, "validator") => "VALIDATOR",
        (ObjectType::ForeignServer, "wrapper") => "FOREIGN DATA WRAPPER",
        (ObjectType::ForeignServer, "type") => "TYPE",
        (ObjectType::ForeignServer, "version") => "VERSION",
        (ObjectType::AccessMethod, "type") => "TYPE",
        (ObjectType::AccessMethod, "handler") => "HANDLER",
        (ObjectType::Language, "trusted") => "TRUSTED",
        (ObjectType::Language, "handler") => "HANDLER",
        (ObjectType::Language, "inline") => "INLINE",
        (ObjectType::Language, "validator") => "VALIDATOR",
        (ObjectType::Transform, "from_sql") => "FROM SQL WITH FUNCTION",
        (ObjectType::Transform, "to_sql") => "TO SQL WITH FUNCTION",
        (ObjectType::Function, "transforms") => "TRANSFORM FOR TYPE",
        (ObjectType::Subscription, "publications") => "PUBLICATION",
        (ObjectType::Subscription, "enabled") => "ENABLE / DISABLE",
        (ObjectType::Subscription, "slot_name") => "WITH (slot_name)",
        (ObjectType::Subscription, "binary") => "WITH (binary)",
        (ObjectType::Subscription, "streaming") => "WITH (streaming)",
        (ObjectType::Subscription, "two_phase") => "WITH (two_phase)",
        (ObjectType::Subscription, "disable_on_error") => "WITH (disable_on_error)",
        (ObjectType::Subscription, "password_required") => "WITH (password_required)",
        (ObjectType::Subscription, "run_as_owner") => "WITH (run_as_owner)",
        (ObjectType::Subscription, "origin") => "WITH (origin)",
        (ObjectType::Subscription, "failover") => "WITH (failover)",
        (ObjectType::Subscription, "synchronous_commit") => "WITH (synchronous_commit)",
        (ObjectType::EventTrigger, "event") => "ON (event)",
        (ObjectType::EventTrigger, "tags") => "WHEN TAG IN",
        (ObjectType::EventTrigger, "function") => "EXECUTE FUNCTION",
        (ObjectType::EventTrigger, "enabled") => "ENABLE / DISABLE",
        (ObjectType::Publication, "all_tables") => "FOR ALL TABLES",
        (ObjectType::Publication, "schemas") => "FOR TABLES IN SCHEMA",
        (ObjectType::Publication, "publish") => "WITH (publish)",
        (ObjectType::Publication, "via_partition_root") => "WITH (publish_via_partition_root)",
        (ObjectType::Publication, "generated_columns") => "WITH (publish_generated_columns)",
        (ObjectType::Sequence, f) => match sequence_option(f) {
            Some(w) => w,
            None => return field.replace('_', " "),
        },
        _ => return field.replace('_', " "),
    };
    words.to_string()
}

/// `ALTER SEQUENCE`'s word for one of its options.
fn sequence_option(field: &str) -> Option<&'static str> {
    Some(match field {
        "data_type" => "AS",
        "start" => "START WITH",
        "increment" => "INCREMENT BY",
        "min_value" => "MINVALUE",
        "max_value" => "MAXVALUE",
        "cache" => "CACHE",
        "cycle" => "CYCLE",
        _ => return None,
    })
}

/// The fields a person reads: a foreign key's `definition` left out when
/// the clauses that changed are there (`ON DELETE`), so it is said once.
pub fn shown(fields: &[FieldChange]) -> impl Iterator<Item = &FieldChange> {
    let fk = fields.iter().any(|f| f.field.starts_with("foreign_key."));
    fields
        .iter()
        .filter(move |f| !(fk && f.field == "definition"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn names_people_know() {
        assert_eq!(label(ObjectType::Column, "not_null"), "NOT NULL");
        assert_eq!(
            label(ObjectType::Table, "rls_enabled"),
            "ROW LEVEL SECURITY"
        );
        assert_eq!(label(ObjectType::Column, "default"), "DEFAULT");
        assert_eq!(
            label(ObjectType::Constraint, "foreign_key.on_delete"),
            "ON DELETE"
        );
        assert_eq!(label(ObjectType::Sequence, "increment"), "INCREMENT BY");
        assert_eq!(label(ObjectType::Column, "storage"), "SET STORAGE");
        assert_eq!(
            label(ObjectType::Table, "replica_identity"),
            "REPLICA IDENTITY"
        );
        assert_eq!(label(ObjectType::Function, "rows"), "ROWS");
        assert_eq!(
            label(ObjectType::Column, "identity.sequence.increment"),
            "IDENTITY (INCREMENT BY)"
        );
        assert_eq!(
            label(ObjectType::Table, "grants.reporting"),
            "GRANT ... TO reporting"
        );
        assert_eq!(
            label(ObjectType::Index, "options.vector.dimensions"),
            "OPTIONS `vector.dimensions`"
        );
        assert_eq!(
            label(ObjectType::Publication, "tables.care.visits.row_filter"),
            "TABLE care.visits WHERE"
        );
        assert_eq!(
            label(ObjectType::Publication, "tables.care.visits"),
            "TABLE care.visits"
        );
        // No SQL words: the field's name, as words.
        assert_eq!(label(ObjectType::Table, "column_order"), "column order");
    }

    #[test]
    fn a_foreign_key_change_is_shown_once() {
        let f = |field: &str, e, a| FieldChange {
            field: field.into(),
            expected: json!(e),
            actual: json!(a),
        };
        let fields = vec![
            f(
                "definition",
                "FOREIGN KEY (o) REFERENCES t(id) ON DELETE CASCADE",
                "FOREIGN KEY (o) REFERENCES t(id)",
            ),
            f("foreign_key.on_delete", "cascade", "no action"),
        ];
        let names: Vec<&str> = shown(&fields).map(|f| f.field.as_str()).collect();
        assert_eq!(names, ["foreign_key.on_delete"]);
        // A check constraint's definition is all there is to show.
        let check = vec![f("definition", "CHECK (a > 0)", "CHECK (a > 1)")];
        assert_eq!(shown(&check).count(), 1);
    }
}
