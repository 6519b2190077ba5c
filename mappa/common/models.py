import uuid

from django.db import models


class CaseDataModel(models.Model):
    """Base for records holding case data: an unguessable id and who/when."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
