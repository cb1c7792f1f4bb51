# shellcheck shell=bash
# A throwaway Neo4j Community server for tests, the demo and other scripts.
#
# Neo4j Community is published on Maven Central (org.neo4j:neo4j, the DBMS
# that Neo4j's own server embeds). scripts/neo4j/pom.xml names it; Maven
# resolves it into a cache; scripts/neo4j/Launcher.java starts it embedded,
# with Bolt on a free 127.0.0.1 port and authentication on. No Docker image,
# tarball or vendor download is involved.
#
# Use from any bash script running with `set -euo pipefail`:
#
#   . scripts/lib/neo4j.sh
#   sd_neo4j_install_trap           # or your own EXIT trap that calls sd_neo4j_stop_all
#   sd_neo4j_start                  # default version; or sd_neo4j_start 2026.08.1
#   # now exported: NEO4J_URI=bolt://127.0.0.1:PORT, NEO4J_USER=neo4j,
#   # NEO4J_PASSWORD, SD_NEO4J_SERVER ("Neo4j Kernel 5.26.30 community"),
#   # SD_NEO4J_VERSION, SD_NEO4J_DIR, SD_NEO4J_PORT
#   sd_neo4j_cypher "$NEO4J_URI" migrations/V1__x.cypher   # run files
#   sd_neo4j_cypher "$NEO4J_URI" -e 'CALL dbms.components()' # print rows
#
# NEO4J_URI/NEO4J_USER/NEO4J_PASSWORD are the names Neo4j's own tools, the
# tests (tests/common/graph.rs) and schemadrift itself read, so a child
# process finds the server without being told. The server has one database,
# `neo4j` (Community has no CREATE DATABASE), and the default lookup indexes.
#
# Functions (everything starts with sd_neo4j_ / SD_NEO4J_; logs go to stderr):
#
#   sd_neo4j_install [VERSION]   resolve VERSION into the cache (once) and
#                                compile the launcher; sets SD_NEO4J_CP,
#                                SD_NEO4J_JAVA, SD_NEO4J_CLASSES
#   sd_neo4j_java VERSION        print the oldest java fit for VERSION (5.x:
#                                17+, 2025.x and later: 21+), or fail saying why
#   sd_neo4j_start [VERSION]     start a server, wait until it answers, export
#                                the variables above; prints NEO4J_URI
#   sd_neo4j_cypher URI ARGS...  the Cypher runner (scripts/neo4j/Cypher.java)
#   sd_neo4j_stop DIR            stop one server and remove its directory
#   sd_neo4j_stop_all            stop every server this shell started
#   sd_neo4j_install_trap        stop them on exit, error or Ctrl-C
#
# sd_neo4j_start runs sd_neo4j_stop_all on exit before whatever EXIT trap was
# set (scripts/lib/exit.sh), so a script that uses scripts/lib/pg.sh's trap
# needs nothing more; one that sets its own EXIT trap afterwards calls
# sd_neo4j_stop_all in it. Should the script
# die by SIGKILL, each server notices that its parent is gone within a second
# and stops and removes its directory by itself.
#
# Environment:
#   SCHEMADRIFT_NEO4J_VERSION   default version (5.26.30, the 5.26 LTS)
#   SCHEMADRIFT_NEO4J_CACHE     launcher classes and class paths (.cache/neo4j)
#   SCHEMADRIFT_M2              Maven's local repository (.cache/m2)
#   SCHEMADRIFT_NEO4J_JAVA_HOME a JDK to use instead of the one found
#   SD_NEO4J_CONF               extra neo4j.conf lines for the next start,
#                               e.g. db.query.default_language=CYPHER_25
#   SD_NEO4J_HEAP               JVM heap (default 768m)

SD_REPO_ROOT="${SD_REPO_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
# shellcheck source=scripts/lib/exit.sh
declare -F sd_stop_on_exit >/dev/null || . "$SD_REPO_ROOT/scripts/lib/exit.sh"
SD_NEO4J_DEFAULT_VERSION="${SCHEMADRIFT_NEO4J_VERSION:-5.26.30}"
# At least 8 characters (dbms.security.auth_minimum_password_length).
SD_NEO4J_PASSWORD_DEFAULT=neo4j-test-password

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

sd_neo4j_cache_root() { echo "${SCHEMADRIFT_NEO4J_CACHE:-$SD_REPO_ROOT/.cache/neo4j}"; }
sd_neo4j_m2() { echo "${SCHEMADRIFT_M2:-$SD_REPO_ROOT/.cache/m2}"; }

# The feature version of a JDK home (17, 21, 25), from its `release` file.
_sd_neo4j_jdk_major() {
    local v
    v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release" 2>/dev/null)
    [ -n "$v" ] && echo "$v"
}

# sd_neo4j_java VERSION: a java binary that runs Neo4j VERSION (with javac beside it).
sd_neo4j_java() {
    local version=$1 need home best="" best_major=0 m
    case "$version" in
        4.*) need=11 ;;
        5.*) need=17 ;;
        *) need=21 ;; # calendar versions (2025.01 and later)
    esac
    if [ -n "${SCHEMADRIFT_NEO4J_JAVA_HOME:-}" ]; then
        m=$(_sd_neo4j_jdk_major "$SCHEMADRIFT_NEO4J_JAVA_HOME") || m=0
        [ "$m" -ge "$need" ] || {
            sd_err "SCHEMADRIFT_NEO4J_JAVA_HOME is Java ${m:-?}; Neo4j $version needs Java $need or newer"
            return 1
        }
        echo "$SCHEMADRIFT_NEO4J_JAVA_HOME/bin/java"
        return 0
    fi
    # The oldest JDK (with javac) that is new enough: the Java each Neo4j
    # line was built for (5.26 runs on 17), not merely the newest there is.
    for home in ${JAVA_HOME:+"$JAVA_HOME"} /usr/lib/jvm/*; do
        [ -x "$home/bin/javac" ] || continue
        m=$(_sd_neo4j_jdk_major "$home") || continue
        if [ "$m" -ge "$need" ] && { [ "$best_major" = 0 ] || [ "$m" -lt "$best_major" ]; }; then
            best=$home
            best_major=$m
        fi
    done
    if [ -z "$best" ]; then
        sd_err "Neo4j $version needs a JDK $need or newer and there is none under /usr/lib/jvm (set SCHEMADRIFT_NEO4J_JAVA_HOME)"
        return 1
    fi
    echo "$best/bin/java"
}

# Make sure Maven and a JDK exist (Debian's packages on a bare machine).
_sd_neo4j_tools() {
    local pkgs=()
    command -v mvn >/dev/null 2>&1 || pkgs+=(maven)
    command -v javac >/dev/null 2>&1 || ls /usr/lib/jvm/*/bin/javac >/dev/null 2>&1 || pkgs+=(openjdk-17-jdk-headless)
    [ "${#pkgs[@]}" -eq 0 ] && return 0
    declare -F sd_apt_install >/dev/null || sd_die "missing ${pkgs[*]}: install them (apt-get install ${pkgs[*]})"
    sd_apt_install "${pkgs[@]}"
}

# sd_neo4j_install [VERSION]: the class path of VERSION, resolved once into
# the Maven cache, and the launcher compiled against it.
sd_neo4j_install() {
    local version=${1:-$SD_NEO4J_DEFAULT_VERSION} root dir java javac t0 log
    _sd_neo4j_tools
    java=$(sd_neo4j_java "$version") || return 1
    javac=${java%/java}/javac
    root=$(sd_neo4j_cache_root)
    dir="$root/$version"
    mkdir -p "$root"
    (
        # One installer at a time per version; a second waits, then finds it done.
        flock -w 900 9 || sd_die "could not lock $root/.lock-$version"
        # The class path names jars by absolute path: a cache copied or moved
        # from another checkout names jars that are not there. Resolve again
        # (from the local Maven repository, so without downloading).
        if [ -s "$dir/classpath" ] && ! _sd_neo4j_classpath_present "$dir/classpath"; then
            sd_info "the cached class path of Neo4j $version names missing jars; resolving again"
            rm -rf "$dir/classpath" "$dir/classes"
        fi
        if [ ! -s "$dir/classpath" ]; then
            sd_info "resolving Neo4j $version from Maven Central into $(sd_neo4j_m2)"
            t0=$(sd_now)
            mkdir -p "$dir"
            log=$(mktemp)
            if ! mvn -B -q -f "$SD_REPO_ROOT/scripts/neo4j/pom.xml" \
                -Dmaven.repo.local="$(sd_neo4j_m2)" -Dneo4j.version="$version" \
                dependency:build-classpath -Dmdep.outputFile="$dir/classpath.tmp" >"$log" 2>&1; then
                tail -n 30 "$log" >&2
                rm -f "$log"
                sd_die "Maven could not resolve org.neo4j:neo4j:$version (see above)"
            fi
            rm -f "$log"
            mv "$dir/classpath.tmp" "$dir/classpath"
            sd_ok "Neo4j $version resolved ($(sd_elapsed "$t0")s)"
        fi
        # Compiled again whenever a source is newer than its class.
        local src stale=0
        for src in "$SD_REPO_ROOT"/scripts/neo4j/*.java; do
            [ "$src" -nt "$dir/classes/$(basename "${src%.java}").class" ] && stale=1
        done
        if [ "$stale" = 1 ]; then
            rm -rf "$dir/classes"
            "$javac" -nowarn -d "$dir/classes" -cp "$(cat "$dir/classpath")" \
                "$SD_REPO_ROOT"/scripts/neo4j/*.java 2>&1 | grep -v '^Note:' >&2 || true
            [ -f "$dir/classes/Launcher.class" ] || sd_die "the Neo4j launcher did not compile with $javac"
        fi
    ) 9>"$root/.lock-$version" || return 1
    SD_NEO4J_JAVA=$java
    SD_NEO4J_CLASSES="$dir/classes"
    SD_NEO4J_CP="$dir/classes:$(cat "$dir/classpath")"
}

# _sd_neo4j_classpath_present FILE: whether every entry of a class path file exists.
_sd_neo4j_classpath_present() {
    local entry
    while IFS= read -r -d ':' entry; do
        [ -z "$entry" ] || [ -e "$entry" ] || return 1
    done < <(tr -d '\n' <"$1"; printf ':')
}

SD_NEO4J_SERVERS=()

# sd_neo4j_start [VERSION]: a throwaway server; exports NEO4J_URI and friends.
sd_neo4j_start() {
    local version=${1:-$SD_NEO4J_DEFAULT_VERSION} dir t0 pid port server
    sd_neo4j_install "$version" || return 1
    sd_stop_on_exit sd_neo4j_stop_all
    t0=$(sd_now)
    dir=$(mktemp -d "${TMPDIR:-/tmp}/schemadrift-neo4j.XXXXXX")
    # Registered before anything can fail, so the trap removes it.
    SD_NEO4J_SERVERS+=("$dir")
    # Unknown settings are not an error, so one file serves every version.
    cat >"$dir/neo4j.conf" <<EOF
server.config.strict_validation.enabled=false
server.bolt.enabled=true
server.bolt.listen_address=127.0.0.1:0
server.bolt.tls_level=DISABLED
server.http.enabled=false
server.https.enabled=false
dbms.security.auth_enabled=true
dbms.usage_report.enabled=false
server.memory.pagecache.size=64m
${SD_NEO4J_CONF:-}
EOF
    local password=${SD_NEO4J_PASSWORD:-$SD_NEO4J_PASSWORD_DEFAULT}
    "$SD_NEO4J_JAVA" -Xms128m -Xmx"${SD_NEO4J_HEAP:-768m}" -XX:+UseSerialGC \
        -XX:TieredStopAtLevel=1 --enable-native-access=ALL-UNNAMED \
        -cp "$SD_NEO4J_CP" Launcher "$dir" "$password" "$$" \
        >"$dir/launcher.log" 2>&1 &
    pid=$!
    echo "$pid" >"$dir/pid"
    # Ready when the launcher has set the password and written the port. A
    # first start on a busy machine (two cores shared with builds) took more
    # than 120 s for 2026.08 on Java 25, so it gets 300.
    for _ in $(seq 1 1200); do
        [ -f "$dir/ready" ] && break
        if ! kill -0 "$pid" 2>/dev/null; then
            tail -n 30 "$dir/launcher.log" >&2 || true
            tail -n 20 "$dir/logs/debug.log" >&2 2>/dev/null || true
            sd_err "Neo4j $version exited before it was ready (log above)"
            return 1
        fi
        sleep 0.25
    done
    if [ ! -f "$dir/ready" ]; then
        tail -n 30 "$dir/launcher.log" >&2 || true
        sd_err "Neo4j $version was not ready after 300 s"
        return 1
    fi
    port=$(sed -n 's/^port=//p' "$dir/ready")
    server=$(sed -n 's/^version=//p' "$dir/ready")
    SD_NEO4J_DIR=$dir
    SD_NEO4J_PORT=$port
    SD_NEO4J_VERSION=$version
    SD_NEO4J_SERVER=$server
    NEO4J_URI="bolt://127.0.0.1:$port"
    NEO4J_USER=neo4j
    NEO4J_PASSWORD=$password
    export SD_NEO4J_DIR SD_NEO4J_PORT SD_NEO4J_VERSION SD_NEO4J_SERVER NEO4J_URI NEO4J_USER NEO4J_PASSWORD
    sd_ok "$server on Bolt 127.0.0.1:$port ($(basename "$(dirname "$(dirname "$SD_NEO4J_JAVA")")")), ready in $(sd_elapsed "$t0")s"
    echo "$NEO4J_URI"
}

# sd_neo4j_cypher URI FILE... | URI -e STATEMENT: run Cypher over Bolt as
# NEO4J_USER/NEO4J_PASSWORD with the Java driver that came with the server.
sd_neo4j_cypher() {
    [ -n "${SD_NEO4J_CP:-}" ] || sd_neo4j_install "${SD_NEO4J_VERSION:-$SD_NEO4J_DEFAULT_VERSION}"
    "$SD_NEO4J_JAVA" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC --enable-native-access=ALL-UNNAMED \
        -cp "$SD_NEO4J_CP" Cypher "$@" 2> >(grep -v -E '^WARNING: ' >&2)
}

# sd_neo4j_stop DIR: stop the server started in DIR and remove DIR.
sd_neo4j_stop() {
    local dir=$1
    # The launcher gives a clean shutdown 3 s, then exits.
    sd_stop_server_dir "$dir" 120
    local keep=() d
    for d in ${SD_NEO4J_SERVERS[@]+"${SD_NEO4J_SERVERS[@]}"}; do
        [ "$d" = "$dir" ] || keep+=("$d")
    done
    SD_NEO4J_SERVERS=(${keep[@]+"${keep[@]}"})
}

sd_neo4j_stop_all() {
    local d
    for d in ${SD_NEO4J_SERVERS[@]+"${SD_NEO4J_SERVERS[@]}"}; do
        sd_neo4j_stop "$d"
    done
}

# For scripts that use only this file: stop the servers on exit, error or Ctrl-C.
sd_neo4j_install_trap() {
    sd_stop_on_exit sd_neo4j_stop_all
    trap 'exit 130' INT
    trap 'exit 143' TERM
    trap 'exit 129' HUP
}
