"""Ship the two jurisdiction profiles and the Jersey area.

The documents are read from mappa/profiles/data/*.v1.json. Version 1 of each is
frozen: a later change is published as version 2 (a new file and a new migration,
or ``services.profile_version_publish``), never by editing these files.
"""

import datetime as dt
import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data"

SHIPPED = [
    {
        "key": "jersey-2010",
        "name": "Jersey: JMAPPA Guidance 2010",
        # The guidance's version 1.0 is dated 19 January 2011.
        "effective_from": dt.date(2011, 1, 19),
        "file": "jersey-2010.v1.json",
    },
    {
        "key": "england-wales-2012",
        "name": "England and Wales: MAPPA Guidance 2012 (MAPPA A and B forms)",
        "effective_from": dt.date(2012, 1, 1),
        "file": "england-wales-2012.v1.json",
    },
]


def load(apps, schema_editor):
    ProfileVersion = apps.get_model("profiles", "ProfileVersion")
    Area = apps.get_model("profiles", "Area")
    for item in SHIPPED:
        settings = json.loads((DATA / item["file"]).read_text(encoding="utf-8"))
        ProfileVersion.objects.update_or_create(
            key=item["key"],
            version=1,
            defaults={
                "name": item["name"],
                "effective_from": item["effective_from"],
                "settings": settings,
                "notes": "Shipped with the service",
            },
        )
    if not Area.objects.filter(is_current=True).exists():
        Area.objects.create(
            name="Jersey",
            population=103267,
            population_source="Jersey 2021 Census, all ages",
            profile_key="jersey-2010",
            protective_marking="OFFICIAL-SENSITIVE",
            is_current=True,
        )


def unload(apps, schema_editor):
    apps.get_model("profiles", "Area").objects.filter(name="Jersey").delete()
    apps.get_model("profiles", "ProfileVersion").objects.filter(
        key__in=[item["key"] for item in SHIPPED], version=1
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("profiles", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
