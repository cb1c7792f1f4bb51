//! Identifiers and literals written as PostgreSQL's own `quote_ident` and
//! `quote_literal` write them, so that rendered DDL reads like what
//! `pg_dump` and the catalog functions print.

use std::borrow::Cow;

/// The keywords an identifier must be quoted to be: PostgreSQL's keywords
/// other than the unreserved ones (`pg_get_keywords() WHERE catcode <> 'U'`,
/// as `src/postgres/queries/keywords.sql` reads them from a live server),
/// each with the first `server_version_num` that has it (0: every supported
/// version). Taken from PostgreSQL 13 to 18; 13, 14 and 15 have the same
/// list, 16 added five words and 17 eight (18 none).
const KEYWORDS: &[(&str, u32)] = &[
    ("all", 0),
    ("analyse", 0),
    ("analyze", 0),
    ("and", 0),
    ("any", 0),
    ("array", 0),
    ("as", 0),
    ("asc", 0),
    ("asymmetric", 0),
    ("authorization", 0),
    ("between", 0),
    ("bigint", 0),
    ("binary", 0),
    ("bit", 0),
    ("boolean", 0),
    ("both", 0),
    ("case", 0),
    ("cast", 0),
    ("char", 0),
    ("character", 0),
    ("check", 0),
    ("coalesce", 0),
    ("collate", 0),
    ("collation", 0),
    ("column", 0),
    ("concurrently", 0),
    ("constraint", 0),
    ("create", 0),
    ("cross", 0),
    ("current_catalog", 0),
    ("current_date", 0),
    ("current_role", 0),
    ("current_schema", 0),
    ("current_time", 0),
    ("current_timestamp", 0),
    ("current_user", 0),
    ("dec", 0),
    ("decimal", 0),
    ("default", 0),
    ("deferrable", 0),
    ("desc", 0),
    ("distinct", 0),
    ("do", 0),
    ("else", 0),
    ("end", 0),
    ("except", 0),
    ("exists", 0),
    ("extract", 0),
    ("false", 0),
    ("fetch", 0),
    ("float", 0),
    ("for", 0),
    ("foreign", 0),
    ("freeze", 0),
    ("from", 0),
    ("full", 0),
    ("grant", 0),
    ("greatest", 0),
    ("group", 0),
    ("grouping", 0),
    ("having", 0),
    ("ilike", 0),
    ("in", 0),
    ("initially", 0),
    ("inner", 0),
    ("inout", 0),
    ("int", 0),
    ("integer", 0),
    ("intersect", 0),
    ("interval", 0),
    ("into", 0),
    ("is", 0),
    ("isnull", 0),
    ("join", 0),
    ("json", 170000),
    ("json_array", 160000),
    ("json_arrayagg", 160000),
    ("json_exists", 170000),
    ("json_object", 160000),
    ("json_objectagg", 160000),
    ("json_query", 170000),
    ("json_scalar", 170000),
    ("json_serialize", 170000),
    ("json_table", 170000),
    ("json_value", 170000),
    ("lateral", 0),
    ("leading", 0),
    ("least", 0),
    ("left", 0),
    ("like", 0),
    ("limit", 0),
    ("localtime", 0),
    ("localtimestamp", 0),
    ("merge_action", 170000),
    ("national", 0),
    ("natural", 0),
    ("nchar", 0),
    ("none", 0),
    ("normalize", 0),
    ("not", 0),
    ("notnull", 0),
    ("null", 0),
    ("nullif", 0),
    ("numeric", 0),
    ("offset", 0),
    ("on", 0),
    ("only", 0),
    ("or", 0),
    ("order", 0),
    ("out", 0),
    ("outer", 0),
    ("overlaps", 0),
    ("overlay", 0),
    ("placing", 0),
    ("position", 0),
    ("precision", 0),
    ("primary", 0),
    ("real", 0),
    ("references", 0),
    ("returning", 0),
    ("right", 0),
    ("row", 0),
    ("select", 0),
    ("session_user", 0),
    ("setof", 0),
    ("similar", 0),
    ("smallint", 0),
    ("some", 0),
    ("substring", 0),
    ("symmetric", 0),
    ("system_user", 160000),
    ("table", 0),
    ("tablesample", 0),
    ("then", 0),
    ("time", 0),
    ("timestamp", 0),
    ("to", 0),
    ("trailing", 0),
    ("treat", 0),
    ("trim", 0),
    ("true", 0),
    ("union", 0),
    ("unique", 0),
    ("user", 0),
    ("using", 0),
    ("values", 0),
    ("varchar", 0),
    ("variadic", 0),
    ("verbose", 0),
    ("when", 0),
    ("where", 0),
    ("window", 0),
    ("with", 0),
    ("xmlattributes", 0),
    ("xmlconcat", 0),
    ("xmlelement", 0),
    ("xmlexists", 0),
    ("xmlforest", 0),
    ("xmlnamespaces", 0),
    ("xmlparse", 0),
    ("xmlpi", 0),
    ("xmlroot", 0),
    ("xmlserialize", 0),
    ("xmltable", 0),
];

/// Whether `word` is a keyword that `quote_ident` quotes on the server of
/// `version` (`server_version_num`).
pub fn is_keyword(word: &str, version: u32) -> bool {
    KEYWORDS
        .binary_search_by(|(w, _)| (*w).cmp(word))
        .is_ok_and(|i| KEYWORDS[i].1 <= version)
}

/// Every keyword of the server of `version`, sorted.
pub fn keywords(version: u32) -> impl Iterator<Item = &'static str> {
    KEYWORDS
        .iter()
        .filter(move |(_, since)| *since <= version)
        .map(|(w, _)| *w)
}

/// An identifier always in double quotes, quotes doubled: for statements the
/// program runs itself (a role or database name), where no reader needs the
/// bare form and the server's keyword list does not matter.
pub fn always_quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// An identifier as `quote_ident` writes it on the server of `version`:
/// bare when it is lower-case ASCII letters, digits and underscores, does
/// not start with a digit and is not a keyword; else in double quotes, with
/// quotes doubled.
pub fn ident(name: &str, version: u32) -> Cow<'_, str> {
    let bytes = name.as_bytes();
    let plain = bytes
        .first()
        .is_some_and(|b| b.is_ascii_lowercase() || *b == b'_')
        && bytes
            .iter()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'_')
        && !is_keyword(name, version);
    if plain {
        Cow::Borrowed(name)
    } else {
        Cow::Owned(format!("\"{}\"", name.replace('"', "\"\"")))
    }
}

/// A string literal as `quote_literal` writes it: quotes and backslashes
/// doubled, and an `E` before the literal when it holds a backslash, so it
/// reads the same whatever `standard_conforming_strings` is.
pub fn literal(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 3);
    if value.contains('\\') {
        out.push('E');
    }
    out.push('\'');
    for c in value.chars() {
        if c == '\'' || c == '\\' {
            out.push(c);
        }
        out.push(c);
    }
    out.push('\'');
    out
}

/// A dollar-quoted string (`$tag$...$tag$`) whose tag does not occur in
/// `body`, as `pg_get_functiondef` quotes function bodies.
pub fn dollar(body: &str, tag: &str) -> String {
    let mut t = format!("${tag}$");
    let mut n = 0;
    while body.contains(&t) {
        n += 1;
        t = format!("${tag}_{n}$");
    }
    format!("{t}{body}{t}")
}

/// A storage parameter (`reloptions` entry `name=value`) as it goes in a
/// `WITH (...)` or `SET (...)` list: the value bare when it is a plain word
/// or number, else a string literal.
pub fn reloption(option: &str) -> String {
    match option.split_once('=') {
        Some((name, value)) => {
            let bare = !value.is_empty()
                && value.bytes().all(|b| {
                    b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'.'
                })
                && !value.starts_with('.');
            if bare {
                format!("{name}={value}")
            } else {
                format!("{name}={}", literal(value))
            }
        }
        None => option.to_string(),
    }
}

/// The name of a storage parameter (`fillfactor` of `fillfactor=70`).
pub fn reloption_name(option: &str) -> &str {
    option.split_once('=').map_or(option, |(n, _)| n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_are_sorted_for_the_binary_search() {
        assert!(KEYWORDS.windows(2).all(|w| w[0].0 < w[1].0));
        assert_eq!(keywords(180000).count(), 164);
        assert_eq!(keywords(150000).count(), 151);
    }

    #[test]
    fn always_quoted_quotes_plain_names_and_doubles_quotes() {
        assert_eq!(always_quoted("app"), "\"app\"");
        assert_eq!(always_quoted("a\"b"), "\"a\"\"b\"");
    }

    #[test]
    fn identifiers_are_quoted_as_quote_ident_does() {
        let v = 180000;
        assert_eq!(ident("patients", v), "patients");
        assert_eq!(ident("_x1", v), "_x1");
        assert_eq!(ident("1x", v), "\"1x\"");
        assert_eq!(ident("Patients", v), "\"Patients\"");
        assert_eq!(ident("a b", v), "\"a b\"");
        assert_eq!(ident("say \"hi\"", v), "\"say \"\"hi\"\"\"");
        assert_eq!(ident("", v), "\"\"");
        // Reserved and column-name keywords are quoted; unreserved are not.
        assert_eq!(ident("user", v), "\"user\"");
        assert_eq!(ident("order", v), "\"order\"");
        assert_eq!(ident("between", v), "\"between\"");
        assert_eq!(ident("name", v), "name");
        assert_eq!(ident("comment", v), "comment");
        // json became a keyword in 17.
        assert_eq!(ident("json", 160000), "json");
        assert_eq!(ident("json", 170000), "\"json\"");
        assert_eq!(ident("système", v), "\"système\"");
    }

    #[test]
    fn literals_are_quoted_as_quote_literal_does() {
        assert_eq!(literal("plain"), "'plain'");
        assert_eq!(literal("it's"), "'it''s'");
        assert_eq!(literal(r"a\b"), r"E'a\\b'");
        assert_eq!(literal(""), "''");
    }

    #[test]
    fn dollar_tags_avoid_the_body() {
        assert_eq!(
            dollar("SELECT 1", "function"),
            "$function$SELECT 1$function$"
        );
        assert_eq!(
            dollar("x $function$ y", "function"),
            "$function_1$x $function$ y$function_1$"
        );
    }

    #[test]
    fn storage_parameters_quote_values_that_need_it() {
        assert_eq!(reloption("fillfactor=70"), "fillfactor=70");
        assert_eq!(
            reloption("autovacuum_enabled=false"),
            "autovacuum_enabled=false"
        );
        assert_eq!(
            reloption("toast.autovacuum_enabled=off"),
            "toast.autovacuum_enabled=off"
        );
        assert_eq!(reloption("check_option=local"), "check_option=local");
        assert_eq!(reloption("x=a b"), "x='a b'");
        assert_eq!(reloption_name("fillfactor=70"), "fillfactor");
    }
}
