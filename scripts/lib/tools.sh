# shellcheck shell=bash
# The migration tools themselves, for tests/history.rs: each real tool applies
# migrations to a test database and writes its own history table, which the
# product then reads. Everything is pinned and cached under .cache/tools
# (SCHEMADRIFT_TOOLS_CACHE), so only the first run on a machine pays for it.
#
# Source it (`. scripts/lib/tools.sh`) from a bash script running with
# `set -euo pipefail`, after scripts/lib/pg.sh. Everything it defines starts
# with `sd_tools_` / `SD_TOOLS_`; logging goes to stderr.
#
#   sd_tools_install   install every tool (each timed and printed); exports
#                      SCHEMADRIFT_TOOLS_BIN, a directory holding one command
#                      per tool; SD_TOOLS_TIMES sums up what each took
#
# The commands in $SCHEMADRIFT_TOOLS_BIN:
#   migrate            golang-migrate's CLI (Go module proxy, built with -tags postgres)
#   goose              goose's CLI (Go module proxy, only its postgres driver)
#   dbmate             dbmate's release binary (the npm registry's @dbmate/linux-x64:
#                      the Go module proxy refuses dbmate's module)
#   rust-migrators     `rust-migrators sqlx|diesel URL DIR`: the migrators of sqlx-cli
#                      and diesel_cli, built from crates.io (scripts/tools/rust-migrators)
#   flyway-migrate     `flyway-migrate flyway.url=jdbc:... flyway.locations=filesystem:DIR ...`:
#                      Flyway's migrate (Maven Central, scripts/tools/flyway)
#   neo4j-migrations   neo4j-migrations' own CLI (Maven Central, scripts/tools/neo4j-migrations)
#
# Needs go, java/javac 17+ and mvn on the machine (the polyglot image has them),
# and Debian's libpq-dev for diesel (installed here when missing).

SD_REPO_ROOT="${SD_REPO_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"

SD_TOOLS_MIGRATE_VERSION=v4.20.1
SD_TOOLS_GOOSE_VERSION=v3.30.1
SD_TOOLS_DBMATE_VERSION=2.36.0
SD_TOOLS_DBMATE_SHA256=aab6f8214c06746fd19765ef86858c1edffa946abbf6be2e5ddb49820b6e5352
SD_TOOLS_NEO4J_MIGRATIONS_VERSION=2.19.2
# goose's CLI builds every driver unless told not to; we need postgres only.
SD_TOOLS_GOOSE_TAGS="no_clickhouse no_mssql no_azuresql no_mysql no_sqlite3 no_libsql no_vertica no_ydb"

SD_TOOLS_TIMES=""

sd_tools_cache_root() {
    echo "${SCHEMADRIFT_TOOLS_CACHE:-$SD_REPO_ROOT/.cache/tools}"
}

# _sd_tools_step NAME STAMP CMD...: run CMD unless STAMP exists; time it.
_sd_tools_step() {
    local name=$1 stamp=$2 t0 took
    shift 2
    if [ -f "$stamp" ]; then
        SD_TOOLS_TIMES+="${SD_TOOLS_TIMES:+, }$name cached"
        return 0
    fi
    sd_info "installing $name"
    t0=$(sd_now)
    if ! "$@"; then
        sd_err "installing $name failed"
        return 1
    fi
    took=$(sd_elapsed "$t0")
    touch "$stamp"
    sd_ok "$name installed in ${took}s"
    SD_TOOLS_TIMES+="${SD_TOOLS_TIMES:+, }$name ${took}s"
}

_sd_tools_go() {
    local root
    root=$(sd_tools_cache_root)
    GOMODCACHE="$root/go/mod" GOCACHE="$root/go/build" GOBIN="$root/go/bin" \
        GOFLAGS="-buildvcs=false -modcacherw" GOTOOLCHAIN=local go "$@"
}

_sd_tools_migrate() {
    _sd_tools_go install -tags postgres \
        "github.com/golang-migrate/migrate/v4/cmd/migrate@$SD_TOOLS_MIGRATE_VERSION" >&2 &&
        install -m 0755 "$(sd_tools_cache_root)/go/bin/migrate" "$(sd_tools_cache_root)/bin/migrate"
}

_sd_tools_goose() {
    _sd_tools_go install -tags "$SD_TOOLS_GOOSE_TAGS" \
        "github.com/pressly/goose/v3/cmd/goose@$SD_TOOLS_GOOSE_VERSION" >&2 &&
        install -m 0755 "$(sd_tools_cache_root)/go/bin/goose" "$(sd_tools_cache_root)/bin/goose"
}

_sd_tools_dbmate() {
    local root tmp tgz
    root=$(sd_tools_cache_root)
    tmp=$(mktemp -d "$root/.dbmate.XXXXXX")
    if ! (cd "$tmp" && NPM_CONFIG_UPDATE_NOTIFIER=false NPM_CONFIG_FUND=false \
        npm pack --silent --no-audit "@dbmate/linux-x64@$SD_TOOLS_DBMATE_VERSION" >/dev/null); then
        rm -rf "$tmp"
        sd_err "npm pack @dbmate/linux-x64@$SD_TOOLS_DBMATE_VERSION failed"
        return 1
    fi
    tgz="$tmp/dbmate-linux-x64-$SD_TOOLS_DBMATE_VERSION.tgz"
    sd_sha256_check "$tgz" "$SD_TOOLS_DBMATE_SHA256" || {
        rm -rf "$tmp"
        return 1
    }
    tar xzf "$tgz" -C "$tmp" package/bin/dbmate &&
        install -m 0755 "$tmp/package/bin/dbmate" "$root/bin/dbmate"
    local rc=$?
    rm -rf "$tmp"
    return "$rc"
}

_sd_tools_rust() {
    local root
    root=$(sd_tools_cache_root)
    CARGO_TARGET_DIR="$root/rust/target" cargo build --locked --quiet \
        --manifest-path "$SD_REPO_ROOT/scripts/tools/rust-migrators/Cargo.toml" >&2 &&
        install -m 0755 "$root/rust/target/debug/rust-migrators" "$root/bin/rust-migrators"
}

# _sd_tools_mvn_classpath POM OUT: resolve POM's dependencies into the cache.
_sd_tools_mvn_classpath() {
    local root
    root=$(sd_tools_cache_root)
    mvn -B -q -Dstyle.color=never -Dmaven.repo.local="$root/m2" -f "$1" dependency:build-classpath \
        -Dmdep.outputFile="$2" >&2
}

# _sd_tools_java_wrapper FILE CLASSPATH MAIN: a command that runs MAIN. The class path
# is written relative to the cache root the command finds itself in, so a cache copied
# or moved to another checkout keeps working.
_sd_tools_java_wrapper() {
    local root
    root=$(sd_tools_cache_root)
    {
        printf '#!/bin/sh\n'
        printf 'root=$(CDPATH= cd -- "$(dirname -- "$0")/.." && pwd)\n'
        printf 'exec java -cp "%s" %s "$@"\n' "$(printf '%s' "$2" | sed "s#$root#\\\$root#g")" "$3"
    } >"$1"
    chmod 0755 "$1"
}

_sd_tools_flyway() {
    local root dir cp
    root=$(sd_tools_cache_root)
    dir="$root/flyway"
    rm -rf "$dir" && mkdir -p "$dir/classes"
    _sd_tools_mvn_classpath "$SD_REPO_ROOT/scripts/tools/flyway/pom.xml" "$dir/classpath" || return 1
    cp=$(cat "$dir/classpath")
    javac -d "$dir/classes" -cp "$cp" "$SD_REPO_ROOT/scripts/tools/flyway/FlywayMigrate.java" >&2 || return 1
    _sd_tools_java_wrapper "$root/bin/flyway-migrate" "$dir/classes:$cp" FlywayMigrate
}

_sd_tools_neo4j_migrations() {
    local root dir cp a v=$SD_TOOLS_NEO4J_MIGRATIONS_VERSION
    root=$(sd_tools_cache_root)
    dir="$root/neo4j-migrations"
    rm -rf "$dir" && mkdir -p "$dir/jars"
    _sd_tools_mvn_classpath "$SD_REPO_ROOT/scripts/tools/neo4j-migrations/pom.xml" "$dir/classpath" || return 1
    # The tool's own jars, without their (unserved) parent POM: see the pom.xml.
    for a in neo4j-migrations neo4j-migrations-cli; do
        mvn -B -q -Dstyle.color=never -Dmaven.repo.local="$root/m2" dependency:copy \
            -Dartifact="eu.michael-simons.neo4j:$a:$v" -DoutputDirectory="$dir/jars" >&2 || return 1
    done
    cp="$dir/jars/neo4j-migrations-$v.jar:$dir/jars/neo4j-migrations-cli-$v.jar:$(cat "$dir/classpath")"
    _sd_tools_java_wrapper "$root/bin/neo4j-migrations" "$cp" ac.simons.neo4j.migrations.cli.MigrationsCli
}

sd_tools_install() {
    local root t0 rc=0
    root=$(sd_tools_cache_root)
    # The stamps live beside the commands: remove bin/ and everything is installed again.
    mkdir -p "$root/bin/.stamps"
    t0=$(sd_now)
    if ! command -v go >/dev/null 2>&1 && [ -x /usr/local/go/bin/go ]; then
        PATH="/usr/local/go/bin:$PATH"
    fi
    # Exported first, so that a failed install makes the tests name the missing tool.
    SCHEMADRIFT_TOOLS_BIN="$root/bin"
    export SCHEMADRIFT_TOOLS_BIN
    local need
    for need in go java javac mvn npm cargo; do
        if ! command -v "$need" >/dev/null 2>&1; then
            sd_err "$need is needed to install the migration tools for tests/history.rs"
            return 1
        fi
    done
    sd_apt_install libpq-dev
    SD_TOOLS_TIMES=""
    (
        # One installer at a time; a second waits and then finds it done.
        flock -w 1800 9 || sd_die "could not lock $root/.lock"
        s="$root/bin/.stamps"
        _sd_tools_step "golang-migrate $SD_TOOLS_MIGRATE_VERSION" "$s/migrate-$SD_TOOLS_MIGRATE_VERSION" _sd_tools_migrate &&
            _sd_tools_step "goose $SD_TOOLS_GOOSE_VERSION" "$s/goose-$SD_TOOLS_GOOSE_VERSION" _sd_tools_goose &&
            _sd_tools_step "dbmate $SD_TOOLS_DBMATE_VERSION" "$s/dbmate-$SD_TOOLS_DBMATE_VERSION" _sd_tools_dbmate &&
            _sd_tools_step "flyway" "$s/flyway-$(sd_tools_hash scripts/tools/flyway)" _sd_tools_flyway &&
            _sd_tools_step "neo4j-migrations $SD_TOOLS_NEO4J_MIGRATIONS_VERSION" \
                "$s/neo4j-migrations-$(sd_tools_hash scripts/tools/neo4j-migrations)" _sd_tools_neo4j_migrations &&
            _sd_tools_step "sqlx + diesel migrators" "$s/rust-$(sd_tools_hash scripts/tools/rust-migrators)" _sd_tools_rust
        rc=$?
        printf '%s' "$SD_TOOLS_TIMES" >"$root/.times"
        exit "$rc"
    ) 9>"$root/.lock" || rc=$?
    SD_TOOLS_TIMES=$(cat "$root/.times" 2>/dev/null || true)
    [ "$rc" -eq 0 ] || return "$rc"
    sd_ok "migration tools ready in $(sd_elapsed "$t0")s ($SD_TOOLS_TIMES)"
}

# A short digest of a folder under scripts/tools, so a changed pin rebuilds.
sd_tools_hash() {
    (cd "$SD_REPO_ROOT" && find "$1" -type f ! -path '*/target/*' -print0 | sort -z |
        xargs -0 sha256sum | sha256sum | cut -c1-12)
}
