from django.urls import path

from mappa.register import views

app_name = "register"

urlpatterns = [
    path("", views.register_list, name="list"),
    path("search/", views.register_search, name="search"),
    path("add/", views.nominal_create, name="create"),
    path("<uuid:pk>/", views.nominal_view, name="detail"),
    path("<uuid:pk>/photo/", views.nominal_photo, name="photo"),
    path("<uuid:pk>/details/", views.nominal_edit, name="edit"),
    path("<uuid:pk>/management/change/", views.case_management, name="management"),
    path("<uuid:pk>/partners/add/", views.partner_add, name="partner_add"),
    path("<uuid:pk>/partners/<int:partner>/end/", views.partner_end, name="partner_end"),
    path("<uuid:pk>/status/<slug:change>/", views.nominal_status, name="status"),
    path("<uuid:pk>/<slug:kind>/add/", views.attachment_edit, name="attachment_add"),
    path("<uuid:pk>/<slug:kind>/<uuid:item>/", views.attachment_edit, name="attachment_edit"),
    path(
        "<uuid:pk>/<slug:kind>/<uuid:item>/remove/",
        views.attachment_delete,
        name="attachment_delete",
    ),
    path("<uuid:pk>/<slug:section>/", views.nominal_view, name="section"),
]
