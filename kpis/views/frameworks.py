"""Framework pages of the planning staff: dimensions, weights, publish and clone."""

from decimal import Decimal
from itertools import groupby

from django.contrib import messages
from django.db.models import Prefetch
from django.shortcuts import render
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from governance.errors import DomainError
from governance.models import FiscalYear
from governance.selectors import organisations_in_scope
from governance.views.base import ScopedTemplateView, ServiceActionView, ServiceFormView
from kpis import selectors, services
from kpis.enums import WEIGHT_TOTAL, FrameworkState
from kpis.forms.frameworks import (
    DimensionsForm,
    FrameworkCloneForm,
    FrameworkCreateForm,
    FrameworkFilterForm,
    FrameworkForm,
    plain_decimal,
)
from kpis.models import KPI, Dimension
from kpis.rules import framework_of
from kpis.views.panels import FrameworkRow, ReconciliationPanel, dimension_sections
from kpis.workflows import FRAMEWORK_WORKFLOW

_MANAGE = "kpis.manage_framework"
_CHANGE_KPIS = "kpis.change_kpis"


class FrameworkList(ScopedTemplateView):
    """Visible frameworks by fiscal year; the same number of queries however many there are."""

    template_name = "kpis/framework_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        visible = selectors.frameworks_visible_to(user)
        filter_form = FrameworkFilterForm(
            self.request.GET or None,
            fiscal_years=FiscalYear.objects.filter(frameworks__in=visible)
            .distinct()
            .order_by("-year"),
        )
        # Only what the weight check reads: the list never needs the KPIs' texts.
        kpi_rows = KPI.objects.select_related("dimension", "composite_parent").only(
            "framework_id", "code", "weight", "dimension__number", "composite_parent__code"
        )
        frameworks = (
            filter_form.filter(visible)
            .prefetch_related(
                Prefetch("dimensions", queryset=Dimension.objects.order_by("number")),
                Prefetch("kpis", queryset=kpi_rows),
            )
            .order_by("-fiscal_year__year", "organisation__path")
        )
        rows = []
        for framework in frameworks:
            kpis, dimensions = list(framework.kpis.all()), list(framework.dimensions.all())
            result = services.framework_reconciliation(framework, kpis=kpis, dimensions=dimensions)
            rows.append(FrameworkRow(framework, kpi_count=len(kpis), balanced=result.ok))
        context.update(
            years=[
                (fiscal_year, list(in_year))
                for fiscal_year, in_year in groupby(rows, key=lambda r: r.framework.fiscal_year)
            ],
            filter_form=filter_form,
            is_filtered=filter_form.is_bound,
            can_create=user.has_perm(_MANAGE),
        )
        return context


class FrameworkCreate(ServiceFormView):
    template_name = "kpis/framework_form.html"
    form_class = FrameworkCreateForm
    permission_required = _MANAGE
    success_message = _("The framework has been created with the four dimensions (45/15/20/20).")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["fiscal_years"] = FiscalYear.objects.order_by("-year")
        kwargs["organisations"] = organisations_in_scope(
            self.request.user, roles=["planning", "admin"]
        ).order_by("path")
        return kwargs

    def perform(self, form):
        return services.framework_create(actor=self.request.user, **form.cleaned_data)


class FrameworkDetail(ScopedTemplateView):
    """The framework with its weight reconciliation and its KPIs: a fixed number of queries."""

    template_name = "kpis/framework_detail.html"

    def get_scoped_queryset(self):
        return selectors.frameworks_visible_to(self.request.user).select_related(
            "cloned_from__fiscal_year"
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        framework, user = self.object, self.request.user
        dimensions = selectors.framework_dimensions(framework)
        kpis = selectors.framework_kpis(framework)
        # The rows are loaded already: the reconciliation must not read them again.
        panel = ReconciliationPanel.of(
            services.framework_reconciliation(framework, kpis=kpis, dimensions=dimensions)
        )
        context.update(
            panel=panel,
            sections=dimension_sections(dimensions, kpis, panel),
            kpi_count=len(kpis),
            actions=FRAMEWORK_WORKFLOW.available(framework, user),
            transitions=list(framework.transitions.select_related("actor")),
            can_manage=user.has_perm(_MANAGE, framework),
            can_change=user.has_perm(_CHANGE_KPIS, framework),
            is_draft=framework.state == FrameworkState.DRAFT,
        )
        return context


class FrameworkEdit(ServiceFormView):
    template_name = "kpis/framework_form.html"
    form_class = FrameworkForm
    permission_required = _MANAGE
    success_message = _("The framework has been saved.")

    def get_scoped_queryset(self):
        return selectors.frameworks_visible_to(self.request.user)

    def get_initial(self):
        return FrameworkForm.initial_from(self.object)

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        if self.object.state != FrameworkState.DRAFT:
            # Scoring rules change results: a published framework keeps them until reopened.
            for name in ("floor_rule", "target_level"):
                form.fields[name].disabled = True
                form.fields[name].help_text = _("Reopen the framework to change this.")
        return form

    def perform(self, form):
        changed = {
            name: value
            for name, value in form.cleaned_data.items()
            if getattr(self.object, name) != value
        }
        return services.framework_update(actor=self.request.user, framework=self.object, **changed)


class DraftOnlyMixin:
    """Pages that change a draft framework's KPIs or weights.

    A planner who opens one on a published framework gets a 403 page that says why and how to
    reopen it; anyone else gets the plain 403.
    """

    def get_object(self):
        # dispatch() below and ScopedMixin.dispatch() both ask: load the row once.
        if self.object is None:
            self.object = super().get_object()
        return self.object

    def dispatch(self, request, *args, **kwargs):
        framework = framework_of(self.get_object())
        if framework.state != FrameworkState.DRAFT and request.user.has_perm(_MANAGE, framework):
            return render(
                request,
                "kpis/framework_locked.html",
                {"framework": framework, "object": self.object},
                status=403,
            )
        return super().dispatch(request, *args, **kwargs)


class DimensionsEdit(DraftOnlyMixin, ServiceFormView):
    template_name = "kpis/framework_dimensions.html"
    form_class = DimensionsForm
    permission_required = _CHANGE_KPIS

    def get_scoped_queryset(self):
        return selectors.frameworks_visible_to(self.request.user)

    @cached_property
    def dimensions(self) -> list[Dimension]:
        return selectors.framework_dimensions(self.object)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "dimensions": self.dimensions}

    def get_initial(self):
        return DimensionsForm.initial_from(self.dimensions)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        total = context["form"].shown_total()
        context["total"] = None if total is None else plain_decimal(total)
        context["total_is_100"] = total == WEIGHT_TOTAL
        return context

    def perform(self, form):
        dimensions = services.dimensions_update(
            actor=self.request.user, framework=self.object, rows=form.service_rows()
        )
        total = sum((d.weight for d in dimensions), Decimal(0))
        self.success_message = gettext("The dimensions have been saved.")
        if total != WEIGHT_TOTAL:
            messages.warning(
                self.request,
                gettext(
                    "The dimension weights total %(total)s, not 100: the framework cannot be "
                    "published until they do."
                )
                % {"total": plain_decimal(total)},
            )
        return self.object


class FrameworkAct(ServiceActionView):
    """One FRAMEWORK_WORKFLOW action (`action` in the URL), with a comment where it needs one."""

    def get_scoped_queryset(self):
        return selectors.frameworks_visible_to(self.request.user)

    def has_permission(self) -> bool:
        try:
            action = FRAMEWORK_WORKFLOW.action(self.kwargs["action"])
        except DomainError:
            # perform() reports the unknown action as a message, like any refused action.
            return True
        return self.request.user.has_perm(action.permission, self.object)

    def perform(self):
        framework = services.framework_act(
            actor=self.request.user,
            framework=self.object,
            action=self.kwargs["action"],
            comment=self.request.POST.get("comment", ""),
        )
        self.success_message = gettext("“%(name)s” is now “%(state)s”.") % {
            "name": framework.name,
            "state": framework.get_state_display(),
        }


class FrameworkClone(ServiceFormView):
    template_name = "kpis/framework_clone.html"
    form_class = FrameworkCloneForm
    permission_required = _MANAGE

    def get_scoped_queryset(self):
        return selectors.frameworks_visible_to(self.request.user)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["fiscal_years"] = FiscalYear.objects.exclude(
            frameworks__organisation=self.object.organisation
        ).order_by("-year")
        return kwargs

    def perform(self, form):
        clone = services.framework_clone(
            actor=self.request.user,
            framework=self.object,
            fiscal_year=form.cleaned_data["fiscal_year"],
        )
        self.success_message = gettext(
            "The framework has been copied into %(year)s. Its KPI templates are new drafts."
        ) % {"year": clone.fiscal_year}
        return clone
