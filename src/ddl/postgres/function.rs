//! Functions and procedures, keyed in the model by `name(identity
//! arguments)`.

use super::privileges::{self, Kind, Target};
use super::{quote, Pg};
use crate::ddl::{Alter, Statement, Unsupported};
use crate::model::postgres::{Aggregate, Function};

/// The name and the identity arguments of a function's key:
/// `add(integer, integer)` -> (`add`, `integer, integer`).
pub fn split_key(key: &str) -> (&str, &str) {
    match key.rfind('(') {
        Some(i) if key.ends_with(')') => (&key[..i], &key[i + 1..key.len() - 1]),
        _ => (key, ""),
    }
}

/// `schema.name(identity arguments)`, as `DROP`, `COMMENT ON`, `ALTER` and
/// `GRANT` name a function.
pub fn signature(r: &Pg, schema: &str, key: &str) -> String {
    let (name, args) = split_key(key);
    format!("{}.{}({args})", r.ident(schema), r.ident(name))
}

fn kind(f: &Function) -> Kind {
    match f.kind.as_str() {
        "procedure" => Kind::Procedure,
        "aggregate" => Kind::Aggregate,
        _ => Kind::Function,
    }
}

/// `CREATE [OR REPLACE] AGGREGATE` with the clauses `pg_dump` writes.
fn aggregate_definition(
    r: &Pg,
    schema: &str,
    name: &str,
    f: &Function,
    a: &Aggregate,
    or_replace: bool,
) -> String {
    let Aggregate {
        sfunc,
        stype,
        sspace,
        initcond,
        finalfunc,
        finalfunc_extra,
        finalfunc_modify,
        combinefunc,
        serialfunc,
        deserialfunc,
        msfunc,
        minvfunc,
        mstype,
        msspace,
        minitcond,
        mfinalfunc,
        mfinalfunc_extra,
        mfinalfunc_modify,
        sortop,
        hypothetical,
    } = a;
    let modify = |m: &Option<String>| m.as_ref().map(|m| m.to_ascii_uppercase());
    let flag = |on: bool| on.then(String::new);
    // A qualified operator is only taken inside OPERATOR().
    let sortop = sortop.as_ref().map(|o| {
        if o.contains('.') {
            format!("OPERATOR({o})")
        } else {
            o.clone()
        }
    });
    let clauses: [(&str, Option<String>); 20] = [
        ("SFUNC", Some(sfunc.clone())),
        ("STYPE", Some(stype.clone())),
        ("SSPACE", sspace.map(|n| n.to_string())),
        ("FINALFUNC", finalfunc.clone()),
        ("FINALFUNC_EXTRA", flag(*finalfunc_extra)),
        ("FINALFUNC_MODIFY", modify(finalfunc_modify)),
        ("COMBINEFUNC", combinefunc.clone()),
        ("SERIALFUNC", serialfunc.clone()),
        ("DESERIALFUNC", deserialfunc.clone()),
        ("INITCOND", initcond.as_deref().map(quote::literal)),
        ("MSFUNC", msfunc.clone()),
        ("MINVFUNC", minvfunc.clone()),
        ("MSTYPE", mstype.clone()),
        ("MSSPACE", msspace.map(|n| n.to_string())),
        ("MFINALFUNC", mfinalfunc.clone()),
        ("MFINALFUNC_EXTRA", flag(*mfinalfunc_extra)),
        ("MFINALFUNC_MODIFY", modify(mfinalfunc_modify)),
        ("MINITCOND", minitcond.as_deref().map(quote::literal)),
        ("SORTOP", sortop),
        ("HYPOTHETICAL", flag(*hypothetical)),
    ];
    let mut c: Vec<String> = clauses
        .into_iter()
        .filter_map(|(key, v)| {
            v.map(|v| match v.is_empty() {
                true => key.to_string(),
                false => format!("{key} = {v}"),
            })
        })
        .collect();
    if f.parallel != "unsafe" {
        c.push(format!("PARALLEL = {}", f.parallel.to_ascii_uppercase()));
    }
    let args = if f.arguments.is_empty() {
        "*"
    } else {
        &f.arguments
    };
    format!(
        "CREATE {}AGGREGATE {}.{}({args}) (\n    {}\n)",
        if or_replace { "OR REPLACE " } else { "" },
        r.ident(schema),
        r.ident(name),
        c.join(",\n    ")
    )
}

/// `SET name TO value` for one `proconfig` entry, as `pg_dump` writes it:
/// a list setting (`search_path`, ...) element by element, each a
/// literal; any other as one literal.
fn setting(entry: &str) -> String {
    let (name, value) = entry.split_once('=').unwrap_or((entry, ""));
    let list = matches!(
        name.to_ascii_lowercase().as_str(),
        "local_preload_libraries"
            | "search_path"
            | "session_preload_libraries"
            | "shared_preload_libraries"
            | "temp_tablespaces"
            | "unix_socket_directories"
    );
    let value = if list {
        split_guc_list(value)
            .iter()
            .map(|v| quote::literal(v))
            .collect::<Vec<_>>()
            .join(", ")
    } else {
        quote::literal(value)
    };
    format!("SET {name} TO {value}")
}

/// The elements of a list setting as PostgreSQL stored it: separated by
/// commas, each maybe in double quotes (`""` for a quote), blanks around
/// them dropped (`SplitGUCList`).
fn split_guc_list(value: &str) -> Vec<String> {
    let mut out = Vec::new();
    let chars: Vec<char> = value.chars().collect();
    let mut i = 0;
    loop {
        while i < chars.len() && chars[i].is_whitespace() {
            i += 1;
        }
        let mut item = String::new();
        if chars.get(i) == Some(&'"') {
            i += 1;
            while i < chars.len() {
                if chars[i] == '"' {
                    if chars.get(i + 1) == Some(&'"') {
                        item.push('"');
                        i += 2;
                        continue;
                    }
                    i += 1;
                    break;
                }
                item.push(chars[i]);
                i += 1;
            }
        } else {
            while i < chars.len() && chars[i] != ',' {
                item.push(chars[i]);
                i += 1;
            }
            item = item.trim_end().to_string();
        }
        out.push(item);
        while i < chars.len() && chars[i] != ',' {
            i += 1;
        }
        if i >= chars.len() {
            break;
        }
        i += 1;
    }
    out
}

/// Whether the body is a SQL-standard one (`RETURN ..`, `BEGIN ATOMIC`),
/// which is written as it stands instead of quoted after `AS`.
fn standard_body(f: &Function) -> bool {
    f.language == "sql" && (f.body.starts_with("RETURN ") || f.body.starts_with("BEGIN ATOMIC"))
}

fn definition(
    r: &Pg,
    schema: &str,
    key: &str,
    f: &Function,
    or_replace: bool,
) -> Result<String, Unsupported> {
    let (name, _) = split_key(key);
    let unsupported = |reason: &str| Unsupported {
        object: format!("{} {}.{key}", f.kind, schema),
        reason: reason.to_string(),
    };
    if let (Some(a), "aggregate") = (&f.aggregate, f.kind.as_str()) {
        return Ok(aggregate_definition(r, schema, name, f, a, or_replace));
    }
    match (f.kind.as_str(), f.language.as_str()) {
        ("aggregate", _) => {
            return Err(unsupported(
                "the snapshot does not hold an aggregate's state function and type",
            ))
        }
        (_, "c") if f.library.is_none() => {
            return Err(unsupported(
                "the snapshot does not hold a C function's library file",
            ))
        }
        _ => {}
    }
    let procedure = f.kind == "procedure";
    let mut s = format!(
        "CREATE {}{} {}.{}({})\n",
        if or_replace { "OR REPLACE " } else { "" },
        if procedure { "PROCEDURE" } else { "FUNCTION" },
        r.ident(schema),
        r.ident(name),
        f.arguments
    );
    if let Some(ret) = &f.returns {
        s.push_str(&format!(" RETURNS {ret}\n"));
    }
    s.push_str(&format!(" LANGUAGE {}\n", r.ident(&f.language)));
    if !f.transforms.is_empty() {
        let types: Vec<String> = f
            .transforms
            .iter()
            .map(|t| format!("FOR TYPE {t}"))
            .collect();
        s.push_str(&format!(" TRANSFORM {}\n", types.join(", ")));
    }
    if !procedure {
        if f.kind == "window" {
            s.push_str(" WINDOW\n");
        }
        s.push_str(&format!(" {}\n", f.volatility.to_ascii_uppercase()));
        if f.strict {
            s.push_str(" STRICT\n");
        }
    }
    if f.security_definer {
        s.push_str(" SECURITY DEFINER\n");
    }
    if !procedure {
        if f.leakproof {
            s.push_str(" LEAKPROOF\n");
        }
        s.push_str(&format!(" PARALLEL {}\n", f.parallel.to_ascii_uppercase()));
        if let Some(cost) = &f.cost {
            s.push_str(&format!(" COST {cost}\n"));
        }
        if let Some(rows) = &f.rows {
            s.push_str(&format!(" ROWS {rows}\n"));
        }
        if let Some(support) = &f.support {
            s.push_str(&format!(" SUPPORT {support}\n"));
        }
    }
    for entry in &f.settings {
        s.push_str(&format!(" {}\n", setting(entry)));
    }
    if standard_body(f) {
        s.push_str(&f.body);
    } else if let Some(library) = &f.library {
        // As dumpFunc writes it: the object file, then the symbol.
        s.push_str(&format!(
            "AS {}, {}",
            quote::literal(library),
            quote::literal(&f.body)
        ));
    } else {
        s.push_str("AS ");
        s.push_str(&quote::dollar(
            &f.body,
            if procedure { "procedure" } else { "function" },
        ));
    }
    Ok(s)
}

/// `CREATE FUNCTION` (or `PROCEDURE`) with every attribute, its comment,
/// owner and grants. Its body is not checked when the script sets
/// `check_function_bodies = off` first, as `pg_dump` does, so a function
/// may come before the tables its body reads; a SQL-standard body is
/// always parsed, so what it reads must exist first.
pub fn create(
    r: &Pg,
    schema: &str,
    key: &str,
    f: &Function,
) -> Result<Vec<Statement>, Unsupported> {
    let mut out = vec![Statement::new(definition(r, schema, key, f, false)?)];
    let sig = signature(r, schema, key);
    let target = Target {
        kind: kind(f),
        sql: &sig,
    };
    out.extend(privileges::with_comment(
        r,
        target,
        f.comment.as_ref(),
        &f.privileges,
    ));
    Ok(out)
}

/// `DROP FUNCTION` (or `PROCEDURE`) by its identity arguments.
pub fn drop(r: &Pg, schema: &str, key: &str, f: &Function) -> Statement {
    Statement::new(format!(
        "DROP {} {}",
        kind(f).keyword(),
        signature(r, schema, key)
    ))
}

/// Turn function `actual` into `expected` (same key): attributes by
/// `ALTER FUNCTION`, a new body, language or `TRANSFORM` clause by `CREATE
/// OR REPLACE`. A new
/// result type, argument names or defaults, or a function become a
/// procedure, cannot be replaced: drop and create (with what calls it from
/// a default, a trigger or a view).
pub fn alter(
    r: &Pg,
    schema: &str,
    key: &str,
    expected: &Function,
    actual: &Function,
) -> Result<Alter, Unsupported> {
    let (e, a) = (expected, actual);
    if e.kind != a.kind || e.returns != a.returns || e.arguments != a.arguments {
        return Ok(Alter::Recreate {
            reason: "the result type, arguments or kind of the function".to_string(),
            drop: vec![drop(r, schema, key, a)],
            create: create(r, schema, key, e)?,
        });
    }
    let sig = signature(r, schema, key);
    let kw = kind(e).keyword();
    let mut out = Vec::new();
    // A support function is removed by no ALTER: CREATE OR REPLACE sets
    // every attribute, that one included.
    let support_goes = e.support.is_none() && a.support.is_some();
    if e.kind == "aggregate" {
        // Every clause, PARALLEL included, is set by CREATE OR REPLACE.
        if e.aggregate != a.aggregate || e.parallel != a.parallel {
            out.push(Statement::new(definition(r, schema, key, e, true)?));
        }
    } else if e.body != a.body
        || e.library != a.library
        || e.transforms != a.transforms
        || e.language != a.language
        || support_goes
    {
        out.push(Statement::new(definition(r, schema, key, e, true)?));
    } else {
        let mut actions = Vec::new();
        if e.volatility != a.volatility {
            actions.push(e.volatility.to_ascii_uppercase());
        }
        if e.strict != a.strict {
            actions.push(
                if e.strict {
                    "STRICT"
                } else {
                    "CALLED ON NULL INPUT"
                }
                .to_string(),
            );
        }
        if e.security_definer != a.security_definer {
            actions.push(
                if e.security_definer {
                    "SECURITY DEFINER"
                } else {
                    "SECURITY INVOKER"
                }
                .to_string(),
            );
        }
        if e.leakproof != a.leakproof {
            actions.push(
                if e.leakproof {
                    "LEAKPROOF"
                } else {
                    "NOT LEAKPROOF"
                }
                .to_string(),
            );
        }
        if e.parallel != a.parallel {
            actions.push(format!("PARALLEL {}", e.parallel.to_ascii_uppercase()));
        }
        if e.cost != a.cost {
            // Back to the default: 1 for C and internal functions, 100 for others.
            let default = if ["c", "internal"].contains(&e.language.as_str()) {
                "1"
            } else {
                "100"
            };
            actions.push(format!("COST {}", e.cost.as_deref().unwrap_or(default)));
        }
        if e.rows != a.rows {
            actions.push(format!("ROWS {}", e.rows.as_deref().unwrap_or("1000")));
        }
        if let Some(support) = e.support.as_ref().filter(|_| e.support != a.support) {
            actions.push(format!("SUPPORT {support}"));
        }
        if e.settings != a.settings {
            let name = |s: &String| s.split_once('=').map_or(s.clone(), |(n, _)| n.to_string());
            for old in &a.settings {
                if !e.settings.iter().any(|x| name(x) == name(old)) {
                    actions.push(format!("RESET {}", name(old)));
                }
            }
            for new in &e.settings {
                if !a.settings.contains(new) {
                    actions.push(setting(new));
                }
            }
        }
        if !actions.is_empty() {
            out.push(Statement::new(format!(
                "ALTER {kw} {sig} {}",
                actions.join(" ")
            )));
        }
    }
    let target = Target {
        kind: kind(e),
        sql: &sig,
    };
    out.extend(privileges::alter_with_comment(
        r,
        target,
        (e.comment.as_ref(), a.comment.as_ref()),
        &e.privileges,
        &a.privileges,
    ));
    Ok(Alter::InPlace(out))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ddl::sql_of;

    fn func(body: &str) -> Function {
        Function {
            kind: "function".into(),
            arguments: "born date".into(),
            returns: Some("integer".into()),
            language: "sql".into(),
            volatility: "stable".into(),
            strict: false,
            security_definer: false,
            leakproof: false,
            parallel: "unsafe".into(),
            settings: vec!["search_path=care, \"My Schema\", pg_temp".into()],
            cost: None,
            rows: None,
            support: None,
            body: body.into(),
            transforms: vec![],
            library: None,
            aggregate: None,
            comment: None,
            privileges: Default::default(),
        }
    }

    #[test]
    fn keys_split_into_name_and_arguments() {
        assert_eq!(
            split_key("add(integer, integer)"),
            ("add", "integer, integer")
        );
        assert_eq!(split_key("touch()"), ("touch", ""));
        assert_eq!(
            signature(&Pg::default(), "care", "Add(integer)"),
            "care.\"Add\"(integer)"
        );
    }

    #[test]
    fn functions_are_written_as_pg_get_functiondef_does() {
        let r = Pg::default();
        let f = func(" SELECT extract(year FROM age(born))::integer ");
        assert_eq!(
            create(&r, "care", "age(date)", &f).unwrap()[0].sql,
            "CREATE FUNCTION care.age(born date)\n RETURNS integer\n LANGUAGE sql\n STABLE\n PARALLEL UNSAFE\n SET search_path TO 'care', 'My Schema', 'pg_temp'\nAS $function$ SELECT extract(year FROM age(born))::integer $function$"
        );
        let std = func("RETURN (born + 1)");
        assert!(create(&r, "care", "age(date)", &std).unwrap()[0]
            .sql
            .ends_with(" PARALLEL UNSAFE\n SET search_path TO 'care', 'My Schema', 'pg_temp'\nRETURN (born + 1)"));
        let mut agg = func("aggregate_dummy");
        agg.kind = "aggregate".into();
        // An aggregate of a snapshot taken before aggregates were read.
        assert!(create(&r, "care", "total(integer)", &agg).is_err());
    }

    #[test]
    fn aggregates_are_written_as_pg_dump_writes_them() {
        let r = Pg::default();
        let mut agg = func("aggregate_dummy");
        agg.kind = "aggregate".into();
        agg.arguments = "double precision ORDER BY double precision".into();
        agg.parallel = "safe".into();
        agg.comment = Some("how old".into());
        agg.aggregate = Some(Aggregate {
            sfunc: "ordered_set_transition".into(),
            stype: "internal".into(),
            finalfunc: Some("care.pct_final".into()),
            finalfunc_extra: true,
            finalfunc_modify: Some("shareable".into()),
            initcond: Some("{}".into()),
            sortop: Some("care.<<<".into()),
            ..Default::default()
        });
        let key = "pct(double precision, double precision)";
        let st = create(&r, "care", key, &agg).unwrap();
        assert_eq!(
            sql_of(st),
            [
                "CREATE AGGREGATE care.pct(double precision ORDER BY double precision) (\n    \
                 SFUNC = ordered_set_transition,\n    STYPE = internal,\n    \
                 FINALFUNC = care.pct_final,\n    FINALFUNC_EXTRA,\n    \
                 FINALFUNC_MODIFY = SHAREABLE,\n    INITCOND = '{}',\n    \
                 SORTOP = OPERATOR(care.<<<),\n    PARALLEL = SAFE\n)",
                "COMMENT ON ROUTINE care.pct(double precision, double precision) IS 'how old'",
            ]
        );
        let mut other = agg.clone();
        other.aggregate.as_mut().unwrap().initcond = None;
        let sql = sql_of(
            alter(&r, "care", key, &agg, &other)
                .unwrap()
                .into_statements(),
        );
        assert!(
            sql[0].starts_with("CREATE OR REPLACE AGGREGATE care.pct("),
            "{sql:?}"
        );
        assert_eq!(
            drop(&r, "care", key, &agg).sql,
            "DROP ROUTINE care.pct(double precision, double precision)"
        );
    }

    #[test]
    fn attributes_alter_and_bodies_replace() {
        let r = Pg::default();
        let a = func("SELECT 1");
        let mut e = a.clone();
        e.volatility = "immutable".into();
        e.strict = true;
        e.settings = vec!["work_mem=64MB".into()];
        let sql = sql_of(alter(&r, "care", "age(date)", &e, &a).unwrap());
        assert_eq!(
            sql,
            ["ALTER FUNCTION care.age(date) IMMUTABLE STRICT RESET search_path SET work_mem TO '64MB'"]
        );
        let mut b = a.clone();
        b.body = "SELECT 2".into();
        assert!(
            alter(&r, "care", "age(date)", &b, &a).unwrap().statements()[0]
                .sql
                .starts_with("CREATE OR REPLACE FUNCTION care.age(born date)")
        );
        let mut ret = a.clone();
        ret.returns = Some("bigint".into());
        assert!(matches!(
            alter(&r, "care", "age(date)", &ret, &a).unwrap(),
            Alter::Recreate { .. }
        ));
    }

    #[test]
    fn planner_hints_are_created_set_and_reset() {
        let r = Pg::default();
        let mut e = func("SELECT 1");
        e.returns = Some("SETOF integer".into());
        e.cost = Some("5000".into());
        e.rows = Some("10".into());
        e.support = Some("textlike_support".into());
        assert!(create(&r, "care", "age(date)", &e).unwrap()[0]
            .sql
            .contains(" PARALLEL UNSAFE\n COST 5000\n ROWS 10\n SUPPORT textlike_support\n"));
        let mut a = e.clone();
        a.cost = None;
        a.rows = Some("20".into());
        a.support = Some("other_support".into());
        assert_eq!(
            sql_of(alter(&r, "care", "age(date)", &e, &a).unwrap()),
            ["ALTER FUNCTION care.age(date) COST 5000 ROWS 10 SUPPORT textlike_support"]
        );
        // Back to the defaults; a support function goes only by replacing.
        let (mut plain, mut internal) = (e.clone(), a.clone());
        plain.cost = None;
        plain.rows = None;
        plain.support = None;
        internal.support = None;
        assert_eq!(
            sql_of(alter(&r, "care", "age(date)", &plain, &e.clone()).unwrap())[0]
                .lines()
                .next(),
            Some("CREATE OR REPLACE FUNCTION care.age(born date)")
        );
        plain.language = "internal".into();
        internal.language = "internal".into();
        internal.cost = Some("5".into());
        internal.rows = Some("20".into());
        assert_eq!(
            sql_of(alter(&r, "care", "age(date)", &plain, &internal).unwrap()),
            ["ALTER FUNCTION care.age(date) COST 1 ROWS 1000"]
        );
    }

    #[test]
    fn list_settings_split_like_postgres() {
        assert_eq!(
            split_guc_list("a, \"B c\", \"x\"\"y\""),
            ["a", "B c", "x\"y"]
        );
        assert_eq!(split_guc_list("\"\""), [""]);
        assert_eq!(setting("search_path=\"\""), "SET search_path TO ''");
    }
}
