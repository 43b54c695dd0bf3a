"""KPI template pages (รายละเอียดตัวชี้วัด): the printable sheet, the form, review and the calculator."""

from dataclasses import dataclass

from django.contrib import messages
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from governance.errors import DomainError
from governance.fiscal import fiscal_year_label
from governance.templatetags.thai_dates import active_lang
from governance.views.base import ScopedTemplateView, ServiceActionView, ServiceFormView
from kpis import scoring, selectors, services
from kpis.criteria import Criteria
from kpis.enums import CriteriaType, TemplateState
from kpis.forms.templates import LEVELS, TemplateForm, WhatIfForm, plain_number
from kpis.models import KPITemplate
from kpis.workflows import TEMPLATE_WORKFLOW

_EDIT = "kpis.edit_template"
_CHANGE = "kpis.change_template"


@dataclass(frozen=True)
class CriteriaRow:
    level: int
    kind: str  # "step" or "threshold"
    text: str  # the step's description or the threshold, formatted
    is_target: bool


@dataclass(frozen=True)
class BaselineCell:
    year_label: str
    value: str


@dataclass(frozen=True)
class RoundRow:
    months: int
    reported: bool
    target: str


def criteria_rows(template: KPITemplate, target_level: int) -> list[CriteriaRow]:
    """Levels 1-5 as the Thai form prints them: a step's text or a threshold."""
    if template.criteria_type == CriteriaType.COMPOSITE:
        return []
    steps = Criteria.of(template).steps_in_use
    rows = []
    for level, threshold, step in zip(LEVELS, template.thresholds, template.steps, strict=True):
        if level <= steps:
            rows.append(CriteriaRow(level, "step", step, level == target_level))
        else:
            rows.append(
                CriteriaRow(
                    level, "threshold", plain_number(threshold, grouped=True), level == target_level
                )
            )
    return rows


def baseline_cells(template: KPITemplate, fiscal_year: int) -> list[BaselineCell]:
    lang = active_lang()
    values = (template.baseline_1, template.baseline_2, template.baseline_3)
    return [
        BaselineCell(
            fiscal_year_label(fiscal_year - offset, lang), plain_number(value, grouped=True)
        )
        for offset, value in zip((3, 2, 1), values, strict=True)
    ]


def round_rows(template: KPITemplate) -> list[RoundRow]:
    return [
        RoundRow(
            months, getattr(template, f"reports_at_{months}"), getattr(template, f"target_{months}")
        )
        for months in (6, 9, 12)
    ]


def shorthand_of(template: KPITemplate, target_level: int) -> tuple[str, str] | None:
    """ "target ± step" as typed, shown only while the thresholds still match it."""
    if template.target is None or template.target_step is None:
        return None
    try:
        expanded = scoring.thresholds_from_target(
            template.target,
            template.target_step,
            higher_is_better=template.higher_is_better,
            target_level=target_level,
        )
    except scoring.ScoringError:
        return None
    if tuple(template.thresholds) != expanded:
        return None
    return plain_number(template.target, grouped=True), plain_number(
        template.target_step, grouped=True
    )


class TemplateScopeMixin:
    def get_scoped_queryset(self):
        return selectors.templates_visible_to(self.request.user)


class TemplateDetail(TemplateScopeMixin, ScopedTemplateView):
    """The whole template, printable, with its workflow, history, revisions and the calculator."""

    template_name = "kpis/template_detail.html"

    def make_what_if_form(self, data) -> WhatIfForm:
        framework = self.object.kpi.framework
        return WhatIfForm(
            data,
            template=self.object,
            target_level=framework.target_level,
            floor_rule=framework.floor_rule,
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        template, user = self.object, self.request.user
        kpi = template.kpi
        framework = kpi.framework
        revisions = list(
            kpi.templates.order_by("revision").only(
                "pk", "kpi_id", "revision", "state", "updated_at"
            )
        )
        is_latest = revisions[-1].pk == template.pk
        context.setdefault("what_if_form", self.make_what_if_form(None))
        context.update(
            template=template,
            kpi=kpi,
            framework=framework,
            supporting_units=list(kpi.supporting_units.order_by("path")),
            sub_kpis=[
                (sub, plain_number(sub.weight)) for sub in kpi.sub_kpis.order_by("order", "code")
            ]
            if template.criteria_type == CriteriaType.COMPOSITE
            else [],
            shorthand=shorthand_of(template, framework.target_level),
            weight=plain_number(kpi.weight),
            criteria=Criteria.of(template, floor_rule=framework.floor_rule),
            criteria_rows=criteria_rows(template, framework.target_level),
            baselines=baseline_cells(template, framework.fiscal_year.year),
            baseline_average=plain_number(template.baseline_average, grouped=True),
            rounds=round_rows(template),
            actions=TEMPLATE_WORKFLOW.available(template, user),
            transitions=list(template.transitions.select_related("actor")),
            revisions=revisions,
            is_latest=is_latest,
            can_edit=user.has_perm(_CHANGE, template),
            can_revise=is_latest
            and template.state == TemplateState.APPROVED
            and user.has_perm(_EDIT, template),
            newer_revision=None if is_latest else revisions[-1],
        )
        return context


class TemplateWhatIf(TemplateDetail):
    """The calculator: an htmx fragment, or the detail page with the result when JS is off.

    Read-only, so GET does the work (no CSRF token needed); POST is accepted as well.
    """

    http_method_names = ["get", "post", "head", "options"]
    fragment_template_name = "kpis/includes/template_what_if_result.html"

    def wants_fragment(self) -> bool:
        headers = self.request.headers
        return bool(
            headers.get("HX-Request")
            and not headers.get("HX-Boosted")
            and not headers.get("HX-History-Restore-Request")
        )

    def get(self, request, *args, **kwargs):
        data = request.POST if request.method == "POST" else request.GET
        form = self.make_what_if_form(data)
        outcome = form.outcome()
        if self.wants_fragment():
            response = render(
                request, self.fragment_template_name, {"what_if": outcome, "object": self.object}
            )
        else:
            response = self.render_to_response(
                self.get_context_data(what_if_form=form, what_if=outcome)
            )
        patch_vary_headers(response, ["HX-Request", "HX-History-Restore-Request"])
        return response

    def post(self, request, *args, **kwargs):
        return self.get(request, *args, **kwargs)


class TemplateEdit(TemplateScopeMixin, ServiceFormView):
    """One form with every section; "Save and submit" saves first, so a refused submit loses nothing."""

    template_name = "kpis/template_form.html"
    form_class = TemplateForm
    permission_required = _CHANGE

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        framework = self.object.kpi.framework
        kwargs.update(
            fiscal_year=framework.fiscal_year.year,
            target_level=framework.target_level,
            can_submit=any(
                a.name == "submit"
                for a in TEMPLATE_WORKFLOW.available(self.object, self.request.user)
            ),
        )
        return kwargs

    def get_initial(self):
        return TemplateForm.initial_from(self.object)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        framework = self.object.kpi.framework
        last_return = (
            self.object.transitions.filter(action="return").select_related("actor").last()
            if self.object.state == TemplateState.RETURNED
            else None
        )
        context.update(
            template=self.object,
            kpi=self.object.kpi,
            framework=framework,
            last_return=last_return,
            what_if_form=WhatIfForm(
                None,
                template=self.object,
                target_level=framework.target_level,
                floor_rule=framework.floor_rule,
            ),
            criteria=Criteria.of(self.object, floor_rule=framework.floor_rule),
            live_criteria=True,
        )
        return context

    def perform(self, form):
        user = self.request.user
        template = services.template_save(
            actor=user, template=self.object, **form.template_fields()
        )
        if not form.wants_submit:
            self.success_message = gettext("The draft has been saved.")
            return template
        try:
            template = services.template_act(actor=user, template=template, action="submit")
        except DomainError as error:
            # The save above is committed: say so, and show why the submission was refused.
            messages.warning(
                self.request, gettext("The draft has been saved, but it could not be submitted.")
            )
            raise DomainError(error.message, field=error.field) from error
        self.success_message = gettext("The template has been saved and submitted for review.")
        return template


class TemplateAct(TemplateScopeMixin, ServiceActionView):
    """One TEMPLATE_WORKFLOW action (`action` in the URL); a reviewer's comment comes with "return"."""

    def has_permission(self) -> bool:
        try:
            action = TEMPLATE_WORKFLOW.action(self.kwargs["action"])
        except DomainError:
            # perform() reports the unknown action as a message, like any refused action.
            return True
        return self.request.user.has_perm(action.permission, self.object)

    def perform(self):
        template = services.template_act(
            actor=self.request.user,
            template=self.object,
            action=self.kwargs["action"],
            comment=self.request.POST.get("comment", ""),
        )
        self.success_message = gettext("The template is now “%(state)s”.") % {
            "state": template.get_state_display()
        }


class TemplateRevise(TemplateScopeMixin, ServiceActionView):
    """Start a draft revision from the latest approved one and go straight to its form."""

    permission_required = _EDIT
    success_message = _("A new draft revision has been started from the approved one.")

    def perform(self):
        self.revision = services.template_new_revision(
            actor=self.request.user, template=self.object
        )

    def get_redirect_url(self) -> str:
        revision = getattr(self, "revision", None)
        if revision is None:
            return self.object.get_absolute_url()
        return reverse("kpis:template_edit", args=[revision.pk])
