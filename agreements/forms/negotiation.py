"""Forms of negotiation: a round's note, one annex KPI's terms, a comment in a KPI's thread."""

from decimal import Decimal

from crispy_forms.layout import HTML, Column, Div, Fieldset, Layout, Row
from django import forms
from django.utils.html import escape
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from agreements.models import AgreementKPI
from governance.forms.base import BaseForm, PlainTextField
from kpis.enums import CriteriaType
from kpis.forms.frameworks import weight_field
from kpis.forms.templates import FigureField, plain_number
from kpis.scoring import LEVEL_COUNT

LEVELS = range(1, LEVEL_COUNT + 1)
THRESHOLD_FIELDS = tuple(f"threshold_{level}" for level in LEVELS)
STEP_FIELDS = tuple(f"step_{level}" for level in LEVELS)
TEXT_FIELDS = ("name_th", "name_en", "unit_th", "unit_en")
CRITERIA_FIELDS = (
    "criteria_type",
    "higher_is_better",
    "step_count",
    "target",
    *THRESHOLD_FIELDS,
    *STEP_FIELDS,
)


def _to_bool(value) -> bool:
    return value in (True, "True", "true", "1", "on")


class RoundStartForm(forms.Form):
    note = forms.CharField(
        label=_("What this round is about"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AnnexKPIForm(BaseForm):
    """One KPI of the annex: wording, weight, target and the five levels.

    A composite KPI is scored from its parts, so only its wording and weight are offered.
    """

    submit_label = _("Save the KPI")

    name_th = PlainTextField(label=_("Name (Thai)"), max_length=500)
    name_en = PlainTextField(label=_("Name (English)"), max_length=500, required=False)
    unit_th = PlainTextField(label=_("Unit of measure (Thai)"), max_length=100, required=False)
    unit_en = PlainTextField(label=_("Unit of measure (English)"), max_length=100, required=False)
    weight = weight_field(label=_("Weight"))
    criteria_type = forms.ChoiceField(
        label=_("Criteria type"),
        choices=[c for c in CriteriaType.choices if c[0] != CriteriaType.COMPOSITE],
    )
    higher_is_better = forms.TypedChoiceField(
        label=_("Direction"),
        choices=[("True", _("Higher is better")), ("False", _("Lower is better"))],
        coerce=_to_bool,
        widget=forms.RadioSelect,
    )
    step_count = forms.TypedChoiceField(
        label=_("Number of steps"),
        choices=[(0, "—"), *((n, str(n)) for n in range(1, LEVEL_COUNT))],
        coerce=int,
        required=False,
        empty_value=0,
        help_text=_("For steps then outcome: levels 1 to this number are steps."),
    )
    target = FigureField(label=_("Target"))
    target_step = FigureField(
        label=_("Step per level"),
        help_text=_("With the target, fills empty thresholds: 65 ± 5 gives 55, 60, 65, 70, 75."),
    )
    threshold_1 = FigureField(label=_("Level 1"))
    threshold_2 = FigureField(label=_("Level 2"))
    threshold_3 = FigureField(label=_("Level 3"))
    threshold_4 = FigureField(label=_("Level 4"))
    threshold_5 = FigureField(label=_("Level 5"))
    step_1 = forms.CharField(
        label=_("Step of level 1"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    step_2 = forms.CharField(
        label=_("Step of level 2"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    step_3 = forms.CharField(
        label=_("Step of level 3"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    step_4 = forms.CharField(
        label=_("Step of level 4"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    step_5 = forms.CharField(
        label=_("Step of level 5"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, is_composite: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.is_composite = is_composite
        if is_composite:
            for name in (*CRITERIA_FIELDS, "target_step"):
                del self.fields[name]
        self.helper.form_id = "annex-kpi-form"
        self.helper.attrs = {"novalidate": ""}
        self.helper.layout = self._layout()

    def _layout(self) -> Layout:
        wording = Fieldset(
            gettext("Wording and weight"),
            Row(Column("name_th", css_class="col-md-6"), Column("name_en", css_class="col-md-6")),
            Row(
                Column("unit_th", css_class="col-md-4"),
                Column("unit_en", css_class="col-md-4"),
                Column("weight", css_class="col-md-4"),
            ),
        )
        if self.is_composite:
            return Layout(
                wording,
                HTML(
                    '<p class="text-body-secondary" id="composite-note">'
                    + escape(
                        gettext(
                            "A composite KPI is scored from its sub-KPIs: negotiate their weights "
                            "and criteria instead."
                        )
                    )
                    + "</p>"
                ),
            )
        return Layout(
            wording,
            Fieldset(
                gettext("Criteria"),
                Row(
                    Column("criteria_type", css_class="col-md-6"),
                    Column("step_count", css_class="col-md-3"),
                ),
                "higher_is_better",
                Row(
                    Column("target", css_class="col-md-4"),
                    Column("target_step", css_class="col-md-4"),
                ),
                Row(
                    *(Column(name, css_class="col-6 col-md") for name in THRESHOLD_FIELDS),
                    css_id="threshold-row",
                ),
                Div(*STEP_FIELDS, css_id="step-rows"),
            ),
        )

    @classmethod
    def initial_from(cls, row: AgreementKPI) -> dict:
        initial = {}
        for name in (*TEXT_FIELDS, "weight", *CRITERIA_FIELDS):
            value = getattr(row, name)
            # Show 65, not 65.0000, in the inputs.
            initial[name] = plain_number(value) if isinstance(value, Decimal) else value
        initial["higher_is_better"] = str(row.higher_is_better)
        return initial

    def service_fields(self) -> dict:
        """The cleaned values annex_kpi_update takes (target_step only fills the thresholds)."""
        return {name: value for name, value in self.cleaned_data.items() if name != "target_step"}


class KPICommentForm(forms.Form):
    text = forms.CharField(
        label=_("Comment"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
