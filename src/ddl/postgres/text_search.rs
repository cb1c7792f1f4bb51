//! Text search configurations, dictionaries, parsers and templates, written
//! as `pg_dump` writes them (dumpTSConfig, dumpTSDictionary, dumpTSParser,
//! dumpTSTemplate): a configuration is made with its parser alone, then
//! given one mapping per token type. PostgreSQL alters a configuration's
//! mappings and a dictionary's options; another parser, template or
//! function is a new object (dropping one fails while what uses it stays).

use std::collections::BTreeMap;

use super::privileges::{self, Kind, Target};
use super::{alter_comment, comment, Name, Pg};
use crate::ddl::{Alter, Hazard, Statement};
use crate::model::postgres::{
    TextSearchConfiguration, TextSearchDictionary, TextSearchParser, TextSearchTemplate,
};

fn target(kind: Kind, q: &str) -> Target<'_> {
    Target { kind, sql: q }
}

// ---- configurations --------------------------------------------------------

/// `CREATE TEXT SEARCH CONFIGURATION .. (PARSER = ..)`, its mappings, comment
/// and owner.
pub fn create_configuration(r: &Pg, at: Name, c: &TextSearchConfiguration) -> Vec<Statement> {
    let q = r.qual(at);
    let mut out = vec![Statement::new(format!(
        "CREATE TEXT SEARCH CONFIGURATION {q} (PARSER = {})",
        c.parser
    ))];
    out.extend(mapping_alters(r, at, &c.mappings, &BTreeMap::new()));
    out.extend(privileges::with_comment(
        r,
        target(Kind::TextSearchConfiguration, &q),
        c.comment.as_ref(),
        &c.privileges,
    ));
    out
}

/// `DROP TEXT SEARCH CONFIGURATION`.
pub fn drop_configuration(r: &Pg, at: Name) -> Statement {
    Statement::new(format!("DROP TEXT SEARCH CONFIGURATION {}", r.qual(at)))
}

/// The mapping statements that turn mappings `actual` into `expected`:
/// `ADD MAPPING` for a token type `actual` does not map, `ALTER MAPPING` for
/// one mapped to other dictionaries, `DROP MAPPING` for one `expected` does
/// not map.
pub fn mapping_alters(
    r: &Pg,
    at: Name,
    expected: &BTreeMap<String, Vec<String>>,
    actual: &BTreeMap<String, Vec<String>>,
) -> Vec<Statement> {
    let q = r.qual(at);
    let mut out = Vec::new();
    for (token, dicts) in expected {
        let verb = match actual.get(token) {
            Some(a) if a == dicts => continue,
            Some(_) => "ALTER",
            None => "ADD",
        };
        out.push(Statement::new(format!(
            "ALTER TEXT SEARCH CONFIGURATION {q} {verb} MAPPING FOR {} WITH {}",
            r.ident(token),
            dicts.join(", ")
        )));
    }
    for token in actual.keys().filter(|t| !expected.contains_key(*t)) {
        out.push(drop_mapping(r, at, token));
    }
    out
}

/// `ALTER TEXT SEARCH CONFIGURATION .. DROP MAPPING FOR token`.
pub fn drop_mapping(r: &Pg, at: Name, token: &str) -> Statement {
    Statement::new(format!(
        "ALTER TEXT SEARCH CONFIGURATION {} DROP MAPPING FOR {}",
        r.qual(at),
        r.ident(token)
    ))
}

/// Turn configuration `actual` into `expected`: mappings, comment and owner
/// alter; another parser is a new configuration.
pub fn alter_configuration(
    r: &Pg,
    at: Name,
    expected: &TextSearchConfiguration,
    actual: &TextSearchConfiguration,
) -> Alter {
    let TextSearchConfiguration {
        parser,
        mappings,
        comment: _,    // altered below
        privileges: _, // likewise
    } = expected;
    if *parser != actual.parser {
        return Alter::Recreate {
            reason: "no ALTER TEXT SEARCH CONFIGURATION changes its parser".to_string(),
            drop: vec![drop_configuration(r, at).with(&[Hazard::MayFail])],
            create: create_configuration(r, at, expected),
        };
    }
    let mut out = mapping_alters(r, at, mappings, &actual.mappings);
    out.extend(configuration_owner_and_comment(r, at, expected, actual));
    Alter::InPlace(out)
}

/// The comment and owner of a configuration, altered.
pub fn configuration_owner_and_comment(
    r: &Pg,
    at: Name,
    expected: &TextSearchConfiguration,
    actual: &TextSearchConfiguration,
) -> Vec<Statement> {
    let q = r.qual(at);
    privileges::alter_with_comment(
        r,
        target(Kind::TextSearchConfiguration, &q),
        (expected.comment.as_ref(), actual.comment.as_ref()),
        &expected.privileges,
        &actual.privileges,
    )
}

// ---- dictionaries ----------------------------------------------------------

/// `CREATE TEXT SEARCH DICTIONARY .. (TEMPLATE = .., options)`, its comment
/// and owner.
pub fn create_dictionary(r: &Pg, at: Name, d: &TextSearchDictionary) -> Vec<Statement> {
    let q = r.qual(at);
    let mut clauses = vec![format!("TEMPLATE = {}", d.template)];
    clauses.extend(
        d.options
            .iter()
            .map(|(k, v)| format!("{} = {v}", r.ident(k))),
    );
    let mut out = vec![Statement::new(format!(
        "CREATE TEXT SEARCH DICTIONARY {q} ({})",
        clauses.join(", ")
    ))];
    out.extend(privileges::with_comment(
        r,
        target(Kind::TextSearchDictionary, &q),
        d.comment.as_ref(),
        &d.privileges,
    ));
    out
}

/// `DROP TEXT SEARCH DICTIONARY`.
pub fn drop_dictionary(r: &Pg, at: Name) -> Statement {
    Statement::new(format!("DROP TEXT SEARCH DICTIONARY {}", r.qual(at)))
}

/// Turn dictionary `actual` into `expected`: options (one `ALTER` that
/// sets what differs and takes away, by naming it alone, what EXPECTED
/// lacks), comment and owner alter; another template is a new dictionary.
pub fn alter_dictionary(
    r: &Pg,
    at: Name,
    expected: &TextSearchDictionary,
    actual: &TextSearchDictionary,
) -> Alter {
    let q = r.qual(at);
    let TextSearchDictionary {
        template,
        options,
        comment: _,    // altered below
        privileges: _, // likewise
    } = expected;
    if *template != actual.template {
        return Alter::Recreate {
            reason: "no ALTER TEXT SEARCH DICTIONARY changes its template".to_string(),
            drop: vec![drop_dictionary(r, at).with(&[Hazard::MayFail])],
            create: create_dictionary(r, at, expected),
        };
    }
    let mut changed: Vec<String> = options
        .iter()
        .filter(|(k, v)| actual.options.get(*k) != Some(*v))
        .map(|(k, v)| format!("{} = {v}", r.ident(k)))
        .collect();
    changed.extend(
        actual
            .options
            .keys()
            .filter(|k| !options.contains_key(*k))
            .map(|k| r.ident(k).into_owned()),
    );
    let mut out = Vec::new();
    if !changed.is_empty() {
        out.push(Statement::new(format!(
            "ALTER TEXT SEARCH DICTIONARY {q} ({})",
            changed.join(", ")
        )));
    }
    out.extend(privileges::alter_with_comment(
        r,
        target(Kind::TextSearchDictionary, &q),
        (expected.comment.as_ref(), actual.comment.as_ref()),
        &expected.privileges,
        &actual.privileges,
    ));
    Alter::InPlace(out)
}

// ---- parsers and templates -------------------------------------------------

/// `CREATE TEXT SEARCH PARSER`, and its comment.
pub fn create_parser(r: &Pg, at: Name, p: &TextSearchParser) -> Vec<Statement> {
    let q = r.qual(at);
    let mut clauses = vec![
        format!("START = {}", p.start),
        format!("GETTOKEN = {}", p.gettoken),
        format!("END = {}", p.end),
    ];
    if let Some(h) = &p.headline {
        clauses.push(format!("HEADLINE = {h}"));
    }
    clauses.push(format!("LEXTYPES = {}", p.lextypes));
    let mut out = vec![Statement::new(format!(
        "CREATE TEXT SEARCH PARSER {q} ({})",
        clauses.join(", ")
    ))];
    if let Some(c) = &p.comment {
        out.push(comment(&format!("TEXT SEARCH PARSER {q}"), Some(c)));
    }
    out
}

/// `DROP TEXT SEARCH PARSER`.
pub fn drop_parser(r: &Pg, at: Name) -> Statement {
    Statement::new(format!("DROP TEXT SEARCH PARSER {}", r.qual(at)))
}

/// Turn parser `actual` into `expected`: the comment alters; other
/// functions make a new parser.
pub fn alter_parser(
    r: &Pg,
    at: Name,
    expected: &TextSearchParser,
    actual: &TextSearchParser,
) -> Alter {
    let TextSearchParser {
        start,
        gettoken,
        end,
        lextypes,
        headline,
        comment: _, // altered below
    } = expected;
    let same = *start == actual.start
        && *gettoken == actual.gettoken
        && *end == actual.end
        && *lextypes == actual.lextypes
        && *headline == actual.headline;
    if !same {
        return Alter::Recreate {
            reason: "no ALTER TEXT SEARCH PARSER changes its functions".to_string(),
            drop: vec![drop_parser(r, at).with(&[Hazard::MayFail])],
            create: create_parser(r, at, expected),
        };
    }
    let target = format!("TEXT SEARCH PARSER {}", r.qual(at));
    let c = alter_comment(&target, expected.comment.as_ref(), actual.comment.as_ref());
    Alter::InPlace(c.into_iter().collect())
}

/// `CREATE TEXT SEARCH TEMPLATE`, and its comment.
pub fn create_template(r: &Pg, at: Name, t: &TextSearchTemplate) -> Vec<Statement> {
    let q = r.qual(at);
    let mut clauses = Vec::new();
    if let Some(i) = &t.init {
        clauses.push(format!("INIT = {i}"));
    }
    clauses.push(format!("LEXIZE = {}", t.lexize));
    let mut out = vec![Statement::new(format!(
        "CREATE TEXT SEARCH TEMPLATE {q} ({})",
        clauses.join(", ")
    ))];
    if let Some(c) = &t.comment {
        out.push(comment(&format!("TEXT SEARCH TEMPLATE {q}"), Some(c)));
    }
    out
}

/// `DROP TEXT SEARCH TEMPLATE`.
pub fn drop_template(r: &Pg, at: Name) -> Statement {
    Statement::new(format!("DROP TEXT SEARCH TEMPLATE {}", r.qual(at)))
}

/// Turn template `actual` into `expected`: the comment alters; other
/// functions make a new template.
pub fn alter_template(
    r: &Pg,
    at: Name,
    expected: &TextSearchTemplate,
    actual: &TextSearchTemplate,
) -> Alter {
    let TextSearchTemplate {
        init,
        lexize,
        comment: _, // altered below
    } = expected;
    if *init != actual.init || *lexize != actual.lexize {
        return Alter::Recreate {
            reason: "no ALTER TEXT SEARCH TEMPLATE changes its functions".to_string(),
            drop: vec![drop_template(r, at).with(&[Hazard::MayFail])],
            create: create_template(r, at, expected),
        };
    }
    let target = format!("TEXT SEARCH TEMPLATE {}", r.qual(at));
    let c = alter_comment(&target, expected.comment.as_ref(), actual.comment.as_ref());
    Alter::InPlace(c.into_iter().collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ddl::sql_of;
    use crate::model::postgres::Privileges;

    const AT: Name = Name {
        schema: "care",
        name: "notes",
        foreign: false,
    };

    fn config() -> TextSearchConfiguration {
        TextSearchConfiguration {
            parser: "\"default\"".into(),
            mappings: [
                (
                    "asciiword".to_string(),
                    vec!["care.syn".to_string(), "english_stem".to_string()],
                ),
                ("int".to_string(), vec!["simple".to_string()]),
            ]
            .into(),
            comment: None,
            privileges: Privileges::default(),
        }
    }

    fn dictionary() -> TextSearchDictionary {
        TextSearchDictionary {
            template: "snowball".into(),
            options: [
                ("language".to_string(), "'english'".to_string()),
                ("stopwords".to_string(), "'english'".to_string()),
            ]
            .into(),
            comment: None,
            privileges: Privileges::default(),
        }
    }

    #[test]
    fn configurations_are_created_with_their_parser_then_mapped() {
        let r = Pg::default();
        let mut c = config();
        c.comment = Some("notes".into());
        c.privileges.owner = Some("care_admin".into());
        assert_eq!(
            sql_of(create_configuration(&r, AT, &c)),
            [
                "CREATE TEXT SEARCH CONFIGURATION care.notes (PARSER = \"default\")",
                "ALTER TEXT SEARCH CONFIGURATION care.notes ADD MAPPING FOR asciiword \
                 WITH care.syn, english_stem",
                "ALTER TEXT SEARCH CONFIGURATION care.notes ADD MAPPING FOR \"int\" WITH simple",
                "COMMENT ON TEXT SEARCH CONFIGURATION care.notes IS 'notes'",
                "ALTER TEXT SEARCH CONFIGURATION care.notes OWNER TO care_admin",
            ]
        );
    }

    #[test]
    fn mappings_alter_token_by_token_and_a_parser_is_a_new_configuration() {
        let r = Pg::default();
        let mut a = config();
        a.mappings
            .insert("asciiword".into(), vec!["english_stem".into()]);
        a.mappings.remove("int");
        a.mappings.insert("email".into(), vec!["simple".into()]);
        assert_eq!(
            sql_of(alter_configuration(&r, AT, &config(), &a).into_statements()),
            [
                "ALTER TEXT SEARCH CONFIGURATION care.notes ALTER MAPPING FOR asciiword \
                 WITH care.syn, english_stem",
                "ALTER TEXT SEARCH CONFIGURATION care.notes ADD MAPPING FOR \"int\" WITH simple",
                "ALTER TEXT SEARCH CONFIGURATION care.notes DROP MAPPING FOR email",
            ]
        );
        a = config();
        a.parser = "care.words".into();
        match alter_configuration(&r, AT, &config(), &a) {
            Alter::Recreate { drop, create, .. } => {
                assert_eq!(sql_of(drop), ["DROP TEXT SEARCH CONFIGURATION care.notes"]);
                assert_eq!(create.len(), 3);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn dictionaries_set_and_take_away_options() {
        let r = Pg::default();
        assert_eq!(
            sql_of(create_dictionary(&r, AT, &dictionary())),
            [
                "CREATE TEXT SEARCH DICTIONARY care.notes (TEMPLATE = snowball, \
                 language = 'english', stopwords = 'english')"
            ]
        );
        let mut a = dictionary();
        a.options.insert("language".into(), "'german'".into());
        a.options.insert("maxlen".into(), "10".into());
        a.options.remove("stopwords");
        a.comment = Some("x".into());
        assert_eq!(
            sql_of(alter_dictionary(&r, AT, &dictionary(), &a).into_statements()),
            [
                "ALTER TEXT SEARCH DICTIONARY care.notes (language = 'english', \
                 stopwords = 'english', maxlen)",
                "COMMENT ON TEXT SEARCH DICTIONARY care.notes IS NULL",
            ]
        );
        a = dictionary();
        a.template = "simple".into();
        assert!(matches!(
            alter_dictionary(&r, AT, &dictionary(), &a),
            Alter::Recreate { .. }
        ));
    }

    #[test]
    fn parsers_and_templates_are_written_as_pg_dump_writes_them() {
        let r = Pg::default();
        let p = TextSearchParser {
            start: "prsd_start".into(),
            gettoken: "prsd_nexttoken".into(),
            end: "prsd_end".into(),
            lextypes: "prsd_lextype".into(),
            headline: Some("prsd_headline".into()),
            comment: Some("words".into()),
        };
        assert_eq!(
            sql_of(create_parser(&r, AT, &p)),
            [
                "CREATE TEXT SEARCH PARSER care.notes (START = prsd_start, \
                 GETTOKEN = prsd_nexttoken, END = prsd_end, HEADLINE = prsd_headline, \
                 LEXTYPES = prsd_lextype)",
                "COMMENT ON TEXT SEARCH PARSER care.notes IS 'words'",
            ]
        );
        let t = TextSearchTemplate {
            init: None,
            lexize: "care.lexize".into(),
            comment: None,
        };
        assert_eq!(
            sql_of(create_template(&r, AT, &t)),
            ["CREATE TEXT SEARCH TEMPLATE care.notes (LEXIZE = care.lexize)"]
        );
        let with_init = TextSearchTemplate {
            init: Some("dsimple_init".into()),
            ..t.clone()
        };
        match alter_template(&r, AT, &with_init, &t) {
            Alter::Recreate { drop, .. } => {
                assert_eq!(sql_of(drop), ["DROP TEXT SEARCH TEMPLATE care.notes"]);
            }
            other => panic!("{other:?}"),
        }
        let mut commented = p.clone();
        commented.comment = None;
        assert_eq!(
            sql_of(alter_parser(&r, AT, &commented, &p).into_statements()),
            ["COMMENT ON TEXT SEARCH PARSER care.notes IS NULL"]
        );
    }
}
