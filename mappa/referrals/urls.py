from django.urls import path

from mappa.referrals import views

app_name = "referrals"

urlpatterns = [
    path("", views.referral_list, name="list"),
    path("screening/", views.screening_queue, name="screening"),
    path("declined/", views.declined_log, name="declined"),
    path("people/<uuid:pk>/eligibility/", views.eligibility_add, name="eligibility"),
    path("people/<uuid:pk>/start/", views.referral_start, name="start"),
    path("<uuid:pk>/", views.referral_detail, name="detail"),
    path("<uuid:pk>/check/", views.referral_check, name="check"),
    path("<uuid:pk>/endorse/", views.referral_endorse, name="endorse"),
    path("<uuid:pk>/screen/", views.referral_screen, name="screen"),
    path("<uuid:pk>/invitees/add/", views.invitee_edit, name="invitee_add"),
    path("<uuid:pk>/invitees/<int:item>/", views.invitee_edit, name="invitee_edit"),
    path("<uuid:pk>/invitees/<int:item>/remove/", views.invitee_remove, name="invitee_remove"),
    path("<uuid:pk>/<slug:section>/", views.referral_section, name="section"),
]
