"""A person with two cases: MN/1 from 10 January 2024, archived on 10 January 2025;
MN/2 from re-activation on 1 June 2025, open."""

import datetime as dt

import pytest

from mappa.register import services as register_services
from mappa.register.models import Nominal
from tests.conftest import Personas
from tests.factories import make_nominal

FIRST_OPENED = dt.date(2024, 1, 10)
FIRST_CLOSED = dt.date(2025, 1, 10)
SECOND_OPENED = dt.date(2025, 6, 1)


@pytest.fixture
def person(personas: Personas) -> Nominal:
    nominal = make_nominal(
        personas.coordinator,
        family_name="Le Brun",
        category="1",
        lead_agency=personas.probation,
        manager=personas.owner,
        opened_on=FIRST_OPENED,
    )
    register_services.nominal_archive(
        actor=personas.coordinator, nominal=nominal, reason="Left", effective_on=FIRST_CLOSED
    )
    register_services.nominal_reactivate(
        actor=personas.coordinator, nominal=nominal, reason="Back", effective_on=SECOND_OPENED
    )
    return Nominal.objects.get(pk=nominal.pk)
