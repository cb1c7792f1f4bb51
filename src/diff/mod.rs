//! Snapshot x snapshot -> `Vec<Change>`.
//!
//! The generic part lives here: the `Change` type every report renders, and a
//! keyed split of two maps into missing, unexpected and common entries (the
//! core of migra). What each kind of object means — its identity, which
//! attributes are compared, the codes and severities — lives with the engine:
//! `postgres.rs` (and later `neo4j.rs`).

pub mod ignore;
pub mod neo4j;
pub mod postgres;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::model::Snapshot;

/// Which side an object is on, or that it is on both and differs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// In the expected schema, not in the actual one.
    Missing,
    /// In the actual schema, not in the expected one.
    Unexpected,
    /// On both sides, with differing attributes.
    Changed,
}

impl ChangeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Missing => "missing",
            ChangeKind::Unexpected => "unexpected",
            ChangeKind::Changed => "changed",
        }
    }
}

/// How much a change matters; the order is most severe first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// One attribute that differs, with its value on each side (`null` when absent).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldChange {
    /// The attribute, dotted for nested ones (`identity.sequence.increment`).
    pub field: String,
    pub expected: Value,
    pub actual: Value,
}

/// One difference between two snapshots.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    /// Stable kebab-case code (`column-type-changed`); see `postgres::CODES`.
    pub code: String,
    pub kind: ChangeKind,
    /// `table`, `column`, `constraint`, `index`, `view`, ...
    pub object_type: String,
    /// Qualified name: `care.patients`, `care.patients.email`, `care.add(integer, integer)`.
    pub object: String,
    pub severity: Severity,
    /// For `changed`: each differing attribute.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldChange>,
    /// For `missing` and `unexpected`: the whole object with its children.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub definition: Option<Value>,
}

/// Sort changes into the report order: by object, then code. Objects are
/// compared segment by segment (`care.t.c` before `care.t-x`), so an object's
/// children always follow it.
pub fn sort_changes(changes: &mut [Change]) {
    changes.sort_by(|a, b| {
        a.object
            .split('.')
            .cmp(b.object.split('.'))
            .then_with(|| a.code.cmp(&b.code))
            .then_with(|| a.object_type.cmp(&b.object_type))
            .then_with(|| a.kind.cmp(&b.kind))
    });
}

/// Every change code any engine emits, sorted (for validating ignore rules).
pub fn all_codes() -> Vec<&'static str> {
    let mut v: Vec<&'static str> = postgres::CODES
        .iter()
        .chain(neo4j::CODES)
        .copied()
        .collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// Every object type any engine reports, sorted.
pub fn all_object_types() -> Vec<&'static str> {
    let mut v: Vec<&'static str> = postgres::OBJECT_TYPES
        .iter()
        .chain(neo4j::OBJECT_TYPES)
        .copied()
        .collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// Compare two snapshots: every difference, sorted, before ignore rules.
pub fn diff_snapshots(expected: &Snapshot, actual: &Snapshot) -> Vec<Change> {
    let empty = crate::model::PgSchema::default();
    let mut changes = Vec::new();
    if expected.postgres.is_some() || actual.postgres.is_some() {
        changes.extend(postgres::diff_with(
            expected.postgres.as_ref().unwrap_or(&empty),
            actual.postgres.as_ref().unwrap_or(&empty),
            &crate::equiv::Equiv::of(expected, actual),
        ));
    }
    if expected.neo4j.is_some() || actual.neo4j.is_some() {
        let empty = crate::model::Neo4jSchema::default();
        changes.extend(neo4j::diff(
            expected.neo4j.as_ref().unwrap_or(&empty),
            actual.neo4j.as_ref().unwrap_or(&empty),
        ));
    }
    sort_changes(&mut changes);
    changes
}

/// The result of splitting two keyed sets.
#[derive(Debug)]
pub struct Split<'a, K, V> {
    /// Keys only in the expected map.
    pub missing: Vec<(&'a K, &'a V)>,
    /// Keys only in the actual map.
    pub unexpected: Vec<(&'a K, &'a V)>,
    /// Keys in both: (key, expected, actual).
    pub both: Vec<(&'a K, &'a V, &'a V)>,
}

/// Split two maps by key in one linear merge of their sorted keys.
pub fn split<'a, K: Ord, V>(
    expected: &'a BTreeMap<K, V>,
    actual: &'a BTreeMap<K, V>,
) -> Split<'a, K, V> {
    let mut out = Split {
        missing: Vec::new(),
        unexpected: Vec::new(),
        both: Vec::with_capacity(expected.len().min(actual.len())),
    };
    let mut e = expected.iter().peekable();
    let mut a = actual.iter().peekable();
    loop {
        match (e.peek(), a.peek()) {
            (Some((ek, _)), Some((ak, _))) => match ek.cmp(ak) {
                std::cmp::Ordering::Less => out.missing.push(e.next().unwrap()),
                std::cmp::Ordering::Greater => out.unexpected.push(a.next().unwrap()),
                std::cmp::Ordering::Equal => {
                    let (k, ev) = e.next().unwrap();
                    let (_, av) = a.next().unwrap();
                    out.both.push((k, ev, av));
                }
            },
            (Some(_), None) => out.missing.push(e.next().unwrap()),
            (None, Some(_)) => out.unexpected.push(a.next().unwrap()),
            (None, None) => break,
        }
    }
    out
}

/// Pair leftovers of a split whose names differ but whose meaning is equal
/// (an auto-generated name against an explicit one). `meaning` returns the
/// identity by meaning, or `None` for an object that has none (it never
/// pairs); among several candidates pairs are made in name order, so the
/// result is deterministic. Paired entries are removed from both lists and
/// returned as (expected name, expected, actual name, actual).
pub fn pair_by_meaning<'a, K, V, M: PartialEq>(
    split: &mut Split<'a, K, V>,
    meaning: impl Fn(&V) -> Option<M>,
) -> Vec<(&'a K, &'a V, &'a K, &'a V)> {
    let mut pairs = Vec::new();
    let mut i = 0;
    while i < split.missing.len() {
        let (ek, ev) = split.missing[i];
        let Some(m) = meaning(ev) else {
            i += 1;
            continue;
        };
        if let Some(j) = split
            .unexpected
            .iter()
            .position(|(_, av)| meaning(av).as_ref() == Some(&m))
        {
            let (ak, av) = split.unexpected.remove(j);
            split.missing.remove(i);
            pairs.push((ek, ev, ak, av));
        } else {
            i += 1;
        }
    }
    pairs
}

/// Serialize a model value for a report; model values always serialize.
pub fn to_value<T: Serialize + ?Sized>(v: &T) -> Value {
    serde_json::to_value(v).expect("model values serialize")
}

/// Collects the differing fields of one object.
#[derive(Debug, Default)]
pub struct Fields(pub Vec<FieldChange>);

impl Fields {
    pub fn new() -> Fields {
        Fields(Vec::new())
    }

    /// Record `field` when the two values differ.
    pub fn cmp<T: Serialize + PartialEq + ?Sized>(
        &mut self,
        field: &str,
        expected: &T,
        actual: &T,
    ) {
        if expected != actual {
            self.0.push(FieldChange {
                field: field.to_string(),
                expected: to_value(expected),
                actual: to_value(actual),
            });
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(keys: &[&str]) -> BTreeMap<String, u32> {
        keys.iter()
            .enumerate()
            .map(|(i, k)| (k.to_string(), i as u32))
            .collect()
    }

    #[test]
    fn split_is_a_keyed_merge() {
        let e = map(&["a", "b", "d"]);
        let a = map(&["b", "c", "d", "e"]);
        let s = split(&e, &a);
        fn names(v: &[(&String, &u32)]) -> Vec<String> {
            v.iter().map(|(k, _)| k.to_string()).collect()
        }
        assert_eq!(names(&s.missing), ["a"]);
        assert_eq!(names(&s.unexpected), ["c", "e"]);
        let both: Vec<_> = s
            .both
            .iter()
            .map(|(k, e, a)| (k.as_str(), **e, **a))
            .collect();
        assert_eq!(both, [("b", 1, 0), ("d", 2, 2)]);
    }

    #[test]
    fn pairing_by_meaning_is_deterministic() {
        let e: BTreeMap<String, &str> = [("x1", "CHECK a"), ("x2", "CHECK a"), ("x3", "CHECK b")]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect();
        let a: BTreeMap<String, &str> = [("y1", "CHECK a"), ("y2", "CHECK c")]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect();
        let mut s = split(&e, &a);
        let pairs = pair_by_meaning(&mut s, |v| (!v.is_empty()).then_some(*v));
        assert_eq!(pairs.len(), 1);
        assert_eq!((pairs[0].0.as_str(), pairs[0].2.as_str()), ("x1", "y1"));
        assert_eq!(s.missing.len(), 2);
        assert_eq!(s.unexpected.len(), 1);
    }

    #[test]
    fn children_follow_their_object() {
        let c = |object: &str, code: &str| Change {
            code: code.into(),
            kind: ChangeKind::Changed,
            object_type: "x".into(),
            object: object.into(),
            severity: Severity::Info,
            fields: vec![],
            definition: None,
        };
        let mut v = vec![
            c("care.t-x", "a"),
            c("care.t.c", "b"),
            c("care.t", "z"),
            c("care.t", "a"),
        ];
        sort_changes(&mut v);
        let got: Vec<(&str, &str)> = v
            .iter()
            .map(|c| (c.object.as_str(), c.code.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("care.t", "a"),
                ("care.t", "z"),
                ("care.t.c", "b"),
                ("care.t-x", "a")
            ]
        );
    }

    #[test]
    fn fields_record_only_differences() {
        let mut f = Fields::new();
        f.cmp("same", &1, &1);
        f.cmp("type", "text", "integer");
        assert_eq!(f.0.len(), 1);
        assert_eq!(f.0[0].field, "type");
        assert_eq!(f.0[0].expected, Value::from("text"));
    }
}
