"""The form of a new signing ceremony: it checks shape; ceremony_create checks the rules."""

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from agreements.models import Agreement
from governance.fields import BuddhistDateField
from governance.forms.base import BaseForm, PlainTextField
from governance.forms.people import OrganisationChoiceField
from governance.models import FiscalYear, Organisation


class AgreementChoiceField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj: Agreement) -> str:
        # The organisation tells the agreements of one year apart; the state says why it is listed.
        return f"{obj.organisation} · {obj.fiscal_year} · {obj.get_state_display()}"


class CeremonyForm(BaseForm):
    submit_label = _("Arrange the ceremony")

    fiscal_year = forms.ModelChoiceField(label=_("Fiscal year"), queryset=FiscalYear.objects.none())
    organisation = OrganisationChoiceField(
        label=_("Host organisation"), queryset=Organisation.objects.none()
    )
    name_th = PlainTextField(label=_("Name (Thai)"), max_length=300)
    name_en = PlainTextField(label=_("Name (English)"), max_length=300, required=False)
    held_on = BuddhistDateField(label=_("Date of the ceremony"))
    agreements = AgreementChoiceField(
        label=_("Agreements to be signed"),
        queryset=Agreement.objects.none(),
        help_text=_("Approved agreements (and agreements already signed) that you can see."),
    )

    def __init__(
        self,
        *args,
        fiscal_years: QuerySet[FiscalYear],
        organisations: QuerySet[Organisation],
        agreements: QuerySet[Agreement],
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.fields["fiscal_year"].queryset = fiscal_years
        self.fields["organisation"].queryset = organisations
        self.fields["agreements"].queryset = agreements
