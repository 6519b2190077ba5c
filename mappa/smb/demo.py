"""The Strategic Management Board of the demo area (issue 6, point 9), and of the
benchmark's large area (``seed_scale``).

Seats as J 15.2 lists the minimum membership, each with its agency and minimum grade,
held by invented people (one change of holder, one seat added during the period);
quarterly meetings (J 15.3) with attendance for every seat, the chair rotating between
the police, probation and prison seats, and short minutes. Attendance is mostly full;
the Education seat misses enough meetings to fall below the 90% of J 16.2 (4), and a
deputy of the minimum grade sometimes stands in (which counts as attended).

Built through the SMB services, so that the audit trail and the rules (no overlapping
holders, a chair who was there) hold as for a user's entry. Deterministic from the
dates given; changes nothing when the board already has seats.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from mappa.access.models import Agency, AgencyKind, User
from mappa.profiles.calendar import add_months

SEED = 2015


@dataclass(frozen=True)
class SeatSpec:
    key: str
    kind: str
    title: str
    minimum_grade: str
    # (name, grade, username of the holder's account or "") in order; the second
    # holder, when there is one, takes over half-way through the period.
    holders: tuple[tuple[str, str, str], ...]
    # Chance of attending in person, of sending a deputy; the rest are apologies.
    attends: float = 0.93
    deputy: float = 0.05
    chairs: bool = False


# J 15.2: the minimum membership of the SMB, with the grade the guidance sets.
SEATS: tuple[SeatSpec, ...] = (
    SeatSpec(
        "police",
        AgencyKind.POLICE,
        "Police Service",
        "Superintendent or above",
        (
            ("Marguerite Halloran", "Superintendent", ""),
            ("Desmond Aucoin", "Chief Superintendent", ""),
        ),
        chairs=True,
    ),
    SeatSpec(
        "probation",
        AgencyKind.PROBATION,
        "Probation Service",
        "Assistant Chief Officer or above",
        (("Lorcan Abernethy", "Assistant Chief Probation Officer", ""),),
        chairs=True,
    ),
    SeatSpec(
        "prison",
        AgencyKind.PRISON,
        "Prison Service",
        "Deputy Prison Governor or above",
        (("Ivor Penwarden", "Deputy Governor", ""),),
        attends=0.9,
        deputy=0.1,
        chairs=True,
    ),
    SeatSpec(
        "coordinator",
        AgencyKind.COORDINATION,
        "JMAPPA Co-ordinator (operational context and management information)",
        "JMAPPA Co-ordinator",
        (("Elowen Marchetti", "Co-ordinator", "coordinator"),),
        attends=1.0,
        deputy=0.0,
    ),
    SeatSpec(
        "administrator",
        AgencyKind.COORDINATION,
        "JMAPPA Administrator (secretariat)",
        "JMAPPA Administrator",
        (("Tobias Quennell", "Administrative Officer", "admin"),),
        attends=1.0,
        deputy=0.0,
    ),
    SeatSpec(
        "housing",
        AgencyKind.HOUSING,
        "Housing Department",
        "Senior management",
        (("Osric Pendleford", "Director", ""),),
    ),
    SeatSpec(
        "health",
        AgencyKind.HEALTH,
        "Health and Social Services",
        "Director of Community and Social Services",
        (("Beatrix Ormonde", "Director", "smb"),),
    ),
    SeatSpec(
        "education",
        AgencyKind.EDUCATION,
        "Education, Sport and Culture",
        "Director or Assistant Director",
        (("Clemency Ashdown", "Assistant Director", ""),),
        # Below the 90% target: the board's own KPI is missed because of this seat.
        attends=0.6,
        deputy=0.1,
    ),
    SeatSpec(
        "customs",
        AgencyKind.CUSTOMS_IMMIGRATION,
        "Customs and Immigration",
        "Head of Service",
        (("Rupert Vandersteen", "Head of Service", ""),),
    ),
)
# Added to the board part-way through (J 15.2 sets a minimum; the board may add more).
LATER_SEAT = SeatSpec(
    "childrens",
    AgencyKind.CHILDRENS_SERVICES,
    "Children's Services",
    "Head of Service",
    (("Petronella Dunmore", "Head of Children's Social Work", ""),),
)
VENUE = "Police Headquarters, Rouge Bouillon, St Helier"
TOPICS = [
    "Reviewed the quarter's KPIs against the targets of J 16.2 and the cases behind each "
    "one missed; the co-ordinator to report back on overdue reviews.",
    "Reviewed attendance at level 2 and 3 meetings by agency; the chair to write to the "
    "agencies below 90% through their single points of contact (J 10.10).",
    "Agreed the training plan for new panel members and the media strategy for the year.",
    "Heard a case-management example for the annual report and agreed its wording.",
    "Reviewed the links with the Jersey Child Protection Committee, the Domestic Violence "
    "Forum and the Community Safety Partnership (J 15.1).",
]


def _quarter_days(start: dt.date, end: dt.date) -> list[dt.date]:
    """The second Wednesday of January, April, July and October from ``start`` to the
    first such day after ``end`` (the next meeting, still planned)."""
    days = []
    month = dt.date(start.year, 1, 1)
    while True:
        first = month
        day = first + dt.timedelta(days=(2 - first.weekday()) % 7 + 7)
        if day >= start:
            days.append(day)
        if day > end:
            return days
        month = add_months(month, 3)


def _agencies() -> dict[str, Agency]:
    found: dict[str, Agency] = {}
    for agency in Agency.objects.filter(active=True).order_by("pk"):
        found.setdefault(agency.kind, agency)
    return found


def build_smb(
    *, start: dt.date, end: dt.date, seed: int = SEED, actor: Any = None
) -> dict[str, int]:
    """Seats, holders and the quarterly meetings from ``start`` to ``end`` (held), plus
    the next one (planned). Returns what it made; nothing when the board has seats."""
    from mappa.smb import services
    from mappa.smb.models import SmbAttendanceStatus, SmbMeeting, SmbSeat

    if SmbSeat.objects.exists():
        return {}
    rng = random.Random(f"smb:{seed}")  # noqa: S311 - demo data, not security
    agencies = _agencies()
    users = {
        u.username: u for u in User.objects.filter(username__in=["coordinator", "admin", "smb"])
    }
    who = actor or users.get("coordinator") or "load_demo_area"
    counts = {"seats": 0, "holders": 0, "meetings": 0, "held": 0}
    days = _quarter_days(start, end)
    if not days:
        return counts
    middle = days[len(days) // 2]
    created_on = days[0] - dt.timedelta(days=30)
    seats: list[tuple[SeatSpec, Any]] = []
    with transaction.atomic():
        for position, spec in enumerate((*SEATS, LATER_SEAT), start=1):
            agency = agencies.get(spec.kind)
            if agency is None:
                continue
            opened = middle - dt.timedelta(days=20) if spec is LATER_SEAT else created_on
            seat = services.seat_create(
                actor=who,
                title=spec.title,
                agency=agency,
                minimum_grade=spec.minimum_grade,
                created_on=opened,
                position=position,
            )
            counts["seats"] += 1
            for number, (name, grade, username) in enumerate(spec.holders):
                services.holder_change(
                    actor=who,
                    seat=seat,
                    name=name,
                    grade=grade,
                    started_on=opened if number == 0 else middle - dt.timedelta(days=10),
                    user=users.get(username) if username else None,
                )
                counts["holders"] += 1
            seats.append((spec, seat))
        chairs = [seat for spec, seat in seats if spec.chairs]
        for number, day in enumerate(days):
            present = [(spec, seat) for spec, seat in seats if seat.created_on <= day]
            # J 15.3: the chair rotates between police, probation and prison, half a year each.
            chair = chairs[(number // 2) % len(chairs)] if chairs else None
            meeting = services.meeting_create(actor=who, date=day, venue=VENUE, chair_seat=chair)
            counts["meetings"] += 1
            if day > end:
                continue
            attendance = {}
            for spec, seat in present:
                roll = rng.random()
                if seat is chair or roll < spec.attends:
                    status, name = SmbAttendanceStatus.ATTENDED, ""
                elif roll < spec.attends + spec.deputy:
                    status, name = SmbAttendanceStatus.DEPUTY, f"Deputy for the {spec.title}"
                else:
                    status, name = SmbAttendanceStatus.APOLOGIES, ""
                attendance[seat.pk] = services.AttendanceEntry(status=status, name=name)
            topics = [TOPICS[number % len(TOPICS)], TOPICS[(number + 2) % len(TOPICS)]]
            if day.month == 1:
                topics.append(
                    "Approved the statistics for the annual report to the Minister "
                    "(Article 28(11), J 15.5), due before the end of March."
                )
            services.meeting_record(
                actor=who,
                meeting=SmbMeeting.objects.get(pk=meeting.pk),
                attendance=attendance,
                chair_seat=chair,
                minutes="\n".join(topics),
                mark_held=True,
            )
            counts["held"] += 1
    return counts


def build_demo_smb(today: dt.date) -> dict[str, int]:
    """Two years of the board for the demo area, ending ``today``."""
    return build_smb(start=add_months(today, -24), end=today)
