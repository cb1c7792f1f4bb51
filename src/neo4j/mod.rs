//! Live Neo4j introspection over Bolt (I/O only), and the Cypher migration
//! folder.
//!
//! `introspect` connects with neo4rs, reads `CALL dbms.components()`,
//! `SHOW CONSTRAINTS YIELD *` and `SHOW INDEXES YIELD *` in read mode, turns
//! every row into a column -> JSON map and hands them to [`decode`], which
//! knows what the columns mean in Neo4j 4.4, 5.x and 2025.x. Nothing here
//! writes: every query is sent with access mode READ.

pub mod cypher;
pub mod decode;
pub mod migrations;

use std::collections::BTreeMap;
use std::time::Duration;

use serde_json::Value;

use crate::error::{Error, Result};
use crate::model::Neo4jSchema;
use crate::redact::{scrub, Dsn};

/// The URL schemes that name a live Neo4j.
pub const SCHEMES: &[&str] = &[
    "neo4j",
    "neo4j+s",
    "neo4j+ssc",
    "bolt",
    "bolt+s",
    "bolt+ssc",
];

/// How to connect and which database to read.
#[derive(Debug, Clone)]
pub struct Options {
    /// The database; overrides `?database=` in the URL. Default: the
    /// server's default database.
    pub database: Option<String>,
    /// How long to wait for the TCP connection and handshake.
    pub connect_timeout: Duration,
    /// How long the whole read may take.
    pub timeout: Duration,
    /// Read neo4j-migrations' history too (see [`crate::history::read_neo4j`]).
    pub history: Option<crate::history::Neo4jChain>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            database: None,
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(120),
            history: None,
        }
    }
}

/// Whether `src` is a URL with one of the Neo4j schemes.
pub fn is_neo4j_url(src: &str) -> bool {
    let lower = src.to_ascii_lowercase();
    SCHEMES
        .iter()
        .any(|s| lower.starts_with(&format!("{s}://")))
}

/// The parts of a Neo4j URL neo4rs needs, taken apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// `scheme://host:port`, without credentials or query.
    pub uri: String,
    pub user: String,
    pub password: String,
    pub database: Option<String>,
}

/// Split a Neo4j URL into what neo4rs needs. The user and password come from
/// the URL, else `NEO4J_USER`/`NEO4J_USERNAME` and `NEO4J_PASSWORD`.
pub fn parse_url(url: &Dsn, opts: &Options) -> Result<Target> {
    parse_url_with_env(url, opts, &|k| std::env::var(k).ok())
}

fn parse_url_with_env(
    url: &Dsn,
    opts: &Options,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Target> {
    let bad = |why: &str| Error::Usage(format!("{url} is not a valid Neo4j URL: {why}"));
    let u = url::Url::parse(url.expose()).map_err(|e| bad(&e.to_string()))?;
    let scheme = u.scheme().to_ascii_lowercase();
    if !SCHEMES.contains(&scheme.as_str()) {
        return Err(bad("the scheme must be neo4j, neo4j+s, bolt or bolt+s"));
    }
    let host = u
        .host_str()
        .filter(|h| !h.is_empty())
        .ok_or_else(|| bad("it has no host"))?;
    let port = u.port().unwrap_or(7687);
    let decode = |s: &str| {
        percent_decode(s)
            .map_err(|_| bad("its user or password is not valid percent-encoded UTF-8"))
    };
    let user = if !u.username().is_empty() {
        decode(u.username())?
    } else {
        env("NEO4J_USER")
            .or_else(|| env("NEO4J_USERNAME"))
            .unwrap_or_else(|| "neo4j".to_string())
    };
    let password = match u.password() {
        Some(p) => decode(p)?,
        None => env("NEO4J_PASSWORD").unwrap_or_default(),
    };
    let mut database = None;
    for (k, v) in u.query_pairs() {
        match k.as_ref() {
            "database" | "db" => database = Some(v.into_owned()).filter(|d| !d.is_empty()),
            _ => {}
        }
    }
    if let Some(d) = &opts.database {
        database = Some(d.clone());
    }
    let host = if host.contains(':') && !host.starts_with('[') {
        format!("[{host}]")
    } else {
        host.to_string()
    };
    Ok(Target {
        uri: format!("{scheme}://{host}:{port}"),
        user,
        password,
        database,
    })
}

fn percent_decode(s: &str) -> std::result::Result<String, ()> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let h = std::str::from_utf8(&bytes[i + 1..i + 3]).map_err(|_| ())?;
            out.push(u8::from_str_radix(h, 16).map_err(|_| ())?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| ())
}

/// One result row: column name -> value as JSON (absent columns are absent).
pub type Row = BTreeMap<String, Value>;

/// Read the constraints and indexes of the database at `url`. Returns the
/// model and the server version (e.g. `Neo4j 5.26.0 (enterprise)`).
pub async fn introspect(url: &Dsn, opts: &Options) -> Result<(Neo4jSchema, String)> {
    let (schema, version, _) = introspect_with_history(url, opts).await?;
    Ok((schema, version))
}

/// [`introspect`], and neo4j-migrations' history when `opts.history` asks for it
/// (`None` when the tool never ran there), read with plain read-mode queries.
pub async fn introspect_with_history(
    url: &Dsn,
    opts: &Options,
) -> Result<(Neo4jSchema, String, Option<crate::history::History>)> {
    let mut rows = read_rows(url, opts).await?;
    let history = rows.history.take();
    let schema =
        decode::decode(&rows.constraints, &rows.indexes).map_err(|reason| Error::Introspect {
            target: rows.shown.clone(),
            doing: "decoding constraints and indexes".into(),
            reason,
        })?;
    let version = decode::server_version(&rows.components)
        .unwrap_or_else(|| "Neo4j (version unknown)".to_string());
    Ok((schema, version, history))
}

/// What the server answered, before decoding: the rows of `CALL
/// dbms.components()` (empty where it has no such procedure), `SHOW
/// CONSTRAINTS YIELD *` and `SHOW INDEXES YIELD *`, with the columns
/// [`decode`] reads. Public so that tests can hold the decoder's assumptions
/// against a real server's answers.
#[derive(Debug, Clone)]
pub struct Rows {
    pub components: Vec<Row>,
    pub constraints: Vec<Row>,
    pub indexes: Vec<Row>,
    /// The redacted target, for messages.
    pub shown: String,
    /// neo4j-migrations' history, when [`Options::history`] asked for it and there is one.
    pub history: Option<crate::history::History>,
}

/// Connect and read the rows [`introspect`] decodes.
pub async fn read_rows(url: &Dsn, opts: &Options) -> Result<Rows> {
    let target = parse_url(url, opts)?;
    let shown = shown_target(url, &target);
    match tokio::time::timeout(opts.timeout, read_rows_inner(&target, &shown, opts)).await {
        Ok(r) => r,
        Err(_) => Err(Error::Introspect {
            target: shown,
            doing: "reading constraints and indexes".into(),
            reason: format!("no answer within {} seconds", opts.timeout.as_secs()),
        }),
    }
}

/// The redacted URL, plus the database when it came from elsewhere.
fn shown_target(url: &Dsn, t: &Target) -> String {
    let r = url.to_string();
    match &t.database {
        Some(d) if !r.contains("database=") => format!("{r} (database {d})"),
        _ => r,
    }
}

/// How long connecting may take as a whole: TCP, TLS, the Bolt handshake,
/// authentication and the first query. neo4rs bounds only the TCP connect,
/// so a server that accepts and then never answers would otherwise hold us
/// until the read's own timeout; bounded as PostgreSQL's start-up is.
fn start_up_bound(connect_timeout: Duration) -> Duration {
    connect_timeout
        .saturating_mul(2)
        .max(Duration::from_secs(2))
}

async fn read_rows_inner(target: &Target, shown: &str, opts: &Options) -> Result<Rows> {
    let mut cfg = neo4rs::ConfigBuilder::default()
        .uri(target.uri.as_str())
        .user(target.user.as_str())
        .password(target.password.as_str())
        .max_connections(1)
        .fetch_size(1000)
        .connection_timeout(opts.connect_timeout);
    if let Some(db) = &target.database {
        cfg = cfg.db(db.as_str());
    }
    let cfg = cfg.build().map_err(|e| connect_error(shown, target, &e))?;
    let graph = neo4rs::Graph::connect(cfg).map_err(|e| connect_error(shown, target, &e))?;

    // The first query opens the connection: it proves the server speaks
    // Bolt and takes the credentials, within the start-up bound.
    let bound = start_up_bound(opts.connect_timeout);
    let first = run(
        &graph,
        "CALL dbms.components() YIELD name, versions, edition",
    );
    let components = match tokio::time::timeout(bound, first).await {
        Err(_) => {
            return Err(Error::Connect {
                engine: "Neo4j",
                target: shown.to_string(),
                reason: format!(
                    "the server did not complete the start-up within {} seconds",
                    bound.as_secs()
                ),
            })
        }
        Ok(Ok(rows)) => rows,
        Ok(Err(e)) if is_connect_failure(&e) => return Err(connect_error(shown, target, &e)),
        Ok(Err(e)) if is_database_failure(&e) => return Err(connect_error(shown, target, &e)),
        // Servers without dbms.components() still answer SHOW.
        Ok(Err(_)) => Vec::new(),
    };

    let constraints = show(&graph, shown, target, "CONSTRAINTS").await?;
    let indexes = show(&graph, shown, target, "INDEXES").await?;
    let history = match &opts.history {
        Some(chain) => read_history(&graph, shown, target, chain).await?,
        None => None,
    };
    Ok(Rows {
        components,
        constraints,
        indexes,
        shown: shown.to_string(),
        history,
    })
}

/// neo4j-migrations' chain: in the database read, or in the tool's schema database
/// (`--schema-database`), where the chain of this database is the one whose
/// `migrationTarget` is its name in lower case (`MigrationsConfig.getMigrationTargetIn`).
async fn read_history(
    graph: &neo4rs::Graph,
    shown: &str,
    target: &Target,
    chain: &crate::history::Neo4jChain,
) -> Result<Option<crate::history::History>> {
    let fail = |reason: String| Error::Introspect {
        target: shown.to_string(),
        doing: "reading neo4j-migrations' history".into(),
        reason: scrub(&reason, Some(&target.password)),
    };
    let Some(schema_db) = &chain.schema_database else {
        return crate::history::read_neo4j(graph, None)
            .await
            .map_err(|e| fail(e.to_string()));
    };
    // The database read, by name, as the tool names it when none is configured.
    let this_db = match &target.database {
        Some(d) => d.clone(),
        None => run(graph, "CALL db.info() YIELD name")
            .await
            .map_err(|e| fail(driver_message(&e)))?
            .first()
            .and_then(|r| r.get("name"))
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_string(),
    };
    let migration_target =
        (!this_db.eq_ignore_ascii_case(schema_db)).then(|| this_db.to_lowercase());
    let cfg = neo4rs::ConfigBuilder::default()
        .uri(target.uri.as_str())
        .user(target.user.as_str())
        .password(target.password.as_str())
        .max_connections(1)
        .fetch_size(1000)
        .db(schema_db.as_str())
        .build()
        .map_err(|e| connect_error(shown, target, &e))?;
    let schema_graph = neo4rs::Graph::connect(cfg).map_err(|e| connect_error(shown, target, &e))?;
    let mut history = crate::history::read_neo4j(&schema_graph, migration_target.as_deref())
        .await
        .map_err(|e| fail(e.to_string()))?;
    if let Some(h) = history.as_mut() {
        h.schema = schema_db.clone();
    }
    Ok(history)
}

/// `SHOW <what> YIELD *`, falling back to `SHOW <what> VERBOSE` (Neo4j 4.2),
/// with a clear error for servers that know neither.
async fn show(graph: &neo4rs::Graph, shown: &str, target: &Target, what: &str) -> Result<Vec<Row>> {
    let first = run(graph, &format!("SHOW {what} YIELD *")).await;
    let err = match first {
        Ok(rows) => return Ok(rows),
        Err(e) => e,
    };
    if is_connect_failure(&err) || is_database_failure(&err) {
        return Err(connect_error(shown, target, &err));
    }
    if is_syntax_error(&err) {
        if let Ok(rows) = run(graph, &format!("SHOW {what} VERBOSE")).await {
            return Ok(rows);
        }
        return Err(Error::Introspect {
            target: shown.to_string(),
            doing: format!("running SHOW {what}"),
            reason: format!(
                "the server does not understand SHOW {what}, so it is older than Neo4j 4.2; schemadrift reads Neo4j 4.4 and later"
            ),
        });
    }
    Err(Error::Introspect {
        target: shown.to_string(),
        doing: format!("running SHOW {what}"),
        reason: scrub(&driver_message(&err), Some(&target.password)),
    })
}

/// Run one read-mode query and collect its rows.
async fn run(graph: &neo4rs::Graph, q: &str) -> std::result::Result<Vec<Row>, neo4rs::Error> {
    let mut stream = graph.execute_read(neo4rs::query(q)).await?;
    let mut rows = Vec::new();
    while let Some(row) = stream.next().await? {
        rows.push(row_to_map(&row));
    }
    Ok(rows)
}

/// The columns [`decode`] reads. Others (`lastRead` is a zoned date-time,
/// `readCount`, `populationPercent`, ...) are not converted at all, so a
/// value type without a JSON form cannot get in the way.
const COLUMNS: &[&str] = &[
    "id",
    "name",
    "type",
    "entityType",
    "labelsOrTypes",
    "properties",
    "ownedIndexId",
    "ownedIndex",
    "propertyType",
    "enforcedLabel",
    "options",
    "uniqueness",
    "indexProvider",
    "owningConstraint",
    "versions",
    "version",
    "edition",
];

fn row_to_map(row: &neo4rs::Row) -> Row {
    let mut m = BTreeMap::new();
    for k in row.keys() {
        if !COLUMNS.contains(&k.value.as_str()) {
            continue;
        }
        let key = k.value.clone();
        let v = row.get::<Value>(&key).unwrap_or(Value::Null);
        m.insert(key, v);
    }
    m
}

fn neo4j_code(e: &neo4rs::Error) -> Option<&str> {
    match e {
        neo4rs::Error::Neo4j(n) => Some(n.code()),
        _ => None,
    }
}

fn is_syntax_error(e: &neo4rs::Error) -> bool {
    matches!(neo4j_code(e), Some(c) if c.contains("SyntaxError") || c.contains("Statement.NotSystemDatabaseError") || c.contains("ProcedureNotFound"))
}

fn is_database_failure(e: &neo4rs::Error) -> bool {
    matches!(neo4j_code(e), Some(c) if c.contains("DatabaseNotFound") || c.contains("DatabaseUnavailable"))
}

/// Errors that mean we never got a working session: network, TLS,
/// handshake, authentication.
fn is_connect_failure(e: &neo4rs::Error) -> bool {
    use neo4rs::Error as E;
    match e {
        E::IOError { .. }
        | E::ConnectionError
        | E::ConnectionTimedOut
        | E::UnsupportedVersion(..)
        | E::ProtocolMismatch(_)
        | E::AuthenticationError(_)
        | E::UrlParseError(_)
        | E::UnsupportedScheme(_)
        | E::InvalidDnsName(_)
        | E::ServerUnavailableError(_) => true,
        E::Neo4j(n) => n.code().contains("Security"),
        _ => false,
    }
}

/// One sentence for a failure to connect, naming the redacted target.
fn connect_error(shown: &str, target: &Target, e: &neo4rs::Error) -> Error {
    use neo4rs::Error as E;
    let reason = match e {
        E::IOError { detail } => match detail.kind() {
            std::io::ErrorKind::ConnectionRefused => "the connection was refused (is the server running and listening for Bolt on that port?)".to_string(),
            std::io::ErrorKind::TimedOut => "the connection timed out".to_string(),
            _ => format!("{detail}"),
        },
        E::ConnectionTimedOut => "the connection timed out".to_string(),
        E::ProtocolMismatch(_) => "the server did not answer with a Bolt handshake (is that the HTTP port?)".to_string(),
        E::UnsupportedVersion(maj, min) => format!("the server offers Bolt {maj}.{min}, which this driver does not speak (Bolt 4.0 to 4.4 are supported)"),
        E::AuthenticationError(_) => "the user name or password was refused".to_string(),
        E::Neo4j(n) if n.code().contains("Security") => {
            if n.code().contains("Unauthorized") || n.code().contains("Authentication") {
                format!("the user name or password was refused ({})", n.code())
            } else {
                format!("access was denied ({}: {})", n.code(), n.message())
            }
        }
        E::Neo4j(n) if n.code().contains("DatabaseNotFound") => match &target.database {
            Some(d) => format!("there is no database `{d}` on that server"),
            None => "the default database does not exist".to_string(),
        },
        other => driver_message(other),
    };
    Error::Connect {
        engine: "Neo4j",
        target: shown.to_string(),
        reason: scrub(&reason, Some(&target.password)),
    }
}

fn driver_message(e: &neo4rs::Error) -> String {
    match e {
        neo4rs::Error::Neo4j(n) => format!("{} ({})", n.message().trim_end_matches('.'), n.code()),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_env(_: &str) -> Option<String> {
        None
    }

    #[test]
    fn url_parts_come_apart() {
        let t = parse_url_with_env(
            &Dsn::new("bolt://root:p%40ss@127.0.0.1:7688?database=graph"),
            &Options::default(),
            &no_env,
        )
        .unwrap();
        assert_eq!(t.uri, "bolt://127.0.0.1:7688");
        assert_eq!(t.user, "root");
        assert_eq!(t.password, "p@ss");
        assert_eq!(t.database.as_deref(), Some("graph"));
    }

    #[test]
    fn credentials_fall_back_to_the_environment_and_flag_wins() {
        let env = |k: &str| match k {
            "NEO4J_USER" => Some("alice".to_string()),
            "NEO4J_PASSWORD" => Some("secret".to_string()),
            _ => None,
        };
        let opts = Options {
            database: Some("other".into()),
            ..Options::default()
        };
        let t =
            parse_url_with_env(&Dsn::new("neo4j+s://db.example?database=x"), &opts, &env).unwrap();
        assert_eq!(t.uri, "neo4j+s://db.example:7687");
        assert_eq!((t.user.as_str(), t.password.as_str()), ("alice", "secret"));
        assert_eq!(t.database.as_deref(), Some("other"));
    }

    #[test]
    fn bad_urls_are_one_sentence_without_password() {
        let e = parse_url_with_env(
            &Dsn::new("http://u:hunter2@x"),
            &Options::default(),
            &no_env,
        )
        .unwrap_err()
        .to_string();
        assert!(!e.contains("hunter2"), "{e}");
        assert!(e.contains("not a valid Neo4j URL"), "{e}");
    }

    #[test]
    fn schemes_are_recognised() {
        for u in [
            "neo4j://h",
            "BOLT://h",
            "bolt+s://h",
            "neo4j+s://h",
            "neo4j+ssc://h",
        ] {
            assert!(is_neo4j_url(u), "{u}");
        }
        assert!(!is_neo4j_url("postgres://h"));
    }
}
