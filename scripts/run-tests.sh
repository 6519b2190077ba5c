#!/usr/bin/env bash
# Runs the whole suite: every non-browser test on SQLite, again on PostgreSQL when a
# server answers (or DATABASE_URL names one), and the browser tests once.
set -euo pipefail
cd "$(dirname "$0")/.."
UV=${UV:-$(command -v uv || echo "$HOME/.local/bin/uv")}
export MAPPA_TESTING=true
PG_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}
WORKERS=${PYTEST_WORKERS:-2}

pg_available() {
  "$UV" run --frozen python - "$PG_URL" <<'PY'
import sys
import psycopg
try:
    psycopg.connect(sys.argv[1].replace("postgres://", "postgresql://", 1), connect_timeout=3).close()
except Exception:
    sys.exit(1)
PY
}

echo "== Unit, integration and API tests on SQLite"
env -u DATABASE_URL "$UV" run --frozen pytest -m "not browser and not postgres_only" -n "$WORKERS" -q

if pg_available; then
  echo "== Unit, integration and API tests on PostgreSQL"
  DATABASE_URL="$PG_URL" "$UV" run --frozen pytest -m "not browser" -n "$WORKERS" -q
  echo "== Browser tests on PostgreSQL"
  DATABASE_URL="$PG_URL" "$UV" run --frozen pytest -m browser -q
else
  if [ "${CI:-}" = "true" ]; then
    echo "PostgreSQL is not answering at $PG_URL: CI needs it" >&2
    exit 1
  fi
  echo "PostgreSQL is not answering: browser tests run on SQLite instead"
  env -u DATABASE_URL "$UV" run --frozen pytest -m browser -q
fi
