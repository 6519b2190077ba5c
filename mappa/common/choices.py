"""Answer sets the MAPPA forms use in more than one place."""

from django.db import models


class YesNoUnknown(models.TextChoices):
    # MAPPA B sections 7 and 10: "YES / NO / NOT APPLICABLE / NOT KNOWN".
    YES = "yes", "Yes"
    NO = "no", "No"
    NOT_APPLICABLE = "not_applicable", "Not applicable"
    NOT_KNOWN = "not_known", "Not known"
