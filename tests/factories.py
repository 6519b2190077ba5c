"""Test state built through the services, so audit rows and rules behave as in production."""

import datetime as dt
from typing import Any

from mappa.access.models import Agency, AgencyKind, Role, User, UserRole
from mappa.register import services
from mappa.register.models import Nominal

PASSWORD = "correct horse battery staple"


def make_agency(name: str, kind: str = AgencyKind.OTHER, **extra: Any) -> Agency:
    agency, _ = Agency.objects.get_or_create(name=name, defaults={"kind": kind, **extra})
    return agency


def make_user(username: str, *roles: str, agency: Agency | None = None, **extra: Any) -> User:
    user = User.objects.create_user(
        username=username,
        password=PASSWORD,
        first_name=extra.pop("first_name", username.capitalize()),
        last_name=extra.pop("last_name", "Tester"),
        agency=agency,
        **extra,
    )
    for role in roles:
        UserRole.objects.create(user=user, role=role)
    return user


def make_nominal(
    actor: User,
    *,
    family_name: str = "Smith",
    given_names: str = "John",
    date_of_birth: dt.date = dt.date(1980, 5, 17),
    category: str = "2",
    level: int = 2,
    lead_agency: Agency,
    manager: User | None = None,
    **extra: Any,
) -> Nominal:
    return services.nominal_create(
        actor=actor,
        family_name=family_name,
        given_names=given_names,
        date_of_birth=date_of_birth,
        gender=extra.pop("gender", "male"),
        category=category,
        level=level,
        lead_agency=lead_agency,
        manager=manager,
        notification_indefinite=extra.pop("notification_indefinite", category == "1"),
        pdp_behaviour=extra.pop(
            "pdp_behaviour", "Threats to harm a neighbour's children" if category == "pdp" else ""
        ),
        **extra,
    )


__all__ = ["PASSWORD", "Role", "make_agency", "make_user", "make_nominal"]
