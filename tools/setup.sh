#!/usr/bin/env bash
# Installs what Cartable needs on Debian 12 (only what is missing), the npm
# packages of the browser tests, and builds the release binary.
#   tools/setup.sh            packages + npm + release build
#   tools/setup.sh --packages packages only
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(
    cmake ninja-build ccache mold pkg-config g++ clang clang-format clang-tidy libclang-rt-14-dev
    libboost1.81-dev libboost-url1.81-dev libboost-json1.81-dev
    libsoci-dev libsqlite3-dev libpq-dev postgresql-15
    libsodium-dev libtomlplusplus-dev libmd4c-dev libmd4c-html0-dev libqrencode-dev libicu-dev libxml2-dev libzip-dev libcurl4-openssl-dev
    libgumbo-dev
    libgtest-dev libgmock-dev
    wrk nginx-light chromium curl ca-certificates tzdata python3-aiosmtpd
    libvips-dev
)
PACKAGES+=(python3-icalendar) # tests/http/agenda_ics.test.mjs parses the class spaces' agenda feed
PACKAGES+=(libpango1.0-dev libcairo2-dev fonts-dejavu-core poppler-utils sqlite3) # the lesson book's PDF (Pango + Cairo), pdftotext in its tests; sqlite3 for its browser fixture
command -v node >/dev/null 2>&1 || PACKAGES+=(nodejs)
command -v npm >/dev/null 2>&1 || PACKAGES+=(npm)

missing=()
for package in "${PACKAGES[@]}"; do
    status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
    [[ "$status" == "install ok installed" ]] || missing+=("$package")
done
if ((${#missing[@]})); then
    echo "==> Installation des paquets Debian manquants : ${missing[*]}"
    SUDO=""
    [[ $(id -u) -eq 0 ]] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
[[ "${1:-}" == "--packages" ]] && exit 0

if [[ ! -d tests/node_modules ]] || [[ tests/package-lock.json -nt tests/node_modules ]]; then
    echo "==> Paquets npm des tests navigateur"
    (cd tests && npm ci --no-audit --no-fund --loglevel=error)
    touch tests/node_modules
fi

export CCACHE_SLOPPINESS=pch_defines,time_macros
echo "==> Compilation (build/release)"
[[ -f build/release/build.ninja ]] || cmake --preset release >/dev/null
cmake --build build/release -j "$(nproc)"
