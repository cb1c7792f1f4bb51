# shellcheck shell=bash
# Stop what a script started when it exits, whatever EXIT trap it has.
#
#   sd_stop_on_exit FN   run FN on exit (once, however often registered), and
#                        then the EXIT trap that was set when this was first
#                        called (scripts/lib/pg.sh's, say), with the script's
#                        exit status still in $?
#   sd_stop_server_dir DIR TRIES
#                        stop the process whose pid is in DIR/pid (TERM, then
#                        KILL after TRIES quarter-seconds) and remove DIR
#
# scripts/lib/neo4j.sh and bolt.sh register their stop functions with it when
# they start a server. A script that sets its own EXIT trap *after* that
# replaces the chain, so it must stop the servers itself (scripts/demo.sh does).

SD_EXIT_FNS=()
SD_EXIT_PREV=""
SD_EXIT_CHAINED=0

_sd_exit_status() { return "$1"; }

_sd_exit_chain() {
    local rc=$? f
    for f in ${SD_EXIT_FNS[@]+"${SD_EXIT_FNS[@]}"}; do
        "$f" || true
    done
    if [ -n "$SD_EXIT_PREV" ]; then
        if [ "$rc" -eq 0 ]; then
            eval "$SD_EXIT_PREV"
        else
            _sd_exit_status "$rc" || eval "$SD_EXIT_PREV"
        fi
    fi
    exit "$rc"
}

sd_stop_on_exit() {
    local prev
    case " ${SD_EXIT_FNS[*]-} " in
        *" $1 "*) ;;
        *) SD_EXIT_FNS+=("$1") ;;
    esac
    [ "$SD_EXIT_CHAINED" = 1 ] && return 0
    prev=$(trap -p EXIT)
    prev=${prev#"trap -- '"}
    prev=${prev%"' EXIT"}
    case "$prev" in
        *_sd_exit_chain*) prev="" ;;
    esac
    SD_EXIT_PREV=$prev
    SD_EXIT_CHAINED=1
    trap '_sd_exit_chain' EXIT
}

sd_stop_server_dir() {
    local dir=$1 tries=$2 pid
    [ -d "$dir" ] || return 0
    pid=$(cat "$dir/pid" 2>/dev/null || true)
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid" 2>/dev/null || true
        for _ in $(seq 1 "$tries"); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.25
        done
        kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    fi
    rm -rf "$dir"
}
