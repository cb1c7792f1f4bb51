#!/usr/bin/env bash
# The work of the schemadrift GitHub Action (action.yml beside it), kept in a
# script so that it runs, and is tested (tests/github_action.rs), outside
# GitHub too. Inputs come as environment variables (INPUT_*, as action.yml
# passes them); it writes the Markdown report to $GITHUB_STEP_SUMMARY and
# `exit-code`, `report` and `sarif` to $GITHUB_OUTPUT, and always exits 0:
# the action's last step exits with `exit-code`, after the summary and the
# SARIF upload.
#
#   INPUT_CONFIG          the config file (default schemadrift.toml)
#   INPUT_TARGETS         target names, space-separated (default: every target)
#   INPUT_EXPECTED_CHECK  "true": first `schemadrift expected --check` (default true)
#   INPUT_FAIL_ON         error | warning | info (default info)
#   INPUT_SARIF           also write SARIF to this file (default: none)
#   INPUT_ARGS            more arguments for `check`, space-separated
#   SCHEMADRIFT_BIN       the binary (default: schemadrift on PATH)
set -uo pipefail

sd=${SCHEMADRIFT_BIN:-schemadrift}
config=${INPUT_CONFIG:-schemadrift.toml}
fail_on=${INPUT_FAIL_ON:-info}
sarif=${INPUT_SARIF:-}
work=$(mktemp -d "${RUNNER_TEMP:-${TMPDIR:-/tmp}}/schemadrift.XXXXXX")
summary=${GITHUB_STEP_SUMMARY:-$work/summary.md}
outputs=${GITHUB_OUTPUT:-$work/outputs}

args=(-c "$config" --fail-on "$fail_on")
for t in ${INPUT_TARGETS:-}; do
    args+=(--target "$t")
done
# shellcheck disable=SC2206 # space-separated on purpose, as documented
extra=(${INPUT_ARGS:-})

# The worst of the exit codes: 2 (error) over 1 (drift) over 0.
rc=0
worst() {
    if [ "$1" -eq 2 ] || { [ "$1" -ne 0 ] && [ "$rc" -ne 2 ]; }; then
        rc=$1
    fi
}

if [ "${INPUT_EXPECTED_CHECK:-true}" = true ]; then
    "$sd" expected --check -c "$config" >"$work/expected.txt" 2>&1
    e=$?
    cat "$work/expected.txt"
    if [ "$e" -ne 0 ]; then
        {
            echo "## schemadrift expected --check: the expected schema is out of date"
            echo
            echo '```'
            cat "$work/expected.txt"
            echo '```'
            echo
        } >>"$summary"
        worst "$e"
    fi
fi

"$sd" check "${args[@]}" "${extra[@]}" --format markdown -o "$work/drift.md"
c=$?
worst "$c"
if [ -f "$work/drift.md" ]; then
    cat "$work/drift.md" >>"$summary"
fi

if [ -n "$sarif" ]; then
    # The same targets again, as SARIF; alerts were sent by the run above.
    "$sd" check "${args[@]}" "${extra[@]}" --no-alerts --format sarif -o "$sarif" >/dev/null
    worst "$?"
fi

{
    echo "exit-code=$rc"
    echo "report=$work/drift.md"
    echo "sarif=$sarif"
} >>"$outputs"
echo "schemadrift: exit code $rc (0 no drift, 1 drift, 2 error)"
