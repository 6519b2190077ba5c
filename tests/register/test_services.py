"""Rules the register enforces (issue 2 point 4), each with a passing and a failing case."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from mappa.audit.models import AuditEvent
from mappa.register import services
from mappa.register.models import (
    Address,
    Alias,
    Case,
    CaseState,
    Conviction,
    Identifier,
    Nominal,
    Sentence,
)
from mappa.register.rules import deletion_review_date
from tests.conftest import Personas
from tests.factories import make_nominal

pytestmark = pytest.mark.django_db


def _errors(exc: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return exc.value.message_dict


def test_category_3_at_level_1_is_refused_naming_the_level(personas: Personas) -> None:
    with pytest.raises(ValidationError) as exc:
        make_nominal(personas.coordinator, category="3", level=1, lead_agency=personas.probation)
    assert "level 2 or 3" in _errors(exc)["level"][0]
    assert not Nominal.objects.exists()


def test_category_3_at_level_2_is_accepted(personas: Personas) -> None:
    nominal = make_nominal(
        personas.coordinator, category="3", level=2, lead_agency=personas.probation
    )
    assert CaseState.objects.get(case__nominal=nominal).level == 2


def test_pdp_without_behaviour_is_refused(personas: Personas) -> None:
    with pytest.raises(ValidationError) as exc:
        make_nominal(
            personas.coordinator, category="pdp", pdp_behaviour="  ", lead_agency=personas.police
        )
    assert "behaviour" in _errors(exc)["pdp_behaviour"][0]


def test_pdp_with_behaviour_is_accepted(personas: Personas) -> None:
    nominal = make_nominal(
        personas.coordinator,
        category="pdp",
        pdp_behaviour="Repeated threats",
        lead_agency=personas.police,
    )
    assert Case.objects.get(nominal=nominal).pdp_behaviour == "Repeated threats"


def test_pdp_cannot_have_an_index_offence(personas: Personas) -> None:
    nominal = make_nominal(personas.coordinator, category="pdp", lead_agency=personas.police)
    conviction = Conviction(
        offence="Assault", conviction_date=dt.date(2020, 1, 1), is_index_offence=True
    )
    with pytest.raises(ValidationError) as exc:
        services.attachment_save(actor=personas.coordinator, nominal=nominal, instance=conviction)
    assert "no qualifying conviction" in _errors(exc)["is_index_offence"][0]
    # A conviction that is not an index offence is allowed (J 3.10 speaks of qualifying ones).
    services.attachment_save(
        actor=personas.coordinator,
        nominal=nominal,
        instance=Conviction(offence="Criminal damage", conviction_date=dt.date(2020, 1, 1)),
    )


def test_changing_to_pdp_refused_when_an_index_offence_exists(
    personas: Personas, nominal: Nominal
) -> None:
    services.attachment_save(
        actor=personas.coordinator,
        nominal=nominal,
        instance=Conviction(
            offence="Wounding", conviction_date=dt.date(2019, 3, 1), is_index_offence=True
        ),
    )
    case = services.current_case(nominal)
    assert case is not None
    with pytest.raises(ValidationError) as exc:
        services.case_update_management(
            actor=personas.coordinator,
            case=case,
            category="pdp",
            level=2,
            lead_agency=personas.probation,
            manager=None,
            effective_from=dt.date.today(),
            reason="Reassessed",
            pdp_behaviour="Threats",
        )
    assert "index offence" in _errors(exc)["category"][0]


def test_category_1_needs_notification_end_or_indefinite(personas: Personas) -> None:
    with pytest.raises(ValidationError) as exc:
        make_nominal(
            personas.coordinator,
            category="1",
            lead_agency=personas.police,
            notification_indefinite=False,
        )
    assert "notification end date" in _errors(exc)["notification_end_date"][0]
    make_nominal(
        personas.coordinator,
        category="1",
        lead_agency=personas.police,
        notification_indefinite=False,
        notification_end_date=dt.date(2031, 3, 27),
    )
    make_nominal(
        personas.coordinator,
        category="1",
        family_name="Jones",
        lead_agency=personas.police,
        notification_indefinite=True,
    )


def test_date_of_birth_cannot_be_in_the_future(personas: Personas) -> None:
    with pytest.raises(ValidationError) as exc:
        make_nominal(
            personas.coordinator,
            lead_agency=personas.probation,
            date_of_birth=dt.date.today() + dt.timedelta(days=1),
        )
    assert _errors(exc)["date_of_birth"] == ["Date of birth must be in the past"]
    make_nominal(
        personas.coordinator, lead_agency=personas.probation, date_of_birth=dt.date.today()
    )


def test_conviction_date_cannot_be_in_the_future(personas: Personas, nominal: Nominal) -> None:
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as exc:
        services.attachment_save(
            actor=personas.coordinator,
            nominal=nominal,
            instance=Conviction(offence="Robbery", conviction_date=tomorrow),
        )
    assert "conviction_date" in _errors(exc)
    services.attachment_save(
        actor=personas.coordinator,
        nominal=nominal,
        instance=Conviction(offence="Robbery", conviction_date=dt.date.today()),
    )


def test_release_cannot_precede_sentence(personas: Personas, nominal: Nominal) -> None:
    with pytest.raises(ValidationError) as exc:
        services.attachment_save(
            actor=personas.coordinator,
            nominal=nominal,
            instance=Sentence(sentence_date=dt.date(2024, 6, 1), release_date=dt.date(2024, 5, 31)),
        )
    assert "before the date of sentence" in _errors(exc)["release_date"][0]
    # Release on the day of sentence (time served) is allowed.
    services.attachment_save(
        actor=personas.coordinator,
        nominal=nominal,
        instance=Sentence(sentence_date=dt.date(2024, 6, 1), release_date=dt.date(2024, 6, 1)),
    )


def test_identifier_is_unique_within_the_register(personas: Personas, nominal: Nominal) -> None:
    services.attachment_save(
        actor=personas.coordinator, nominal=nominal, instance=Identifier(kind="pnc", value="12/1H")
    )
    other = make_nominal(personas.coordinator, family_name="Other", lead_agency=personas.probation)
    with pytest.raises(ValidationError) as exc:
        services.attachment_save(
            actor=personas.coordinator,
            nominal=other,
            instance=Identifier(kind="pnc", value="2012/0000001H"),
        )
    assert "already on the register" in _errors(exc)["value"][0]
    # The same number as another kind of identifier is a different identifier.
    services.attachment_save(
        actor=personas.coordinator,
        nominal=other,
        instance=Identifier(
            kind="agency", value="2012/0000001H", issuer="Probation case management"
        ),
    )


def test_invalid_identifier_at_creation_saves_nothing(personas: Personas) -> None:
    with pytest.raises(ValidationError) as exc:
        make_nominal(
            personas.coordinator,
            lead_agency=personas.probation,
            identifiers=[("pnc", "2012/0000001A", ""), ("nino", "AB123456C", "")],
        )
    assert "mistyped" in _errors(exc)["identifier_pnc"][0]
    assert not Nominal.objects.exists() and not Identifier.objects.exists()


def test_archived_record_is_read_only_until_reactivated(
    personas: Personas, nominal: Nominal
) -> None:
    services.nominal_archive(
        actor=personas.coordinator, nominal=nominal, reason="No longer eligible"
    )
    nominal.refresh_from_db()
    with pytest.raises(ValidationError, match="archived"):
        services.nominal_update(actor=personas.coordinator, nominal=nominal, given_names="Jack")
    with pytest.raises(ValidationError, match="archived"):
        services.attachment_save(
            actor=personas.coordinator, nominal=nominal, instance=Alias(given_names="Jack")
        )
    services.nominal_reactivate(actor=personas.coordinator, nominal=nominal, reason="Re-sentenced")
    nominal.refresh_from_db()
    services.nominal_update(actor=personas.coordinator, nominal=nominal, given_names="Jack")
    assert Case.objects.filter(nominal=nominal).count() == 2
    assert Case.objects.filter(nominal=nominal, closed_on__isnull=True).count() == 1


def test_archive_needs_a_reason(personas: Personas, nominal: Nominal) -> None:
    with pytest.raises(ValidationError) as exc:
        services.nominal_archive(actor=personas.coordinator, nominal=nominal, reason=" ")
    assert "reason" in _errors(exc)


def test_every_change_keeps_who_and_when(personas: Personas, nominal: Nominal) -> None:
    services.nominal_update(
        actor=personas.administrator,
        nominal=nominal,
        given_names="Johnny",
        expected_version=nominal.version,
    )
    event = AuditEvent.objects.filter(action="nominal.update").get()
    assert event.actor == personas.administrator
    assert event.changes == {"given_names": ["John", "Johnny"]}
    nominal.refresh_from_db()
    assert nominal.updated_by == personas.administrator


def test_stale_version_is_refused(personas: Personas, nominal: Nominal) -> None:
    version = nominal.version
    services.nominal_update(
        actor=personas.coordinator, nominal=nominal, given_names="A", expected_version=version
    )
    with pytest.raises(services.ConcurrentEditError):
        services.nominal_update(
            actor=personas.coordinator, nominal=nominal, given_names="B", expected_version=version
        )


def test_level_change_keeps_dated_history(personas: Personas, nominal: Nominal) -> None:
    case = services.current_case(nominal)
    assert case is not None
    first = CaseState.objects.get(case=case)
    later = case.opened_on + dt.timedelta(days=0)
    services.case_update_management(
        actor=personas.coordinator,
        case=case,
        category="2",
        level=3,
        lead_agency=personas.probation,
        manager=personas.owner,
        effective_from=later,
        reason="Escalated at meeting",
    )
    # Same-day change replaces the day's arrangement rather than leaving a zero-length one.
    assert CaseState.objects.filter(case=case).count() == 1
    assert CaseState.objects.get(case=case).level == 3
    assert not CaseState.objects.filter(pk=first.pk, level=2).exists()


def test_level_change_on_a_later_day_closes_the_previous_state(personas: Personas) -> None:
    nominal = make_nominal(
        personas.coordinator, lead_agency=personas.probation, opened_on=dt.date(2025, 1, 10)
    )
    case = services.current_case(nominal)
    assert case is not None
    services.case_update_management(
        actor=personas.coordinator,
        case=case,
        category="2",
        level=1,
        lead_agency=personas.probation,
        manager=None,
        effective_from=dt.date(2025, 3, 1),
        reason="Reduced to level 1",
    )
    states = list(CaseState.objects.filter(case=case).order_by("effective_from"))
    assert [(s.level, s.effective_from, s.effective_to) for s in states] == [
        (2, dt.date(2025, 1, 10), dt.date(2025, 3, 1)),
        (1, dt.date(2025, 3, 1), None),
    ]
    with pytest.raises(ValidationError) as exc:
        services.case_update_management(
            actor=personas.coordinator,
            case=case,
            category="2",
            level=2,
            lead_agency=personas.probation,
            manager=None,
            effective_from=dt.date(2025, 2, 1),
            reason="Backdated",
        )
    assert "effective_from" in exc.value.message_dict


@pytest.mark.parametrize(
    ("born", "review"),
    [
        (dt.date(1950, 6, 15), dt.date(2050, 6, 15)),
        (dt.date(1960, 12, 31), dt.date(2060, 12, 31)),
        # 29 February: 2100 is not a leap year, so the anniversary falls on 1 March.
        (dt.date(2000, 2, 29), dt.date(2100, 3, 1)),
        # 1996 + 100 = 2096, a leap year: the anniversary is 29 February itself.
        (dt.date(1996, 2, 29), dt.date(2096, 2, 29)),
    ],
)
def test_deletion_review_on_the_100th_anniversary(born: dt.date, review: dt.date) -> None:
    assert deletion_review_date(born) == review


def test_address_rules(personas: Personas, nominal: Nominal) -> None:
    with pytest.raises(ValidationError) as exc:
        services.attachment_save(
            actor=personas.coordinator, nominal=nominal, instance=Address(kind="nfa")
        )
    assert "reporting_arrangement" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.attachment_save(
            actor=personas.coordinator,
            nominal=nominal,
            instance=Address(
                kind="current",
                line_1="1 Rue",
                from_date=dt.date(2024, 5, 1),
                to_date=dt.date(2024, 4, 1),
            ),
        )
    assert "to_date" in exc.value.message_dict
    services.attachment_save(
        actor=personas.coordinator,
        nominal=nominal,
        instance=Address(
            kind="nfa", reporting_arrangement="Reports daily to Rouge Bouillon police station"
        ),
    )


def test_text_is_stored_as_typed(personas: Personas) -> None:
    payload = "<script>alert('x')</script> O'Neil \"Jr\""
    nominal = make_nominal(
        personas.coordinator, given_names=payload, lead_agency=personas.probation
    )
    nominal.refresh_from_db()
    assert nominal.given_names == payload
