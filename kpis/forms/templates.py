"""The KPI template form (รายละเอียดตัวชี้วัด) and the what-if calculator.

The calculator scores a result with the template's criteria through kpis.criteria (the engine
does the arithmetic) and spells out the working, so an owner can check a score by hand.
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal

from crispy_forms.bootstrap import FormActions
from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Column, Div, Fieldset, Layout, Row, Submit
from django import forms
from django.utils.html import escape
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from governance.errors import DomainError
from governance.fiscal import fiscal_year_label
from governance.forms.base import BaseForm, PlainTextField
from governance.templatetags.thai_dates import active_lang
from kpis import scoring
from kpis.criteria import Criteria, engine_message
from kpis.enums import CriteriaType, FloorRule
from kpis.explain import explain, plain_number, score_text
from kpis.models import KPITemplate
from kpis.services import TEMPLATE_FIELDS, expand_shorthand

LEVELS = range(1, scoring.LEVEL_COUNT + 1)
# "1,234.5": commas only as thousands separators, so "1,2" is refused rather than read as 12.
_GROUPED = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$")


def _label(name: str):
    return capfirst(KPITemplate._meta.get_field(name).verbose_name)


class FigureField(forms.DecimalField):
    """A decimal typed as people write it: "1,234.5" is 1234.5; garbage gets a clear message."""

    widget = forms.TextInput
    default_error_messages = {"invalid": _("Type a number, such as 1,234.5.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 18)
        kwargs.setdefault("decimal_places", 4)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace("\u00a0", "").replace(" ", "")
            if "," in value:
                if not _GROUPED.match(value):
                    raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
                value = value.replace(",", "")
        return super().to_python(value)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs["inputmode"] = "decimal"
        attrs["autocomplete"] = "off"
        return attrs


def _direction_choices():
    return [("True", _("Higher is better")), ("False", _("Lower is better"))]


def _step_count_choices():
    return [(0, "—"), *((n, str(n)) for n in range(1, scoring.LEVEL_COUNT))]


def _to_bool(value) -> bool:
    return value in (True, "True", "true", "1", "on")


class CriteriaFields(forms.Form):
    """The criteria part of a template: shared by the template form and the calculator."""

    # Fields that also drive the calculator on the edit page (hx-include="[data-criteria]").
    CRITERIA_FIELDS = (
        "criteria_type",
        "higher_is_better",
        "step_count",
        "target",
        "target_step",
        *(f"threshold_{level}" for level in LEVELS),
    )

    criteria_type = forms.ChoiceField(label=_label("criteria_type"), choices=CriteriaType.choices)
    higher_is_better = forms.TypedChoiceField(
        label=_("Direction"),
        choices=_direction_choices,
        coerce=_to_bool,
        initial="True",
        widget=forms.RadioSelect,
    )
    step_count = forms.TypedChoiceField(
        label=_label("step_count"),
        choices=_step_count_choices,
        coerce=int,
        required=False,
        empty_value=0,
        initial=0,
        help_text=_("Levels 1 to this number are steps; the levels above are thresholds."),
    )
    target = FigureField(label=_label("target"))
    target_step = FigureField(
        label=_label("target_step"),
        help_text=_("With the target, fills empty thresholds: 65 ± 5 gives 55, 60, 65, 70, 75."),
    )
    threshold_1 = FigureField(label=_label("threshold_1"))
    threshold_2 = FigureField(label=_label("threshold_2"))
    threshold_3 = FigureField(label=_label("threshold_3"))
    threshold_4 = FigureField(label=_label("threshold_4"))
    threshold_5 = FigureField(label=_label("threshold_5"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.CRITERIA_FIELDS:
            self.fields[name].widget.attrs["data-criteria"] = name


def _text(name: str, rows: int = 3) -> forms.CharField:
    return forms.CharField(
        label=_label(name), required=False, widget=forms.Textarea(attrs={"rows": rows})
    )


def _line(name: str, max_length: int) -> PlainTextField:
    return PlainTextField(label=_label(name), required=False, max_length=max_length)


class TemplateForm(BaseForm, CriteriaFields):
    """Every field of a template revision, in the order of the Thai form."""

    definition = _text("definition", 4)
    formula = _text("formula", 2)
    numerator = _text("numerator", 2)
    denominator = _text("denominator", 2)
    step_1 = _text("step_1", 2)
    step_2 = _text("step_2", 2)
    step_3 = _text("step_3", 2)
    step_4 = _text("step_4", 2)
    step_5 = _text("step_5", 2)
    conditions = _text("conditions")
    baseline_1 = FigureField(label=_label("baseline_1"))
    baseline_2 = FigureField(label=_label("baseline_2"))
    baseline_3 = FigureField(label=_label("baseline_3"))
    data_source = _text("data_source", 2)
    collection_method = _text("collection_method", 2)
    reports_at_6 = forms.BooleanField(label=_label("reports_at_6"), required=False)
    reports_at_9 = forms.BooleanField(label=_label("reports_at_9"), required=False)
    reports_at_12 = forms.BooleanField(label=_label("reports_at_12"), required=False)
    target_6 = _line("target_6", 200)
    target_9 = _line("target_9", 200)
    target_12 = _line("target_12", 200)
    supervisor_name = _line("supervisor_name", 200)
    supervisor_position = _line("supervisor_position", 200)
    supervisor_phone = _line("supervisor_phone", 40)
    collector_name = _line("collector_name", 200)
    collector_position = _line("collector_position", 200)
    collector_phone = _line("collector_phone", 40)
    expected_evidence = _text("expected_evidence")

    def __init__(
        self, *args, fiscal_year: int, target_level: int = 3, can_submit: bool = True, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.target_level = target_level
        # Baselines are the three fiscal years before the framework's: 2549-2551 for FY 2552.
        lang = active_lang()
        for offset, name in ((3, "baseline_1"), (2, "baseline_2"), (1, "baseline_3")):
            self.fields[name].label = fiscal_year_label(fiscal_year - offset, lang)
        for level in LEVELS:
            self.fields[f"threshold_{level}"].widget.attrs["data-threshold"] = level
        self.fields["target"].help_text = gettext(
            "The “target ± step” shorthand puts the target on level %(level)s."
        ) % {"level": target_level}
        self.helper = self._helper(can_submit)

    def _helper(self, can_submit: bool) -> FormHelper:
        helper = FormHelper()
        helper.form_id = "template-form"
        helper.attrs = {
            "data-template-form": "",
            "data-target-level": self.target_level,
            "novalidate": "",
        }
        threshold_columns = [
            Column(
                f"threshold_{level}",
                css_class="col-6 col-md",
                css_id=f"threshold-col-{level}",
                data_level=level,
            )
            for level in LEVELS
        ]
        step_rows = [
            Div(f"step_{level}", css_id=f"step-row-{level}", data_level=level) for level in LEVELS
        ]
        actions = [Submit("save", gettext("Save draft"))]
        if can_submit:
            actions.append(
                Submit(
                    "save_and_submit",
                    gettext("Save and submit for review"),
                    css_class="btn-success",
                )
            )
        helper.layout = Layout(
            Fieldset(
                gettext("Definition and formula"),
                "definition",
                "formula",
                "numerator",
                "denominator",
            ),
            Fieldset(
                gettext("Criteria"),
                Row(
                    Column("criteria_type", css_class="col-md-6"),
                    Column("step_count", css_class="col-md-3", css_id="step-count-col"),
                ),
                Div("higher_is_better", css_id="direction-row"),
                Div(
                    Row(
                        Column("target", css_class="col-md-4"),
                        Column("target_step", css_class="col-md-4"),
                    ),
                    HTML(
                        '<div class="small mb-3" id="shorthand-preview" aria-live="polite" hidden>'
                        + escape(gettext("The shorthand gives:"))
                        + ' <span data-preview-text></span> <button type="button" '
                        'class="btn btn-outline-secondary btn-sm" data-use-shorthand>'
                        + escape(gettext("Use these thresholds"))
                        + "</button></div>"
                    ),
                    css_id="shorthand-row",
                ),
                Row(*threshold_columns, css_id="threshold-row"),
                Div(*step_rows, css_id="step-rows"),
                HTML(
                    '<p class="text-body-secondary" id="composite-note" hidden>'
                    + escape(
                        gettext(
                            "A composite KPI is scored from its sub-KPIs: set their weights in the framework."
                        )
                    )
                    + "</p>"
                ),
                css_id="criteria-fieldset",
            ),
            Fieldset(gettext("Conditions and notes"), "conditions"),
            Fieldset(
                gettext("Baseline data"),
                Row(
                    Column("baseline_1", css_class="col-md-4"),
                    Column("baseline_2", css_class="col-md-4"),
                    Column("baseline_3", css_class="col-md-4"),
                ),
            ),
            Fieldset(gettext("Data source"), "data_source", "collection_method"),
            Fieldset(
                gettext("Reporting rounds and targets"),
                *(
                    Row(
                        Column(f"reports_at_{m}", css_class="col-md-4"),
                        Column(f"target_{m}", css_class="col-md-8"),
                    )
                    for m in (6, 9, 12)
                ),
            ),
            Fieldset(
                gettext("People"),
                Row(
                    Column("supervisor_name", css_class="col-md-4"),
                    Column("supervisor_position", css_class="col-md-5"),
                    Column("supervisor_phone", css_class="col-md-3"),
                ),
                Row(
                    Column("collector_name", css_class="col-md-4"),
                    Column("collector_position", css_class="col-md-5"),
                    Column("collector_phone", css_class="col-md-3"),
                ),
            ),
            Fieldset(gettext("Evidence"), "expected_evidence"),
            FormActions(*actions),
        )
        return helper

    @classmethod
    def initial_from(cls, template: KPITemplate) -> dict:
        initial = {}
        for name in TEMPLATE_FIELDS:
            value = getattr(template, name)
            # Show 55, not 55.0000, in the inputs.
            initial[name] = plain_number(value) if isinstance(value, Decimal) else value
        initial["higher_is_better"] = str(template.higher_is_better)
        return initial

    @property
    def wants_submit(self) -> bool:
        return "save_and_submit" in self.data

    def template_fields(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if name in TEMPLATE_FIELDS}


# --- The what-if calculator --------------------------------------------------------------------------


@dataclass
class WhatIfOutcome:
    """What the calculator shows: a score with its working, a prompt, or errors."""

    score: Decimal | None = None
    level: int | None = None
    working: str = ""
    prompt: str = ""
    errors: list[str] = field(default_factory=list)

    @property
    def score_display(self) -> str:
        return score_text(self.score) if self.score is not None else ""


class WhatIfForm(forms.Form):
    """A result and/or the steps done; with `criteria_type` in the data, the criteria as typed too."""

    result = FigureField(label=_("Result"))
    step_1 = forms.BooleanField(label=_("Step 1 done"), required=False)
    step_2 = forms.BooleanField(label=_("Step 2 done"), required=False)
    step_3 = forms.BooleanField(label=_("Step 3 done"), required=False)
    step_4 = forms.BooleanField(label=_("Step 4 done"), required=False)
    step_5 = forms.BooleanField(label=_("Step 5 done"), required=False)

    def __init__(
        self,
        *args,
        template: KPITemplate,
        target_level: int = 3,
        floor_rule: str = FloorRule.ONE,
        **kwargs,
    ):
        # Its own ids: on the edit page step_1 is also the template form's step description.
        kwargs.setdefault("auto_id", "what-if-%s")
        super().__init__(*args, **kwargs)
        self.template = template
        self.target_level = target_level
        self.floor_rule = floor_rule

    @property
    def step_fields(self) -> list[tuple[int, forms.BoundField]]:
        return [(level, self[f"step_{level}"]) for level in LEVELS]

    def criteria(self) -> Criteria:
        """The saved criteria, or the ones typed on the edit page; raises DomainError."""
        floor_rule = self.floor_rule
        if self.data is None or "criteria_type" not in self.data:
            return Criteria.of(self.template, floor_rule=floor_rule)
        typed = CriteriaFields(self.data)
        if not typed.is_valid():
            problems = [
                f"{typed.fields[name].label}: {' '.join(errors)}"
                for name, errors in typed.errors.items()
            ]
            raise DomainError(" ".join(problems))
        values = expand_shorthand(typed.cleaned_data, target_level=self.target_level)
        return Criteria(
            criteria_type=values["criteria_type"],
            higher_is_better=values["higher_is_better"],
            step_count=values["step_count"] or 0,
            thresholds=tuple(values[f"threshold_{level}"] for level in LEVELS),
            floor=Decimal(0) if floor_rule == FloorRule.ZERO else Decimal(1),
        )

    def outcome(self) -> WhatIfOutcome:
        """Score what was typed; every problem becomes a message, never an exception."""
        try:
            criteria = self.criteria()
            if criteria.criteria_type == CriteriaType.COMPOSITE:
                return WhatIfOutcome(
                    prompt=gettext(
                        "A composite KPI's score is the weighted average of its sub-KPIs' scores."
                    )
                )
            if criteria.criteria_type == CriteriaType.HYBRID and not 1 <= criteria.step_count <= 4:
                raise DomainError(gettext("Steps-then-outcome criteria have 1 to 4 steps."))
            criteria.validate()
        except DomainError as error:
            return WhatIfOutcome(errors=[error.message])
        except scoring.ScoringError as error:
            return WhatIfOutcome(errors=[engine_message(error)])
        if not self.is_valid():
            return WhatIfOutcome(
                errors=[
                    f"{self.fields[name].label}: {' '.join(errors)}"
                    for name, errors in self.errors.items()
                ]
            )
        result = self.cleaned_data["result"]
        steps_done = [self.cleaned_data[f"step_{level}"] for level in LEVELS]
        if result is None and criteria.criteria_type == CriteriaType.OUTCOME:
            return WhatIfOutcome(prompt=gettext("Type a result to see its score."))
        try:
            score = criteria.score(result=result, steps_done=steps_done[: criteria.steps_in_use])
        except scoring.ScoringError as error:
            return WhatIfOutcome(errors=[engine_message(error)])
        level, working = explain(criteria, result, steps_done, score)
        return WhatIfOutcome(score=score, level=level, working=working)
