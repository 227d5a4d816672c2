#!/usr/bin/env bash
# The project's test command: install what the suite needs, then run it on SQLite and
# PostgreSQL (CCHC_TEST_DATABASE_URL, default the local server) and in real Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."

python -m pip install --quiet --disable-pip-version-check -e ".[test]"

# Whoosh distributions all install the same `whoosh` package: exactly one may be present.
whooshes=$(python -m pip list --format=freeze 2>/dev/null | grep -ciE '^(whoosh|whoosh-reloaded|whoosh-ng|whoosh-novo)==' || true)
if [ "$whooshes" != "0" ]; then
  echo "Another Whoosh distribution is installed beside whoosh3; remove it." >&2
  python -m pip list 2>/dev/null | grep -i whoosh >&2
  exit 1
fi

# Debian's Chromium for the browser tests (never a downloaded browser build).
chromium="${CCHC_CHROMIUM:-/usr/bin/chromium}"
if [ ! -x "$chromium" ]; then
  if [ "$(id -u)" = "0" ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  fi
fi

python -m ruff check cchc_learn tests benchmarks scripts migrations/env.py
exec python -m pytest "$@"
