from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

from mappa.common.views import healthz

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="register:list", permanent=False), name="home"),
    path("healthz", healthz, name="healthz"),
    path(
        "sign-in/",
        auth_views.LoginView.as_view(template_name="access/sign_in.html"),
        name="login",
    ),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("register/", include("mappa.register.urls")),
    path("access/", include("mappa.access.urls")),
    path("people/", include("mappa.people.urls")),
    path("audit/", include("mappa.audit.urls")),
    path("account/", include("mappa.accounts.urls")),
    path("api/", include("mappa.api.urls")),
]
