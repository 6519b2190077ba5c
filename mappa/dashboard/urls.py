from django.urls import URLPattern, URLResolver, path

from mappa.dashboard import views

app_name = "dashboard"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.index, name="index"),
    path("kpi/<str:kpi_id>/", views.kpi, name="kpi"),
    path("population/", views.population, name="population"),
    path("due/", views.due, name="due"),
    path("export/pdf/", views.export_pdf, name="export_pdf"),
    path("export/xlsx/", views.export_xlsx, name="export_xlsx"),
    path("smb-pack/", views.smb_pack, name="smb_pack"),
    path("smb-pack/download/", views.smb_pack_download, name="smb_pack_download"),
]
