//! neo4j-migrations' history: `__Neo4jMigration` nodes in the graph.
//!
//! From its source (`Migrations.recordApplication`, `ChainBuilder`): each applied
//! migration is a node `{version, description, type, repeatable, source, checksum,
//! migrationTarget}`, linked from the previous one by `MIGRATED_TO`, starting at a
//! node `{version: 'BASELINE'}`; one chain per `migrationTarget` (none by default).
//! A repeatable migration applied again with a new checksum gets a `REPEATED`
//! relationship to itself carrying that checksum. Nodes of type `DELETE`, or marked
//! `flyway_failed`, are left out of the chain, as the tool does. The tool records no
//! failure. Only plain reads, so the caller may use a read-only session.

use std::collections::BTreeMap;

use super::{History, HistoryError, Record, RecordKind, RecordState, Tool};

const NODES: &str = "MATCH (n:__Neo4jMigration) \
RETURN n.version AS version, n.description AS description, n.type AS type, \
n.repeatable AS repeatable, n.source AS source, n.checksum AS checksum, \
n.migrationTarget AS target, n.flyway_failed AS failed";

const LINKS: &str = "MATCH (a:__Neo4jMigration)-[:MIGRATED_TO]->(b:__Neo4jMigration) \
RETURN a.version AS source, a.migrationTarget AS target, b.version AS dest";

const REPEATS: &str = "MATCH (n:__Neo4jMigration)-[r:REPEATED]->(n) \
RETURN n.version AS version, n.migrationTarget AS target, r.checksum AS checksum \
ORDER BY r.at";

/// Where neo4j-migrations keeps a database's chain. Its label (`__Neo4jMigration`) is fixed
/// in its source; what can be configured is the database that holds the chains
/// (`--schema-database`), which then holds one chain per target database.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Neo4jChain {
    /// The tool's `--schema-database`, when not the database read.
    pub schema_database: Option<String>,
}

/// One `__Neo4jMigration` node, as read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Node {
    version: Option<String>,
    description: Option<String>,
    kind: Option<String>,
    repeatable: bool,
    source: Option<String>,
    checksum: Option<String>,
    target: Option<String>,
    failed: bool,
}

/// The applied chain for `target` (`None`: the default, no `migrationTarget`), as
/// records: the nodes reached from `BASELINE` by `MIGRATED_TO`, in order, each with the
/// checksum of its latest `REPEATED` run when it has one.
fn chain(
    nodes: &[Node],
    links: &[(String, Option<String>, String)],
    repeats: &[(String, Option<String>, Option<String>)],
    target: Option<&str>,
) -> Vec<Record> {
    let ours = |t: &Option<String>| t.as_deref() == target;
    let by_version: BTreeMap<&str, &Node> = nodes
        .iter()
        .filter(|n| ours(&n.target))
        .filter_map(|n| Some((n.version.as_deref()?, n)))
        .collect();
    let next: BTreeMap<&str, &str> = links
        .iter()
        .filter(|(_, t, _)| ours(t))
        .map(|(a, _, b)| (a.as_str(), b.as_str()))
        .collect();
    let mut latest_repeat: BTreeMap<&str, &str> = BTreeMap::new();
    for (v, t, sum) in repeats {
        if let (true, Some(sum)) = (ours(t), sum) {
            latest_repeat.insert(v.as_str(), sum.as_str());
        }
    }
    let mut out = Vec::new();
    let mut at = "BASELINE";
    // Bounded by the number of nodes, so a (corrupt) cycle cannot loop forever.
    for _ in 0..by_version.len() {
        let Some(&v) = next.get(at) else { break };
        at = v;
        let Some(n) = by_version.get(v) else { break };
        if n.failed || n.kind.as_deref() == Some("DELETE") {
            continue;
        }
        out.push(Record {
            version: Some(v.to_string()),
            description: n.description.clone(),
            script: n.source.clone(),
            checksum: latest_repeat
                .get(v)
                .map(|s| s.to_string())
                .or_else(|| n.checksum.clone()),
            kind: if n.repeatable {
                RecordKind::Repeatable
            } else {
                RecordKind::Versioned
            },
            state: RecordState::Applied,
        });
    }
    out
}

fn bolt_error(e: neo4rs::Error) -> HistoryError {
    HistoryError::Query {
        tool: Tool::Neo4jMigrations,
        reason: e.to_string(),
    }
}

async fn rows(graph: &neo4rs::Graph, q: &str) -> Result<Vec<neo4rs::Row>, HistoryError> {
    let mut stream = graph
        .execute_read(neo4rs::query(q))
        .await
        .map_err(bolt_error)?;
    let mut out = Vec::new();
    while let Some(row) = stream.next().await.map_err(bolt_error)? {
        out.push(row);
    }
    Ok(out)
}

fn text(row: &neo4rs::Row, key: &str) -> Option<String> {
    row.get::<Option<String>>(key).ok().flatten()
}

fn flag(row: &neo4rs::Row, key: &str) -> bool {
    row.get::<Option<bool>>(key).ok().flatten().unwrap_or(false)
}

/// Read neo4j-migrations' history from the database `graph` is connected to (the
/// tool's `--schema-database` when it keeps its chain apart). `Ok(None)` when there
/// is no `__Neo4jMigration` node: the tool never ran there.
pub async fn read_neo4j(
    graph: &neo4rs::Graph,
    target: Option<&str>,
) -> Result<Option<History>, HistoryError> {
    let nodes: Vec<Node> = rows(graph, NODES)
        .await?
        .iter()
        .map(|r| Node {
            version: text(r, "version"),
            description: text(r, "description"),
            kind: text(r, "type"),
            repeatable: flag(r, "repeatable"),
            source: text(r, "source"),
            checksum: text(r, "checksum"),
            target: text(r, "target"),
            failed: flag(r, "failed"),
        })
        .collect();
    if nodes.is_empty() {
        return Ok(None);
    }
    let links: Vec<_> = rows(graph, LINKS)
        .await?
        .iter()
        .filter_map(|r| Some((text(r, "source")?, text(r, "target"), text(r, "dest")?)))
        .collect();
    let repeats: Vec<_> = rows(graph, REPEATS)
        .await?
        .iter()
        .filter_map(|r| Some((text(r, "version")?, text(r, "target"), text(r, "checksum"))))
        .collect();
    Ok(Some(History {
        tool: Tool::Neo4jMigrations,
        schema: String::new(),
        table: Tool::Neo4jMigrations.default_table().to_string(),
        records: chain(&nodes, &links, &repeats, target),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(version: &str, checksum: &str) -> Node {
        Node {
            version: Some(version.into()),
            checksum: Some(checksum.into()),
            source: Some(format!("V{version}__x.cypher")),
            kind: Some("CYPHER".into()),
            ..Default::default()
        }
    }

    fn link(a: &str, b: &str) -> (String, Option<String>, String) {
        (a.into(), None, b.into())
    }

    #[test]
    fn the_chain_from_baseline_in_order_with_repeats() {
        let mut r = node("3", "30");
        r.repeatable = true;
        let mut other = node("9", "90");
        other.target = Some("tenant".into());
        let nodes = [
            Node {
                version: Some("BASELINE".into()),
                ..Default::default()
            },
            node("2", "20"),
            node("1", "10"),
            r,
            other,
        ];
        let links = [
            link("BASELINE", "1"),
            link("1", "2"),
            link("2", "3"),
            ("BASELINE".into(), Some("tenant".into()), "9".into()),
        ];
        let repeats = [
            ("3".to_string(), None, Some("31".to_string())),
            ("3".to_string(), None, Some("32".to_string())),
        ];
        let got = chain(&nodes, &links, &repeats, None);
        let v: Vec<_> = got
            .iter()
            .map(|r| {
                (
                    r.version.clone().unwrap(),
                    r.checksum.clone().unwrap(),
                    r.kind,
                )
            })
            .collect();
        assert_eq!(
            v,
            [
                ("1".into(), "10".into(), RecordKind::Versioned),
                ("2".into(), "20".into(), RecordKind::Versioned),
                ("3".into(), "32".into(), RecordKind::Repeatable),
            ]
        );
        assert_eq!(got[0].script.as_deref(), Some("V1__x.cypher"));
        let tenant = chain(&nodes, &links, &repeats, Some("tenant"));
        assert_eq!(tenant.len(), 1);
        assert_eq!(tenant[0].version.as_deref(), Some("9"));
    }

    #[test]
    fn deleted_and_failed_nodes_are_skipped_and_cycles_end() {
        let mut deleted = node("2", "20");
        deleted.kind = Some("DELETE".into());
        let nodes = [node("1", "10"), deleted, node("3", "30")];
        let links = [
            link("BASELINE", "1"),
            link("1", "2"),
            link("2", "3"),
            link("3", "1"),
        ];
        let got = chain(&nodes, &links, &[], None);
        let v: Vec<_> = got.iter().filter_map(|r| r.version.clone()).collect();
        assert_eq!(v, ["1", "3"]);
    }
}
