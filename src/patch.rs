//! The patcher: the inverse of the differ. `patch(a, diff(a, b))` is `b`.
//!
//! It applies a list of changes, as the differ reports them (in the JSON
//! report's wire form, so a change set read back from a file patches as well
//! as one just computed), to a snapshot: a missing object is removed, an
//! unexpected one added with what goes with it (the sequences it owns, the
//! partitions folded into it), a changed field set to its ACTUAL value.
//!
//! The work is done on the snapshot's JSON tree, field by field as the
//! differ names them, and the tree is read back into the model at the end,
//! so a whole chain of change sets costs one conversion each way.
//!
//! What the differ leaves out on purpose, and how it is restored:
//! - a renamed constraint, index or sequence is one `name` change: the entry
//!   moves to its new key (after its other changes, which name the old key);
//!   an owned sequence renamed also renames the `nextval(...)` of the
//!   column that owns it (the differ compares that default as "its own
//!   sequence", so it reports no default change);
//! - a constraint definition is compared without its `NO INHERIT`,
//!   `DEFERRABLE`, `INITIALLY DEFERRED` and `NOT VALID` clauses (they have
//!   their own fields): when only those fields changed, the clauses of the
//!   definition are rewritten from them, in the order PostgreSQL prints them;
//! - column and composite attribute order is compared among the names both
//!   sides have: those are permuted in place, an added one goes last (where
//!   `ADD COLUMN` and `ADD ATTRIBUTE` put it).
//!
//! Neo4j: the differ compares a name only when both sides have one, a
//! provider only when the expected side gives one and settings only for the
//! keys the expected side gives, so there `patch(a, diff(a, b))` equals `b`
//! only in what the differ compares (`diff(patch(a, diff(a, b)), b)` is
//! empty), and exactly when `a` spells those attributes out.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use crate::diff::Change;
use crate::model::neo4j::{Neo4jConstraint, Neo4jIndex, Neo4jSchema};
use crate::model::{PgSchema, Snapshot};
use crate::report::json::JsonChange;

/// A change that does not fit the snapshot it is applied to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatchError(pub String);

impl std::fmt::Display for PatchError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for PatchError {}

type Result<T> = std::result::Result<T, PatchError>;

fn err<T>(c: &JsonChange, why: &str) -> Result<T> {
    Err(PatchError(format!(
        "the change `{}` on {} `{}` cannot be applied: {why}",
        c.code, c.object_type, c.object
    )))
}

/// Apply `changes` (as `diff(snapshot, b)` reports them) to `snapshot`.
pub fn patch(snapshot: &Snapshot, changes: &[Change]) -> Result<Snapshot> {
    let wire: Vec<JsonChange> = changes.iter().map(JsonChange::from).collect();
    patch_wire(snapshot, &wire)
}

/// [`patch`] with changes in their wire form (a JSON report's `changes`, a
/// change set of an expected file).
pub fn patch_wire(snapshot: &Snapshot, changes: &[JsonChange]) -> Result<Snapshot> {
    let mut out = snapshot.clone();
    let (neo, pg): (Vec<&JsonChange>, Vec<&JsonChange>) = changes.iter().partition(|c| is_neo4j(c));
    if !pg.is_empty() {
        let mut tree = PgTree::new(out.postgres.as_ref());
        tree.apply(&pg)?;
        out.postgres = Some(tree.finish()?);
    }
    if !neo.is_empty() {
        let mut n = out.neo4j.take().unwrap_or_default();
        patch_neo4j(&mut n, &neo)?;
        out.neo4j = Some(n);
    }
    Ok(out)
}

fn is_neo4j(c: &JsonChange) -> bool {
    matches!(c.object_type.as_str(), "constraint" | "index") && c.object.starts_with("neo4j:")
}

/// A PostgreSQL schema as a JSON tree being patched; several change sets can
/// be applied in turn before it is read back.
pub struct PgTree {
    root: Map<String, Value>,
    /// Columns added by the change set being applied, by table (schema,
    /// table): their names and places.
    added: BTreeMap<(String, String), Vec<Added>>,
}

/// A column added to a table: its name and, unless last, its 1-based place.
type Added = (String, Option<usize>);

impl PgTree {
    pub fn new(pg: Option<&PgSchema>) -> PgTree {
        let root = match pg.map(serde_json::to_value) {
            Some(Ok(Value::Object(m))) => m,
            _ => Map::new(),
        };
        PgTree {
            root,
            added: BTreeMap::new(),
        }
    }

    /// Read the tree back into the model.
    pub fn finish(self) -> Result<PgSchema> {
        serde_json::from_value(Value::Object(self.root))
            .map_err(|e| PatchError(format!("the patched schema is not a valid schema: {e}")))
    }

    /// Apply one change set (PostgreSQL changes only).
    pub fn apply(&mut self, changes: &[&JsonChange]) -> Result<()> {
        let is = |c: &&&JsonChange, kind: &str| c.kind == kind;
        for c in changes.iter().filter(|c| is(c, "missing")) {
            self.remove(c)?;
        }
        for c in changes.iter().filter(|c| is(c, "unexpected")) {
            self.add(c)?;
        }
        let mut touched_constraints = BTreeSet::new();
        let mut redefined = BTreeSet::new();
        let mut renames = Vec::new();
        let mut orders = Vec::new();
        for c in changes.iter().filter(|c| is(c, "changed")) {
            match c.code.as_str() {
                "constraint-renamed" | "index-renamed" | "sequence-renamed" => renames.push(*c),
                "column-order-changed" | "composite-type-changed"
                    if c.fields.iter().any(|f| f.field.ends_with("_order")) =>
                {
                    orders.push(*c);
                    self.change(c)?;
                }
                _ => {
                    if c.object_type == "constraint" {
                        touched_constraints.insert(c.object.clone());
                        if c.fields.iter().any(|f| f.field == "definition") {
                            redefined.insert(c.object.clone());
                        }
                    }
                    self.change(c)?;
                }
            }
        }
        for c in renames {
            self.rename(c)?;
        }
        for c in orders {
            self.reorder(c)?;
        }
        for ((s, t), added) in std::mem::take(&mut self.added) {
            if added.iter().any(|(_, p)| p.is_some()) {
                let cols = arr_entry(self.parent_mut(&s, "tables", &t), "columns");
                arrange(cols, None, &added);
            }
        }
        for object in touched_constraints.difference(&redefined) {
            self.redo_clauses(object);
        }
        self.prune_labels();
        Ok(())
    }

    fn schemas(&mut self) -> &mut Map<String, Value> {
        obj_entry(&mut self.root, "schemas")
    }

    /// The labels by provider of `target`, in the database's labels or a
    /// schema's, wherever the tree has them.
    fn labels_holding(&mut self, target: &str) -> Option<&mut Map<String, Value>> {
        let holds = |v: &Value| {
            v.get("security_labels")
                .and_then(|m| m.get(target))
                .is_some()
        };
        let at_root = self.root.get("security_labels").and_then(|m| m.get(target));
        let holder = if at_root.is_some() {
            &mut self.root
        } else {
            let schemas = self.root.get("schemas").and_then(Value::as_object)?;
            let s = schemas.iter().find(|(_, v)| holds(v))?.0.clone();
            obj_entry(self.schemas(), &s)
        };
        holder
            .get_mut("security_labels")?
            .get_mut(target)?
            .as_object_mut()
    }

    /// Objects left with no label are left out, as a snapshot leaves them.
    fn prune_labels(&mut self) {
        let prune = |m: &mut Map<String, Value>| {
            if let Some(Value::Object(labels)) = m.get_mut("security_labels") {
                labels.retain(|_, by| by.as_object().is_none_or(|b| !b.is_empty()));
            }
        };
        prune(&mut self.root);
        if let Some(Value::Object(schemas)) = self.root.get_mut("schemas") {
            for s in schemas.values_mut().filter_map(Value::as_object_mut) {
                prune(s);
            }
        }
    }

    /// The schema names `object` may start with, longest first.
    fn schema_candidates(&self, object: &str) -> Vec<(String, String)> {
        let mut v: Vec<(String, String)> = self
            .root
            .get("schemas")
            .and_then(Value::as_object)
            .into_iter()
            .flat_map(|m| m.keys())
            .filter_map(|s| {
                object
                    .strip_prefix(s.as_str())
                    .and_then(|r| r.strip_prefix('.'))
                    .map(|r| (s.clone(), r.to_string()))
            })
            .collect();
        v.sort_by_key(|(s, _)| std::cmp::Reverse(s.len()));
        v
    }

    /// The schema an object of a schema-level kind belongs to, and its name.
    fn schema_level(&self, c: &JsonChange) -> Result<(String, String)> {
        match self.schema_candidates(&c.object).into_iter().next() {
            Some(x) => Ok(x),
            None => err(c, "its schema is not in the snapshot"),
        }
    }

    /// A user mapping's server and role, from its object `<server>.<role>`
    /// split where the server is in the snapshot.
    fn mapping_of(&self, c: &JsonChange) -> Result<(String, String)> {
        let servers = self.root.get("foreign_servers").and_then(Value::as_object);
        let o = &c.object;
        match o
            .match_indices('.')
            .map(|(i, _)| (&o[..i], &o[i + 1..]))
            .find(|(s, _)| servers.is_some_and(|m| m.contains_key(*s)))
        {
            Some((s, who)) => Ok((s.to_string(), who.to_string())),
            None => err(c, "its server is not in the snapshot"),
        }
    }

    /// The parent relation (`container` maps, tried in order) and child name
    /// of a two-level object such as `schema.table.column`.
    fn child_of(
        &self,
        c: &JsonChange,
        containers: &[&str],
    ) -> Result<(String, String, String, String)> {
        for (s, rest) in self.schema_candidates(&c.object) {
            let schema = &self.root["schemas"][&s];
            for (i, _) in rest.match_indices('.') {
                let (parent, child) = (&rest[..i], &rest[i + 1..]);
                for kind in containers {
                    if schema.get(*kind).and_then(|m| m.get(parent)).is_some() {
                        return Ok((s, kind.to_string(), parent.to_string(), child.to_string()));
                    }
                }
            }
        }
        err(c, "its parent is not in the snapshot")
    }

    fn parent_mut(&mut self, s: &str, kind: &str, parent: &str) -> &mut Map<String, Value> {
        let schema = obj_entry(self.schemas(), s);
        obj_entry(obj_entry(schema, kind), parent)
    }

    // ---- missing ------------------------------------------------------------

    fn remove(&mut self, c: &JsonChange) -> Result<()> {
        match c.object_type.as_str() {
            "schema" => {
                if self.schemas().remove(&c.object).is_none() {
                    return err(c, "no such schema");
                }
            }
            "extension" => {
                if obj_entry(&mut self.root, "extensions")
                    .remove(&c.object)
                    .is_none()
                {
                    return err(c, "no such extension");
                }
            }
            "cast" => {
                if obj_entry(&mut self.root, "casts")
                    .remove(&c.object)
                    .is_none()
                {
                    return err(c, "no such cast");
                }
            }
            "default_privileges" => {
                if obj_entry(&mut self.root, "default_privileges")
                    .remove(&c.object)
                    .is_none()
                {
                    return err(c, "no such default privileges");
                }
            }
            "foreign_data_wrapper" => {
                if obj_entry(&mut self.root, "foreign_data_wrappers")
                    .remove(&c.object)
                    .is_none()
                {
                    return err(c, "no such foreign-data wrapper");
                }
            }
            "foreign_server" => {
                if obj_entry(&mut self.root, "foreign_servers")
                    .remove(&c.object)
                    .is_none()
                {
                    return err(c, "no such server");
                }
            }
            "user_mapping" => {
                let (sn, who) = self.mapping_of(c)?;
                let server = obj_entry(&mut self.root, "foreign_servers");
                if obj_entry(obj_entry(server, &sn), "user_mappings")
                    .remove(&who)
                    .is_none()
                {
                    return err(c, "no such user mapping");
                }
            }
            "event_trigger" => {
                if obj_entry(&mut self.root, "event_triggers")
                    .remove(&c.object)
                    .is_none()
                {
                    return err(c, "no such event trigger");
                }
            }
            "subscription" => {
                if obj_entry(&mut self.root, "subscriptions")
                    .remove(&c.object)
                    .is_none()
                {
                    return err(c, "no such subscription");
                }
            }
            "access_method" => {
                if obj_entry(&mut self.root, "access_methods")
                    .remove(&c.object)
                    .is_none()
                {
                    return err(c, "no such access method");
                }
            }
            "security_label" => {
                let (target, provider) = label_of(c)?;
                let Some(by) = self.labels_holding(target) else {
                    return err(c, "no such security label");
                };
                if by.remove(provider).is_none() {
                    return err(c, "no such security label");
                }
            }
            "language" => {
                if obj_entry(&mut self.root, "languages")
                    .remove(&c.object)
                    .is_none()
                {
                    return err(c, "no such language");
                }
            }
            "transform" => {
                if obj_entry(&mut self.root, "transforms")
                    .remove(&c.object)
                    .is_none()
                {
                    return err(c, "no such transform");
                }
            }
            "publication" => {
                if obj_entry(&mut self.root, "publications")
                    .remove(&c.object)
                    .is_none()
                {
                    return err(c, "no such publication");
                }
            }
            "table" | "foreign_table" => {
                let (s, n) = self.schema_level(c)?;
                self.remove_table(c, &s, &n)?;
                if let Some(d) = &c.definition {
                    self.remove_extras(c, d)?;
                }
            }
            "column" => {
                let (s, kind, t, col) = self.child_of(c, &["tables"])?;
                let cols = arr_entry(self.parent_mut(&s, &kind, &t), "columns");
                let before = cols.len();
                cols.retain(|x| x.get("name").and_then(Value::as_str) != Some(col.as_str()));
                if cols.len() == before {
                    return err(c, "no such column");
                }
                if let Some(d) = &c.definition {
                    self.remove_extras(c, d)?;
                }
            }
            _ => {
                let (map, s, parent, name) = self.locate(c)?;
                let m = self.map_at(&map, &s, parent.as_ref());
                if m.remove(&name).is_none() {
                    return err(c, "no such object");
                }
            }
        }
        Ok(())
    }

    fn remove_table(&mut self, c: &JsonChange, s: &str, n: &str) -> Result<()> {
        let tables = obj_entry(obj_entry(self.schemas(), s), "tables");
        if tables.remove(n).is_none() {
            return err(c, "no such table");
        }
        Ok(())
    }

    /// Remove the owned sequences and folded partitions a table or column
    /// definition carries.
    fn remove_extras(&mut self, c: &JsonChange, d: &Value) -> Result<()> {
        for q in d
            .get("owned_sequences")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            let (s, n) = self.split_qualified(c, q.0)?;
            obj_entry(obj_entry(self.schemas(), &s), "sequences").remove(&n);
        }
        for (q, part) in d
            .get("partitions")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            let (s, n) = self.split_qualified(c, q)?;
            self.remove_table(c, &s, &n)?;
            self.remove_extras(c, part)?;
        }
        Ok(())
    }

    fn split_qualified(&self, c: &JsonChange, q: &str) -> Result<(String, String)> {
        match self.schema_candidates(q).into_iter().next() {
            Some(x) => Ok(x),
            None => err(c, &format!("the schema of `{q}` is not in the snapshot")),
        }
    }

    // ---- unexpected ---------------------------------------------------------

    fn add(&mut self, c: &JsonChange) -> Result<()> {
        let Some(def) = c.definition.clone() else {
            return err(c, "it carries no definition");
        };
        match c.object_type.as_str() {
            "schema" => {
                self.schemas().insert(c.object.clone(), def);
            }
            "extension" => {
                obj_entry(&mut self.root, "extensions").insert(c.object.clone(), def);
            }
            "publication" => {
                obj_entry(&mut self.root, "publications").insert(c.object.clone(), def);
            }
            "event_trigger" => {
                obj_entry(&mut self.root, "event_triggers").insert(c.object.clone(), def);
            }
            "subscription" => {
                obj_entry(&mut self.root, "subscriptions").insert(c.object.clone(), def);
            }
            "access_method" => {
                obj_entry(&mut self.root, "access_methods").insert(c.object.clone(), def);
            }
            "security_label" => {
                let (target, provider) = label_of(c)?;
                let (Some(label), schema) = (
                    def.get("label").cloned(),
                    def.get("schema").and_then(Value::as_str),
                ) else {
                    return err(c, "its definition has no label");
                };
                let labels = match schema {
                    Some(s) => obj_entry(obj_entry(self.schemas(), s), "security_labels"),
                    None => obj_entry(&mut self.root, "security_labels"),
                };
                obj_entry(labels, target).insert(provider.to_string(), label);
            }
            "language" => {
                obj_entry(&mut self.root, "languages").insert(c.object.clone(), def);
            }
            "transform" => {
                obj_entry(&mut self.root, "transforms").insert(c.object.clone(), def);
            }
            "cast" => {
                obj_entry(&mut self.root, "casts").insert(c.object.clone(), def);
            }
            "default_privileges" => {
                obj_entry(&mut self.root, "default_privileges").insert(c.object.clone(), def);
            }
            "foreign_data_wrapper" => {
                obj_entry(&mut self.root, "foreign_data_wrappers").insert(c.object.clone(), def);
            }
            "foreign_server" => {
                obj_entry(&mut self.root, "foreign_servers").insert(c.object.clone(), def);
            }
            "user_mapping" => {
                let (sn, who) = self.mapping_of(c)?;
                let server = obj_entry(&mut self.root, "foreign_servers");
                obj_entry(obj_entry(server, &sn), "user_mappings").insert(who, def);
            }
            "table" | "foreign_table" => {
                let (s, n) = self.schema_level(c)?;
                self.add_table(c, &s, &n, def)?;
            }
            "column" => {
                let (s, kind, t, name) = self.child_of(c, &["tables"])?;
                let (mut column, extras) = take_extras(def);
                let position = column
                    .as_object_mut()
                    .and_then(|m| m.remove("position"))
                    .and_then(|p| p.as_u64())
                    .map(|p| p as usize);
                arr_entry(self.parent_mut(&s, &kind, &t), "columns").push(column);
                self.added.entry((s, t)).or_default().push((name, position));
                self.add_extras(c, extras)?;
            }
            _ => {
                let (map, s, parent, name) = self.locate(c)?;
                self.map_at(&map, &s, parent.as_ref()).insert(name, def);
            }
        }
        Ok(())
    }

    fn add_table(&mut self, c: &JsonChange, s: &str, n: &str, def: Value) -> Result<()> {
        let (table, extras) = take_extras(def);
        obj_entry(obj_entry(self.schemas(), s), "tables").insert(n.to_string(), table);
        self.add_extras(c, extras)
    }

    fn add_extras(&mut self, c: &JsonChange, extras: Extras) -> Result<()> {
        for (q, seq) in extras.owned_sequences {
            let (s, n) = self.split_qualified(c, &q)?;
            obj_entry(obj_entry(self.schemas(), &s), "sequences").insert(n, seq);
        }
        for (q, part) in extras.partitions {
            let (s, n) = self.split_qualified(c, &q)?;
            self.add_table(c, &s, &n, part)?;
        }
        Ok(())
    }

    // ---- where an object lives ---------------------------------------------

    /// The map holding a keyed object: (map name, schema, parent, key).
    /// `parent` is `Some((kind, name))` for an object inside a relation or
    /// domain.
    #[allow(clippy::type_complexity)]
    fn locate(&self, c: &JsonChange) -> Result<(String, String, Option<(String, String)>, String)> {
        let schema_map = match c.object_type.as_str() {
            "view" => Some("views"),
            "materialized_view" => Some("materialized_views"),
            "sequence" => Some("sequences"),
            "function" => Some("functions"),
            "enum" => Some("enums"),
            "domain" => Some("domains"),
            "composite_type" => Some("composite_types"),
            "range_type" => Some("range_types"),
            "base_type" => Some("base_types"),
            "shell_type" => Some("shell_types"),
            "collation" => Some("collations"),
            "operator" => Some("operators"),
            "text_search_configuration" => Some("text_search_configurations"),
            "text_search_dictionary" => Some("text_search_dictionaries"),
            "text_search_parser" => Some("text_search_parsers"),
            "text_search_template" => Some("text_search_templates"),
            "operator_family" => Some("operator_families"),
            "operator_class" => Some("operator_classes"),
            "conversion" => Some("conversions"),
            _ => None,
        };
        if let Some(m) = schema_map {
            let (s, n) = self.schema_level(c)?;
            return Ok((m.to_string(), s, None, n));
        }
        let (containers, map): (&[&str], &str) = match c.object_type.as_str() {
            "constraint" => (&["tables", "domains"], "constraints"),
            "index" => (&["tables", "materialized_views"], "indexes"),
            "trigger" => (&["tables", "views"], "triggers"),
            "rule" => (&["tables", "views"], "rules"),
            "statistics" => (&["tables", "materialized_views"], "statistics"),
            "policy" => (&["tables"], "policies"),
            _ => return err(c, "no object of this type is kept in a map"),
        };
        let (s, kind, parent, name) = self.child_of(c, containers)?;
        Ok((map.to_string(), s, Some((kind, parent)), name))
    }

    fn map_at(
        &mut self,
        map: &str,
        s: &str,
        parent: Option<&(String, String)>,
    ) -> &mut Map<String, Value> {
        let schema = obj_entry(self.schemas(), s);
        match parent {
            None => obj_entry(schema, map),
            Some((kind, p)) => obj_entry(obj_entry(obj_entry(schema, kind), p), map),
        }
    }

    /// The JSON object a changed object is (a column is an element of its
    /// table's `columns`).
    fn object_mut(&mut self, c: &JsonChange) -> Result<&mut Map<String, Value>> {
        match c.object_type.as_str() {
            "schema" => match self
                .schemas()
                .get_mut(&c.object)
                .and_then(Value::as_object_mut)
            {
                Some(m) => Ok(m),
                None => err(c, "no such schema"),
            },
            "extension" => match obj_entry(&mut self.root, "extensions")
                .get_mut(&c.object)
                .and_then(Value::as_object_mut)
            {
                Some(m) => Ok(m),
                None => err(c, "no such extension"),
            },
            "cast" => match obj_entry(&mut self.root, "casts")
                .get_mut(&c.object)
                .and_then(Value::as_object_mut)
            {
                Some(m) => Ok(m),
                None => err(c, "no such cast"),
            },
            "default_privileges" => match obj_entry(&mut self.root, "default_privileges")
                .get_mut(&c.object)
                .and_then(Value::as_object_mut)
            {
                Some(m) => Ok(m),
                None => err(c, "no such default privileges"),
            },
            "foreign_data_wrapper" => match obj_entry(&mut self.root, "foreign_data_wrappers")
                .get_mut(&c.object)
                .and_then(Value::as_object_mut)
            {
                Some(m) => Ok(m),
                None => err(c, "no such foreign-data wrapper"),
            },
            "foreign_server" => match obj_entry(&mut self.root, "foreign_servers")
                .get_mut(&c.object)
                .and_then(Value::as_object_mut)
            {
                Some(m) => Ok(m),
                None => err(c, "no such server"),
            },
            "user_mapping" => {
                let (sn, who) = self.mapping_of(c)?;
                let server = obj_entry(&mut self.root, "foreign_servers");
                match obj_entry(obj_entry(server, &sn), "user_mappings")
                    .get_mut(&who)
                    .and_then(Value::as_object_mut)
                {
                    Some(m) => Ok(m),
                    None => err(c, "no such user mapping"),
                }
            }
            "event_trigger" => match obj_entry(&mut self.root, "event_triggers")
                .get_mut(&c.object)
                .and_then(Value::as_object_mut)
            {
                Some(m) => Ok(m),
                None => err(c, "no such event trigger"),
            },
            "subscription" => match obj_entry(&mut self.root, "subscriptions")
                .get_mut(&c.object)
                .and_then(Value::as_object_mut)
            {
                Some(m) => Ok(m),
                None => err(c, "no such subscription"),
            },
            "access_method" => match obj_entry(&mut self.root, "access_methods")
                .get_mut(&c.object)
                .and_then(Value::as_object_mut)
            {
                Some(m) => Ok(m),
                None => err(c, "no such access method"),
            },
            "language" => match obj_entry(&mut self.root, "languages")
                .get_mut(&c.object)
                .and_then(Value::as_object_mut)
            {
                Some(m) => Ok(m),
                None => err(c, "no such language"),
            },
            "transform" => match obj_entry(&mut self.root, "transforms")
                .get_mut(&c.object)
                .and_then(Value::as_object_mut)
            {
                Some(m) => Ok(m),
                None => err(c, "no such transform"),
            },
            "publication" => match obj_entry(&mut self.root, "publications")
                .get_mut(&c.object)
                .and_then(Value::as_object_mut)
            {
                Some(m) => Ok(m),
                None => err(c, "no such publication"),
            },
            "table" | "foreign_table" => {
                let (s, n) = self.schema_level(c)?;
                match obj_entry(obj_entry(self.schemas(), &s), "tables")
                    .get_mut(&n)
                    .and_then(Value::as_object_mut)
                {
                    Some(m) => Ok(m),
                    None => err(c, "no such table"),
                }
            }
            "column" => {
                let (s, kind, t, col) = self.child_of(c, &["tables"])?;
                let cols = arr_entry(self.parent_mut(&s, &kind, &t), "columns");
                match cols
                    .iter_mut()
                    .find(|x| x.get("name").and_then(Value::as_str) == Some(col.as_str()))
                    .and_then(Value::as_object_mut)
                {
                    Some(m) => Ok(m),
                    None => err(c, "no such column"),
                }
            }
            _ => {
                let (map, s, parent, name) = self.locate(c)?;
                match self
                    .map_at(&map, &s, parent.as_ref())
                    .get_mut(&name)
                    .and_then(Value::as_object_mut)
                {
                    Some(m) => Ok(m),
                    None => err(c, "no such object"),
                }
            }
        }
    }

    // ---- changed ------------------------------------------------------------

    fn change(&mut self, c: &JsonChange) -> Result<()> {
        // A view's column has a comment and grants; a materialized view's
        // has settings too.
        if c.object_type == "column" && self.child_of(c, &["tables"]).is_err() {
            let (s, kind, v, col) = self.child_of(c, &["views", "materialized_views"])?;
            let view = self.parent_mut(&s, &kind, &v);
            for f in &c.fields {
                let setting =
                    ["storage", "compression", "statistics", "options"].contains(&f.field.as_str());
                let grantee = f
                    .field
                    .strip_prefix("grants.")
                    .filter(|_| c.code == "privileges-changed");
                if let Some(who) = grantee {
                    let all = obj_entry(view, "column_grants");
                    let one = obj_entry(all, &col);
                    set_or_remove(one, who, f.actual.clone());
                    if one.is_empty() {
                        all.remove(&col);
                    }
                    if all.is_empty() {
                        view.remove("column_grants");
                    }
                } else if f.field == "comment" {
                    set_or_remove(obj_entry(view, "column_comments"), &col, f.actual.clone());
                } else if setting && kind == "materialized_views" {
                    let all = obj_entry(view, "column_settings");
                    let one = obj_entry(all, &col);
                    let empty = f.actual.as_array().is_some_and(Vec::is_empty);
                    let v = if empty { Value::Null } else { f.actual.clone() };
                    set_or_remove(one, &f.field, v);
                    // The type alone is no setting (a patched one has none).
                    if one.keys().all(|k| k == "type") {
                        all.remove(&col);
                    } else if !one.contains_key("type") {
                        one.insert("type".into(), Value::String(String::new()));
                    }
                    if all.is_empty() {
                        view.remove("column_settings");
                    }
                } else {
                    return err(c, &format!("a view's column has no field `{}`", f.field));
                }
            }
            if obj_entry(view, "column_comments").is_empty() {
                view.remove("column_comments");
            }
            return Ok(());
        }
        // A domain's check constraint is its definition text.
        if c.object_type == "constraint" && self.child_of(c, &["tables"]).is_err() {
            let (s, kind, d, name) = self.child_of(c, &["domains"])?;
            let cons = obj_entry(self.parent_mut(&s, &kind, &d), "constraints");
            for f in &c.fields {
                if f.field != "definition" {
                    return err(
                        c,
                        &format!("a domain constraint has no field `{}`", f.field),
                    );
                }
                set_or_remove(cons, &name, f.actual.clone());
            }
            return Ok(());
        }
        if c.code == "foreign-table-changed" {
            return self.foreign_table(c);
        }
        if c.object_type == "security_label" {
            let (target, provider) = label_of(c)?;
            let Some(by) = self.labels_holding(target) else {
                return err(c, "no such security label");
            };
            for f in &c.fields {
                if f.field != "label" {
                    return err(c, &format!("a security label has no field `{}`", f.field));
                }
                set_or_remove(by, provider, f.actual.clone());
            }
            return Ok(());
        }
        let privileges = c.code == "privileges-changed";
        let column = c.object_type == "column";
        let default_privileges = c.object_type == "default_privileges";
        let obj = self.object_mut(c)?;
        for f in &c.fields {
            let actual = f.actual.clone();
            if default_privileges {
                // Grants by grantee, whose name may hold a dot.
                let Some(who) = f.field.strip_prefix("grants.") else {
                    return err(
                        c,
                        &format!("default privileges have no field `{}`", f.field),
                    );
                };
                set_or_remove(obj_entry(obj, "grants"), who, actual);
                continue;
            }
            if privileges && column {
                // A column has grants and no owner.
                let Some(who) = f.field.strip_prefix("grants.") else {
                    return err(c, &format!("a column has no field `{}`", f.field));
                };
                let g = obj_entry(obj, "grants");
                set_or_remove(g, who, actual);
                if g.is_empty() {
                    obj.remove("grants");
                }
                continue;
            }
            if privileges {
                let p = obj_entry(obj, "privileges");
                match f.field.strip_prefix("grants.") {
                    Some(who) => set_or_remove(obj_entry(p, "grants"), who, actual),
                    None => set_or_remove(p, &f.field, actual),
                }
                if p.is_empty() {
                    obj.remove("privileges");
                }
                continue;
            }
            if let Some(k) = f.field.strip_prefix("options.") {
                set_or_remove(obj_entry(obj, "options"), k, actual);
                continue;
            }
            // A publication's table (its name holds a dot), or one of its
            // attributes.
            if let (true, Some(t)) = (
                c.object_type == "publication",
                f.field.strip_prefix("tables."),
            ) {
                let tables = obj_entry(obj, "tables");
                match t.rsplit_once('.') {
                    Some((t, attr @ ("columns" | "row_filter"))) => {
                        set_or_remove(obj_entry(tables, t), attr, actual);
                    }
                    _ => set_or_remove(tables, t, actual),
                }
                continue;
            }
            if let Some(name) = f.field.strip_prefix("attributes.") {
                let attrs = arr_entry(obj, "attributes");
                let pos = attrs
                    .iter()
                    .position(|a| a.get("name").and_then(Value::as_str) == Some(name));
                match (pos, actual) {
                    (Some(i), Value::Null) => {
                        attrs.remove(i);
                    }
                    (pos, Value::Object(mut m)) => {
                        m.retain(|_, v| !v.is_null());
                        let mut a = Map::new();
                        a.insert("name".into(), Value::String(name.to_string()));
                        a.extend(m);
                        match pos {
                            Some(i) => attrs[i] = Value::Object(a),
                            None => attrs.push(Value::Object(a)),
                        }
                    }
                    (None, Value::Null) => {}
                    _ => return err(c, "an attribute is an object or null"),
                }
                continue;
            }
            if f.field.ends_with("_order") {
                continue; // after the additions and renames: see `reorder`
            }
            set_path(obj, &f.field, actual);
        }
        Ok(())
    }

    /// A foreign table's part: `foreign` whole (a table foreign on one
    /// side only), or its `server`, `options.<name>` and
    /// `columns.<column>.options.<name>`.
    fn foreign_table(&mut self, c: &JsonChange) -> Result<()> {
        let obj = self.object_mut(c)?;
        for f in &c.fields {
            let actual = f.actual.clone();
            if f.field == "foreign" {
                set_or_remove(obj, "foreign", actual);
                continue;
            }
            let ft = obj_entry(obj, "foreign");
            if f.field == "server" {
                set_or_remove(ft, "server", actual);
            } else if let Some(k) = f.field.strip_prefix("options.") {
                set_or_remove(obj_entry(ft, "options"), k, actual);
            } else if let Some((col, k)) = f
                .field
                .strip_prefix("columns.")
                .and_then(|x| x.rsplit_once(".options."))
            {
                let all = obj_entry(ft, "column_options");
                let one = obj_entry(all, col);
                set_or_remove(one, k, actual);
                if one.is_empty() {
                    all.remove(col);
                }
            } else {
                return err(c, &format!("a foreign table has no field `{}`", f.field));
            }
        }
        if let Some(ft) = obj.get_mut("foreign").and_then(Value::as_object_mut) {
            for k in ["options", "column_options"] {
                if ft
                    .get(k)
                    .and_then(Value::as_object)
                    .is_some_and(Map::is_empty)
                {
                    ft.remove(k);
                }
            }
        }
        Ok(())
    }

    fn rename(&mut self, c: &JsonChange) -> Result<()> {
        let Some(f) = c.fields.iter().find(|f| f.field == "name") else {
            return err(c, "a rename without a `name` field");
        };
        let (Some(from), Some(to)) = (f.expected.as_str(), f.actual.as_str()) else {
            return err(c, "a name is a string");
        };
        let domain_constraint =
            c.object_type == "constraint" && self.child_of(c, &["tables"]).is_err();
        let (map, s, parent, _) = if domain_constraint {
            let (s, kind, d, n) = self.child_of(c, &["domains"])?;
            ("constraints".to_string(), s, Some((kind, d)), n)
        } else {
            self.locate(c)?
        };
        let m = self.map_at(&map, &s, parent.as_ref());
        let Some(v) = m.remove(from) else {
            return err(c, "no such object");
        };
        let owner = v
            .get("owned_by")
            .and_then(Value::as_str)
            .map(str::to_string);
        m.insert(to.to_string(), v);
        if let (true, Some(owner)) = (c.object_type == "sequence", owner) {
            self.rename_nextval(&owner, &s, from, to);
        }
        Ok(())
    }

    /// The owner column's `nextval('old'::regclass)` follows its sequence's new name.
    fn rename_nextval(&mut self, owner: &str, s: &str, from: &str, to: &str) {
        let probe = JsonChange {
            code: String::new(),
            kind: String::new(),
            object_type: "column".into(),
            object: owner.to_string(),
            severity: String::new(),
            fields: Vec::new(),
            definition: None,
            sql: None,
            migration: None,
        };
        let Ok(col) = self.object_mut(&probe) else {
            return;
        };
        let nextval = |n: &str| {
            let q = format!(
                "{}.{}",
                crate::ddl::postgres::quote::ident(s, u32::MAX),
                crate::ddl::postgres::quote::ident(n, u32::MAX)
            );
            format!("nextval('{}'::regclass)", q.replace('\'', "''"))
        };
        if col.get("default").and_then(Value::as_str) == Some(nextval(from).as_str()) {
            col.insert("default".into(), Value::String(nextval(to)));
        }
    }

    /// Put the names both sides have in ACTUAL's order, in the slots they
    /// hold; the others stay where they are.
    fn reorder(&mut self, c: &JsonChange) -> Result<()> {
        for f in &c.fields {
            let list = match f.field.as_str() {
                "column_order" => "columns",
                "attribute_order" => "attributes",
                _ => continue,
            };
            let Some(order) = f.actual.as_array() else {
                return err(c, "an order is a list of names");
            };
            let order: Vec<&str> = order.iter().filter_map(Value::as_str).collect();
            if list == "columns" {
                let (s, t) = self.schema_level(c)?;
                let added = self
                    .added
                    .remove(&(s.clone(), t.clone()))
                    .unwrap_or_default();
                let cols = arr_entry(self.parent_mut(&s, "tables", &t), "columns");
                let before = cols.len();
                arrange(cols, Some(&order), &added);
                if cols.len() != before {
                    return err(c, "the order names other columns than the table has");
                }
                continue;
            }
            let obj = self.object_mut(c)?;
            let items = arr_entry(obj, list);
            let name = |v: &Value| v.get("name").and_then(Value::as_str).map(str::to_string);
            let mut by_name: BTreeMap<String, Value> = BTreeMap::new();
            let mut slots = Vec::new();
            for (i, v) in items.iter().enumerate() {
                if let Some(n) = name(v).filter(|n| order.contains(&n.as_str())) {
                    by_name.insert(n, v.clone());
                    slots.push(i);
                }
            }
            if slots.len() != order.len() {
                return err(c, "the order names other columns than the object has");
            }
            for (slot, n) in slots.into_iter().zip(order) {
                items[slot] = by_name.remove(n).unwrap_or(Value::Null);
            }
        }
        Ok(())
    }

    /// Rewrite the trailing clauses of a table constraint's definition from
    /// its fields, as `pg_get_constraintdef` prints them.
    fn redo_clauses(&mut self, object: &str) {
        let probe = JsonChange {
            code: String::new(),
            kind: String::new(),
            object_type: "constraint".into(),
            object: object.to_string(),
            severity: String::new(),
            fields: Vec::new(),
            definition: None,
            sql: None,
            migration: None,
        };
        if self.child_of(&probe, &["tables"]).is_err() {
            return;
        }
        let Ok(con) = self.object_mut(&probe) else {
            return;
        };
        let Some(def) = con.get("definition").and_then(Value::as_str) else {
            return;
        };
        let flag = |k: &str, default: bool| con.get(k).and_then(Value::as_bool).unwrap_or(default);
        let mut d = crate::diff::postgres::core_definition(def).to_string();
        if flag("no_inherit", false) {
            d.push_str(" NO INHERIT");
        }
        if flag("deferrable", false) {
            d.push_str(" DEFERRABLE");
        }
        if flag("initially_deferred", false) {
            d.push_str(" INITIALLY DEFERRED");
        }
        if !flag("validated", true) {
            d.push_str(" NOT VALID");
        }
        con.insert("definition".into(), Value::String(d));
    }
}

/// Put a table's columns in their final order: the added ones with a place
/// at that place, the other added ones last, the rest (those both sides
/// have) in `order` when given, else as they are, in the slots left.
fn arrange(cols: &mut Vec<Value>, order: Option<&[&str]>, added: &[Added]) {
    let name = |v: &Value| {
        v.get("name")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    let is_added = |n: &str| added.iter().any(|(a, _)| a == n);
    let present: Vec<Value> = std::mem::take(cols);
    let mut others: Vec<Value> = present
        .iter()
        .filter(|v| !is_added(&name(v)))
        .cloned()
        .collect();
    if let Some(o) = order {
        let mut m: BTreeMap<String, Value> = others.drain(..).map(|v| (name(&v), v)).collect();
        others = o.iter().filter_map(|n| m.remove(*n)).collect();
        others.extend(m.into_values());
    }
    let total = present.len();
    let mut slots: Vec<Option<Value>> = vec![None; total];
    let mut last = Vec::new();
    for (n, p) in added {
        let Some(v) = present.iter().find(|v| name(v) == *n).cloned() else {
            continue;
        };
        match p {
            Some(p) if (1..=total).contains(p) && slots[p - 1].is_none() => slots[p - 1] = Some(v),
            _ => last.push(v),
        }
    }
    let mut rest = others.into_iter();
    let mut last = last.into_iter();
    let mut out = Vec::with_capacity(total);
    for slot in slots {
        match slot {
            Some(v) => out.push(v),
            None => out.extend(rest.next().or_else(|| last.next())),
        }
    }
    out.extend(rest);
    out.extend(last);
    *cols = out;
}

/// The owned sequences and partitions of a table or column definition.
#[derive(Default)]
struct Extras {
    owned_sequences: Map<String, Value>,
    partitions: Map<String, Value>,
}

fn take_extras(mut def: Value) -> (Value, Extras) {
    let mut extras = Extras::default();
    if let Some(m) = def.as_object_mut() {
        if let Some(Value::Object(s)) = m.remove("owned_sequences") {
            extras.owned_sequences = s;
        }
        if let Some(Value::Object(p)) = m.remove("partitions") {
            extras.partitions = p;
        }
    }
    (def, extras)
}

/// The object under `key`, made empty when absent.
/// A security label change's object and provider (`TABLE app.t FOR anon`).
fn label_of(c: &JsonChange) -> Result<(&str, &str)> {
    match crate::ddl::postgres::security_label::split_object(&c.object) {
        Some(x) => Ok(x),
        None => err(c, "it names no provider"),
    }
}

fn obj_entry<'m>(m: &'m mut Map<String, Value>, key: &str) -> &'m mut Map<String, Value> {
    let v = m
        .entry(key.to_string())
        .or_insert_with(|| Value::Object(Map::new()));
    if !v.is_object() {
        *v = Value::Object(Map::new());
    }
    v.as_object_mut().expect("made an object above")
}

fn arr_entry<'m>(m: &'m mut Map<String, Value>, key: &str) -> &'m mut Vec<Value> {
    let v = m
        .entry(key.to_string())
        .or_insert_with(|| Value::Array(Vec::new()));
    if !v.is_array() {
        *v = Value::Array(Vec::new());
    }
    v.as_array_mut().expect("made an array above")
}

/// `null` is absence: the model leaves every absent field out.
fn set_or_remove(m: &mut Map<String, Value>, key: &str, v: Value) {
    if v.is_null() {
        m.remove(key);
    } else {
        m.insert(key.to_string(), v);
    }
}

/// Set a dotted field (`identity.sequence.increment`).
fn set_path(m: &mut Map<String, Value>, path: &str, v: Value) {
    match path.split_once('.') {
        None => set_or_remove(m, path, v),
        Some((head, rest)) => {
            // An element of a list by its 1-based number (`keys.2.statistics`).
            if let Some(Value::Array(items)) = m.get_mut(head) {
                let (n, rest) = rest.split_once('.').unwrap_or((rest, ""));
                let item = n
                    .parse::<usize>()
                    .ok()
                    .and_then(|n| items.get_mut(n.checked_sub(1)?));
                if let Some(Value::Object(item)) = item {
                    set_path(item, rest, v);
                }
                return;
            }
            set_path(obj_entry(m, head), rest, v)
        }
    }
}

// ---- Neo4j ------------------------------------------------------------------

fn patch_neo4j(n: &mut Neo4jSchema, changes: &[&JsonChange]) -> Result<()> {
    let is = |c: &&&JsonChange, kind: &str| c.kind == kind;
    let id = |c: &JsonChange| c.object.strip_prefix("neo4j:").unwrap_or("").to_string();
    for c in changes.iter().filter(|c| is(c, "missing")) {
        let gone = match c.object_type.as_str() {
            "constraint" => n.constraints.remove(&id(c)).is_some(),
            _ => n.indexes.remove(&id(c)).is_some(),
        };
        if !gone {
            return err(c, "no such object");
        }
    }
    for c in changes.iter().filter(|c| is(c, "unexpected")) {
        let Some(def) = c.definition.clone() else {
            return err(c, "it carries no definition");
        };
        let bad = |e: serde_json::Error| PatchError(format!("`{}`: {e}", c.object));
        match c.object_type.as_str() {
            "constraint" => n.insert_constraint(serde_json::from_value(def).map_err(bad)?),
            _ => n.insert_index(serde_json::from_value(def).map_err(bad)?),
        }
    }
    for c in changes.iter().filter(|c| is(c, "changed")) {
        let key = id(c);
        let bad = |e: serde_json::Error| PatchError(format!("`{}`: {e}", c.object));
        if c.object_type == "constraint" {
            let Some(v) = n.constraints.remove(&key) else {
                return err(c, "no such constraint");
            };
            let mut v = serde_json::to_value(v).map_err(bad)?;
            neo4j_fields(c, &mut v, "index_provider");
            n.insert_constraint(serde_json::from_value::<Neo4jConstraint>(v).map_err(bad)?);
        } else {
            let Some(v) = n.indexes.remove(&key) else {
                return err(c, "no such index");
            };
            let mut v = serde_json::to_value(v).map_err(bad)?;
            neo4j_fields(c, &mut v, "provider");
            // A BTREE index paired with a RANGE one changes kind, so identity.
            n.insert_index(serde_json::from_value::<Neo4jIndex>(v).map_err(bad)?);
        }
    }
    Ok(())
}

fn neo4j_fields(c: &JsonChange, v: &mut Value, provider: &str) {
    let Some(m) = v.as_object_mut() else { return };
    for f in &c.fields {
        match f.field.strip_prefix("options.") {
            Some(k) => set_or_remove(obj_entry(m, "options"), k, f.actual.clone()),
            None if f.field == "provider" => set_or_remove(m, provider, f.actual.clone()),
            None => set_or_remove(m, &f.field, f.actual.clone()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::diff_snapshots;
    use crate::diff::postgres::tests::{col, seq};
    use crate::model::postgres::*;
    use crate::neo4j::migrations::{FoldOptions, Folder};

    fn neo(script: &str) -> Snapshot {
        let mut f = Folder::new(&FoldOptions {
            default_lookup_indexes: false,
        });
        f.fold_file(std::path::Path::new("V1__t.cypher"), script)
            .unwrap();
        Snapshot {
            neo4j: Some(f.schema),
            ..Snapshot::empty()
        }
    }

    fn pg(pg: PgSchema) -> Snapshot {
        Snapshot {
            postgres: Some(pg),
            ..Snapshot::empty()
        }
    }

    /// `patch(a, diff(a, b)) == b`, both ways.
    fn round_trip(a: &Snapshot, b: &Snapshot) {
        for (x, y) in [(a, b), (b, a)] {
            let changes = diff_snapshots(x, y);
            let got = patch(x, &changes).unwrap();
            assert_eq!(got.to_json(), y.to_json(), "{changes:#?}");
        }
    }

    #[test]
    fn neo4j_objects_and_attributes_patch_both_ways() {
        let a = neo("CREATE CONSTRAINT c1 FOR (p:P) REQUIRE p.x IS UNIQUE; \
             CREATE INDEX i1 FOR (p:P) ON (p.y); \
             CREATE CONSTRAINT t1 FOR (p:P) REQUIRE p.age IS :: INTEGER; \
             CREATE VECTOR INDEX v FOR (m:M) ON m.e OPTIONS {indexProvider: 'vector-2.0', indexConfig: {`vector.dimensions`: 1536, `vector.similarity_function`: 'cosine'}}");
        let b = neo("CREATE CONSTRAINT c2 FOR (p:P) REQUIRE p.x IS UNIQUE; \
             CREATE INDEX i2 FOR (p:P) ON (p.z); \
             CREATE CONSTRAINT t1 FOR (p:P) REQUIRE p.age IS :: STRING; \
             CREATE VECTOR INDEX v FOR (m:M) ON m.e OPTIONS {indexProvider: 'vector-1.0', indexConfig: {`vector.dimensions`: 768, `vector.similarity_function`: 'cosine'}}");
        round_trip(&a, &b);
    }

    #[test]
    fn a_btree_index_paired_with_a_range_one_changes_identity() {
        let a = neo("CREATE INDEX i FOR (p:P) ON (p.x)");
        let b = neo("CREATE BTREE INDEX i FOR (p:P) ON (p.x)");
        round_trip(&a, &b);
    }

    #[test]
    fn neo4j_attributes_left_open_patch_to_an_equal_meaning() {
        // The expected side names nothing: the differ compares no name, so
        // the patched side keeps none, and compares equal to b.
        let a = neo("CREATE INDEX FOR (p:P) ON (p.y)");
        let b = neo("CREATE INDEX named FOR (p:P) ON (p.y); CREATE INDEX FOR (p:P) ON (p.q)");
        let got = patch(&a, &diff_snapshots(&a, &b)).unwrap();
        assert!(diff_snapshots(&got, &b).is_empty());
        assert_ne!(got, b);
    }

    #[test]
    fn an_owned_sequence_renamed_takes_its_columns_default_along() {
        let schema = |seq_name: &str| {
            let mut id = col("id", "integer");
            id.default = Some(format!("nextval('s.\"{seq_name}\"'::regclass)"));
            let t = Table {
                columns: vec![id],
                ..Default::default()
            };
            let s = Schema {
                tables: [("t".to_string(), t)].into(),
                sequences: [(seq_name.to_string(), seq(Some("s.t.id")))].into(),
                ..Default::default()
            };
            PgSchema {
                schemas: [("s".to_string(), s)].into(),
                ..Default::default()
            }
        };
        let (a, b) = (pg(schema("T_id_seq")), pg(schema("Other seq")));
        let changes = diff_snapshots(&a, &b);
        assert_eq!(changes.len(), 1, "{changes:#?}");
        round_trip(&a, &b);
    }

    #[test]
    fn composite_attributes_privileges_and_clauses_patch_both_ways() {
        let schema = |attrs: &[(&str, &str)], grants: Option<&[&str]>, deferrable: bool| {
            let ct = CompositeType {
                attributes: attrs
                    .iter()
                    .map(|(n, t)| CompositeAttribute {
                        name: n.to_string(),
                        data_type: t.to_string(),
                        collation: None,
                    })
                    .collect(),
                comment: None,
                privileges: Privileges {
                    owner: Some("app".into()),
                    grants: grants.map(|g| {
                        g.iter()
                            .map(|r| (r.to_string(), vec!["USAGE".to_string()]))
                            .collect()
                    }),
                },
            };
            let fk = Constraint {
                kind: ConstraintKind::Unique,
                definition: format!("UNIQUE (a){}", if deferrable { " DEFERRABLE" } else { "" }),
                columns: vec!["a".into()],
                deferrable,
                initially_deferred: false,
                validated: true,
                no_inherit: false,
                foreign_key: None,
                comment: None,
            };
            let t = Table {
                columns: vec![col("a", "integer"), col("b", "text")],
                constraints: [("t_a_key".to_string(), fk)].into(),
                ..Default::default()
            };
            let s = Schema {
                composite_types: [("addr".to_string(), ct)].into(),
                tables: [("t".to_string(), t)].into(),
                ..Default::default()
            };
            PgSchema {
                with_privileges: true,
                schemas: [("s".to_string(), s)].into(),
                ..Default::default()
            }
        };
        let a = pg(schema(
            &[("city", "text"), ("zip", "text")],
            Some(&["r1"]),
            false,
        ));
        let b = pg(schema(
            &[("zip", "integer"), ("city", "text"), ("street", "text")],
            Some(&["r2", "r1"]),
            true,
        ));
        round_trip(&a, &b);
        let c = pg(schema(&[("city", "text")], None, false));
        round_trip(&a, &c);
    }

    #[test]
    fn a_change_that_does_not_fit_is_an_error() {
        let a = pg(PgSchema::default());
        let b = pg(PgSchema {
            schemas: [("s".to_string(), Schema::default())].into(),
            ..Default::default()
        });
        let missing = diff_snapshots(&b, &a);
        let e = patch(&a, &missing).unwrap_err();
        assert!(
            e.0.contains("schema-missing") && e.0.contains("no such schema"),
            "{e}"
        );
    }
}
