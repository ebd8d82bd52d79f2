#!/usr/bin/env bash
# The CPE's follow-up table of a note to 600 guardians (20 classes of 30
# students, one legal guardian each, half signed) served by the real
# server, against nginx serving a static copy of the same page; wrk at 64
# connections (p50, p99, req/s). Everything on 127.0.0.1, SQLite.
# Usage: bench/liaison_book_wrk.sh  (env: CARTABLE_BIN, BENCH_DURATION=10s, BENCH_CONNECTIONS=64)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
bin="${CARTABLE_BIN:-$root/build/release/app/cartable}"
duration="${BENCH_DURATION:-10s}"
connections="${BENCH_CONNECTIONS:-64}"
nginx_bin="${NGINX_BIN:-/usr/sbin/nginx}"
for tool in wrk curl node sqlite3 "$nginx_bin"; do
  command -v "$tool" >/dev/null || { echo "missing tool: $tool" >&2; exit 2; }
done

work="$(mktemp -d /tmp/cartable-liaison-bench.XXXXXX)"
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
free_port() {
  node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

mkdir -p "$work/data"
CARTABLE_ACCESS_LOG=false "$bin" serve --demo-if-empty --listen 127.0.0.1:0 --data-dir "$work/data" \
  >"$work/cartable.out" 2>"$work/cartable.err" &
cartable_pid=$!
url=""
for _ in $(seq 1 200); do
  url="$(grep -o 'écoute sur http://127\.0\.0\.1:[0-9]*' "$work/cartable.out" 2>/dev/null | sed 's/^écoute sur //' || true)"
  [[ -n "$url" ]] && break
  sleep 0.1
done
[[ -n "$url" ]] || { echo "Cartable did not start" >&2; exit 1; }

# 600 students and guardians, the CPE's note to them, half signed.
year="$(date +%Y)"; month="$(date +%-m)"
if (( month >= 9 )); then school_year="$year-$((year + 1))"; else school_year="$((year - 1))-$year"; fi
sqlite3 "$work/data/cartable.sqlite3" <<SQL
PRAGMA busy_timeout = 5000;
BEGIN;
CREATE TEMP TABLE n AS WITH RECURSIVE r(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM r WHERE i < 599) SELECT i FROM r;
INSERT INTO identity_class (structure_id, name, kind)
  SELECT DISTINCT u.structure_id, 'BENCH ' || (i / 30 + 1), 'class' FROM n, identity_user u WHERE u.login = 'nathalie.vidal';
INSERT INTO identity_user (login, first_name, last_name, profile, structure_id, created_at)
  SELECT 'bench.eleve.' || i, 'Élève', 'NUMÉRO ' || i, 'student', u.structure_id, 0 FROM n, identity_user u WHERE u.login = 'nathalie.vidal';
INSERT INTO identity_user (login, first_name, last_name, profile, structure_id, created_at)
  SELECT 'bench.parent.' || i, 'Parent', 'NUMÉRO ' || i, 'guardian', u.structure_id, 0 FROM n, identity_user u WHERE u.login = 'nathalie.vidal';
INSERT INTO identity_class_member (class_id, user_id)
  SELECT c.id, s.id FROM n JOIN identity_user s ON s.login = 'bench.eleve.' || i JOIN identity_class c ON c.name = 'BENCH ' || (i / 30 + 1);
INSERT INTO identity_guardian_link (guardian_id, student_id, relationship)
  SELECT g.id, s.id, 'MERE' FROM n JOIN identity_user s ON s.login = 'bench.eleve.' || i JOIN identity_user g ON g.login = 'bench.parent.' || i;
INSERT INTO liaison_note (structure_id, author_id, author_name, school_year, title, body, category, asks_reply, created_at)
  SELECT structure_id, id, 'Nathalie VIDAL', '$school_year', 'Sortie au musée Cévenol du Vigan – autorisation',
    '<p>Merci de signer ce mot avant la sortie.</p>', 'sortie', 1, strftime('%s', 'now') FROM identity_user WHERE login = 'nathalie.vidal';
INSERT INTO liaison_note_student (note_id, student_id, class_name)
  SELECT (SELECT MAX(id) FROM liaison_note), s.id, 'BENCH ' || (i / 30 + 1) FROM n JOIN identity_user s ON s.login = 'bench.eleve.' || i;
INSERT INTO liaison_signature (note_id, student_id, guardian_id, guardian_name, signed_at)
  SELECT (SELECT MAX(id) FROM liaison_note), s.id, g.id, 'Parent NUMÉRO ' || i, strftime('%s', 'now') FROM n
    JOIN identity_user s ON s.login = 'bench.eleve.' || i JOIN identity_user g ON g.login = 'bench.parent.' || i WHERE i % 2 = 0;
COMMIT;
SQL
note="$(sqlite3 "$work/data/cartable.sqlite3" 'SELECT MAX(id) FROM liaison_note')"
path="/carnet-de-liaison/mots/$note/suivi"

# Sign in as the CPE through the real form, accept the charter.
jar="$work/cookies.txt"
form="$(curl -sS -c "$jar" "$url/connexion/identifiants?profil=personnel&academie=montpellier")"
csrf="$(grep -o 'name="csrf" value="[^"]*"' <<<"$form" | head -1 | sed 's/.*value="//; s/"$//')"
code="$(curl -sS -o /dev/null -w '%{http_code}' -b "$jar" -c "$jar" --data-urlencode "csrf=$csrf" \
  --data-urlencode profil=personnel --data-urlencode academie=montpellier \
  --data-urlencode identifiant=nathalie.vidal --data-urlencode mot_de_passe=demo-vigan "$url/connexion/identifiants")"
session="$(awk '$6 == "cartable_session" { print $7 }' "$jar")"
[[ "$code" == 303 && -n "$session" ]] || { echo "sign-in failed (HTTP $code)" >&2; exit 1; }
cookie="Cookie: cartable_session=$session"
charter="$(curl -sS -b "$jar" "$url/premiere-connexion")"
version="$(grep -o 'name="version" value="[0-9]*"' <<<"$charter" | sed 's/.*value="//; s/"$//')"
csrf="$(grep -o 'name="csrf" value="[^"]*"' <<<"$charter" | head -1 | sed 's/.*value="//; s/"$//')"
curl -sS -o /dev/null -b "$jar" --data-urlencode "csrf=$csrf" --data-urlencode "version=$version" "$url/premiere-connexion/charte"

mkdir -p "$work/www" "$work/nginx"
status="$(curl -sS -o "$work/www/suivi.html" -w '%{http_code}' -H "$cookie" "$url$path")"
[[ "$status" == 200 ]] || { echo "GET $path answered $status" >&2; exit 1; }
grep -q '300 signatures sur 600' "$work/www/suivi.html" || { echo "the table fetched is not the bench's" >&2; exit 1; }
chmod 755 "$work" "$work/www"; chmod 644 "$work/www/suivi.html"
port="$(free_port)"
sed -e "s|@PREFIX@|$work/nginx|g" -e "s|@PORT@|$port|g" -e "s|@ROOT@|$work/www|g" "$here/nginx.conf.template" >"$work/nginx/nginx.conf"
"$nginx_bin" -p "$work/nginx" -c "$work/nginx/nginx.conf" 2>"$work/nginx/stderr.log" &
nginx_pid=$!
for _ in $(seq 1 100); do curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$port/suivi.html" && break; sleep 0.1; done

report() { # label wrk-output
  awk -v label="$1" '/^Requests\/sec:/ { rps = $2 } $1 == "50%" { p50 = $2 } $1 == "99%" { p99 = $2 }
    /Non-2xx/ { bad = $NF } END { printf "%-34s req/s %9s  p50 %9s  p99 %9s  non-2xx %s\n", label, rps, p50, p99, bad + 0 }' "$2"
}
echo "$(stat -c %s "$work/www/suivi.html") bytes; wrk -t2 -c$connections -d$duration --latency; $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
wrk -t1 -c4 -d1s -H "$cookie" "$url$path" >/dev/null
timeout 60 wrk -t2 -c"$connections" -d"$duration" --latency -H "$cookie" "$url$path" >"$work/cartable.txt"
report "follow-up table / cartable" "$work/cartable.txt"
timeout 60 wrk -t2 -c"$connections" -d"$duration" --latency "http://127.0.0.1:$port/suivi.html" >"$work/nginx.txt"
report "same bytes / nginx" "$work/nginx.txt"
