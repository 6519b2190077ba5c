"""The hand-built KPI fixture (issue 6, "Tests that must exist").

Every number the tests expect is worked out by hand below, next to the facts that
make it. The period is the first quarter of 2025 (1 January to 31 March), long past,
so that "today" never clips it. Jersey profile: level 3 reviews every 6 weeks (42
days), level 2 every 12 weeks (84 days); targets 90%, 85%, 100%, 90%, 90%.

State is built through the services where they exist (people and their level
history, minutes, attendance); meetings of the past, their agenda items, invitations
and the SMB are made with the ORM, as history (their services refuse past dates or
do not exist yet).

Level 3 review dues falling in Q1 2025 (previous level 3 discussion + 42 days)
------------------------------------------------------------------------------
Level 3 meetings held: 2 Dec 2024, 16 Dec 2024, 13 Jan, 14 Jan (emergency), 20 Jan,
27 Jan, 3 Feb, 10 Feb, 24 Feb, 25 Feb, 3 Mar, 7 Apr 2025; 17 Mar 2025 was cancelled.

  Alder  (probation) discussed 2 Dec, 13 Jan, 24 Feb
         due 13 Jan (2 Dec + 42, across the year end): held 13 Jan   MET (exactly 6 weeks)
         due 24 Feb (13 Jan + 42):                      held 24 Feb   MET
  Birch  (police)    discussed 2 Dec, 14 Jan, 25 Feb
         due 13 Jan: held 14 Jan                        MISSED, 1 day late
         due 25 Feb (the chain runs from 14 Jan, the meeting actually held): MET
  Cedar  (probation) discussed 13 Jan; moved to level 2 from 3 Feb
         due 24 Feb: at level 2 on that day             NO DUE (left level 3)
  Damson (probation) discussed 10 Feb, then 7 Apr (after the period)
         due 24 Mar: not held by 31 Mar                 MISSED, days_late None
  Elder  (probation) discussed 20 Jan; record archived 20 Feb
         due 3 Mar: case closed                         NO DUE
  Fig    (probation) discussed 20 Jan, 3 Mar
         due 3 Mar (across the end of February):        MET (exactly 6 weeks)
  Gorse  (probation) discussed 16 Dec, 3 Feb; withdrawn from 27 Jan's agenda;
         on the agenda of the cancelled 17 Mar meeting
         due 27 Jan: withdrawn item is no discussion, held 3 Feb  MISSED, 7 days late
         due 17 Mar: the meeting was cancelled, not held by 31 Mar  MISSED, days_late None
  => denominator 8 (Alder 2, Birch 2, Damson 1, Fig 1, Gorse 2), numerator 4
     (Alder 2, Birch 1, Fig 1): 0.5, target 0.9, not met. Four failing items.
  Police only (Birch): 2 dues, 1 met.

Level 2 review dues falling in Q1 2025 (previous level 2 discussion + 84 days)
------------------------------------------------------------------------------
Level 2 meetings held: 4 Nov 2024, 9 Dec 2024, 27 Jan, 28 Jan, 17 Feb 2025.

  Hazel  (probation) discussed 4 Nov, 27 Jan: due 27 Jan, held 27 Jan  MET (exactly 12 weeks)
  Holly  (probation) discussed 4 Nov, 28 Jan: due 27 Jan, held 28 Jan  MISSED, 1 day late
  Juniper (police)   discussed 9 Dec, 17 Feb: due 3 Mar (across the end of February),
                     held 17 Feb, early                                MET
                     (its next due, 17 Feb + 84 = 12 May, is after the period)
  Cedar reached level 2 at no level 2 meeting: no level 2 due.
  => denominator 3, numerator 2: 2/3, target 0.85, not met. Police only: 1 of 1.

Disclosure considered (level 2 and 3 discussions held in Q1 2025)
----------------------------------------------------------------
  13 Jan L3 Alder   no minutes                           not recorded
  13 Jan L3 Cedar   "yes" without to whom                not recorded
  14 Jan L3 Birch   minutes with no decision             not recorded
  20 Jan L3 Elder   "no" with reasons of spaces only     not recorded
  20 Jan L3 Fig     "no" with reasons                    recorded
  27 Jan L2 Hazel   "no" with reasons                    recorded
  28 Jan L2 Holly   "no" with reasons                    recorded
   3 Feb L3 Gorse   "yes" complete                       recorded
  10 Feb L3 Damson  "no" with reasons                    recorded
  17 Feb L2 Juniper "yes" complete                       recorded
  24 Feb L3 Alder   "no" with reasons                    recorded
  25 Feb L3 Birch   "no" with reasons                    recorded
   3 Mar L3 Fig     "no" with reasons                    recorded
  (Gorse's withdrawn 27 Jan item and the cancelled 17 Mar meeting are no discussions.)
  => denominator 13, numerator 9: 9/13, target 1.0, not met. Police (Birch 14 Jan and
     25 Feb, Juniper 17 Feb): 2 of 3.

Attendance by each invited agency (invitations on three meetings only)
----------------------------------------------------------------------
  13 Jan L3: whole meeting: police (two officers, both sent), probation (confirmed),
             education (only proposed: not invited); Cedar's discussion: housing (sent);
             Alder's discussion: housing (cancelled: not invited).
     Alder: police in person, probation by video                  2 of 2
     Cedar: police in person, probation sent a report, housing sent apologies  2 of 3
  17 Feb L2: whole meeting: police, probation, housing (sent); Juniper's discussion:
             police again (counted once).
     Juniper: police absent, probation in person, housing sent only a report  2 of 3
  27 Jan L3: whole meeting: police; Gorse (the only item) was withdrawn: nothing counted.
  => police 2 of 3 (Alder, Cedar; not Juniper), probation 3 of 3, housing 1 of 2
     (Juniper by report; not Cedar). Pooled 6 of 8 = 0.75; police and housing below
     90%: not met. Failing: police at Juniper 17 Feb (absent), housing at Cedar 13 Jan
     (apologies). Police only: 2 of 3.

SMB attendance (ten SMB meetings held in the quarter, so that 9 of 10 can be tested)
------------------------------------------------------------------------------------
  Held: 6, 13, 20, 27 Jan; 3, 10, 17, 24 Feb; 3, 10 Mar. Not counted: 17 Mar
  (cancelled), 24 Mar (planned), 7 Apr (after the period).
  Police seat: 7 attended + 2 deputy, apologies 24 Feb        9 of 10 = 90%: MET
  Probation seat: all ten                                     10 of 10
  Housing seat, created 10 Feb: 10, 17, 24 Feb, 3, 10 Mar held since; absent 3 Mar;
      an attendance row on 6 Jan, before the seat existed, is not counted   4 of 5 = 80%
  Education seat, ended 13 Jan: 6 and 13 Jan (the end day counts), both attended  2 of 2
  Children's seat, ended 31 Dec 2024: not listed.
  => pooled 25 of 27; the housing seat is below 90%: not met. Failing: housing's
     absence on 3 Mar (the police seat's apology is not failing: it met its target).
     Police only: 9 of 10, met.
"""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.utils import timezone

from mappa.access.models import AgencyKind
from mappa.meetings import services as meeting_services
from mappa.meetings.models import (
    AgendaItem,
    AttendanceStatus,
    DiscussionKind,
    Invitation,
    InvitationKind,
    InvitationStatus,
    Meeting,
    MeetingKind,
    MeetingStatus,
)
from mappa.minutes import services as minutes_services
from mappa.register import services as register_services
from mappa.register.models import Case
from mappa.smb.models import SmbAttendance, SmbMeeting, SmbMeetingStatus, SmbSeat
from tests.conftest import Personas
from tests.factories import make_agency, make_nominal

Q1_START = dt.date(2025, 1, 1)
Q1_END = dt.date(2025, 3, 31)
OPENED = dt.date(2024, 6, 3)


def d(month: int, day: int, year: int = 2025) -> dt.date:
    return dt.date(year, month, day)


@dataclass
class World:
    personas: Personas
    cases: dict[str, Case] = field(default_factory=dict)
    meetings: dict[tuple[int, dt.date], Meeting] = field(default_factory=dict)
    items: dict[tuple[str, dt.date], AgendaItem] = field(default_factory=dict)
    seats: dict[str, SmbSeat] = field(default_factory=dict)


class Builder:
    """Small steps the fixture (and the larger fixtures of the query-count test) use."""

    def __init__(self, personas: Personas) -> None:
        self.p = personas
        self.world = World(personas)

    def case(self, name: str, level: int, lead: Any, opened: dt.date = OPENED) -> Case:
        nominal = make_nominal(
            self.p.coordinator,
            family_name=name,
            given_names="Test",
            level=level,
            lead_agency=lead,
            opened_on=opened,
        )
        case = nominal.cases.get()
        self.world.cases[name] = case
        return case

    def meeting(
        self, level: int, day: dt.date, status: str = MeetingStatus.HELD, kind: str = "scheduled"
    ) -> Meeting:
        key = (level, day)
        if key not in self.world.meetings:
            self.world.meetings[key] = Meeting.objects.create(
                level=level,
                kind=kind,
                date=day,
                start_time=dt.time(10, 0),
                venue="Police headquarters, Rouge Bouillon",
                status=status,
            )
        return self.world.meetings[key]

    def discuss(
        self,
        name: str,
        level: int,
        day: dt.date,
        *,
        withdrawn: bool = False,
        status: str = MeetingStatus.HELD,
        kind: str = "scheduled",
    ) -> AgendaItem:
        meeting = self.meeting(level, day, status, kind)
        item = AgendaItem.objects.create(
            meeting=meeting,
            case=self.world.cases[name],
            kind=DiscussionKind.REVIEW,
            position=meeting.agenda_items.count() + 1,
            discussed=not withdrawn,
            withdrawn_at=timezone.now() if withdrawn else None,
            withdrawn_reason="Case not ready" if withdrawn else "",
        )
        self.world.items[(name, day)] = item
        return item

    def disclosure(self, name: str, day: dt.date, **answers: Any) -> None:
        """Minutes of the discussion, through the minutes services, with this decision."""
        item = self.world.items[(name, day)]
        minutes = minutes_services.minutes_start(actor=self.p.administrator, agenda_item=item)
        data = {
            "disclosure": "",
            "disclosure_reasons": "",
            "disclosure_what": "",
            "disclosure_by_date": None,
            "disclosure_by_whom": "",
            "disclosure_to_whom": "",
            "withhold_from_offender": "tell",
            **answers,
        }
        minutes_services.minutes_save_section(
            actor=self.p.administrator,
            minutes=minutes,
            section="disclosure",
            data=data,
            expected_version=minutes.version,
        )

    def no_disclosure(self, name: str, day: dt.date) -> None:
        self.disclosure(name, day, disclosure="no", disclosure_reasons="No third party is at risk.")

    def yes_disclosure(self, name: str, day: dt.date, **changes: Any) -> None:
        self.disclosure(
            name,
            day,
            **{
                "disclosure": "yes",
                "disclosure_reasons": "The new partner's children are at risk.",
                "disclosure_what": "The index offence and the licence conditions",
                "disclosure_by_date": day + dt.timedelta(days=7),
                "disclosure_by_whom": "Detective Sergeant Amelia Le Cornu",
                "disclosure_to_whom": "The new partner",
                **changes,
            },
        )

    def invite(
        self,
        meeting: Meeting,
        agency: Any,
        *,
        item: AgendaItem | None = None,
        status: str = InvitationStatus.SENT,
        name: str = "",
    ) -> Invitation:
        return Invitation.objects.create(
            meeting=meeting,
            agenda_item=item,
            agency=agency,
            name=name or f"Officer of {agency.name}",
            kind=InvitationKind.CASE if item else InvitationKind.STANDING,
            status=status,
        )

    def attend(self, item: AgendaItem, **by_agency: str) -> None:
        rows = []
        for agency_attr, status in by_agency.items():
            agency = getattr(self.p, agency_attr)
            person = (
                "Morwenna Trebilcock"
                if status in (AttendanceStatus.IN_PERSON, AttendanceStatus.REMOTE)
                else ""
            )
            rows.append(
                meeting_services.AttendanceRow(agency=agency, status=status, representative=person)
            )
        meeting_services.attendance_record(
            actor=self.p.administrator, item=item, rows=rows, discussed=True
        )

    def seat(
        self,
        key: str,
        title: str,
        agency: Any,
        created: dt.date,
        ended: dt.date | None = None,
        position: int = 0,
    ) -> SmbSeat:
        seat = SmbSeat.objects.create(
            title=title,
            agency=agency,
            minimum_grade="Chief Officer",
            created_on=created,
            ended_on=ended,
            position=position,
        )
        self.world.seats[key] = seat
        return seat


def build_world(personas: Personas) -> World:
    b = Builder(personas)
    police, probation = personas.police, personas.probation

    # Level 3 --------------------------------------------------------------------
    for name, lead in [
        ("Alder", probation),
        ("Birch", police),
        ("Cedar", probation),
        ("Damson", probation),
        ("Elder", probation),
        ("Fig", probation),
        ("Gorse", probation),
    ]:
        b.case(name, 3, lead)
    b.discuss("Alder", 3, d(12, 2, 2024))
    b.discuss("Birch", 3, d(12, 2, 2024))
    b.discuss("Gorse", 3, d(12, 16, 2024))
    b.discuss("Alder", 3, d(1, 13))
    b.discuss("Cedar", 3, d(1, 13))
    b.discuss("Birch", 3, d(1, 14), kind=MeetingKind.EMERGENCY)
    b.discuss("Elder", 3, d(1, 20))
    b.discuss("Fig", 3, d(1, 20))
    b.discuss("Gorse", 3, d(1, 27), withdrawn=True)
    b.discuss("Gorse", 3, d(2, 3))
    b.discuss("Damson", 3, d(2, 10))
    b.discuss("Alder", 3, d(2, 24))
    b.discuss("Birch", 3, d(2, 25))
    b.discuss("Fig", 3, d(3, 3))
    b.discuss("Gorse", 3, d(3, 17), status=MeetingStatus.CANCELLED)
    b.discuss("Damson", 3, d(4, 7))

    cedar = b.world.cases["Cedar"]
    register_services.case_update_management(
        actor=personas.coordinator,
        case=cedar,
        category="2",
        level=2,
        lead_agency=probation,
        manager=None,
        effective_from=d(2, 3),
        reason="Risk reduced: level 2 agreed",
    )
    register_services.nominal_archive(
        actor=personas.coordinator,
        nominal=b.world.cases["Elder"].nominal,
        reason="Notification requirements ended",
        effective_on=d(2, 20),
    )

    # Level 2 --------------------------------------------------------------------
    b.case("Hazel", 2, probation)
    b.case("Holly", 2, probation)
    b.case("Juniper", 2, police)
    b.discuss("Hazel", 2, d(11, 4, 2024))
    b.discuss("Holly", 2, d(11, 4, 2024))
    b.discuss("Juniper", 2, d(12, 9, 2024))
    b.discuss("Hazel", 2, d(1, 27))
    b.discuss("Holly", 2, d(1, 28))
    b.discuss("Juniper", 2, d(2, 17))

    # Disclosure -----------------------------------------------------------------
    # Alder 13 Jan: no minutes at all.
    b.yes_disclosure("Cedar", d(1, 13), disclosure_to_whom="")
    b.disclosure("Birch", d(1, 14))  # minutes, but no decision
    b.disclosure("Elder", d(1, 20), disclosure="no", disclosure_reasons="   ")
    b.no_disclosure("Fig", d(1, 20))
    b.no_disclosure("Hazel", d(1, 27))
    b.no_disclosure("Holly", d(1, 28))
    b.yes_disclosure("Gorse", d(2, 3))
    b.no_disclosure("Damson", d(2, 10))
    b.yes_disclosure("Juniper", d(2, 17))
    b.no_disclosure("Alder", d(2, 24))
    b.no_disclosure("Birch", d(2, 25))
    b.no_disclosure("Fig", d(3, 3))

    # Attendance -----------------------------------------------------------------
    housing, education = personas.housing, personas.education
    jan13 = b.world.meetings[(3, d(1, 13))]
    b.invite(jan13, police, name="Inspector Gideon Rafferty")
    b.invite(jan13, police, name="Sergeant Tamsin Vibert")
    b.invite(jan13, probation, status=InvitationStatus.CONFIRMED)
    b.invite(jan13, education, status=InvitationStatus.PROPOSED)
    b.invite(jan13, housing, item=b.world.items[("Cedar", d(1, 13))])
    b.invite(
        jan13, housing, item=b.world.items[("Alder", d(1, 13))], status=InvitationStatus.CANCELLED
    )
    b.attend(
        b.world.items[("Alder", d(1, 13))],
        police=AttendanceStatus.IN_PERSON,
        probation=AttendanceStatus.REMOTE,
    )
    b.attend(
        b.world.items[("Cedar", d(1, 13))],
        police=AttendanceStatus.IN_PERSON,
        probation=AttendanceStatus.REPORT,
        housing=AttendanceStatus.APOLOGIES,
    )
    feb17 = b.world.meetings[(2, d(2, 17))]
    for agency in (police, probation, housing):
        b.invite(feb17, agency)
    b.invite(feb17, police, item=b.world.items[("Juniper", d(2, 17))])
    b.attend(
        b.world.items[("Juniper", d(2, 17))],
        police=AttendanceStatus.ABSENT,
        probation=AttendanceStatus.IN_PERSON,
        housing=AttendanceStatus.REPORT,
    )
    b.invite(b.world.meetings[(3, d(1, 27))], police)

    # The SMB --------------------------------------------------------------------
    childrens = make_agency("Children's Services", AgencyKind.CHILDRENS_SERVICES)
    b.seat("police", "Chief Officer, States of Jersey Police", police, d(1, 1, 2020), position=1)
    b.seat("probation", "Chief Probation Officer", probation, d(1, 1, 2020), position=2)
    b.seat("housing", "Director of Housing", housing, d(2, 10), position=3)
    b.seat("education", "Director of Education", education, d(1, 1, 2020), d(1, 13), position=4)
    b.seat(
        "childrens", "Director of Children's Services", childrens, d(1, 1, 2020), d(12, 31, 2024)
    )
    held = [d(1, 6), d(1, 13), d(1, 20), d(1, 27), d(2, 3), d(2, 10), d(2, 17), d(2, 24)]
    held += [d(3, 3), d(3, 10)]
    seats = b.world.seats
    for day in held:
        meeting = SmbMeeting.objects.create(date=day, status=SmbMeetingStatus.HELD)
        police_status = {d(1, 20): "deputy", d(2, 3): "deputy", d(2, 24): "apologies"}
        SmbAttendance.objects.create(
            meeting=meeting, seat=seats["police"], status=police_status.get(day, "attended")
        )
        SmbAttendance.objects.create(meeting=meeting, seat=seats["probation"], status="attended")
        if day == d(1, 6) or day >= d(2, 10):
            SmbAttendance.objects.create(
                meeting=meeting,
                seat=seats["housing"],
                status="absent" if day == d(3, 3) else "attended",
            )
        if day <= d(1, 13):
            SmbAttendance.objects.create(
                meeting=meeting, seat=seats["education"], status="attended"
            )
    SmbMeeting.objects.create(date=d(3, 17), status=SmbMeetingStatus.CANCELLED)
    SmbMeeting.objects.create(date=d(3, 24), status=SmbMeetingStatus.PLANNED)
    after = SmbMeeting.objects.create(date=d(4, 7), status=SmbMeetingStatus.HELD)
    SmbAttendance.objects.create(meeting=after, seat=seats["housing"], status="absent")
    return b.world


@pytest.fixture
def world(personas: Personas) -> World:
    return build_world(personas)
