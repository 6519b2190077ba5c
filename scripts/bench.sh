#!/usr/bin/env bash
# `make bench`: a register of 100,000 people with five years of history on PostgreSQL,
# then the search and person page timings, the queries per page, each KPI for a year and
# the annual report, written into docs/benchmarks.md.
#
#   DATABASE_URL     the benchmark database (created if missing; default below)
#   BENCH_NOMINALS   people on the register (default 100000)
#   BENCH_NAMES      misspelt names searched for (default 60, at least 50)
#   BENCH_PAGES      person pages fetched (default 120, at least 100)
#   BENCH_YEARS      years of meetings, minutes, actions and outcomes (default 5)
#   BENCH_RUNS       runs of each KPI and of the annual report (default 7)
#   BENCH_EXPLAIN=1  EXPLAIN ANALYZE the slowest SQL of every KPI (always for one over 2 s)
#   BENCH_REINDEX=1  rebuild the search index first (after the index's design changed)
set -euo pipefail
cd "$(dirname "$0")/.."
UV=${UV:-$(command -v uv || echo "$HOME/.local/bin/uv")}
export DATABASE_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/mappa_bench}
export DJANGO_SETTINGS_MODULE=config.settings
# Production-like settings (no debug), without needing a secret key; MAPPA_TESTING
# only swaps the password hasher and relaxes the HTTPS-only cookies the test client
# cannot send. Neither is on the measured paths.
export DJANGO_DEBUG=false
export MAPPA_TESTING=true
NOMINALS=${BENCH_NOMINALS:-100000}
NAMES=${BENCH_NAMES:-60}
PAGES=${BENCH_PAGES:-120}
YEARS=${BENCH_YEARS:-5}
RUNS=${BENCH_RUNS:-7}
EXPLAIN=()
if [ "${BENCH_EXPLAIN:-}" = "1" ]; then EXPLAIN=(--explain); fi
RUN="$UV run --frozen python"

case "$DATABASE_URL" in
  postgres://*|postgresql://*) ;;
  *) echo "The benchmark runs on PostgreSQL: DATABASE_URL must be postgres://..." >&2; exit 1 ;;
esac
SHOWN_URL=$(printf '%s' "$DATABASE_URL" | sed -E 's#//([^:@/]+):[^@]*@#//\1:***@#')

echo "== Database $SHOWN_URL"
$RUN bench/ensure_db.py "$DATABASE_URL"
$RUN manage.py migrate --no-input -v 0
echo "== Demo area (agencies, accounts, 150 people)"
DEMO_OUTPUT=$($RUN manage.py load_demo_area)
printf '%s\n' "${DEMO_OUTPUT%%$'\n'*}"
echo "== Register of $NOMINALS people with $YEARS years of history"
# A rerun finds the register full and every bulk-loaded case with its history: no change.
$RUN manage.py seed_scale --nominals "$NOMINALS" --top-up --years "$YEARS"
if [ "${BENCH_REINDEX:-}" = "1" ]; then
  # After a change to the search index's tables or keys: rebuild it for everyone.
  echo "== Rebuilding the search index"
  $RUN manage.py shell -c "from mappa.search.services import rebuild_index; print(rebuild_index(), 'rows')"
fi
echo "== Measuring"
$RUN bench/run.py --names "$NAMES" --pages "$PAGES" --oversight-runs "$RUNS" "${EXPLAIN[@]}" \
  --command "make bench (scripts/bench.sh: DATABASE_URL=$SHOWN_URL BENCH_NOMINALS=$NOMINALS BENCH_YEARS=$YEARS BENCH_NAMES=$NAMES BENCH_PAGES=$PAGES BENCH_RUNS=$RUNS)"
