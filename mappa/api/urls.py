"""The API's addresses, included at /api/ by config/urls.py."""

from django.urls import URLPattern, URLResolver, path, re_path
from drf_spectacular.views import SpectacularJSONAPIView

from mappa.annual import api_urls as annual_api
from mappa.api import casework, views
from mappa.disclosure import api_urls as disclosure_api
from mappa.documents import api_urls as documents_api
from mappa.kpis import api_urls as kpis_api
from mappa.outcomes import api_urls as outcomes_api
from mappa.quality import api_urls as quality_api
from mappa.smb import api_urls as smb_api

app_name = "api"


def _attachment_patterns() -> list[URLPattern]:
    patterns = []
    for kind in views.ATTACHMENT_KINDS:
        collection, item = views.attachment_views(kind)
        patterns += [
            path(
                f"v1/nominals/<uuid:pk>/{kind.path}/",
                collection.as_view(),
                name=f"{kind.path}-list",
            ),
            path(
                f"v1/nominals/<uuid:pk>/{kind.path}/<uuid:item>/",
                item.as_view(),
                name=f"{kind.path}-detail",
            ),
        ]
    return patterns


urlpatterns: list[URLPattern | URLResolver] = [
    # The schema and its documentation hold no case data and answer without sign-in.
    path("v1/openapi.json", SpectacularJSONAPIView.as_view(), name="schema"),
    path("docs", views.ApiDocsView.as_view(), name="docs"),
    path("v1/nominals/", views.NominalCollectionView.as_view(), name="nominal-list"),
    path("v1/nominals/search/", views.NominalSearchView.as_view(), name="nominal-search"),
    path("v1/nominals/<uuid:pk>/", views.NominalItemView.as_view(), name="nominal-detail"),
    path(
        "v1/nominals/<uuid:pk>/archive/",
        views.NominalArchiveView.as_view(),
        name="nominal-archive",
    ),
    path(
        "v1/nominals/<uuid:pk>/reactivate/",
        views.NominalReactivateView.as_view(),
        name="nominal-reactivate",
    ),
    *_attachment_patterns(),
    # Identification, risk and visits on the person (issue 4).
    path(
        "v1/nominals/<uuid:pk>/eligibility/",
        casework.EligibilityCollectionView.as_view(),
        name="eligibility-list",
    ),
    path(
        "v1/nominals/<uuid:pk>/assessments/",
        casework.AssessmentCollectionView.as_view(),
        name="assessment-list",
    ),
    path(
        "v1/nominals/<uuid:pk>/home-visits/",
        casework.HomeVisitCollectionView.as_view(),
        name="home-visit-list",
    ),
    # The referral lifecycle (MAPPA A; J 10.4).
    path("v1/referrals/", casework.ReferralCollectionView.as_view(), name="referral-list"),
    path("v1/referrals/<uuid:pk>/", casework.ReferralItemView.as_view(), name="referral-detail"),
    path(
        "v1/referrals/<uuid:pk>/invitees/",
        casework.ReferralInviteeCollectionView.as_view(),
        name="referral-invitee-list",
    ),
    path(
        "v1/referrals/<uuid:pk>/invitees/<int:item>/",
        casework.ReferralInviteeItemView.as_view(),
        name="referral-invitee-detail",
    ),
    path(
        "v1/referrals/<uuid:pk>/submit/",
        casework.ReferralSubmitView.as_view(),
        name="referral-submit",
    ),
    path(
        "v1/referrals/<uuid:pk>/endorse/",
        casework.ReferralEndorseView.as_view(),
        name="referral-endorse",
    ),
    path(
        "v1/referrals/<uuid:pk>/return/",
        casework.ReferralReturnView.as_view(),
        name="referral-return",
    ),
    path(
        "v1/referrals/<uuid:pk>/accept/",
        casework.ReferralAcceptView.as_view(),
        name="referral-accept",
    ),
    path(
        "v1/referrals/<uuid:pk>/decline/",
        casework.ReferralDeclineView.as_view(),
        name="referral-decline",
    ),
    # The compliance clock's due items (issue 4, point 7).
    path("v1/compliance/", casework.ComplianceView.as_view(), name="compliance"),
]
# Each app that has API operations keeps them in its own api_urls.py (names in the api
# namespace); the catch-all for unknown addresses stays last.
for _app in (
    kpis_api,
    annual_api,
    smb_api,
    outcomes_api,
    quality_api,
    documents_api,
    disclosure_api,
):
    urlpatterns += _app.urlpatterns
urlpatterns.append(re_path(r"^v1/", views.UnknownAddressView.as_view(), name="unknown"))
