//! Each rule on text as PostgreSQL printed it (13 to 18, before and after
//! `pg_dump | psql`), and the differences it must still see.

use super::*;

const SAME_VERSION: Equiv = Equiv {
    across_sql_syntax: false,
    streaming_defaults: None,
};

fn v13_v15() -> Equiv {
    Equiv::new(Some("PostgreSQL 13.23"), Some("PostgreSQL 15.18"))
}

#[test]
fn versions() {
    assert_eq!(major("PostgreSQL 15.18"), Some(15));
    assert_eq!(major("PostgreSQL 18beta1"), Some(18));
    assert_eq!(major("17.2"), Some(17));
    assert_eq!(major("unknown"), None);
    assert_eq!(Equiv::new(None, None), SAME_VERSION);
    assert!(!Equiv::new(Some("PostgreSQL 14.1"), Some("PostgreSQL 18.0")).across_sql_syntax);
    assert_eq!(Equiv::new(Some("PostgreSQL 13.1"), None), SAME_VERSION);
    assert!(v13_v15().across_sql_syntax);
    assert!(Equiv::new(Some("PostgreSQL 16.2"), Some("PostgreSQL 12.9")).across_sql_syntax);
}

#[test]
fn a_subscriptions_streaming_at_each_servers_default_is_the_same() {
    let across = Equiv::new(Some("PostgreSQL 15.4"), Some("PostgreSQL 18.1"));
    assert!(across.same_streaming("off", "parallel"));
    assert!(across.same_streaming("on", "on"));
    assert!(!across.same_streaming("parallel", "off"));
    assert!(!across.same_streaming("off", "on"));
    let same = Equiv::new(Some("PostgreSQL 18.1"), Some("PostgreSQL 18.0"));
    assert!(!same.same_streaming("off", "parallel"));
    assert!(!SAME_VERSION.same_streaming("off", "parallel"));
}

/// `role varchar CHECK (role IN ('owner', 'admin'))`, stored and restored.
const CHECK_STORED: &str = "CHECK (((role)::text = ANY ((ARRAY['owner'::character varying, 'admin'::character varying])::text[])))";
const CHECK_RESTORED: &str = "CHECK (((role)::text = ANY (ARRAY[('owner'::character varying)::text, ('admin'::character varying)::text])))";

#[test]
fn a_cast_array_constructor_is_its_elements_cast() {
    let eq = SAME_VERSION;
    assert!(eq.same(Kind::Constraint, CHECK_STORED, CHECK_RESTORED));
    assert!(eq.same(Kind::Constraint, CHECK_RESTORED, CHECK_STORED));
    // NOT IN, in an index predicate (as pg_get_expr prints it) and in a
    // trigger's WHEN and a view (pretty-printed, with fewer parentheses).
    assert!(eq.same(
        Kind::Expression,
        "((status)::text <> ALL ((ARRAY['gone'::character varying, 'banned'::character varying])::text[]))",
        "((status)::text <> ALL (ARRAY[('gone'::character varying)::text, ('banned'::character varying)::text]))",
    ));
    assert!(eq.same(
        Kind::Expression,
        "(new.role::text = ANY (ARRAY['owner'::character varying, 'admin'::character varying]::text[])) AND old.status::text IS DISTINCT FROM new.status::text",
        "(new.role::text = ANY (ARRAY['owner'::character varying::text, 'admin'::character varying::text])) AND old.status::text IS DISTINCT FROM new.status::text",
    ));
    assert!(eq.same(
        Kind::Query,
        " SELECT staff.id\n   FROM eq.staff\n  WHERE staff.role::text = ANY (ARRAY['owner'::character varying, 'admin'::character varying]::text[]);",
        " SELECT staff.id\n   FROM eq.staff\n  WHERE staff.role::text = ANY (ARRAY['owner'::character varying::text, 'admin'::character varying::text]);",
    ));
    // Columns as elements, and a function body.
    assert!(eq.same(
        Kind::Expression,
        "((a)::text = ANY ((ARRAY[b, c, 'x'::character varying])::text[]))",
        "((a)::text = ANY (ARRAY[(b)::text, (c)::text, ('x'::character varying)::text]))",
    ));
    assert!(eq.same(
        Kind::SqlBody,
        "BEGIN ATOMIC\n SELECT ((x)::text = ANY ((ARRAY['a'::character varying, 'b'::character varying])::text[]));\nEND",
        "BEGIN ATOMIC\n SELECT ((x)::text = ANY (ARRAY[('a'::character varying)::text, ('b'::character varying)::text]));\nEND",
    ));
    assert!(eq.same(
        Kind::PartitionKey,
        "LIST ((((k)::text = ANY ((ARRAY['a'::character varying, 'b'::character varying])::text[]))))",
        "LIST ((((k)::text = ANY (ARRAY[('a'::character varying)::text, ('b'::character varying)::text]))))",
    ));
    // A multi-dimensional constructor casts its innermost elements.
    assert!(eq.same(
        Kind::Expression,
        "(ARRAY[ARRAY[1, 2], ARRAY[3, 4]])::bigint[]",
        "ARRAY[ARRAY[(1)::bigint, (2)::bigint], ARRAY[(3)::bigint, (4)::bigint]]",
    ));
}

#[test]
fn different_meanings_stay_different() {
    let eq = SAME_VERSION;
    let other = CHECK_RESTORED.replace("'admin'", "'vet'");
    assert!(!eq.same(Kind::Constraint, CHECK_STORED, &other));
    assert!(!eq.same(
        Kind::Constraint,
        CHECK_STORED,
        &CHECK_STORED.replace("= ANY", "<> ALL")
    ));
    assert!(!eq.same(
        Kind::Constraint,
        CHECK_STORED,
        &CHECK_STORED.replace("::text[]", "::character varying(5)[]")
    ));
    // A cast to a scalar type, or of an empty constructor, is not pushed.
    assert!(!eq.same(
        Kind::Expression,
        "(ARRAY['a'::text])::text",
        "ARRAY[('a'::text)::text]"
    ));
    assert!(!eq.same(Kind::Expression, "ARRAY[]::text[]", "ARRAY[]"));
    // Text that does not parse compares as text.
    assert!(!eq.same(Kind::Expression, "((a", "( (a"));
    assert!(eq.same(Kind::Expression, "x = ", "x = "));
    // Two statements are not one expression.
    assert!(!eq.same(Kind::Expression, "1; SELECT 2", "1; SELECT 3"));
    // Placeholders of a lazy read compare as text.
    let p = format!("{m}care{m}", m = crate::postgres::tree::MARK);
    assert!(!eq.same(Kind::Expression, &p, &p.replace("care", "cure")));
    // Whitespace and redundant parentheses are not meaning.
    assert!(eq.same(Kind::Expression, "((a > 0))", "a > 0"));
    // Qualification counts outside views.
    assert!(!eq.same(Kind::Expression, "t.a > 0", "a > 0"));
    assert_eq!(
        eq.meaning(Kind::Constraint, CHECK_STORED),
        eq.meaning(Kind::Constraint, CHECK_RESTORED)
    );
    assert_ne!(
        eq.meaning(Kind::Constraint, CHECK_STORED),
        eq.meaning(Kind::Constraint, &other)
    );
    assert_eq!(&*eq.meaning(Kind::Expression, "((a"), "text:((a");
}

#[test]
fn one_relation_views_compare_without_its_name() {
    let eq = SAME_VERSION;
    // billing.monthly_revenue of the demo, as 15 and 16 print it.
    let v15 = " SELECT invoices.clinic_id,\n    date_trunc('month'::text, invoices.issued_on::timestamp with time zone) AS month,\n    sum(invoices.amount) AS total\n   FROM billing.invoices\n  WHERE invoices.status = 'paid'::billing.invoice_status\n  GROUP BY invoices.clinic_id, (date_trunc('month'::text, invoices.issued_on::timestamp with time zone));";
    let v16 = " SELECT clinic_id,\n    date_trunc('month'::text, issued_on::timestamp with time zone) AS month,\n    sum(amount) AS total\n   FROM billing.invoices\n  WHERE status = 'paid'::billing.invoice_status\n  GROUP BY clinic_id, (date_trunc('month'::text, issued_on::timestamp with time zone));";
    assert!(eq.same(Kind::Query, v15, v16));
    assert!(!eq.same(
        Kind::Query,
        v15,
        &v16.replace("sum(amount)", "sum(clinic_id)")
    ));
    // An alias, a function and a subquery in FROM.
    assert!(eq.same(
        Kind::Query,
        " SELECT s.id, s.name AS who FROM eq.staff s ORDER BY s.name;",
        " SELECT id, name AS who FROM eq.staff s ORDER BY name;",
    ));
    assert!(eq.same(
        Kind::Query,
        " SELECT g.g FROM generate_series(1, 3) g(g);",
        " SELECT g FROM generate_series(1, 3) g(g);",
    ));
    assert!(eq.same(
        Kind::Query,
        " SELECT x.id FROM ( SELECT staff.id FROM eq.staff) x;",
        " SELECT id FROM ( SELECT staff.id FROM eq.staff) x;",
    ));
    // Subqueries are qualified on every version: their names count.
    assert!(!eq.same(
        Kind::Query,
        " SELECT x.id FROM ( SELECT staff.id FROM eq.staff) x;",
        " SELECT id FROM ( SELECT id FROM eq.staff) x;",
    ));
    let outer15 = " SELECT staff.id FROM eq.staff WHERE (EXISTS ( SELECT 1 FROM eq.shifts WHERE shifts.staff_id = staff.id));";
    let outer16 = " SELECT id FROM eq.staff WHERE (EXISTS ( SELECT 1 FROM eq.shifts WHERE shifts.staff_id = staff.id));";
    assert!(eq.same(Kind::Query, outer15, outer16));
    assert!(!eq.same(Kind::Query, outer15, &outer16.replace("= staff.id", "= id")));
    // Joins are qualified on every version.
    assert!(!eq.same(
        Kind::Query,
        " SELECT s.id FROM eq.staff s JOIN eq.shifts h ON h.staff_id = s.id;",
        " SELECT id FROM eq.staff s JOIN eq.shifts h ON h.staff_id = s.id;",
    ));
    // Another relation's name is not stripped.
    assert!(!eq.same(
        Kind::Query,
        " SELECT other.id FROM eq.staff;",
        " SELECT id FROM eq.staff;"
    ));
}

#[test]
fn sql_syntax_is_a_plain_call() {
    let eq = SAME_VERSION;
    assert!(eq.same(
        Kind::Expression,
        "SUBSTRING('abcdef'::text FROM 2 FOR 3)",
        "\"substring\"('abcdef'::text, 2, 3)"
    ));
    assert!(eq.same(
        Kind::Expression,
        "(now() AT TIME ZONE 'UTC'::text)",
        "timezone('UTC'::text, now())"
    ));
    assert!(eq.same(
        Kind::Expression,
        "TRIM(BOTH 'x'::text FROM 'xax'::text)",
        "btrim('xax'::text, 'x'::text)"
    ));
    assert!(eq.same(Kind::Expression, "pg_catalog.lower(a)", "lower(a)"));
    // On one version, casts and EXTRACT against date_part still count.
    assert!(!eq.same(
        Kind::Expression,
        "SUBSTRING(name FROM 1 FOR 2)",
        "\"substring\"((name)::text, 1, 2)"
    ));
    assert!(!eq.same(
        Kind::Expression,
        "EXTRACT(year FROM now())",
        "date_part('year'::text, now())"
    ));
    assert!(!eq.same(Kind::Expression, "app.lower(a)", "lower(a)"));
}

#[test]
fn thirteen_against_fourteen_and_later() {
    let eq = v13_v15();
    // As 15 and 13 print the same expressions.
    for (v15, v13) in [
        (
            "SUBSTRING(name FROM 1 FOR 2)",
            "\"substring\"((name)::text, 1, 2)",
        ),
        (
            "POSITION(('a'::text) IN (name))",
            "\"position\"((name)::text, 'a'::text)",
        ),
        ("TRIM(BOTH FROM name)", "btrim((name)::text)"),
        (
            "OVERLAY(name PLACING 'x'::text FROM 1)",
            "\"overlay\"((name)::text, 'x'::text, 1)",
        ),
        ("('abc'::text IS NORMALIZED)", "is_normalized('abc'::text)"),
        ("EXTRACT(year FROM now())", "date_part('year'::text, now())"),
        (
            "(EXTRACT(year FROM at) > (2000)::numeric)",
            "(date_part('year'::text, at) > (2000)::double precision)",
        ),
    ] {
        assert!(eq.same(Kind::Expression, v15, v13), "{v15} / {v13}");
    }
    // On one version those casts count; the call form alone does not.
    assert!(SAME_VERSION.same(
        Kind::Expression,
        "('abc'::text IS NORMALIZED)",
        "is_normalized('abc'::text)"
    ));
    assert!(eq.same(
        Kind::Constraint,
        "CHECK ((SUBSTRING(name FROM 1 FOR 1) <> 'x'::text))",
        "CHECK ((\"substring\"((name)::text, 1, 1) <> 'x'::text))"
    ));
    assert!(eq.same(
        Kind::PartitionKey,
        "RANGE (EXTRACT(year FROM d))",
        "RANGE (date_part('year'::text, d))"
    ));
    // Still different: other arguments, other functions, other constants.
    assert!(!eq.same(
        Kind::Expression,
        "SUBSTRING(name FROM 1 FOR 2)",
        "\"substring\"((name)::text, 1, 3)"
    ));
    assert!(!eq.same(
        Kind::Expression,
        "EXTRACT(month FROM now())",
        "date_part('year'::text, now())"
    ));
    assert!(!eq.same(
        Kind::Expression,
        "(EXTRACT(year FROM at) > (2000)::numeric)",
        "(date_part('year'::text, at) > (2001)::double precision)"
    ));
    assert!(!eq.same(Kind::Expression, "lower((name)::text)", "lower(name)"));
}

#[test]
fn snapshots_of_two_majors() {
    let snap = |v: Option<&str>| crate::model::Snapshot {
        server_version: v.map(Into::into),
        ..crate::model::Snapshot::empty()
    };
    let (v15, v15b, v17) = (
        snap(Some("PostgreSQL 15.4")),
        snap(Some("PostgreSQL 15.18")),
        snap(Some("PostgreSQL 17.2")),
    );
    assert!(majors_differ(&v15, &v17));
    assert!(!majors_differ(&v15, &v15b));
    assert!(!majors_differ(&v15, &snap(None)));
    assert!(!Equiv::of(&v15, &v17).across_sql_syntax);
    assert!(Equiv::of(&snap(Some("PostgreSQL 13.2")), &v17).across_sql_syntax);
}

#[test]
fn extensions_at_their_servers_default_are_the_same() {
    use crate::model::postgres::Extension;
    let ext = |version: &str, default: Option<&str>| Extension {
        version: version.into(),
        schema: "public".into(),
        default_version: default.map(Into::into),
    };
    // citext from `CREATE EXTENSION citext` on 17 and on 18.
    assert!(same_extension_version(&ext("1.6", None), &ext("1.8", None)));
    assert!(same_extension_version(
        &ext("1.6", Some("1.8")),
        &ext("1.6", None)
    ));
    // 1.6 kept on 18 (no ALTER EXTENSION UPDATE after an upgrade), or asked for.
    assert!(!same_extension_version(
        &ext("1.8", None),
        &ext("1.6", Some("1.8"))
    ));
    assert!(!same_extension_version(
        &ext("1.4", Some("1.6")),
        &ext("1.5", Some("1.6"))
    ));
}
