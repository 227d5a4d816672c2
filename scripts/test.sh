#!/usr/bin/env bash
# The project's test command: install exactly the versions in constraints.txt into a virtual
# environment of the checkout's own, then run the suite on SQLite and PostgreSQL
# (CCHC_TEST_DATABASE_URL, default the local server) and in real Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."

# The suite never runs on the machine's site-packages: .venv (or CCHC_VENV) holds what it
# tests, and under CI it is made anew, so a missing or drifting dependency fails here first.
venv="${CCHC_VENV:-.venv}"
if [ -n "${CI:-}" ] && [ -d "$venv" ]; then
  rm -rf "$venv"
fi
if [ ! -x "$venv/bin/python" ]; then
  python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' || {
    echo "Python 3.11 or newer is needed as python3 (found $(python3 --version 2>&1))." >&2
    exit 1
  }
  python3 -m venv "$venv"
fi
export VIRTUAL_ENV="$PWD/$venv"
export PATH="$VIRTUAL_ENV/bin:$PATH"
python="$VIRTUAL_ENV/bin/python"

# Exactly what passed here: constraints.txt pins every package the app and its tests install
# (see "Updating dependencies" in README.md).
"$python" -m pip install --quiet --disable-pip-version-check -c constraints.txt -e ".[test]"

# Whoosh distributions all install the same `whoosh` package: exactly one may be present.
whooshes=$("$python" -m pip list --format=freeze 2>/dev/null | grep -ciE '^(whoosh|whoosh-reloaded|whoosh-ng|whoosh-novo)==' || true)
if [ "$whooshes" != "0" ]; then
  echo "Another Whoosh distribution is installed beside whoosh3; remove it." >&2
  "$python" -m pip list 2>/dev/null | grep -i whoosh >&2
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

"$python" -m ruff check cchc_learn tests benchmarks scripts migrations/env.py
# Two worker processes (pytest-xdist; each has its own databases, ports and index folders):
# the suite takes about a third of its serial time. CCHC_TEST_WORKERS=0 runs it in one.
exec "$python" -m pytest -n "${CCHC_TEST_WORKERS:-2}" "$@"
