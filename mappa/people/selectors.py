"""Reads of the people around a case. What a user sees is filtered in the query: the
records they may open (``nominals_visible_to``) and the sections their role or agency
may see (``sections_visible_to``)."""

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from mappa.access.policy import nominals_visible_to, sections_visible_to
from mappa.people.models import CasePerson, CasePersonAlias, kinds_in_sections


def _with_aliases(queryset: QuerySet[CasePerson]) -> QuerySet[CasePerson]:
    return queryset.select_related("case").prefetch_related(
        Prefetch("aliases", queryset=CasePersonAlias.objects.order_by("name"))
    )


def people_for_user(user: Any, nominal: Any = None) -> QuerySet[CasePerson]:
    """The people around cases this user may see, of the sections they may see."""
    queryset = CasePerson.objects.filter(
        case__nominal__in=nominals_visible_to(user).values("pk"),
        kind__in=kinds_in_sections(sections_visible_to(user)),
    )
    if nominal is not None:
        queryset = queryset.filter(case__nominal=nominal)
    return _with_aliases(queryset).order_by("-case__opened_on", "kind", "family_name")


def people_for_case(case: Any) -> QuerySet[CasePerson]:
    """Every person around ``case``, unfiltered: for redacting documents about the case
    (names, aliases, addresses and dates of birth), never for showing to a user."""
    return _with_aliases(CasePerson.objects.filter(case=case))


def person_of_nominal(nominal: Any, pk: Any) -> CasePerson:
    """One person around one of ``nominal``'s cases. An id from another record's case
    answers 404, whatever the user may see elsewhere (no IDOR)."""
    person = _with_aliases(CasePerson.objects.filter(case__nominal=nominal, pk=pk)).first()
    if person is None:
        raise Http404("No such person")
    return person
