//! `schemadrift.toml`: where the expected schema lives, the named targets,
//! schema filters and ignore rules, with `${ENV}` interpolation.
//!
//! ```toml
//! schemas = ["app"]                 # optional: only these schemas
//! exclude_schemas = ["scratch"]     # optional
//! ignore = ["comment-changed"]      # optional: ignore rules for every target
//! include_bookkeeping = false       # optional: compare the migration tools' own tables
//!
//! [postgres]
//! migrations = "db/migrations"      # used by `schemadrift expected`
//! expected = "expected/postgres.json"
//! setup = ["db/setup.sql"]          # optional: run in the shadow before the migrations
//! history_table = "ops.flyway_history"  # optional: the migration tool's table, when renamed
//! alert_on_pending = false          # optional: alert on migrations not applied yet
//!
//! [neo4j]
//! migrations = "db/neo4j"           # Cypher migrations (V1__x.cypher)
//! expected = "expected/neo4j.json"
//! schema_database = "migrations"    # optional: neo4j-migrations' --schema-database
//! alert_on_pending = false          # optional
//!
//! [targets.production]
//! postgres = "${PRODUCTION_DATABASE_URL}"
//! neo4j = "${PRODUCTION_NEO4J_URL}"  # a target has postgres, neo4j, or both
//! ignore = ["*.*.*_hotfix_idx"]      # added to the global rules
//! ```
//!
//! Relative paths are relative to the file's own directory. Unknown keys and
//! unset variables are errors that name the file and line. Variables are
//! resolved only for the targets a command uses, so a cron host that checks
//! one target needs only that target's variables.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use crate::error::{Error, Result};
use crate::redact::Dsn;

mod alerts;

pub use alerts::{
    Alerts, Channel, ChannelKind, Delivery, EmailConfig, Secret, SlackConfig, SmtpTls,
    WebhookConfig, DEFAULT_STATE_FILE,
};

/// The default file name, looked for in the current directory.
pub const DEFAULT_FILE: &str = "schemadrift.toml";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    schemas: Vec<String>,
    #[serde(default)]
    exclude_schemas: Vec<String>,
    #[serde(default)]
    ignore: Vec<String>,
    #[serde(default)]
    include_bookkeeping: bool,
    #[serde(default)]
    postgres: Option<RawPostgres>,
    #[serde(default)]
    neo4j: Option<RawNeo4j>,
    #[serde(default)]
    targets: BTreeMap<String, Spanned<RawTarget>>,
    #[serde(default)]
    alerts: Option<alerts::RawAlerts>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPostgres {
    migrations: Option<Spanned<String>>,
    migrations_format: Option<String>,
    expected: Option<Spanned<String>>,
    shadow: Option<Spanned<String>>,
    #[serde(default)]
    setup: Vec<Spanned<String>>,
    history_table: Option<String>,
    alert_on_pending: Option<bool>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawNeo4j {
    migrations: Option<Spanned<String>>,
    expected: Option<Spanned<String>>,
    default_lookup_indexes: Option<bool>,
    schema_database: Option<String>,
    alert_on_pending: Option<bool>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTarget {
    postgres: Option<Spanned<String>>,
    neo4j: Option<Spanned<String>>,
    schemas: Option<Vec<String>>,
    exclude_schemas: Option<Vec<String>>,
    #[serde(default)]
    ignore: Vec<String>,
}

/// A loaded configuration file.
#[derive(Debug, Clone)]
pub struct Config {
    /// The file it came from.
    pub path: PathBuf,
    pub schemas: Vec<String>,
    pub exclude_schemas: Vec<String>,
    pub ignore: Vec<String>,
    /// Compare the migration tools' own tables on every target rather than
    /// leave them out (`--include-bookkeeping` for one run).
    pub include_bookkeeping: bool,
    pub postgres: PostgresConfig,
    pub neo4j: Neo4jConfig,
    /// Targets by name, in name order.
    pub targets: BTreeMap<String, TargetConfig>,
    /// The `[alerts]` section (see `crate::alert`), if any.
    pub alerts: Option<Alerts>,
}

/// The `[postgres]` section.
#[derive(Debug, Clone)]
pub struct PostgresConfig {
    pub migrations: Option<PathBuf>,
    pub migrations_format: Option<String>,
    /// The expected snapshot file (default `expected/postgres.json`).
    pub expected: PathBuf,
    /// A shadow server URL, still uninterpolated.
    shadow: Option<Setting>,
    /// Setup files run in the shadow before the first migration.
    pub setup: Vec<PathBuf>,
    /// The migration tool's history table (`[schema.]table`), when renamed or moved.
    pub history_table: Option<crate::history::TableName>,
    /// Report each pending migration as an info change (`migration-pending`), so it
    /// is alerted; by default pending migrations are listed only.
    pub alert_on_pending: bool,
}

/// The `[neo4j]` section.
#[derive(Debug, Clone)]
pub struct Neo4jConfig {
    /// The folder of Cypher migrations, if any.
    pub migrations: Option<PathBuf>,
    /// The expected snapshot file (default `expected/neo4j.json`).
    pub expected: PathBuf,
    /// Whether the migrations start from the two lookup indexes every new
    /// Neo4j database has (default true; false for servers without them).
    pub default_lookup_indexes: bool,
    /// Where neo4j-migrations keeps its chain (`schema_database`: its
    /// `--schema-database`); its label is fixed.
    pub history: crate::history::Neo4jChain,
    /// As `[postgres] alert_on_pending`, for the Cypher migrations.
    pub alert_on_pending: bool,
}

/// One `[targets.NAME]` table, its URLs still uninterpolated.
#[derive(Debug, Clone)]
pub struct TargetConfig {
    pub name: String,
    postgres: Option<Setting>,
    neo4j: Option<Setting>,
    pub schemas: Vec<String>,
    pub exclude_schemas: Vec<String>,
    /// Global rules followed by the target's own.
    pub ignore: Vec<String>,
}

/// A target whose URL could not be resolved, with the sentence saying why.
#[derive(Debug, Clone)]
pub struct Unresolved {
    pub name: String,
    pub error: String,
}

/// A target with its variables resolved, ready to connect to.
#[derive(Debug, Clone)]
pub struct Target {
    pub name: String,
    /// The PostgreSQL connection string (URL or `key=value`), if any.
    pub postgres: Option<Dsn>,
    /// The Neo4j URL (`neo4j://`, `bolt://`, ...), if the target has one.
    pub neo4j: Option<Dsn>,
    pub schemas: Vec<String>,
    pub exclude_schemas: Vec<String>,
    pub ignore: Vec<String>,
}

impl Config {
    /// Read and validate a configuration file.
    pub fn load(path: &Path) -> Result<Config> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::Read {
            path: path.to_path_buf(),
            reason: e.to_string(),
        })?;
        Config::parse(path, &text)
    }

    /// Validate configuration text that came from `path`.
    pub fn parse(path: &Path, text: &str) -> Result<Config> {
        let raw: RawConfig = toml::from_str(text).map_err(|e| Error::Config {
            path: path.to_path_buf(),
            line: e.span().map(|s| line_of(text, s.start)),
            message: toml_message(e.message()),
        })?;
        let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
        let resolve_path = |p: &str| {
            let p = Path::new(p);
            if p.is_absolute() || base.as_os_str().is_empty() {
                p.to_path_buf()
            } else {
                base.join(p)
            }
        };
        let ctx = Ctx { path, text };
        let pg = raw.postgres.unwrap_or(RawPostgres {
            migrations: None,
            migrations_format: None,
            expected: None,
            shadow: None,
            setup: Vec::new(),
            history_table: None,
            alert_on_pending: None,
        });
        let mut cfg = Config {
            path: path.to_path_buf(),
            schemas: raw.schemas,
            exclude_schemas: raw.exclude_schemas,
            ignore: raw.ignore,
            include_bookkeeping: raw.include_bookkeeping,
            postgres: PostgresConfig {
                migrations: None,
                migrations_format: pg.migrations_format,
                expected: PathBuf::new(),
                shadow: pg.shadow.as_ref().map(|s| ctx.setting(s)),
                setup: Vec::new(),
                history_table: pg.history_table.as_deref().map(crate::applied::parse_table),
                alert_on_pending: pg.alert_on_pending.unwrap_or(false),
            },
            neo4j: Neo4jConfig {
                migrations: None,
                expected: PathBuf::new(),
                default_lookup_indexes: true,
                history: Default::default(),
                alert_on_pending: false,
            },
            targets: BTreeMap::new(),
            alerts: None,
        };
        cfg.postgres.migrations = match pg.migrations {
            Some(m) => Some(resolve_path(&ctx.setting(&m).resolve()?)),
            None => None,
        };
        for f in &pg.setup {
            let p = resolve_path(&ctx.setting(f).resolve()?);
            cfg.postgres.setup.push(p);
        }
        cfg.postgres.expected = match pg.expected {
            Some(e) => resolve_path(&ctx.setting(&e).resolve()?),
            None => resolve_path("expected/postgres.json"),
        };
        let neo = raw.neo4j.unwrap_or(RawNeo4j {
            migrations: None,
            expected: None,
            default_lookup_indexes: None,
            schema_database: None,
            alert_on_pending: None,
        });
        cfg.neo4j.default_lookup_indexes = neo.default_lookup_indexes.unwrap_or(true);
        cfg.neo4j.history.schema_database = neo.schema_database.filter(|d| !d.is_empty());
        cfg.neo4j.alert_on_pending = neo.alert_on_pending.unwrap_or(false);
        cfg.neo4j.migrations = match neo.migrations {
            Some(m) => Some(resolve_path(&ctx.setting(&m).resolve()?)),
            None => None,
        };
        cfg.neo4j.expected = match neo.expected {
            Some(e) => resolve_path(&ctx.setting(&e).resolve()?),
            None => resolve_path("expected/neo4j.json"),
        };
        for (name, t) in raw.targets {
            let line = line_of(text, t.span().start);
            let t = t.into_inner();
            if t.postgres.is_none() && t.neo4j.is_none() {
                return Err(Error::Config {
                    path: path.to_path_buf(),
                    line: Some(line),
                    message: format!("target `{name}` has neither a `postgres` nor a `neo4j` URL"),
                });
            }
            let mut ignore = cfg.ignore.clone();
            ignore.extend(t.ignore);
            cfg.targets.insert(
                name.clone(),
                TargetConfig {
                    name,
                    postgres: t.postgres.as_ref().map(|u| ctx.setting(u)),
                    neo4j: t.neo4j.as_ref().map(|u| ctx.setting(u)),
                    schemas: t.schemas.unwrap_or_else(|| cfg.schemas.clone()),
                    exclude_schemas: t
                        .exclude_schemas
                        .unwrap_or_else(|| cfg.exclude_schemas.clone()),
                    ignore,
                },
            );
        }
        if let Some(a) = raw.alerts {
            let known: Vec<&str> = cfg.targets.keys().map(String::as_str).collect();
            cfg.alerts = Some(Alerts::from_raw(a, &ctx, &known, &resolve_path)?);
        }
        Ok(cfg)
    }

    /// The targets named in `names` (all of them when empty), with their
    /// variables resolved. An unknown name is an error listing the known ones.
    pub fn targets(&self, names: &[String]) -> Result<Vec<Target>> {
        self.chosen(names)?
            .into_iter()
            .map(|t| self.resolve(t))
            .collect()
    }

    /// [`Config::targets`] for a run that checks each target on its own: a
    /// target whose URL names a variable that is not set is an `Err` of its
    /// own (it fails alone), not an error of the whole run.
    pub fn each_target(
        &self,
        names: &[String],
    ) -> Result<Vec<std::result::Result<Target, Unresolved>>> {
        Ok(self
            .chosen(names)?
            .into_iter()
            .map(|t| {
                self.resolve(t).map_err(|e| Unresolved {
                    name: t.name.clone(),
                    error: e.to_string(),
                })
            })
            .collect())
    }

    /// The target tables named in `names` (all when empty), in name order.
    fn chosen(&self, names: &[String]) -> Result<Vec<&TargetConfig>> {
        let chosen: Vec<&TargetConfig> = if names.is_empty() {
            self.targets.values().collect()
        } else {
            let mut v = Vec::new();
            for n in names {
                match self.targets.get(n) {
                    Some(t) => v.push(t),
                    None => {
                        let known: Vec<&str> = self.targets.keys().map(String::as_str).collect();
                        return Err(Error::Config {
                            path: self.path.clone(),
                            line: None,
                            message: format!(
                                "there is no target `{n}` (targets: {})",
                                if known.is_empty() {
                                    "none".to_string()
                                } else {
                                    known.join(", ")
                                }
                            ),
                        });
                    }
                }
            }
            v
        };
        if chosen.is_empty() {
            return Err(Error::Config {
                path: self.path.clone(),
                line: None,
                message: "no targets are defined: add a [targets.NAME] table with a `postgres` or `neo4j` URL"
                    .into(),
            });
        }
        Ok(chosen)
    }

    fn resolve(&self, t: &TargetConfig) -> Result<Target> {
        let dsn = |v: &Setting| v.resolve().map(Dsn::new);
        let postgres = t.postgres.as_ref().map(dsn).transpose()?;
        let neo4j = t.neo4j.as_ref().map(dsn).transpose()?;
        Ok(Target {
            name: t.name.clone(),
            postgres,
            neo4j,
            schemas: t.schemas.clone(),
            exclude_schemas: t.exclude_schemas.clone(),
            ignore: t.ignore.clone(),
        })
    }

    /// `[postgres] migrations_format`, parsed.
    pub fn migrations_format(&self) -> Result<Option<crate::migrations::Format>> {
        let Some(f) = self.postgres.migrations_format.as_deref() else {
            return Ok(None);
        };
        crate::migrations::Format::parse(f)
            .map(Some)
            .ok_or_else(|| Error::Config {
                path: self.path.clone(),
                line: None,
                message: format!("unknown migrations_format `{f}`"),
            })
    }

    /// The shadow URL from the `[postgres]` section, interpolated.
    pub fn shadow(&self) -> Result<Option<Dsn>> {
        let dsn = |v: &Setting| v.resolve().map(Dsn::new);
        self.postgres.shadow.as_ref().map(dsn).transpose()
    }

    /// The alert channels `schemadrift alert test` sends to: the one named,
    /// or all of them.
    pub fn alert_channels(&self, only: Option<&str>) -> Result<Vec<&Channel>> {
        let error = |message: String| Error::Config {
            path: self.path.clone(),
            line: None,
            message,
        };
        let channels = match &self.alerts {
            Some(a) if !a.channels.is_empty() => &a.channels,
            _ => {
                return Err(error(
                    "no alert channels are defined: add an [alerts.channels.NAME] table".into(),
                ))
            }
        };
        match only {
            None => Ok(channels.values().collect()),
            Some(n) => match channels.get(n) {
                Some(c) => Ok(vec![c]),
                None => Err(error(format!(
                    "there is no alert channel `{n}` (channels: {})",
                    channels.keys().cloned().collect::<Vec<_>>().join(", ")
                ))),
            },
        }
    }
}

/// A value of the config file, kept as written until it is used: its
/// `${VARIABLES}` are resolved then, so a command needs only the variables
/// of what it uses, and an unset one is named with the file and line.
#[derive(Debug, Clone)]
pub struct Setting {
    text: String,
    file: PathBuf,
    line: usize,
}

impl Setting {
    /// The value with its variables resolved from the environment.
    pub fn resolve(&self) -> Result<String> {
        interpolate(&self.text, &|name| std::env::var(name).ok()).map_err(|message| Error::Config {
            path: self.file.clone(),
            line: Some(self.line),
            message,
        })
    }

    /// A path, resolved, and relative to the config file's directory.
    pub fn resolve_path(&self) -> Result<PathBuf> {
        let s = self.resolve()?;
        let p = Path::new(&s);
        let base = self.file.parent().unwrap_or(Path::new(""));
        Ok(if p.is_absolute() || base.as_os_str().is_empty() {
            p.to_path_buf()
        } else {
            base.join(p)
        })
    }
}

/// Where in the config file a value or an error is.
struct Ctx<'a> {
    path: &'a Path,
    text: &'a str,
}

impl Ctx<'_> {
    fn line(&self, byte: usize) -> usize {
        line_of(self.text, byte)
    }

    fn err(&self, byte: usize, message: impl Into<String>) -> Error {
        Error::Config {
            path: self.path.to_path_buf(),
            line: Some(self.line(byte)),
            message: message.into(),
        }
    }

    fn setting(&self, v: &Spanned<String>) -> Setting {
        Setting {
            text: v.get_ref().clone(),
            file: self.path.to_path_buf(),
            line: self.line(v.span().start),
        }
    }

    fn duration(&self, v: &Spanned<String>, key: &str) -> Result<std::time::Duration> {
        humantime::parse_duration(v.get_ref().trim()).map_err(|e| {
            self.err(
                v.span().start,
                format!(
                    "`{key}`: `{}` is not a duration like \"30s\" or \"24h\" ({e})",
                    v.get_ref()
                ),
            )
        })
    }
}

/// Replace `${NAME}` and `${NAME:-default}` with environment values; `$$` is a
/// literal `$`. An unset variable without a default is an error naming it.
pub fn interpolate(s: &str, lookup: &dyn Fn(&str) -> Option<String>) -> Result<String, String> {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('$') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        if let Some(tail) = after.strip_prefix('$') {
            out.push('$');
            rest = tail;
        } else if let Some(body) = after.strip_prefix('{') {
            let end = body
                .find('}')
                .ok_or_else(|| format!("unterminated `${{` in `{}`", crate::redact::redact(s)))?;
            let expr = &body[..end];
            let (name, default) = match expr.split_once(":-") {
                Some((n, d)) => (n, Some(d)),
                None => (expr, None),
            };
            if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                return Err(format!("`${{{expr}}}` is not a valid variable reference"));
            }
            match (lookup(name), default) {
                (Some(v), _) if !v.is_empty() || default.is_none() => out.push_str(&v),
                (_, Some(d)) => out.push_str(d),
                (None, None) => return Err(format!("environment variable {name} is not set")),
                (Some(_), None) => unreachable!("handled by the first arm"),
            }
            rest = &body[end + 1..];
        } else {
            out.push('$');
            rest = after;
        }
    }
    out.push_str(rest);
    Ok(out)
}

fn line_of(text: &str, byte: usize) -> usize {
    text[..byte.min(text.len())].matches('\n').count() + 1
}

/// The TOML parser's message as one line. Its first line alone can be
/// vague ("invalid table header" for a second `[targets.prod]`); the
/// reason follows on the next lines.
fn toml_message(s: &str) -> String {
    let lines: Vec<&str> = s.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    for l in &lines {
        if let Some(name) = l
            .strip_prefix("duplicate key `")
            .and_then(|r| r.strip_suffix("` in table `targets`"))
        {
            return format!(
                "duplicate target `{name}`: [targets.{name}] is defined more than once"
            );
        }
    }
    lines.join(": ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(name: &str) -> Option<String> {
        match name {
            "PROD_URL" => Some("postgres://app@prod/app".into()),
            "EMPTY" => Some(String::new()),
            _ => None,
        }
    }

    #[test]
    fn interpolates_variables_defaults_and_dollars() {
        assert_eq!(
            interpolate("${PROD_URL}", &env).unwrap(),
            "postgres://app@prod/app"
        );
        assert_eq!(interpolate("a${MISSING:-b}c", &env).unwrap(), "abc");
        assert_eq!(interpolate("${EMPTY:-x}", &env).unwrap(), "x");
        assert_eq!(interpolate("${EMPTY}", &env).unwrap(), "");
        assert_eq!(interpolate("p$$w", &env).unwrap(), "p$w");
        assert_eq!(interpolate("$PLAIN", &env).unwrap(), "$PLAIN");
    }

    #[test]
    fn unset_variable_is_named() {
        let e = interpolate("x${NOPE}", &env).unwrap_err();
        assert_eq!(e, "environment variable NOPE is not set");
        assert!(interpolate("${bad name}", &env).is_err());
        assert!(interpolate("${OPEN", &env).is_err());
    }

    const GOOD: &str = r#"
schemas = ["app", "care"]
ignore = ["comment-changed"]

[postgres]
migrations = "db/migrations"

[targets.production]
postgres = "${SD_TEST_CFG_UNSET_PROD}"
ignore = ["*.*.*_hotfix_idx"]

[targets.staging]
postgres = "postgres://stage/app"
exclude_schemas = ["scratch"]
"#;

    #[test]
    fn parses_targets_paths_and_rules() {
        let cfg = Config::parse(Path::new("/srv/app/schemadrift.toml"), GOOD).unwrap();
        assert_eq!(
            cfg.postgres.migrations,
            Some(PathBuf::from("/srv/app/db/migrations"))
        );
        assert_eq!(
            cfg.postgres.expected,
            PathBuf::from("/srv/app/expected/postgres.json")
        );
        let staging = &cfg.targets(&["staging".into()]).unwrap()[0];
        assert_eq!(
            staging.postgres.as_ref().map(Dsn::expose),
            Some("postgres://stage/app")
        );
        assert_eq!(staging.schemas, vec!["app", "care"]);
        assert_eq!(staging.exclude_schemas, vec!["scratch"]);
        assert_eq!(staging.ignore, vec!["comment-changed"]);
        assert_eq!(
            cfg.targets["production"].ignore,
            vec!["comment-changed", "*.*.*_hotfix_idx"]
        );
    }

    #[test]
    fn unset_variable_names_file_and_line_only_when_target_is_used() {
        let cfg = Config::parse(Path::new("sd.toml"), GOOD).unwrap();
        let e = cfg.targets(&["production".into()]).unwrap_err().to_string();
        assert_eq!(
            e,
            "sd.toml:9: environment variable SD_TEST_CFG_UNSET_PROD is not set"
        );
        let all = cfg.targets(&[]).unwrap_err().to_string();
        assert!(all.contains("SD_TEST_CFG_UNSET_PROD"), "{all}");
    }

    #[test]
    fn each_target_fails_alone() {
        let cfg = Config::parse(Path::new("sd.toml"), GOOD).unwrap();
        let all = cfg.each_target(&[]).unwrap();
        assert_eq!(all.len(), 2);
        let prod = all[0].as_ref().unwrap_err();
        assert_eq!(prod.name, "production");
        assert_eq!(
            prod.error,
            "sd.toml:9: environment variable SD_TEST_CFG_UNSET_PROD is not set"
        );
        assert_eq!(all[1].as_ref().unwrap().name, "staging");
        assert!(cfg.each_target(&["nope".into()]).is_err());
    }

    #[test]
    fn unknown_key_names_the_line() {
        let text = "[targets.prod]\npostgres = \"postgres://x/y\"\npostgress = \"typo\"\n";
        let e = Config::parse(Path::new("sd.toml"), text)
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("sd.toml:3: unknown field `postgress`"), "{e}");
    }

    #[test]
    fn unknown_target_lists_known_ones() {
        let cfg = Config::parse(Path::new("sd.toml"), GOOD).unwrap();
        let e = cfg.targets(&["prod".into()]).unwrap_err().to_string();
        assert_eq!(
            e,
            "sd.toml: there is no target `prod` (targets: production, staging)"
        );
    }

    #[test]
    fn target_without_url_is_an_error_with_line() {
        let e = Config::parse(Path::new("sd.toml"), "\n[targets.x]\nschemas = []\n")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("sd.toml:2:"), "{e}");
        assert!(
            e.contains("target `x` has neither a `postgres` nor a `neo4j` URL"),
            "{e}"
        );
    }

    #[test]
    fn neo4j_section_and_targets() {
        let text = "[neo4j]\nmigrations = \"graph/migrations\"\n\n[targets.graph]\nneo4j = \"bolt://g:7687\"\n\n[targets.both]\npostgres = \"postgres://p/app\"\nneo4j = \"${SD_TEST_CFG_UNSET_NEO:-neo4j+s://n}\"\n";
        let cfg = Config::parse(Path::new("/srv/sd.toml"), text).unwrap();
        assert_eq!(
            cfg.neo4j.migrations,
            Some(PathBuf::from("/srv/graph/migrations"))
        );
        assert_eq!(
            cfg.neo4j.expected,
            PathBuf::from("/srv/expected/neo4j.json")
        );
        let t = cfg.targets(&[]).unwrap();
        assert_eq!(t[0].name, "both");
        let url = |d: &Option<Dsn>| d.as_ref().map(|d| d.expose().to_string());
        assert_eq!(url(&t[0].postgres).as_deref(), Some("postgres://p/app"));
        assert_eq!(url(&t[0].neo4j).as_deref(), Some("neo4j+s://n"));
        assert_eq!(t[1].postgres, None);
        assert_eq!(url(&t[1].neo4j).as_deref(), Some("bolt://g:7687"));
        let e = Config::parse(Path::new("sd.toml"), "[neo4j]\nexpect = \"x\"\n")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("sd.toml:2: unknown field `expect`"), "{e}");
    }

    #[test]
    fn a_duplicate_target_is_named() {
        let text = "[targets.prod]\npostgres = \"postgres://a/x\"\n[targets.prod]\npostgres = \"postgres://b/x\"\n";
        let e = Config::parse(Path::new("sd.toml"), text)
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            "sd.toml:3: duplicate target `prod`: [targets.prod] is defined more than once"
        );
        let e = Config::parse(Path::new("sd.toml"), "a = 1\na = 2\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("duplicate key `a`"), "{e}");
    }

    #[test]
    fn syntax_error_names_the_line() {
        let e = Config::parse(Path::new("sd.toml"), "a = 1\nb = [\n")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("sd.toml:"), "{e}");
    }
}
