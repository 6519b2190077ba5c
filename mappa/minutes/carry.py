"""Sections 1-7 of MAPPA B: copied when the minutes are started, never typed again.

MAPPA B notes: "Sections 1-7 ... automatically populated via the web-based referral
process", so that the chair and the agencies know, at every meeting, the information
which led to the referral. For a first meeting they come from the accepted referral;
for a review from the previous minutes. Sections 2-4 (the person, convictions and
hospital detention) are facts of the register, copied from it as they stood that day.

The snapshot is plain JSON: a list of sections, each with its number, title, where it
came from, the date of that source, and label/value rows ready to show and print.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from mappa.referrals import choices as referral_choices
from mappa.referrals.models import Referral, ReferralStatus
from mappa.register.models import (
    AddressKind,
    Case,
    CaseState,
    Nominal,
)

Row = list[str]


def _d(value: dt.date | None) -> str:
    return f"{value:%-d %B %Y}" if value else ""


def _section(
    number: int, title: str, source: str, source_date: dt.date | None, rows: list[Row]
) -> dict[str, Any]:
    return {
        "number": number,
        "title": title,
        "source": source,
        "source_date": source_date.isoformat() if source_date else "",
        "rows": [[label, value] for label, value in rows if value not in (None, "")],
    }


def _register_sections(
    nominal: Nominal, state: CaseState | None, on: dt.date
) -> list[dict[str, Any]]:
    source = "The register"
    aliases = ", ".join(str(a) for a in nominal.aliases.all())
    identifiers = [[i.get_kind_display(), i.value] for i in nominal.identifiers.all()]
    addresses = [
        [
            a.get_kind_display(),
            str(a) + (f" ({a.reporting_arrangement})" if a.reporting_arrangement else ""),
        ]
        for a in nominal.addresses.all()
        if a.to_date is None or a.kind != AddressKind.PREVIOUS
    ]
    person = _section(
        2,
        "Offender information",
        source,
        on,
        [
            ["Last name", nominal.family_name],
            ["First names", nominal.given_names],
            ["Date of birth", _d(nominal.date_of_birth)],
            ["Aliases (including nicknames)", aliases],
            ["Gender", nominal.get_gender_display()],
            ["Ethnicity", nominal.ethnicity],
            *identifiers,
            *addresses,
        ],
    )
    conviction_rows: list[Row] = []
    for c in nominal.convictions.all():
        kind = "Index offence" if c.is_index_offence else "Previous conviction"
        if c.is_caution:
            kind += " (caution)"
        text = f"{c.offence}, {_d(c.conviction_date)}"
        if c.sentence:
            text += f": {c.sentence}"
        if c.details:
            text += f". {c.details}"
        conviction_rows.append([kind, text])
    sentence = nominal.sentences.first()
    if sentence is not None:
        conviction_rows.append(
            ["Sentence", f"{sentence.description} ({_d(sentence.sentence_date)})"]
        )
        conviction_rows.extend(
            [label, _d(value)] for label, value in sentence.dates_for_display() if value
        )
        if sentence.flags:
            conviction_rows.append(["Orders and sentence types", ", ".join(sentence.flags)])
    convictions = _section(3, "Conviction and caution information", source, on, conviction_rows)
    hospital_rows: list[Row] = []
    detention = nominal.detentions.first()
    if detention is not None:
        hospital_rows = [
            ["Hospital", detention.hospital],
            ["Responsible clinician", detention.responsible_clinician],
            ["Earliest possible discharge date", _d(detention.earliest_discharge_date)],
            ["Proposed release address", detention.proposed_release_address],
            ["Forensic social worker", detention.forensic_social_worker],
            ["Date of next tribunal", _d(detention.next_tribunal_date)],
            ["Basis for detention", detention.get_basis_display()],
        ]
    hospital = _section(4, "Detained in hospital", source, on, hospital_rows)
    category = _section(
        1,
        "Category of offender",
        source,
        on,
        [
            ["Category", state.get_category_display() if state else ""],
            ["Level", state.get_level_display() if state else ""],
            ["Lead agency", str(state.lead_agency) if state else ""],
        ],
    )
    return [category, person, convictions, hospital]


def _labels(options: list[tuple[str, str]], values: list[str], text: str) -> str:
    parts = referral_choices.labels(options, values or [])
    if text:
        parts.append(text)
    return "; ".join(parts)


def _referral_sections(referral: Referral) -> list[dict[str, Any]]:
    source = f"Referral {referral.reference} (MAPPA A)"
    when = referral.decided_at.date() if referral.decided_at else referral.created_at.date()
    risk = _section(
        5,
        "Risk assessment",
        source,
        when,
        [
            [
                "Lead agency's view of the risk of serious harm",
                referral.get_overall_risk_display() if referral.overall_risk else "",
            ],
            ["Who is at risk?", referral.risk_who],
            ["What is the nature of the risk?", referral.risk_nature],
            ["When is the risk likely to be greatest?", referral.risk_when],
            ["What circumstances are likely to increase risk?", referral.risk_increase],
            ["What factors are likely to reduce risk?", referral.risk_reduce],
            [
                "Restrictive interventions",
                _labels(
                    referral_choices.RESTRICTIVE,
                    referral.plan_restrictive_choices,
                    referral.plan_restrictive,
                ),
            ],
            [
                "Rehabilitative interventions",
                _labels(
                    referral_choices.REHABILITATIVE,
                    referral.plan_rehabilitative_choices,
                    referral.plan_rehabilitative,
                ),
            ],
            [
                "Protective interventions",
                _labels(
                    referral_choices.PROTECTIVE,
                    referral.plan_protective_choices,
                    referral.plan_protective,
                ),
            ],
        ],
    )
    relevant = _section(
        6,
        "Relevant information (at time of referral)",
        source,
        when,
        [
            [
                "Reason for referral",
                _labels(
                    referral_choices.REASONS, referral.reason_choices, referral.reason_for_referral
                ),
            ],
            ["Inter-agency work so far", referral.interagency_work],
            ["How level 2 or 3 management will add value", referral.added_value],
            ["Diversity considerations linked to risk", referral.diversity],
        ],
    )
    safeguarding = _section(
        7,
        "Safeguarding and victim concerns (at time of referral)",
        source,
        when,
        [
            ["Victim concerns", referral.victim_concerns],
            [
                "Are there any child protection concerns?",
                referral.get_child_protection_concerns_display()
                if referral.child_protection_concerns
                else "",
            ],
            ["What are they?", referral.child_protection_details],
            ["Allocated social worker", referral.social_worker],
            [
                "Is any child subject to a child protection plan?",
                referral.get_child_protection_plan_display()
                if referral.child_protection_plan
                else "",
            ],
            ["Vulnerable adult concerns", referral.vulnerable_adult_concerns],
        ],
    )
    return [risk, relevant, safeguarding]


def accepted_referral_of(case: Case, referral: Referral | None = None) -> Referral | None:
    if referral is not None and referral.status == ReferralStatus.ACCEPTED:
        return referral
    return (
        Referral.objects.filter(case=case, status=ReferralStatus.ACCEPTED)
        .order_by("-decided_at", "-created_at")
        .first()
    )


def build_snapshot(
    *,
    case: Case,
    on: dt.date,
    referral: Referral | None,
    previous: Any | None,
    state_on: dt.date | None = None,
) -> dict[str, Any]:
    """The ``carried`` value of new minutes: ``previous`` is the previous ``Minutes``.

    Section 1 shows the category, level and lead agency as they stood on ``state_on``
    (the day of the meeting); the rest is copied as it stands on ``on``."""
    nominal = case.nominal
    state = (
        CaseState.objects.filter(case=case, effective_from__lte=state_on or on)
        .select_related("lead_agency")
        .order_by("-effective_from", "-recorded_at")
        .first()
    ) or CaseState.objects.filter(case=case).select_related("lead_agency").first()
    register = _register_sections(nominal, state, on)
    if state_on is not None:
        register[0]["source"] = "The register, as at the day of the meeting"
        register[0]["source_date"] = state_on.isoformat()
    later: list[dict[str, Any]]
    if previous is not None and previous.carried.get("sections"):
        later = [s for s in previous.carried["sections"] if s["number"] >= 5]
        meeting = previous.agenda_item.meeting
        source = {
            "kind": "minutes",
            "label": f"Minutes of the level {meeting.level} meeting on {meeting.date:%-d %B %Y}",
            "date": meeting.date.isoformat(),
            "minutes_id": str(previous.pk),
        }
    else:
        found = accepted_referral_of(case, referral)
        if found is not None:
            later = _referral_sections(found)
            source = {
                "kind": "referral",
                "label": f"Referral {found.reference}",
                "date": (found.decided_at or found.created_at).date().isoformat(),
                "referral_id": str(found.pk),
            }
        else:
            later = []
            source = {
                "kind": "register",
                "label": "The register (no accepted referral is recorded for this case)",
                "date": on.isoformat(),
            }
    return {"source": source, "copied_on": on.isoformat(), "sections": [*register, *later]}
