//! The lazy deferral: an expression read as a tree stands in the model as
//! its placeholder until the server deparses it (see `postgres::tree`).

use std::collections::{HashMap, HashSet};

use crate::model::postgres::PgSchema;
use crate::postgres::tree::{placeholder, Tree};

use super::*;

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

/// Puts the placeholder of each tree of a lazy read where its text goes
/// (an index's expression keys and predicate, a CHECK's definition, a
/// trigger's WHEN, a policy's expressions, a view's query), and lists the
/// objects to deparse. A tree without a key leaves an empty text, and its
/// object is marked to be deparsed at once. Shared by the threads that
/// assemble a model (each lists its objects in its own `out`).
pub(super) struct Deferrer<'a> {
    names: &'a KeyNames<'a>,
    by_oid: &'a HashMap<u32, usize>,
    rels: &'a [(String, String, Rel)],
    /// See [`object_names`]; empty when there are no trees.
    objects: HashMap<u32, String>,
}

impl<'a> Deferrer<'a> {
    /// `oids`: the OIDs of users' objects that the trees hold.
    pub(super) fn new(
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
    pub(super) fn defer(
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

    pub(super) fn constraints(&self, constraints: &mut [RawConstraint], out: &mut Vec<Deferred>) {
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

    pub(super) fn indexes(&self, indexes: &mut [RawIndex], out: &mut Vec<Deferred>) {
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

    pub(super) fn triggers(&self, triggers: &mut [RawTrigger], out: &mut Vec<Deferred>) {
        for t in triggers {
            let trees = [(t.when_tree.take(), String::new())];
            let kind = DeferredKind::Trigger;
            let held = self.defer(out, kind, t.table_oid, t.oid, &t.name, &trees, "");
            // `trigger` takes a placeholder in `when_text` for the WHEN.
            t.when_text = held.into_iter().next().flatten();
        }
    }

    pub(super) fn policies(&self, policies: &mut [RawPolicy], out: &mut Vec<Deferred>) {
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
    pub(super) fn views(
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
pub(super) fn object_names(
    wanted: HashSet<u32>,
    rels: &[(String, String, Rel)],
    by_oid: &HashMap<u32, usize>,
    names: &KeyNames,
    types: Vec<(u32, String)>,
) -> HashMap<u32, String> {
    let mut out: HashMap<u32, String> = types
        .into_iter()
        .filter(|(oid, _)| wanted.contains(oid))
        .map(|(oid, name)| (oid, crate::postgres::tree::hash(&format!("type {name}"))))
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
            out.insert(oid, crate::postgres::tree::hash(&entry));
        }
    }
    out
}

/// The OIDs of users' objects that the trees of a lazy read hold, or
/// `None` when there are no trees.
pub(super) fn tree_oids(
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A lazy read's trees stand as placeholders that name their table and
    /// depend on the columns' names; `patch` puts the text in their place.
    #[test]
    fn lazy_assembly_holds_trees_as_placeholders_until_patched() {
        use crate::postgres::tree::MARK;
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
        crate::postgres::tree::tables_in(def, &mut tables);
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
}
