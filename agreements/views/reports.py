"""The self-assessment report (SAR) pages: the lists, one SAR with its KPIs, entering a result with
its live score, the KPI owner's verification and the planning unit's participation choice.

Rows are loaded through sars_visible_to (out of scope → 404); what a person may do is asked of
agreements/rules.py and of SAR_WORKFLOW, the same ones agreements.services.reports checks.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from itertools import groupby

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import View

from agreements import selectors
from agreements.enums import (
    SAR_EDITABLE_STATES,
    SAR_UNSUBMITTED_STATES,
    SAR_VERIFIABLE_STATES,
    VERIFIED_RESULT_STATUSES,
    Participation,
    ResultStatus,
    SARState,
)
from agreements.forms.reports import (
    ParticipationForm,
    ResultForm,
    SARActForm,
    SARFilterForm,
    ScoreInputs,
    VerifyForm,
    criteria_of,
    step_label,
    step_levels,
    takes_number,
)
from agreements.models import SAR, KPIResult
from agreements.services import reports as sar_services
from agreements.services.scoring import Preview, result_preview
from agreements.workflows import SAR_BUTTON_ACTIONS, SAR_WORKFLOW
from governance.enums import Role
from governance.errors import ActionForbidden, DomainError
from governance.models import FiscalYear, User
from governance.selectors import organisations_in_scope
from governance.views.base import ScopedMixin, ScopedTemplateView, ServiceFormView
from kpis.enums import CriteriaType
from kpis.explain import plain_number, score_text
from kpis.views.templates import criteria_rows

_ENTER = "agreements.enter_results"
_VERIFY = "agreements.verify_result"
_PARTICIPATION = "agreements.set_participation"
_SITE_VISIT = "agreements.record_site_visit"
# Whoever approves or reopens SARs chases the late ones.
_CHASERS = ("agreements.approve_sar", "agreements.reopen_sar")
_PAGE_SIZE = 50
_ACTION_LABELS = {action.name: action.label for action in SAR_WORKFLOW.actions}


# --- What a page shows about a SAR or a result -----------------------------------------------------


def days_late(sar: SAR, today: date) -> int:
    """Days past the deadline of a SAR not yet handed in; 0 when it is not late."""
    if sar.state not in SAR_UNSUBMITTED_STATES or today <= sar.deadline:
        return 0
    return (today - sar.deadline).days


def result_is_editable(result: KPIResult) -> bool:
    """Mirror of the service's rule (kpi_result_update), for showing the form or the values."""
    sar = result.sar
    return sar.is_editable and result.is_reported and result.status not in VERIFIED_RESULT_STATUSES


def locked_reason(result: KPIResult) -> str:
    """Why a result cannot be changed now, in the words the entry page shows; "" when it can."""
    sar = result.sar
    if not result.is_reported:
        return gettext("This KPI is not reported in this round.")
    if sar.state not in SAR_EDITABLE_STATES:
        return gettext("The report has been submitted: its results are locked for the unit.")
    if not sar.window_open():
        return gettext(
            "The deadline has passed: results can no longer be entered. An administrator can "
            "reopen the report with a reason."
        )
    if result.status in VERIFIED_RESULT_STATUSES:
        return gettext("The KPI owner has verified this result: it stays as verified.")
    return ""


def criteria_summary(result: KPIResult) -> str:
    """One line of the five levels: "55 · 60 · 65 · 70 · 75", "5 steps", "2 steps, then 80 · …"."""
    row = result.annex_kpi
    criteria = criteria_of(result)
    if criteria.criteria_type == CriteriaType.COMPOSITE:
        return gettext("Scored from its sub-KPIs")
    thresholds = " · ".join(
        plain_number(value, grouped=True) or "—" for value in criteria.thresholds_in_use
    )
    direction = "↑" if row.higher_is_better else "↓"
    steps = criteria.steps_in_use
    if not thresholds:
        return gettext("%(count)s steps") % {"count": steps}
    if steps:
        return gettext("%(count)s steps, then %(thresholds)s %(direction)s") % {
            "count": steps,
            "thresholds": thresholds,
            "direction": direction,
        }
    return f"{thresholds} {direction}"


def steps_text(result: KPIResult, steps: list | None) -> str:
    """The steps ticked, as "1, 2, 4 of 5"; empty for criteria without steps."""
    count = len(step_levels(result))
    if not count:
        return ""
    done = [str(level) for level, ticked in enumerate(steps or [], start=1) if ticked][:count]
    if not done:
        return gettext("No step of %(count)s") % {"count": count}
    return gettext("Steps %(done)s of %(count)s") % {"done": ", ".join(done), "count": count}


def value_text(result: KPIResult, value: Decimal | None) -> str:
    if not takes_number(result) or value is None:
        return ""
    number = plain_number(value, grouped=True)
    unit = result.annex_kpi.unit
    return f"{number} {unit}" if unit else number


@dataclass(frozen=True)
class ScoreBox:
    """A score as a page shows it: 4 decimals, the level, how it was computed, or why not."""

    score: str = ""
    level: int | None = None
    error: str = ""
    explanation: str = ""

    @classmethod
    def of(cls, preview: Preview) -> "ScoreBox":
        return cls(
            score=score_text(preview.score) if preview.score is not None else "",
            level=preview.level,
            error=preview.error,
            explanation=preview.explanation,
        )


def self_score(result: KPIResult) -> ScoreBox | None:
    if result.entered_at is None or not result.is_reported:
        return None
    return ScoreBox.of(
        result_preview(result=result, value=result.result, steps_done=result.steps_done or [])
    )


def verified_score(result: KPIResult) -> ScoreBox | None:
    if result.status == ResultStatus.ACCEPTED:
        return self_score(result)
    if result.status != ResultStatus.ADJUSTED:
        return None
    steps = result.verified_steps if result.verified_steps is not None else result.steps_done
    return ScoreBox.of(
        result_preview(result=result, value=result.verified_result, steps_done=steps or [])
    )


@dataclass(frozen=True)
class ResultLine:
    result: KPIResult
    weight: str
    criteria: str
    entered_value: str
    entered_steps: str
    self_score: ScoreBox | None
    verified_value: str
    verified_steps: str
    verified_score: ScoreBox | None
    evidence_count: int
    can_enter: bool
    is_editable: bool
    can_verify: bool
    can_participate: bool


@dataclass(frozen=True)
class DimensionSection:
    number: int
    name: str
    lines: list[ResultLine]


def result_sections(sar: SAR, user: User) -> list[DimensionSection]:
    """The SAR's results by dimension, with what this person may do with each (fixed queries)."""
    sections = []
    for number, in_dimension in groupby(
        selectors.sar_results(sar), key=lambda r: r.annex_kpi.dimension_number
    ):
        lines = []
        for result in in_dimension:
            adjusted = result.status == ResultStatus.ADJUSTED
            verified_steps = (
                result.verified_steps if result.verified_steps is not None else result.steps_done
            )
            lines.append(
                ResultLine(
                    result=result,
                    weight=plain_number(result.annex_kpi.weight),
                    criteria=criteria_summary(result),
                    entered_value=value_text(result, result.result),
                    entered_steps=steps_text(result, result.steps_done)
                    if result.entered_at
                    else "",
                    self_score=self_score(result),
                    verified_value=value_text(result, result.verified_result) if adjusted else "",
                    verified_steps=steps_text(result, verified_steps) if adjusted else "",
                    verified_score=verified_score(result),
                    evidence_count=len(result.evidence.all()),
                    can_enter=user.has_perm(_ENTER, result),
                    is_editable=result_is_editable(result),
                    can_verify=user.has_perm(_VERIFY, result),
                    can_participate=user.has_perm(_PARTICIPATION, result),
                )
            )
        sections.append(DimensionSection(number, lines[0].result.annex_kpi.dimension_name, lines))
    return sections


@dataclass(frozen=True)
class SARLine:
    sar: SAR
    days_late: int
    score: object  # SARScore | None


def sar_lines(sars, today: date) -> list[SARLine]:
    return [SARLine(sar, days_late(sar, today), getattr(sar, "score", None)) for sar in sars]


# --- The lists -------------------------------------------------------------------------------------


class SARList(ScopedTemplateView):
    """Every SAR the person may see, filtered by year, round and state; a fixed number of queries."""

    template_name = "agreements/sar_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        visible = selectors.sars_visible_to(user)
        filter_form = SARFilterForm(
            self.request.GET or None,
            fiscal_years=FiscalYear.objects.filter(
                pk__in=visible.values("agreement__fiscal_year")
            ).order_by("-year"),
        )
        sars = (
            filter_form.filter(visible)
            .select_related("score")
            .order_by(
                "-agreement__fiscal_year__year", "agreement__organisation__path", "round__months"
            )
        )
        page = Paginator(sars, _PAGE_SIZE).get_page(self.request.GET.get("page"))
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            lines=sar_lines(page.object_list, timezone.localdate()),
            page=page,
            query=query.urlencode(),
            filter_form=filter_form,
            is_filtered=filter_form.is_bound,
            can_chase=any(user.has_perm(perm) for perm in _CHASERS),
        )
        return context


def chased_sars(user: User) -> QuerySet[SAR]:
    """The late SARs of organisations where the person approves or reopens SARs."""
    today = timezone.localdate()
    return (
        selectors.sars_visible_to(user)
        .filter(
            agreement__organisation__in=organisations_in_scope(
                user, roles=[Role.PLANNING, Role.ADMIN]
            ),
            state__in=SAR_UNSUBMITTED_STATES,
            round__sar_deadline__lt=today,
        )
        # A reopening moves the deadline: late only once that day has passed too.
        .filter(Q(reopened_until__isnull=True) | Q(reopened_until__lt=today))
        .annotate(
            reported=Count("results", filter=Q(results__participation=Participation.REPORTED)),
            entered=Count(
                "results",
                filter=Q(
                    results__participation=Participation.REPORTED,
                    results__entered_at__isnull=False,
                ),
            ),
        )
    )


class SAROverdue(ScopedTemplateView):
    """SARs past their deadline and not handed in, most late first: for whoever chases them."""

    template_name = "agreements/sar_overdue.html"

    def has_permission(self) -> bool:
        return any(self.request.user.has_perm(perm) for perm in _CHASERS)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        lines = sar_lines(chased_sars(self.request.user), timezone.localdate())
        lines.sort(key=lambda line: (-line.days_late, line.sar.agreement.organisation.path))
        context["lines"] = lines
        return context


# --- One SAR ---------------------------------------------------------------------------------------


class SARScopeMixin:
    def get_scoped_queryset(self):
        # The results with their KPI owners: the KPI-owner rule reads them for the buttons.
        return (
            selectors.sars_visible_to(self.request.user)
            .select_related("score", "submitted_by", "approved_by")
            .prefetch_related(
                Prefetch(
                    "results", queryset=KPIResult.objects.select_related("annex_kpi__kpi__owner")
                )
            )
        )


class SARDetail(SARScopeMixin, ScopedTemplateView):
    """One SAR: its header, the buttons of the workflow, every KPI by dimension, its history.

    The number of queries does not grow with the number of KPIs (asserted in the tests).
    """

    template_name = "agreements/sar_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        sar, user = self.object, self.request.user
        sections = result_sections(sar, user)
        results = [line.result for section in sections for line in section.lines]
        reported = [r for r in results if r.is_reported]
        context.update(
            sar=sar,
            agreement=sar.agreement,
            score=getattr(sar, "score", None),
            days_late=days_late(sar, timezone.localdate()),
            actions=[
                action
                for action in SAR_WORKFLOW.available(sar, user)
                if action.name in SAR_BUTTON_ACTIONS
            ],
            act_form=kwargs.get("act_form"),
            act_name=kwargs.get("act_name", ""),
            sections=sections,
            reported_count=len(reported),
            entered_count=sum(1 for r in reported if r.entered_at is not None),
            decided_count=sum(1 for r in reported if r.status != ResultStatus.PENDING),
            history=[
                (transition, _ACTION_LABELS.get(transition.action, transition.action))
                for transition in sar.transitions.select_related("actor")
            ],
            site_visits=list(sar.site_visits.all()) if sar.round.has_site_visit else [],
            can_record_visit=sar.round.has_site_visit and user.has_perm(_SITE_VISIT, sar),
            is_editable=sar.is_editable,
            reopen_days=settings.SAR_REOPEN_DAYS,
        )
        return context


class SARAct(SARScopeMixin, ScopedMixin, View):
    """One button of the SAR workflow (`action` in the URL), with its reason or reopening date.

    A mistake in what was typed shows the SAR again with the button's form open and the input
    kept; any other refusal is a message.
    """

    http_method_names = ["post"]

    def has_permission(self) -> bool:
        name = self.kwargs["action"]
        if name not in SAR_BUTTON_ACTIONS:
            return True  # post() says so in a message, like any refused action
        return self.request.user.has_perm(SAR_WORKFLOW.action(name).permission, self.object)

    def post(self, request, *args, **kwargs) -> HttpResponse:
        name = self.kwargs["action"]
        if name not in SAR_BUTTON_ACTIONS:
            messages.error(
                request,
                gettext("“%(action)s” is not an action you can take here.") % {"action": name},
            )
            return redirect(self.object)
        form = SARActForm(request.POST)
        if not form.is_valid():
            return self._show_again(form, name)
        try:
            sar = sar_services.sar_act(
                actor=request.user, sar=self.object, action=name, **form.service_fields()
            )
        except ActionForbidden as error:
            raise PermissionDenied(error.message) from error
        except DomainError as error:
            if error.field in form.fields:
                form.add_error(error.field, error.message)
                return self._show_again(form, name)
            messages.error(request, error.message)
            return redirect(self.object)
        messages.success(
            request,
            gettext("“%(action)s” is done: the report is now “%(state)s”.")
            % {"action": SAR_WORKFLOW.action(name).label, "state": SARState(sar.state).label},
        )
        return redirect(sar)

    def _show_again(self, form: SARActForm, name: str) -> HttpResponse:
        detail = SARDetail()
        detail.setup(self.request, pk=self.object.pk)
        detail.object = self.object
        context = detail.get_context_data(act_form=form, act_name=name)
        return render(self.request, detail.template_name, context, status=200)


# --- One KPI's result ------------------------------------------------------------------------------


class ResultScopeMixin:
    def get_scoped_queryset(self):
        return KPIResult.objects.filter(
            sar__in=selectors.sars_visible_to(self.request.user).values("pk")
        ).select_related(
            "sar__agreement__organisation",
            "sar__agreement__fiscal_year",
            "sar__agreement__framework",
            "sar__round",
            "annex_kpi__kpi__owner",
            "entered_by",
            "verified_by",
        )

    def result_context(self, result: KPIResult) -> dict:
        """What every page about one result shows: the SAR, the KPI and its five levels."""
        sar = result.sar
        done = result.steps_done or []
        return {
            "result": result,
            "sar": sar,
            "agreement": sar.agreement,
            "kpi": result.annex_kpi,
            "weight": plain_number(result.annex_kpi.weight),
            "levels": criteria_rows(result.annex_kpi, sar.agreement.framework.target_level),
            "criteria_type": result.annex_kpi.get_criteria_type_display(),
            "entered_value": value_text(result, result.result),
            "entered_steps": steps_text(result, result.steps_done) if result.entered_at else "",
            "steps_done": [
                (step_label(result, level), level <= len(done) and bool(done[level - 1]))
                for level in step_levels(result)
            ],
            "self_score": self_score(result),
            "verified_value": value_text(result, result.verified_result),
            "verified_score": verified_score(result),
            "preview_url": reverse("agreements:result_preview", args=[result.pk]),
        }

    def preview_of(self, form) -> Preview | None:
        """The live score of the figures in a bound form (None while they are not numbers)."""
        inputs = ScoreInputs(form.data, result=self.object)
        if not inputs.is_valid():
            return None
        value, steps = inputs.score_values()
        return result_preview(result=self.object, value=value, steps_done=steps)


class ResultEdit(ResultScopeMixin, ServiceFormView):
    """A data collector enters one KPI's result; the score beside it follows what they type."""

    template_name = "agreements/result_form.html"
    form_class = ResultForm
    permission_required = _ENTER
    success_message = _("The result has been saved.")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(
            result=self.object,
            preview_url=reverse("agreements:result_preview", args=[self.object.pk]),
        )
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        result = self.object
        context.update(self.result_context(result))
        form = context["form"]
        if form.is_bound:
            # The score of what was typed, not of what is stored, beside a refused form.
            preview = self.preview_of(form)
        else:
            preview = (
                result_preview(
                    result=result, value=result.result, steps_done=result.steps_done or []
                )
                if result.entered_at
                else None
            )
        context.update(
            is_editable=result_is_editable(result),
            locked_reason=locked_reason(result),
            evidence_max_mb=settings.EVIDENCE_MAX_BYTES // (1024 * 1024),
            preview=ScoreBox.of(preview) if preview else None,
            can_upload=result_is_editable(result),
            neighbours=self.neighbours(result),
        )
        return context

    def neighbours(self, result: KPIResult) -> tuple[KPIResult | None, KPIResult | None]:
        """The KPIs before and after this one in the SAR, for moving along without going back."""
        ordered = selectors.sar_results(result.sar)
        index = next(i for i, row in enumerate(ordered) if row.pk == result.pk)
        before = ordered[index - 1] if index > 0 else None
        after = ordered[index + 1] if index + 1 < len(ordered) else None
        return before, after

    def perform(self, form: ResultForm) -> KPIResult:
        return sar_services.kpi_result_update(
            actor=self.request.user, result=self.object, **form.service_fields()
        )

    def get_success_url_for(self, result: KPIResult) -> str:
        return reverse("agreements:result_edit", args=[result.pk])


class ResultPreview(ResultScopeMixin, ScopedMixin, View):
    """The live score of what is typed (an htmx fragment): read-only, nothing is saved."""

    http_method_names = ["post"]

    def has_permission(self) -> bool:
        user = self.request.user
        return user.has_perm(_ENTER, self.object) or user.has_perm(_VERIFY, self.object)

    def post(self, request, *args, **kwargs) -> HttpResponse:
        inputs = ScoreInputs(request.POST, result=self.object)
        if inputs.is_valid():
            value, steps = inputs.score_values()
            box = ScoreBox.of(result_preview(result=self.object, value=value, steps_done=steps))
        else:
            box = ScoreBox(error=" ".join(e for errors in inputs.errors.values() for e in errors))
        return render(
            request, "agreements/includes/sar_score_preview.html", {"preview": box, "live": True}
        )


class ResultVerify(ResultScopeMixin, ServiceFormView):
    """The KPI owner's verification: the submitted result stays visible beside the decision."""

    template_name = "agreements/result_verify.html"
    form_class = VerifyForm
    permission_required = _VERIFY
    success_message = _("Your decision has been recorded.")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(
            result=self.object,
            preview_url=reverse("agreements:result_preview", args=[self.object.pk]),
        )
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        result = self.object
        context.update(self.result_context(result))
        form = context["form"]
        preview = self.preview_of(form) if form.is_bound else None
        context.update(
            can_decide=result.sar.state in SAR_VERIFIABLE_STATES and result.is_reported,
            # The adjustment's live score starts from the submitted one.
            preview=ScoreBox.of(preview) if preview else context["self_score"],
        )
        return context

    def perform(self, form: VerifyForm) -> KPIResult:
        return sar_services.kpi_result_verify(
            actor=self.request.user, result=self.object, **form.service_fields()
        )

    def get_success_url_for(self, result: KPIResult) -> str:
        return reverse("agreements:sar_detail", args=[result.sar_id]) + f"#result-{result.pk}"


class ResultParticipation(ResultScopeMixin, ServiceFormView):
    """Planning staff say whether a KPI is reported this round (a later start, a cancellation)."""

    template_name = "agreements/result_participation.html"
    form_class = ParticipationForm
    permission_required = _PARTICIPATION
    success_message = _("The KPI's participation in this round has been saved.")

    def get_initial(self):
        return {
            "participation": self.object.participation,
            "note": self.object.participation_note,
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(self.result_context(self.object))
        return context

    def perform(self, form: ParticipationForm) -> KPIResult:
        return sar_services.kpi_participation_set(
            actor=self.request.user,
            result=self.object,
            participation=form.cleaned_data["participation"],
            note=form.cleaned_data["note"],
        )

    def get_success_url_for(self, result: KPIResult) -> str:
        return reverse("agreements:sar_detail", args=[result.sar_id]) + f"#result-{result.pk}"
