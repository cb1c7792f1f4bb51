#!/usr/bin/env bash
# scripts/bench.sh: schemadrift side by side with pg_dump on synthetic schemas
# of 100, 1,000 and 10,000 tables (issue 7). Self-contained from a fresh clone:
# builds the release binary when missing or stale, installs what is missing,
# runs one throwaway PostgreSQL cluster and stops it at the end.
#
#   scripts/bench.sh                          # 100, 1,000 and 10,000 tables
#   BENCH_SIZES="100 1000" scripts/bench.sh   # quick run
#
# Environment:
#   BENCH_SIZES   table counts (default "100 1000 10000"; each at least 60)
#   BENCH_RUNS    timed runs per figure, the median is reported (default 3)
#   BENCH_SEED    generator seed (default 20240607): same seed, same schemas
#   BENCH_FLEET   databases for the `check` figure (default 50; 0 skips it)
#   BENCH_PROFILE 1 (default): also time each catalog query alone at the
#                 largest size (scripts/bench/profile_queries.py); 0 skips it
#   BENCH_BIN     use this schemadrift binary instead of building one
#   BENCH_KEEP    1: leave the cluster and its databases running at the end,
#                 for profiling (the URL and the command that stops it are printed)
#   BENCH_PG_BIN  PostgreSQL binaries (default Debian's 15, else the newest)
#
# What it does, per size: scripts/bench/gen_schema.py writes the schema
# (base.sql), about 20 drifts (drift.sql) and the list of what they must be
# reported as (expected.tsv). The schema is loaded twice (bench_N_base and,
# separately so with other OIDs, bench_N_same); bench_N_drift is a copy of
# the base with the drifts applied. scripts/bench/measure.py then times the
# commands and checks the reports against expected.tsv. Figures go to stdout
# and to target/bench/results.md (raw samples in target/bench/raw.json);
# progress and logs go to stderr. No time ever fails the script: the targets
# are marked PASS or MISS. A wrong drift report does not fail it either, it
# is listed in the results; setup errors (a load that fails) do.

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
# shellcheck source=scripts/lib/pg.sh
. scripts/lib/pg.sh

BENCH_SIZES=${BENCH_SIZES:-"100 1000 10000"}
BENCH_RUNS=${BENCH_RUNS:-3}
BENCH_SEED=${BENCH_SEED:-20240607}
BENCH_FLEET=${BENCH_FLEET:-50}
BENCH_PROFILE=${BENCH_PROFILE:-1}
OUT="$ROOT/target/bench"
WORK="$OUT/work"

for n in $BENCH_SIZES; do
    case "$n" in
        '' | *[!0-9]*) sd_die "BENCH_SIZES: '$n' is not a number" ;;
    esac
    [ "$n" -ge 60 ] || sd_die "BENCH_SIZES: $n is below 60 tables"
done
case "$BENCH_RUNS" in '' | *[!0-9]* | 0) sd_die "BENCH_RUNS must be a positive number" ;; esac
case "$BENCH_FLEET" in '' | *[!0-9]*) sd_die "BENCH_FLEET must be a number" ;; esac

T0=$(sd_now)
sd_section "setup"
sd_ensure_packages
[ -x /usr/bin/time ] || sd_apt_install time # peak memory and CPU of each run

# ------------------------------------------------------------------ binary --
if [ -n "${BENCH_BIN:-}" ]; then
    BIN=$BENCH_BIN
    [ -x "$BIN" ] || sd_die "BENCH_BIN=$BIN is not executable"
else
    command -v cargo >/dev/null 2>&1 || sd_die "cargo is not installed (https://rustup.rs)"
    # cargo rebuilds only what changed: a no-op when the binary is fresh.
    sd_info "cargo build --release (about 10 minutes on 2 cores when nothing is built yet)"
    cargo build --release --quiet --bin schemadrift >&2
    BIN="$ROOT/target/release/schemadrift"
fi
sd_ok "binary: $BIN ($("$BIN" --version 2>/dev/null || echo '?'))"

# -------------------------------------------------------------- PostgreSQL --
PG_BIN=${BENCH_PG_BIN:-/usr/lib/postgresql/15/bin}
if [ ! -x "$PG_BIN/pg_ctl" ]; then
    PG_BIN=$(find /usr/lib/postgresql -mindepth 3 -maxdepth 3 -path '*/bin/pg_ctl' 2>/dev/null |
        sort -V | tail -n1 | xargs -r dirname)
    [ -n "$PG_BIN" ] || sd_die "no PostgreSQL binaries under /usr/lib/postgresql"
    sd_warn "no /usr/lib/postgresql/15/bin; using $PG_BIN"
fi
PSQL="$PG_BIN/psql"

sd_pg_install_trap
# One transaction creates every relation of a 10,000-table schema (about
# 90,000 locks with TOAST tables, indexes and sequences) and pg_dump locks
# every table: the shared lock table holds max_locks_per_transaction x
# (max_connections + ...) entries, so make it hold a few hundred thousand.
export SD_PG_EXTRA_CONF="max_locks_per_transaction = 2048
shared_buffers = 256MB
autovacuum = off"
sd_pg_start "$PG_BIN" "$PG_BIN" >/dev/null
URL_ROOT="postgres://postgres@127.0.0.1:$SD_PG_PORT"

sql() { "$PSQL" -X -q -v ON_ERROR_STOP=1 "$URL_ROOT/postgres" -c "$1" >&2; }

# load DB FILE: run FILE in DB as one transaction.
load() {
    "$PSQL" -X -q -v ON_ERROR_STOP=1 --single-transaction "$URL_ROOT/$1" -f "$2" >"$WORK/psql.log" 2>&1 || {
        tail -n 20 "$WORK/psql.log" >&2
        sd_die "loading $2 into $1 failed"
    }
}

# Fresh statistics on the catalogs, as a real database has (autovacuum is off
# so that it does not wake up in the middle of a measurement).
analyze_catalogs() {
    "$PSQL" -X -q -v ON_ERROR_STOP=1 "$URL_ROOT/$1" >&2 <<'SQL'
SELECT format('ANALYZE pg_catalog.%I', relname) FROM pg_class
 WHERE relnamespace = 'pg_catalog'::regnamespace AND relkind = 'r' \gexec
SQL
}

rm -rf "$WORK"
mkdir -p "$WORK"

# ---------------------------------------------------------------- schemas --
SIZES_ALL="$BENCH_SIZES"
case " $BENCH_SIZES " in
    *" 100 "*) ;;
    *) [ "$BENCH_FLEET" -gt 0 ] && SIZES_ALL="100 $BENCH_SIZES" ;; # the fleet is made of 100-table databases
esac
for n in $SIZES_ALL; do
    sd_section "$n tables"
    t=$(sd_now)
    mkdir -p "$WORK/$n"
    python3 scripts/bench/gen_schema.py --tables "$n" --seed "$BENCH_SEED" --out "$WORK/$n" >"$WORK/$n/gen.json" 2>&1 ||
        { cat "$WORK/$n/gen.json" >&2; sd_die "gen_schema.py failed"; }
    sd_ok "generated $(wc -c <"$WORK/$n/base.sql") bytes of SQL, $(wc -l <"$WORK/$n/expected.tsv") drifts in $(sd_elapsed "$t")s"
    for db in base same; do
        t=$(sd_now)
        sql "CREATE DATABASE bench_${n}_$db"
        load "bench_${n}_$db" "$WORK/$n/base.sql"
        analyze_catalogs "bench_${n}_$db"
        sd_ok "loaded bench_${n}_$db in $(sd_elapsed "$t")s"
        if [ "$db" = base ]; then
            sql "CREATE DATABASE bench_${n}_drift TEMPLATE bench_${n}_base"
            load "bench_${n}_drift" "$WORK/$n/drift.sql"
            analyze_catalogs "bench_${n}_drift"
            sd_ok "bench_${n}_drift: a copy with $(wc -l <"$WORK/$n/expected.tsv") drifts"
        fi
    done
done

# ------------------------------------------------------------------ fleet --
FLEET_ARGS=()
if [ "$BENCH_FLEET" -gt 0 ]; then
    sd_section "fleet of $BENCH_FLEET databases"
    t=$(sd_now)
    FLEET="$WORK/fleet"
    mkdir -p "$FLEET"
    "$BIN" snapshot "$URL_ROOT/bench_100_base" -o "$FLEET/expected.json"
    drifted=$((BENCH_FLEET / 10))
    {
        echo "# generated by scripts/bench.sh"
        echo "[postgres]"
        echo 'expected = "expected.json"'
    } >"$FLEET/schemadrift.toml"
    for i in $(seq 1 "$BENCH_FLEET"); do
        db=$(printf 'bench_fleet_%03d' "$i")
        src=bench_100_base
        [ "$i" -le "$drifted" ] && src=bench_100_drift
        sql "CREATE DATABASE $db TEMPLATE $src"
        printf '\n[targets.%s]\npostgres = "%s/%s"\n' "$db" "$URL_ROOT" "$db" >>"$FLEET/schemadrift.toml"
    done
    FLEET_ARGS=(--fleet-config "$FLEET/schemadrift.toml" --fleet-size "$BENCH_FLEET" --fleet-drifted "$drifted")
    sd_ok "$BENCH_FLEET databases ($drifted drifted) in $(sd_elapsed "$t")s"
fi

# ---------------------------------------------------------------- measure --
sd_section "measuring (median of $BENCH_RUNS runs)"
python3 scripts/bench/measure.py --bin "$BIN" --pg-bin "$PG_BIN" --url "$URL_ROOT" --work "$WORK" \
    --sizes "$BENCH_SIZES" --runs "$BENCH_RUNS" --results "$OUT/results.md" \
    --note "PostgreSQL $("$PSQL" -X -Atq "$URL_ROOT/postgres" -c 'show server_version' | cut -d' ' -f1) ($PG_BIN), seed $BENCH_SEED." \
    ${FLEET_ARGS[@]+"${FLEET_ARGS[@]}"}

# ---------------------------------------------------------------- profile --
if [ "$BENCH_PROFILE" = 1 ]; then
    big=$(echo "$BENCH_SIZES" | tr -s ' ' '\n' | sort -n | tail -n1)
    sd_section "profile of the catalog queries at $big tables"
    {
        echo
        echo "## Catalog queries at $big tables (scripts/bench/profile_queries.py)"
        echo
        echo "Each query of src/postgres/queries/ run alone in psql (EXECUTE of a prepared statement, median of $BENCH_RUNS),"
        echo "then without parallel workers, and with each deparsing function replaced by NULL. Repeated runs find the backend's caches"
        echo "warm; the tool's fresh connections find them cold (it splits the queries in two groups on two connections, see"
        echo "GROUPS in src/postgres/mod.rs), so the last row is below the server time of one snapshot."
        echo
        python3 scripts/bench/profile_queries.py --url "$URL_ROOT/bench_${big}_base" --psql "$PSQL" \
            --runs "$BENCH_RUNS" --explain-dir "$OUT/explain"
    } | tee -a "$OUT/results.md"
fi
sd_ok "results in $OUT/results.md; whole run $(sd_elapsed "$T0")s"
if [ "${BENCH_KEEP:-0}" = 1 ]; then
    # shellcheck disable=SC2034 # read by the exit trap in scripts/lib/pg.sh
    SD_PG_CLUSTERS=()
    sd_warn "BENCH_KEEP=1: the cluster stays up at $URL_ROOT (databases bench_*);" \
        "stop it with: . scripts/lib/pg.sh; sd_pg_stop $SD_PG_DIR"
fi
