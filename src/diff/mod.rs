//! Snapshot x snapshot -> `Vec<Change>`.
//!
//! The generic part lives here: a keyed split of two maps into missing,
//! unexpected and common entries (the core of migra), the `Change` every
//! report renders (`change.rs`), and the vocabulary of codes, object types
//! and severities (`vocabulary.rs`). What each kind of object means — its
//! identity, which attributes are compared, which code and severity a
//! difference gets — lives with the engine: `postgres.rs`, `neo4j.rs`.

mod change;
pub mod ignore;
pub mod neo4j;
pub mod postgres;
mod vocabulary;

use std::collections::BTreeMap;

pub use change::{
    to_value, Change, Changes, ColumnDefinition, Definition, Difference, FieldChange, Fields,
    Provenance, SecurityLabelDefinition, TableDefinition,
};
pub use vocabulary::{ChangeKind, Code, ObjectType, Severity};

use crate::model::Snapshot;

/// Sort changes into the report order: by object, then code. Objects are
/// compared segment by segment (`care.t.c` before `care.t-x`), so an object's
/// children always follow it.
pub fn sort_changes(changes: &mut [Change]) {
    changes.sort_by(|a, b| {
        a.object()
            .split('.')
            .cmp(b.object().split('.'))
            .then_with(|| a.code().name().cmp(b.code().name()))
            .then_with(|| a.object_type().name().cmp(b.object_type().name()))
            .then_with(|| a.kind().cmp(&b.kind()))
    });
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

/// What neither side compares, by kind (`security_label`, `transform`, ...), for
/// the report's "not compared" line: per kind the larger of the two sides'
/// counts (see [`crate::model::PgSchema::not_compared_total`]).
pub fn not_compared(expected: &Snapshot, actual: &Snapshot) -> BTreeMap<String, u64> {
    let mut out = BTreeMap::new();
    for pg in [&expected.postgres, &actual.postgres].into_iter().flatten() {
        for (kind, n) in pg.not_compared_total() {
            let max: &mut u64 = out.entry(kind).or_default();
            *max = (*max).max(n);
        }
    }
    out
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
        let c = |object: &str, code: Code| {
            Change::changed(code, ObjectType::Table, object.into(), vec![])
        };
        let mut v = vec![
            c("care.t-x", Code::CommentChanged),
            c("care.t.c", Code::ColumnOrderChanged),
            c("care.t", Code::TableInheritsChanged),
            c("care.t", Code::CommentChanged),
        ];
        sort_changes(&mut v);
        let got: Vec<(&str, &str)> = v.iter().map(|c| (c.object(), c.code().name())).collect();
        assert_eq!(
            got,
            [
                ("care.t", "comment-changed"),
                ("care.t", "table-inherits-changed"),
                ("care.t.c", "column-order-changed"),
                ("care.t-x", "comment-changed")
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
        assert_eq!(f.0[0].expected, serde_json::Value::from("text"));
    }
}
