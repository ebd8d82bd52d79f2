#!/usr/bin/env bash
# The chat's benchmark: 2,000 idle WebSocket connections to the chat of
# the demo school's class spaces (server RSS per connection), then the time
# for one message to reach the 500 connections of the TPRO space (p50, p99).
#   bench/chat.sh [connections, default 2000] [in TPRO, default 500] [runs, default 20]
# Needs the release build (cartable and the chat_bench target) and node.
set -euo pipefail
cd "$(dirname "$0")/.."
connections=${1:-2000}
room=${2:-500}
runs=${3:-20}
binary=build/release/app/cartable
bench=build/release/tests/chat_bench
[[ -x $bench ]] || cmake --build build/release --target chat_bench
[[ -x $binary ]] || cmake --build build/release --target cartable
# Two file descriptors a connection (server and client side) and some more.
ulimit -n "$(( connections * 2 + 1024 ))" 2>/dev/null || ulimit -n "$(ulimit -Hn)"
echo "file descriptors allowed: $(ulimit -n)"

data=$(mktemp -d)
log="$data/server.log"
"$binary" serve --demo-if-empty --listen 127.0.0.1:0 --data-dir "$data" >"$log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 1 200); do
    url=$(grep -o 'http://127\.0\.0\.1:[0-9]*/' "$log" | head -1 || true)
    [[ -n $url ]] && break
    sleep 0.1
done
[[ -n ${url:-} ]] || { echo "the server did not start"; cat "$log"; exit 1; }
port=$(sed -E 's#.*:([0-9]+)/#\1#' <<<"$url")

# Nathalie VIDAL (CPE) manages every class's space: sign in once, then list
# the spaces, TPRO first.
read -r cookie spaces < <(node --input-type=module -e "
import { Client, signInOrThrow } from './tests/support/server.mjs';
const client = new Client('$url');
const cookie = await signInOrThrow(client, 'nathalie.vidal');
const ids = [];
let tpro = null;
for (let id = 1; id <= 80; id++) {
  const page = await client.get('/espaces/' + id + '/chat');
  if (page.status !== 200) continue;
  if (page.text.includes('<h1 class=\"page-title\">Classe TPRO</h1>')) tpro = id; else ids.push(id);
}
console.log(cookie, [tpro, ...ids].join(','));
")
echo "server pid $server on port $port; spaces (TPRO first): $spaces"
"$bench" --port "$port" --pid "$server" --cookie "$cookie" --spaces "$spaces" \
    --connections "$connections" --room "$room" --runs "$runs"
