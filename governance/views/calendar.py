"""Fiscal years, their reporting rounds, and the year's calendar of milestones (slides 37-39)."""

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from governance import selectors, services
from governance.errors import DomainError
from governance.forms.calendar import (
    FiscalYearCreateForm,
    FiscalYearEditForm,
    MilestoneFilterForm,
    MilestoneForm,
    ReportingRoundForm,
)
from governance.models import Milestone, Organisation, ReportingRound
from governance.views.base import ScopedTemplateView, ServiceActionView, ServiceFormView
from governance.workflows import MILESTONE_WORKFLOW, Action

_MANAGE_YEAR = "governance.manage_fiscal_year"
_MANAGE_MILESTONE = "governance.manage_milestone"


class FiscalYearList(ScopedTemplateView):
    template_name = "governance/fiscal_year_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["fiscal_years"] = list(selectors.fiscal_years_visible_to(self.request.user))
        context["can_create"] = self.request.user.has_perm(_MANAGE_YEAR)
        return context


class FiscalYearCreate(ServiceFormView):
    template_name = "governance/fiscal_year_form.html"
    form_class = FiscalYearCreateForm
    permission_required = _MANAGE_YEAR
    success_message = _("The fiscal year has been opened with its three reporting rounds.")

    def perform(self, form):
        return services.fiscal_year_create(actor=self.request.user, **form.cleaned_data)


@dataclass(frozen=True)
class CalendarEntry:
    milestone: Milestone
    actions: list[Action]
    can_manage: bool
    is_overdue: bool


class FiscalYearDetail(ScopedTemplateView):
    """The year's bounds and rounds, and its calendar: the milestones the user can see."""

    template_name = "governance/fiscal_year_detail.html"

    def get_scoped_queryset(self):
        return selectors.fiscal_years_visible_to(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        today = timezone.localdate()
        milestones = selectors.milestones_visible_to(user).filter(fiscal_year=self.object)
        # Offer only the organisations that have a milestone this year, not the whole tree.
        responsible = Organisation.objects.filter(pk__in=milestones.values("responsible")).order_by(
            "path"
        )
        filter_form = MilestoneFilterForm(self.request.GET or None, organisations=responsible)
        # Permissions are answered from the memberships already loaded: no query per row.
        entries = [
            CalendarEntry(
                milestone=milestone,
                actions=MILESTONE_WORKFLOW.available(milestone, user),
                can_manage=user.has_perm(_MANAGE_MILESTONE, milestone),
                is_overdue=milestone.is_overdue(today),
            )
            for milestone in filter_form.filter(milestones).order_by("starts_on", "ends_on", "id")
        ]
        context.update(
            rounds=list(self.object.rounds.all()),
            can_manage_year=user.has_perm(_MANAGE_YEAR, self.object),
            can_add_milestone=user.has_perm(_MANAGE_MILESTONE),
            filter_form=filter_form,
            is_filtered=filter_form.is_bound,
            entries=entries,
            today=today,
        )
        return context


class FiscalYearEdit(ServiceFormView):
    template_name = "governance/fiscal_year_form.html"
    form_class = FiscalYearEditForm
    permission_required = _MANAGE_YEAR
    success_message = _("The fiscal year has been saved.")

    def get_scoped_queryset(self):
        return selectors.fiscal_years_visible_to(self.request.user)

    def get_initial(self):
        return FiscalYearEditForm.initial_from(self.object)

    def perform(self, form):
        return services.fiscal_year_update(
            actor=self.request.user, fiscal_year=self.object, **form.cleaned_data
        )


class ReportingRoundEdit(ServiceFormView):
    template_name = "governance/reporting_round_form.html"
    form_class = ReportingRoundForm
    permission_required = _MANAGE_YEAR
    success_message = _("The reporting round has been saved.")

    def get_scoped_queryset(self):
        return ReportingRound.objects.filter(
            fiscal_year__in=selectors.fiscal_years_visible_to(self.request.user)
        ).select_related("fiscal_year")

    def get_initial(self):
        return ReportingRoundForm.initial_from(self.object)

    def perform(self, form):
        return services.reporting_round_update(
            actor=self.request.user, reporting_round=self.object, **form.cleaned_data
        )

    def get_success_url_for(self, result):
        return result.fiscal_year.get_absolute_url()


class _MilestoneFormMixin:
    template_name = "governance/milestone_form.html"
    form_class = MilestoneForm
    permission_required = _MANAGE_MILESTONE

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        user = self.request.user
        kwargs["organisations"] = selectors.organisations_in_scope(
            user, roles=["admin", "planning"]
        ).order_by("path")
        kwargs["committees"] = selectors.committees_visible_to(user)
        return kwargs


class MilestoneCreate(_MilestoneFormMixin, ServiceFormView):
    """Add a milestone to a year's calendar; `self.object` is the fiscal year."""

    success_message = _("The milestone has been added to the calendar.")

    def get_scoped_queryset(self):
        return selectors.fiscal_years_visible_to(self.request.user)

    def get_permission_object(self):
        # Any admin or planning officer may add one; the service checks the responsible unit.
        return None

    def get_context_data(self, **kwargs):
        return super().get_context_data(fiscal_year=self.object, **kwargs)

    def perform(self, form):
        return services.milestone_create(
            actor=self.request.user, fiscal_year=self.object, **form.cleaned_data
        )


class MilestoneEdit(_MilestoneFormMixin, ServiceFormView):
    success_message = _("The milestone has been saved.")

    def get_scoped_queryset(self):
        return selectors.milestones_visible_to(self.request.user)

    def get_initial(self):
        return MilestoneForm.initial_from(self.object)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            fiscal_year=self.object.fiscal_year, milestone=self.object, **kwargs
        )

    def perform(self, form):
        return services.milestone_update(
            actor=self.request.user, milestone=self.object, **form.cleaned_data
        )


class MilestoneDelete(ServiceActionView):
    permission_required = _MANAGE_MILESTONE
    success_message = _("The milestone has been deleted.")

    def get_scoped_queryset(self):
        return selectors.milestones_visible_to(self.request.user)

    def perform(self):
        services.milestone_delete(actor=self.request.user, milestone=self.object)

    def get_redirect_url(self):
        return self.object.fiscal_year.get_absolute_url()


class MilestoneAct(ServiceActionView):
    """One MILESTONE_WORKFLOW action (`action` in the URL), with an optional comment."""

    def get_scoped_queryset(self):
        return selectors.milestones_visible_to(self.request.user)

    def has_permission(self) -> bool:
        try:
            action = MILESTONE_WORKFLOW.action(self.kwargs["action"])
        except DomainError:
            # perform() reports the unknown action as a message, like any refused action.
            return True
        return self.request.user.has_perm(action.permission, self.object)

    def perform(self):
        milestone = services.milestone_act(
            actor=self.request.user,
            milestone=self.object,
            action=self.kwargs["action"],
            comment=self.request.POST.get("comment", ""),
        )
        self.success_message = gettext("“%(name)s” is now “%(state)s”.") % {
            "name": milestone.name,
            "state": milestone.get_state_display(),
        }

    def get_redirect_url(self):
        return self.object.get_absolute_url()
