//! The objects an SQL text names, for ordering a creation script.
//!
//! Every text in the model was printed by PostgreSQL with an empty
//! `search_path`, so any object outside `pg_catalog` is written with its
//! schema: `care.mood[]`, `care.touch()`, `nextval('care.ids'::regclass)`,
//! `FROM care.patients`. A small SQL tokenizer finds each `a.b` pair of
//! names, in the text and inside its string literals (a `regclass` or
//! `regproc` constant is a literal); the script builder keeps the pairs that
//! name an object of the schema. Column references such as `patients.name`
//! give pairs too, which name nothing and are dropped there.

/// A lexical token of interest.
#[derive(Debug, PartialEq)]
enum Token {
    /// An identifier, folded as PostgreSQL folds it (quoted: as written).
    Name(String),
    Dot,
    /// A string literal's value.
    Literal(String),
    Other,
}

/// Every `a.b` pair of consecutive names in `sql` (`a.b.c` gives `(a, b)`
/// and `(b, c)`), and those inside its string literals.
pub fn qualified_names(sql: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    pairs(&tokens(sql), &mut out, true);
    out
}

fn pairs(toks: &[Token], out: &mut Vec<(String, String)>, literals: bool) {
    for (i, t) in toks.iter().enumerate() {
        match t {
            Token::Name(a) => {
                if let (Some(Token::Dot), Some(Token::Name(b))) = (toks.get(i + 1), toks.get(i + 2))
                {
                    out.push((a.clone(), b.clone()));
                }
            }
            Token::Literal(s) if literals && s.contains('.') => pairs(&tokens(s), out, false),
            _ => {}
        }
    }
}

fn is_ident_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_' || !c.is_ascii()
}

fn is_ident_char(c: char) -> bool {
    is_ident_start(c) || c.is_ascii_digit() || c == '$'
}

fn tokens(sql: &str) -> Vec<Token> {
    let chars: Vec<char> = sql.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let n = chars.len();
    while i < n {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c == '-' && chars.get(i + 1) == Some(&'-') {
            while i < n && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && chars.get(i + 1) == Some(&'*') {
            let mut depth = 0;
            while i < n {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
        } else if c == '\'' {
            let (s, next) = quoted(&chars, i + 1, '\'', false);
            out.push(Token::Literal(s));
            i = next;
        } else if (c == 'E' || c == 'e') && chars.get(i + 1) == Some(&'\'') {
            let (s, next) = quoted(&chars, i + 2, '\'', true);
            out.push(Token::Literal(s));
            i = next;
        } else if c == '"' {
            let (s, next) = quoted(&chars, i + 1, '"', false);
            out.push(Token::Name(s));
            i = next;
        } else if c == '$' {
            // A dollar quote `$tag$...$tag$`, or a parameter `$1`.
            let mut j = i + 1;
            while j < n && (chars[j].is_alphanumeric() || chars[j] == '_') && chars[j] != '$' {
                j += 1;
            }
            if j < n && chars[j] == '$' && !chars.get(i + 1).is_some_and(|d| d.is_ascii_digit()) {
                let tag: String = chars[i..=j].iter().collect();
                let rest: String = chars[j + 1..].iter().collect();
                match rest.find(&tag) {
                    Some(end) => {
                        out.push(Token::Literal(rest[..end].to_string()));
                        i = j + 1 + rest[..end].chars().count() + tag.chars().count();
                    }
                    None => i = n,
                }
            } else {
                out.push(Token::Other);
                i = j.max(i + 1);
            }
        } else if is_ident_start(c) {
            let start = i;
            while i < n && is_ident_char(chars[i]) {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            out.push(Token::Name(word.to_ascii_lowercase()));
        } else if c.is_ascii_digit() {
            while i < n && (chars[i].is_ascii_alphanumeric() || chars[i] == '.' || chars[i] == '_')
            {
                i += 1;
            }
            out.push(Token::Other);
        } else if c == '.' {
            out.push(Token::Dot);
            i += 1;
        } else {
            out.push(Token::Other);
            i += 1;
        }
    }
    out
}

/// The text of a quoted token starting after its opening `quote` at
/// `start`, and where the token ends: the quote doubled stands for itself;
/// with `escapes`, a backslash escapes the next character.
fn quoted(chars: &[char], start: usize, quote: char, escapes: bool) -> (String, usize) {
    let mut s = String::new();
    let mut i = start;
    while i < chars.len() {
        let c = chars[i];
        if escapes && c == '\\' {
            if let Some(&d) = chars.get(i + 1) {
                s.push(d);
            }
            i += 2;
        } else if c == quote {
            if chars.get(i + 1) == Some(&quote) {
                s.push(quote);
                i += 2;
            } else {
                return (s, i + 1);
            }
        } else {
            s.push(c);
            i += 1;
        }
    }
    (s, i)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(sql: &str) -> Vec<String> {
        qualified_names(sql)
            .into_iter()
            .map(|(a, b)| format!("{a}.{b}"))
            .collect()
    }

    #[test]
    fn finds_qualified_names_in_text_and_literals() {
        assert_eq!(names("care.mood[]"), ["care.mood"]);
        assert_eq!(
            names("nextval('care.patients_id_seq'::regclass)"),
            ["care.patients_id_seq"]
        );
        assert_eq!(names(r#"nextval('"Care"."Ids"'::regclass)"#), ["Care.Ids"]);
        assert_eq!(
            names(" SELECT patients.id\n   FROM care.patients\n  WHERE care.ok(patients.name)"),
            ["patients.id", "care.patients", "care.ok", "patients.name"]
        );
        assert_eq!(names(r#""My Schema"."T"."c""#), ["My Schema.T", "T.c"]);
    }

    #[test]
    fn skips_comments_numbers_and_plain_literals() {
        assert_eq!(names("-- care.x\n1.5 + a /* b.c */"), Vec::<String>::new());
        assert_eq!(names("'x a.b'"), ["a.b"]);
        assert_eq!(names("$1 + $body$ care.t $body$"), ["care.t"]);
        assert_eq!(names("E'x\\'y.z'"), Vec::<String>::new());
    }
}
