#!/usr/bin/env bash
# Throwaway PostgreSQL clusters of any major version 13-18, for tests and
# experiments. Binaries are fetched once into .cache/pg/ (see scripts/lib/pg.sh).
#
#   scripts/pg-cluster.sh fetch [MAJOR...]     fetch binaries (default: all of 13-18)
#   scripts/pg-cluster.sh run MAJOR [CMD...]   start a cluster, run CMD with
#                                              SCHEMADRIFT_TEST_PG_URL / _BIN (and
#                                              DATABASE_URL, PATH) set, then stop it;
#                                              without CMD: print version and wait
#                                              for Ctrl-C
#   scripts/pg-cluster.sh smoke [MAJOR...]     start each, `select version()`, stop;
#                                              prints timings
#
# MAJOR 15 with `run`/`smoke` also accepts `debian` for /usr/lib/postgresql/15/bin.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/lib/pg.sh
. scripts/lib/pg.sh

usage() {
    sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
}

bins_for() { # MAJOR -> SD_PG_SERVER_BIN / SD_PG_CLIENT_BIN
    if [ "$1" = debian ]; then
        SD_PG_SERVER_BIN=/usr/lib/postgresql/15/bin
        SD_PG_CLIENT_BIN=/usr/lib/postgresql/15/bin
    else
        sd_pg_fetch "$1"
    fi
}

cmd=${1:-}
[ -n "$cmd" ] || usage
shift
case "$cmd" in
    fetch)
        sd_ensure_packages
        majors=${*:-$SD_PG_MAJORS_ALL}
        for m in $majors; do
            t0=$(sd_now)
            sd_pg_fetch "$m"
            sd_ok "PostgreSQL $m: server $SD_PG_SERVER_BIN, clients $SD_PG_CLIENT_BIN ($(sd_elapsed "$t0")s)"
        done
        ;;
    run)
        [ $# -ge 1 ] || usage
        major=$1
        shift
        sd_ensure_packages
        bins_for "$major"
        sd_pg_install_trap
        sd_pg_start "$SD_PG_SERVER_BIN" "$SD_PG_CLIENT_BIN" >/dev/null
        export SCHEMADRIFT_TEST_PG_URL="$SD_PG_URL" SCHEMADRIFT_TEST_PG_BIN="$SD_PG_CLIENT_BIN"
        export DATABASE_URL="$SD_PG_URL" PATH="$SD_PG_CLIENT_BIN:$PATH"
        sd_info "SCHEMADRIFT_TEST_PG_URL=$SCHEMADRIFT_TEST_PG_URL"
        sd_info "SCHEMADRIFT_TEST_PG_BIN=$SCHEMADRIFT_TEST_PG_BIN"
        if [ $# -gt 0 ]; then
            # Not exec: the trap must stop the cluster afterwards.
            "$@"
        else
            "$SD_PG_CLIENT_BIN/psql" -X -Atq "$SD_PG_URL" -c 'select version()'
            sd_info "running until Ctrl-C"
            while :; do sleep 3600; done
        fi
        ;;
    smoke)
        sd_ensure_packages
        sd_pg_install_trap
        majors=${*:-$SD_PG_MAJORS_ALL}
        rc=0
        summary=()
        for m in $majors; do
            sd_section "PostgreSQL $m"
            t0=$(sd_now)
            bins_for "$m"
            tf=$(sd_elapsed "$t0")
            t1=$(sd_now)
            if ! sd_pg_start "$SD_PG_SERVER_BIN" "$SD_PG_CLIENT_BIN" >/dev/null; then
                summary+=("PostgreSQL $m: FAIL (start)")
                rc=1
                sd_pg_stop_all
                continue
            fi
            ts=$(sd_elapsed "$t1")
            if v=$("$SD_PG_CLIENT_BIN/psql" -X -w -Atq "$SD_PG_URL" -c 'select version()') &&
                d=$("$SD_PG_CLIENT_BIN/pg_dump" --version); then
                summary+=("PostgreSQL $m: OK   fetch ${tf}s, start ${ts}s | ${v%% on *} | $d")
            else
                summary+=("PostgreSQL $m: FAIL (query)")
                rc=1
            fi
            t2=$(sd_now)
            sd_pg_stop "$SD_PG_DIR"
            sd_log "    stopped in $(sd_elapsed "$t2")s"
        done
        sd_section "summary"
        printf '%s\n' "${summary[@]}"
        exit "$rc"
        ;;
    *) usage ;;
esac
