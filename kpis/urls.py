from django.urls import path

from kpis.views import frameworks, kpis, templates, transfer

app_name = "kpis"

urlpatterns = [
    path("frameworks/", frameworks.FrameworkList.as_view(), name="framework_list"),
    path("frameworks/new/", frameworks.FrameworkCreate.as_view(), name="framework_create"),
    path("frameworks/<int:pk>/", frameworks.FrameworkDetail.as_view(), name="framework_detail"),
    path("frameworks/<int:pk>/edit/", frameworks.FrameworkEdit.as_view(), name="framework_edit"),
    path(
        "frameworks/<int:pk>/dimensions/",
        frameworks.DimensionsEdit.as_view(),
        name="framework_dimensions",
    ),
    path(
        "frameworks/<int:pk>/state/<slug:action>/",
        frameworks.FrameworkAct.as_view(),
        name="framework_act",
    ),
    path("frameworks/<int:pk>/clone/", frameworks.FrameworkClone.as_view(), name="framework_clone"),
    path("frameworks/<int:pk>/kpis/new/", kpis.KPICreate.as_view(), name="kpi_create"),
    path(
        "frameworks/<int:pk>/export.xlsx",
        transfer.FrameworkExport.as_view(),
        name="framework_export",
    ),
    path(
        "frameworks/<int:pk>/import/", transfer.FrameworkImport.as_view(), name="framework_import"
    ),
    path("kpis/<int:pk>/", kpis.KPIDetail.as_view(), name="kpi_detail"),
    path("kpis/<int:pk>/edit/", kpis.KPIEdit.as_view(), name="kpi_edit"),
    path("kpis/<int:pk>/delete/", kpis.KPIDelete.as_view(), name="kpi_delete"),
    path("templates/<int:pk>/", templates.TemplateDetail.as_view(), name="template_detail"),
    path("templates/<int:pk>/edit/", templates.TemplateEdit.as_view(), name="template_edit"),
    path(
        "templates/<int:pk>/what-if/", templates.TemplateWhatIf.as_view(), name="template_what_if"
    ),
    path(
        "templates/<int:pk>/state/<slug:action>/",
        templates.TemplateAct.as_view(),
        name="template_act",
    ),
    path("templates/<int:pk>/revise/", templates.TemplateRevise.as_view(), name="template_revise"),
]
