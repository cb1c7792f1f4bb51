//! Text search configurations, dictionaries, parsers and templates: their
//! rows (`queries/text_search_*.sql`) and their place in the model. A
//! dictionary's options come as PostgreSQL keeps them, one text in the
//! order given (`serialize_deflist`), and are split here into a map, so
//! that the order they were given or altered in does not count.

use std::collections::BTreeMap;

use crate::model::postgres::{
    PgSchema, TextSearchConfiguration, TextSearchDictionary, TextSearchParser, TextSearchTemplate,
};

use super::{privileges, RawPrivileges};

/// A row of `text_search_configurations.sql`.
#[derive(Debug, Clone, Default)]
pub struct RawTextSearchConfiguration {
    pub schema: String,
    pub name: String,
    pub parser: String,
    /// `{"token": ["dictionary", ...], ...}`, or none without mappings.
    pub mappings: Option<serde_json::Value>,
    pub comment: Option<String>,
    pub privileges: RawPrivileges,
}

/// A row of `text_search_dictionaries.sql`.
#[derive(Debug, Clone, Default)]
pub struct RawTextSearchDictionary {
    pub schema: String,
    pub name: String,
    pub template: String,
    /// `dictinitoption`: `name = 'value', ...`.
    pub options: Option<String>,
    pub comment: Option<String>,
    pub privileges: RawPrivileges,
}

/// A row of `text_search_parsers.sql`.
#[derive(Debug, Clone, Default)]
pub struct RawTextSearchParser {
    pub schema: String,
    pub name: String,
    pub start: String,
    pub gettoken: String,
    pub end: String,
    pub lextypes: String,
    pub headline: Option<String>,
    pub comment: Option<String>,
}

/// A row of `text_search_templates.sql`.
#[derive(Debug, Clone, Default)]
pub struct RawTextSearchTemplate {
    pub schema: String,
    pub name: String,
    pub init: Option<String>,
    pub lexize: String,
    pub comment: Option<String>,
}

/// The rows of the four queries.
#[derive(Debug, Clone, Default)]
pub struct RawTextSearch {
    pub configurations: Vec<RawTextSearchConfiguration>,
    pub dictionaries: Vec<RawTextSearchDictionary>,
    pub parsers: Vec<RawTextSearchParser>,
    pub templates: Vec<RawTextSearchTemplate>,
}

impl RawTextSearch {
    pub fn absorb(&mut self, other: &mut RawTextSearch) {
        self.configurations.append(&mut other.configurations);
        self.dictionaries.append(&mut other.dictionaries);
        self.parsers.append(&mut other.parsers);
        self.templates.append(&mut other.templates);
    }
}

/// Put the text search objects in their schemas.
pub fn assemble_text_search(out: &mut PgSchema, raw: RawTextSearch) {
    let RawTextSearch {
        configurations,
        dictionaries,
        parsers,
        templates,
    } = raw;
    for RawTextSearchConfiguration {
        schema,
        name,
        parser,
        mappings,
        comment,
        privileges: acl,
    } in configurations
    {
        let mappings = mappings
            .and_then(|m| serde_json::from_value(m).ok())
            .unwrap_or_default();
        let s = out.schemas.entry(schema).or_default();
        s.text_search_configurations.insert(
            name,
            TextSearchConfiguration {
                parser,
                mappings,
                comment,
                privileges: privileges(acl),
            },
        );
    }
    for RawTextSearchDictionary {
        schema,
        name,
        template,
        options,
        comment,
        privileges: acl,
    } in dictionaries
    {
        let s = out.schemas.entry(schema).or_default();
        s.text_search_dictionaries.insert(
            name,
            TextSearchDictionary {
                template,
                options: options
                    .as_deref()
                    .map(dictionary_options)
                    .unwrap_or_default(),
                comment,
                privileges: privileges(acl),
            },
        );
    }
    for RawTextSearchParser {
        schema,
        name,
        start,
        gettoken,
        end,
        lextypes,
        headline,
        comment,
    } in parsers
    {
        let s = out.schemas.entry(schema).or_default();
        s.text_search_parsers.insert(
            name,
            TextSearchParser {
                start,
                gettoken,
                end,
                lextypes,
                headline,
                comment,
            },
        );
    }
    for RawTextSearchTemplate {
        schema,
        name,
        init,
        lexize,
        comment,
    } in templates
    {
        let s = out.schemas.entry(schema).or_default();
        s.text_search_templates.insert(
            name,
            TextSearchTemplate {
                init,
                lexize,
                comment,
            },
        );
    }
}

/// A dictionary's options as PostgreSQL's `serialize_deflist` writes them
/// (`name = 'value', other = 10`: each name as `quote_ident` prints it, each
/// value a string literal, `E''` when it holds a backslash, or a number),
/// read as `deserialize_deflist` reads them: name (unquoted) -> the value's
/// text as written. A text that does not read so is kept whole, under the
/// empty name, so that it is still compared.
pub fn dictionary_options(text: &str) -> BTreeMap<String, String> {
    read_options(text).unwrap_or_else(|| [(String::new(), text.to_string())].into())
}

fn read_options(text: &str) -> Option<BTreeMap<String, String>> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = BTreeMap::new();
    let mut i = 0;
    let skip_space = |i: &mut usize| {
        while *i < chars.len() && chars[*i].is_whitespace() {
            *i += 1;
        }
    };
    loop {
        skip_space(&mut i);
        if i == chars.len() {
            return Some(out);
        }
        // The name: an identifier, or one in double quotes ("" for ").
        let mut name = String::new();
        if chars[i] == '"' {
            i += 1;
            loop {
                match chars.get(i)? {
                    '"' if chars.get(i + 1) == Some(&'"') => {
                        name.push('"');
                        i += 2;
                    }
                    '"' => {
                        i += 1;
                        break;
                    }
                    c => {
                        name.push(*c);
                        i += 1;
                    }
                }
            }
        } else {
            while i < chars.len() && !chars[i].is_whitespace() && chars[i] != '=' {
                name.push(chars[i]);
                i += 1;
            }
        }
        skip_space(&mut i);
        if chars.get(i) != Some(&'=') || name.is_empty() {
            return None;
        }
        i += 1;
        skip_space(&mut i);
        // The value: a literal ('' for ', and \\ in an E'' one), or a
        // number, up to the next comma.
        let start = i;
        let escaped = matches!(chars.get(i), Some('E' | 'e')) && chars.get(i + 1) == Some(&'\'');
        if escaped {
            i += 1;
        }
        if chars.get(i) == Some(&'\'') {
            i += 1;
            loop {
                match chars.get(i)? {
                    '\'' if chars.get(i + 1) == Some(&'\'') => i += 2,
                    '\\' if escaped => i += 2,
                    '\'' => {
                        i += 1;
                        break;
                    }
                    _ => i += 1,
                }
            }
        } else {
            while i < chars.len() && chars[i] != ',' && !chars[i].is_whitespace() {
                i += 1;
            }
        }
        let value: String = chars.get(start..i)?.iter().collect();
        if value.is_empty() {
            return None;
        }
        out.insert(name, value);
        skip_space(&mut i);
        match chars.get(i) {
            None => return Some(out),
            Some(',') => i += 1,
            Some(_) => return None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_read_as_postgresql_writes_them() {
        let o = dictionary_options("language = 'english', stopwords = 'english'");
        assert_eq!(
            o,
            [
                ("language".to_string(), "'english'".to_string()),
                ("stopwords".to_string(), "'english'".to_string()),
            ]
            .into()
        );
        // Another order, a number, a quoted name, quotes and backslashes.
        let o = dictionary_options(
            r#"maxlen = 10, "Odd ""x""" = 'it''s', path = E'a\\b, c', accept = 'false'"#,
        );
        assert_eq!(o["maxlen"], "10");
        assert_eq!(o[r#"Odd "x""#], "'it''s'");
        assert_eq!(o["path"], r"E'a\\b, c'");
        assert_eq!(o["accept"], "'false'");
        assert_eq!(o.len(), 4);
        assert!(dictionary_options("").is_empty());
        // What does not read so is kept whole.
        let odd = dictionary_options("language 'english'");
        assert_eq!(odd[""], "language 'english'");
    }
}
