from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from governance.enums import MilestoneState
from governance.fields import BuddhistDateField
from governance.forms.base import BaseForm, PlainTextField
from governance.models import Committee, FiscalYear, Milestone, Organisation, ReportingRound


class FiscalYearCreateForm(BaseForm):
    submit_label = _("Open the fiscal year")
    # The range is the service's rule, with a message that says "Buddhist era".
    year = forms.IntegerField(
        label=_("Fiscal year (B.E.)"),
        help_text=_(
            "The Buddhist-era year in which the fiscal year ends: 2552 runs from 1 October 2551 to 30 September 2552."
        ),
    )
    deadline_days = forms.IntegerField(
        label=_("Days after the end of a period until the SAR is due"),
        min_value=0,
        max_value=120,
        initial=15,
        help_text=_(
            "Sets the SAR deadline of the 6-, 9- and 12-month rounds; each can be changed later."
        ),
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class FiscalYearEditForm(BaseForm):
    is_closed = forms.BooleanField(
        label=_("Closed"),
        required=False,
        help_text=_("A closed year stays readable; the home page then shows the next open year."),
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    @classmethod
    def initial_from(cls, fiscal_year: FiscalYear) -> dict:
        return {"is_closed": fiscal_year.is_closed, "notes": fiscal_year.notes}


class ReportingRoundForm(BaseForm):
    period_end = BuddhistDateField(label=_("Period ends"))
    sar_deadline = BuddhistDateField(label=_("SAR deadline"))
    has_site_visit = forms.BooleanField(label=_("Site visit in this round"), required=False)

    @classmethod
    def initial_from(cls, reporting_round: ReportingRound) -> dict:
        return {name: getattr(reporting_round, name) for name in cls.base_fields}


class MilestoneForm(BaseForm):
    name_th = PlainTextField(label=_("Milestone (Thai)"), max_length=300)
    name_en = PlainTextField(label=_("Milestone (English)"), max_length=300, required=False)
    starts_on = BuddhistDateField(label=_("Date"))
    ends_on = BuddhistDateField(
        label=_("Until"),
        required=False,
        help_text=_("Only for a milestone that lasts several days."),
    )
    responsible = forms.ModelChoiceField(
        label=_("Responsible organisation"), queryset=Organisation.objects.none()
    )
    responsible_committee = forms.ModelChoiceField(
        label=_("Responsible committee"), queryset=Committee.objects.none(), required=False
    )
    remind_days_before = forms.IntegerField(
        label=_("Remind days before"),
        min_value=0,
        max_value=365,
        initial=7,
        help_text=_("Days before the date when the responsible staff get an e-mail reminder."),
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(
        self,
        *args,
        organisations: QuerySet[Organisation],
        committees: QuerySet[Committee],
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = organisations
        self.fields["responsible_committee"].queryset = committees

    @classmethod
    def initial_from(cls, milestone: Milestone) -> dict:
        return {name: getattr(milestone, name) for name in cls.base_fields}


class MilestoneFilterForm(forms.Form):
    """The calendar's filter: a GET form, so a filtered calendar can be bookmarked."""

    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[
            ("", pgettext_lazy("milestone state filter", "All states")),
            *MilestoneState.choices,
        ],
    )
    responsible = forms.ModelChoiceField(
        label=_("Responsible organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=pgettext_lazy("organisation filter", "All organisations"),
    )

    def __init__(self, *args, organisations: QuerySet[Organisation], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = organisations
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select form-select-sm"

    def filter(self, milestones: QuerySet[Milestone]) -> QuerySet[Milestone]:
        # An invalid filter (a stale bookmark) shows the whole calendar with the error beside it.
        if not self.is_valid():
            return milestones
        if state := self.cleaned_data["state"]:
            milestones = milestones.filter(state=state)
        if responsible := self.cleaned_data["responsible"]:
            milestones = milestones.filter(responsible=responsible)
        return milestones
