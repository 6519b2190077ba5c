"""The project's URLs with the meetings pages, whether or not config.urls has them yet."""

from django.urls import include, path

from config.urls import urlpatterns as project_urlpatterns

urlpatterns = list(project_urlpatterns)
if not any(getattr(p, "namespace", None) == "meetings" for p in urlpatterns):
    urlpatterns.append(path("meetings/", include("mappa.meetings.urls")))
