"""The project's URLs plus a minimal API operation, to test tokens before the API exists."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from config.urls import urlpatterns as project_urlpatterns
from mappa.accounts.models import ApiToken


class Echo(APIView):
    """Answers who called and how: GET reads, POST writes."""

    def get(self, request: Request) -> Response:
        return Response(self._who(request))

    def post(self, request: Request) -> Response:
        return Response(self._who(request), status=201)

    @staticmethod
    def _who(request: Request) -> dict[str, str]:
        via = "token" if isinstance(request.auth, ApiToken) else "session"
        return {"username": request.user.get_username(), "via": via}


urlpatterns = [
    *project_urlpatterns,
    path("api/test/echo/", Echo.as_view(), name="test-echo"),
    # Only used when the project has no schema route of its own yet (the first match wins).
    path(
        "api/v1/openapi.json",
        SpectacularAPIView.as_view(permission_classes=[AllowAny]),
        name="test-schema",
    ),
]
