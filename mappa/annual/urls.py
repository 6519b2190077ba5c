from django.urls import URLPattern, URLResolver

app_name = "annual"

urlpatterns: list[URLPattern | URLResolver] = []
