"""KPI pages of the planning staff: add, view, change and delete a KPI of a framework."""

from django.db.models import QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from governance.models import Organisation, StrategicIssue
from governance.selectors import organisations_visible_to
from governance.views.base import ScopedTemplateView, ServiceActionView, ServiceFormView
from kpis import selectors, services
from kpis.forms.frameworks import KPIForm
from kpis.models import KPI, Framework
from kpis.views.frameworks import DraftOnlyMixin

_CHANGE_KPIS = "kpis.change_kpis"


def _kpi_form_kwargs(framework: Framework, user, kpi: KPI | None = None) -> dict:
    """The choices of a KPI form, each scoped to what the rules allow."""
    composites = framework.kpis.filter(composite_parent__isnull=True).order_by("order", "code")
    owners: QuerySet[Organisation] = organisations_visible_to(user).filter(
        path__startswith=framework.organisation.path
    )
    if kpi is not None:
        composites = composites.exclude(pk=kpi.pk)
        # A KPI whose owner lies elsewhere (an import, an older tree) keeps that owner selectable.
        owners = (owners | Organisation.objects.filter(pk=kpi.owner_id)).distinct()
    return {
        "dimensions": framework.dimensions.order_by("number"),
        "composites": composites,
        "cascade_parents": KPI.objects.filter(
            framework__fiscal_year_id=framework.fiscal_year_id,
            framework__organisation__path__in=framework.organisation.ancestor_paths,
            framework__in=selectors.frameworks_visible_to(user),
        )
        .select_related("framework__organisation")
        .order_by("framework__organisation__path", "order", "code"),
        "organisations": owners.order_by("path"),
        "strategic_issues": StrategicIssue.objects.filter(
            organisation_id=framework.organisation_id, fiscal_year_id=framework.fiscal_year_id
        ).order_by("number"),
    }


class KPICreate(DraftOnlyMixin, ServiceFormView):
    """Add a KPI to a draft framework; `self.object` is the framework."""

    template_name = "kpis/kpi_form.html"
    form_class = KPIForm
    permission_required = _CHANGE_KPIS
    success_message = _("The KPI has been added with an empty template for its owner to fill.")

    def get_scoped_queryset(self):
        return selectors.frameworks_visible_to(self.request.user)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(_kpi_form_kwargs(self.object, self.request.user))
        return kwargs

    def get_initial(self):
        # The "add a KPI" button of a dimension's table preselects that dimension.
        dimension = self.request.GET.get("dimension", "")
        return {"dimension": dimension} if dimension.isdigit() else {}

    def get_context_data(self, **kwargs):
        return super().get_context_data(framework=self.object, **kwargs)

    def perform(self, form):
        fields, supporting_units = form.service_fields()
        return services.kpi_create(
            actor=self.request.user,
            framework=self.object,
            supporting_units=supporting_units,
            **fields,
        )

    def get_success_url_for(self, result):
        return f"{self.object.get_absolute_url()}#kpi-{result.pk}"


class KPIDetail(ScopedTemplateView):
    template_name = "kpis/kpi_detail.html"

    def get_scoped_queryset(self):
        return selectors.kpis_visible_to(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        kpi, user = self.object, self.request.user
        context.update(
            framework=kpi.framework,
            supporting_units=list(kpi.supporting_units.order_by("path")),
            sub_kpis=sorted(
                kpi.sub_kpis.select_related("owner"), key=lambda k: selectors.code_sort_key(k.code)
            ),
            cascaded_kpis=list(
                selectors.kpis_visible_to(user)
                .filter(parent_kpi=kpi)
                .order_by("framework__organisation__path", "order", "code")
            ),
            revisions=list(kpi.templates.order_by("-revision")),
            can_change=user.has_perm(_CHANGE_KPIS, kpi),
        )
        return context


class KPIEdit(DraftOnlyMixin, ServiceFormView):
    template_name = "kpis/kpi_form.html"
    form_class = KPIForm
    permission_required = _CHANGE_KPIS
    success_message = _("The KPI has been saved.")

    def get_scoped_queryset(self):
        return selectors.kpis_visible_to(self.request.user)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(_kpi_form_kwargs(self.object.framework, self.request.user, kpi=self.object))
        return kwargs

    def get_initial(self):
        return KPIForm.initial_from(self.object)

    def get_context_data(self, **kwargs):
        return super().get_context_data(framework=self.object.framework, kpi=self.object, **kwargs)

    def perform(self, form):
        fields, supporting_units = form.service_fields()
        return services.kpi_update(
            actor=self.request.user, kpi=self.object, supporting_units=supporting_units, **fields
        )


class KPIDelete(DraftOnlyMixin, ServiceActionView):
    permission_required = _CHANGE_KPIS

    def get_scoped_queryset(self):
        return selectors.kpis_visible_to(self.request.user)

    def perform(self):
        services.kpi_delete(actor=self.request.user, kpi=self.object)
        self.success_message = gettext("The KPI %(code)s has been deleted.") % {
            "code": self.object.code
        }

    def get_redirect_url(self):
        return self.object.framework.get_absolute_url()
