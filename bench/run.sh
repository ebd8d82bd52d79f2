#!/usr/bin/env bash
# Benchmark: Cartable's public portal and signed-in Accueil against nginx
# serving a static file of the same size. Everything on 127.0.0.1.
# Usage: bench/run.sh   (env: CARTABLE_BIN, BENCH_DURATION=10s, BENCH_CONNECTIONS=64)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
bin="${CARTABLE_BIN:-$root/build/release/app/cartable}"
duration="${BENCH_DURATION:-10s}"
connections="${BENCH_CONNECTIONS:-64}"
threads=2
results_dir="$here/results"
nginx_bin="${NGINX_BIN:-/usr/sbin/nginx}"

for tool in wrk curl node "$nginx_bin"; do
  command -v "$tool" >/dev/null || { echo "missing tool: $tool" >&2; exit 2; }
done
[[ -x "$bin" ]] || { echo "Cartable binary not found: $bin (build the release preset first)" >&2; exit 2; }

work="$(mktemp -d /tmp/cartable-bench.XXXXXX)"
cartable_pid=""
nginx_pid=""
cleanup() {
  local status=$?
  [[ -n "$cartable_pid" ]] && kill "$cartable_pid" 2>/dev/null && wait "$cartable_pid" 2>/dev/null || true
  [[ -n "$nginx_pid" ]] && kill "$nginx_pid" 2>/dev/null && wait "$nginx_pid" 2>/dev/null || true
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
  node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

# --- Cartable -----------------------------------------------------------
mkdir -p "$work/data"
CARTABLE_ACCESS_LOG=false "$bin" serve --demo-if-empty --listen 127.0.0.1:0 --data-dir "$work/data" \
  >"$work/cartable.out" 2>"$work/cartable.err" &
cartable_pid=$!
cartable_url=""
for _ in $(seq 1 200); do
  cartable_url="$(grep -o 'écoute sur http://127\.0\.0\.1:[0-9]*' "$work/cartable.out" 2>/dev/null | sed 's/^écoute sur //' || true)"
  [[ -n "$cartable_url" ]] && break
  kill -0 "$cartable_pid" 2>/dev/null || { echo "Cartable exited:" >&2; cat "$work/cartable.err" >&2; exit 1; }
  sleep 0.1
done
[[ -n "$cartable_url" ]] || { echo "Cartable did not start within 20 s" >&2; exit 1; }

# Sign in as andre.chamson through the real form (CSRF double submit).
jar="$work/cookies.txt"
form="$(curl -sS --max-time 5 -c "$jar" "$cartable_url/connexion/identifiants?profil=eleve-parent&academie=montpellier")"
csrf="$(grep -o 'name="csrf" value="[^"]*"' <<<"$form" | head -1 | sed 's/.*value="//; s/"$//')"
[[ -n "$csrf" ]] || { echo "no csrf token on the sign-in form" >&2; exit 1; }
code="$(curl -sS --max-time 10 -o /dev/null -w '%{http_code}' -b "$jar" -c "$jar" \
  --data-urlencode "csrf=$csrf" --data-urlencode profil=eleve-parent --data-urlencode academie=montpellier \
  --data-urlencode identifiant=andre.chamson --data-urlencode mot_de_passe=demo-vigan \
  "$cartable_url/connexion/identifiants")"
session="$(awk '$6 == "cartable_session" { print $7 }' "$jar")"
[[ "$code" == 303 && -n "$session" ]] || { echo "sign-in failed (HTTP $code)" >&2; exit 1; }
cookie="Cookie: cartable_session=$session"
# First connection: « J'accepte la charte d'utilisation de l'ENT ».
charter="$(curl -sS --max-time 5 -b "$jar" "$cartable_url/premiere-connexion")"
version="$(grep -o 'name="version" value="[0-9]*"' <<<"$charter" | sed 's/.*value="//; s/"$//')"
csrf="$(grep -o 'name="csrf" value="[^"]*"' <<<"$charter" | head -1 | sed 's/.*value="//; s/"$//')"
code="$(curl -sS --max-time 5 -o /dev/null -w '%{http_code}' -b "$jar" \
  --data-urlencode "csrf=$csrf" --data-urlencode "version=$version" "$cartable_url/premiere-connexion/charte")"
[[ "$code" == 303 ]] || { echo "accepting the charter failed (HTTP $code)" >&2; exit 1; }

# --- Static copies for nginx ---------------------------------------------
mkdir -p "$work/www" "$work/nginx"
fetch() { # name path [header]
  local name="$1" path="$2"; shift 2
  local status
  status="$(curl -sS --max-time 5 -o "$work/www/$name.html" -w '%{http_code}' "$@" "$cartable_url$path")"
  [[ "$status" == 200 ]] || { echo "GET $path answered $status" >&2; exit 1; }
  stat -c %s "$work/www/$name.html"
}
portal_bytes="$(fetch portail /portail/0300027A)"
accueil_bytes="$(fetch accueil /accueil -H "$cookie")"
grep -q 'André CHAMSON' "$work/www/accueil.html" || { echo "the Accueil fetched is not André's" >&2; exit 1; }
chmod 755 "$work" "$work/www"; chmod 644 "$work/www"/*.html

nginx_port="$(free_port)"
sed -e "s|@PREFIX@|$work/nginx|g" -e "s|@PORT@|$nginx_port|g" -e "s|@ROOT@|$work/www|g" \
  "$here/nginx.conf.template" >"$work/nginx/nginx.conf"
"$nginx_bin" -p "$work/nginx" -c "$work/nginx/nginx.conf" 2>"$work/nginx/stderr.log" &
nginx_pid=$!
nginx_url="http://127.0.0.1:$nginx_port"
for _ in $(seq 1 100); do
  curl -s -o /dev/null --max-time 1 "$nginx_url/portail.html" && break
  kill -0 "$nginx_pid" 2>/dev/null || { echo "nginx exited:" >&2; cat "$work/nginx/stderr.log" >&2; exit 1; }
  sleep 0.1
done
for name in portail accueil; do
  got="$(curl -sS --max-time 2 -o /dev/null -w '%{size_download}' "$nginx_url/$name.html")"
  want="$(stat -c %s "$work/www/$name.html")"
  [[ "$got" == "$want" ]] || { echo "nginx serves $got bytes for $name, expected $want" >&2; exit 1; }
done

# --- Runs -----------------------------------------------------------------
to_ms() { # wrk latency ("812.00us", "1.23ms", "1.02s") → milliseconds
  awk -v v="$1" 'BEGIN {
    n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
    if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000
    printf "%.3f", n }'
}
run_wrk() { # label url [header]
  local label="$1" url="$2"; shift 2
  local out="$work/wrk-$label.txt"
  local args=(-t"$threads" -c"$connections" -d"$duration" --latency)
  [[ $# -gt 0 ]] && args+=(-H "$1")
  timeout 60 wrk "${args[@]}" "$url" >"$out"
  local rps p50 p99 errors non2xx
  rps="$(awk '/^Requests\/sec:/ { print $2 }' "$out")"
  p50="$(to_ms "$(awk '$1 == "50%" { print $2 }' "$out")")"
  p99="$(to_ms "$(awk '$1 == "99%" { print $2 }' "$out")")"
  non2xx="$(awk '/Non-2xx or 3xx responses:/ { print $NF }' "$out")"
  errors="$(awk '/Socket errors:/ { gsub(/,/, ""); print $4 + $6 + $8 + $10 }' "$out")"
  echo "$rps ${p50} ${p99} ${non2xx:-0} ${errors:-0}"
}

declare -A r
echo "Cartable $cartable_url, nginx $nginx_url; wrk -t$threads -c$connections -d$duration --latency" >&2
echo "warming up…" >&2
wrk -t1 -c4 -d1s "$cartable_url/portail/0300027A" >/dev/null
wrk -t1 -c4 -d1s -H "$cookie" "$cartable_url/accueil" >/dev/null
wrk -t1 -c4 -d1s "$nginx_url/portail.html" >/dev/null
for spec in "portal cartable $cartable_url/portail/0300027A" "portal nginx $nginx_url/portail.html" \
            "accueil cartable $cartable_url/accueil" "accueil nginx $nginx_url/accueil.html"; do
  read -r page server url <<<"$spec"
  echo "running $page on $server…" >&2
  if [[ "$page" == accueil && "$server" == cartable ]]; then
    r[$page.$server]="$(run_wrk "$page-$server" "$url" "$cookie")"
  else
    r[$page.$server]="$(run_wrk "$page-$server" "$url")"
  fi
done

# Is the session still valid after the runs (the Accueil run measured pages, not redirects)?
after_code="$(curl -s -o /dev/null -w '%{http_code}' -H "$cookie" "$cartable_url/accueil")"

status_file="/proc/$cartable_pid/status"
vmrss_kb="$(awk '/^VmRSS:/ { print $2 }' "$status_file")"
vmhwm_kb="$(awk '/^VmHWM:/ { print $2 }' "$status_file")"

# --- Report -----------------------------------------------------------------
mkdir -p "$results_dir"
node - "$results_dir/latest.json" "$portal_bytes" "$accueil_bytes" "$vmrss_kb" "$vmhwm_kb" "$duration" "$connections" "$after_code" \
  "${r[portal.cartable]}" "${r[portal.nginx]}" "${r[accueil.cartable]}" "${r[accueil.nginx]}" <<'NODE'
const [file, portalBytes, accueilBytes, rssKb, hwmKb, duration, connections, afterCode, ...runs] = process.argv.slice(2);
const parse = (s) => { const [rps, p50, p99, non2xx, errors] = s.split(' ').map(Number); return { rps, p50_ms: p50, p99_ms: p99, non2xx, socket_errors: errors }; };
const [pc, pn, ac, an] = runs.map(parse);
const aims = { portal_ratio_percent: 50, accueil_ratio_percent: 25, p99_ms: 10, rss_mb: 60 };
const page = (name, bytes, cartable, nginx, aim) => ({
  name, bytes: Number(bytes), cartable, nginx,
  ratio_percent: Math.round((cartable.rps / nginx.rps) * 1000) / 10,
  aim_ratio_percent: aim,
});
const result = {
  date: new Date().toISOString(),
  tool: `wrk -t2 -c${connections} -d${duration} --latency`,
  machine: { cores: require('os').cpus().length },
  pages: {
    portal: page('GET /portail/0300027A', portalBytes, pc, pn, aims.portal_ratio_percent),
    accueil: page('GET /accueil (signed in)', accueilBytes, ac, an, aims.accueil_ratio_percent),
  },
  accueil_session_valid_after_runs: afterCode === '200',
  cartable_memory: { vmrss_mb: Math.round(Number(rssKb) / 102.4) / 10, vmhwm_mb: Math.round(Number(hwmKb) / 102.4) / 10 },
  aims,
};
const ok = (b) => (b ? 'ok' : 'MISSED');
const checks = {
  portal_ratio: result.pages.portal.ratio_percent >= aims.portal_ratio_percent,
  accueil_ratio: result.pages.accueil.ratio_percent >= aims.accueil_ratio_percent,
  p99: pc.p99_ms < aims.p99_ms && ac.p99_ms < aims.p99_ms,
  rss: result.cartable_memory.vmrss_mb < aims.rss_mb,
  no_errors: [pc, ac].every((x) => x.non2xx === 0 && x.socket_errors === 0) && result.accueil_session_valid_after_runs,
};
result.aims_met = checks;
require('fs').writeFileSync(file, JSON.stringify(result, null, 2) + '\n');

const pad = (s, n) => String(s).padEnd(n);
const lpad = (s, n) => String(s).padStart(n);
const line = (cols) => pad(cols[0], 28) + cols.slice(1).map((c) => lpad(c, 12)).join('');
console.log(line(['page / server', 'bytes', 'req/s', 'p50 ms', 'p99 ms', 'non-2xx', 'errors']));
for (const [key, p] of Object.entries(result.pages)) {
  for (const server of ['cartable', 'nginx']) {
    const x = p[server];
    console.log(line([`${key} / ${server}`, p.bytes, x.rps.toFixed(0), x.p50_ms.toFixed(2), x.p99_ms.toFixed(2), x.non2xx, x.socket_errors]));
  }
  console.log(`  ${key}: cartable = ${p.ratio_percent} % of nginx (aim ≥ ${p.aim_ratio_percent} %) ${ok(p.ratio_percent >= p.aim_ratio_percent)}`);
}
console.log(`p99 (cartable) < ${aims.p99_ms} ms: ${ok(checks.p99)}`);
console.log(`Cartable memory after the runs: VmRSS ${result.cartable_memory.vmrss_mb} MB, VmHWM ${result.cartable_memory.vmhwm_mb} MB (aim VmRSS < ${aims.rss_mb} MB) ${ok(checks.rss)}`);
console.log(`no error responses, session still valid: ${ok(checks.no_errors)}`);
console.log(`JSON: ${file}`);
NODE
