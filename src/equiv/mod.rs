//! Equal in meaning, equal in the report: PostgreSQL expressions compared by
//! their parse trees when their text differs.
//!
//! The model keeps every expression as PostgreSQL printed it (`pg_get_expr`,
//! `pg_get_constraintdef`, `pg_get_viewdef`, ...), and the differ compares
//! that text. PostgreSQL does not always print one meaning one way:
//!
//! - **Within a version, across `pg_dump | psql`.** An implicit coercion of
//!   an `ARRAY[...]` constructor (`varchar_col IN ('a', 'b')` is
//!   `(col)::text = ANY (<varchar[] constructor coerced to text[]>)`) is
//!   printed as a cast of the constructor, `(ARRAY['a'::character varying,
//!   ...])::text[]` (ruleutils.c, `get_coercion_expr`). Read back, a cast of
//!   a constructor becomes a cast of each element (parse_expr.c,
//!   `transformTypeCast` passes the element type down to
//!   `transformArrayExpr`), printed `ARRAY[('a'::character varying)::text,
//!   ...]`. Every place an expression is stored has it: checks, domain
//!   checks, exclusion predicates, index keys and predicates, policies,
//!   trigger WHENs, views, defaults, generated columns, partition keys and
//!   SQL-standard function bodies.
//! - **PostgreSQL 16 against 15 and older**: a view or materialized view
//!   reading one relation prints its columns unqualified (16 dropped the
//!   OLD and NEW entries from a view's range table, and ruleutils.c
//!   qualifies columns when the query's range table has more than one entry).
//! - **PostgreSQL 14 against 13**: 14 prints the functions the SQL standard
//!   gives a syntax of their own in that syntax (`SUBSTRING(x FROM 2)`,
//!   `(t AT TIME ZONE 'UTC')`, `TRIM(BOTH FROM x)`, `EXTRACT(year FROM d)`;
//!   ruleutils.c, `get_func_sql_syntax`), without the implicit casts of their
//!   arguments, where 13 prints plain calls with them (`"substring"((x)::text,
//!   2)`). And 14 made `EXTRACT` a function of its own returning `numeric`
//!   where 13 called `date_part`, returning `double precision`; the constant
//!   it is compared with is cast to match.
//!
//! So when two texts differ, both are parsed with PostgreSQL's own parser
//! (libpg_query), positions are dropped, and the trees are rewritten to one
//! form: a cast of a non-empty `ARRAY[...]` to an array type becomes the
//! constructor of the elements cast to the element type, `pg_catalog.f` and
//! the SQL syntax of `f` become the call `f(...)`, and in a view reading one
//! relation that relation's name is dropped from the columns of the
//! outermost query. The rules for 13 against 14 and later (casts of the
//! arguments of the SQL-syntax functions dropped, `date_part` read as
//! `EXTRACT`, the cast of a number compared with it dropped) lose a little
//! precision, so they apply only when the two sides come from either side
//! of that line. Text that does not parse (or holds a lazy read's
//! placeholder) compares as text.
//!
//! Nothing here talks to a server: a target is never written to, not even
//! a temporary object, and a snapshot file compares as a live database does.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use serde_json::{Map, Value};

#[cfg(test)]
mod tests;

/// What a text is, which decides how it is parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// A scalar expression: a default, a generation expression, an index key
    /// or predicate, a policy's USING or WITH CHECK, a trigger's WHEN.
    Expression,
    /// `pg_get_constraintdef`: `CHECK (...)`, `EXCLUDE USING ...`, ...
    Constraint,
    /// `pg_get_viewdef`: the query of a view or materialized view.
    Query,
    /// `pg_get_partkeydef`: `RANGE (...)`, `LIST (...)`, `HASH (...)`.
    PartitionKey,
    /// A SQL-standard function body: `RETURN ...` or `BEGIN ATOMIC ... END`.
    SqlBody,
}

/// How to compare the expressions of two snapshots, from the PostgreSQL
/// versions that printed them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Equiv {
    /// One side printed by PostgreSQL 13 or older, the other by 14 or newer.
    across_sql_syntax: bool,
    /// A subscription's default `streaming` on each side's server, when
    /// both versions are known.
    streaming_defaults: Option<(&'static str, &'static str)>,
}

/// The `streaming` a subscription gets by default on major version
/// `major`: `parallel` from PostgreSQL 18, `off` before.
fn default_streaming(major: u32) -> &'static str {
    if major >= 18 {
        "parallel"
    } else {
        "off"
    }
}

/// The first major version that prints SQL-syntax function calls as such.
const SQL_SYNTAX_MAJOR: u32 = 14;

impl Equiv {
    /// For snapshots whose `server_version` is `expected` and `actual`
    /// (`PostgreSQL 15.4`); an unknown version is taken to be the other's.
    pub fn new(expected: Option<&str>, actual: Option<&str>) -> Equiv {
        let (e, a) = (expected.and_then(major), actual.and_then(major));
        Equiv {
            across_sql_syntax: matches!((e, a), (Some(e), Some(a))
                if (e < SQL_SYNTAX_MAJOR) != (a < SQL_SYNTAX_MAJOR)),
            streaming_defaults: e
                .zip(a)
                .map(|(e, a)| (default_streaming(e), default_streaming(a))),
        }
    }

    /// For two snapshots, from the versions that printed them.
    pub fn of(expected: &crate::model::Snapshot, actual: &crate::model::Snapshot) -> Equiv {
        Equiv::new(
            expected.server_version.as_deref(),
            actual.server_version.as_deref(),
        )
    }

    /// Are two subscriptions' `streaming` the same? Equal ones are, and so
    /// are two that are each their own server's default (`off` before
    /// PostgreSQL 18, `parallel` from 18): the same migrations give them.
    pub fn same_streaming(&self, expected: &str, actual: &str) -> bool {
        expected == actual
            || self
                .streaming_defaults
                .is_some_and(|(e, a)| expected == e && actual == a)
    }

    /// Do two texts of `kind` mean the same? Equal text always does.
    pub fn same(&self, kind: Kind, expected: &str, actual: &str) -> bool {
        expected == actual || self.meaning(kind, expected) == self.meaning(kind, actual)
    }

    /// [`Equiv::same`] for optional texts: both absent is the same, one
    /// absent is not.
    pub fn same_opt(&self, kind: Kind, expected: Option<&str>, actual: Option<&str>) -> bool {
        match (expected, actual) {
            (Some(e), Some(a)) => self.same(kind, e, a),
            (e, a) => e == a,
        }
    }

    /// A key that two texts share exactly when [`Equiv::same`] holds: the
    /// normalised tree, or the text itself when it does not parse. Cached
    /// per thread, since one expression is often written on many tables
    /// (and pairing renamed objects asks for the same text many times).
    pub fn meaning(&self, kind: Kind, text: &str) -> Rc<str> {
        /// Cached keys are dropped when they hold more bytes than this.
        const BUDGET: usize = 32 << 20;
        thread_local! {
            static CACHE: RefCell<Cache> = RefCell::new(Cache::default());
        }
        let key = (kind, self.across_sql_syntax, text.to_string());
        if let Some(m) = CACHE.with_borrow(|c| c.keys.get(&key).cloned()) {
            return m;
        }
        let m: Rc<str> = match self.tree(kind, text) {
            Some(t) => format!("tree:{t}"),
            None => format!("text:{text}"),
        }
        .into();
        CACHE.with_borrow_mut(|c| {
            c.bytes += key.2.len() + m.len();
            if c.bytes > BUDGET {
                c.keys.clear();
                c.bytes = key.2.len() + m.len();
            }
            c.keys.insert(key, m.clone());
        });
        m
    }

    /// The normalised parse tree of `text`, or `None` when it does not
    /// parse as one statement of its kind.
    fn tree(&self, kind: Kind, text: &str) -> Option<Value> {
        if crate::postgres::holds_placeholder(text) {
            return None;
        }
        let sql = match kind {
            Kind::Expression => format!("SELECT {text}"),
            Kind::Constraint => format!("ALTER TABLE t ADD {text}"),
            Kind::Query => text.to_string(),
            Kind::PartitionKey => format!("CREATE TABLE t () PARTITION BY {text}"),
            Kind::SqlBody => format!("CREATE FUNCTION f() RETURNS void LANGUAGE sql {text}"),
        };
        let parsed = pg_query::parse(&sql, 0).ok()?;
        if parsed.protobuf.stmts.len() != 1 {
            return None;
        }
        let mut v = serde_json::to_value(&parsed.protobuf.stmts[0].stmt).ok()?;
        normalise(&mut v, self);
        if kind == Kind::Query {
            if let Some(select) = node_mut(&mut v, "SelectStmt") {
                unqualify_single_relation(select);
            }
        }
        Some(v)
    }
}

/// Were two snapshots read from different PostgreSQL major versions (both
/// known)? Then equal meanings may be printed otherwise.
pub fn majors_differ(a: &crate::model::Snapshot, b: &crate::model::Snapshot) -> bool {
    let m = |s: &crate::model::Snapshot| s.server_version.as_deref().and_then(major);
    matches!((m(a), m(b)), (Some(x), Some(y)) if x != y)
}

/// Are two installed versions of an extension the same? Equal ones are, and
/// so are two that are each the version `CREATE EXTENSION` installs on its
/// own server (`default_version` absent): the same migrations give them.
pub fn same_extension_version(
    expected: &crate::model::postgres::Extension,
    actual: &crate::model::postgres::Extension,
) -> bool {
    expected.version == actual.version
        || (expected.default_version.is_none() && actual.default_version.is_none())
}

/// [`Equiv::meaning`]'s keys by (kind, rules, text), and their size.
#[derive(Default)]
struct Cache {
    bytes: usize,
    keys: HashMap<(Kind, bool, String), Rc<str>>,
}

/// The major version in a `server_version` such as `PostgreSQL 15.4` or
/// `PostgreSQL 18beta1`.
pub fn major(server_version: &str) -> Option<u32> {
    let v = server_version
        .strip_prefix("PostgreSQL ")
        .unwrap_or(server_version);
    let digits: String = v.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// Fields that hold positions in the parsed text, not meaning.
const POSITIONS: &[&str] = &[
    "location",
    "list_start",
    "list_end",
    "rexpr_list_start",
    "rexpr_list_end",
    "stmt_location",
    "stmt_len",
];

/// The functions PostgreSQL 14 and later print in the SQL standard's own
/// syntax (ruleutils.c, `get_func_sql_syntax`); 13 prints them as calls.
const SQL_SYNTAX_FUNCTIONS: &[&str] = &[
    "btrim",
    "extract",
    "is_normalized",
    "ltrim",
    "normalize",
    "overlay",
    "overlaps",
    "pg_collation_for",
    "position",
    "rtrim",
    "substring",
    "timezone",
    "xmlexists",
];

/// `CoercionForm` values in libpg_query's protobuf.
const COERCE_EXPLICIT_CALL: i64 = 1;
const COERCE_SQL_SYNTAX: i64 = 4;
/// `A_Expr_Kind::AEXPR_OP`.
const AEXPR_OP: i64 = 1;
/// `SetOperation::SETOP_NONE`.
const SETOP_NONE: i64 = 1;

/// Rewrite a parse tree (as JSON) to its one form, children first.
fn normalise(v: &mut Value, eq: &Equiv) {
    match v {
        Value::Array(items) => items.iter_mut().for_each(|x| normalise(x, eq)),
        Value::Object(m) => {
            m.retain(|k, _| !POSITIONS.contains(&k.as_str()));
            m.values_mut().for_each(|x| normalise(x, eq));
            rewrite(m, eq);
        }
        _ => {}
    }
}

/// The rules, applied to a node wrapper `{"node": {"Kind": {...}}}`.
fn rewrite(wrapper: &mut Map<String, Value>, eq: &Equiv) {
    if wrapper.len() != 1 {
        return;
    }
    let Some(Value::Object(inner)) = wrapper.get_mut("node") else {
        return;
    };
    let pushed = match inner.get("TypeCast") {
        Some(Value::Object(cast)) => push_array_cast(cast),
        _ => None,
    };
    if let Some(pushed) = pushed {
        wrapper.insert("node".into(), pushed);
    } else if let Some(Value::Object(call)) = inner.get_mut("FuncCall") {
        plain_call(call);
        if eq.across_sql_syntax {
            sql_syntax_arguments(call);
        }
    } else if let Some(Value::Object(op)) = inner.get_mut("AExpr") {
        if eq.across_sql_syntax {
            extract_comparison(op);
        }
    }
}

fn unwrap_ref(v: &Value) -> Option<(&str, &Map<String, Value>)> {
    let Value::Object(inner) = v.as_object()?.get("node")? else {
        return None;
    };
    if inner.len() != 1 {
        return None;
    }
    let (kind, fields) = inner.iter().next()?;
    Some((kind.as_str(), fields.as_object()?))
}

/// The fields of the statement's top node of `kind`.
fn node_mut<'a>(v: &'a mut Value, kind: &str) -> Option<&'a mut Map<String, Value>> {
    v.get_mut("node")?.get_mut(kind)?.as_object_mut()
}

fn wrap(kind: &str, fields: Map<String, Value>) -> Value {
    let mut inner = Map::new();
    inner.insert(kind.into(), Value::Object(fields));
    let mut w = Map::new();
    w.insert("node".into(), Value::Object(inner));
    Value::Object(w)
}

/// `(ARRAY[a, b])::t[]` -> `ARRAY[a::t, b::t]`, as PostgreSQL reads it:
/// the new inner node of the wrapper, or `None` when the rule does not apply.
fn push_array_cast(cast: &Map<String, Value>) -> Option<Value> {
    let type_name = cast.get("type_name")?.as_object()?;
    if type_name
        .get("array_bounds")
        .and_then(Value::as_array)
        .is_none_or(Vec::is_empty)
    {
        return None;
    }
    let arg = cast.get("arg")?;
    let ("AArrayExpr", array) = unwrap_ref(arg)? else {
        return None;
    };
    if array
        .get("elements")
        .and_then(Value::as_array)
        .is_none_or(Vec::is_empty)
    {
        return None;
    }
    let mut element_type = type_name.clone();
    element_type.insert("array_bounds".into(), Value::Array(Vec::new()));
    let pushed = push_into(arg, &element_type);
    pushed.get("node").cloned()
}

/// `e` cast to the element type, or, when `e` is itself a constructor (of a
/// multi-dimensional array), its elements cast.
fn push_into(e: &Value, element_type: &Map<String, Value>) -> Value {
    if let Some(("AArrayExpr", array)) = unwrap_ref(e) {
        if let Some(elements) = array.get("elements").and_then(Value::as_array) {
            if !elements.is_empty() {
                let mut a = array.clone();
                a.insert(
                    "elements".into(),
                    Value::Array(
                        elements
                            .iter()
                            .map(|x| push_into(x, element_type))
                            .collect(),
                    ),
                );
                return wrap("AArrayExpr", a);
            }
        }
    }
    let mut c = Map::new();
    c.insert("arg".into(), e.clone());
    c.insert("type_name".into(), Value::Object(element_type.clone()));
    wrap("TypeCast", c)
}

/// `pg_catalog.f(...)` and the SQL syntax of `f` as the plain call
/// `f(...)`: with the empty `search_path` a snapshot is read with,
/// PostgreSQL prints a `pg_catalog` function unqualified.
fn plain_call(call: &mut Map<String, Value>) {
    if let Some(Value::Array(name)) = call.get_mut("funcname") {
        if name.len() == 2 && string_of(&name[0]) == Some("pg_catalog") {
            name.remove(0);
        }
    }
    if call.get("funcformat").and_then(Value::as_i64) == Some(COERCE_SQL_SYNTAX) {
        call.insert("funcformat".into(), COERCE_EXPLICIT_CALL.into());
    }
}

/// 13 against 14 and later: `date_part` is `EXTRACT`, and the arguments of
/// the SQL-syntax functions lose their casts (13 prints the implicit ones,
/// 14 none).
fn sql_syntax_arguments(call: &mut Map<String, Value>) {
    let Some(Value::Array(name)) = call.get_mut("funcname") else {
        return;
    };
    let [only] = name.as_mut_slice() else {
        return;
    };
    if string_of(only) == Some("date_part") {
        *only = string_node("extract");
    }
    if !string_of(only).is_some_and(|n| SQL_SYNTAX_FUNCTIONS.contains(&n)) {
        return;
    }
    if let Some(Value::Array(args)) = call.get_mut("args") {
        for a in args {
            while let Some(("TypeCast", cast)) = unwrap_ref(a) {
                let inner = cast.get("arg").cloned().unwrap_or(Value::Null);
                *a = inner;
            }
        }
    }
}

/// 13 against 14 and later: in `EXTRACT(...) > (2000)::numeric` (14) and
/// `date_part(...) > (2000)::double precision` (13), the number without its
/// cast.
fn extract_comparison(op: &mut Map<String, Value>) {
    if op.get("kind").and_then(Value::as_i64) != Some(AEXPR_OP) {
        return;
    }
    let is_extract = |v: Option<&Value>| {
        v.and_then(unwrap_ref).is_some_and(|(k, f)| {
            k == "FuncCall"
                && f.get("funcname")
                    .and_then(Value::as_array)
                    .is_some_and(|n| n.len() == 1 && string_of(&n[0]) == Some("extract"))
        })
    };
    for (this, other) in [("lexpr", "rexpr"), ("rexpr", "lexpr")] {
        if !is_extract(op.get(other)) {
            continue;
        }
        let Some(("TypeCast", cast)) = op.get(this).and_then(unwrap_ref) else {
            continue;
        };
        let numeric_type = cast
            .get("type_name")
            .and_then(|t| t.get("names"))
            .and_then(Value::as_array)
            .is_some_and(|n| {
                n.len() == 2
                    && string_of(&n[0]) == Some("pg_catalog")
                    && matches!(string_of(&n[1]), Some("numeric" | "float8"))
            });
        let constant = cast
            .get("arg")
            .and_then(unwrap_ref)
            .is_some_and(|(k, _)| k == "AConst");
        if numeric_type && constant {
            let inner = cast.get("arg").cloned().unwrap_or(Value::Null);
            op.insert(this.into(), inner);
        }
    }
}

/// In a view's query that reads one relation, that relation's columns
/// without its name, in the outermost query only: PostgreSQL 16 and later
/// print them so, 15 and older qualified (subqueries are qualified by all).
fn unqualify_single_relation(select: &mut Map<String, Value>) {
    if select.get("op").and_then(Value::as_i64) != Some(SETOP_NONE) {
        return;
    }
    let Some([from]) = select
        .get("from_clause")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
    else {
        return;
    };
    let refname = match unwrap_ref(from) {
        Some(("RangeVar", r)) => alias_of(r).or_else(|| r.get("relname").and_then(Value::as_str)),
        Some(("RangeSubselect" | "RangeFunction", r)) => alias_of(r),
        _ => None,
    };
    let Some(refname) = refname.map(str::to_string) else {
        return;
    };
    for (k, v) in select.iter_mut() {
        if k != "from_clause" && k != "with_clause" {
            strip_qualifier(v, &refname);
        }
    }
}

fn alias_of(range: &Map<String, Value>) -> Option<&str> {
    range
        .get("alias")?
        .get("aliasname")?
        .as_str()
        .filter(|s| !s.is_empty())
}

/// `refname.column` -> `column` everywhere in `v` but inside subqueries.
fn strip_qualifier(v: &mut Value, refname: &str) {
    match v {
        Value::Array(items) => items.iter_mut().for_each(|x| strip_qualifier(x, refname)),
        Value::Object(m) => {
            if m.contains_key("SelectStmt") {
                return;
            }
            if let Some(Value::Object(r)) = m.get_mut("ColumnRef") {
                if let Some(Value::Array(fields)) = r.get_mut("fields") {
                    if fields.len() == 2
                        && string_of(&fields[0]) == Some(refname)
                        && string_of(&fields[1]).is_some()
                    {
                        fields.remove(0);
                    }
                }
                return;
            }
            m.values_mut().for_each(|x| strip_qualifier(x, refname));
        }
        _ => {}
    }
}

/// The text of a `String` node.
fn string_of(v: &Value) -> Option<&str> {
    v.get("node")?.get("String")?.get("sval")?.as_str()
}

fn string_node(s: &str) -> Value {
    serde_json::json!({"node": {"String": {"sval": s}}})
}
