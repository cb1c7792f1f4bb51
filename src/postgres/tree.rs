//! Stored expression trees (`pg_node_tree` text) compared instead of
//! deparsed.
//!
//! PostgreSQL deparses an expression that names columns (a CHECK, an index
//! expression or predicate, a policy, a trigger's WHEN, a view's query)
//! only after it has built the relation cache entry of each table it names,
//! and on a 10,000-table database those builds cost more than the rest of
//! reading the constraints and views. When two live databases are compared,
//! most such expressions are the same on both sides and never shown. So
//! they are first read as trees, and stand in the model as a
//! *placeholder*: a key that two databases share exactly when PostgreSQL
//! would print the same text for them. Only placeholders that
//! reach the diff's output are then deparsed (`postgres::LazyRead`).
//!
//! Two trees print the same text when, on servers of the same version,
//! encoding and output settings, they are equal but for the positions in
//! the SQL they were parsed from (`:location`) and for the OIDs of the
//! tables and types they name, which must have the same names (and tables
//! the same columns), and they name the same columns of their own table.
//! Other OIDs must be ones that `initdb` assigns alike everywhere (below
//! 10,000), and no constant may be of a type whose text comes from the
//! catalogs (`regclass`, an enum, ...). A tree that refers to anything else
//! gets no key and is deparsed at once.

use std::cell::RefCell;
use std::collections::hash_map::RandomState;
use std::collections::BTreeSet;
use std::hash::BuildHasher;
use std::sync::OnceLock;

/// Opens and closes a placeholder. A noncharacter, which PostgreSQL does
/// not print in an expression unless a name or a literal holds one; text
/// that only looks like a placeholder costs a deparse, never a wrong diff.
pub const MARK: char = '\u{FDD0}';
/// Separates the parts of a placeholder.
const SEP: char = '\u{FDD1}';

/// OIDs from here on are assigned by `initdb` after bootstrap, or by users,
/// and may name different things in two databases.
const FIRST_UNFIXED_OID: i64 = 10_000;
/// A number written with fewer digits is below [`FIRST_UNFIXED_OID`].
const UNFIXED_DIGITS: usize = 5;
const _: () = assert!(10_i64.pow(UNFIXED_DIGITS as u32 - 1) == FIRST_UNFIXED_OID);

/// Built-in types whose output function looks names up in the catalogs:
/// the `reg*` types, `aclitem`, and their arrays.
const CATALOG_TYPES: &[i64] = &[
    24, 1008, // regproc
    2202, 2207, // regprocedure
    2203, 2208, // regoper
    2204, 2209, // regoperator
    2205, 2210, // regclass
    2206, 2211, // regtype
    3734, 3735, // regconfig
    3769, 3770, // regdictionary
    4089, 4090, // regnamespace
    4096, 4097, // regrole
    4191, 4192, // regcollation
    1033, 1034, // aclitem
];

/// What a lazy read keeps of a stored tree: a digest of its tokens without
/// positions and the columns it refers to, or that it has no key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tree {
    Comparable {
        digest: String,
        /// The columns (`varattno`) it refers to, sorted.
        attnums: Vec<i16>,
        /// The OIDs of users' objects, in the order they appear.
        oids: Vec<u32>,
    },
    /// It could print differently in another database (see the module
    /// documentation): to be deparsed.
    NotComparable,
}

impl Tree {
    /// The OIDs of users' objects it refers to.
    pub fn oids(&self) -> impl Iterator<Item = u32> + '_ {
        let oids = match self {
            Tree::Comparable { oids, .. } => oids.as_slice(),
            Tree::NotComparable => &[],
        };
        oids.iter().copied()
    }

    /// Digest `tree` (the text of a `pg_node_tree`) as its row arrives.
    pub fn read(tree: &str) -> Tree {
        digest(tree).map_or(Tree::NotComparable, |(digest, attnums, oids)| {
            Tree::Comparable {
                digest,
                attnums,
                oids,
            }
        })
    }

    /// The key of the tree: equal keys print equal text. `column_name`
    /// names the columns of the table it belongs to (by `attnum`),
    /// `object_name` the tables and types it refers to (by OID), and
    /// `context` is whatever else the text depends on. `None` when the tree
    /// is not comparable or names something neither knows.
    pub fn key<'a, 'b>(
        &self,
        column_name: impl Fn(i16) -> Option<&'a str>,
        object_name: impl Fn(u32) -> Option<&'b str>,
        context: &str,
    ) -> Option<String> {
        let Tree::Comparable {
            digest,
            attnums,
            oids,
        } = self
        else {
            return None;
        };
        let mut text = digest.clone();
        for &attnum in attnums {
            text.push('\0');
            text.push_str(&attnum.to_string());
            if attnum > 0 {
                text.push('=');
                text.push_str(column_name(attnum)?);
            }
        }
        for &oid in oids {
            text.push('\0');
            text.push_str(object_name(oid)?);
        }
        text.push('\0');
        text.push_str(context);
        Some(hash(&text))
    }
}

/// A 128-bit hash of `tree` without its positions and users' OIDs, the
/// columns (`varattno`) it refers to, and those OIDs; `None` when it has a
/// constant whose text could differ between two databases. The hash is
/// keyed at random per process, so two trees that differ cannot be made to
/// collide, and digests mean nothing outside the process.
///
/// Tokens are read as PostgreSQL's `pg_strtok` reads them: parentheses and
/// braces alone, anything else up to white space or one of those, a
/// backslash escaping the character after it.
fn digest(tree: &str) -> Option<(String, Vec<i16>, Vec<u32>)> {
    thread_local! {
        static BUF: RefCell<String> = RefCell::new(String::with_capacity(4096));
    }
    let b = tree.as_bytes();
    let delimiter = |c: u8| matches!(c, b' ' | b'\n' | b'\t' | b'(' | b')' | b'{' | b'}');
    BUF.with_borrow_mut(|buf| {
        buf.clear();
        // `tree[..copied]` is in `buf`, but for the positions.
        let mut copied = 0;
        let mut field = Field::Other;
        let mut in_bytes = false;
        let mut attnums: BTreeSet<i16> = BTreeSet::new();
        let mut oids = Vec::new();
        let mut i = 0;
        while i < b.len() {
            if delimiter(b[i]) {
                i += 1;
                continue;
            }
            let start = i;
            while i < b.len() && !delimiter(b[i]) {
                i += if b[i] == b'\\' { 2 } else { 1 };
            }
            i = i.min(b.len());
            let token = &b[start..i];
            match token[0] {
                b':' => field = Field::of(token),
                b'[' => in_bytes = true,
                b']' => in_bytes = false,
                b'-' | b'0'..=b'9' => {
                    match field {
                        Field::Location => {
                            buf.push_str(&tree[copied..start]);
                            copied = i;
                            continue;
                        }
                        Field::Typmod => continue,
                        _ if in_bytes => continue,
                        // Most numbers are fixed OIDs, flags and the like:
                        // below FIRST_UNFIXED_OID, with nothing to read.
                        Field::Other if token.len() < UNFIXED_DIGITS || token[0] == b'-' => {
                            continue
                        }
                        _ => {}
                    }
                    let Some(n) = std::str::from_utf8(token)
                        .ok()
                        .and_then(|t| t.parse::<i64>().ok())
                    else {
                        continue;
                    };
                    match field {
                        Field::Varattno => {
                            attnums.insert(i16::try_from(n).ok()?);
                        }
                        // A constant of a user's type (an enum's label is
                        // the OID of its row), or one printed from the
                        // catalogs.
                        Field::Consttype
                            if n >= FIRST_UNFIXED_OID || CATALOG_TYPES.contains(&n) =>
                        {
                            return None
                        }
                        _ => {}
                    }
                    if n >= FIRST_UNFIXED_OID {
                        // Hashed without the number, which the caller
                        // names.
                        oids.push(u32::try_from(n).ok()?);
                        buf.push_str(&tree[copied..start]);
                        copied = i;
                    }
                }
                _ => {}
            }
        }
        buf.push_str(&tree[copied..]);
        Some((hash(buf), attnums.into_iter().collect(), oids))
    })
}

/// What the numbers after a field name mean to [`digest`].
#[derive(Clone, Copy, PartialEq, Eq)]
enum Field {
    Location,
    Typmod,
    Varattno,
    Consttype,
    Other,
}

impl Field {
    fn of(token: &[u8]) -> Field {
        match token {
            b":location" => Field::Location,
            b":varattno" => Field::Varattno,
            b":consttype" => Field::Consttype,
            t if t.ends_with(b"typmod") => Field::Typmod,
            _ => Field::Other,
        }
    }
}

/// A 128-bit hash of `text`: two SipHash hashers keyed at random once per
/// process.
pub(crate) fn hash(text: &str) -> String {
    static STATES: OnceLock<(RandomState, RandomState)> = OnceLock::new();
    let (a, b) = STATES.get_or_init(|| (RandomState::new(), RandomState::new()));
    format!("{:016x}{:016x}", a.hash_one(text), b.hash_one(text))
}

/// The placeholder of an expression of table `schema`.`table` with `key`,
/// `tag` telling apart the expressions of one object (an index's keys and
/// predicate); `None` when a name holds a character that placeholders are
/// made of.
pub fn placeholder(schema: &str, table: &str, tag: &str, key: &str) -> Option<String> {
    if [schema, table, tag].iter().any(|s| s.contains([MARK, SEP])) {
        return None;
    }
    let mut p = String::with_capacity(schema.len() + table.len() + tag.len() + key.len() + 15);
    p.push(MARK);
    p.push_str(schema);
    p.push(SEP);
    p.push_str(table);
    p.push(SEP);
    p.push_str(tag);
    p.push(SEP);
    p.push_str(key);
    p.push(MARK);
    Some(p)
}

/// The tables (schema, name) of the placeholders in `text`.
pub fn tables_in<'a>(text: &'a str, found: &mut Vec<(&'a str, &'a str)>) {
    let mut rest = text;
    while let Some(start) = rest.find(MARK) {
        let inner = &rest[start + MARK.len_utf8()..];
        let Some(end) = inner.find(MARK) else { return };
        let mut parts = inner[..end].splitn(4, SEP);
        if let (Some(schema), Some(table), Some(_), Some(_)) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        {
            found.push((schema, table));
        }
        rest = &inner[end + MARK.len_utf8()..];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `price >= 0` on a numeric(12,2) column 5, as PostgreSQL 15 stores it.
    const CHECK: &str = "{OPEXPR :opno 1757 :opfuncid 1721 :opresulttype 16 :opretset false \
        :opcollid 0 :inputcollid 0 :args ({VAR :varno 1 :varattno 5 :vartype 1700 \
        :vartypmod 786438 :varcollid 0 :varlevelsup 0 :varnosyn 1 :varattnosyn 5 \
        :location 87} {CONST :consttype 1700 :consttypmod -1 :constcollid 0 :constlen -1 \
        :constbyval false :constisnull false :location 96 :constvalue 8 [ 32 0 0 0 0 -128 0 0 ]}) \
        :location 93}";

    fn key<'a>(tree: &str, column_name: impl Fn(i16) -> Option<&'a str>) -> Option<String> {
        Tree::read(tree).key(column_name, objects, "")
    }

    /// Users' objects, as a lazy read names them.
    fn objects(oid: u32) -> Option<&'static str> {
        match oid {
            16500 => Some("t care.mood"),
            16600 => Some("r care.pets (1=id 2=name)"),
            _ => None,
        }
    }

    fn names(attnum: i16) -> Option<&'static str> {
        match attnum {
            5 => Some("price"),
            6 => Some("cost"),
            _ => None,
        }
    }

    #[test]
    fn positions_do_not_count_and_columns_count_by_name() {
        let k = key(CHECK, names).unwrap();
        let moved = CHECK.replace(":location 87", ":location 12");
        assert_eq!(key(&moved, names).as_deref(), Some(k.as_str()));
        assert_eq!(k.len(), 32, "{k}");
        // The same tree on a table whose column 5 has another name.
        let other = key(CHECK, |n| (n == 5).then_some("amount")).unwrap();
        assert_ne!(other, k);
        // A column the caller does not know.
        assert_eq!(key(CHECK, |_| None), None);
        // Another column, another operator, another constant: other keys.
        let col6 = CHECK.replace(":varattno 5", ":varattno 6");
        assert_ne!(key(&col6, names).unwrap(), k);
        let op = CHECK.replace(":opno 1757", ":opno 1756");
        assert_ne!(key(&op, names).unwrap(), k);
        let value = CHECK.replace("[ 32 0 0 0 0 -128 0 0 ]", "[ 32 0 0 0 0 -128 1 0 ]");
        assert_ne!(key(&value, names).unwrap(), k);
    }

    #[test]
    fn objects_that_can_differ_between_databases_give_no_key() {
        // Objects the caller cannot name: an operator, a type, a collation.
        assert_eq!(
            key(&CHECK.replace(":opno 1757", ":opno 16501"), names),
            None
        );
        assert_eq!(
            key(&CHECK.replace(":vartype 1700", ":vartype 24576"), names),
            None
        );
        assert_eq!(
            key(&CHECK.replace(":varcollid 0", ":varcollid 12345"), names),
            None
        );
        // Objects it names count by name, not by OID.
        let typed = key(&CHECK.replace(":vartype 1700", ":vartype 16500"), names).unwrap();
        let other = Tree::read(&CHECK.replace(":vartype 1700", ":vartype 30000"))
            .key(names, |o| (o == 30000).then_some("t care.mood"), "")
            .unwrap();
        assert_eq!(typed, other);
        let renamed = Tree::read(&CHECK.replace(":vartype 1700", ":vartype 16500"))
            .key(names, |_| Some("t care.feeling"), "")
            .unwrap();
        assert_ne!(typed, renamed);
        // A constant of a user's type: an enum's label is an OID in its bytes.
        let label = CHECK.replace(":consttype 1700", ":consttype 16500");
        assert_eq!(key(&label, names), None);
        // The context counts.
        let t = Tree::read(CHECK);
        assert_ne!(t.key(names, objects, "a"), t.key(names, objects, "b"));
        // A constant whose text is a name looked up in the catalogs.
        let regclass = CHECK.replace(":consttype 1700", ":consttype 2205");
        assert_eq!(key(&regclass, names), None);
        // Type modifiers, bytes of constants and positions are not OIDs.
        let big = CHECK
            .replace(":location 96", ":location 96000")
            .replace("[ 32 0 0 0 0 -128 0 0 ]", "[ 32 0 0 0 0 -128 0 99999 ]");
        assert!(key(&big, names).is_some());
        // OID lists are checked like single OIDs.
        let list = CHECK.replace(":opretset false", ":opfamilies (o 1976 40000)");
        assert_eq!(key(&list, names), None);
    }

    #[test]
    fn escaped_characters_stay_inside_their_token() {
        // A name with an escaped space and parentheses, then a position.
        let tree = r#"{ALIAS :aliasname a\ \(b\) :colnames ("x\ :location\ 5") :location 7}"#;
        let k = key(tree, names).unwrap();
        // Only the real position is left out.
        let moved = tree.replace(":location 7", ":location 9");
        assert_eq!(key(&moved, names), Some(k.clone()));
        let inside = tree.replace(r"location\ 5", r"location\ 6");
        assert_ne!(key(&inside, names), Some(k.clone()));
        let name = tree.replace(r"a\ \(b\)", r"a\ \(c\)");
        assert_ne!(key(&name, names), Some(k.clone()));
        // Escaped text is not a number, and so not an OID.
        assert!(key(r"{X :f a\ 99999}", names).is_some());
        assert!(key(r"{X :f 99999}", names).is_none());
    }

    #[test]
    fn placeholders_name_their_tables() {
        let k = key(CHECK, names).unwrap();
        let text = format!(
            "x {} y {} NOT VALID",
            placeholder("care", "pets", "", &k).unwrap(),
            placeholder("billing", "a b", "k1", &k).unwrap()
        );
        let mut found = Vec::new();
        tables_in(&text, &mut found);
        assert_eq!(found, [("care", "pets"), ("billing", "a b")]);
        assert_eq!(placeholder("odd\u{FDD1}name", "pets", "", &k), None);
        assert_ne!(
            placeholder("care", "pets", "k1", &k),
            placeholder("care", "pets", "k2", &k)
        );
        found.clear();
        tables_in("no placeholder \u{FDD0} here", &mut found);
        assert!(found.is_empty());
    }
}
