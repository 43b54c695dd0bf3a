from django.urls import path

from agreements.views import (
    agreements,
    cards,
    ceremonies,
    documents,
    evidence,
    negotiation,
    recompute,
    reports,
    site_visits,
)

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
    # Self-assessment reports (SAR), verification, evidence
    path("sars/", reports.SARList.as_view(), name="sar_list"),
    path("sars/overdue/", reports.SAROverdue.as_view(), name="sar_overdue"),
    path("sars/<int:pk>/", reports.SARDetail.as_view(), name="sar_detail"),
    path("sars/<int:pk>/state/<slug:action>/", reports.SARAct.as_view(), name="sar_act"),
    path("results/<int:pk>/edit/", reports.ResultEdit.as_view(), name="result_edit"),
    path("results/<int:pk>/preview/", reports.ResultPreview.as_view(), name="result_preview"),
    path("results/<int:pk>/verify/", reports.ResultVerify.as_view(), name="result_verify"),
    path(
        "results/<int:pk>/participation/",
        reports.ResultParticipation.as_view(),
        name="result_participation",
    ),
    path("results/<int:pk>/evidence/", evidence.EvidenceUpload.as_view(), name="evidence_upload"),
    path("evidence/<int:pk>/", evidence.EvidenceDownload.as_view(), name="evidence_download"),
    path("evidence/<int:pk>/delete/", evidence.EvidenceDelete.as_view(), name="evidence_delete"),
    # The e-SAR card
    path("sars/<int:pk>/card/", cards.SARCard.as_view(), name="sar_card"),
    path("sars/<int:pk>/card.pdf", cards.SARCardPDF.as_view(), name="sar_card_pdf"),
    # Site visits
    path(
        "sars/<int:pk>/visits/new/", site_visits.SiteVisitCreate.as_view(), name="site_visit_create"
    ),
    path("visits/<int:pk>/", site_visits.SiteVisitDetail.as_view(), name="site_visit_detail"),
    path("visits/<int:pk>/edit/", site_visits.SiteVisitEdit.as_view(), name="site_visit_edit"),
    # Recomputing a whole fiscal year's scores
    path("years/<int:pk>/scores/", recompute.RecomputeYear.as_view(), name="recompute_year"),
    path(
        "recomputes/<int:pk>/progress/",
        recompute.RecomputeProgress.as_view(),
        name="recompute_progress",
    ),
]
