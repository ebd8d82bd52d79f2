#!/usr/bin/env bash
# The two commands of the README.
#   ./dev.sh run    installs what is missing, builds, loads the demo school on
#                   an empty data directory and serves http://localhost:8080
#   ./dev.sh test   the same set-up, then every test: format and lint checks, unit tests
#                   (also under ASan+UBSan), store and route tests on SQLite and
#                   on a PostgreSQL it starts, HTTP and browser tests, a fuzz run
set -euo pipefail
cd "$(dirname "$0")"
export CCACHE_SLOPPINESS=pch_defines,time_macros

run() {
    tools/setup.sh
    exec build/release/app/cartable serve --demo-if-empty --listen "${CARTABLE_LISTEN:-127.0.0.1:8080}" "$@"
}

passed=0
failed=0
failed_steps=()

# Adds a step's counts; a step whose runner exits non-zero counts as failed.
step() {
    local name=$1
    shift
    echo
    echo "==> $name"
    if "$@"; then
        return 0
    fi
    failed_steps+=("$name")
    return 0
}

count_ctest() {
    local log=$1
    local line
    line=$(grep -E 'tests passed, [0-9]+ tests? failed out of [0-9]+' "$log" | tail -1 || true)
    if [[ -n "$line" ]]; then
        local failures total
        failures=$(sed -E 's/.*passed, ([0-9]+) tests? failed.*/\1/' <<<"$line")
        total=$(sed -E 's/.*out of ([0-9]+).*/\1/' <<<"$line")
        passed=$((passed + total - failures))
        failed=$((failed + failures))
    fi
}

ctest_step() {
    local directory=$1
    local log
    log=$(mktemp)
    local status=0
    ctest --test-dir "$directory" --output-on-failure -j 2 2>&1 | tee "$log" || status=1
    [[ ${PIPESTATUS[0]} -eq 0 ]] || status=1
    count_ctest "$log"
    rm -f "$log"
    return $status
}

node_step() {
    local log
    log=$(mktemp)
    local status=0
    (cd tests && CARTABLE_BIN="$PWD/../build/release/app/cartable" npm test --silent) 2>&1 | tee "$log" || status=1
    [[ ${PIPESTATUS[0]} -eq 0 ]] || status=1
    local pass fail
    pass=$(grep -E '^# pass [0-9]+' "$log" | tail -1 | awk '{print $3}')
    fail=$(grep -E '^# fail [0-9]+' "$log" | tail -1 | awk '{print $3}')
    passed=$((passed + ${pass:-0}))
    failed=$((failed + ${fail:-0}))
    rm -f "$log"
    return $status
}

test_all() {
    tools/setup.sh

    step "Format (clang-format)" tools/format.sh --check
    step "Static analysis (clang-tidy)" tools/tidy.sh

    step "Unit tests under ASan+UBSan (build/sanitize)" bash -c '
        [[ -f build/sanitize/build.ninja ]] || cmake --preset sanitize >/dev/null
        cmake --build build/sanitize -j "$(nproc)" --target unit_tests'
    step "Unit tests under ASan+UBSan" ctest_step build/sanitize

    local postgresql
    postgresql=$(tools/postgres.sh start)
    POSTGRESQL_DIRECTORY=${postgresql%%$'\n'*}
    export CARTABLE_TEST_POSTGRESQL=${postgresql##*$'\n'}
    trap 'tools/postgres.sh stop "$POSTGRESQL_DIRECTORY"' EXIT
    echo "PostgreSQL de test : $CARTABLE_TEST_POSTGRESQL"

    step "Unit, store and route tests on SQLite and PostgreSQL" ctest_step build/release
    step "HTTP and browser tests against the real binary" node_step
    step "Fuzzing the request parsers (20 s)" tools/fuzz.sh 20

    echo
    if ((${#failed_steps[@]})); then
        echo "Étapes en échec : ${failed_steps[*]}"
        [[ $failed -gt 0 ]] || failed=${#failed_steps[@]}
    fi
    echo "$passed passed, $failed failed"
    [[ ${#failed_steps[@]} -eq 0 ]]
}

case "${1:-}" in
run)
    shift
    run "$@"
    ;;
test)
    test_all
    ;;
*)
    echo "usage: ./dev.sh run | test" >&2
    exit 2
    ;;
esac
