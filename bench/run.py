"""The register's benchmark (issue 2, point 10), run by ``scripts/bench.sh`` (``make bench``).

Measures, on the database in DATABASE_URL (PostgreSQL for the real figures):

- name search: ``search_register`` as the co-ordinator, for a fixed list of misspelt
  names drawn from the people on the register (same seed, same register: same list);
- identifier search: the same people's PNC IDs typed in the short form (``12/1H``);
- the person page: ``GET /register/<id>/`` through Django's test client, signed in as
  the co-ordinator, over different people (the page writes its audit row, as in use);
- SQL queries per person page for a person with few and with many aliases, addresses
  and convictions (both created for the measurement and rolled back);
- oversight (issue 6, point 8), on the register's five years of history: each KPI of
  the profile for the last twelve months (``compute_kpi``) and the annual report of the
  last full year (``annual_report``), several runs each (median and p95), with the
  slowest SQL statement of each (``--explain`` adds its EXPLAIN ANALYZE).

Results are printed and written into docs/benchmarks.md between the markers, so a
rerun replaces the previous figures.
"""

import argparse
import datetime as dt
import os
import platform
import random
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
START_MARKER = "<!-- bench:start -->"
END_MARKER = "<!-- bench:end -->"
TARGETS_MS = {"name": 50.0, "page": 100.0, "oversight": 2000.0}


@dataclass
class Series:
    label: str
    samples_ms: list[float] = field(default_factory=list)
    # CPU time of this process: what the application itself spent, whatever the load.
    cpu_ms: list[float] = field(default_factory=list)

    def add(self, sample: tuple[float, float]) -> None:
        self.samples_ms.append(sample[0])
        self.cpu_ms.append(sample[1])

    @property
    def cpu_p50(self) -> float:
        return statistics.median(self.cpu_ms)

    @property
    def cpu_p95(self) -> float:
        data = sorted(self.cpu_ms)
        return statistics.quantiles(data, n=100, method="inclusive")[94]

    def percentile(self, p: int) -> float:
        data = sorted(self.samples_ms)
        if len(data) == 1:
            return data[0]
        return statistics.quantiles(data, n=100, method="inclusive")[p - 1]

    @property
    def p50(self) -> float:
        return statistics.median(self.samples_ms)

    @property
    def p95(self) -> float:
        return self.percentile(95)

    @property
    def worst(self) -> float:
        return max(self.samples_ms)


@dataclass
class Report:
    started: dt.datetime
    machine: dict[str, str]
    load_before: str
    register: dict[str, int]
    name: Series
    identifier: Series
    page: Series
    name_hits: dict[str, int]
    identifier_hits: int
    queries: dict[str, Any]
    examples: list[tuple[str, str]]
    command: str
    oversight: list["OversightFigure"] = field(default_factory=list)
    history: dict[str, int] = field(default_factory=dict)
    period: str = ""


@dataclass
class OversightFigure:
    label: str
    series: Series
    figures: str  # what it computed ("412 / 450, missed"), to show it did real work
    slowest_sql_ms: float = 0.0
    slowest_sql: str = ""
    plan: str = ""
    run: Callable[[], Any] | None = None


def _setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def _timed(run: Callable[..., Any], *args: Any, **kwargs: Any) -> tuple[tuple[float, float], Any]:
    """(wall-clock ms, CPU ms of this process) and the value."""
    started, cpu = time.perf_counter(), time.process_time()
    value = run(*args, **kwargs)
    return ((time.perf_counter() - started) * 1000, (time.process_time() - cpu) * 1000), value


def _machine() -> dict[str, str]:
    from django.db import connection

    cpu = "unknown"
    memory = "unknown"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        for line in meminfo.read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            database = f"PostgreSQL {cursor.fetchone()[0]}"
        else:
            cursor.execute("SELECT sqlite_version()")
            database = f"SQLite {cursor.fetchone()[0]}"
    import django

    # nproc: the CPUs this process may run on.
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {
        "nproc": str(cpus),
        "cpu": cpu,
        "memory": memory,
        "database": database,
        "python": platform.python_version(),
        "django": django.get_version(),
        "os": platform.platform(),
        # Other work on the machine slows every figure: the 1-minute load average.
        "load": f"{os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else "unknown",
    }


def _sample_people(count: int, rng: random.Random) -> list[Any]:
    """Active people spread over the register, chosen by reference from the seed."""
    from mappa.register.models import IdentifierKind, Nominal

    references = list(
        Nominal.objects.filter(status="active", identifiers__kind=IdentifierKind.PNC)
        .order_by("reference")
        .values_list("reference", flat=True)
    )
    chosen = sorted(rng.sample(references, k=min(count, len(references))))
    people = Nominal.objects.filter(reference__in=chosen).prefetch_related("identifiers")
    return sorted(people, key=lambda n: n.reference)


def _misspelt(rng: random.Random, person: Any, n: int) -> str:
    from mappa.register.management.fake import misspell

    given = person.given_names.split()[0]
    family = person.family_name
    if n % 3 == 0 and len(given) >= 4:
        return f"{misspell(rng, given)} {family}"
    return f"{given} {misspell(rng, family)}"


def _same_name(a: Any, b: Any) -> bool:
    from mappa.search.services import normalise_name

    def key(n: Any) -> tuple[str, str]:
        return normalise_name(n.given_names.split()[0]), normalise_name(n.family_name)

    return key(a) == key(b)


def measure_search(
    user: Any, people: list[Any], rng: random.Random
) -> tuple[Series, dict[str, int], list[tuple[str, str]]]:
    from mappa.search.selectors import search_register

    series = Series("Name search")
    hits = {"top1": 0, "top3": 0, "found": 0, "name_top3": 0, "total": len(people)}
    examples: list[tuple[str, str]] = []
    queries = [(_misspelt(rng, person, n), person) for n, person in enumerate(people)]
    for query, _person in queries[:5]:
        search_register(user=user, query=query)  # warm-up: plans and caches
    for query, person in queries:
        ms, outcome = _timed(search_register, user=user, query=query)
        series.add(ms)
        ids = [r.nominal.pk for r in outcome.results]
        if person.pk in ids:
            hits["found"] += 1
            rank = ids.index(person.pk)
            hits["top1"] += rank == 0
            hits["top3"] += rank < 3
        if any(_same_name(r.nominal, person) for r in outcome.results[:3]):
            hits["name_top3"] += 1
        if len(examples) < 8:
            examples.append((query, person.full_name))
    return series, hits, examples


def measure_identifier(user: Any, people: list[Any]) -> tuple[Series, int]:
    from mappa.register.management.fake import pnc_short_form
    from mappa.search.selectors import search_register

    series = Series("Identifier search")
    hits = 0
    typed = []
    for person in people:
        pnc = next(i.value for i in person.identifiers.all() if i.kind == "pnc")
        typed.append((pnc_short_form(pnc), person))
    for query, _person in typed[:3]:
        search_register(user=user, query=query)
    for query, person in typed:
        ms, outcome = _timed(search_register, user=user, query=query)
        series.add(ms)
        hits += bool(outcome.results) and outcome.results[0].nominal.pk == person.pk
    return series, hits


def _signed_in_client(user: Any) -> Any:
    from django.test import Client

    client = Client()
    client.force_login(user)
    try:
        # With the second factor in place the session must also have given it.
        from mappa.accounts.testing import verify_session
    except ImportError:
        return client
    verify_session(client, user)
    return client


def measure_page(client: Any, people: list[Any]) -> Series:
    series = Series("Person page")
    for person in people[:3]:
        client.get(f"/register/{person.pk}/")
    for person in people:
        ms, response = _timed(client.get, f"/register/{person.pk}/")
        if response.status_code != 200:
            raise SystemExit(f"GET /register/{person.pk}/ answered {response.status_code}, not 200")
        series.add(ms)
    return series


def measure_queries(client: Any, coordinator: Any) -> dict[str, Any]:
    """Queries per person page for a sparse and a full record, created and rolled back."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from mappa.access.models import Agency
    from mappa.register import services
    from mappa.register.models import Address, Alias, Conviction, Sentence, WarningMarker

    outcome: dict[str, Any] = {}
    lead = Agency.objects.get(name="States of Jersey Police")
    with transaction.atomic():
        people = {}
        for label, size in (("few", 0), ("many", 12)):
            person = services.nominal_create(
                actor=coordinator,
                family_name="Benchmark",
                given_names=f"Person {label.title()}",
                date_of_birth=dt.date(1980, 1, 1),
                gender="male",
                category="2",
                level=2,
                lead_agency=lead,
            )
            day = dt.date(2000, 1, 1)
            extras: list[Any] = [Address(kind="current", line_1="1 Test Street", from_date=day)]
            extras.append(Conviction(offence="Robbery", conviction_date=day, is_index_offence=True))
            for n in range(size):
                extras.append(Alias(kind="alias", given_names=f"Alias{n}", family_name="Other"))
                extras.append(
                    Address(kind="previous", line_1=f"{n + 2} Test Street", from_date=day)
                )
                extras.append(Conviction(offence=f"Offence {n}", conviction_date=day))
                if n < 4:
                    extras.append(Sentence(sentence_date=day, description=f"Sentence {n}"))
                    extras.append(WarningMarker(kind="other", recorded_on=day, source="Benchmark"))
            for instance in extras:
                services.attachment_save(actor=coordinator, nominal=person, instance=instance)
            people[label] = (
                person,
                {
                    "aliases": person.aliases.count(),
                    "addresses": person.addresses.count(),
                    "convictions": person.convictions.count(),
                },
            )
        for label, (person, sizes) in people.items():
            client.get(f"/register/{person.pk}/")
            with CaptureQueriesContext(connection) as captured:
                response = client.get(f"/register/{person.pk}/")
            outcome[label] = {"queries": len(captured.captured_queries), **sizes}
            if response.status_code != 200:
                raise SystemExit(f"person page answered {response.status_code}")
        transaction.set_rollback(True)
    outcome["constant"] = outcome["few"]["queries"] == outcome["many"]["queries"]
    return outcome


def _slowest_query(run: Callable[[], Any]) -> tuple[float, str]:
    """Run once with the queries captured: the slowest statement and its time."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        run()
    slowest = max(captured.captured_queries, key=lambda q: float(q["time"]), default=None)
    if slowest is None:
        return 0.0, ""
    return float(slowest["time"]) * 1000, str(slowest["sql"])


def _explain(sql: str) -> str:
    from django.db import connection

    if connection.vendor != "postgresql" or not sql.lstrip().upper().startswith("SELECT"):
        return ""
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())


def _timed_runs(label: str, run: Callable[[], Any], runs: int) -> tuple[Series, Any]:
    series = Series(label)
    value = run()  # warm-up: plans and caches
    for _ in range(runs):
        sample, value = _timed(run)
        series.add(sample)
    return series, value


def measure_oversight(runs: int, explain: bool) -> tuple[list[OversightFigure], str]:
    """Each KPI for the last twelve months and the last full year's annual report."""
    from mappa.annual.report import annual_report
    from mappa.common.dates import today
    from mappa.kpis.engine import compute_kpi
    from mappa.profiles.calendar import add_months
    from mappa.profiles.selectors import current_profile

    end = today()
    start = add_months(end, -12) + dt.timedelta(days=1)
    year = end.year - 1
    out: list[OversightFigure] = []
    for kpi in current_profile(end).kpis:

        def one(kpi_id: str = kpi.id) -> Any:
            return compute_kpi(kpi_id, start=start, end=end)

        series, result = _timed_runs(f"KPI {kpi.id}", one, runs)
        state = "met" if result.met else ("nothing to count" if result.met is None else "missed")
        figures = f"{result.numerator:,} / {result.denominator:,}, {state}"
        if result.seats:
            figures += f", {len(result.seats)} seats or agencies"
        if result.failing:
            figures += f", {len(result.failing):,} failing items"
        out.append(OversightFigure(f'`compute_kpi("{kpi.id}")`', series, figures, run=one))

    def report() -> Any:
        return annual_report(year=year)

    series, value = _timed_runs("Annual report", report, runs)
    tables = getattr(value, "tables", [])
    filled = sum(1 for t in tables if any(v for row in t.rows for v in row.values if v))
    out.append(
        OversightFigure(
            f"`annual_report(year={year})`",
            series,
            f"{len(tables)} tables, {filled} with figures",
            run=report,
        )
    )
    for figure in out:
        if figure.run is None:
            continue
        figure.slowest_sql_ms, figure.slowest_sql = _slowest_query(figure.run)
        if explain or figure.series.p95 >= TARGETS_MS["oversight"]:
            figure.plan = _explain(figure.slowest_sql)
    return out, f"{start:%-d %B %Y} to {end:%-d %B %Y}; annual report {year}"


def _history_size() -> dict[str, int]:
    from mappa.meetings.models import AgendaItem, Attendance, Meeting
    from mappa.minutes.models import Action, Minutes
    from mappa.outcomes.models import OutcomeEvent
    from mappa.register.models import CaseState
    from mappa.smb.models import SmbMeeting

    return {
        "states": CaseState.objects.count(),
        "meetings": Meeting.objects.count(),
        "discussions": AgendaItem.objects.filter(discussed=True).count(),
        "attendance": Attendance.objects.count(),
        "minutes": Minutes.objects.count(),
        "actions": Action.objects.count(),
        "outcomes": OutcomeEvent.objects.count(),
        "smb_meetings": SmbMeeting.objects.count(),
    }


def _register_size() -> dict[str, int]:
    from mappa.register.models import Alias, Identifier, Nominal
    from mappa.search.models import NameEntry

    return {
        "people": Nominal.objects.count(),
        "aliases": Alias.objects.count(),
        "identifiers": Identifier.objects.count(),
        "index_rows": NameEntry.objects.count(),
    }


def _ms(value: float) -> str:
    return f"{value:.1f} ms"


def _cpu(series: Series) -> str:
    return f"{series.cpu_p50:.1f} / {series.cpu_p95:.1f} ms"


def _met(series: Series, key: str) -> str:
    target = TARGETS_MS[key]
    return "yes" if series.p95 < target else f"**no** (p95 {series.p95:.1f} ms)"


def _busy_note(report: Report) -> list[str]:
    """Say so when other work shared the machine: every timing is then inflated."""
    try:
        busiest = max(float(report.load_before), float(report.machine["load"]))
        cpus = int(report.machine["nproc"])
    except ValueError:
        return []
    if busiest <= cpus:
        return []
    return [
        "",
        f"> The machine was busy during this run (load average {busiest:.1f} on {cpus} "
        "CPUs): other processes competed with the application and PostgreSQL, so these "
        "timings are higher than the service's own cost. Rerun `make bench` on a quiet "
        "machine for figures to compare with the targets.",
    ]


def render(report: Report) -> str:
    m = report.machine
    r = report.register
    hits = report.name_hits
    q = report.queries
    lines = [
        START_MARKER,
        "## Latest run",
        "",
        f"- Date: {report.started:%d %B %Y, %H:%M} UTC",
        f"- Machine: {m['nproc']} CPUs (`nproc`), {m['cpu']}, {m['memory']} memory; {m['os']}",
        f"- Load average (1 minute) before and after measuring: {report.load_before} and "
        f"{m['load']}",
        f"- Software: {m['database']}, Python {m['python']}, Django {m['django']}",
        f"- Register: {r['people']:,} people, {r['aliases']:,} aliases, "
        f"{r['identifiers']:,} identifiers, {r['index_rows']:,} rows in the search index",
        f"- Command: `{report.command}`",
        *_busy_note(report),
        "",
        "| Measure | Samples | p50 | p95 | Worst | Target | Met | App CPU p50 / p95 |",
        "| --- | ---: | ---: | ---: | ---: | --- | --- | ---: |",
        f"| Name search, misspelt names (`search_register`, co-ordinator) "
        f"| {len(report.name.samples_ms)} | {_ms(report.name.p50)} | {_ms(report.name.p95)} "
        f"| {_ms(report.name.worst)} | p95 under 50 ms | {_met(report.name, 'name')} "
        f"| {_cpu(report.name)} |",
        f"| Identifier search, PNC ID in short form "
        f"| {len(report.identifier.samples_ms)} | {_ms(report.identifier.p50)} "
        f"| {_ms(report.identifier.p95)} | {_ms(report.identifier.worst)} | none set | – "
        f"| {_cpu(report.identifier)} |",
        f"| Person page, `GET /register/<id>/` (co-ordinator) "
        f"| {len(report.page.samples_ms)} | {_ms(report.page.p50)} | {_ms(report.page.p95)} "
        f"| {_ms(report.page.worst)} | p95 under 100 ms | {_met(report.page, 'page')} "
        f"| {_cpu(report.page)} |",
        "",
        "p50, p95 and worst are wall-clock times as a user would wait. *App CPU* is the CPU "
        "time the application process itself spent (without PostgreSQL's share or time "
        "spent waiting for a CPU): on a busy machine it shows what the request costs.",
        "",
        f"Search quality for the misspelt names: the person searched for was found for "
        f"{hits['found']} of {hits['total']}, first for {hits['top1']} and in the top 3 for "
        f"{hits['top3']}; a person of exactly that name was in the top 3 for "
        f"{hits['name_top3']} (the generated register has many people sharing a name). "
        f"The PNC ID found its person first for {report.identifier_hits} of "
        f"{len(report.identifier.samples_ms)}.",
        "",
        "SQL queries for one person page (including the session, the access check and the "
        "audit row):",
        "",
        "| Record | Aliases | Addresses | Convictions | Queries |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for label in ("few", "many"):
        row = q[label]
        lines.append(
            f"| {label.title()} | {row['aliases']} | {row['addresses']} | {row['convictions']} "
            f"| {row['queries']} |"
        )
    lines += [
        "",
        "Queries per page are "
        + ("constant: target met." if q["constant"] else "**not constant**: target missed."),
        "",
        "Examples of the misspelt names searched for (query → person):",
        "",
        *(f"- {query} → {name}" for query, name in report.examples),
        *_render_oversight(report),
        END_MARKER,
    ]
    return "\n".join(lines)


def _render_oversight(report: Report) -> list[str]:
    if not report.oversight:
        return []
    h = report.history
    lines = [
        "",
        "### KPIs and the annual report (issue 6)",
        "",
        f"History on the register: {h.get('states', 0):,} dated states, "
        f"{h.get('meetings', 0):,} level 2 and 3 meetings, {h.get('discussions', 0):,} case "
        f"discussions, {h.get('attendance', 0):,} attendance records, "
        f"{h.get('minutes', 0):,} minutes, {h.get('actions', 0):,} actions, "
        f"{h.get('outcomes', 0):,} outcome events, {h.get('smb_meetings', 0):,} SMB meetings "
        f"(`seed_scale --years 5`). Period: {report.period}.",
        "",
        "| Measure | Runs | p50 | p95 | Worst | Target | Met | Slowest SQL | Computed |",
        "| --- | ---: | ---: | ---: | ---: | --- | --- | ---: | --- |",
    ]
    for figure in report.oversight:
        s = figure.series
        met = "yes" if s.p95 < TARGETS_MS["oversight"] else f"**no** (p95 {_ms(s.p95)})"
        lines.append(
            f"| {figure.label} | {len(s.samples_ms)} | {_ms(s.p50)} | {_ms(s.p95)} "
            f"| {_ms(s.worst)} | p95 under 2 s | {met} | {_ms(figure.slowest_sql_ms)} "
            f"| {figure.figures} |"
        )
    slow = [f for f in report.oversight if f.plan]
    for figure in slow:
        lines += [
            "",
            f"Slowest statement of {figure.label} ({_ms(figure.slowest_sql_ms)}), "
            "`EXPLAIN (ANALYZE, BUFFERS)`:",
            "",
            "```",
            figure.slowest_sql[:2000],
            "```",
            "",
            "```",
            figure.plan,
            "```",
        ]
    return lines


def write_doc(path: Path, section: str) -> None:
    text = path.read_text() if path.exists() else ""
    if START_MARKER in text and END_MARKER in text:
        before = text.split(START_MARKER, 1)[0]
        after = text.split(END_MARKER, 1)[1]
        text = before + section + after
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    path.write_text(text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--names", type=int, default=60, help="misspelt names to search for")
    parser.add_argument("--pages", type=int, default=120, help="person pages to fetch")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--doc", default=str(ROOT / "docs" / "benchmarks.md"))
    parser.add_argument("--command", default="uv run python bench/run.py")
    parser.add_argument("--no-doc", action="store_true", help="print only")
    parser.add_argument(
        "--oversight-runs", type=int, default=7, help="runs of each KPI and the annual report"
    )
    parser.add_argument(
        "--explain",
        action="store_true",
        help="EXPLAIN ANALYZE every oversight measure's slowest SQL",
    )
    parser.add_argument(
        "--only-oversight", action="store_true", help="measure only the KPIs and annual report"
    )
    args = parser.parse_args(argv)

    _setup_django()
    from mappa.access.models import User

    started = dt.datetime.now(dt.UTC)
    load_before = f"{os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else "unknown"
    coordinator = User.objects.filter(username="coordinator").first()
    if coordinator is None:
        print("No 'coordinator' account: run manage.py load_demo_area first.", file=sys.stderr)
        return 2
    if args.only_oversight:
        # A quick look at the KPIs and the annual report alone: printed, not written.
        oversight, period = measure_oversight(max(1, args.oversight_runs), args.explain)
        partial = Report(
            started=started,
            machine={},
            load_before=load_before,
            register={},
            name=Series(""),
            identifier=Series(""),
            page=Series(""),
            name_hits={},
            identifier_hits=0,
            queries={},
            examples=[],
            command=args.command,
            oversight=oversight,
            history=_history_size(),
            period=period,
        )
        print("\n".join(_render_oversight(partial)))
        return 0
    size = _register_size()
    if size["index_rows"] != size["people"] + size["aliases"]:
        print(
            f"The search index has {size['index_rows']:,} rows for {size['people']:,} people "
            f"and {size['aliases']:,} aliases: rebuild it (BENCH_REINDEX=1 make bench).",
            file=sys.stderr,
        )
        return 2
    # Demo data, not security: a seeded generator gives the same list each run.
    rng = random.Random(args.seed)  # noqa: S311
    people = _sample_people(max(args.names, args.pages), rng)
    if len(people) < 50:
        print("Fewer than 50 people on the register: run seed_scale first.", file=sys.stderr)
        return 2
    name, hits, examples = measure_search(coordinator, people[: args.names], rng)
    identifier, identifier_hits = measure_identifier(coordinator, people[: args.names])
    client = _signed_in_client(coordinator)
    page = measure_page(client, people[: args.pages])
    queries = measure_queries(client, coordinator)
    oversight, period = measure_oversight(max(1, args.oversight_runs), args.explain)
    report = Report(
        started=started,
        machine=_machine(),
        load_before=load_before,
        register=size,
        name=name,
        identifier=identifier,
        page=page,
        name_hits=hits,
        identifier_hits=identifier_hits,
        queries=queries,
        examples=examples,
        command=args.command,
        oversight=oversight,
        history=_history_size(),
        period=period,
    )
    section = render(report)
    print(section)
    if not args.no_doc:
        write_doc(Path(args.doc), section)
        print(f"\nWritten to {args.doc}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
