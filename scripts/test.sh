#!/usr/bin/env bash
# The whole test suite: lint, type checks, then every runner (unit tests and the scenario suite per server
# setup). Prints a line per runner and, last, the total "N passed, N failed, N skipped". Exits non-zero on any
# failure. Extra runners can be listed in scripts/runners.txt-style arrays below.
set -u
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$PATH" NO_COLOR=1 FORCE_COLOR=0
logdir="${TEST_LOG_DIR:-artifacts/test-logs}"
mkdir -p "$logdir"
passed=0 failed=0 skipped=0 status=0

strip() { sed -E 's/\x1b\[[0-9;]*m//g'; }

# System tools the runners need (chromium: browser runners; redis-server: redis runners; openssl: TLS
# certificates; tar: consumer runner; promtool and prometheus from `prometheus`: the prometheus runner). Missing ones are installed with apt-get when root, otherwise the run
# stops here naming the Debian package: never a silent skip.
need() { # need BINARY DEBIAN-PACKAGE
  command -v "$1" >/dev/null 2>&1 && return 0
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing $2 (apt-get install -y $2): $1 is missing"
    if [ -z "${apt_updated:-}" ]; then apt-get update -qq >/dev/null 2>&1 || true; apt_updated=1; fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null 2>&1
    command -v "$1" >/dev/null 2>&1 && return 0
    echo "error: apt-get could not install $2 ($1 is needed by npm test)"
  else
    echo "error: $1 is missing: install the Debian package $2 (sudo apt-get install -y $2), then run npm test again"
  fi
  missing=1
}
missing=""
need chromium chromium
need redis-server redis-server
need openssl openssl
need tar tar
need promtool prometheus
need prometheus prometheus
if [ -n "$missing" ]; then echo "0 passed, 1 failed, 0 skipped"; exit 1; fi

# check NAME CMD...: a gate that passes or fails as a whole (counted as one failure when it fails)
check() {
  local name=$1; shift
  if "$@" >"$logdir/$name.log" 2>&1; then echo "check $name: ok"
  else echo "check $name: FAILED (see $logdir/$name.log)"; strip <"$logdir/$name.log" | tail -40; failed=$((failed + 1)); status=1; fi
}

# runner KIND NAME CMD...: runs a test runner and adds its counts (kind: bun | deno | node)
runner() {
  local kind=$1 name=$2; shift 2
  local log="$logdir/$name.log" p=0 f=0 s=0 rc=0
  "$@" >"$log" 2>&1 || rc=$?
  local out; out=$(strip <"$log")
  case $kind in
    bun)
      p=$(grep -oE '^ *[0-9]+ pass$' <<<"$out" | grep -oE '[0-9]+' | tail -1)
      f=$(grep -oE '^ *[0-9]+ fail$' <<<"$out" | grep -oE '[0-9]+' | tail -1)
      s=$(grep -oE '^ *[0-9]+ (skip|todo)$' <<<"$out" | grep -oE '[0-9]+' | awk '{s+=$1} END {print s+0}') ;;
    deno)
      p=$(grep -oE '\| [0-9]+ passed' <<<"$out" | grep -oE '[0-9]+' | tail -1)
      f=$(grep -oE '\| [0-9]+ failed' <<<"$out" | grep -oE '[0-9]+' | tail -1)
      s=$(grep -oE '\| [0-9]+ ignored' <<<"$out" | grep -oE '[0-9]+' | tail -1) ;;
    node)
      p=$(grep -oE '^# pass [0-9]+' <<<"$out" | grep -oE '[0-9]+' | tail -1)
      f=$(grep -oE '^# fail [0-9]+' <<<"$out" | grep -oE '[0-9]+' | tail -1)
      s=$(grep -oE '^# (skipped|todo) [0-9]+' <<<"$out" | grep -oE '[0-9]+' | awk '{s+=$1} END {print s+0}') ;;
  esac
  p=${p:-0} f=${f:-0} s=${s:-0}
  # a runner that crashed or found no tests must not look green
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
  if [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then f=1; echo "runner $name ran no test"; fi
  echo "runner $name: $p passed, $f failed, $s skipped"
  if [ "$f" -ne 0 ]; then status=1; grep -nE '^\(fail\)|^not ok|FAILED|error:|Error:|expected' <<<"$out" | head -40; fi
  passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
}

check lint biome check .
check types tsc --noEmit -p .
check deno-check deno check adapters/deno.ts client/index.ts bench/servers/raw-deno.deno.ts $(find tests -name '*.deno.test.ts' -o -name '*.deno.ts' | sort)
check docs tsx scripts/check-docs.ts

runner bun unit bun test ./tests/unit
# the pure unit tests on Deno and Node too: decorators compile differently there (Deno's metadata chain, esbuild)
runner deno unit-deno deno test -A tests/unit/
runner node unit-node node --import tsx --test --test-reporter=tap tests/unit/*.test.ts
runner bun scenarios-bun bun test ./tests/integration/bun.bun.test.ts
runner bun scenarios-hono-bun bun test ./tests/integration/hono-bun.bun.test.ts
runner deno scenarios-deno deno test -A tests/integration/deno.deno.test.ts
runner deno scenarios-hono-deno deno test -A tests/integration/hono-deno.deno.test.ts
runner node scenarios-node node --import tsx --test --test-reporter=tap tests/integration/node.node.test.ts tests/integration/node-connection.node.test.ts tests/integration/hono-node.node.test.ts
runner node examples node --import tsx --test --test-reporter=tap tests/integration/examples.node.test.ts
runner node examples-http node --import tsx --test --test-reporter=tap tests/integration/examples-http.node.test.ts
runner node signals node --import tsx --test --test-reporter=tap tests/integration/signals.node.test.ts
runner node tls node --import tsx --test --test-reporter=tap tests/integration/tls.node.test.ts
runner node browser node --import tsx --test --test-reporter=tap tests/browser/chat.browser.test.ts
runner node admin-browser node --import tsx --test --test-reporter=tap tests/browser/admin.browser.test.ts
runner node prometheus node --import tsx --test --test-reporter=tap tests/observability/prometheus.node.test.ts
# the AsyncAPI CLI on the examples under node/bun/deno, @asyncapi/parser, snapshots, served documents; the page in chromium
runner node asyncapi node --import tsx --test --test-reporter=tap tests/integration/asyncapi.node.test.ts
runner node asyncapi-browser node --import tsx --test --test-reporter=tap tests/browser/asyncapi.browser.test.ts
runner bun redis-bun bun test ./tests/integration/redis.bun.test.ts
runner deno redis-deno deno test -A tests/integration/redis.deno.test.ts
runner node redis-node node --import tsx --test --test-reporter=tap tests/integration/redis.node.test.ts
# the packed tarball installed into temp apps outside the repo (node, bun, deno, Hono with two hono copies, JSR, publint/attw)
runner node consumer node --import tsx --test --test-reporter=tap tests/consumer/consumer.node.test.ts
# the same cross-node suite against a private Redis Cluster (3 masters + 3 replicas, sharded pub/sub), with the failover test
runner bun redis-cluster-bun bun test ./tests/integration/redis-cluster.bun.test.ts
runner deno redis-cluster-deno deno test -A tests/integration/redis-cluster.deno.test.ts
runner node redis-cluster-node node --import tsx --test --test-reporter=tap tests/integration/redis-cluster.node.test.ts

echo "$passed passed, $failed failed, $skipped skipped"
exit $status
