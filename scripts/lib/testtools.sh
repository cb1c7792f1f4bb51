# shellcheck shell=bash
# The third-party checkers the tests hand the product's output to, cached
# under .cache/ and exported to the tests:
#
#   sd_testtools_install   install what is missing; exports
#       SCHEMADRIFT_TEST_PYTHONPATH   from PyPI: prometheus_client (Prometheus'
#                                     own Python client, with its OpenMetrics
#                                     parser), jsonschema, PyYAML (action.yml)
#       SCHEMADRIFT_TEST_SARIF_SCHEMA the SARIF 2.1.0 JSON schema (rtm.5, the
#                                     OASIS standard's), from the npm registry's
#                                     @microsoft/jest-sarif package (MIT)
#
# Sourced by scripts/test.sh after scripts/lib/pg.sh (for sd_* helpers).

SD_PY_TOOLS=(prometheus-client==0.26.0 jsonschema==4.26.0 pyyaml==6.0.3)
SD_SARIF_PKG=@microsoft/jest-sarif@1.0.0-beta.0
SD_SARIF_PKG_SHA=748e2c3d1a842e7bb258416685c7ea3a0da40005b72267b2052c2856d48ad102
SD_SARIF_SCHEMA_PATH=package/lib/schemas/sarif-2.1.0-rtm.5.json

_sd_testtools_py() { # DEST
    local dest=$1
    [ -f "$dest/.complete" ] && return 0
    sd_info "installing ${SD_PY_TOOLS[*]} from PyPI into $dest"
    rm -rf "$dest.tmp"
    PIP_ROOT_USER_ACTION=ignore python3 -m pip install -q --disable-pip-version-check --no-cache-dir \
        --target "$dest.tmp" "${SD_PY_TOOLS[@]}" >&2 || {
        rm -rf "$dest.tmp"
        sd_err "pip install ${SD_PY_TOOLS[*]} failed"
        return 1
    }
    rm -rf "$dest"
    mv "$dest.tmp" "$dest"
    touch "$dest/.complete"
}

_sd_testtools_sarif() { # DEST
    local dest=$1 tmp tgz
    [ -f "$dest/sarif-2.1.0.json" ] && return 0
    sd_info "fetching the SARIF 2.1.0 schema ($SD_SARIF_PKG) from npm"
    tmp=$(mktemp -d "$(dirname "$dest")/.sarif.XXXXXX")
    if ! (cd "$tmp" && NPM_CONFIG_UPDATE_NOTIFIER=false NPM_CONFIG_FUND=false \
        npm pack --silent --no-audit "$SD_SARIF_PKG" >/dev/null); then
        rm -rf "$tmp"
        sd_err "npm pack $SD_SARIF_PKG failed"
        return 1
    fi
    tgz=$(find "$tmp" -maxdepth 1 -name '*.tgz' | head -n1)
    if ! sd_sha256_check "$tgz" "$SD_SARIF_PKG_SHA" ||
        ! tar xzf "$tgz" -C "$tmp" "$SD_SARIF_SCHEMA_PATH"; then
        rm -rf "$tmp"
        sd_err "could not unpack the SARIF schema from $SD_SARIF_PKG"
        return 1
    fi
    mkdir -p "$dest"
    mv "$tmp/$SD_SARIF_SCHEMA_PATH" "$dest/sarif-2.1.0.json"
    rm -rf "$tmp"
}

sd_testtools_install() {
    local root py sarif
    root="${SCHEMADRIFT_TESTTOOLS_CACHE:-$SD_REPO_ROOT/.cache/testtools}"
    mkdir -p "$root"
    py="$root/py-$(printf '%s\n' "${SD_PY_TOOLS[@]}" | sha256sum | cut -c1-12)"
    sarif="$root/sarif"
    sd_with_lock "$root/.lock" _sd_testtools_py "$py" || return 1
    sd_with_lock "$root/.lock" _sd_testtools_sarif "$sarif" || return 1
    SCHEMADRIFT_TEST_PYTHONPATH=$py
    SCHEMADRIFT_TEST_SARIF_SCHEMA=$sarif/sarif-2.1.0.json
    export SCHEMADRIFT_TEST_PYTHONPATH SCHEMADRIFT_TEST_SARIF_SCHEMA
}
