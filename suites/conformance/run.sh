#!/usr/bin/env bash
# Conformance suite: the official Python SDKs (oss2, alibabacloud-oss-v2) against ossfuse-server.
# Creates <repo>/.venv-conformance (once), installs both SDKs, starts the built server on a free port
# with a fresh root, runs suites/conformance/run_all.py, stops the server, exits non-zero on failure.
# Environment: OSSFUSE_BIN_DIR (default <repo>/.build/debug), PYTHON (default python3).
# Arguments are passed to run_all.py (substrings selecting tests).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
venv="$repo/.venv-conformance"
bin_dir="${OSSFUSE_BIN_DIR:-$repo/.build/debug}"
server="$bin_dir/ossfuse-server"

if [ ! -x "$venv/bin/python" ]; then
    "${PYTHON:-python3}" -m venv "$venv"
fi
if ! "$venv/bin/python" -c "import oss2, alibabacloud_oss_v2" 2>/dev/null; then
    "$venv/bin/pip" install --quiet oss2 alibabacloud-oss-v2
fi
if [ ! -x "$server" ]; then
    (cd "$repo" && swift build --product ossfuse-server)
fi

root="$(mktemp -d)"
out="$root/server.out"
ak="LTAIconf$RANDOM$RANDOM"
sk="secret$RANDOM$RANDOM$RANDOM"
token="sts-token-$RANDOM"
"$server" --root "$root/data" --listen 127.0.0.1:0 --access-key-id "$ak" --access-key-secret "$sk" \
    --bucket conf --sts-token "$token" --body-timeout 3 --restore-delay 1 >"$out" 2>"$root/server.err" &
pid=$!
cleanup() {
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    rm -rf "$root"
}
trap cleanup EXIT

for _ in $(seq 1 300); do
    if grep -q '^listening on http://' "$out"; then break; fi
    if ! kill -0 "$pid" 2>/dev/null; then cat "$root/server.err" >&2; echo "server exited" >&2; exit 1; fi
    sleep 0.1
done
endpoint="$(sed -n 's/^listening on //p' "$out" | head -1)"
[ -n "$endpoint" ] || { echo "server did not start" >&2; exit 1; }

status=0
OSS_TEST_ENDPOINT="$endpoint" OSS_TEST_AK="$ak" OSS_TEST_SK="$sk" OSS_TEST_STS_TOKEN="$token" \
OSS_TEST_BUCKET=conf OSS_TEST_ROOT="$root/data" OSS_TEST_SERVER="$server" \
    "$venv/bin/python" "$here/run_all.py" "$@" || status=$?
if [ "$status" -ne 0 ]; then
    echo "--- server stderr (last 20 lines) ---"; tail -20 "$root/server.err" || true
fi
# The store must be consistent after everything the suite did.
kill "$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true
if ! "$server" --root "$root/data" --check >"$root/check.out"; then
    cat "$root/check.out"; echo "conformance: --check found an inconsistent store"; status=1
fi
exit "$status"
