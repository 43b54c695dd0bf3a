from django.urls import path

from agreements.views import agreements, ceremonies, documents, negotiation

app_name = "agreements"

urlpatterns = [
    path("agreements/", agreements.AgreementList.as_view(), name="agreement_list"),
    path("agreements/new/", agreements.AgreementCreate.as_view(), name="agreement_create"),
    path("agreements/<int:pk>/", agreements.AgreementDetail.as_view(), name="agreement_detail"),
    path("agreements/<int:pk>/edit/", agreements.AgreementEdit.as_view(), name="agreement_edit"),
    path(
        "agreements/<int:pk>/state/<slug:action>/",
        agreements.AgreementAct.as_view(),
        name="agreement_act",
    ),
    path(
        "agreements/<int:pk>/versions/<int:number>/",
        agreements.VersionDetail.as_view(),
        name="version_detail",
    ),
    path("agreements/<int:pk>/rounds/new/", negotiation.RoundStart.as_view(), name="round_start"),
    path(
        "agreements/<int:pk>/versions/<int:number>/diff/",
        negotiation.VersionDiff.as_view(),
        name="version_diff",
    ),
    path("annex/<int:pk>/edit/", negotiation.AnnexKPIEdit.as_view(), name="annex_kpi_edit"),
    path(
        "agreements/<int:pk>/comments/<str:code>/",
        negotiation.KPIThread.as_view(),
        name="kpi_thread",
    ),
    path("agreements/<int:pk>/sign/", documents.AgreementSign.as_view(), name="agreement_sign"),
    path(
        "agreements/<int:pk>/versions/<int:number>/pdf/",
        documents.SignedPDF.as_view(),
        name="signed_pdf",
    ),
    path("verify/", documents.VerifyPDF.as_view(), name="verify"),
    path("ceremonies/", ceremonies.CeremonyList.as_view(), name="ceremony_list"),
    path("ceremonies/new/", ceremonies.CeremonyCreate.as_view(), name="ceremony_create"),
    path("ceremonies/<int:pk>/", ceremonies.CeremonyDetail.as_view(), name="ceremony_detail"),
    path(
        "ceremonies/<int:pk>/progress/",
        ceremonies.CeremonyProgress.as_view(),
        name="ceremony_progress",
    ),
    path(
        "ceremonies/<int:pk>/render/", ceremonies.CeremonyRender.as_view(), name="ceremony_render"
    ),
]
