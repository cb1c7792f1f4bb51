#!/usr/bin/env bash
# schemadrift, end to end, on a throwaway local PostgreSQL:
#
#   1. build schemadrift; start a private PostgreSQL cluster and a Neo4j
#      Community server (scripts/lib/neo4j.sh: from Maven Central, embedded, on
#      a free loopback port) and print the version each reports
#   2. check that expected/ is what the migrations produce (`schemadrift
#      expected --check`: the SQL migrations are replayed into an embedded
#      shadow cluster, the Cypher ones folded)
#   3. apply the migrations to a "production" database and graph;
#      `schemadrift check`: clean
#   4. apply an out-of-band hotfix (scripts/demo/hotfix.sql and hotfix.cypher);
#      `schemadrift check` reports the drift of both in one report (exit 1)
#   5. or make the hotfix official: `schemadrift adopt` writes it as the next
#      migration of a copy of each folder, in the folder's own naming
#      (V11__hotfix.sql, V3__hotfix.cypher), which then builds production
#   6. `schemadrift check --format sql` (and `cypher`) writes the fix scripts;
#      applied with psql, they revert the hotfix: `check` is clean again
#
# Alerts go to a local webhook sink (scripts/demo/alert-sink.py) that checks
# each signature: one alert when the drift appears, none while it stays the
# same, one when it is resolved.
#
# Everything it starts is stopped and removed on exit, error or Ctrl-C.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/lib/pg.sh
. scripts/lib/pg.sh
# shellcheck source=scripts/lib/neo4j.sh
. scripts/lib/neo4j.sh

step() { printf '\n\033[1m## %s\033[0m\n' "$*" >&2; }
[ -t 2 ] || step() { printf '\n## %s\n' "$*" >&2; }
# show CMD...: print the command, run it, print its exit code; never abort.
show() {
    printf '$ %s\n' "$*" >&2
    set +e
    "$@"
    local rc=$?
    set -e
    printf '(exit %d)\n' "$rc" >&2
    return 0
}

step "setting up: packages, build, a throwaway PostgreSQL and Neo4j"
sd_ensure_packages
if ! command -v cargo >/dev/null 2>&1 && [ -f "$HOME/.cargo/env" ]; then
    # shellcheck source=/dev/null
    . "$HOME/.cargo/env"
fi
cargo build --quiet --bin schemadrift
SD="$PWD/target/debug/schemadrift"

PG_BIN=/usr/lib/postgresql/15/bin
[ -x "$PG_BIN/initdb" ] || PG_BIN=$(find /usr/lib/postgresql -maxdepth 3 -path '*/bin/initdb' | sort -V | tail -n1 | xargs dirname)
sd_pg_install_trap
SINK_PID=""
STATE=expected/.schemadrift-state.json
demo_cleanup() {
    local rc=$?
    trap - EXIT INT TERM HUP
    [ -z "$SINK_PID" ] || kill "$SINK_PID" 2>/dev/null || true
    rm -f "$STATE" "$STATE.lock" "${SINK_LOG:-}"
    [ -z "${ADOPT_DIR:-}" ] || rm -rf "$ADOPT_DIR"
    sd_neo4j_stop_all
    sd_pg_stop_all
    exit "$rc"
}
trap demo_cleanup EXIT
rm -f "$STATE"
sd_pg_start "$PG_BIN" "$PG_BIN" >/dev/null

# A local webhook sink that verifies each alert's signature and prints it.
SINK_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
SINK_LOG=$(mktemp)
export SCHEMADRIFT_WEBHOOK_SECRET="demo-$RANDOM$RANDOM"
export DEMO_ALERT_URL="http://127.0.0.1:$SINK_PORT/hook"
python3 -u scripts/demo/alert-sink.py "$SINK_PORT" >"$SINK_LOG" 2>&1 &
SINK_PID=$!
for _ in $(seq 50); do
    python3 -c "import socket; socket.create_connection(('127.0.0.1', $SINK_PORT), 0.2)" 2>/dev/null && break
    sleep 0.1
done
# alerts: print what the sink received since the last call.
SINK_SEEN=0
alerts() {
    local n
    n=$(wc -l <"$SINK_LOG")
    if [ "$n" -gt "$SINK_SEEN" ]; then
        printf 'the webhook sink received:\n' >&2
        tail -n +"$((SINK_SEEN + 1))" "$SINK_LOG" | sed 's/^/  /' >&2
    else
        printf 'the webhook sink received nothing (no new drift state)\n' >&2
    fi
    SINK_SEEN=$n
}
PSQL=("$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1)
ADMIN=$SD_PG_URL
export CLINIC_PRODUCTION_URL="postgres://postgres@127.0.0.1:$SD_PG_PORT/clinic_production"
sd_log "PostgreSQL $("${PSQL[@]}" -Atc 'show server_version' "$ADMIN") on 127.0.0.1:$SD_PG_PORT"
# The graph side: Neo4j Community, as the server names itself. schemadrift
# finds its user and password in NEO4J_USER/NEO4J_PASSWORD (exported by
# sd_neo4j_start), so the URL in the config carries none.
sd_neo4j_start >/dev/null
trap demo_cleanup EXIT
export CLINIC_PRODUCTION_NEO4J_URL=$NEO4J_URI
sd_log "$(sd_neo4j_cypher "$NEO4J_URI" -e 'CALL dbms.components() YIELD name, versions, edition
    RETURN name + " " + versions[0] + " (" + edition + ")" AS server' | sed "s/^server: '\(.*\)'$/\1/") on 127.0.0.1:$SD_NEO4J_PORT"
cypher() { sd_neo4j_cypher "$NEO4J_URI" "$@"; }

step "1. is expected/ what the migrations produce? (SQL replayed into an embedded shadow, Cypher folded)"
show "$SD" expected --config expected/schemadrift.toml --check

step "2. production: created from the same migrations"
"${PSQL[@]}" "$ADMIN" -c "CREATE DATABASE clinic_production" -c "CREATE ROLE clinic_staff NOLOGIN"
# Flyway order: versions compared numerically (V10 after V5).
for f in $(ls expected/migrations | sort -t_ -k1.2 -n); do
    "${PSQL[@]}" "$CLINIC_PRODUCTION_URL" -f "expected/migrations/$f"
done
cypher $(ls expected/neo4j/V*.cypher | sort -V)
show "$SD" check --config expected/schemadrift.toml
alerts

step "3. an out-of-band hotfix lands in production"
sed -n '/^--/!p' scripts/demo/hotfix.sql | grep -v '^$' | head -20 >&2
"${PSQL[@]}" "$CLINIC_PRODUCTION_URL" -f scripts/demo/hotfix.sql
sed -n '/^\/\//!p' scripts/demo/hotfix.cypher >&2
cypher scripts/demo/hotfix.cypher
show "$SD" check --config expected/schemadrift.toml
alerts

step "3b. the same drift again, as Markdown for a pull request: no second alert"
show "$SD" check --config expected/schemadrift.toml --format markdown
alerts

step "3c. or make the hotfix official: adopt writes it as the next migration, in the folder's own format"
ADOPT_DIR=$(mktemp -d)
cp -r expected/migrations expected/neo4j "$ADOPT_DIR/"
show "$SD" adopt "$CLINIC_PRODUCTION_URL" --migrations "$ADOPT_DIR/migrations" --name hotfix
show "$SD" adopt "$NEO4J_URI" --migrations "$ADOPT_DIR/neo4j" --name hotfix
for f in "$ADOPT_DIR"/migrations/*hotfix* "$ADOPT_DIR"/neo4j/*hotfix*; do
    printf '%s:\n' "${f#"$ADOPT_DIR"/}" >&2
    cat "$f" >&2
done
show "$SD" diff "$ADOPT_DIR/migrations" "$CLINIC_PRODUCTION_URL"
show "$SD" diff "$ADOPT_DIR/neo4j" "$NEO4J_URI"
rm -rf "$ADOPT_DIR"
ADOPT_DIR=""

step "4. the fix scripts put production back (check --format sql / cypher), applied with psql: clean again"
FIX_DIR=$(mktemp -d)
show "$SD" check --config expected/schemadrift.toml --no-alerts --format sql -o "$FIX_DIR/fix.sql"
show "$SD" check --config expected/schemadrift.toml --no-alerts --format cypher -o "$FIX_DIR/fix.cypher"
cat "$FIX_DIR/fix.sql" "$FIX_DIR/fix.cypher" >&2
"${PSQL[@]}" "$CLINIC_PRODUCTION_URL" -f "$FIX_DIR/fix.sql" >/dev/null
cypher "$FIX_DIR/fix.cypher"
rm -rf "$FIX_DIR"
show "$SD" check --config expected/schemadrift.toml
alerts

step "done: the cluster and its files are removed"
