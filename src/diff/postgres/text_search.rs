//! Text search configurations, dictionaries, parsers and templates of a
//! schema: a configuration's mappings compared token type by token type
//! (`mappings.<token>`: its dictionaries in order, `null` when not
//! mapped), a dictionary's options name by name (`options.<name>`).

use std::collections::BTreeMap;

use serde_json::Value;

use super::{qual, split, to_value, Code, Definition, Differ, ObjectType};
use crate::model::postgres::*;

/// Each entry of `e` and `a` that differs, as `<prefix>.<key>`, absent
/// (null) on the side that has none.
fn by_key<V: serde::Serialize + PartialEq>(
    f: &mut super::Fields,
    prefix: &str,
    e: &BTreeMap<String, V>,
    a: &BTreeMap<String, V>,
) {
    let s = split(e, a);
    for (k, v) in s.missing {
        f.push(format!("{prefix}.{k}"), to_value(v), Value::Null);
    }
    for (k, v) in s.unexpected {
        f.push(format!("{prefix}.{k}"), Value::Null, to_value(v));
    }
    for (k, ev, av) in s.both {
        f.cmp(&format!("{prefix}.{k}"), ev, av);
    }
}

impl Differ<'_> {
    /// The text search objects of schema `sn`.
    pub(super) fn text_search(&mut self, sn: &str, e: &Schema, a: &Schema) {
        self.text_search_configurations(
            sn,
            &e.text_search_configurations,
            &a.text_search_configurations,
        );
        self.text_search_dictionaries(sn, &e.text_search_dictionaries, &a.text_search_dictionaries);
        self.text_search_parsers(sn, &e.text_search_parsers, &a.text_search_parsers);
        self.text_search_templates(sn, &e.text_search_templates, &a.text_search_templates);
    }

    fn text_search_configurations(
        &mut self,
        sn: &str,
        e: &BTreeMap<String, TextSearchConfiguration>,
        a: &BTreeMap<String, TextSearchConfiguration>,
    ) {
        let s = split(e, a);
        let ty = ObjectType::TextSearchConfiguration;
        for (n, x) in s.missing {
            let def = Definition::TextSearchConfiguration(Box::new(x.clone()));
            self.out.missing(ty, &qual(sn, n), def);
        }
        for (n, x) in s.unexpected {
            let def = Definition::TextSearchConfiguration(Box::new(x.clone()));
            self.out.unexpected(ty, &qual(sn, n), def);
        }
        for (n, e, a) in s.both {
            let q = qual(sn, n);
            let TextSearchConfiguration {
                parser,
                mappings,
                comment,
                privileges,
            } = e;
            self.out
                .changed(Code::TextSearchConfigurationChanged, ty, &q, |f| {
                    f.cmp("parser", parser, &a.parser);
                    by_key(f, "mappings", mappings, &a.mappings);
                });
            self.comment(ty, &q, comment, &a.comment);
            self.privileges(ty, &q, privileges, &a.privileges);
        }
    }

    fn text_search_dictionaries(
        &mut self,
        sn: &str,
        e: &BTreeMap<String, TextSearchDictionary>,
        a: &BTreeMap<String, TextSearchDictionary>,
    ) {
        let s = split(e, a);
        let ty = ObjectType::TextSearchDictionary;
        for (n, x) in s.missing {
            let def = Definition::TextSearchDictionary(Box::new(x.clone()));
            self.out.missing(ty, &qual(sn, n), def);
        }
        for (n, x) in s.unexpected {
            let def = Definition::TextSearchDictionary(Box::new(x.clone()));
            self.out.unexpected(ty, &qual(sn, n), def);
        }
        for (n, e, a) in s.both {
            let q = qual(sn, n);
            let TextSearchDictionary {
                template,
                options,
                comment,
                privileges,
            } = e;
            self.out
                .changed(Code::TextSearchDictionaryChanged, ty, &q, |f| {
                    f.cmp("template", template, &a.template);
                    by_key(f, "options", options, &a.options);
                });
            self.comment(ty, &q, comment, &a.comment);
            self.privileges(ty, &q, privileges, &a.privileges);
        }
    }

    fn text_search_parsers(
        &mut self,
        sn: &str,
        e: &BTreeMap<String, TextSearchParser>,
        a: &BTreeMap<String, TextSearchParser>,
    ) {
        let s = split(e, a);
        let ty = ObjectType::TextSearchParser;
        for (n, x) in s.missing {
            let def = Definition::TextSearchParser(Box::new(x.clone()));
            self.out.missing(ty, &qual(sn, n), def);
        }
        for (n, x) in s.unexpected {
            let def = Definition::TextSearchParser(Box::new(x.clone()));
            self.out.unexpected(ty, &qual(sn, n), def);
        }
        for (n, e, a) in s.both {
            let q = qual(sn, n);
            let TextSearchParser {
                start,
                gettoken,
                end,
                lextypes,
                headline,
                comment,
            } = e;
            self.out
                .changed(Code::TextSearchParserChanged, ty, &q, |f| {
                    f.cmp("start", start, &a.start);
                    f.cmp("gettoken", gettoken, &a.gettoken);
                    f.cmp("end", end, &a.end);
                    f.cmp("lextypes", lextypes, &a.lextypes);
                    f.cmp("headline", headline, &a.headline);
                });
            self.comment(ty, &q, comment, &a.comment);
        }
    }

    fn text_search_templates(
        &mut self,
        sn: &str,
        e: &BTreeMap<String, TextSearchTemplate>,
        a: &BTreeMap<String, TextSearchTemplate>,
    ) {
        let s = split(e, a);
        let ty = ObjectType::TextSearchTemplate;
        for (n, x) in s.missing {
            let def = Definition::TextSearchTemplate(Box::new(x.clone()));
            self.out.missing(ty, &qual(sn, n), def);
        }
        for (n, x) in s.unexpected {
            let def = Definition::TextSearchTemplate(Box::new(x.clone()));
            self.out.unexpected(ty, &qual(sn, n), def);
        }
        for (n, e, a) in s.both {
            let q = qual(sn, n);
            let TextSearchTemplate {
                init,
                lexize,
                comment,
            } = e;
            self.out
                .changed(Code::TextSearchTemplateChanged, ty, &q, |f| {
                    f.cmp("init", init, &a.init);
                    f.cmp("lexize", lexize, &a.lexize);
                });
            self.comment(ty, &q, comment, &a.comment);
        }
    }
}
