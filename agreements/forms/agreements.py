"""Forms of the agreement pages: they check shape; agreements.services checks the rules."""

from crispy_forms.layout import Column, Fieldset, Layout, Row
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from agreements.enums import AgreementState
from agreements.models import Agreement
from governance.fields import BuddhistDateField
from governance.forms.base import BaseForm, PlainTextField
from governance.models import Committee, FiscalYear, User
from kpis.models import Framework

PARTIES = ("maker", "receiver")
PARTY_TEXT_FIELDS = tuple(
    f"{party}_{suffix}"
    for party in PARTIES
    for suffix in ("name_th", "name_en", "position_th", "position_en")
)


class FiscalYearChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: FiscalYear) -> str:
        return str(obj)


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        # Two people can share a name; the position (or the user name) tells them apart.
        detail = obj.position or obj.username
        return f"{obj.display_name} · {detail}"


class CommitteeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Committee) -> str:
        organisation = obj.organisation
        return f"{obj.name} ({organisation.abbreviation or organisation.name})"


class FrameworkChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Framework) -> str:
        return f"{obj.organisation.name} · {obj.fiscal_year} · {obj.name}"


class AgreementFilterForm(forms.Form):
    """The list's filter: a GET form, so a filtered list can be bookmarked."""

    fiscal_year = FiscalYearChoiceField(
        label=_("Fiscal year"),
        queryset=FiscalYear.objects.none(),
        required=False,
        empty_label=pgettext_lazy("fiscal year filter", "All fiscal years"),
    )
    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[("", pgettext_lazy("state filter", "All states")), *AgreementState.choices],
    )

    def __init__(self, *args, fiscal_years: QuerySet[FiscalYear], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fiscal_year"].queryset = fiscal_years
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select form-select-sm"

    def filter(self, agreements: QuerySet[Agreement]) -> QuerySet[Agreement]:
        # A stale bookmark (a year without agreements any more) shows everything, with the error.
        if not self.is_valid():
            return agreements
        if fiscal_year := self.cleaned_data["fiscal_year"]:
            agreements = agreements.filter(fiscal_year=fiscal_year)
        if state := self.cleaned_data["state"]:
            agreements = agreements.filter(state=state)
        return agreements


def _party_text(label, max_length: int) -> PlainTextField:
    return PlainTextField(label=label, max_length=max_length, required=False)


class PartiesForm(BaseForm):
    """The two signing parties and the negotiation committee (agreement_update's fields).

    Names and positions left empty are taken from the chosen person's profile by the service.
    """

    submit_label = _("Save the parties")

    maker = PersonChoiceField(
        label=_("Maker (ผู้ทำคำรับรอง)"),
        queryset=User.objects.none(),
        help_text=_("The person who makes the commitment and signs, e.g. the Director-General."),
    )
    maker_name_th = _party_text(_("Maker's name (Thai)"), 200)
    maker_name_en = _party_text(_("Maker's name (English)"), 200)
    maker_position_th = _party_text(_("Maker's position (Thai)"), 300)
    maker_position_en = _party_text(_("Maker's position (English)"), 300)
    receiver = PersonChoiceField(
        label=_("Receiver (ผู้รับคำรับรอง)"),
        queryset=User.objects.none(),
        help_text=_(
            "The person who receives the commitment and signs, e.g. the Permanent Secretary."
        ),
    )
    receiver_name_th = _party_text(_("Receiver's name (Thai)"), 200)
    receiver_name_en = _party_text(_("Receiver's name (English)"), 200)
    receiver_position_th = _party_text(_("Receiver's position (Thai)"), 300)
    receiver_position_en = _party_text(_("Receiver's position (English)"), 300)
    negotiation_committee = CommitteeChoiceField(
        label=_("Negotiation committee"),
        queryset=Committee.objects.none(),
        required=False,
        help_text=_("The committee that negotiates and approves; needed before proposing."),
    )

    def __init__(
        self, *args, people: QuerySet[User], committees: QuerySet[Committee], **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["maker"].queryset = people
        self.fields["receiver"].queryset = people
        self.fields["negotiation_committee"].queryset = committees
        for party in PARTIES:
            self.fields[f"{party}_name_th"].help_text = _(
                "Leave empty to take it from the person's profile."
            )
        self.helper.form_id = "parties-form"
        self.helper.layout = Layout(*self._leading_fields(), *self._party_fieldsets())

    def _leading_fields(self) -> list:
        return []

    def _party_fieldsets(self) -> list:
        return [
            Fieldset(
                str(label),
                party,
                Row(
                    Column(f"{party}_name_th", css_class="col-md-6"),
                    Column(f"{party}_name_en", css_class="col-md-6"),
                ),
                Row(
                    Column(f"{party}_position_th", css_class="col-md-6"),
                    Column(f"{party}_position_en", css_class="col-md-6"),
                ),
            )
            for party, label in (("maker", _("Maker")), ("receiver", _("Receiver")))
        ] + ["negotiation_committee"]

    @classmethod
    def initial_from(cls, agreement: Agreement) -> dict:
        initial = {name: getattr(agreement, name) for name in PARTY_TEXT_FIELDS}
        initial.update(
            maker=agreement.maker_id,
            receiver=agreement.receiver_id,
            negotiation_committee=agreement.negotiation_committee_id,
        )
        return initial


class AgreementCreateForm(PartiesForm):
    submit_label = _("Draft the agreement")

    framework = FrameworkChoiceField(
        label=_("KPI framework"),
        queryset=Framework.objects.none(),
        help_text=_(
            "A published framework of an organisation you prepare agreements for; its KPIs, "
            "weights and criteria become the annex."
        ),
    )

    def __init__(self, *args, frameworks: QuerySet[Framework], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["framework"].queryset = frameworks
        self.helper.form_id = "agreement-create-form"

    def _leading_fields(self) -> list:
        return ["framework"]


class ClausesForm(BaseForm):
    submit_label = _("Save the clauses")

    clauses_th = forms.CharField(
        label=_("Clauses (Thai)"), widget=forms.Textarea(attrs={"rows": 18}), strip=False
    )
    clauses_en = forms.CharField(
        label=_("Clauses (English)"),
        widget=forms.Textarea(attrs={"rows": 18}),
        required=False,
        strip=False,
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper.form_id = "clauses-form"


class AgreementActForm(forms.Form):
    """What a workflow button may send: a reason, or the committee's resolution and its date."""

    comment = forms.CharField(
        label=_("Reason"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    resolution = forms.CharField(
        label=_("Committee resolution (มติ)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    resolution_date = BuddhistDateField(label=_("Resolution date"), required=False)

    def service_fields(self) -> dict:
        return {
            "comment": self.cleaned_data["comment"],
            "resolution": self.cleaned_data["resolution"],
            "resolution_date": self.cleaned_data["resolution_date"],
        }
