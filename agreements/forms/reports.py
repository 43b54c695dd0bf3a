"""Forms of the SAR pages: they check shape; agreements.services.reports checks the rules."""

from decimal import Decimal

from crispy_forms.bootstrap import FormActions
from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Column, Div, Field, Layout, Row, Submit
from django import forms
from django.db.models import QuerySet
from django.utils.html import escape
from django.utils.text import capfirst
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from agreements.enums import Participation, SARState, VerificationDecision
from agreements.forms.agreements import FiscalYearChoiceField
from agreements.models import SAR, KPIResult
from governance.fields import BuddhistDateField
from governance.models import FiscalYear
from kpis.criteria import Criteria
from kpis.enums import CriteriaType
from kpis.explain import plain_number
from kpis.forms.templates import FigureField

LEVELS = range(1, 6)
NARRATIVE_FIELDS = (
    "narrative_results",
    "narrative_factors",
    "narrative_obstacles",
    "narrative_suggestions",
)
ROUND_CHOICES = [(6, _("6 months")), (9, _("9 months")), (12, _("12 months"))]


def _result_label(name: str):
    return capfirst(KPIResult._meta.get_field(name).verbose_name)


class SARFilterForm(forms.Form):
    """The SAR list's filter: a GET form, so a filtered list can be bookmarked."""

    fiscal_year = FiscalYearChoiceField(
        label=_("Fiscal year"),
        queryset=FiscalYear.objects.none(),
        required=False,
        empty_label=pgettext_lazy("fiscal year filter", "All fiscal years"),
    )
    round = forms.TypedChoiceField(
        label=_("Reporting round"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", pgettext_lazy("round filter", "All rounds")), *ROUND_CHOICES],
    )
    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[("", pgettext_lazy("state filter", "All states")), *SARState.choices],
    )

    def __init__(self, *args, fiscal_years: QuerySet[FiscalYear], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fiscal_year"].queryset = fiscal_years
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select form-select-sm"

    def filter(self, sars: QuerySet[SAR]) -> QuerySet[SAR]:
        # A stale bookmark shows everything, with the error beside the filter.
        if not self.is_valid():
            return sars
        if fiscal_year := self.cleaned_data["fiscal_year"]:
            sars = sars.filter(agreement__fiscal_year=fiscal_year)
        if months := self.cleaned_data["round"]:
            sars = sars.filter(round__months=months)
        if state := self.cleaned_data["state"]:
            sars = sars.filter(state=state)
        return sars


class SARActForm(forms.Form):
    """What a SAR button may send: a reason or comment, and for a reopening its last day."""

    comment = forms.CharField(
        label=_("Reason"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    reopened_until = BuddhistDateField(label=_("Open until"), required=False)

    def service_fields(self) -> dict:
        return {
            "comment": self.cleaned_data["comment"],
            "reopened_until": self.cleaned_data["reopened_until"],
        }


# --- Entering and verifying one KPI's result -------------------------------------------------------


def criteria_of(result: KPIResult) -> Criteria:
    return Criteria.of(result.annex_kpi)


def takes_number(result: KPIResult) -> bool:
    return result.annex_kpi.criteria_type in (CriteriaType.OUTCOME, CriteriaType.HYBRID)


def step_levels(result: KPIResult) -> range:
    """The levels that are steps to tick: all five for milestones, the first k for hybrid."""
    return range(1, criteria_of(result).steps_in_use + 1)


def step_label(result: KPIResult, level: int) -> str:
    text = result.annex_kpi.steps[level - 1]
    prefix = gettext("Step %(level)s") % {"level": level}
    return f"{prefix}: {text}" if text else prefix


class ScoreInputs(forms.Form):
    """The result number and the steps done, as far as this KPI's criteria use them.

    Shared by the entry form, the verification form (an adjustment) and the live preview.
    """

    def __init__(self, *args, result: KPIResult, **kwargs):
        super().__init__(*args, **kwargs)
        self.result = result
        if takes_number(result):
            unit = result.annex_kpi.unit
            self.fields["value"] = FigureField(
                label=_("Result") if not unit else f"{gettext('Result')} ({unit})"
            )
            # Marks the inputs whose change asks for a new live score (sar.js and htmx).
            self.fields["value"].widget.attrs["data-score-input"] = ""
        for level in step_levels(result):
            self.fields[f"step_{level}"] = forms.BooleanField(
                label=step_label(result, level), required=False
            )

    @property
    def step_names(self) -> list[str]:
        return [f"step_{level}" for level in step_levels(self.result)]

    def score_values(self) -> tuple[Decimal | None, list[bool]]:
        """(value, steps_done) from the cleaned data."""
        value = self.cleaned_data.get("value")
        steps = [bool(self.cleaned_data.get(name)) for name in self.step_names]
        return value, steps

    @staticmethod
    def initial_for(value: Decimal | None, steps: list | None) -> dict:
        initial: dict = {"value": plain_number(value)}
        for level, done in enumerate(steps or [], start=1):
            initial[f"step_{level}"] = bool(done)
        return initial


def _narrative(name: str) -> forms.CharField:
    return forms.CharField(
        label=_result_label(name),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ResultForm(ScoreInputs):
    """A data collector's entry of one KPI's result: the figures and the narrative."""

    narrative_results = _narrative("narrative_results")
    narrative_factors = _narrative("narrative_factors")
    narrative_obstacles = _narrative("narrative_obstacles")
    narrative_suggestions = _narrative("narrative_suggestions")

    def __init__(self, *args, result: KPIResult, preview_url: str, **kwargs):
        # FormView passes an empty `initial`: what is stored comes first, anything given wins.
        kwargs["initial"] = {**self.initial_from(result), **(kwargs.get("initial") or {})}
        super().__init__(*args, result=result, **kwargs)
        self.helper = self._helper(preview_url)

    @classmethod
    def initial_from(cls, result: KPIResult) -> dict:
        initial = cls.initial_for(result.result, result.steps_done)
        initial.update({name: getattr(result, name) for name in NARRATIVE_FIELDS})
        return initial

    def _helper(self, preview_url: str) -> FormHelper:
        helper = FormHelper()
        helper.form_id = "result-form"
        helper.attrs = {"novalidate": ""}
        # Steps first: in steps-then-outcome criteria the number counts once the steps are done.
        number = [Field("value", wrapper_class="col-md-6")] if "value" in self.fields else []
        score_fields = [*self.step_names, *number]
        helper.layout = Layout(
            # Only the figures ask for a new score: typing a narrative sends nothing.
            Div(
                *score_fields,
                css_id="score-inputs",
                hx_post=preview_url,
                hx_trigger="input changed delay:300ms, change",
                hx_target="#score-preview",
                hx_swap="innerHTML",
                hx_sync="this:replace",
            ),
            HTML(f'<h3 class="h6 fw-semibold mt-4 mb-2">{escape(gettext("Narrative"))}</h3>'),
            Row(
                *(Column(name, css_class="col-md-6") for name in NARRATIVE_FIELDS),
            ),
            FormActions(Submit("save", gettext("Save the result"))),
        )
        return helper

    def service_fields(self) -> dict:
        value, steps = self.score_values()
        return {
            "value": value,
            "steps_done": steps,
            **{name: self.cleaned_data[name] for name in NARRATIVE_FIELDS},
        }


class VerifyForm(ScoreInputs):
    """The KPI owner's decision: accept, adjust (a new value and a justification) or return."""

    decision = forms.ChoiceField(
        label=_("Decision"), choices=VerificationDecision.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Comment or justification"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed to adjust or to return the result; the data collectors see it."),
    )

    def __init__(self, *args, result: KPIResult, preview_url: str, **kwargs):
        # An adjustment starts from the figures as they stand (the submitted or the adjusted ones).
        stored = self.initial_for(
            result.verified_result if result.verified_result is not None else result.result,
            result.verified_steps if result.verified_steps is not None else result.steps_done,
        )
        kwargs["initial"] = {**stored, **(kwargs.get("initial") or {})}
        super().__init__(*args, result=result, **kwargs)
        # The adjusted figures keep their own labels; the decision leads the form.
        self.order_fields(["decision"])
        self.helper = self._helper(preview_url)

    def _helper(self, preview_url: str) -> FormHelper:
        helper = FormHelper()
        helper.form_id = "verify-form"
        helper.attrs = {"novalidate": ""}
        score_fields = self.step_names + (["value"] if "value" in self.fields else [])
        helper.layout = Layout(
            "decision",
            Div(
                HTML(
                    '<p class="fw-semibold mb-2">' + escape(gettext("The adjusted result")) + "</p>"
                ),
                Div(
                    *score_fields,
                    css_id="score-inputs",
                    hx_post=preview_url,
                    hx_trigger="input changed delay:300ms, change",
                    hx_target="#score-preview",
                    hx_swap="innerHTML",
                    hx_sync="this:replace",
                ),
                HTML(
                    '<p class="form-label mb-1">'
                    + escape(gettext("Score of the adjusted result"))
                    + "</p>"
                    '<div id="score-preview" class="score-preview mb-3" role="status" '
                    'aria-live="polite">{% include "agreements/includes/sar_score_preview.html" %}'
                    "</div>"
                ),
                css_id="adjust-fieldset",
                css_class="border rounded p-3 mb-3 bg-body-tertiary",
            ),
            "comment",
            FormActions(Submit("verify", gettext("Record the decision"))),
        )
        return helper

    def service_fields(self) -> dict:
        decision = self.cleaned_data["decision"]
        fields = {"decision": decision, "comment": self.cleaned_data["comment"]}
        if decision == VerificationDecision.ADJUST:
            value, steps = self.score_values()
            fields.update(value=value, steps_done=steps)
        return fields


class ParticipationForm(forms.Form):
    """Planning staff say whether a KPI is reported in this round, and why not."""

    participation = forms.ChoiceField(
        label=_result_label("participation"),
        choices=Participation.choices,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_result_label("participation_note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown on the e-SAR card beside the renormalised weights."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_id = "participation-form"
        self.helper.add_input(Submit("save", gettext("Save")))
