"""Forms of the framework and KPI pages: they check shape; kpis.services checks the rules."""

from decimal import Decimal

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from governance.forms.base import BaseForm, PlainTextField
from governance.forms.people import OrganisationChoiceField
from governance.models import FiscalYear, Organisation, StrategicIssue
from kpis.enums import WEIGHT_TOTAL, FloorRule
from kpis.models import KPI, KPI_CODE, Dimension, Framework

TARGET_LEVELS = [(level, str(level)) for level in range(1, 6)]


def plain_decimal(value: Decimal | None) -> str:
    """A weight as people write it: 45, not 45.0000; 2.5, not 2.5000."""
    if value is None:
        return ""
    return f"{value.normalize():f}"


def weight_field(**kwargs) -> forms.DecimalField:
    # The bounds are the services' rule too; the form gives the message at the field at once.
    return forms.DecimalField(
        min_value=Decimal("0"),
        max_value=WEIGHT_TOTAL,
        max_digits=7,
        decimal_places=4,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
        **kwargs,
    )


class FiscalYearChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: FiscalYear) -> str:
        return str(obj)


class KPIChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: KPI) -> str:
        return f"{obj.code} {obj.name}"


class CascadeKPIChoiceField(forms.ModelChoiceField):
    """KPIs of the level above: the organisation tells two "1.1" apart."""

    def label_from_instance(self, obj: KPI) -> str:
        organisation = obj.framework.organisation
        return f"{organisation.abbreviation or organisation.name} · {obj.code} {obj.name}"


class OrganisationMultipleChoiceField(forms.ModelMultipleChoiceField):
    iterator = OrganisationChoiceField.iterator


class StrategicIssueChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: StrategicIssue) -> str:
        return f"{obj.number}. {obj.name}"


# --- Frameworks ------------------------------------------------------------------------------------


class FrameworkFilterForm(forms.Form):
    """The list's filter: a GET form, so a filtered list can be bookmarked."""

    fiscal_year = FiscalYearChoiceField(
        label=_("Fiscal year"),
        queryset=FiscalYear.objects.none(),
        required=False,
        empty_label=pgettext_lazy("fiscal year filter", "All fiscal years"),
    )

    def __init__(self, *args, fiscal_years: QuerySet[FiscalYear], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fiscal_year"].queryset = fiscal_years
        self.fields["fiscal_year"].widget.attrs["class"] = "form-select form-select-sm"

    def filter(self, frameworks: QuerySet[Framework]) -> QuerySet[Framework]:
        # A stale bookmark (a year that no longer has frameworks) shows everything, with the error.
        if not self.is_valid():
            return frameworks
        if fiscal_year := self.cleaned_data["fiscal_year"]:
            frameworks = frameworks.filter(fiscal_year=fiscal_year)
        return frameworks


class FrameworkForm(BaseForm):
    """The fields framework_update accepts; FrameworkCreateForm adds the year and organisation."""

    name_th = PlainTextField(label=_("Name (Thai)"), max_length=300)
    name_en = PlainTextField(label=_("Name (English)"), max_length=300, required=False)
    floor_rule = forms.ChoiceField(
        label=_("Score below level 1"),
        choices=FloorRule.choices,
        initial=FloorRule.ONE,
        help_text=_("What a result short of level 1 scores: 1.0000 in the OPDC method, or 0."),
    )
    target_level = forms.TypedChoiceField(
        label=_("Target level"),
        choices=TARGET_LEVELS,
        coerce=int,
        initial=3,
        help_text=_("The level the “target ± step” shorthand puts the target on (usually 3)."),
    )

    @classmethod
    def initial_from(cls, framework: Framework) -> dict:
        return {name: getattr(framework, name) for name in cls.base_fields}


class FrameworkCreateForm(FrameworkForm):
    submit_label = _("Create the framework")

    fiscal_year = FiscalYearChoiceField(label=_("Fiscal year"), queryset=FiscalYear.objects.none())
    organisation = OrganisationChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        help_text=_("The organisation whose KPIs the framework holds."),
    )

    field_order = ["fiscal_year", "organisation"]

    def __init__(
        self,
        *args,
        fiscal_years: QuerySet[FiscalYear],
        organisations: QuerySet[Organisation],
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.fields["fiscal_year"].queryset = fiscal_years
        self.fields["organisation"].queryset = organisations


class FrameworkCloneForm(BaseForm):
    submit_label = _("Copy the framework")

    fiscal_year = FiscalYearChoiceField(
        label=_("Copy into fiscal year"),
        queryset=FiscalYear.objects.none(),
        help_text=_("Only years in which this organisation has no framework yet."),
    )

    def __init__(self, *args, fiscal_years: QuerySet[FiscalYear], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fiscal_year"].queryset = fiscal_years


class DimensionsForm(BaseForm):
    """The four dimensions in one form: name_th_<n>, name_en_<n> and weight_<n> per dimension."""

    def __init__(self, *args, dimensions: list[Dimension], **kwargs):
        super().__init__(*args, **kwargs)
        self.dimensions = dimensions
        for dimension in dimensions:
            n = dimension.number
            self.fields[f"name_th_{n}"] = PlainTextField(
                label=_("Dimension %(number)s, name (Thai)") % {"number": n}, max_length=200
            )
            self.fields[f"name_en_{n}"] = PlainTextField(
                label=_("Dimension %(number)s, name (English)") % {"number": n},
                max_length=200,
                required=False,
            )
            self.fields[f"weight_{n}"] = weight_field(
                label=_("Dimension %(number)s, weight") % {"number": n}
            )
            self.fields[f"weight_{n}"].widget.attrs["data-dimension-weight"] = ""
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control")

    @staticmethod
    def initial_from(dimensions: list[Dimension]) -> dict:
        initial = {}
        for dimension in dimensions:
            n = dimension.number
            initial[f"name_th_{n}"] = dimension.name_th
            initial[f"name_en_{n}"] = dimension.name_en
            initial[f"weight_{n}"] = plain_decimal(dimension.weight)
        return initial

    def rows(self) -> list[dict]:
        """One entry per dimension with its bound fields, for the table the page draws."""
        # The table is drawn by hand (crispy would stack twelve inputs): mark the errors ourselves.
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                attrs["class"] = f"{attrs.get('class', '')} is-invalid".strip()
                attrs["aria-invalid"] = "true"
                attrs["aria-describedby"] = f"{self.add_prefix(name)}-errors"
        return [
            {
                "dimension": d,
                "name_th": self[f"name_th_{d.number}"],
                "name_en": self[f"name_en_{d.number}"],
                "weight": self[f"weight_{d.number}"],
            }
            for d in self.dimensions
        ]

    def service_rows(self) -> dict[int, dict]:
        return {
            d.number: {
                "name_th": self.cleaned_data[f"name_th_{d.number}"],
                "name_en": self.cleaned_data[f"name_en_{d.number}"],
                "weight": self.cleaned_data[f"weight_{d.number}"],
            }
            for d in self.dimensions
        }

    def shown_total(self) -> Decimal | None:
        """The total of the weights on the page: what was typed, or what is stored.

        None when a typed weight is not a number: the page then says it cannot add them up.
        """
        total = Decimal(0)
        for d in self.dimensions:
            if self.is_bound:
                raw = self.data.get(self.add_prefix(f"weight_{d.number}"), "")
                try:
                    value = Decimal(str(raw).strip() or "0")
                except ArithmeticError:
                    return None
                if not value.is_finite():
                    return None
            else:
                value = d.weight
            total += value
        return total


# --- KPIs ------------------------------------------------------------------------------------------


class KPIForm(BaseForm):
    """Every field kpi_create and kpi_update take; the choices are scoped by the view."""

    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        validators=[KPI_CODE],
        help_text=_("A hierarchical code of numbers and dots, e.g. 1.1.3 or 14.1."),
    )
    name_th = PlainTextField(label=_("Name (Thai)"), max_length=500)
    name_en = PlainTextField(label=_("Name (English)"), max_length=500, required=False)
    unit_th = PlainTextField(label=_("Unit of measure (Thai)"), max_length=100, required=False)
    unit_en = PlainTextField(label=_("Unit of measure (English)"), max_length=100, required=False)
    composite_parent = KPIChoiceField(
        label=_("Part of composite KPI"),
        queryset=KPI.objects.none(),
        required=False,
        empty_label=_("None: a KPI of its own"),
        help_text=_("Choose the composite KPI when this is one of its sub-KPIs (e.g. 14.1 of 14)."),
    )
    dimension = forms.ModelChoiceField(
        label=_("Dimension"),
        queryset=Dimension.objects.none(),
        required=False,
        help_text=_("A sub-KPI takes the dimension of its composite KPI when left empty."),
    )
    weight = weight_field(
        label=_("Weight"),
        help_text=_(
            "In percent of the framework; for a sub-KPI, its weight within the composite KPI."
        ),
    )
    parent_kpi = CascadeKPIChoiceField(
        label=_("Cascaded from KPI"),
        queryset=KPI.objects.none(),
        required=False,
        help_text=_("The KPI of the level above, in the same fiscal year, that this KPI serves."),
    )
    owner = OrganisationChoiceField(label=_("Owner unit"), queryset=Organisation.objects.none())
    supporting_units = OrganisationMultipleChoiceField(
        label=_("Supporting units"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    strategic_issue = StrategicIssueChoiceField(
        label=_("Strategic issue"), queryset=StrategicIssue.objects.none(), required=False
    )
    order = forms.IntegerField(
        label=_("Order"),
        min_value=0,
        required=False,
        help_text=_("Position in the list; empty puts a new KPI at the end."),
    )

    def __init__(
        self,
        *args,
        dimensions: QuerySet[Dimension],
        composites: QuerySet[KPI],
        cascade_parents: QuerySet[KPI],
        organisations: QuerySet[Organisation],
        strategic_issues: QuerySet[StrategicIssue],
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.fields["dimension"].queryset = dimensions
        self.fields["composite_parent"].queryset = composites
        self.fields["parent_kpi"].queryset = cascade_parents
        self.fields["owner"].queryset = organisations
        self.fields["supporting_units"].queryset = organisations
        self.fields["strategic_issue"].queryset = strategic_issues

    def clean(self):
        cleaned_data = super().clean()
        # Only a sub-KPI may leave the dimension empty: it sits in its composite's dimension.
        if (
            "dimension" in cleaned_data
            and cleaned_data.get("dimension") is None
            and cleaned_data.get("composite_parent") is None
            and "composite_parent" not in self.errors
        ):
            self.add_error("dimension", _("Choose the dimension of this KPI."))
        return cleaned_data

    def service_fields(self) -> tuple[dict, list[Organisation]]:
        """The keyword arguments of kpi_create / kpi_update, and the supporting units apart."""
        fields = dict(self.cleaned_data)
        supporting_units = list(fields.pop("supporting_units"))
        if fields["order"] is None:
            del fields["order"]
        if fields["dimension"] is None:
            fields["dimension"] = fields["composite_parent"].dimension
        return fields, supporting_units

    @classmethod
    def initial_from(cls, kpi: KPI) -> dict:
        initial = {
            name: getattr(kpi, name) for name in cls.base_fields if name != "supporting_units"
        }
        initial["weight"] = plain_decimal(kpi.weight)
        initial["supporting_units"] = list(kpi.supporting_units.all())
        return initial
