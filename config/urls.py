from csp.decorators import csp_update
from django.core.exceptions import ImproperlyConfigured
from django.urls import URLPattern, URLResolver, include, path
from django.views.generic import RedirectView

from mappa.accounts import views as account_views
from mappa.api import urls as api_urls
from mappa.common.views import healthz


def _api_patterns() -> list[URLPattern | URLResolver]:
    """The API's routes, with /api/docs given the one wider Content Security Policy.

    Swagger UI draws a few icons as data: SVG images, so that page may load data:
    images. Its scripts and styles stay 'self' only, like every other page.
    """
    patterns: list[URLPattern | URLResolver] = []
    for pattern in api_urls.urlpatterns:
        if isinstance(pattern, URLPattern) and pattern.name == "docs":
            pattern = path(
                str(pattern.pattern),
                csp_update({"img-src": ["data:"]})(pattern.callback),
                name=pattern.name,
            )
            patterns.append(pattern)
            continue
        patterns.append(pattern)
    if not any(getattr(p, "name", None) == "docs" for p in patterns):
        raise ImproperlyConfigured("mappa.api.urls has no route named 'docs' for /api/docs")
    return patterns


urlpatterns = [
    path("", RedirectView.as_view(pattern_name="register:list", permanent=False), name="home"),
    path("healthz", healthz, name="healthz"),
    # Signing in takes a password, then a code from an authenticator app (issue 3, point 3).
    path("sign-in/", account_views.sign_in, name="login"),
    path("sign-in/code/", account_views.sign_in_code, name="login_code"),
    path("sign-in/set-up/", account_views.sign_in_setup, name="login_setup"),
    path("sign-out/", account_views.sign_out, name="logout"),
    path("register/", include("mappa.register.urls")),
    path("access/", include("mappa.access.urls")),
    path("people/", include("mappa.people.urls")),
    path("audit/", include("mappa.audit.urls")),
    path("account/", include("mappa.accounts.urls")),
    path("api/", include((_api_patterns(), api_urls.app_name))),
    path("referrals/", include("mappa.referrals.urls")),
    path("profiles/", include("mappa.profiles.urls")),
    path("assessments/", include("mappa.assessments.urls")),
    path("compliance/", include("mappa.compliance.urls")),
    path("meetings/", include("mappa.meetings.urls")),
    path("minutes/", include("mappa.minutes.urls")),
    path("outcomes/", include("mappa.outcomes.urls")),
    path("smb/", include("mappa.smb.urls")),
    path("dashboard/", include("mappa.dashboard.urls")),
    path("quality/", include("mappa.quality.urls")),
    path("annual-report/", include("mappa.annual.urls")),
    path("documents/", include("mappa.documents.urls")),
    path("requests/", include("mappa.disclosure.urls")),
]
