#!/usr/bin/env bash
# The whole check, as CI runs it (.ci/run), from a fresh machine:
#
#   1. install what is missing (Debian: postgresql, postgresql-contrib, libclang-dev,
#      the shells and groff/man for tests/shell.rs, maven and a JDK if absent; the
#      OpenMetrics parser and the SARIF schema the tests check output with:
#      scripts/lib/testtools.sh)
#   2. a PostgreSQL server for the tests: $SCHEMADRIFT_TEST_PG_URL if set, else
#      one on 127.0.0.1:5432 that lets `postgres` in without a password, else a
#      throwaway cluster from Debian's PostgreSQL 15 (stopped at the end).
#      Every cluster started here preloads the tests' security label provider
#      (tests/label_provider, built with gcc per major version and cached:
#      scripts/lib/labels.sh), and the tests are told it must be there
#      (SCHEMADRIFT_TEST_PG_LABELS=1); on a server the run did not start, the
#      tests that need it say loudly that they are skipped
#   3. a real Neo4j for tests/neo4j.rs and tests/check.rs: Neo4j Community 5.26
#      LTS from Maven Central, started embedded on Java 17 (scripts/lib/neo4j.sh),
#      unless NEO4J_URI names one; and ArcadeDB for tests/arcadedb.rs
#   3b. the migration tools tests/history.rs runs (scripts/lib/tools.sh: Go
#      module proxy, npm, Maven Central, crates.io; cached under .cache/tools)
#   4. cargo fmt --check; cargo clippy --all-targets -- -D warnings; cargo test
#   5. the matrices: the introspection tests (`cargo test --test pg_snapshot`)
#      against throwaway PostgreSQL 13, 14, 16, 17 and 18 clusters, with the
#      cross-version tests (`--test cross_version`: the demo migrations and
#      every fixture schema built there compare clean with the main run's
#      server, where expected/ is built), and the Neo4j tests (`cargo test
#      --test neo4j`) against Neo4j 2026.08 on the newest JDK there is,
#      answering in Cypher 5 and then in Cypher 25
#
# Environment:
#   SCHEMADRIFT_PG_MATRIX=0        skip the matrix (quick local runs; default 1)
#   SCHEMADRIFT_PG_MATRIX_VERSIONS majors for the matrix (default "13 14 16 17 18")
#   SCHEMADRIFT_PG_MATRIX_TEST     the test targets the matrix runs (default "pg_snapshot cross_version")
#   SCHEMADRIFT_FAIL_FAST=1        stop at the first failing stage
#   SCHEMADRIFT_TEST_PG_URL        use this server (superuser URL) for the main run
#   SCHEMADRIFT_TEST_PG_BIN        its pg_dump/psql directory (found when unset)
#   SCHEMADRIFT_PG_CACHE           where PostgreSQL binaries are cached (.cache/pg)
#   NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD  use this Neo4j for the main run
#                                  instead of starting one
#   SCHEMADRIFT_NEO4J_VERSION      the Neo4j of the main run (default 5.26.30)
#   SCHEMADRIFT_NEO4J_MATRIX=0     skip the Neo4j matrix (default 1)
#   SCHEMADRIFT_NEO4J_MATRIX_VERSIONS  its servers (default "2026.08.1
#                                  2026.08.1:cypher25"; `:cypher25` makes Cypher 25
#                                  the database's default language)
#   SCHEMADRIFT_NEO4J_CACHE, SCHEMADRIFT_M2  where Neo4j's class paths and Maven's
#                                  repository are cached (.cache/neo4j, .cache/m2)
#   SCHEMADRIFT_BOLT_CACHE         where ArcadeDB is cached (.cache/arcadedb)
#   SCHEMADRIFT_TOOLS_CACHE        where the migration tools are cached (.cache/tools)
#
# Every stage runs (unless fail-fast); the exit status is non-zero if any failed.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/lib/pg.sh
. scripts/lib/pg.sh
# shellcheck source=scripts/lib/bolt.sh
. scripts/lib/bolt.sh
# shellcheck source=scripts/lib/testtools.sh
. scripts/lib/testtools.sh
# shellcheck source=scripts/lib/neo4j.sh
. scripts/lib/neo4j.sh
# shellcheck source=scripts/lib/tools.sh
. scripts/lib/tools.sh
# shellcheck source=scripts/lib/labels.sh
. scripts/lib/labels.sh

T_START=$(sd_now)
MATRIX=${SCHEMADRIFT_PG_MATRIX:-1}
MATRIX_VERSIONS=${SCHEMADRIFT_PG_MATRIX_VERSIONS:-13 14 16 17 18}
MATRIX_TEST=${SCHEMADRIFT_PG_MATRIX_TEST:-pg_snapshot cross_version}
NEO4J_MATRIX=${SCHEMADRIFT_NEO4J_MATRIX:-1}
NEO4J_MATRIX_VERSIONS=${SCHEMADRIFT_NEO4J_MATRIX_VERSIONS:-2026.08.1 2026.08.1:cypher25}
FAIL_FAST=${SCHEMADRIFT_FAIL_FAST:-0}
DEBIAN_PG_BIN=/usr/lib/postgresql/15/bin

FMT_COLOR=()
if [ ! -t 1 ]; then
    # Logs, not a terminal: no escape codes (rustfmt colours its diff regardless).
    export CARGO_TERM_COLOR=${CARGO_TERM_COLOR:-never}
    FMT_COLOR=(-- --color never)
fi
export RUST_BACKTRACE=${RUST_BACKTRACE:-1}
if [ "${CI:-}" = true ]; then
    # No incremental state to keep in CI; it only slows a clean build.
    export CARGO_INCREMENTAL=${CARGO_INCREMENTAL:-0}
fi

RESULTS=()
FAILED=0

# run_stage NAME CMD...: run a stage, time it, record PASS/FAIL.
run_stage() {
    local name=$1 t0 rc
    shift
    sd_section "$name"
    t0=$(sd_now)
    set +e
    "$@"
    rc=$?
    set -e
    record "$name" "$rc" "$(sd_elapsed "$t0")"
    return 0
}

record() { # NAME RC SECONDS [NOTE]
    local status=PASS
    if [ "$2" -ne 0 ]; then
        status="FAIL (exit $2)"
        FAILED=1
    fi
    RESULTS+=("$(printf '%-40s %-14s %7ss%s' "$1" "$status" "$3" "${4:+  $4}")")
    if [ "$2" -ne 0 ]; then
        sd_err "$1 failed (exit $2)"
        if [ "$FAIL_FAST" = 1 ]; then
            summary
            exit 1
        fi
    fi
}

summary() {
    sd_section "summary"
    printf '%s\n' "${RESULTS[@]}"
    printf 'total %ss\n' "$(sd_elapsed "$T_START")"
    if [ "$FAILED" -ne 0 ]; then
        printf 'RESULT: FAILED\n'
    else
        printf 'RESULT: PASSED\n'
    fi
}

# ---------------------------------------------------------------- toolchain --
sd_section "toolchain"
if ! command -v cargo >/dev/null 2>&1 && [ -f "$HOME/.cargo/env" ]; then
    # shellcheck source=/dev/null
    . "$HOME/.cargo/env"
fi
command -v cargo >/dev/null 2>&1 || sd_die "cargo not found (install Rust with rustup; Debian's is too old for this crate)"
command -v rustc >/dev/null 2>&1 || sd_die "rustc not found"
cargo fmt --version >/dev/null 2>&1 || sd_die "rustfmt missing: rustup component add rustfmt"
cargo clippy --version >/dev/null 2>&1 || sd_die "clippy missing: rustup component add clippy"
sd_log "$(rustc --version); $(cargo --version); CI=${CI:-}; $(nproc) cores"

# ----------------------------------------------------------------- packages --
sd_section "system packages"
t0=$(sd_now)
sd_ensure_packages
sd_ok "packages present ($(sd_elapsed "$t0")s)"
t0=$(sd_now)
sd_testtools_install || sd_die "the checkers the tests use could not be installed"
sd_ok "checkers present ($(sd_elapsed "$t0")s): PYTHONPATH $SCHEMADRIFT_TEST_PYTHONPATH, SARIF schema $SCHEMADRIFT_TEST_SARIF_SCHEMA"

sd_pg_install_trap

# ------------------------------------------------------------- main server --
sd_section "PostgreSQL for the main run"
can_login() { # URL: answers as a superuser without a password?
    [ "$(PGPASSWORD='' PGPASSFILE=/dev/null PGCONNECT_TIMEOUT=3 psql -X -w -Atq "$1" \
        -c 'select rolsuper from pg_roles where rolname = current_user' 2>/dev/null)" = t ]
}

# The client tools matching a server's major version.
client_bin_for() { # MAJOR
    if [ -x "/usr/lib/postgresql/$1/bin/pg_dump" ]; then
        echo "/usr/lib/postgresql/$1/bin"
    elif sd_pg_client_version "$1" >/dev/null && sd_pg_fetch "$1" >&2; then
        echo "$SD_PG_CLIENT_BIN"
    else
        return 1
    fi
}

# with_label_provider MAJOR: build (or find cached) the security
# label provider for that server; sets LABEL_CONF, the postgresql.conf line
# that preloads it (empty, and a failed stage recorded, if it cannot be built:
# the tests that need it then fail, since SCHEMADRIFT_TEST_PG_LABELS says it
# must be there).
with_label_provider() { # MAJOR
    local t0
    t0=$(sd_now)
    LABEL_CONF=""
    set +e
    sd_label_provider "$1"
    local rc=$?
    set -e
    if [ "$rc" -eq 0 ]; then
        LABEL_CONF=$SD_LABEL_CONF
        sd_ok "security label provider for PostgreSQL $1: $SD_LABEL_SO ($(sd_elapsed "$t0")s)"
    else
        record "security label provider (PostgreSQL $1)" "$rc" "$(sd_elapsed "$t0")" \
            "not built: the tests that need security labels will fail"
    fi
}

if [ -n "${SCHEMADRIFT_TEST_PG_URL:-}" ]; then
    sd_info "using SCHEMADRIFT_TEST_PG_URL from the environment"
    PGCONNECT_TIMEOUT=5 psql -X -w -Atq "$SCHEMADRIFT_TEST_PG_URL" -c 'select 1' >/dev/null ||
        sd_die "SCHEMADRIFT_TEST_PG_URL does not answer"
elif can_login "postgres://postgres@127.0.0.1:5432/postgres"; then
    sd_info "using the server on 127.0.0.1:5432"
    SCHEMADRIFT_TEST_PG_URL="postgres://postgres@127.0.0.1:5432/postgres"
else
    if [ ! -x "$DEBIAN_PG_BIN/initdb" ]; then
        # Not bookworm: take the newest PostgreSQL Debian installed.
        DEBIAN_PG_BIN=$(find /usr/lib/postgresql -maxdepth 3 -path '*/bin/initdb' 2>/dev/null |
            sort -V | tail -n1 | xargs -r dirname)
        [ -n "$DEBIAN_PG_BIN" ] || sd_die "no initdb under /usr/lib/postgresql"
    fi
    sd_info "no server to use: starting a throwaway cluster from $DEBIAN_PG_BIN"
    with_label_provider "$(basename "$(dirname "$DEBIAN_PG_BIN")")"
    SD_PG_EXTRA_CONF=$LABEL_CONF sd_pg_start "$DEBIAN_PG_BIN" "$DEBIAN_PG_BIN" >/dev/null
    export SCHEMADRIFT_TEST_PG_LABELS=1
    SCHEMADRIFT_TEST_PG_URL=$SD_PG_URL
    SCHEMADRIFT_TEST_PG_BIN=${SCHEMADRIFT_TEST_PG_BIN:-$DEBIAN_PG_BIN}
fi
MAIN_MAJOR=$(sd_pg_server_major "$SCHEMADRIFT_TEST_PG_URL") || sd_die "cannot read the server version"
if [ -z "${SCHEMADRIFT_TEST_PG_BIN:-}" ]; then
    SCHEMADRIFT_TEST_PG_BIN=$(client_bin_for "$MAIN_MAJOR") || {
        sd_warn "no pg_dump/psql for PostgreSQL $MAIN_MAJOR; tests will use those on PATH"
        SCHEMADRIFT_TEST_PG_BIN=""
    }
fi
export SCHEMADRIFT_TEST_PG_URL SCHEMADRIFT_TEST_PG_BIN
sd_log "SCHEMADRIFT_TEST_PG_URL=$SCHEMADRIFT_TEST_PG_URL"
sd_log "SCHEMADRIFT_TEST_PG_BIN=$SCHEMADRIFT_TEST_PG_BIN"
sd_log "server: $(psql -X -w -Atq "$SCHEMADRIFT_TEST_PG_URL" -c 'select version()')"

# ------------------------------------------------------------- Bolt server --
# tests/pg_tls.rs and tests/libpq.rs: a second throwaway cluster that serves
# TLS with a certificate from a private CA made for this run, asks the role
# sdt_cert for a client certificate and sdt_libpq for a password.
sd_section "PostgreSQL with TLS"
TLS_BIN=/usr/lib/postgresql/15/bin
[ -x "$TLS_BIN/initdb" ] || TLS_BIN=$(find /usr/lib/postgresql -maxdepth 3 -path '*/bin/initdb' 2>/dev/null |
    sort -V | tail -n1 | xargs -r dirname)
SD_PG_TLS=1 sd_pg_start "$TLS_BIN" "$TLS_BIN" >/dev/null
SCHEMADRIFT_TEST_PG_TLS_URL=$SD_PG_URL
SCHEMADRIFT_TEST_PG_TLS_CA=$SD_PG_TLS_CA
SCHEMADRIFT_TEST_PG_TLS_CLIENT_CERT=$SD_PG_TLS_CLIENT_CERT
SCHEMADRIFT_TEST_PG_TLS_CLIENT_KEY=$SD_PG_TLS_CLIENT_KEY
SCHEMADRIFT_TEST_PG_TLS_SOCKET_DIR=$SD_PG_DIR/sock
export SCHEMADRIFT_TEST_PG_TLS_URL SCHEMADRIFT_TEST_PG_TLS_CA SCHEMADRIFT_TEST_PG_TLS_CLIENT_CERT \
    SCHEMADRIFT_TEST_PG_TLS_CLIENT_KEY SCHEMADRIFT_TEST_PG_TLS_SOCKET_DIR
sd_log "SCHEMADRIFT_TEST_PG_TLS_URL=$SCHEMADRIFT_TEST_PG_TLS_URL (CA $SCHEMADRIFT_TEST_PG_TLS_CA, socket $SCHEMADRIFT_TEST_PG_TLS_SOCKET_DIR)"

# tests/neo4j.rs and tests/check.rs: a real Neo4j, NEO4J_URI (+ NEO4J_USER,
# NEO4J_PASSWORD) if set, else Neo4j Community started here (sd_neo4j_start
# chains its stop in front of the trap installed above).
sd_section "Neo4j for the main run"
if [ -n "${NEO4J_URI:-}" ]; then
    sd_info "using the Neo4j at NEO4J_URI"
else
    t0=$(sd_now)
    set +e
    sd_neo4j_start >/dev/null
    rc=$?
    set -e
    if [ "$rc" -eq 0 ]; then
        record "Neo4j ${SD_NEO4J_VERSION} (resolve, start)" 0 "$(sd_elapsed "$t0")" "$SD_NEO4J_SERVER"
        sd_log "NEO4J_URI=$NEO4J_URI NEO4J_USER=$NEO4J_USER (password in NEO4J_PASSWORD)"
    else
        record "Neo4j ${SCHEMADRIFT_NEO4J_VERSION:-5.26.30} (resolve, start)" 1 "$(sd_elapsed "$t0")" \
            "did not start: tests/neo4j.rs and tests/check.rs will fail"
    fi
fi

# tests/arcadedb.rs: a second Bolt implementation, which takes the
# constraints Neo4j Community refuses.
sd_section "ArcadeDB for tests/arcadedb.rs"
t0=$(sd_now)
set +e
sd_bolt_start >/dev/null
rc=$?
set -e
record "ArcadeDB $SD_BOLT_ARCADEDB_VERSION (install, start)" "$rc" "$(sd_elapsed "$t0")"
[ "$rc" -ne 0 ] || sd_log "SCHEMADRIFT_TEST_ARCADEDB_URL=${SCHEMADRIFT_TEST_ARCADEDB_URL/:$SD_BOLT_PASSWORD@/@} (password $SD_BOLT_PASSWORD)"

# tests/history.rs: the migration tools themselves, each writing its own history
# table (golang-migrate, goose, dbmate, Flyway, sqlx, diesel, neo4j-migrations).
sd_section "migration tools"
t0=$(sd_now)
if sd_tools_install; then
    record "migration tools" 0 "$(sd_elapsed "$t0")" "$SD_TOOLS_TIMES"
else
    record "migration tools" 1 "$(sd_elapsed "$t0")" "install failed (log above): tests/history.rs will fail"
fi

# -------------------------------------------------------------------- cargo --
run_stage "cargo fmt --check" cargo fmt --check ${FMT_COLOR[@]+"${FMT_COLOR[@]}"}
run_stage "cargo clippy --all-targets -D warnings" cargo clippy --all-targets -- -D warnings
# --no-fail-fast: one failing test binary must not hide the others.
run_stage "cargo test (PostgreSQL $MAIN_MAJOR)" cargo test --no-fail-fast

# ------------------------------------------------------------------- matrix --
# One version: fetch, start, run the introspection tests, stop.
matrix_one() { # MAJOR
    local m=$1 t0 tf ts tt rc=0 v note
    t0=$(sd_now)
    if ! sd_pg_fetch "$m"; then
        record "matrix PostgreSQL $m" 1 "$(sd_elapsed "$t0")" "fetch failed"
        return 0
    fi
    tf=$(sd_elapsed "$t0")
    with_label_provider "$m"
    t0=$(sd_now)
    if ! SD_PG_EXTRA_CONF=$LABEL_CONF sd_pg_start "$SD_PG_SERVER_BIN" "$SD_PG_CLIENT_BIN" >/dev/null; then
        sd_pg_stop_all
        record "matrix PostgreSQL $m" 1 "$tf" "server did not start"
        return 0
    fi
    ts=$(sd_elapsed "$t0")
    t0=$(sd_now)
    v=$("$SD_PG_CLIENT_BIN/psql" -X -w -Atq "$SD_PG_URL" -c 'show server_version') || rc=$?
    if [ "$rc" -eq 0 ] && [ "${v%%.*}" != "$m" ]; then
        sd_err "asked for PostgreSQL $m, the server says $v"
        rc=1
    fi
    if [ "$rc" -eq 0 ]; then
        sd_log "server $v at $SD_PG_URL; clients $SD_PG_CLIENT_BIN"
        local t targets=() missing=()
        for t in $MATRIX_TEST; do
            if [ -f "tests/$t.rs" ] || [ -f "tests/$t/main.rs" ]; then
                targets+=(--test "$t")
            else
                missing+=("$t")
            fi
        done
        if [ "${#missing[@]}" -eq 0 ]; then
            # cross_version compares this server with the main run's, on
            # which expected/ is built.
            local reference=$SCHEMADRIFT_TEST_PG_URL
            set +e
            SCHEMADRIFT_TEST_PG_REFERENCE_URL=$reference SCHEMADRIFT_TEST_PG_LABELS=1 \
                SCHEMADRIFT_TEST_PG_URL=$SD_PG_URL SCHEMADRIFT_TEST_PG_BIN=$SD_PG_CLIENT_BIN \
                cargo test --no-fail-fast "${targets[@]}"
            rc=$?
            set -e
            note="server $v"
        else
            sd_warn "################################################################"
            sd_warn "tests/${missing[*]}.rs does not exist: NOT ALL matrix tests can run"
            sd_warn "against PostgreSQL $m (the server itself started and answered)."
            sd_warn "################################################################"
            note="server $v; NO TESTS (tests/${missing[*]} missing)"
        fi
    else
        note="server $m did not answer"
    fi
    tt=$(sd_elapsed "$t0")
    sd_pg_stop "$SD_PG_DIR"
    record "matrix PostgreSQL $m" "$rc" "$tt" "fetch ${tf}s, start ${ts}s; $note"
}

if [ "$MATRIX" = 0 ]; then
    sd_section "PostgreSQL matrix: skipped (SCHEMADRIFT_PG_MATRIX=0)"
    RESULTS+=("$(printf '%-40s %-14s' "matrix PostgreSQL $MATRIX_VERSIONS" SKIPPED)")
else
    for m in $MATRIX_VERSIONS; do
        sd_section "PostgreSQL matrix: $m"
        matrix_one "$m"
    done
fi

# One Neo4j of the matrix: resolve, start, run tests/neo4j.rs, stop.
neo4j_matrix_one() { # VERSION[:cypher25]
    local v=${1%%:*} variant="" name t0 ts rc=0
    case "$1" in *:cypher25) variant=cypher25 ;; esac
    name="matrix Neo4j $v${variant:+ (Cypher 25)}"
    if ! sd_neo4j_java "$v" >/dev/null; then
        sd_warn "################################################################"
        sd_warn "no JDK for Neo4j $v on this machine: its tests did NOT run"
        sd_warn "################################################################"
        RESULTS+=("$(printf '%-40s %-14s' "$name" "SKIPPED (no JDK)")")
        return 0
    fi
    t0=$(sd_now)
    set +e
    SD_NEO4J_CONF=${variant:+db.query.default_language=CYPHER_25} sd_neo4j_start "$v" >/dev/null
    rc=$?
    set -e
    ts=$(sd_elapsed "$t0")
    if [ "$rc" -ne 0 ]; then
        sd_neo4j_stop_all
        record "$name" 1 "$ts" "server did not start"
        return 0
    fi
    t0=$(sd_now)
    set +e
    cargo test --no-fail-fast --test neo4j
    rc=$?
    set -e
    record "$name" "$rc" "$(sd_elapsed "$t0")" "resolve+start ${ts}s; $SD_NEO4J_SERVER on $(basename "$(dirname "$(dirname "$SD_NEO4J_JAVA")")")"
    sd_neo4j_stop "$SD_NEO4J_DIR"
}

if [ "$NEO4J_MATRIX" = 0 ]; then
    sd_section "Neo4j matrix: skipped (SCHEMADRIFT_NEO4J_MATRIX=0)"
    RESULTS+=("$(printf '%-40s %-14s' "matrix Neo4j $NEO4J_MATRIX_VERSIONS" SKIPPED)")
else
    # The matrix servers replace the main run's in the tests' environment.
    MAIN_NEO4J_DIR=${SD_NEO4J_DIR:-}
    [ -z "$MAIN_NEO4J_DIR" ] || sd_neo4j_stop "$MAIN_NEO4J_DIR"
    for v in $NEO4J_MATRIX_VERSIONS; do
        sd_section "Neo4j matrix: $v"
        neo4j_matrix_one "$v"
    done
fi

summary
exit "$FAILED"
