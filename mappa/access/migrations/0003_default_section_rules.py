"""The area's starting configuration of sensitive sections (J 4.2: the more sensitive
the information, the tighter the access). Administrators change it in the service."""

from django.db import migrations

ASK = "the MAPPA co-ordinator"
PEOPLE_ROLES = ["coordinator", "administrator", "auditor"]
PEOPLE_KINDS = ["police", "probation", "childrens_services"]

DEFAULTS = {
    "victims": (PEOPLE_ROLES, PEOPLE_KINDS),
    "children": (PEOPLE_ROLES, PEOPLE_KINDS),
    "third_parties": (PEOPLE_ROLES, PEOPLE_KINDS),
    "health": (["coordinator", "auditor"], ["health", "mental_health"]),
    "intelligence": (["coordinator"], ["police"]),
}


def create_defaults(apps, schema_editor):
    SectionRule = apps.get_model("access", "SectionRule")
    for section, (roles, kinds) in DEFAULTS.items():
        SectionRule.objects.get_or_create(
            section=section,
            defaults={"roles": roles, "agency_kinds": kinds, "contact": ASK},
        )


def remove_defaults(apps, schema_editor):
    apps.get_model("access", "SectionRule").objects.filter(section__in=DEFAULTS).delete()


class Migration(migrations.Migration):
    dependencies = [("access", "0002_parts_sections_emergency")]

    operations = [migrations.RunPython(create_defaults, remove_defaults)]
