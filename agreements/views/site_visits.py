"""Site visits of the 6- and 12-month rounds: record one against a SAR, read it, change it.

Visits are read by everyone who may see their SAR (sars_visible_to: otherwise 404); recording and
changing one needs agreements.record_site_visit (planning staff, or a working-group member of the
organisation or above: otherwise 403).
"""

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from agreements.forms.site_visits import SiteVisitForm
from agreements.models import SAR, SiteVisit
from agreements.selectors import sar_results, sars_visible_to
from agreements.services.site_visits import (
    site_visit_record,
    site_visit_update,
    visit_period_start,
    working_group_members,
)
from governance.views.base import ScopedTemplateView, ServiceFormView

RECORD_PERMISSION = "agreements.record_site_visit"


def visits_visible_to(user) -> QuerySet[SiteVisit]:
    """Visits of the SARs this person may see, with what the page header shows."""
    return SiteVisit.objects.filter(sar__in=sars_visible_to(user).values("pk")).select_related(
        "sar__agreement__organisation",
        "sar__agreement__fiscal_year",
        "sar__round__fiscal_year",
        "recorded_by",
    )


class SiteVisitFormMixin:
    """What the create and edit pages share: the choices, the KPI rows, the page's context."""

    template_name = "agreements/site_visit_form.html"
    form_class = SiteVisitForm
    permission_required = RECORD_PERMISSION

    def get_sar(self) -> SAR:
        raise NotImplementedError

    def kept_members(self) -> list[int]:
        return []

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        sar = self.get_sar()
        self.results = sar_results(sar)
        kwargs["results"] = self.results
        kwargs["members"] = working_group_members(
            sar.agreement.organisation, keep=self.kept_members()
        )
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        sar = self.get_sar()
        context.update(
            sar=sar,
            agreement=sar.agreement,
            earliest=visit_period_start(sar.round),
        )
        return context


class SiteVisitCreate(SiteVisitFormMixin, ServiceFormView):
    """Record a visit linked to the SAR (pk = the SAR)."""

    success_message = _("The site visit has been recorded.")

    def get_scoped_queryset(self):
        return sars_visible_to(self.request.user)

    def get_sar(self) -> SAR:
        return self.object

    def perform(self, form) -> SiteVisit:
        return site_visit_record(actor=self.request.user, sar=self.object, **form.service_kwargs())


class SiteVisitEdit(SiteVisitFormMixin, ServiceFormView):
    success_message = _("The site visit has been saved.")

    def get_scoped_queryset(self):
        return visits_visible_to(self.request.user)

    def get_sar(self) -> SAR:
        return self.object.sar

    def kept_members(self) -> list[int]:
        return list(self.object.members.values_list("pk", flat=True))

    def get_initial(self):
        visit = self.object
        initial = {
            "visited_on": visit.visited_on,
            "members": self.kept_members(),
            "other_members": visit.other_members,
            "summary": visit.summary,
            "follow_ups": visit.follow_ups,
        }
        for row in visit.findings.all():
            initial[f"finding_{row.result_id}"] = row.finding
            initial[f"follow_up_{row.result_id}"] = row.follow_up
        return initial

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["visit"] = self.object
        return context

    def perform(self, form) -> SiteVisit:
        return site_visit_update(
            actor=self.request.user, visit=self.object, **form.service_kwargs()
        )


class SiteVisitDetail(ScopedTemplateView):
    """The visit as recorded: who came, the finding and follow-up of each KPI, the summary."""

    template_name = "agreements/site_visit_detail.html"

    def get_scoped_queryset(self):
        return visits_visible_to(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        visit = self.object
        sar = visit.sar
        findings = {row.result_id: row for row in visit.findings.all()}
        rows = [(result, findings.get(result.pk)) for result in sar_results(sar)]
        context.update(
            visit=visit,
            sar=sar,
            agreement=sar.agreement,
            members=visit.members.order_by("name_th", "username"),
            rows=rows,
            finding_count=len(findings),
            can_edit=self.request.user.has_perm(RECORD_PERMISSION, visit),
        )
        return context
