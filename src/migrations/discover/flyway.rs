//! Flyway (flyway/flyway, flyway-core): names as `ResourceNameParser`
//! reads them, versions as `MigrationVersion` compares them, the folder
//! scanned as `FileSystemScanner` scans it (subfolders too), and the SQL
//! callbacks run where `DbMigrate` and `DbValidate` fire their events.

use std::cmp::Ordering;
use std::fmt;
use std::path::{Path, PathBuf};

use super::{refuse_duplicates, sort_by_key, Entry, Found, Kind, Migration};
use crate::error::{Error, Result};

/// Callback events whose SQL scripts a `flyway migrate` of a new database
/// runs, in the order it fires them (FlywayExecutor: afterConnect; DbValidate,
/// since `validateOnMigrate` is on by default; DbMigrate; Flyway.migrate:
/// afterMigrateOperationFinish). `beforeEachMigrate` and `afterEachMigrate`
/// run around every migration; `afterVersioned` and `beforeRepeatables`
/// where the repeatables start. Statement-level events
/// (`beforeEachMigrateStatement`, ...) are not run by the replay.
const EVENTS: &[&str] = &[
    "beforeClean",
    "afterClean",
    "afterCleanError",
    "beforeMigrate",
    "beforeEachMigrate",
    "beforeEachMigrateStatement",
    "afterEachMigrateStatement",
    "afterEachMigrateStatementError",
    "afterEachMigrate",
    "afterEachMigrateError",
    "beforeRepeatables",
    "afterVersioned",
    "afterMigrateApplied",
    "afterMigrate",
    "afterMigrateError",
    "beforeUndo",
    "beforeEachUndo",
    "beforeEachUndoStatement",
    "afterEachUndoStatement",
    "afterEachUndoStatementError",
    "afterEachUndo",
    "afterEachUndoError",
    "afterUndo",
    "afterUndoError",
    "beforeValidate",
    "afterValidate",
    "afterValidateError",
    "beforeBaseline",
    "afterBaseline",
    "afterBaselineError",
    "beforeRepair",
    "afterRepair",
    "afterRepairError",
    "beforeInfo",
    "afterInfo",
    "afterInfoError",
    "afterMigrateOperationFinish",
    "afterInfoOperationFinish",
    "createSchema",
    "beforeCreateSchema",
    "beforeConnect",
    "afterConnect",
];

/// A Flyway version: `_` read as `.`, split at each `.` before a digit,
/// each part a (signed) integer, trailing zero parts dropped, so `1`, `1.0`
/// and `1_0` are one version and `1.10` comes after `1.9`.
#[derive(Debug, Clone)]
pub struct FlywayVersion {
    /// (negative, digits without leading zeros) per part.
    parts: Vec<(bool, String)>,
    /// The version as Flyway records it in `flyway_schema_history.version`.
    pub text: String,
}

impl FlywayVersion {
    pub fn parse(raw: &str) -> Option<FlywayVersion> {
        let text = raw.replace('_', ".");
        let mut parts = Vec::new();
        // SPLIT_REGEX = "\\.(?=\\d)"
        let mut start = 0;
        let b = text.as_bytes();
        let mut pieces = Vec::new();
        for i in 0..b.len() {
            if b[i] == b'.' && b.get(i + 1).is_some_and(u8::is_ascii_digit) {
                pieces.push(&text[start..i]);
                start = i + 1;
            }
        }
        pieces.push(&text[start..]);
        for p in pieces {
            // new BigInteger(part): an optional sign, then decimal digits.
            let (neg, digits) = match p.as_bytes().first() {
                Some(b'-') => (true, &p[1..]),
                Some(b'+') => (false, &p[1..]),
                _ => (false, p),
            };
            if digits.is_empty() || !digits.bytes().all(|c| c.is_ascii_digit()) {
                return None;
            }
            let d = digits.trim_start_matches('0');
            let d = if d.is_empty() { "0" } else { d };
            parts.push((neg && d != "0", d.to_string()));
        }
        while parts.len() > 1 && parts.last().is_some_and(|(_, d)| d == "0") {
            parts.pop();
        }
        Some(FlywayVersion { parts, text })
    }
}

fn cmp_part(a: &(bool, String), b: &(bool, String)) -> Ordering {
    let mag = |d: &str, e: &str| d.len().cmp(&e.len()).then_with(|| d.cmp(e));
    match (a.0, b.0) {
        (false, false) => mag(&a.1, &b.1),
        (true, true) => mag(&b.1, &a.1),
        (true, false) => Ordering::Less,
        (false, true) => Ordering::Greater,
    }
}

impl Ord for FlywayVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        let zero = (false, "0".to_string());
        let n = self.parts.len().max(other.parts.len());
        (0..n)
            .map(|i| {
                cmp_part(
                    self.parts.get(i).unwrap_or(&zero),
                    other.parts.get(i).unwrap_or(&zero),
                )
            })
            .find(|o| o.is_ne())
            .unwrap_or(Ordering::Equal)
    }
}

impl PartialOrd for FlywayVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for FlywayVersion {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other).is_eq()
    }
}

impl Eq for FlywayVersion {}

impl fmt::Display for FlywayVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// What `ResourceNameParser` makes of a file name.
#[derive(Debug, PartialEq, Eq)]
pub enum FlywayName {
    Versioned(FlywayVersion, String),
    Baseline(FlywayVersion, String),
    Repeatable(String),
    Callback(&'static str, String),
    /// Not a valid migration name: Flyway skips it (`validateMigrationNaming`
    /// is off by default), as it skips `U` undo scripts (a paid edition's).
    Ignored,
}

/// Parse a file name: the `.sql` suffix (any case), then the longest
/// matching prefix (case-sensitive: `V`, `R`, `B` or a callback event),
/// then the version up to the first `__` and the description after it.
pub fn parse(name: &str) -> FlywayName {
    // Compared as bytes: the four before the suffix may end inside a
    // character (`READMEڒ__d`), and an ASCII suffix starts on a boundary.
    let Some(stem_len) = name
        .len()
        .checked_sub(4)
        .filter(|&n| name.as_bytes()[n..].eq_ignore_ascii_case(b".sql"))
    else {
        return FlywayName::Ignored;
    };
    let stem = &name[..stem_len];
    let mut prefixes: Vec<&'static str> = EVENTS.to_vec();
    prefixes.extend(["V", "R", "B"]);
    // "Sort most-hard-to-match first; that is, in descending order of prefix length"
    prefixes.sort_by_key(|p| std::cmp::Reverse(p.len()));
    let Some(prefix) = prefixes.into_iter().find(|p| stem.starts_with(p)) else {
        return FlywayName::Ignored;
    };
    let rest = &stem[prefix.len()..];
    let (version, desc) = rest.split_once("__").unwrap_or((rest, ""));
    let description = desc.replace('_', " ");
    match prefix {
        "V" | "B" => match FlywayVersion::parse(version) {
            Some(v) if prefix == "V" => FlywayName::Versioned(v, description),
            Some(v) => FlywayName::Baseline(v, description),
            None => FlywayName::Ignored,
        },
        _ if !version.is_empty() => FlywayName::Ignored,
        "R" => FlywayName::Repeatable(description),
        event => FlywayName::Callback(event, description),
    }
}

/// A versioned, baseline or repeatable migration name (for detection).
pub fn is_migration_name(name: &str) -> bool {
    matches!(
        parse(name),
        FlywayName::Versioned(..) | FlywayName::Baseline(..) | FlywayName::Repeatable(..)
    )
}

/// Whether a (non-hidden) subfolder holds Flyway migrations.
pub fn in_subfolders(entries: &[Entry]) -> bool {
    let mut files = Vec::new();
    for e in entries.iter().filter(|e| e.is_dir && !e.hidden()) {
        if walk(&e.path, &e.name, &mut files).is_err() {
            return false;
        }
    }
    files
        .iter()
        .any(|(_, rel)| is_migration_name(rel.rsplit('/').next().unwrap_or(rel)))
}

/// Every file under `dir`, hidden subfolders skipped (FileSystemScanner,
/// "#1807: Skip hidden directories"), with its path relative to the top.
fn walk(dir: &Path, rel: &str, out: &mut Vec<(PathBuf, String)>) -> Result<()> {
    let rd = std::fs::read_dir(dir).map_err(|e| Error::Read {
        path: dir.to_path_buf(),
        reason: e.to_string(),
    })?;
    for ent in rd {
        let ent = ent.map_err(|e| Error::Read {
            path: dir.to_path_buf(),
            reason: e.to_string(),
        })?;
        let name = ent.file_name().to_string_lossy().into_owned();
        let path = dir.join(&name);
        let r = format!("{rel}/{name}");
        if path.is_dir() {
            if !name.starts_with('.') {
                walk(&path, &r, out)?;
            }
        } else {
            out.push((path, r));
        }
    }
    Ok(())
}

/// Flyway: versioned migrations by version (no version twice), then the
/// repeatables by description; on a new database the latest baseline
/// migration (`B<version>__`) replaces every versioned one up to its
/// version. Callback scripts run at their events, in the order Flyway fires
/// them; undo scripts and names Flyway does not recognise are skipped.
pub fn flyway(dir: &Path, entries: &[Entry]) -> Result<Vec<Migration>> {
    let mut files: Vec<(PathBuf, String)> = Vec::new();
    for e in entries {
        if e.is_dir {
            if !e.hidden() {
                walk(&e.path, &e.name, &mut files)?;
            }
        } else {
            files.push((e.path.clone(), e.name.clone()));
        }
    }
    files.sort_by(|a, b| a.1.cmp(&b.1));
    let mut versioned: Vec<(FlywayVersion, Found)> = Vec::new();
    let mut baselines: Vec<(FlywayVersion, Found)> = Vec::new();
    let mut repeatables: Vec<(String, Found)> = Vec::new();
    // Keyed by the name without its suffix, which must be unique.
    let mut callbacks: Vec<(String, Found)> = Vec::new();
    for (path, rel) in files {
        let name = rel.rsplit('/').next().unwrap_or(&rel).to_string();
        let found = |version: Option<String>, description: &str, kind| Found {
            version,
            description: description.to_string(),
            kind,
            path: path.clone(),
            files: vec![],
            display_name: rel.clone(),
        };
        match parse(&name) {
            FlywayName::Versioned(v, d) => {
                let f = found(Some(v.text.clone()), &d, Kind::Versioned);
                versioned.push((v, f));
            }
            FlywayName::Baseline(v, d) => {
                let f = found(Some(v.text.clone()), &d, Kind::Baseline);
                baselines.push((v, f));
            }
            FlywayName::Repeatable(d) => {
                let f = found(None, &d, Kind::Repeatable);
                repeatables.push((d, f));
            }
            FlywayName::Callback(event, d) => {
                let f = found(None, &d, Kind::Callback(event));
                callbacks.push((name[..name.len() - 4].to_string(), f));
            }
            FlywayName::Ignored => {}
        }
    }
    let why = "which Flyway refuses";
    sort_by_key(&mut versioned);
    refuse_duplicates(dir, &versioned, "version", why)?;
    sort_by_key(&mut baselines);
    refuse_duplicates(dir, &baselines, "baseline version", why)?;
    // ResolvedMigrationComparator: `o1.getDescription().compareTo(o2.getDescription())`
    repeatables
        .sort_by(|a, b| java_cmp(&a.0, &b.0).then_with(|| a.1.display_name.cmp(&b.1.display_name)));
    refuse_duplicates(dir, &repeatables, "repeatable description", why)?;
    refuse_duplicates(dir, &callbacks, "callback name", why)?;

    // A new database starts from the latest baseline migration, if any.
    let mut applied: Vec<Found> = Vec::new();
    let floor = baselines.pop().map(|(v, f)| {
        applied.push(f);
        v
    });
    applied.extend(
        versioned
            .into_iter()
            .filter(|(v, _)| floor.as_ref().is_none_or(|b| v > b))
            .map(|(_, f)| f),
    );
    let repeatables: Vec<Found> = repeatables.into_iter().map(|(_, f)| f).collect();
    let any_applied = !applied.is_empty() || !repeatables.is_empty();

    // SqlScriptCallbackFactory: sorted by event, then description.
    let ord = |k: Kind| match k {
        Kind::Callback(e) => EVENTS.iter().position(|x| *x == e).unwrap_or(usize::MAX),
        _ => usize::MAX,
    };
    callbacks.sort_by(|a, b| {
        ord(a.1.kind)
            .cmp(&ord(b.1.kind))
            .then_with(|| java_cmp(&a.1.description, &b.1.description))
    });
    let mut at: std::collections::BTreeMap<&'static str, Vec<Migration>> = Default::default();
    for (_, f) in callbacks {
        if let Kind::Callback(event) = f.kind {
            at.entry(event).or_default().push(f.read()?);
        }
    }
    let run = |event: &str, out: &mut Vec<Migration>| {
        if let Some(v) = at.get(event) {
            out.extend(v.iter().cloned());
        }
    };
    let mut out = Vec::new();
    for e in [
        "afterConnect",
        "beforeValidate",
        "afterValidate",
        "beforeMigrate",
    ] {
        run(e, &mut out);
    }
    for f in applied {
        run("beforeEachMigrate", &mut out);
        out.push(f.read()?);
        run("afterEachMigrate", &mut out);
    }
    run("afterVersioned", &mut out);
    if !repeatables.is_empty() {
        run("beforeRepeatables", &mut out);
    }
    for f in repeatables {
        run("beforeEachMigrate", &mut out);
        out.push(f.read()?);
        run("afterEachMigrate", &mut out);
    }
    if any_applied {
        run("afterMigrateApplied", &mut out);
    }
    run("afterMigrate", &mut out);
    run("afterMigrateOperationFinish", &mut out);
    Ok(out)
}

/// Java's `String.compareTo`: UTF-16 code units.
fn java_cmp(a: &str, b: &str) -> Ordering {
    a.encode_utf16().cmp(b.encode_utf16())
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::super::{discover, Format};
    use super::*;

    fn v(s: &str) -> FlywayVersion {
        FlywayVersion::parse(s).unwrap()
    }

    #[test]
    fn versions_compare_part_by_part() {
        assert!(v("1.9") < v("1.10"));
        assert_eq!(v("1_1"), v("1.1"));
        assert_eq!(v("1"), v("1.0.0"));
        assert_eq!(v("001"), v("1"));
        assert!(v("2") > v("1.99"));
        assert!(v("2024.01.02") > v("2024.1.1"));
        assert_eq!(v("1_10").text, "1.10");
        assert_eq!(v("001").text, "001");
        for bad in ["1.x", "1.", "1..2", "", "a"] {
            assert!(FlywayVersion::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn names_as_flyway_reads_them() {
        assert!(
            matches!(parse("V1_2__add_users.sql"), FlywayName::Versioned(ref x, ref d) if x.text == "1.2" && d == "add users")
        );
        assert!(
            matches!(parse("V3.sql"), FlywayName::Versioned(ref x, ref d) if x.text == "3" && d.is_empty())
        );
        assert!(matches!(parse("V4__x.SQL"), FlywayName::Versioned(..)));
        assert!(matches!(parse("R__views.sql"), FlywayName::Repeatable(ref d) if d == "views"));
        assert!(matches!(parse("B5__base.sql"), FlywayName::Baseline(..)));
        assert_eq!(
            parse("beforeMigrate.sql"),
            FlywayName::Callback("beforeMigrate", String::new())
        );
        assert_eq!(
            parse("beforeEachMigrate__log.sql"),
            FlywayName::Callback("beforeEachMigrate", "log".into())
        );
        for ignored in [
            "U2__undo.sql",
            "v1__lower.sql",
            "R1__x.sql",
            "README.sql",
            "Vx__y.sql",
            "V1__x.txt",
            "seed.sql",
            "beforeMigrateX.sql",
        ] {
            assert_eq!(parse(ignored), FlywayName::Ignored, "{ignored}");
        }
    }

    /// Found by fuzzing (tests/fuzz, migration_names): the four bytes
    /// before a name's end may start inside a character.
    #[test]
    fn a_name_ending_inside_a_character_is_not_a_migration() {
        for name in ["READMEڒ__d", "aé", "x\u{10348}", "é.sq"] {
            assert_eq!(parse(name), FlywayName::Ignored, "{name}");
        }
        assert!(matches!(parse("V1__café.SQL"), FlywayName::Versioned(_, ref d) if d == "café"));
        let d = folder(&[("V1__one.sql", "select 1;"), ("READMEڒ__d", "")]);
        let found = discover(d.path(), Some(Format::Flyway)).unwrap();
        assert_eq!(found.migrations.len(), 1);
        assert_eq!(found.migrations[0].display_name, "V1__one.sql");
    }

    #[test]
    fn order_subfolders_baselines_and_callbacks() {
        let d = folder(&[
            ("V10__ten.sql", ""),
            ("v2/V2__two.sql", ""),
            ("v1/V1_10__one_ten.sql", ""),
            ("v1/V1.9__one_nine.sql", ""),
            ("V1__one.sql", ""),
            ("R__b_views.sql", ""),
            ("R__a_funcs.sql", ""),
            ("U2__undo_two.sql", ""),
            ("seed.sql", ""),
            (".hidden/V3__no.sql", ""),
            ("beforeMigrate.sql", ""),
            ("beforeEachMigrate__log.sql", ""),
            ("afterMigrate__grants.sql", ""),
            ("afterMigrate.sql", ""),
            ("beforeRepeatables.sql", ""),
        ]);
        let r = discover(d.path(), None).unwrap();
        assert_eq!(r.format, Format::Flyway);
        let each = "beforeEachMigrate__log.sql";
        assert_eq!(
            names(&r),
            [
                "beforeMigrate.sql",
                each,
                "V1__one.sql",
                each,
                "v1/V1.9__one_nine.sql",
                each,
                "v1/V1_10__one_ten.sql",
                each,
                "v2/V2__two.sql",
                each,
                "V10__ten.sql",
                "beforeRepeatables.sql",
                each,
                "R__a_funcs.sql",
                each,
                "R__b_views.sql",
                "afterMigrate.sql",
                "afterMigrate__grants.sql",
            ]
        );
        let kinds: Vec<Kind> = r.migrations.iter().map(|m| m.kind).collect();
        assert_eq!(kinds[0], Kind::Callback("beforeMigrate"));
        assert_eq!(kinds[13], Kind::Repeatable);
        assert_eq!(r.migrations[6].version.as_deref(), Some("1.10"));
        assert_eq!(r.migrations[13].version, None);
        assert_eq!(r.migrations[13].description, "a funcs");
    }

    #[test]
    fn a_new_database_starts_at_the_latest_baseline() {
        let d = folder(&[
            ("V1__a.sql", ""),
            ("V2__b.sql", ""),
            ("B2__base.sql", ""),
            ("B1__old_base.sql", ""),
            ("V3__c.sql", ""),
        ]);
        let r = discover(d.path(), None).unwrap();
        assert_eq!(names(&r), ["B2__base.sql", "V3__c.sql"]);
        assert_eq!(r.migrations[0].kind, Kind::Baseline);
    }

    #[test]
    fn duplicates_flyway_refuses() {
        let d = folder(&[("V1_1__a.sql", ""), ("V1.1__b.sql", ""), ("V2__c.sql", "")]);
        let e = discover(d.path(), None).unwrap_err().to_string();
        assert!(
            e.contains("V1.1__b.sql and V1_1__a.sql (version 1.1)"),
            "{e}"
        );
        let d = folder(&[("R__x_y.sql", ""), ("sub/R__x y.sql", "")]);
        let e = discover(d.path(), Some(Format::Flyway))
            .unwrap_err()
            .to_string();
        assert!(e.contains("(repeatable description x y)"), "{e}");
        let d = folder(&[
            ("V1__a.sql", ""),
            ("afterMigrate.sql", ""),
            ("sub/afterMigrate.sql", ""),
        ]);
        let e = discover(d.path(), None).unwrap_err().to_string();
        assert!(e.contains("callback name afterMigrate"), "{e}");
    }
}
