import datetime as dt
import json
from pathlib import Path

import pytest

from mappa.profiles.profile import Profile

DATA = Path(__file__).resolve().parents[2] / "mappa" / "profiles" / "data"


def shipped(key: str) -> Profile:
    """A shipped profile read straight from its data file: no database needed."""
    settings = json.loads((DATA / f"{key}.v1.json").read_text(encoding="utf-8"))
    return Profile.from_settings(
        key=key, version=1, name=key, effective_from=dt.date(2011, 1, 19), settings=settings
    )


@pytest.fixture(scope="session")
def jersey() -> Profile:
    return shipped("jersey-2010")


@pytest.fixture(scope="session")
def england() -> Profile:
    return shipped("england-wales-2012")


@pytest.fixture(params=["jersey-2010", "england-wales-2012"])
def each_profile(request: pytest.FixtureRequest) -> Profile:
    return shipped(request.param)
