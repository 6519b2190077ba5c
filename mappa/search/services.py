"""Keeping the name index in step with the register."""

import re
import unicodedata

from mappa.register.models import Nominal
from mappa.search.models import NameEntry


def normalise_name(text: str) -> str:
    """Lower case, without accents, apostrophes or hyphens; single spaces."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    plain = re.sub(r"['’`]", "", plain)
    plain = re.sub(r"[^a-z0-9]+", " ", plain)
    return " ".join(plain.split())


def index_nominal(nominal: Nominal) -> None:
    """Rebuild the nominal's rows: the recorded name and every alias."""
    NameEntry.objects.filter(nominal=nominal).delete()
    rows = [
        NameEntry(
            nominal=nominal,
            given_norm=normalise_name(nominal.given_names),
            family_norm=normalise_name(nominal.family_name),
            full_norm=normalise_name(f"{nominal.given_names} {nominal.family_name}"),
        )
    ]
    for alias in nominal.aliases.all():
        rows.append(
            NameEntry(
                nominal=nominal,
                alias=alias,
                given_norm=normalise_name(alias.given_names),
                family_norm=normalise_name(alias.family_name),
                full_norm=normalise_name(f"{alias.given_names} {alias.family_name}"),
            )
        )
    NameEntry.objects.bulk_create(rows)
