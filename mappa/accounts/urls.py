from django.urls import path

from mappa.accounts import views

app_name = "accounts"

urlpatterns = [
    path("confirm/", views.confirm_identity, name="confirm"),
    path("users/", views.user_list, name="users"),
    path("users/add/", views.user_create, name="user_create"),
    path("users/<int:pk>/", views.user_detail, name="user_detail"),
    path("users/<int:pk>/change/", views.user_edit, name="user_edit"),
    path("users/<int:pk>/password/", views.user_password, name="user_password"),
    path("users/<int:pk>/authenticator/reset/", views.user_reset_mfa, name="user_reset_mfa"),
    path("users/<int:pk>/disable/", views.user_disable, name="user_disable"),
    path("users/<int:pk>/enable/", views.user_enable, name="user_enable"),
    path("users/<int:pk>/tokens/add/", views.token_issue, name="token_issue"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
    path("reassignment/", views.reassignment_list, name="reassignment"),
]
