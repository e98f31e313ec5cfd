#!/usr/bin/env bash
# Self-test of scripts/lib/watchdog, the hang guard every stage of scripts/test runs under:
# a finished stage keeps its exit status; a stage past its limit is killed (exit 124) after a
# report naming the tests that started and never ended; a stage that leaves an ossfuse-server
# running fails and the server is stopped; a server started meanwhile by someone else (not by the
# stage) is neither named nor stopped. Needs the built ossfuse-server ($OSSFUSE_BIN_DIR).
set -uo pipefail
cd "$(dirname "$0")/../.."
watchdog=scripts/lib/watchdog
server="${OSSFUSE_BIN_DIR:-.build/debug}/ossfuse-server"
out=$(mktemp); trap 'rm -rf "$out" "$root" "$other"' EXIT
root=$(mktemp -d) other=$(mktemp -d)
failures=0
fail() { echo "watchdog self-test: FAIL: $*" >&2; sed 's/^/    /' "$out" >&2; failures=$((failures + 1)); }

$watchdog 60 exits bash -c 'echo done; exit 7' >"$out" 2>&1
status=$?
[ $status -eq 7 ] || fail "a finished stage's status 7 came back as $status"
grep -qx done "$out" || fail "the stage's output was not passed on"

$watchdog 3 hangs bash -c 'echo "◇ Test stuck() started."; echo "◇ Test quick() started."
                           echo "✔ Test quick() passed after 0.1 seconds."; sleep 300' >"$out" 2>&1
status=$?
[ $status -eq 124 ] || fail "a stage past its limit exited $status, not 124"
grep -q "tests started and not finished" "$out" || fail "no report of unfinished tests"
grep -q "swift-testing: stuck()" "$out" || fail "the unfinished test is not named"
grep -q "swift-testing: quick()" "$out" && fail "a finished test is named as unfinished"
pgrep -f "sleep 300" >/dev/null && { fail "the hung stage's processes were left running"; pkill -f "sleep 300"; }

# A stage whose server escapes into a session of its own and outlives it.
WATCHDOG_GRACE=2 $watchdog 60 leaks bash -c "setsid '$server' --root '$root' --listen 127.0.0.1:0 \
    --access-key-id k --access-key-secret s </dev/null >/dev/null 2>&1 & sleep 1" >"$out" 2>&1
status=$?
[ $status -ne 0 ] || fail "a stage that left a server running passed"
grep -q "left processes running" "$out" || fail "the server left running is not named"
sleep 1
pgrep -f -- "--root $root" >/dev/null && { fail "the server left running was not stopped"; pkill -f -- "--root $root"; }

# A user's own server, started while a stage runs but not by it: the stage passes, the server lives.
( sleep 1; exec "$server" --root "$other" --listen 127.0.0.1:0 --access-key-id k --access-key-secret s \
    </dev/null >/dev/null 2>&1 ) &
mine=$!
WATCHDOG_GRACE=2 $watchdog 60 bystander bash -c 'sleep 3' >"$out" 2>&1
status=$?
[ $status -eq 0 ] || fail "a server the stage did not start failed the stage (status $status)"
grep -q "left processes running" "$out" && fail "a server the stage did not start was named as its own"
[ "$(readlink "/proc/$mine/exe" 2>/dev/null)" = "$(readlink -f "$server")" ] \
    || fail "a server the stage did not start was stopped"
kill "$mine" 2>/dev/null; wait "$mine" 2>/dev/null

[ $failures -eq 0 ] && echo "watchdog self-test: 4 scenarios passed"
exit $((failures > 0))
