//! Rows of `SHOW CONSTRAINTS YIELD *` and `SHOW INDEXES YIELD *` -> the model.
//!
//! Pure functions over column -> JSON maps, so that what Neo4j 4.4, 5.x and
//! 2025.x return can be tested without a server. Columns differ between
//! versions; a column that is missing is treated as absent, never as an
//! error:
//!
//! | column | 4.4 | 5.x, and Cypher 5 on 2025.x+ | Cypher 25 (2025.06+) |
//! | --- | --- | --- | --- |
//! | constraints `ownedIndexId` | yes | - | - |
//! | constraints `ownedIndex`, `propertyType` | - | yes | yes |
//! | constraints `enforcedLabel`, `classification` | - | - | yes |
//! | indexes `uniqueness` | yes | - | - |
//! | indexes `owningConstraint` | - | yes | yes |
//! | `options.indexProvider` | yes | yes | - (the `indexProvider` column stays) |
//!
//! Which language a server answers in is its database's default (Neo4j
//! 2026.08 still defaults to Cypher 5; `db.query.default_language` changes
//! it), and Cypher 25 renames the uniqueness types: `UNIQUENESS` and
//! `RELATIONSHIP_UNIQUENESS` become `NODE_PROPERTY_UNIQUENESS` and
//! `RELATIONSHIP_PROPERTY_UNIQUENESS` (seen on Neo4j 2026.08.1).
//!
//! An index backs a constraint when `owningConstraint` names one (5.x), when
//! its id is a constraint's `ownedIndexId` or its name a constraint's
//! `ownedIndex`, or when 4.4 calls it `UNIQUE`. Its provider and
//! configuration are recorded on the constraint (unless the constraint's own
//! `options` give them) and it is not listed among the indexes.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::Row;
use crate::model::neo4j::{
    normalize_option, normalize_property_type, ConstraintKind, EntityType, IndexKind,
    Neo4jConstraint, Neo4jIndex, Neo4jSchema,
};

/// The server version from `CALL dbms.components()` rows, e.g.
/// `Neo4j 5.26.0 (enterprise)`.
pub fn server_version(rows: &[Row]) -> Option<String> {
    let row = rows
        .iter()
        .find(|r| str_col(r, "name").is_some_and(|n| n.contains("Kernel")))
        .or_else(|| rows.first())?;
    let name = str_col(row, "name").unwrap_or("Neo4j");
    let name = if name == "Neo4j Kernel" {
        "Neo4j"
    } else {
        name
    };
    let version = match row.get("versions").or_else(|| row.get("version")) {
        Some(Value::Array(v)) => v
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join(", "),
        Some(Value::String(s)) => s.clone(),
        _ => String::new(),
    };
    let mut s = name.to_string();
    if !version.is_empty() {
        s.push(' ');
        s.push_str(&version);
    }
    if let Some(ed) = str_col(row, "edition").filter(|e| !e.is_empty()) {
        s.push_str(&format!(" ({ed})"));
    }
    Some(s)
}

/// Decode both result sets into a schema. An error names the object and what
/// about it could not be understood.
pub fn decode(constraint_rows: &[Row], index_rows: &[Row]) -> Result<Neo4jSchema, String> {
    // What each constraint says about its backing index.
    let mut owned_ids: BTreeMap<i64, String> = BTreeMap::new();
    let mut owned_names: BTreeMap<String, String> = BTreeMap::new();
    let mut constraint_names: BTreeSet<String> = BTreeSet::new();
    for r in constraint_rows {
        let name = str_col(r, "name").unwrap_or_default().to_string();
        if let Some(id) = r.get("ownedIndexId").and_then(Value::as_i64) {
            owned_ids.insert(id, name.clone());
        }
        if let Some(n) = str_col(r, "ownedIndex") {
            owned_names.insert(n.to_string(), name.clone());
        }
        constraint_names.insert(name);
    }

    // Indexes: split off the backing ones, keyed by the constraint they back.
    let mut backing: BTreeMap<String, (Option<String>, BTreeMap<String, Value>)> = BTreeMap::new();
    let mut schema = Neo4jSchema::default();
    for r in index_rows {
        let name = str_col(r, "name").map(str::to_string);
        let owner = str_col(r, "owningConstraint")
            .map(str::to_string)
            .or_else(|| {
                r.get("id")
                    .and_then(Value::as_i64)
                    .and_then(|id| owned_ids.get(&id).cloned())
            })
            .or_else(|| name.as_ref().and_then(|n| owned_names.get(n).cloned()))
            .or_else(|| {
                // 4.4 without ownedIndexId (4.2/4.3 VERBOSE): a UNIQUE index
                // is named after its constraint.
                (str_col(r, "uniqueness") == Some("UNIQUE"))
                    .then(|| name.clone().unwrap_or_default())
            });
        let (provider, options) = index_options(r);
        if let Some(owner) = owner {
            backing.insert(owner, (provider, options));
            continue;
        }
        let what = || format!("index `{}`", name.as_deref().unwrap_or("?"));
        let type_name = str_col(r, "type").ok_or_else(|| format!("{} has no type", what()))?;
        let kind = IndexKind::parse(type_name).ok_or_else(|| {
            format!(
                "{} has type `{type_name}`, which schemadrift does not know",
                what()
            )
        })?;
        let entity_type = entity(r).map_err(|e| format!("{}: {e}", what()))?;
        let (labels_or_types, properties) = if kind == IndexKind::Lookup {
            (vec![], vec![])
        } else {
            (str_list(r, "labelsOrTypes"), str_list(r, "properties"))
        };
        schema.insert_index(Neo4jIndex {
            name,
            kind,
            entity_type,
            labels_or_types,
            properties,
            provider,
            options,
        });
    }

    for r in constraint_rows {
        let name = str_col(r, "name").map(str::to_string);
        let what = || format!("constraint `{}`", name.as_deref().unwrap_or("?"));
        let type_name = str_col(r, "type").ok_or_else(|| format!("{} has no type", what()))?;
        let kind = constraint_kind(type_name).ok_or_else(|| {
            format!(
                "{} has type `{type_name}`, which schemadrift does not know",
                what()
            )
        })?;
        let entity_type = match entity(r) {
            Ok(e) => e,
            // Older servers leave entityType out; the type name says it.
            Err(_) if type_name.starts_with("RELATIONSHIP") => EntityType::Relationship,
            Err(_) => EntityType::Node,
        };
        let (mut index_provider, mut options) = index_options(r);
        if let Some((p, o)) = name.as_ref().and_then(|n| backing.get(n)) {
            if index_provider.is_none() {
                index_provider = p.clone();
            }
            if options.is_empty() {
                options = o.clone();
            }
        }
        let property_type = str_col(r, "propertyType").map(normalize_property_type);
        if kind == ConstraintKind::PropertyType && property_type.is_none() {
            return Err(format!(
                "{} is a property type constraint without a propertyType",
                what()
            ));
        }
        schema.insert_constraint(Neo4jConstraint {
            name,
            kind,
            entity_type,
            labels_or_types: str_list(r, "labelsOrTypes"),
            properties: str_list(r, "properties"),
            property_type,
            enforced_label: str_col(r, "enforcedLabel").map(str::to_string),
            index_provider,
            options,
        });
    }
    Ok(schema)
}

/// Neo4j's constraint `type` column -> our kind.
pub fn constraint_kind(t: &str) -> Option<ConstraintKind> {
    Some(match t.to_ascii_uppercase().as_str() {
        "UNIQUENESS"
        | "RELATIONSHIP_UNIQUENESS"
        | "NODE_PROPERTY_UNIQUENESS"
        | "RELATIONSHIP_PROPERTY_UNIQUENESS" => ConstraintKind::Unique,
        "NODE_KEY" | "RELATIONSHIP_KEY" => ConstraintKind::Key,
        "NODE_PROPERTY_EXISTENCE" | "RELATIONSHIP_PROPERTY_EXISTENCE" => ConstraintKind::Exists,
        "NODE_PROPERTY_TYPE" | "RELATIONSHIP_PROPERTY_TYPE" => ConstraintKind::PropertyType,
        "NODE_LABEL_EXISTENCE" => ConstraintKind::LabelExistence,
        _ => return None,
    })
}

fn entity(r: &Row) -> Result<EntityType, String> {
    match str_col(r, "entityType")
        .map(str::to_ascii_uppercase)
        .as_deref()
    {
        Some("NODE") => Ok(EntityType::Node),
        Some("RELATIONSHIP") => Ok(EntityType::Relationship),
        Some(other) => Err(format!("unknown entityType `{other}`")),
        None => Err("no entityType".into()),
    }
}

/// The provider and flattened `indexConfig` of a row: the `indexProvider`
/// column, else `options.indexProvider`; `options.indexConfig`.
fn index_options(r: &Row) -> (Option<String>, BTreeMap<String, Value>) {
    let opts = r.get("options").and_then(Value::as_object);
    let provider = str_col(r, "indexProvider")
        .map(str::to_string)
        .or_else(|| {
            opts.and_then(|o| o.get("indexProvider"))
                .and_then(Value::as_str)
                .map(str::to_string)
        })
        .filter(|p| !p.is_empty());
    let mut config = BTreeMap::new();
    if let Some(Value::Object(cfg)) = opts.and_then(|o| o.get("indexConfig")) {
        for (k, v) in cfg {
            if !v.is_null() {
                config.insert(k.clone(), normalize_option(k, v.clone()));
            }
        }
    }
    (provider, config)
}

fn str_col<'a>(r: &'a Row, col: &str) -> Option<&'a str> {
    r.get(col).and_then(Value::as_str)
}

fn str_list(r: &Row, col: &str) -> Vec<String> {
    match r.get(col) {
        Some(Value::Array(v)) => v
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect(),
        Some(Value::String(s)) => vec![s.clone()],
        _ => vec![],
    }
}

#[cfg(test)]
mod tests;
