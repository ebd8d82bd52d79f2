#!/usr/bin/env bash
# The lesson book's pages with a school year of data for 30 classes (issue
# #7): a student's week view and a guardian's Accueil, p50/p99 at 64
# connections with wrk against the real server, next to nginx serving a
# static file of the same size. On SQLite, then on a PostgreSQL it starts.
#   bench/lesson_book.sh   (env: CARTABLE_BIN, BENCH_DURATION=10s, BENCH_CONNECTIONS=64, BENCH_ENGINES="sqlite postgresql")
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
bin="${CARTABLE_BIN:-$root/build/release/app/cartable}"
duration="${BENCH_DURATION:-10s}"
connections="${BENCH_CONNECTIONS:-64}"
engines="${BENCH_ENGINES:-sqlite postgresql}"
nginx_bin="${NGINX_BIN:-/usr/sbin/nginx}"
week_path="${BENCH_WEEK_PATH:-/cahier-de-textes/semaine}"
for tool in wrk curl node python3 "$nginx_bin"; do
  command -v "$tool" >/dev/null || { echo "missing tool: $tool" >&2; exit 2; }
done
[[ -x "$bin" ]] || { echo "Cartable binary not found: $bin (build the release preset first)" >&2; exit 2; }

work="$(mktemp -d /tmp/cartable-lesson-book-bench.XXXXXX)"
cartable_pid="" nginx_pid="" pg_dir=""
stop_servers() {
  [[ -n "$cartable_pid" ]] && kill "$cartable_pid" 2>/dev/null && wait "$cartable_pid" 2>/dev/null || true
  [[ -n "$nginx_pid" ]] && kill "$nginx_pid" 2>/dev/null && wait "$nginx_pid" 2>/dev/null || true
  cartable_pid="" nginx_pid=""
}
cleanup() {
  local status=$?
  stop_servers
  [[ -n "$pg_dir" ]] && "$root/tools/postgres.sh" stop "$pg_dir" >/dev/null 2>&1 || true
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
  node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}
today_day=$(( $(date +%s) / 86400 ))
python3 "$here/lesson_book/seed.py" "$today_day" >"$work/seed.sql"

to_ms() { # wrk latency ("812.00us", "1.23ms", "1.02s") → milliseconds
  awk -v v="$1" 'BEGIN { n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
    if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000
    printf "%.2f", n }'
}
run_wrk() { # url [header] → "req/s p50 p99 non2xx"
  local url="$1"; shift
  local args=(-t2 -c"$connections" -d"$duration" --latency)
  [[ $# -gt 0 ]] && args+=(-H "$1")
  local out
  out="$(timeout 60 wrk "${args[@]}" "$url")"
  local non2xx
  non2xx="$(awk '/Non-2xx or 3xx responses:/ { print $NF }' <<<"$out")"
  echo "$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' <<<"$out") $(to_ms "$(awk '$1 == "50%" { print $2 }' <<<"$out")") $(to_ms "$(awk '$1 == "99%" { print $2 }' <<<"$out")") ${non2xx:-0}"
}

# Signs a person in through the real form and accepts the charter; prints the cookie header.
sign_in() { # url login
  local url="$1" login="$2" jar="$work/jar-$2"
  rm -f "$jar"
  local form csrf code session charter version
  form="$(curl -sS --max-time 5 -c "$jar" "$url/connexion/identifiants?profil=eleve-parent&academie=montpellier")"
  csrf="$(grep -o 'name="csrf" value="[^"]*"' <<<"$form" | head -1 | sed 's/.*value="//; s/"$//')"
  code="$(curl -sS --max-time 10 -o /dev/null -w '%{http_code}' -b "$jar" -c "$jar" \
    --data-urlencode "csrf=$csrf" --data-urlencode profil=eleve-parent --data-urlencode academie=montpellier \
    --data-urlencode "identifiant=$login" --data-urlencode mot_de_passe=demo-vigan "$url/connexion/identifiants")"
  session="$(awk '$6 == "cartable_session" { print $7 }' "$jar")"
  [[ "$code" == 303 && -n "$session" ]] || { echo "sign-in of $login failed (HTTP $code)" >&2; exit 1; }
  charter="$(curl -sS --max-time 5 -b "$jar" "$url/premiere-connexion")"
  version="$(grep -o 'name="version" value="[0-9]*"' <<<"$charter" | sed 's/.*value="//; s/"$//' || true)"
  if [[ -n "$version" ]]; then
    csrf="$(grep -o 'name="csrf" value="[^"]*"' <<<"$charter" | head -1 | sed 's/.*value="//; s/"$//')"
    curl -sS --max-time 5 -o /dev/null -b "$jar" --data-urlencode "csrf=$csrf" --data-urlencode "version=$version" \
      "$url/premiere-connexion/charte"
  fi
  echo "Cookie: cartable_session=$session"
}

results=()
for engine in $engines; do
  data="$work/data-$engine"
  mkdir -p "$data"
  database_args=()
  if [[ "$engine" == postgresql ]]; then
    out="$("$root/tools/postgres.sh" start)"
    pg_dir="$(sed -n 1p <<<"$out")"
    pg_url="$(sed -n 2p <<<"$out")"
    database_args=(--database "$pg_url")
  fi
  "$bin" demo --data-dir "$data" "${database_args[@]}" >/dev/null 2>&1
  echo "== $engine: loading a year of lesson book for 30 classes…" >&2
  if [[ "$engine" == postgresql ]]; then
    psql -q -v ON_ERROR_STOP=1 "$pg_url" -f "$work/seed.sql" >/dev/null
    psql -q "$pg_url" -c "ANALYZE" >/dev/null
  else
    python3 -c "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.isolation_level = None; c.executescript(open(sys.argv[2]).read()); c.execute('ANALYZE')" \
      "$data/cartable.sqlite3" "$work/seed.sql"
  fi
  CARTABLE_ACCESS_LOG=false "$bin" serve --listen 127.0.0.1:0 --data-dir "$data" "${database_args[@]}" \
    >"$work/cartable.out" 2>"$work/cartable.err" &
  cartable_pid=$!
  url=""
  for _ in $(seq 1 200); do
    url="$(grep -o 'écoute sur http://127\.0\.0\.1:[0-9]*' "$work/cartable.out" 2>/dev/null | sed 's/^écoute sur //' || true)"
    [[ -n "$url" ]] && break
    kill -0 "$cartable_pid" 2>/dev/null || { echo "Cartable exited:" >&2; cat "$work/cartable.err" >&2; exit 1; }
    sleep 0.1
  done
  [[ -n "$url" ]] || { echo "Cartable did not start" >&2; exit 1; }
  student="$(sign_in "$url" louis.chamson)"
  guardian="$(sign_in "$url" andre.chamson)"

  www="$work/www-$engine"
  mkdir -p "$www" "$work/nginx-$engine"
  fetch() { # name path header
    local status
    status="$(curl -sS --max-time 5 -o "$www/$1.html" -w '%{http_code}' -H "$3" "$url$2")"
    [[ "$status" == 200 ]] || { echo "GET $2 answered $status" >&2; exit 1; }
    stat -c %s "$www/$1.html"
  }
  week_bytes="$(fetch semaine "$week_path" "$student")"
  accueil_bytes="$(fetch accueil /accueil "$guardian")"
  grep -q 'Travail à faire' "$www/accueil.html" || { echo "the Accueil has no « Travail à faire »" >&2; exit 1; }
  chmod 755 "$work" "$www"; chmod 644 "$www"/*.html
  port="$(free_port)"
  sed -e "s|@PREFIX@|$work/nginx-$engine|g" -e "s|@PORT@|$port|g" -e "s|@ROOT@|$www|g" \
    "$here/nginx.conf.template" >"$work/nginx-$engine/nginx.conf"
  "$nginx_bin" -p "$work/nginx-$engine" -c "$work/nginx-$engine/nginx.conf" 2>"$work/nginx-$engine/stderr.log" &
  nginx_pid=$!
  nginx_url="http://127.0.0.1:$port"
  for _ in $(seq 1 100); do
    curl -s -o /dev/null --max-time 1 "$nginx_url/semaine.html" && break
    sleep 0.1
  done
  wrk -t1 -c4 -d1s -H "$student" "$url$week_path" >/dev/null
  wrk -t1 -c4 -d1s -H "$guardian" "$url/accueil" >/dev/null
  line_of() { # label bytes cartable nginx
    read -r rps p50 p99 non2xx <<<"$3"
    read -r nrps np50 np99 _ <<<"$4"
    printf '%-12s %-34s %7s B  %6s req/s  p50 %6s ms  p99 %6s ms  (nginx %6s req/s, p99 %5s ms; %s %% of nginx)  non-2xx %s\n' \
      "$engine" "$1" "$2" "$rps" "$p50" "$p99" "$nrps" "$np99" "$(awk -v a="$rps" -v b="$nrps" 'BEGIN { printf "%.1f", 100 * a / b }')" "$non2xx"
  }
  echo "== $engine: wrk -t2 -c$connections -d$duration" >&2
  week_run="$(run_wrk "$url$week_path" "$student")"
  week_nginx="$(run_wrk "$nginx_url/semaine.html")"
  accueil_run="$(run_wrk "$url/accueil" "$guardian")"
  accueil_nginx="$(run_wrk "$nginx_url/accueil.html")"
  rss="$(awk '/^VmRSS:/ { printf "%.1f", $2 / 1024 }' "/proc/$cartable_pid/status")"
  results+=("$(line_of "student's week ($week_path)" "$week_bytes" "$week_run" "$week_nginx")")
  results+=("$(line_of "guardian's Accueil (/accueil)" "$accueil_bytes" "$accueil_run" "$accueil_nginx")")
  results+=("$(printf '%-12s server RSS after the runs: %s MB' "$engine" "$rss")")
  stop_servers
  if [[ -n "$pg_dir" ]]; then "$root/tools/postgres.sh" stop "$pg_dir" >/dev/null; pg_dir=""; fi
done
printf '%s\n' "${results[@]}"
echo "aim: p99 < 10 ms"
