"""Stored records turned into documents (never retyped): MAPPA A, MAPPA B, level 1 review.

Labels follow the forms' wording (J appendix A; seeds/003: MAPPA A and B with their
notes). A value nobody recorded is left empty and drawn "None recorded"; a section
with nothing in it keeps its heading and says why ("Not applicable: ..." or "None
recorded"), so the reader sees what is missing instead of a silently shorter form.

The executive summary's builder lives with the summary (``mappa.disclosure``); the
registry in ``mappa.documents.registry`` names all four.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings

from mappa.common.dates import today
from mappa.documents.model import Document, Field, Section, Table

NOT_APPLICABLE_HOSPITAL = "Not applicable: the person is not detained in hospital"


def _d(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        from django.utils import timezone

        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return f"{value:%-d %B %Y}"


def _yes_no(value: bool) -> str:
    return "Yes" if value else "No"


def _slug(text: str) -> str:
    return "".join(ch if ch.isalnum() else "-" for ch in text).strip("-")


def _fields(rows: list[tuple[str, str]]) -> tuple[Field, ...]:
    return tuple(Field(label, value or "") for label, value in rows)


def _join(*parts: str, sep: str = "\n") -> str:
    return sep.join(p for p in parts if p)


# MAPPA A (the referral) -------------------------------------------------------------------

# The form's headings, in order (MAPPA A and its notes): a test checks each is drawn.
MAPPA_A_HEADINGS = (
    "1. Category of offender",
    "2. Offender information",
    "3. Conviction / caution information",
    "4. Detained in hospital",
    "5. Risk assessment",
    "6. Relevant information",
    "7. Victim concerns",
    "8. Safeguarding",
    "9. Referring agency information",
    "10. Additional MAPPA invitees",
    "11. MAPPA co-ordination unit decision",
)


def _addresses(nominal: Any) -> dict[str, str]:
    from mappa.register.models import AddressKind

    found: dict[str, list[str]] = {}
    for address in nominal.addresses.all():
        if address.kind == AddressKind.PREVIOUS:
            continue
        text = str(address)
        if address.reporting_arrangement:
            text += f" ({address.reporting_arrangement})"
        found.setdefault(address.kind, []).append(text)
    return {kind: "\n".join(texts) for kind, texts in found.items()}


def offender_section(nominal: Any, heading: str = "2. Offender information") -> Section:
    """MAPPA A/B section 2 from the register, as it stands today."""
    from mappa.register.models import AddressKind, IdentifierKind

    identifiers: dict[str, list[str]] = {}
    for identifier in nominal.identifiers.all():
        text = identifier.value
        if identifier.kind == IdentifierKind.AGENCY and identifier.issuer:
            text = f"{identifier.value} ({identifier.issuer})"
        identifiers.setdefault(identifier.kind, []).append(text)
    addresses = _addresses(nominal)
    current = addresses.get(AddressKind.CURRENT, "")
    if AddressKind.NO_FIXED_ABODE in addresses:
        current = _join(current, addresses[AddressKind.NO_FIXED_ABODE])
    other_numbers = [
        f"{IdentifierKind(kind).label}: {', '.join(values)}"
        for kind, values in identifiers.items()
        if kind in (IdentifierKind.CRO, IdentifierKind.NINO)
    ]
    return Section(
        heading,
        fields=_fields(
            [
                ("Last name", nominal.family_name),
                ("First name", nominal.given_names),
                ("Date of birth", _d(nominal.date_of_birth)),
                ("Aliases (including nicknames)", ", ".join(str(a) for a in nominal.aliases.all())),
                ("Prison number", ", ".join(identifiers.get(IdentifierKind.PRISON, []))),
                (
                    "Last known address before sentence",
                    addresses.get(AddressKind.LAST_KNOWN_BEFORE_SENTENCE, ""),
                ),
                ("Proposed release address", addresses.get(AddressKind.APPROVED_RELEASE, "")),
                ("Current address if in community", current),
                ("Gender", nominal.get_gender_display()),
                ("Ethnicity", nominal.ethnicity),
                ("PNC ID", ", ".join(identifiers.get(IdentifierKind.PNC, []))),
                (
                    "ViSOR reference (must be completed for all registered sexual offenders)",
                    ", ".join(identifiers.get(IdentifierKind.VISOR, [])),
                ),
                (
                    "Agency unique identifier",
                    _join(", ".join(identifiers.get(IdentifierKind.AGENCY, [])), *other_numbers),
                ),
            ]
        ),
        note="From the register, as it stands on the day this document was generated.",
    )


def conviction_section(
    nominal: Any, case: Any, heading: str = "3. Conviction / caution information"
) -> Section:
    convictions = list(nominal.convictions.all())
    index = [c for c in convictions if c.is_index_offence]
    previous = [c for c in convictions if not c.is_index_offence]

    def describe(c: Any) -> str:
        text = c.offence + (" (caution)" if c.is_caution else "")
        if c.court:
            text += f", {c.court}"
        if c.country and c.country != "Jersey":
            text += f", {c.country}"
        return text

    sentence = next(iter(nominal.sentences.all()), None)
    fields = [
        ("Index offence / relevant caution", "\n".join(describe(c) for c in index)),
        ("Date of conviction / caution", "\n".join(_d(c.conviction_date) for c in index)),
        (
            "Sentence",
            "\n".join(c.sentence for c in index if c.sentence)
            or (sentence.description if sentence else ""),
        ),
        ("Brief offence(s) details", "\n".join(c.details for c in index if c.details)),
    ]
    rows: list[tuple[str, ...]] = [
        (
            describe(c),
            _d(c.conviction_date),
            c.sentence,
            c.details,
        )
        for c in previous
    ]
    dates: list[tuple[str, str]] = []
    if sentence is not None:
        dates.append(("Date of sentence", _d(sentence.sentence_date)))
        dates.extend((label, _d(value)) for label, value in sentence.dates_for_display())
        for label, flag in (
            ("Disqualification order", sentence.has_disqualification_order),
            ("Imprisonment for public protection", sentence.is_ipp),
            ("Extended sentence for public protection", sentence.is_epp),
            ("Lifer", sentence.is_life),
            ("Sexual offences prevention order", sentence.has_sopo),
            ("Violent offender order", sentence.has_violent_offender_order),
        ):
            dates.append((label, _yes_no(flag)))
    notification = ""
    if case is not None:
        if getattr(case, "notification_indefinite", False):
            notification = "Indefinite"
        else:
            notification = _d(getattr(case, "notification_end_date", None))
    dates.append(("Registered sex offender notification end date", notification))
    return Section(
        heading,
        fields=_fields(fields + [("Relevant dates: " + label, value) for label, value in dates]),
        tables=(
            Table(
                (
                    "Relevant previous convictions and pattern of offending",
                    "Date",
                    "Sentence",
                    "Details",
                ),
                tuple(rows),
            ),
        ),
        note="From the register, as it stands on the day this document was generated.",
    )


def hospital_section(
    nominal: Any, viewer: Any = None, heading: str = "4. Detained in hospital"
) -> Section:
    """MAPPA A/B section 4 (completed by Mental Health). Health detail is a sensitive
    section: a reader the area's rules do not allow sees that it is withheld."""
    if viewer is not None:
        from mappa.access.models import SensitiveSection
        from mappa.access.policy import Action, decide

        if not decide(viewer, Action.SECTION_VIEW, (nominal, SensitiveSection.HEALTH)):
            return Section(
                heading,
                empty="Withheld: this section holds health detail that your role may not see. "
                "Ask the MAPPA co-ordinator.",
            )
    detentions = list(nominal.detentions.all())
    if not detentions:
        return Section(heading, empty=NOT_APPLICABLE_HOSPITAL)
    detention = detentions[0]
    return Section(
        heading,
        fields=_fields(
            [
                ("Name of responsible clinician", detention.responsible_clinician),
                ("Hospital", detention.hospital),
                ("Earliest possible discharge date", _d(detention.earliest_discharge_date)),
                ("Proposed release address", detention.proposed_release_address),
                (
                    "Name / contact details of forensic social worker",
                    detention.forensic_social_worker,
                ),
                ("Date of next tribunal", _d(detention.next_tribunal_date)),
                ("Basis for detention", detention.get_basis_display()),
            ]
        ),
    )


def _choices_and_text(options: list[tuple[str, str]], values: list[str], text: str) -> str:
    from mappa.referrals import choices

    return _join(*choices.labels(options, values or []), text)


def build_mappa_a(referral: Any, *, viewer: Any = None) -> Document:
    """The referral as the MAPPA A form sets it out (J appendix A)."""
    from mappa.assessments.models import DETAIL_RELATIONS
    from mappa.referrals import choices
    from mappa.referrals.models import Referral, ReferralStatus
    from mappa.register.models import Nominal
    from mappa.register.services import current_state

    referral = (
        Referral.objects.select_related(
            "case",
            "referrer",
            "referring_agency",
            "line_manager",
            "endorsed_by",
            "decided_by",
        )
        .prefetch_related("invitees__agency")
        .get(pk=referral.pk)
    )
    nominal = Nominal.objects.prefetch_related(
        "aliases", "identifiers", "addresses", "convictions", "sentences", "detentions"
    ).get(pk=referral.nominal_id)
    case = referral.case
    state = current_state(case)
    assessments = list(
        referral.assessments.select_related("agency", *DETAIL_RELATIONS).order_by("-completed_on")
    )

    category = Section(
        MAPPA_A_HEADINGS[0],
        fields=_fields(
            [
                ("MAPPA area", settings.MAPPA_AREA_NAME),
                ("Category", referral.get_category_display() if referral.category else ""),
                (
                    "Level (proposed if new)",
                    f"Level {referral.level_sought}" if referral.level_sought else "",
                ),
                ("The person is a sexual offender", _yes_no(referral.sexual_offender)),
                ("Where the person is", referral.get_custody_display() if referral.custody else ""),
                (
                    "An emergency meeting is needed",
                    _join(
                        _yes_no(referral.emergency_meeting),
                        f"Needed by {_d(referral.emergency_needed_by)}"
                        if referral.emergency_needed_by
                        else "",
                        referral.emergency_reason,
                    ),
                ),
            ]
        ),
    )
    assessment_rows = tuple(
        (
            a.get_tool_display(),
            "; ".join(f"{label}: {value}" for label, value in a.detail.summary()),
            str(a.agency),
            _d(a.completed_on),
        )
        for a in assessments
    )
    risk = Section(
        MAPPA_A_HEADINGS[4],
        fields=_fields(
            [
                (
                    "Lead agency's view of the current risk of serious harm",
                    referral.get_overall_risk_display() if referral.overall_risk else "",
                ),
                ("Lead agency risk assessment summary: who is at risk?", referral.risk_who),
                ("What is the nature of the risk?", referral.risk_nature),
                ("When is the risk likely to be greatest?", referral.risk_when),
                ("What circumstances are likely to increase risk?", referral.risk_increase),
                ("What factors are likely to reduce risk?", referral.risk_reduce),
                (
                    "Lead agency risk management plan: restrictive interventions",
                    _choices_and_text(
                        choices.RESTRICTIVE,
                        referral.plan_restrictive_choices,
                        referral.plan_restrictive,
                    ),
                ),
                (
                    "Rehabilitative interventions",
                    _choices_and_text(
                        choices.REHABILITATIVE,
                        referral.plan_rehabilitative_choices,
                        referral.plan_rehabilitative,
                    ),
                ),
                (
                    "Protective interventions",
                    _choices_and_text(
                        choices.PROTECTIVE,
                        referral.plan_protective_choices,
                        referral.plan_protective,
                    ),
                ),
            ]
        ),
        tables=(Table(("Assessment tool", "Result", "Agency", "Date completed"), assessment_rows),),
    )
    relevant = Section(
        MAPPA_A_HEADINGS[5],
        fields=_fields(
            [
                (
                    "Reason for referral",
                    _choices_and_text(
                        choices.REASONS, referral.reason_choices, referral.reason_for_referral
                    ),
                ),
                ("What interagency work has been undertaken so far?", referral.interagency_work),
                (
                    "How will active level 2 or 3 management add value to the case over and "
                    "above what is already being achieved?",
                    referral.added_value,
                ),
                ("Diversity considerations linked to risk of serious harm", referral.diversity),
            ]
        ),
    )
    victims = Section(
        MAPPA_A_HEADINGS[6],
        fields=_fields(
            [
                (
                    "Known or suspected concerns about the victim of the index offence(s), "
                    "previous offences or potential victims",
                    referral.victim_concerns,
                )
            ]
        ),
    )
    safeguarding = Section(
        MAPPA_A_HEADINGS[7],
        fields=_fields(
            [
                (
                    "Are there any child protection concerns?",
                    referral.get_child_protection_concerns_display()
                    if referral.child_protection_concerns
                    else "",
                ),
                ("a. What are they?", referral.child_protection_details),
                (
                    "b. Is there an allocated social worker? If so, please give details",
                    referral.social_worker,
                ),
                (
                    "c. Is the child or children currently subject to a child protection plan?",
                    referral.get_child_protection_plan_display()
                    if referral.child_protection_plan
                    else "",
                ),
                ("Vulnerable adult concerns", referral.vulnerable_adult_concerns),
            ]
        ),
    )
    referring = Section(
        MAPPA_A_HEADINGS[8],
        fields=_fields(
            [
                ("Referring agency", str(referral.referring_agency)),
                ("Referring officer", referral.referrer.display_name),
                ("Date sent", _d(referral.submitted_at)),
                (
                    "Line manager",
                    referral.line_manager.display_name if referral.line_manager else "",
                ),
                (
                    "Endorsed by the line manager",
                    _join(
                        referral.endorsed_by.display_name if referral.endorsed_by else "",
                        _d(referral.endorsed_at),
                        referral.endorsement_note,
                        sep=", ",
                    ),
                ),
            ]
        ),
    )
    invitees = tuple(
        (
            str(i.position),
            _join(i.name, i.role, sep=", "),
            str(i.agency),
            _join(i.email, i.phone, i.address, sep="\n"),
        )
        for i in referral.invitees.all()
    )
    invite = Section(
        MAPPA_A_HEADINGS[9],
        tables=(Table(("No.", "Name and role", "Agency", "Contact details"), invitees),)
        if invitees
        else (),
        empty="None recorded",
    )
    decided = referral.status in (ReferralStatus.ACCEPTED, ReferralStatus.DECLINED)
    decision_fields: tuple[Field, ...] = ()
    if decided or referral.received_on:
        decision_fields = _fields(
            [
                ("Status", referral.get_status_display()),
                ("Date received by the co-ordinator", _d(referral.received_on)),
                (
                    "Decision",
                    (
                        f"Accepted at level {referral.accepted_level}"
                        + (
                            f" ({referral.get_accepted_category_display()})"
                            if referral.accepted_category
                            else ""
                        )
                    )
                    if referral.status == ReferralStatus.ACCEPTED
                    else (
                        f"Declined: {referral.get_decline_reason_display()}"
                        if referral.status == ReferralStatus.DECLINED
                        else ""
                    ),
                ),
                ("Decided by", referral.decided_by.display_name if referral.decided_by else ""),
                ("Date of decision", _d(referral.decided_at)),
                ("Reasons", referral.decision_note),
                (
                    "First meeting to be held by",
                    _d(referral.first_meeting_due)
                    + (
                        " (ROTL date missing: counted from the earliest release date)"
                        if referral.first_meeting_due and referral.rotl_date_missing
                        else ""
                    ),
                ),
            ]
        )
    decision = Section(
        MAPPA_A_HEADINGS[10],
        fields=decision_fields,
        empty=f"Not decided yet: the referral is {referral.get_status_display().lower()}.",
    )
    sections = (
        category,
        offender_section(nominal, MAPPA_A_HEADINGS[1]),
        conviction_section(nominal, case, MAPPA_A_HEADINGS[2]),
        hospital_section(nominal, viewer, MAPPA_A_HEADINGS[3]),
        risk,
        relevant,
        victims,
        safeguarding,
        referring,
        invite,
        decision,
    )
    generated = today()
    lead = f", lead agency {state.lead_agency}" if state else ""
    return Document(
        kind="mappa_a",
        title=f"{settings.MAPPA_AREA_NAME} MAPPA referral (MAPPA A)",
        subtitle=f"{nominal.family_name.upper()}, {nominal.given_names} ({nominal.reference}), "
        f"case {case.reference}{lead}. Status: {referral.get_status_display()}.",
        reference=f"Referral {referral.reference}, case {case.reference}",
        generated_on=generated,
        sections=sections,
        filename_stem=f"mappa-a-{_slug(referral.reference)}-{generated.isoformat()}",
    )


# MAPPA B (the minutes of one case discussion) -----------------------------------------------

MAPPA_B_HEADINGS = (
    "Record of MAPPA meeting",
    "1. Category of offender",
    "2. Offender information",
    "3. Conviction / caution information",
    "4. Detained in hospital",
    "5. Risk assessment",
    "6. Relevant information (at time of referral)",
    "7. Safeguarding (at time of referral)",
    "8. MAPPA actions review",
    "9. Information from agencies",
    "10. Current victim concerns",
    "11a. Agreed risk assessment summary",
    "11b. Agreed risk management plan",
    "12. MAPPA view of risk of serious harm",
    "13. Disclosure",
    "14. Press and media handling",
    "15. MAPPA actions",
    "16. Conclusion",
    "17. Human Rights Act validation",
    "18. MAPPA administration",
)

# Sections 10 to 18 of the form and the minutes fields each holds (11a/11b/12 are one
# page in the application, three headings on the form).
_B_FIELDS: dict[str, tuple[str, ...]] = {
    "10. Current victim concerns": (
        "victim_concerns",
        "vls_taken_up",
        "vlo_contact",
        "domestic_abuse",
        "domestic_abuse_details",
        "marac_referred",
        "marac_meeting",
        "marac_date",
        "marac_actions",
    ),
    "11a. Agreed risk assessment summary": (
        "risk_who",
        "risk_nature",
        "risk_when",
        "risk_increase",
        "risk_reduce",
    ),
    "11b. Agreed risk management plan": (
        "plan_restrictive",
        "plan_rehabilitative",
        "plan_protective",
        "contingency_plan",
        "differences_of_opinion",
    ),
    "12. MAPPA view of risk of serious harm": ("rosh",),
    "13. Disclosure": (
        "disclosure",
        "disclosure_reasons",
        "disclosure_what",
        "disclosure_by_date",
        "disclosure_by_whom",
        "disclosure_to_whom",
        "withhold_from_offender",
        "withhold_reasons",
    ),
    "14. Press and media handling": (
        "media_consider",
        "media_issue",
        "media_alerted",
        "media_alerted_by",
        "media_who_will",
    ),
    "16. Conclusion": (
        "conclusion",
        "conclusion_reasons",
        "ongoing_at_level",
        "ongoing_achieve",
        "discharge_considered",
        "discharge_notes",
    ),
    "17. Human Rights Act validation": ("hra_confirmed", "hra_grounds"),
    "18. MAPPA administration": (
        "next_meeting_date",
        "next_meeting_time",
        "next_meeting_location",
    ),
}

# Sections 1-7 as carried, by number; what an empty one says. Section 4 collapses
# when the person is not in hospital, as the MAPPA B notes allow ("where sections of
# the MAPPA A were not applicable, these will or should be collapsed").
_CARRIED_EMPTY = {
    4: NOT_APPLICABLE_HOSPITAL + " (collapsed, as the MAPPA B notes allow)",
}


def _with_amendments(value: str, amendments: list[dict[str, Any]]) -> str:
    parts = [value or "None recorded"] if amendments else [value]
    for a in amendments:
        parts.append(
            f"Amended on {_d(a['at'])} by {a['author']}: {a['value'] or '(left blank)'}. "
            f"Reason: {a['reason']}"
        )
    return "\n".join(parts)


def _carried_sections(carried: dict[str, Any]) -> list[Section]:
    by_number = {int(s["number"]): s for s in carried.get("sections", []) if "number" in s}
    out = []
    for number, heading in enumerate(MAPPA_B_HEADINGS[1:8], start=1):
        found = by_number.get(number)
        if found is None:
            out.append(
                Section(
                    heading,
                    empty="None recorded: nothing was carried into these minutes for this section",
                )
            )
            continue
        note = f"As carried: {found.get('source', '')}"
        if found.get("source_date"):
            note += f", {_d(dt.date.fromisoformat(found['source_date']))}"
        note += ". Not changed at the meeting."
        rows = found.get("rows", [])
        out.append(
            Section(
                heading,
                fields=tuple(Field(str(label), str(value)) for label, value in rows),
                empty=_CARRIED_EMPTY.get(number, "None recorded"),
                note=note,
            )
        )
    return out


def build_mappa_b(minutes: Any) -> Document:
    """The minutes of one case discussion as MAPPA B: all 18 sections, 1-7 as carried."""
    from mappa.minutes import selectors
    from mappa.minutes.views import _body_context

    minutes = selectors.minutes_detail(minutes.pk)
    amendments = list(minutes.amendments.all())
    context = _body_context(minutes, amendments)
    meeting = context["meeting"]
    nominal = context["nominal"]
    case = context["case"]
    state = context["state"]
    rows = {row.name: row for view in context["sections"] for row in view.rows}

    record = Section(
        MAPPA_B_HEADINGS[0],
        fields=_fields(
            [
                ("Name of offender", f"{nominal.full_name} ({nominal.reference})"),
                ("Case", case.reference),
                (
                    "Date / time of meeting",
                    f"{meeting.date:%A %-d %B %Y}, {meeting.start_time:%H:%M}"
                    + (f", {meeting.venue}" if meeting.venue else ""),
                ),
                ("Level of meeting", f"Level {meeting.level}"),
                ("Chair", meeting.chair.display_name if meeting.chair else ""),
                ("Lead agency", str(state.lead_agency) if state else ""),
            ]
        ),
        note=f"Sections 1 to 7 copied on {_d(_iso(context['carried'].get('copied_on')))} "
        f"from {context['carried'].get('source', {}).get('label', 'the register')}. The "
        "record of the meeting starts at section 8.",
    )

    reviews = tuple(
        (
            str(r.action.number),
            f"{r.action.description}\n(Set at the meeting on "
            f"{_d(r.action.minutes.agenda_item.meeting.date)})",
            _join(str(r.action.agency or ""), r.action.owner_name, sep=": "),
            {"yes": "Yes", "no": "No"}.get(r.completed, "Not answered"),
            _d(r.done_on) if r.completed == "yes" else r.reason_not_completed,
        )
        for r in context["reviews"]
    )
    review = Section(
        MAPPA_B_HEADINGS[8],
        tables=(
            Table(
                ("No.", "Action", "Owner", "Was action completed?", "Date done or reason if not"),
                reviews,
            ),
        )
        if reviews
        else (),
        empty="None recorded: there were no actions from an earlier meeting to review",
    )
    updates = tuple((f"{u.person_name}, {u.agency}", u.update) for u in context["updates"])
    agencies = Section(
        MAPPA_B_HEADINGS[9],
        tables=(Table(("Name / agency", "Update"), updates),) if updates else (),
        empty="None recorded",
    )

    def flags(a: Any) -> str:
        return _join(
            "Protects victims." if a.protects_victims else "",
            "Contingency plan." if a.contingency else "",
            "The agencies cannot deliver this: referred to the next meeting."
            if a.refer_to_next_meeting
            else "",
            sep=" ",
        )

    actions = tuple(
        (
            str(a.number),
            _join(a.description, flags(a)),
            _join(str(a.agency or ""), a.owner_name, sep=": ")
            + (
                f"\n(Originally {a.original_agency}; the lead agency owns it from "
                f"{_d(a.transferred_on)})"
                if a.original_agency
                else ""
            ),
            _d(a.due_date) or ("Next meeting" if a.refer_to_next_meeting else ""),
        )
        for a in context["actions"]
    )
    action_section = Section(
        MAPPA_B_HEADINGS[16],
        tables=(Table(("No.", "Action", "Agency and owner", "Deadline (specified date)"), actions),)
        if actions
        else (),
        empty="None recorded",
    )

    def field_section(heading: str) -> Section:
        out = []
        for name in _B_FIELDS[heading]:
            row = rows.get(name)
            if row is None:  # a conditional question nobody needed to answer
                continue
            out.append(Field(row.label, _with_amendments(row.value, row.amendments)))
        if heading.startswith("18."):
            out += [
                Field(
                    "Minutes prepared by",
                    _join(
                        minutes.prepared_by.display_name if minutes.prepared_by else "",
                        _d(minutes.prepared_on),
                        sep=", ",
                    ),
                ),
                Field(
                    "Minutes checked by",
                    _join(
                        minutes.checked_by.display_name if minutes.checked_by else "",
                        _d(minutes.checked_on),
                        sep=", ",
                    ),
                ),
                Field(
                    "Minutes distributed by",
                    _join(
                        minutes.distributed_by.display_name if minutes.distributed_by else "",
                        _d(minutes.distributed_on),
                        sep=", ",
                    ),
                ),
            ]
        return Section(heading, fields=tuple(out), empty="None recorded")

    sections = (
        record,
        *_carried_sections(context["carried"]),
        review,
        agencies,
        *(field_section(h) for h in MAPPA_B_HEADINGS[10:16]),
        action_section,
        *(field_section(h) for h in MAPPA_B_HEADINGS[17:]),
    )
    if minutes.is_distributed:
        status = f"Distributed {_d(minutes.distributed_on)}"
    elif minutes.status == "checked":
        status = f"Checked {_d(minutes.checked_on)}, not yet distributed"
    else:
        status = "DRAFT – not checked"
    if amendments:
        status += f". Includes {len(amendments)} amendment{'s' if len(amendments) != 1 else ''}"
    generated = today()
    return Document(
        kind="mappa_b",
        title=f"{settings.MAPPA_AREA_NAME} MAPPA meeting minutes, level {meeting.level} (MAPPA B)",
        subtitle=f"{nominal.family_name.upper()}, {nominal.given_names} ({nominal.reference}). "
        f"{status}.",
        reference=f"Minutes, case {case.reference}, meeting {meeting.date:%-d %B %Y}",
        generated_on=generated,
        sections=sections,
        filename_stem=f"mappa-b-{_slug(case.reference)}-{meeting.date.isoformat()}"
        f"-{generated.isoformat()}",
    )


def _iso(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


# Level 1 review (J 9.2) --------------------------------------------------------------------

LEVEL1_HEADINGS = (
    "1. The case",
    "2. The review",
    "3. Risk management plan",
    "4. Referral to level 2 or 3",
)


def build_level1_review(review: Any) -> Document:
    """The lead agency's record of a level 1 review (J 9.2)."""
    from mappa.minutes.models import Level1Review, YesNo
    from mappa.register.services import current_state

    review = Level1Review.objects.select_related(
        "case__nominal", "agency", "reviewed_by", "referral"
    ).get(pk=review.pk)
    case = review.case
    nominal = case.nominal
    state = current_state(case)

    def label(name: str) -> str:
        return str(getattr(Level1Review._meta.get_field(name), "verbose_name", name))

    the_case = Section(
        LEVEL1_HEADINGS[0],
        fields=_fields(
            [
                ("Name", f"{nominal.full_name} ({nominal.reference})"),
                ("Date of birth", _d(nominal.date_of_birth)),
                ("Case", case.reference),
                ("Category", state.get_category_display() if state else ""),
                ("Level now", state.get_level_display() if state else ""),
            ]
        ),
    )
    the_review = Section(
        LEVEL1_HEADINGS[1],
        fields=_fields(
            [
                (label("review_date"), _d(review.review_date)),
                ("Lead agency", str(review.agency)),
                ("Reviewed by", review.reviewed_by.display_name),
                (label("new_information"), review.new_information),
            ]
        ),
    )
    revised = review.plan_revised == YesNo.YES
    plan = Section(
        LEVEL1_HEADINGS[2],
        fields=_fields(
            [
                (label("plan_revised"), review.get_plan_revised_display()),
                (
                    label("plan_changes"),
                    review.plan_changes if revised else "Not applicable: the plan was not revised",
                ),
            ]
        ),
    )
    referring = review.refer == YesNo.YES
    refer = Section(
        LEVEL1_HEADINGS[3],
        fields=_fields(
            [
                (label("refer"), review.get_refer_display()),
                (
                    "Why",
                    review.refer_reasons if referring else "Not applicable: no referral needed",
                ),
                (
                    "Referral started from this review",
                    review.referral.reference
                    if review.referral
                    else ("" if referring else "Not applicable"),
                ),
            ]
        ),
    )
    generated = today()
    return Document(
        kind="level1_review",
        title=f"{settings.MAPPA_AREA_NAME} MAPPA level 1 review",
        subtitle=f"{nominal.family_name.upper()}, {nominal.given_names} ({nominal.reference}), "
        f"reviewed by {review.agency} on {_d(review.review_date)}.",
        reference=f"Level 1 review, case {case.reference}, {_d(review.review_date)}",
        generated_on=generated,
        sections=(the_case, the_review, plan, refer),
        filename_stem=f"level-1-review-{_slug(case.reference)}-{review.review_date.isoformat()}"
        f"-{generated.isoformat()}",
    )
