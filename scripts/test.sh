#!/usr/bin/env bash
# The whole check, as CI runs it (.ci/run), from a fresh machine:
#
#   1. install what is missing (Debian: postgresql, postgresql-contrib, libclang-dev,
#      the shells and groff/man for tests/shell.rs; the OpenMetrics parser and the
#      SARIF schema the tests check output with: scripts/lib/testtools.sh)
#   2. a PostgreSQL server for the tests: $SCHEMADRIFT_TEST_PG_URL if set, else
#      one on 127.0.0.1:5432 that lets `postgres` in without a password, else a
#      throwaway cluster from Debian's PostgreSQL 15 (stopped at the end)
#   3. cargo fmt --check; cargo clippy --all-targets -- -D warnings; cargo test
#   4. the matrix: the introspection tests (`cargo test --test pg_snapshot`)
#      against throwaway PostgreSQL 13, 14, 16, 17 and 18 clusters
#
# Environment:
#   SCHEMADRIFT_PG_MATRIX=0        skip the matrix (quick local runs; default 1)
#   SCHEMADRIFT_PG_MATRIX_VERSIONS majors for the matrix (default "13 14 16 17 18")
#   SCHEMADRIFT_PG_MATRIX_TEST     the test target the matrix runs (default pg_snapshot)
#   SCHEMADRIFT_FAIL_FAST=1        stop at the first failing stage
#   SCHEMADRIFT_TEST_PG_URL        use this server (superuser URL) for the main run
#   SCHEMADRIFT_TEST_PG_BIN        its pg_dump/psql directory (found when unset)
#   SCHEMADRIFT_PG_CACHE           where PostgreSQL binaries are cached (.cache/pg)
#   NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD  run tests/neo4j.rs against this real
#                                  Neo4j instead of a throwaway ArcadeDB Bolt server
#   SCHEMADRIFT_BOLT_CACHE         where ArcadeDB is cached (.cache/arcadedb)
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

T_START=$(sd_now)
MATRIX=${SCHEMADRIFT_PG_MATRIX:-1}
MATRIX_VERSIONS=${SCHEMADRIFT_PG_MATRIX_VERSIONS:-13 14 16 17 18}
MATRIX_TEST=${SCHEMADRIFT_PG_MATRIX_TEST:-pg_snapshot}
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
    sd_pg_start "$DEBIAN_PG_BIN" "$DEBIAN_PG_BIN" >/dev/null
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

# tests/neo4j.rs: a real Neo4j when NEO4J_URI (+ NEO4J_USER, NEO4J_PASSWORD) is
# set, else a throwaway ArcadeDB Bolt server (sd_bolt_start chains its stop
# in front of the trap installed above).
sd_section "Bolt server for the Neo4j tests"
if [ -n "${NEO4J_URI:-}" ]; then
    sd_info "using the Neo4j at NEO4J_URI for tests/neo4j.rs"
else
    sd_bolt_start >/dev/null || sd_die "the ArcadeDB Bolt server did not start"
    sd_log "SCHEMADRIFT_TEST_NEO4J_URL=${SCHEMADRIFT_TEST_NEO4J_URL/:$SD_BOLT_PASSWORD@/@} (password $SD_BOLT_PASSWORD)"
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
    t0=$(sd_now)
    if ! sd_pg_start "$SD_PG_SERVER_BIN" "$SD_PG_CLIENT_BIN" >/dev/null; then
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
        if [ -f "tests/$MATRIX_TEST.rs" ] || [ -f "tests/$MATRIX_TEST/main.rs" ]; then
            set +e
            SCHEMADRIFT_TEST_PG_URL=$SD_PG_URL SCHEMADRIFT_TEST_PG_BIN=$SD_PG_CLIENT_BIN \
                cargo test --no-fail-fast --test "$MATRIX_TEST"
            rc=$?
            set -e
            note="server $v"
        else
            sd_warn "################################################################"
            sd_warn "tests/$MATRIX_TEST.rs does not exist: NO introspection tests ran"
            sd_warn "against PostgreSQL $m (the server itself started and answered)."
            sd_warn "################################################################"
            note="server $v; NO TESTS (tests/$MATRIX_TEST.rs missing)"
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

summary
exit "$FAILED"
