"""The rules of MAPPA B minutes, each with the message a user reads.

``finalisation_problems`` is the whole check made before minutes move from draft to
checked: it never changes anything, so a refused finalisation loses nothing typed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from mappa.minutes.models import (
    Conclusion,
    HraGround,
    YesNo,
    YesNoUnknown,
)

if TYPE_CHECKING:
    from mappa.minutes.models import Action, ActionReview, Minutes

_LETTERS = re.compile(r"[^\w]", re.UNICODE)


def _is_initial(token: str) -> bool:
    """ "J", "J.", "JS", "J.S." are initials; "Jo" and "Li" are names."""
    letters = _LETTERS.sub("", token)
    if not letters or not letters.isalpha():
        return False
    if len(letters) == 1:
        return True
    # Two or three capitals, or letters separated by full stops, are initials.
    return (len(letters) <= 3 and letters.isupper()) or "." in token


def person_name_problem(name: str, *, what: str = "the person") -> str | None:
    """MAPPA B notes s.9: record the full name; initials should not be used."""
    cleaned = " ".join((name or "").split())
    if not cleaned:
        return f"Enter the full name of {what}"
    tokens = cleaned.replace(".", ". ").split()
    if all(_is_initial(t) for t in tokens):
        return f"Enter the full name of {what}, not their initials"
    if len(tokens) < 2:
        return f"Enter the first name and last name of {what}"
    if _is_initial(tokens[0]):
        return f"Enter the first name of {what} in full, not an initial"
    return None


# "as soon as possible" and its shorthand are not a deadline (MAPPA B notes s.15).
VAGUE_DEADLINES = re.compile(
    r"\b(asap|a\.s\.a\.p|as soon as (possible|practicable)|immediately|urgent(ly)?|"
    r"ongoing|tbc|tba|to be (confirmed|agreed))\b",
    re.IGNORECASE,
)


def vague_deadline(text: str) -> bool:
    return bool(VAGUE_DEADLINES.search(text or ""))


DEADLINE_NOT_A_DATE = (
    "Enter the deadline as a date, for example 27 3 2026: “as soon as possible” is not a deadline"
)


def action_problems(action: Action, meeting_date: dt.date) -> list[str]:
    """J 8.3 and MAPPA B s.15 for one action of a plan being finalised."""
    label = f"Action {action.number}"
    problems: list[str] = []
    if not action.description.strip():
        problems.append(f"{label}: enter what is to be done")
    if action.refer_to_next_meeting:
        # J 8.3: an element the agencies cannot deliver goes to the next meeting; it
        # has no owner or deadline yet.
        return problems
    if action.agency_id is None:
        problems.append(f"{label}: select the agency that owns it")
    if action.owner_name:
        name_problem = person_name_problem(action.owner_name, what="the owner")
        if name_problem:
            problems.append(f"{label}: {name_problem[0].lower()}{name_problem[1:]}")
    if action.due_date is None:
        problems.append(f"{label}: enter a deadline date (not “as soon as possible”)")
    elif action.due_date < meeting_date:
        problems.append(f"{label}: the deadline must be on or after the date of the meeting")
    return problems


def review_problems(review: ActionReview) -> list[str]:
    label = f"Action {review.action.number} of {review.action.minutes.agenda_item.meeting.date:%-d %B %Y}"
    if review.completed == YesNo.YES and review.done_on is None:
        return [f"{label}: enter the date it was done"]
    if review.completed == YesNo.NO and not review.reason_not_completed.strip():
        return [f"{label}: enter the reason it was not completed"]
    if review.completed not in YesNo.values:
        return [f"{label}: say whether it was completed"]
    return []


def _blank(value: object) -> bool:
    return value in (None, "", [])


def finalisation_problems(
    minutes: Minutes,
    *,
    actions: Iterable[Action],
    reviews: Iterable[ActionReview],
    meeting_date: dt.date,
    meeting_level: int,
    category: str | None,
    latest_next_meeting: dt.date | None,
) -> dict[str, list[str]]:
    """Every reason the minutes cannot be checked yet, by section key."""
    problems: dict[str, list[str]] = {}

    def add(section: str, message: str) -> None:
        problems.setdefault(section, []).append(message)

    m = minutes
    for review in reviews:
        for message in review_problems(review):
            add("review", message)

    # 10. Victim concerns
    if not m.victim_concerns.strip():
        add("victims", "Enter the current concerns about victims and potential victims")
    if m.vls_taken_up not in YesNoUnknown.values:
        add("victims", "Say whether the victim has taken up the Victim Liaison Service")
    elif m.vls_taken_up == YesNoUnknown.YES and not m.vlo_contact.strip():
        add("victims", "Enter the contact details of the Victim Liaison Officer")
    if m.domestic_abuse not in YesNoUnknown.values:
        add("victims", "Say whether there are any domestic abuse concerns")
    elif m.domestic_abuse == YesNoUnknown.YES:
        if not m.domestic_abuse_details.strip():
            add("victims", "Enter what the domestic abuse concerns are")
        if m.marac_referred not in YesNoUnknown.values:
            add("victims", "Say whether the victim has been referred to MARAC")
        if m.marac_meeting not in YesNoUnknown.values:
            add("victims", "Say whether a MARAC meeting has been held or is due")

    # 11a and 12
    for name, message in (
        ("risk_who", "Enter who is at risk"),
        ("risk_nature", "Enter the nature of the risk"),
        ("risk_when", "Enter when the risk is likely to be greatest"),
        ("risk_increase", "Enter what circumstances are likely to increase risk"),
        ("risk_reduce", "Enter what factors are likely to reduce risk"),
    ):
        if not getattr(m, name).strip():
            add("risk", message)
    if not m.rosh:
        add("risk", "Select the meeting's view of the risk of serious harm")

    # 11b and the plan rules (J 7.2, 8.3)
    for name, message in (
        ("plan_restrictive", "Enter the restrictive interventions (or say there are none)"),
        ("plan_rehabilitative", "Enter the rehabilitative interventions (or say there are none)"),
        (
            "plan_protective",
            "Enter the protective factors and interventions (or say there are none)",
        ),
    ):
        if not getattr(m, name).strip():
            add("plan", message)
    action_list = list(actions)
    deliverable = [a for a in action_list if not a.refer_to_next_meeting]
    if not any(a.protects_victims for a in deliverable):
        add(
            "actions",
            "The plan must contain at least one action to protect victims (J 7.2): "
            "mark the action that does",
        )
    if not m.contingency_plan.strip() and not any(a.contingency for a in deliverable):
        add(
            "plan",
            "The plan must contain a contingency plan in case it breaks down (J 7.2): "
            "describe it, or mark a contingency action",
        )
    for action in action_list:
        for message in action_problems(action, meeting_date):
            add("actions", message)

    # 13. Disclosure (J 5.2: considered at every meeting)
    if m.disclosure not in YesNo.values:
        add(
            "disclosure",
            "Record the decision on disclosure: it must be considered at every meeting",
        )
    elif m.disclosure == YesNo.YES:
        if not m.disclosure_reasons.strip():
            add("disclosure", "Enter why disclosure will be made")
        if not m.disclosure_what.strip():
            add("disclosure", "Enter what will be disclosed")
        if m.disclosure_by_date is None:
            add("disclosure", "Enter the date by which disclosure will be made")
        if not m.disclosure_by_whom.strip():
            add("disclosure", "Enter who will make the disclosure")
        if not m.disclosure_to_whom.strip():
            add("disclosure", "Enter who will receive the disclosure")
    elif not m.disclosure_reasons.strip():
        add("disclosure", "Enter the full reasons for not making disclosure")
    if m.withhold_from_offender == "withhold" and not m.withhold_reasons.strip():
        add(
            "disclosure",
            "Enter the reasons for withholding from the person that they are managed "
            "under MAPPA (J 3.6)",
        )

    # 14. Press and media
    if m.media_consider not in YesNo.values:
        add("media", "Say whether press and media handling needs to be considered")
    elif m.media_consider == YesNo.YES:
        if not m.media_issue.strip():
            add("media", "Enter the issue the media would be interested in")
        if m.media_alerted not in YesNo.values:
            add("media", "Say whether the media handling person has been alerted")
        elif m.media_alerted == YesNo.YES and not m.media_alerted_by.strip():
            add("media", "Enter who alerted the media handling person")
        elif m.media_alerted == YesNo.NO and not m.media_who_will.strip():
            add("media", "Enter who will alert the media handling person")

    # 16. Conclusion (J 10.2, 13.3)
    if m.conclusion not in Conclusion.values:
        add("conclusion", "Select the level of management the meeting recommends")
    if not m.conclusion_reasons.strip():
        add("conclusion", "Enter why the meeting recommends this level")
    if m.ongoing_at_level not in YesNo.values:
        add(
            "conclusion",
            "Answer the question “Does this case require ongoing management at this level?”",
        )
    elif m.conclusion in Conclusion.values:
        stays = m.conclusion == f"level_{meeting_level}"
        if m.ongoing_at_level == YesNo.YES and not stays:
            add(
                "conclusion",
                f"You answered that the case needs ongoing management at level {meeting_level}, "
                "but recommended a different level: change one of the answers",
            )
        if m.ongoing_at_level == YesNo.NO and stays:
            add(
                "conclusion",
                f"You answered that the case does not need ongoing management at level "
                f"{meeting_level}: recommend another level or leaving MAPPA",
            )
        if m.ongoing_at_level == YesNo.YES and not m.ongoing_achieve.strip():
            add("conclusion", "Enter what continued management at this level will achieve (J 10.2)")
    if m.conclusion == Conclusion.LEVEL_1 and category == "3":
        # J 3.9: category 3 only while managed at level 2 or 3; MAPPA B notes s.16.
        add(
            "conclusion",
            "A category 3 case cannot be managed at level 1: choose “Leave MAPPA” instead",
        )
    if not m.discharge_considered:
        add("conclusion", "Confirm that the meeting considered discharge from MAPPA (J 13.3)")

    # 17. Human Rights Act validation
    if not m.hra_confirmed:
        add("hra", "Confirm that the actions agreed are necessary and proportionate")
    if not [g for g in m.hra_grounds if g in HraGround.values]:
        add("hra", "Select at least one ground the actions are necessary for")

    # 18. Administration: the next meeting, when the case stays at level 2 or 3.
    if m.conclusion in (Conclusion.LEVEL_2, Conclusion.LEVEL_3):
        if m.next_meeting_date is None:
            add("administration", "Enter the date of the next meeting")
        elif m.next_meeting_date <= meeting_date:
            add("administration", "The next meeting must be after this meeting")
        elif latest_next_meeting is not None and m.next_meeting_date > latest_next_meeting:
            add(
                "administration",
                f"The next meeting must be no later than {latest_next_meeting:%-d %B %Y}, "
                "the review interval for the recommended level (J 10.11)",
            )
    return problems
