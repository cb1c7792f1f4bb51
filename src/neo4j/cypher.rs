//! Just enough Cypher for schema migrations: split a file into statements,
//! tokenize them, and parse the schema commands (`CREATE`/`DROP`
//! `CONSTRAINT`/`INDEX`, Neo4j 4.4 and 5.x syntax) with a small
//! recursive-descent parser. Every other statement is recognised as "not a
//! schema command" and left alone.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::model::neo4j::{
    normalize_option, normalize_property_type, ConstraintKind, EntityType, IndexKind,
    Neo4jConstraint, Neo4jIndex,
};

/// One statement of a file, with the line it starts on (1-based).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    pub text: String,
    pub line: usize,
}

/// A syntax problem at a line (1-based, within the text given).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub line: usize,
    pub message: String,
}

impl SyntaxError {
    fn new(line: usize, message: impl Into<String>) -> SyntaxError {
        SyntaxError {
            line,
            message: message.into(),
        }
    }
}

/// Split a script on `;` outside strings (`'…'`, `"…"`, with backslash
/// escapes), quoted names (`` `…` ``, doubled backticks) and comments (`//…`,
/// `/*…*/`). Statements holding only whitespace and comments are dropped.
pub fn split(src: &str) -> Result<Vec<Statement>, SyntaxError> {
    let mut out = Vec::new();
    let chars: Vec<char> = src.chars().collect();
    let mut i = 0;
    let mut line = 1;
    let mut cur = String::new();
    let mut start_line: Option<usize> = None;
    let flush = |cur: &mut String, start: &mut Option<usize>, out: &mut Vec<Statement>| {
        if let Some(l) = start.take() {
            out.push(Statement {
                text: cur.trim().to_string(),
                line: l,
            });
        }
        cur.clear();
    };
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        match c {
            '/' if next == Some('/') => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
                continue;
            }
            '/' if next == Some('*') => {
                let open = line;
                i += 2;
                loop {
                    if i >= chars.len() {
                        return Err(SyntaxError::new(open, "unterminated /* comment"));
                    }
                    if chars[i] == '\n' {
                        line += 1;
                    }
                    if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                        i += 2;
                        break;
                    }
                    i += 1;
                }
                cur.push(' ');
                continue;
            }
            ';' => {
                flush(&mut cur, &mut start_line, &mut out);
                i += 1;
                continue;
            }
            '\'' | '"' | '`' => {
                start_line.get_or_insert(line);
                let open = line;
                cur.push(c);
                i += 1;
                loop {
                    let Some(&d) = chars.get(i) else {
                        let what = if c == '`' { "quoted name" } else { "string" };
                        return Err(SyntaxError::new(open, format!("unterminated {what}")));
                    };
                    cur.push(d);
                    i += 1;
                    if d == '\n' {
                        line += 1;
                    }
                    if d == '\\' && c != '`' {
                        if let Some(&e) = chars.get(i) {
                            cur.push(e);
                            i += 1;
                            if e == '\n' {
                                line += 1;
                            }
                        }
                        continue;
                    }
                    if d == c {
                        if c == '`' && chars.get(i) == Some(&'`') {
                            cur.push('`');
                            i += 1;
                            continue;
                        }
                        break;
                    }
                }
                continue;
            }
            _ => {}
        }
        if c == '\n' {
            line += 1;
        }
        if !c.is_whitespace() {
            start_line.get_or_insert(line);
        }
        if start_line.is_some() {
            cur.push(c);
        }
        i += 1;
    }
    flush(&mut cur, &mut start_line, &mut out);
    Ok(out)
}

/// A token with the line it is on (relative to the statement, 1-based).
#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    pub kind: Tok,
    pub line: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Tok {
    /// An unquoted name or keyword.
    Word(String),
    /// A `` `quoted` `` name.
    Quoted(String),
    /// A string literal, unescaped.
    Str(String),
    Number(String),
    /// `$name`.
    Param(String),
    /// Punctuation: `( ) [ ] { } : , . | - < > = ::` etc.
    Punct(&'static str),
}

impl Tok {
    fn describe(&self) -> String {
        match self {
            Tok::Word(w) => format!("`{w}`"),
            Tok::Quoted(w) => format!("`{w}`"),
            Tok::Str(s) => format!("the string '{s}'"),
            Tok::Number(n) => format!("the number {n}"),
            Tok::Param(p) => format!("the parameter ${p}"),
            Tok::Punct(p) => format!("`{p}`"),
        }
    }
}

const PUNCTS: &[&str] = &[
    "::", "->", "<-", "(", ")", "[", "]", "{", "}", ":", ",", ".", "|", "-", "<", ">", "=", "!",
    "+", "*", "/", "%", "^", ";",
];

/// Turn a statement into tokens, skipping whitespace and comments.
pub fn tokenize(text: &str) -> Result<Vec<Token>, SyntaxError> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let mut line = 1;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '\n' {
            line += 1;
            i += 1;
            continue;
        }
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
            continue;
        }
        if c == '/' && next == Some('*') {
            i += 2;
            while i < chars.len() && !(chars[i] == '*' && chars.get(i + 1) == Some(&'/')) {
                if chars[i] == '\n' {
                    line += 1;
                }
                i += 1;
            }
            i += 2;
            continue;
        }
        let tok_line = line;
        if c == '\'' || c == '"' {
            let mut s = String::new();
            i += 1;
            loop {
                let Some(&d) = chars.get(i) else {
                    return Err(SyntaxError::new(tok_line, "unterminated string"));
                };
                i += 1;
                if d == '\n' {
                    line += 1;
                }
                if d == '\\' {
                    let e = chars.get(i).copied().unwrap_or('\\');
                    i += 1;
                    s.push(match e {
                        'n' => '\n',
                        't' => '\t',
                        'r' => '\r',
                        other => other,
                    });
                    continue;
                }
                if d == c {
                    break;
                }
                s.push(d);
            }
            out.push(Token {
                kind: Tok::Str(s),
                line: tok_line,
            });
            continue;
        }
        if c == '`' {
            let mut s = String::new();
            i += 1;
            loop {
                let Some(&d) = chars.get(i) else {
                    return Err(SyntaxError::new(tok_line, "unterminated quoted name"));
                };
                i += 1;
                if d == '`' {
                    if chars.get(i) == Some(&'`') {
                        s.push('`');
                        i += 1;
                        continue;
                    }
                    break;
                }
                if d == '\n' {
                    line += 1;
                }
                s.push(d);
            }
            out.push(Token {
                kind: Tok::Quoted(s),
                line: tok_line,
            });
            continue;
        }
        if c.is_ascii_digit() {
            let mut s = String::new();
            while let Some(&d) = chars.get(i) {
                let exp_sign = (d == '-' || d == '+') && s.ends_with(['e', 'E']);
                if d.is_ascii_alphanumeric() || d == '.' || d == '_' || exp_sign {
                    // `1.` followed by a name is not a number part (n.1? never in schema)
                    s.push(d);
                    i += 1;
                } else {
                    break;
                }
            }
            out.push(Token {
                kind: Tok::Number(s),
                line: tok_line,
            });
            continue;
        }
        if c == '$' {
            let mut s = String::new();
            i += 1;
            while let Some(&d) = chars.get(i) {
                if d.is_alphanumeric() || d == '_' {
                    s.push(d);
                    i += 1;
                } else {
                    break;
                }
            }
            out.push(Token {
                kind: Tok::Param(s),
                line: tok_line,
            });
            continue;
        }
        if c.is_alphabetic() || c == '_' {
            let mut s = String::new();
            while let Some(&d) = chars.get(i) {
                if d.is_alphanumeric() || d == '_' {
                    s.push(d);
                    i += 1;
                } else {
                    break;
                }
            }
            out.push(Token {
                kind: Tok::Word(s),
                line: tok_line,
            });
            continue;
        }
        let rest: String = chars[i..chars.len().min(i + 2)].iter().collect();
        match PUNCTS.iter().find(|p| rest.starts_with(**p)) {
            Some(p) => {
                out.push(Token {
                    kind: Tok::Punct(p),
                    line: tok_line,
                });
                i += p.chars().count();
            }
            None => {
                return Err(SyntaxError::new(
                    tok_line,
                    format!("unexpected character `{c}`"),
                ));
            }
        }
    }
    Ok(out)
}

/// A parsed schema command.
#[derive(Debug, Clone, PartialEq)]
pub enum SchemaCommand {
    CreateConstraint {
        constraint: Neo4jConstraint,
        if_not_exists: bool,
    },
    CreateIndex {
        index: Neo4jIndex,
        if_not_exists: bool,
    },
    DropConstraint {
        name: String,
        if_exists: bool,
    },
    /// `DROP CONSTRAINT ON (n:L) ASSERT ...` (4.x).
    DropConstraintLike(Neo4jConstraint),
    DropIndex {
        name: String,
        if_exists: bool,
    },
    /// `DROP INDEX ON :L(p)` (4.x).
    DropIndexLike(Neo4jIndex),
}

/// What a statement is.
#[derive(Debug, Clone, PartialEq)]
pub enum Parsed {
    Schema(SchemaCommand),
    /// Anything else (data changes, procedure calls, ...).
    Other,
}

/// Parse one statement. Only statements that start like a schema command
/// (`CREATE [kind] INDEX`, `CREATE CONSTRAINT`, `DROP INDEX`, `DROP
/// CONSTRAINT`) are parsed; a malformed one is an error.
pub fn parse(text: &str) -> Result<Parsed, SyntaxError> {
    let tokens = tokenize(text)?;
    let mut p = Parser { t: &tokens, i: 0 };
    let is_schema = {
        let w = |k: usize| p.word_at(k).map(|s| s.to_ascii_uppercase());
        match (w(0).as_deref(), w(1).as_deref(), w(2).as_deref()) {
            (Some("CREATE"), Some("CONSTRAINT" | "INDEX"), _) => true,
            (Some("CREATE"), Some(k), Some("INDEX")) => IndexKind::parse(k).is_some(),
            (Some("DROP"), Some("CONSTRAINT" | "INDEX"), _) => true,
            _ => false,
        }
    };
    if !is_schema {
        return match p.index_procedure()? {
            Some(cmd) => Ok(Parsed::Schema(cmd)),
            None => Ok(Parsed::Other),
        };
    }
    let cmd = p.command()?;
    if let Some(t) = p.peek() {
        return Err(p.err_at(
            t,
            format!(
                "unexpected {} after the end of the command",
                t.kind.describe()
            ),
        ));
    }
    Ok(Parsed::Schema(cmd))
}

struct Parser<'a> {
    t: &'a [Token],
    i: usize,
}

/// A pattern: `(n:L)`, `(n:A|B)`, `()-[r:T]-()`, `(n)`.
struct Pattern {
    var: Option<String>,
    entity: EntityType,
    labels: Vec<String>,
}

type PResult<T> = Result<T, SyntaxError>;

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<&'a Token> {
        self.t.get(self.i)
    }

    fn word_at(&self, k: usize) -> Option<&'a str> {
        match self.t.get(self.i + k).map(|t| &t.kind) {
            Some(Tok::Word(w)) => Some(w),
            _ => None,
        }
    }

    fn line(&self) -> usize {
        self.peek()
            .or_else(|| self.t.last())
            .map(|t| t.line)
            .unwrap_or(1)
    }

    fn err_at(&self, t: &Token, msg: String) -> SyntaxError {
        SyntaxError::new(t.line, msg)
    }

    fn err(&self, expected: &str) -> SyntaxError {
        match self.peek() {
            Some(t) => SyntaxError::new(
                t.line,
                format!("expected {expected}, found {}", t.kind.describe()),
            ),
            None => SyntaxError::new(
                self.line(),
                format!("expected {expected}, found the end of the statement"),
            ),
        }
    }

    fn is_kw(&self, kw: &str) -> bool {
        self.word_at(0).is_some_and(|w| w.eq_ignore_ascii_case(kw))
    }

    fn eat_kw(&mut self, kw: &str) -> bool {
        if self.is_kw(kw) {
            self.i += 1;
            true
        } else {
            false
        }
    }

    fn kw(&mut self, kw: &str) -> PResult<()> {
        if self.eat_kw(kw) {
            Ok(())
        } else {
            Err(self.err(&format!("`{kw}`")))
        }
    }

    fn is_punct(&self, p: &str) -> bool {
        matches!(self.peek(), Some(Token { kind: Tok::Punct(q), .. }) if *q == p)
    }

    fn eat_punct(&mut self, p: &str) -> bool {
        if self.is_punct(p) {
            self.i += 1;
            true
        } else {
            false
        }
    }

    fn punct(&mut self, p: &str) -> PResult<()> {
        if self.eat_punct(p) {
            Ok(())
        } else {
            Err(self.err(&format!("`{p}`")))
        }
    }

    /// A name: a word or a quoted name.
    fn name(&mut self, what: &str) -> PResult<String> {
        match self.peek().map(|t| &t.kind) {
            Some(Tok::Word(w)) | Some(Tok::Quoted(w)) => {
                self.i += 1;
                Ok(w.clone())
            }
            Some(Tok::Param(_)) => Err(self.err_at(
                self.peek().unwrap(),
                format!("{what} given as a parameter cannot be read from a migration file"),
            )),
            _ => Err(self.err(what)),
        }
    }

    /// The index procedures of Neo4j 4.x and early 5.x, when the statement is
    /// nothing but one call of them:
    /// `CALL db.index.fulltext.createNodeIndex(name, labels, properties [, config])`,
    /// `createRelationshipIndex`, `db.index.fulltext.drop(name)`,
    /// `CALL db.index.vector.createNodeIndex(name, label, property, dimensions, similarity)`
    /// and `createRelationshipIndex`. Any other call is not a schema command.
    fn index_procedure(&mut self) -> PResult<Option<SchemaCommand>> {
        if !self.eat_kw("CALL") {
            return Ok(None);
        }
        let mut path = Vec::new();
        loop {
            match self.peek().map(|t| &t.kind) {
                Some(Tok::Word(w)) | Some(Tok::Quoted(w)) => path.push(w.to_ascii_lowercase()),
                _ => return Ok(None),
            }
            self.i += 1;
            if !self.eat_punct(".") {
                break;
            }
        }
        let proc_name = path.join(".");
        let known = [
            "db.index.fulltext.createnodeindex",
            "db.index.fulltext.createrelationshipindex",
            "db.index.fulltext.drop",
            "db.index.vector.createnodeindex",
            "db.index.vector.createrelationshipindex",
        ];
        if !known.contains(&proc_name.as_str()) {
            return Ok(None);
        }
        let line = self.line();
        self.punct("(")?;
        let mut args = Vec::new();
        if !self.eat_punct(")") {
            loop {
                args.push(self.value()?);
                if self.eat_punct(")") {
                    break;
                }
                self.punct(",")?;
            }
        }
        if let Some(t) = self.peek() {
            if matches!(&t.kind, Tok::Word(w) if w.eq_ignore_ascii_case("YIELD")) {
                // `YIELD` columns: nothing to fold.
                self.i = self.t.len();
            }
        }
        let bad = |m: &str| SyntaxError::new(line, format!("{proc_name}: {m}"));
        let string = |v: Option<&Value>, what: &str| -> PResult<String> {
            v.and_then(Value::as_str)
                .map(str::to_string)
                .ok_or_else(|| bad(&format!("{what} must be a string")))
        };
        let strings = |v: Option<&Value>, what: &str| -> PResult<Vec<String>> {
            match v {
                Some(Value::Array(items)) => items
                    .iter()
                    .map(|x| x.as_str().map(str::to_string))
                    .collect::<Option<Vec<_>>>()
                    .ok_or_else(|| bad(&format!("{what} must be a list of strings"))),
                Some(Value::String(s)) => Ok(vec![s.clone()]),
                _ => Err(bad(&format!("{what} must be a list of strings"))),
            }
        };
        let entity = if proc_name.ends_with("relationshipindex") {
            EntityType::Relationship
        } else {
            EntityType::Node
        };
        let cmd = match proc_name.as_str() {
            "db.index.fulltext.drop" => SchemaCommand::DropIndex {
                name: string(args.first(), "the index name")?,
                if_exists: false,
            },
            "db.index.fulltext.createnodeindex" | "db.index.fulltext.createrelationshipindex" => {
                let mut options = BTreeMap::new();
                if let Some(Value::Object(cfg)) = args.get(3) {
                    for (k, v) in cfg {
                        let key = if k.starts_with("fulltext.") {
                            k.clone()
                        } else {
                            format!("fulltext.{k}")
                        };
                        let n = normalize_option(&key, v.clone());
                        options.insert(key, n);
                    }
                }
                SchemaCommand::CreateIndex {
                    index: Neo4jIndex {
                        name: Some(string(args.first(), "the index name")?),
                        kind: IndexKind::Fulltext,
                        entity_type: entity,
                        labels_or_types: strings(args.get(1), "the labels or types")?,
                        properties: strings(args.get(2), "the properties")?,
                        provider: None,
                        options,
                    },
                    if_not_exists: false,
                }
            }
            _ => {
                let dims = args
                    .get(3)
                    .and_then(Value::as_i64)
                    .ok_or_else(|| bad("the dimensions must be an integer"))?;
                let sim = string(args.get(4), "the similarity function")?;
                let mut options = BTreeMap::new();
                options.insert("vector.dimensions".to_string(), Value::from(dims));
                options.insert(
                    "vector.similarity_function".to_string(),
                    normalize_option("vector.similarity_function", Value::from(sim)),
                );
                SchemaCommand::CreateIndex {
                    index: Neo4jIndex {
                        name: Some(string(args.first(), "the index name")?),
                        kind: IndexKind::Vector,
                        entity_type: entity,
                        labels_or_types: vec![string(args.get(1), "the label or type")?],
                        properties: vec![string(args.get(2), "the property")?],
                        provider: None,
                        options,
                    },
                    if_not_exists: false,
                }
            }
        };
        if let Some(t) = self.peek() {
            return Err(self.err_at(
                t,
                format!("unexpected {} after the procedure call", t.kind.describe()),
            ));
        }
        Ok(Some(cmd))
    }

    fn command(&mut self) -> PResult<SchemaCommand> {
        if self.eat_kw("CREATE") {
            if self.eat_kw("CONSTRAINT") {
                return self.create_constraint();
            }
            let kind = if self.eat_kw("INDEX") {
                None
            } else {
                let k = self.word_at(0).and_then(IndexKind::parse);
                self.i += 1;
                self.kw("INDEX")?;
                k
            };
            return self.create_index(kind);
        }
        self.kw("DROP")?;
        if self.eat_kw("CONSTRAINT") {
            if self.is_kw("ON") && !self.next_is_if_or_end(1) {
                self.i += 1;
                let c = self.constraint_body(None)?;
                return Ok(SchemaCommand::DropConstraintLike(c));
            }
            let name = self.name("a constraint name")?;
            let if_exists = self.if_exists()?;
            return Ok(SchemaCommand::DropConstraint { name, if_exists });
        }
        self.kw("INDEX")?;
        if self.is_kw("ON")
            && self
                .t
                .get(self.i + 1)
                .is_some_and(|t| t.kind == Tok::Punct(":"))
        {
            self.i += 1;
            let (labels, properties) = self.old_index_target()?;
            return Ok(SchemaCommand::DropIndexLike(Neo4jIndex {
                name: None,
                kind: IndexKind::Range,
                entity_type: EntityType::Node,
                labels_or_types: labels,
                properties,
                provider: None,
                options: BTreeMap::new(),
            }));
        }
        let name = self.name("an index name")?;
        let if_exists = self.if_exists()?;
        Ok(SchemaCommand::DropIndex { name, if_exists })
    }

    /// Whether the token `k` ahead is `IF` or the end (so `ON` was a name).
    fn next_is_if_or_end(&self, k: usize) -> bool {
        match self.t.get(self.i + k) {
            None => true,
            Some(Token {
                kind: Tok::Word(w), ..
            }) => w.eq_ignore_ascii_case("IF"),
            _ => false,
        }
    }

    fn if_exists(&mut self) -> PResult<bool> {
        if self.eat_kw("IF") {
            self.kw("EXISTS")?;
            return Ok(true);
        }
        Ok(false)
    }

    fn if_not_exists(&mut self) -> PResult<bool> {
        if self.eat_kw("IF") {
            self.kw("NOT")?;
            self.kw("EXISTS")?;
            return Ok(true);
        }
        Ok(false)
    }

    /// `[name] [IF NOT EXISTS]` before `FOR`/`ON`.
    fn optional_name(&mut self) -> PResult<Option<String>> {
        let keyword_next = self.is_kw("IF") || self.is_kw("FOR") || self.is_kw("ON");
        // `ON` or `FOR` can be a name only when followed by another name-ish token.
        let name_like = matches!(
            self.peek().map(|t| &t.kind),
            Some(Tok::Word(_) | Tok::Quoted(_) | Tok::Param(_))
        );
        if !name_like {
            return Ok(None);
        }
        if keyword_next && matches!(self.peek().map(|t| &t.kind), Some(Tok::Word(_))) {
            // `CREATE INDEX FOR ...`, `CREATE CONSTRAINT IF NOT EXISTS ...`:
            // treat the keyword as a name only if a FOR/ON/IF follows it.
            let after = self.word_at(1).map(|w| w.to_ascii_uppercase());
            if !matches!(after.as_deref(), Some("FOR" | "ON" | "IF")) {
                return Ok(None);
            }
        }
        Ok(Some(self.name("a name")?))
    }

    fn create_constraint(&mut self) -> PResult<SchemaCommand> {
        let name = self.optional_name()?;
        let if_not_exists = self.if_not_exists()?;
        if !(self.eat_kw("FOR") || self.eat_kw("ON")) {
            return Err(self.err("`FOR` or `ON`"));
        }
        let mut c = self.constraint_body(name)?;
        if self.eat_kw("OPTIONS") {
            let (provider, options) = self.options()?;
            c.index_provider = provider;
            c.options = options;
        }
        Ok(SchemaCommand::CreateConstraint {
            constraint: c,
            if_not_exists,
        })
    }

    /// `pattern (REQUIRE|ASSERT) predicate`, after `FOR`/`ON`.
    fn constraint_body(&mut self, name: Option<String>) -> PResult<Neo4jConstraint> {
        let start = self.line();
        let pat = self.pattern(false)?;
        if pat.labels.len() != 1 {
            return Err(SyntaxError::new(
                start,
                "a constraint applies to exactly one label or relationship type",
            ));
        }
        if !(self.eat_kw("REQUIRE") || self.eat_kw("ASSERT")) {
            return Err(self.err("`REQUIRE` or `ASSERT`"));
        }
        let mut c = Neo4jConstraint {
            name,
            kind: ConstraintKind::Exists,
            entity_type: pat.entity,
            labels_or_types: pat.labels,
            properties: vec![],
            property_type: None,
            enforced_label: None,
            index_provider: None,
            options: BTreeMap::new(),
        };
        // 4.x: ASSERT exists(n.p)
        if self.is_kw("exists")
            && self
                .t
                .get(self.i + 1)
                .is_some_and(|t| t.kind == Tok::Punct("("))
        {
            self.i += 2;
            c.properties = vec![self.property(&pat.var)?];
            self.punct(")")?;
            return Ok(c);
        }
        // 2025.x: REQUIRE n:Label
        if self.word_at(0).is_some()
            && self
                .t
                .get(self.i + 1)
                .is_some_and(|t| t.kind == Tok::Punct(":"))
        {
            self.var_ref(&pat.var)?;
            self.punct(":")?;
            c.kind = ConstraintKind::LabelExistence;
            c.enforced_label = Some(self.name("a label")?);
            return Ok(c);
        }
        c.properties = if self.eat_punct("(") {
            let mut props = vec![self.property(&pat.var)?];
            while self.eat_punct(",") {
                props.push(self.property(&pat.var)?);
            }
            self.punct(")")?;
            props
        } else {
            vec![self.property(&pat.var)?]
        };
        if self.eat_punct("::") {
            c.kind = ConstraintKind::PropertyType;
            c.property_type = Some(self.type_expr()?);
            return Ok(c);
        }
        self.kw("IS")?;
        if self.eat_kw("UNIQUE") {
            c.kind = ConstraintKind::Unique;
        } else if self.eat_kw("NOT") {
            self.kw("NULL")?;
            c.kind = ConstraintKind::Exists;
        } else if self.eat_kw("KEY") {
            c.kind = ConstraintKind::Key;
        } else if self.eat_kw("NODE") || self.eat_kw("RELATIONSHIP") || self.eat_kw("REL") {
            if self.eat_kw("KEY") {
                c.kind = ConstraintKind::Key;
            } else if self.eat_kw("UNIQUE") {
                c.kind = ConstraintKind::Unique;
            } else {
                return Err(self.err("`KEY` or `UNIQUE`"));
            }
        } else if self.eat_punct("::") || self.eat_kw("TYPED") {
            c.kind = ConstraintKind::PropertyType;
            c.property_type = Some(self.type_expr()?);
        } else {
            return Err(
                self.err("`UNIQUE`, `NODE KEY`, `RELATIONSHIP KEY`, `NOT NULL` or `:: TYPE`")
            );
        }
        if matches!(
            c.kind,
            ConstraintKind::Exists | ConstraintKind::PropertyType
        ) && c.properties.len() != 1
        {
            return Err(SyntaxError::new(
                start,
                "an existence or property type constraint applies to exactly one property",
            ));
        }
        Ok(c)
    }

    /// A property type up to `OPTIONS` or the end: words, `<`, `>`, `|`.
    fn type_expr(&mut self) -> PResult<String> {
        let mut s = String::new();
        while let Some(t) = self.peek() {
            match &t.kind {
                Tok::Word(w) if w.eq_ignore_ascii_case("OPTIONS") => break,
                Tok::Word(w) => {
                    if !s.is_empty() && !s.ends_with('<') {
                        s.push(' ');
                    }
                    s.push_str(w);
                }
                Tok::Punct(p @ ("<" | ">" | "|" | "!")) => {
                    if *p == "|" {
                        s.push_str(" | ");
                    } else {
                        let trimmed = s.trim_end().to_string();
                        s = trimmed;
                        s.push_str(p);
                    }
                }
                _ => break,
            }
            self.i += 1;
        }
        if s.trim().is_empty() {
            return Err(self.err("a property type"));
        }
        Ok(normalize_property_type(&s))
    }

    /// `var.prop`, checking the variable.
    fn property(&mut self, var: &Option<String>) -> PResult<String> {
        self.var_ref(var)?;
        self.punct(".")?;
        self.name("a property name")
    }

    fn var_ref(&mut self, var: &Option<String>) -> PResult<()> {
        let t = self.peek().cloned();
        let v = self.name("a variable")?;
        match var {
            Some(expected) if *expected != v => Err(SyntaxError::new(
                t.map(|t| t.line).unwrap_or(1),
                format!("the variable `{v}` is not the pattern's `{expected}`"),
            )),
            _ => Ok(()),
        }
    }

    /// `(n:L)`, `(n:A|B)`, `(n)`, `()-[r:T]-()`, `()<-[r:T|U]-()`, `()-[r]->()`.
    fn pattern(&mut self, allow_many: bool) -> PResult<Pattern> {
        self.punct("(")?;
        if self.eat_punct(")") {
            // Relationship pattern.
            let _ = self.eat_punct("<-") || self.eat_punct("-");
            self.punct("[")?;
            let (var, labels) = self.var_and_labels(allow_many)?;
            self.punct("]")?;
            let _ = self.eat_punct("->") || self.eat_punct("-");
            self.eat_punct(">");
            self.punct("(")?;
            self.punct(")")?;
            return Ok(Pattern {
                var,
                entity: EntityType::Relationship,
                labels,
            });
        }
        let (var, labels) = self.var_and_labels(allow_many)?;
        self.punct(")")?;
        Ok(Pattern {
            var,
            entity: EntityType::Node,
            labels,
        })
    }

    fn var_and_labels(&mut self, allow_many: bool) -> PResult<(Option<String>, Vec<String>)> {
        let var = if matches!(
            self.peek().map(|t| &t.kind),
            Some(Tok::Word(_) | Tok::Quoted(_))
        ) {
            Some(self.name("a variable")?)
        } else {
            None
        };
        let mut labels = Vec::new();
        if self.eat_punct(":") {
            labels.push(self.name("a label or relationship type")?);
            while self.eat_punct("|") || (allow_many && self.eat_punct(":")) {
                labels.push(self.name("a label or relationship type")?);
            }
        }
        Ok((var, labels))
    }

    /// `:Label(p, q)` of the old `CREATE INDEX ON` / `DROP INDEX ON`.
    fn old_index_target(&mut self) -> PResult<(Vec<String>, Vec<String>)> {
        self.punct(":")?;
        let label = self.name("a label")?;
        self.punct("(")?;
        let mut props = vec![self.name("a property name")?];
        while self.eat_punct(",") {
            props.push(self.name("a property name")?);
        }
        self.punct(")")?;
        Ok((vec![label], props))
    }

    fn create_index(&mut self, kind: Option<IndexKind>) -> PResult<SchemaCommand> {
        let start = self.line();
        // Old form: CREATE INDEX ON :Label(prop)
        if kind.is_none()
            && self.is_kw("ON")
            && self
                .t
                .get(self.i + 1)
                .is_some_and(|t| t.kind == Tok::Punct(":"))
        {
            self.i += 1;
            let (labels, properties) = self.old_index_target()?;
            return Ok(SchemaCommand::CreateIndex {
                index: Neo4jIndex {
                    name: None,
                    kind: IndexKind::Range,
                    entity_type: EntityType::Node,
                    labels_or_types: labels,
                    properties,
                    provider: None,
                    options: BTreeMap::new(),
                },
                if_not_exists: false,
            });
        }
        let name = self.optional_name()?;
        let if_not_exists = self.if_not_exists()?;
        self.kw("FOR")?;
        let kind = kind.unwrap_or(IndexKind::Range);
        let pat = self.pattern(kind == IndexKind::Fulltext)?;
        self.kw("ON")?;
        let mut index = Neo4jIndex {
            name,
            kind,
            entity_type: pat.entity,
            labels_or_types: pat.labels,
            properties: vec![],
            provider: None,
            options: BTreeMap::new(),
        };
        match kind {
            IndexKind::Lookup => {
                if !index.labels_or_types.is_empty() {
                    return Err(SyntaxError::new(
                        start,
                        "a LOOKUP index pattern has no label or type",
                    ));
                }
                self.eat_kw("EACH");
                let f = self.name("`labels` or `type`")?;
                let want = match pat.entity {
                    EntityType::Node => "labels",
                    EntityType::Relationship => "type",
                };
                if !f.eq_ignore_ascii_case(want) {
                    return Err(SyntaxError::new(
                        start,
                        format!(
                            "a LOOKUP index on {}s is `ON EACH {want}(...)`",
                            pat.entity.as_str()
                        ),
                    ));
                }
                self.punct("(")?;
                self.var_ref(&pat.var)?;
                self.punct(")")?;
            }
            IndexKind::Fulltext => {
                self.kw("EACH")?;
                self.punct("[")?;
                index.properties.push(self.property(&pat.var)?);
                while self.eat_punct(",") {
                    index.properties.push(self.property(&pat.var)?);
                }
                self.punct("]")?;
            }
            _ => {
                if self.eat_punct("(") {
                    index.properties.push(self.property(&pat.var)?);
                    while self.eat_punct(",") {
                        index.properties.push(self.property(&pat.var)?);
                    }
                    self.punct(")")?;
                } else {
                    index.properties.push(self.property(&pat.var)?);
                }
                // Neo4j 2025.x vector indexes: `WITH [n.a, n.b]` filter properties.
                if kind == IndexKind::Vector && self.eat_kw("WITH") {
                    self.punct("[")?;
                    let mut extra = vec![self.property(&pat.var)?];
                    while self.eat_punct(",") {
                        extra.push(self.property(&pat.var)?);
                    }
                    self.punct("]")?;
                    index
                        .options
                        .insert("vector.with".into(), Value::from(extra));
                }
            }
        }
        if kind != IndexKind::Lookup && index.labels_or_types.is_empty() {
            return Err(SyntaxError::new(
                start,
                "the index pattern needs a label or relationship type",
            ));
        }
        if kind != IndexKind::Fulltext && index.labels_or_types.len() > 1 {
            return Err(SyntaxError::new(
                start,
                "only a FULLTEXT index can cover several labels or types",
            ));
        }
        if self.eat_kw("OPTIONS") {
            let (provider, options) = self.options()?;
            index.provider = provider;
            index.options.extend(options);
        }
        Ok(SchemaCommand::CreateIndex {
            index,
            if_not_exists,
        })
    }

    /// `OPTIONS {indexProvider: '...', indexConfig: {...}}` -> provider and
    /// flattened, normalised config.
    fn options(&mut self) -> PResult<(Option<String>, BTreeMap<String, Value>)> {
        let line = self.line();
        let v = self.value()?;
        let Value::Object(map) = v else {
            return Err(SyntaxError::new(line, "OPTIONS must be a map"));
        };
        let mut provider = None;
        let mut config = BTreeMap::new();
        for (k, v) in map {
            match k.as_str() {
                "indexProvider" => match v {
                    Value::String(s) => provider = Some(s),
                    _ => return Err(SyntaxError::new(line, "indexProvider must be a string")),
                },
                "indexConfig" => match v {
                    Value::Object(cfg) => {
                        for (ck, cv) in cfg {
                            let n = normalize_option(&ck, cv);
                            config.insert(ck, n);
                        }
                    }
                    _ => return Err(SyntaxError::new(line, "indexConfig must be a map")),
                },
                other => {
                    return Err(SyntaxError::new(
                        line,
                        format!("unknown option `{other}` (expected indexProvider or indexConfig)"),
                    ))
                }
            }
        }
        Ok((provider, config))
    }

    /// A literal: map, list, string, number, boolean, null.
    fn value(&mut self) -> PResult<Value> {
        let Some(t) = self.peek() else {
            return Err(self.err("a value"));
        };
        match &t.kind {
            Tok::Punct("{") => {
                self.i += 1;
                let mut m = serde_json::Map::new();
                if self.eat_punct("}") {
                    return Ok(Value::Object(m));
                }
                loop {
                    let k = self.name("a map key")?;
                    self.punct(":")?;
                    let v = self.value()?;
                    m.insert(k, v);
                    if self.eat_punct("}") {
                        return Ok(Value::Object(m));
                    }
                    self.punct(",")?;
                }
            }
            Tok::Punct("[") => {
                self.i += 1;
                let mut items = Vec::new();
                if self.eat_punct("]") {
                    return Ok(Value::Array(items));
                }
                loop {
                    items.push(self.value()?);
                    if self.eat_punct("]") {
                        return Ok(Value::Array(items));
                    }
                    self.punct(",")?;
                }
            }
            Tok::Punct("-") => {
                self.i += 1;
                match self.value()? {
                    Value::Number(n) => Ok(n
                        .as_i64()
                        .map(|i| Value::from(-i))
                        .unwrap_or_else(|| Value::from(-n.as_f64().unwrap_or(0.0)))),
                    _ => Err(SyntaxError::new(t.line, "`-` must precede a number")),
                }
            }
            Tok::Str(s) => {
                self.i += 1;
                Ok(Value::String(s.clone()))
            }
            Tok::Number(n) => {
                self.i += 1;
                let clean = n.replace('_', "");
                if let Ok(i) = clean.parse::<i64>() {
                    Ok(Value::from(i))
                } else if let Ok(f) = clean.parse::<f64>() {
                    Ok(Value::from(f))
                } else {
                    Err(SyntaxError::new(t.line, format!("`{n}` is not a number")))
                }
            }
            Tok::Word(w) if w.eq_ignore_ascii_case("true") => {
                self.i += 1;
                Ok(Value::Bool(true))
            }
            Tok::Word(w) if w.eq_ignore_ascii_case("false") => {
                self.i += 1;
                Ok(Value::Bool(false))
            }
            Tok::Word(w) if w.eq_ignore_ascii_case("null") => {
                self.i += 1;
                Ok(Value::Null)
            }
            _ => Err(self.err("a literal value")),
        }
    }
}

#[cfg(test)]
mod tests;
