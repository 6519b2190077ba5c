from typing import Any

from django.conf import settings
from django.http import HttpRequest


def service(request: HttpRequest) -> dict[str, Any]:
    return {
        "protective_marking": settings.MAPPA_PROTECTIVE_MARKING,
        "handling_instruction": settings.MAPPA_HANDLING_INSTRUCTION,
        "area_name": settings.MAPPA_AREA_NAME,
        "service_name": "MAPPA case management",
    }
