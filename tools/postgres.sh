#!/usr/bin/env bash
# A throw-away PostgreSQL 15 server for the tests, on 127.0.0.1 and a free
# port, with its data in a temporary directory.
#   tools/postgres.sh start   prints the directory, then the database URL
#   tools/postgres.sh stop DIR
set -euo pipefail
PGBIN=/usr/lib/postgresql/15/bin

as_owner() {
    # initdb and postgres refuse to run as root: use the postgres account.
    if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "${1:-}" in
start)
    directory=$(mktemp -d /tmp/cartable-postgresql.XXXXXX)
    [[ $(id -u) -eq 0 ]] && chown postgres "$directory"
    port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    as_owner "$PGBIN/initdb" -D "$directory/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >"$directory/initdb.log" 2>&1
    as_owner "$PGBIN/pg_ctl" -D "$directory/data" -l "$directory/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $directory -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
        start >/dev/null
    as_owner "$PGBIN/createdb" -h 127.0.0.1 -p "$port" -U postgres cartable_test
    echo "$directory"
    echo "postgresql://postgres@127.0.0.1:$port/cartable_test"
    ;;
stop)
    directory=${2:?usage: tools/postgres.sh stop DIR}
    as_owner "$PGBIN/pg_ctl" -D "$directory/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$directory"
    ;;
*)
    echo "usage: tools/postgres.sh start | stop DIR" >&2
    exit 2
    ;;
esac
