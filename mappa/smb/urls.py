from django.urls import URLPattern, URLResolver

app_name = "smb"

urlpatterns: list[URLPattern | URLResolver] = []
