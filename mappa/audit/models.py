"""Append-only, hash-chained audit events.

Each event's ``hash`` covers its canonical content and the previous event's hash.
The changed values are kept beside the chain in ``changes`` and only their digest
is chained, so that erasing values under a retention decision leaves the chain
verifiable (decisions.md, "Access and audit").
"""

from django.conf import settings
from django.db import models


class AuditEvent(models.Model):
    sequence = models.BigAutoField(primary_key=True)
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    actor_label = models.CharField(max_length=200, blank=True)
    action = models.CharField(max_length=60)
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    # The nominal a case-data event concerns: "who has seen this record" filters on it.
    nominal_id = models.CharField(max_length=64, blank=True, db_index=True)
    outcome = models.CharField(max_length=20, default="ok")
    # Field-level before/after values; may be erased under retention, the digest stays.
    changes = models.JSONField(null=True, blank=True)
    values_digest = models.CharField(max_length=64)
    detail = models.JSONField(default=dict, blank=True)
    ip_address = models.CharField(max_length=64, blank=True)
    erased_at = models.DateTimeField(null=True, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["sequence"]
        indexes = [
            models.Index(fields=["actor", "at"]),
            models.Index(fields=["action", "at"]),
        ]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.action} {self.object_type}:{self.object_id}"
