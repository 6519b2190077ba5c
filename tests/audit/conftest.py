"""Helpers for the audit tests: a normal session of activity, and ways past the
append-only triggers, which a tamperer with schema rights has and the tests need in
order to prove that verify_audit catches what the triggers would have refused."""

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db import connection

from mappa.accounts.testing import verify_session
from mappa.audit.models import AuditEvent
from mappa.register import services
from tests.conftest import Personas
from tests.factories import make_nominal

TABLE = AuditEvent._meta.db_table
PG_TRIGGER = "audit_auditevent_append_only"
SQLITE_TRIGGERS = ("audit_auditevent_no_update", "audit_auditevent_no_delete")


@contextmanager
def append_only_lifted() -> Iterator[None]:
    """Disable the append-only triggers for the block, then put them back."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER {PG_TRIGGER}")
            try:
                yield
            finally:
                cursor.execute(f"ALTER TABLE {TABLE} ENABLE TRIGGER {PG_TRIGGER}")
            return
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
            [TABLE],
        )
        saved = cursor.fetchall()
        assert sorted(name for name, _ in saved) == sorted(SQLITE_TRIGGERS)
        for name, _ in saved:
            cursor.execute(f"DROP TRIGGER {name}")
        try:
            yield
        finally:
            for _, sql in saved:
                cursor.execute(sql)


def raw(sql: str, params: list[Any] | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])


def session_of_activity(personas: Personas) -> list[Any]:
    """What a working day leaves in the trail: records added, corrected, viewed, archived."""
    first = make_nominal(
        personas.coordinator, lead_agency=personas.probation, manager=personas.owner
    )
    second = make_nominal(
        personas.coordinator,
        family_name="Jones",
        given_names="Mary",
        date_of_birth=dt.date(1975, 2, 3),
        gender="female",
        lead_agency=personas.police,
    )
    services.nominal_update(
        actor=personas.owner, nominal=first, given_names="John Paul", ethnicity="W1"
    )
    services.nominal_archive(
        actor=personas.coordinator, nominal=second, reason="No longer meets the criteria"
    )
    return [first, second]


@pytest.fixture
def activity(personas: Personas) -> list[Any]:
    return session_of_activity(personas)


def sign_in(client: Any, user: Any) -> None:
    """Signed in with the second factor given, as every page now requires."""
    client.force_login(user)
    verify_session(client, user)
