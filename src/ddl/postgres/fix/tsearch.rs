//! Text search objects in the fix script, across schemas, since a
//! configuration may map a dictionary of another schema and a dictionary
//! use another schema's template.
//!
//! What goes (ACTUAL's objects that EXPECTED lacks, or that have no alter,
//! and those built on a template or parser that goes) is dropped after the
//! tables and indexes that may use it and before the functions it uses:
//! first the mappings of the configurations that stay that name a
//! dictionary that goes, then configurations, dictionaries, templates and
//! parsers. What EXPECTED adds, or makes anew, is created with the other
//! missing objects (after its functions, templates, parsers and
//! dictionaries, by the script's order); the mappings of the
//! configurations that stay are set once those dictionaries are there.

use std::collections::{BTreeMap, BTreeSet};

use super::super::{refs, text_search as ts, Name};
use super::Fix;
use crate::ddl::{Alter, Statement};
use crate::model::postgres::*;

/// (schema, name) of objects of one kind.
type Set = BTreeSet<(String, String)>;

/// How an object of one kind is dropped.
type DropFn = fn(&super::Pg, Name) -> Statement;

/// The object a name as PostgreSQL printed it (`care.en`, `english_stem`)
/// refers to, when it is outside `pg_catalog`.
fn named(text: &str) -> Option<(String, String)> {
    refs::qualified_names(text).into_iter().next()
}

/// ACTUAL's objects of one kind that go: those of a schema EXPECTED lacks,
/// those EXPECTED lacks, and those `stays` (given EXPECTED's) says cannot.
fn going<V>(
    e: &PgSchema,
    a: &PgSchema,
    map: impl Fn(&Schema) -> &BTreeMap<String, V>,
    stays: impl Fn(&str, &str, &V, &V) -> bool,
) -> Set {
    let mut out = Set::new();
    for (sn, as_) in &a.schemas {
        for (n, x) in map(as_) {
            let kept = e
                .schemas
                .get(sn)
                .and_then(|es| map(es).get(n))
                .is_some_and(|ex| stays(sn, n, ex, x));
            if !kept {
                out.insert((sn.clone(), n.clone()));
            }
        }
    }
    out
}

impl Fix<'_> {
    pub(super) fn text_search(&mut self) {
        let r = self.r;
        let (e, a) = (self.e, self.a);
        let in_place = |x: &Alter| matches!(x, Alter::InPlace(_));
        let templates = going(
            e,
            a,
            |s| &s.text_search_templates,
            |sn, n, ex, x| in_place(&ts::alter_template(&r, Name::new(sn, n), ex, x)),
        );
        let parsers = going(
            e,
            a,
            |s| &s.text_search_parsers,
            |sn, n, ex, x| in_place(&ts::alter_parser(&r, Name::new(sn, n), ex, x)),
        );
        let dictionaries = going(
            e,
            a,
            |s| &s.text_search_dictionaries,
            |sn, n, ex: &TextSearchDictionary, x| {
                let built_on_going = named(&x.template).is_some_and(|t| templates.contains(&t));
                !built_on_going && in_place(&ts::alter_dictionary(&r, Name::new(sn, n), ex, x))
            },
        );
        let configurations = going(
            e,
            a,
            |s| &s.text_search_configurations,
            |sn, n, ex: &TextSearchConfiguration, x| {
                let built_on_going = named(&x.parser).is_some_and(|p| parsers.contains(&p));
                !built_on_going && in_place(&ts::alter_configuration(&r, Name::new(sn, n), ex, x))
            },
        );
        let uses_going = |dicts: &Vec<String>| {
            dicts
                .iter()
                .any(|d| named(d).is_some_and(|d| dictionaries.contains(&d)))
        };

        // The configurations that stay: mappings that name a dictionary
        // that goes are dropped first; the rest are set once the missing
        // dictionaries are there.
        let mut drops: Vec<Statement> = Vec::new();
        for (sn, es) in &e.schemas {
            let Some(as_) = a.schemas.get(sn) else {
                continue;
            };
            for (n, ex) in &es.text_search_configurations {
                let Some(x) = as_.text_search_configurations.get(n) else {
                    continue;
                };
                if configurations.contains(&(sn.clone(), n.clone())) {
                    continue;
                }
                let at = Name::new(sn, n);
                let mut left = x.mappings.clone();
                for (token, dicts) in &x.mappings {
                    if uses_going(dicts) {
                        drops.push(ts::drop_mapping(&r, at, token));
                        left.remove(token);
                    }
                }
                self.later
                    .extend(ts::mapping_alters(&r, at, &ex.mappings, &left));
                self.alters
                    .extend(ts::configuration_owner_and_comment(&r, at, ex, x));
            }
            for (n, ex) in &es.text_search_dictionaries {
                let Some(x) = as_.text_search_dictionaries.get(n) else {
                    continue;
                };
                if !dictionaries.contains(&(sn.clone(), n.clone())) {
                    let alter = ts::alter_dictionary(&r, Name::new(sn, n), ex, x);
                    self.alters.extend(alter.into_statements());
                }
            }
            for (n, ex) in &es.text_search_parsers {
                if let (Some(x), false) = (
                    as_.text_search_parsers.get(n),
                    parsers.contains(&(sn.clone(), n.clone())),
                ) {
                    let alter = ts::alter_parser(&r, Name::new(sn, n), ex, x);
                    self.alters.extend(alter.into_statements());
                }
            }
            for (n, ex) in &es.text_search_templates {
                if let (Some(x), false) = (
                    as_.text_search_templates.get(n),
                    templates.contains(&(sn.clone(), n.clone())),
                ) {
                    let alter = ts::alter_template(&r, Name::new(sn, n), ex, x);
                    self.alters.extend(alter.into_statements());
                }
            }
        }

        // What goes, in an order that drops what uses an object first; what
        // EXPECTED has of it is created again with the missing objects.
        let kinds: [(&Set, &str, DropFn); 4] = [
            (&configurations, "configuration", ts::drop_configuration),
            (&dictionaries, "dictionary", ts::drop_dictionary),
            (&templates, "template", ts::drop_template),
            (&parsers, "parser", ts::drop_parser),
        ];
        for (set, kind, drop) in kinds {
            for (sn, n) in set {
                drops.push(drop(&r, Name::new(sn, n)));
                if e.schemas.contains_key(sn) && a.schemas.contains_key(sn) {
                    self.recreate_text_search(kind, sn, n);
                }
            }
        }
        for s in drops {
            self.drop(5, s);
        }

        // What EXPECTED adds, in the schemas both sides have (a schema
        // ACTUAL lacks is created whole).
        for (sn, es) in &e.schemas {
            let Some(as_) = a.schemas.get(sn) else {
                continue;
            };
            let m = self
                .missing
                .schemas
                .get_mut(sn)
                .expect("a shell per schema");
            for (n, x) in &es.text_search_configurations {
                if !as_.text_search_configurations.contains_key(n) {
                    m.text_search_configurations.insert(n.clone(), x.clone());
                }
            }
            for (n, x) in &es.text_search_dictionaries {
                if !as_.text_search_dictionaries.contains_key(n) {
                    m.text_search_dictionaries.insert(n.clone(), x.clone());
                }
            }
            for (n, x) in &es.text_search_parsers {
                if !as_.text_search_parsers.contains_key(n) {
                    m.text_search_parsers.insert(n.clone(), x.clone());
                }
            }
            for (n, x) in &es.text_search_templates {
                if !as_.text_search_templates.contains_key(n) {
                    m.text_search_templates.insert(n.clone(), x.clone());
                }
            }
        }
    }

    /// Object `sn.n` of `kind`, on both sides, goes: EXPECTED's is created
    /// with the missing objects (when EXPECTED has it), and why is said.
    fn recreate_text_search(&mut self, kind: &str, sn: &str, n: &str) {
        let (e, a) = (self.e, self.a);
        let (es, as_) = (&e.schemas[sn], &a.schemas[sn]);
        let m = self
            .missing
            .schemas
            .get_mut(sn)
            .expect("a shell per schema");
        let why = match kind {
            "configuration" => {
                let (Some(x), Some(y)) = (
                    es.text_search_configurations.get(n),
                    as_.text_search_configurations.get(n),
                ) else {
                    return;
                };
                m.text_search_configurations
                    .insert(n.to_string(), x.clone());
                if x.parser == y.parser {
                    "its parser is made anew"
                } else {
                    "no ALTER TEXT SEARCH CONFIGURATION changes its parser"
                }
            }
            "dictionary" => {
                let (Some(x), Some(y)) = (
                    es.text_search_dictionaries.get(n),
                    as_.text_search_dictionaries.get(n),
                ) else {
                    return;
                };
                m.text_search_dictionaries.insert(n.to_string(), x.clone());
                if x.template == y.template {
                    "its template is made anew"
                } else {
                    "no ALTER TEXT SEARCH DICTIONARY changes its template"
                }
            }
            "template" => {
                let Some(x) = es.text_search_templates.get(n) else {
                    return;
                };
                m.text_search_templates.insert(n.to_string(), x.clone());
                "no ALTER TEXT SEARCH TEMPLATE changes its functions"
            }
            _ => {
                let Some(x) = es.text_search_parsers.get(n) else {
                    return;
                };
                m.text_search_parsers.insert(n.to_string(), x.clone());
                "no ALTER TEXT SEARCH PARSER changes its functions"
            }
        };
        self.recreated
            .push(format!("text search {kind} {sn}.{n}: {why}"));
    }
}
