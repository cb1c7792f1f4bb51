//! The expected Neo4j schema from a folder of Cypher migrations.
//!
//! There is no throwaway Neo4j to replay migrations into, so the schema
//! commands are *folded*: files in neo4j-migrations order
//! (`V<version>__<description>.cypher`, versions compared numerically, so
//! `1.10` comes after `1.9`), statements in file order, each `CREATE`/`DROP`
//! `CONSTRAINT`/`INDEX` applied to a model that starts as a new Neo4j 4.3+
//! database does: with the two default lookup indexes. Every other statement
//! (data changes, procedure calls) is skipped and counted.
//!
//! neo4j-migrations callbacks (`afterMigrate.cypher`, `beforeFirstUse__x.cypher`, ...)
//! are skipped; any other `.cypher` file that does not follow the naming is an
//! error, since silently leaving a migration out would give a wrong schema.

use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::model::neo4j::{EntityType, IndexKind, Neo4jIndex, Neo4jSchema};

use super::cypher::{self, Parsed, SchemaCommand};

/// What folding did, for a summary line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FoldStats {
    /// Migration files read.
    pub files: usize,
    /// Schema commands applied (including `IF [NOT] EXISTS` no-ops).
    pub schema_statements: usize,
    /// Other statements, skipped.
    pub skipped_statements: usize,
    /// Callback files and the like that were left out.
    pub skipped_files: Vec<PathBuf>,
}

/// How to fold.
#[derive(Debug, Clone)]
pub struct FoldOptions {
    /// Start from the two lookup indexes a new Neo4j 4.3+ database has (one
    /// on node labels, one on relationship types; [`DEFAULT_LOOKUP_NAMES`]).
    /// Without them, a live Neo4j always shows two unexpected indexes.
    pub default_lookup_indexes: bool,
}

impl Default for FoldOptions {
    fn default() -> Self {
        FoldOptions {
            default_lookup_indexes: true,
        }
    }
}

/// The names Neo4j gives its default lookup indexes, so that a migration can
/// drop them by name: 4.3 to 5.26 name them `index_343aff4e` (node labels)
/// and `index_f7700477` (relationship types); 2026.08 (seen on 2026.08.1;
/// the calendar versions between were not tried) names them `index_460996c0`
/// and `index_1b9dcc97`. tests/neo4j.rs holds this list against the server.
pub const DEFAULT_LOOKUP_NAMES: &[(&str, EntityType)] = &[
    ("index_343aff4e", EntityType::Node),
    ("index_f7700477", EntityType::Relationship),
    ("index_460996c0", EntityType::Node),
    ("index_1b9dcc97", EntityType::Relationship),
];

/// One migration file with its parsed version.
#[derive(Debug, Clone)]
pub struct MigrationFile {
    pub path: PathBuf,
    /// Version components: `V1_2__x` and `V1.2__x` are `[1, 2]`.
    pub version: Vec<u64>,
    pub description: String,
}

/// The expected schema of the Cypher migrations in `dir`.
pub fn expected_from_folder(dir: &Path) -> Result<(Neo4jSchema, FoldStats)> {
    expected_from_folder_with(dir, &FoldOptions::default())
}

/// [`expected_from_folder`] with options.
pub fn expected_from_folder_with(
    dir: &Path,
    opts: &FoldOptions,
) -> Result<(Neo4jSchema, FoldStats)> {
    let (files, skipped) = discover(dir)?;
    let mut folder = Folder::new(opts);
    folder.stats.skipped_files = skipped;
    for f in &files {
        let text = std::fs::read_to_string(&f.path).map_err(|e| Error::Read {
            path: f.path.clone(),
            reason: e.to_string(),
        })?;
        folder.fold_file(&f.path, &text)?;
    }
    folder.stats.files = files.len();
    Ok((folder.schema, folder.stats))
}

/// Whether `dir` is a folder holding `.cypher` files (a Neo4j migrations source).
pub fn is_cypher_folder(dir: &Path) -> bool {
    dir.is_dir()
        && std::fs::read_dir(dir)
            .map(|rd| {
                rd.flatten().any(|e| {
                    e.path()
                        .extension()
                        .is_some_and(|x| x.eq_ignore_ascii_case("cypher"))
                })
            })
            .unwrap_or(false)
}

const CALLBACKS: &[&str] = &[
    "beforeMigrate",
    "afterMigrate",
    "beforeClean",
    "afterClean",
    "beforeValidate",
    "afterValidate",
    "beforeInfo",
    "afterInfo",
    "beforeFirstUse",
];

/// The versioned migration files in `dir`, in version order, and the
/// callback files left out.
pub fn discover(dir: &Path) -> Result<(Vec<MigrationFile>, Vec<PathBuf>)> {
    let bad = |reason: String| Error::Migrations {
        dir: dir.to_path_buf(),
        reason,
    };
    let rd = std::fs::read_dir(dir).map_err(|e| Error::Read {
        path: dir.to_path_buf(),
        reason: e.to_string(),
    })?;
    let mut files = Vec::new();
    let mut skipped = Vec::new();
    for entry in rd {
        let entry = entry.map_err(|e| bad(e.to_string()))?;
        let path = entry.path();
        let Some(name) = path
            .file_name()
            .and_then(|n| n.to_str())
            .map(str::to_string)
        else {
            continue;
        };
        let Some(stem) = name.strip_suffix(".cypher") else {
            continue;
        };
        if !path.is_file() {
            continue;
        }
        let head = stem.split("__").next().unwrap_or(stem);
        if CALLBACKS.contains(&head) {
            skipped.push(path);
            continue;
        }
        match parse_name(stem) {
            Some((version, description)) => files.push(MigrationFile {
                path,
                version,
                description,
            }),
            None => {
                return Err(bad(format!(
                    "{name} does not follow the neo4j-migrations naming V<version>__<description>.cypher"
                )))
            }
        }
    }
    files.sort_by(|a, b| cmp_version(&a.version, &b.version).then_with(|| a.path.cmp(&b.path)));
    for w in files.windows(2) {
        if cmp_version(&w[0].version, &w[1].version) == Ordering::Equal {
            return Err(bad(format!(
                "{} and {} have the same version",
                file_name(&w[0].path),
                file_name(&w[1].path)
            )));
        }
    }
    skipped.sort();
    Ok((files, skipped))
}

/// The version neo4j-migrations records for a file name (`MigrationVersion.parse`): the
/// digits after `V` or `R` up to `__`, `_` read as `.`, leading zeros kept
/// (`V001_2__x.cypher` is `001.2`).
pub fn tool_version(file_name: &str) -> Option<String> {
    let rest = file_name.strip_prefix(['V', 'R'])?;
    let (version, _) = rest.split_once("__")?;
    let ok = !version.is_empty()
        && version
            .split(['.', '_'])
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    ok.then(|| version.replace('_', "."))
}

/// A path's file name, as reports show it.
pub fn file_name(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// `V1_2__add_index` -> ([1, 2], "add index").
pub fn parse_name(stem: &str) -> Option<(Vec<u64>, String)> {
    let rest = stem.strip_prefix('V').or_else(|| stem.strip_prefix('v'))?;
    let (ver, desc) = rest.split_once("__")?;
    if ver.is_empty() {
        return None;
    }
    let version = ver
        .split(['.', '_'])
        .map(|p| p.parse::<u64>().ok())
        .collect::<Option<Vec<u64>>>()?;
    Some((version, desc.replace('_', " ")))
}

/// Numeric, component-wise; missing trailing components count as zero.
pub fn cmp_version(a: &[u64], b: &[u64]) -> Ordering {
    let n = a.len().max(b.len());
    for i in 0..n {
        let x = a.get(i).copied().unwrap_or(0);
        let y = b.get(i).copied().unwrap_or(0);
        match x.cmp(&y) {
            Ordering::Equal => continue,
            o => return o,
        }
    }
    Ordering::Equal
}

/// Applies schema commands in order.
pub struct Folder {
    pub schema: Neo4jSchema,
    pub stats: FoldStats,
    /// Where each object (by identity) was created, for messages.
    created_at: BTreeMap<String, String>,
}

impl Folder {
    pub fn new(opts: &FoldOptions) -> Folder {
        let mut schema = Neo4jSchema::default();
        if opts.default_lookup_indexes {
            for entity_type in [EntityType::Node, EntityType::Relationship] {
                schema.insert_index(Neo4jIndex {
                    name: None,
                    kind: IndexKind::Lookup,
                    entity_type,
                    labels_or_types: vec![],
                    properties: vec![],
                    provider: None,
                    options: BTreeMap::new(),
                });
            }
        }
        Folder {
            schema,
            stats: FoldStats::default(),
            created_at: BTreeMap::new(),
        }
    }

    /// Fold every statement of one file; errors name the file and line.
    pub fn fold_file(&mut self, path: &Path, text: &str) -> Result<()> {
        let err = |line: usize, reason: String| Error::Migration {
            path: path.to_path_buf(),
            line,
            reason,
        };
        let statements = cypher::split(text).map_err(|e| err(e.line, e.message))?;
        for st in statements {
            let parsed =
                cypher::parse(&st.text).map_err(|e| err(st.line + e.line - 1, e.message))?;
            match parsed {
                Parsed::Other => self.stats.skipped_statements += 1,
                Parsed::Schema(cmd) => {
                    self.stats.schema_statements += 1;
                    let at = format!("{}:{}", file_name(path), st.line);
                    self.apply(cmd, &at).map_err(|m| err(st.line, m))?;
                }
            }
        }
        Ok(())
    }

    /// Apply one command; `at` is `file:line` for messages.
    pub fn apply(&mut self, cmd: SchemaCommand, at: &str) -> std::result::Result<(), String> {
        match cmd {
            SchemaCommand::CreateConstraint {
                constraint,
                if_not_exists,
            } => {
                let id = constraint.identity();
                if let Some(name) = &constraint.name {
                    if let Some(where_) = self.name_taken(name) {
                        if if_not_exists {
                            return Ok(());
                        }
                        return Err(format!("there is already {where_} named `{name}`"));
                    }
                }
                if self.schema.constraints.contains_key(&id) {
                    if if_not_exists {
                        return Ok(());
                    }
                    return Err(format!(
                        "an equivalent constraint ({id}) already exists{}",
                        self.origin(&id)
                    ));
                }
                self.created_at.insert(format!("c {id}"), at.to_string());
                self.schema.constraints.insert(id, constraint);
            }
            SchemaCommand::CreateIndex {
                index,
                if_not_exists,
            } => {
                let id = index.identity();
                if let Some(name) = &index.name {
                    if let Some(where_) = self.name_taken(name) {
                        if if_not_exists {
                            return Ok(());
                        }
                        return Err(format!("there is already {where_} named `{name}`"));
                    }
                }
                if self.schema.indexes.contains_key(&id) {
                    if if_not_exists {
                        return Ok(());
                    }
                    return Err(format!(
                        "an equivalent index ({id}) already exists{}",
                        self.origin(&format!("i {id}"))
                    ));
                }
                self.created_at.insert(format!("i {id}"), at.to_string());
                self.schema.indexes.insert(id, index);
            }
            SchemaCommand::DropConstraint { name, if_exists } => {
                let key = self
                    .schema
                    .constraints
                    .iter()
                    .find(|(_, c)| c.name.as_deref() == Some(name.as_str()))
                    .map(|(k, _)| k.clone());
                match key {
                    Some(k) => {
                        self.schema.constraints.remove(&k);
                    }
                    None if if_exists => {}
                    None => {
                        return Err(format!(
                            "DROP CONSTRAINT {name}: no earlier migration creates a constraint of that name (name constraints when creating them, or use the `DROP CONSTRAINT ON ...` form)"
                        ))
                    }
                }
            }
            SchemaCommand::DropConstraintLike(c) => {
                let id = c.identity();
                if self.schema.constraints.remove(&id).is_none() {
                    return Err(format!(
                        "DROP CONSTRAINT ON ...: no earlier migration creates {id}"
                    ));
                }
            }
            SchemaCommand::DropIndex { name, if_exists } => {
                let mut key = self
                    .schema
                    .indexes
                    .iter()
                    .find(|(_, i)| i.name.as_deref() == Some(name.as_str()))
                    .map(|(k, _)| k.clone());
                if key.is_none() {
                    if let Some((_, e)) = DEFAULT_LOOKUP_NAMES.iter().find(|(n, _)| *n == name) {
                        let k = format!("lookup {}", e.as_str());
                        if self
                            .schema
                            .indexes
                            .get(&k)
                            .is_some_and(|i| i.name.is_none())
                        {
                            key = Some(k);
                        }
                    }
                }
                match key {
                    Some(k) => {
                        self.schema.indexes.remove(&k);
                    }
                    None if if_exists => {}
                    None => {
                        return Err(format!(
                            "DROP INDEX {name}: no earlier migration creates an index of that name (name indexes when creating them)"
                        ))
                    }
                }
            }
            SchemaCommand::DropIndexLike(i) => {
                // `DROP INDEX ON :L(p)` drops the default-kind index of 4.x:
                // BTREE on a 4.x server, RANGE as folded here.
                let id = i.identity();
                let btree = Neo4jIndex {
                    kind: IndexKind::Btree,
                    ..i
                }
                .identity();
                if self.schema.indexes.remove(&id).is_none()
                    && self.schema.indexes.remove(&btree).is_none()
                {
                    return Err(format!(
                        "DROP INDEX ON ...: no earlier migration creates {id}"
                    ));
                }
            }
        }
        Ok(())
    }

    /// What already uses `name` (Neo4j names are shared by constraints and indexes).
    fn name_taken(&self, name: &str) -> Option<&'static str> {
        if self
            .schema
            .constraints
            .values()
            .any(|c| c.name.as_deref() == Some(name))
        {
            return Some("a constraint");
        }
        if self
            .schema
            .indexes
            .values()
            .any(|i| i.name.as_deref() == Some(name))
        {
            return Some("an index");
        }
        None
    }

    fn origin(&self, key: &str) -> String {
        let k = if key.starts_with("i ") {
            key.to_string()
        } else {
            format!("c {key}")
        };
        match self.created_at.get(&k) {
            Some(at) => format!(" (created at {at})"),
            None => String::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fold(files: &[(&str, &str)]) -> Result<(Neo4jSchema, FoldStats)> {
        let dir = tempfile::tempdir().unwrap();
        for (n, t) in files {
            std::fs::write(dir.path().join(n), t).unwrap();
        }
        let r = expected_from_folder_with(
            dir.path(),
            &FoldOptions {
                default_lookup_indexes: false,
            },
        );
        // Keep the path out of messages the tests compare.
        r.map_err(|e| match e {
            Error::Migration { path, line, reason } => Error::Migration {
                path: PathBuf::from(path.file_name().unwrap()),
                line,
                reason,
            },
            other => other,
        })
    }

    #[test]
    fn versions_sort_numerically() {
        assert_eq!(parse_name("V1_10__x"), Some((vec![1, 10], "x".into())));
        assert_eq!(
            parse_name("V1.9__add_people"),
            Some((vec![1, 9], "add people".into()))
        );
        assert_eq!(parse_name("R__x"), None);
        assert_eq!(cmp_version(&[1, 10], &[1, 9]), Ordering::Greater);
        assert_eq!(cmp_version(&[2], &[2, 0]), Ordering::Equal);
    }

    #[test]
    fn files_fold_in_version_order_create_then_drop() {
        let (s, stats) = fold(&[
            ("V1_10__drop.cypher", "DROP CONSTRAINT person_email;\nDROP INDEX ON :Person(name);"),
            ("V1_9__more.cypher", "CREATE INDEX ON :Person(name);\nMATCH (n) SET n.x = 1;"),
            (
                "V1__init.cypher",
                "// people\nCREATE CONSTRAINT person_email FOR (p:Person) REQUIRE p.email IS UNIQUE;\nCREATE CONSTRAINT IF NOT EXISTS FOR (p:Person) REQUIRE p.email IS UNIQUE;\nCREATE (:Person {email: 'a;b'});\n",
            ),
            ("afterMigrate.cypher", "CREATE INDEX oops FOR (n:X) ON (n.y)"),
            ("notes.txt", "ignored"),
        ])
        .unwrap();
        assert!(s.constraints.is_empty(), "{s:?}");
        assert!(s.indexes.is_empty(), "{s:?}");
        assert_eq!(stats.files, 3);
        assert_eq!(stats.schema_statements, 5);
        assert_eq!(stats.skipped_statements, 2);
        assert_eq!(stats.skipped_files.len(), 1);
    }

    #[test]
    fn folding_keeps_what_survives() {
        let (s, _) = fold(&[(
            "V001__schema.cypher",
            "CREATE CONSTRAINT a FOR (p:Person) REQUIRE p.id IS UNIQUE;\n\
             CREATE TEXT INDEX b FOR (p:Person) ON (p.bio);\n\
             CREATE INDEX c FOR (p:Person) ON (p.age);\n\
             DROP INDEX c IF EXISTS;\n\
             DROP INDEX never_made IF EXISTS;\n\
             DROP CONSTRAINT ON (p:Person) ASSERT p.id IS UNIQUE;\n\
             CREATE CONSTRAINT ON (p:Person) ASSERT p.id IS UNIQUE;",
        )])
        .unwrap();
        let keys: Vec<&str> = s.constraints.keys().map(String::as_str).collect();
        assert_eq!(keys, ["unique node :Person(id)"]);
        assert_eq!(s.constraints["unique node :Person(id)"].name, None);
        let keys: Vec<&str> = s.indexes.keys().map(String::as_str).collect();
        assert_eq!(keys, ["text node :Person(bio)"]);
    }

    #[test]
    fn default_lookup_indexes_can_be_dropped_by_their_names() {
        // 5.x names, then 2026.08's.
        for (name, left) in [
            ("index_f7700477", "lookup node"),
            ("index_343aff4e", "lookup relationship"),
            ("index_1b9dcc97", "lookup node"),
            ("index_460996c0", "lookup relationship"),
        ] {
            let dir = tempfile::tempdir().unwrap();
            std::fs::write(
                dir.path().join("V1__x.cypher"),
                format!("DROP INDEX {name}"),
            )
            .unwrap();
            let (s, _) = expected_from_folder(dir.path()).unwrap();
            let keys: Vec<&str> = s.indexes.keys().map(String::as_str).collect();
            assert_eq!(keys, [left], "{name}");
        }
    }

    #[test]
    fn errors_name_file_and_line() {
        let e = fold(&[(
            "V1__x.cypher",
            "MATCH (n) RETURN n;\n\nCREATE CONSTRAINT FOR (p:P)\n  REQUIRE p.x IS SPECIAL;",
        )])
        .unwrap_err()
        .to_string();
        assert!(e.starts_with("V1__x.cypher:4: expected"), "{e}");
        let e = fold(&[("V1__x.cypher", "\nDROP CONSTRAINT nope;")])
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("V1__x.cypher:2: DROP CONSTRAINT nope"), "{e}");
        let e = fold(&[(
            "V1__x.cypher",
            "CREATE INDEX i FOR (n:A) ON (n.p);\nCREATE INDEX i FOR (n:B) ON (n.p);",
        )])
        .unwrap_err()
        .to_string();
        assert!(
            e.starts_with("V1__x.cypher:2: there is already an index named `i`"),
            "{e}"
        );
        let e = fold(&[(
            "V1__x.cypher",
            "CREATE INDEX FOR (n:A) ON (n.p);\nCREATE RANGE INDEX FOR (n:A) ON (n.p);",
        )])
        .unwrap_err()
        .to_string();
        assert!(e.contains("V1__x.cypher:2: an equivalent index (range node :A(p)) already exists (created at V1__x.cypher:1)"), "{e}");
    }

    #[test]
    fn bad_names_and_duplicate_versions_are_errors() {
        let e = fold(&[("init.cypher", "")]).unwrap_err().to_string();
        assert!(e.contains("init.cypher does not follow"), "{e}");
        let e = fold(&[("V1__a.cypher", ""), ("V1_0__b.cypher", "")])
            .unwrap_err()
            .to_string();
        assert!(e.contains("have the same version"), "{e}");
    }
}
