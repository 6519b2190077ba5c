"""The project's URLs plus this work's pages, mounted where config/urls.py will mount them.

Until the lead adds the two includes to config/urls.py the tests add them here; once
they are there, this module adds nothing.
"""

from django.urls import URLPattern, URLResolver, include, path

from config import urls as project

_mounted = {getattr(p, "namespace", None) for p in project.urlpatterns}
_ours: list[URLPattern | URLResolver] = [
    path("assessments/", include("mappa.assessments.urls")),
    path("profiles/", include("mappa.profiles.urls")),
]

urlpatterns = [
    *project.urlpatterns,
    *[p for p in _ours if getattr(p, "namespace", None) not in _mounted],
]
handler403 = getattr(project, "handler403", "django.views.defaults.permission_denied")
