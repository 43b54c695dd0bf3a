from django import forms
from django.utils.translation import gettext_lazy as _

from governance.enums import OrganisationKind
from governance.forms.base import BaseForm, PlainTextField
from governance.models import Organisation


class OrganisationForm(BaseForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=OrganisationKind.choices)
    code = PlainTextField(
        label=_("Code"),
        max_length=20,
        help_text=_("Unique among the organisations under the same parent, e.g. 0904 or DOH-PLAN."),
    )
    name_th = PlainTextField(label=_("Name (Thai)"), max_length=255)
    name_en = PlainTextField(label=_("Name (English)"), max_length=255, required=False)
    abbreviation_th = PlainTextField(
        label=_("Abbreviation (Thai)"),
        max_length=40,
        required=False,
        help_text=_("As officials write it, e.g. กอง ภ. or สลก."),
    )
    abbreviation_en = PlainTextField(
        label=_("Abbreviation (English)"), max_length=40, required=False
    )
    vision_th = PlainTextField(
        label=_("Vision (Thai)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    vision_en = PlainTextField(
        label=_("Vision (English)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    @classmethod
    def initial_from(cls, organisation: Organisation) -> dict:
        return {name: getattr(organisation, name) for name in cls.base_fields}


class OrganisationEditForm(OrganisationForm):
    is_active = forms.BooleanField(label=_("Active"), required=False)

    @classmethod
    def initial_from(cls, organisation: Organisation) -> dict:
        return {name: getattr(organisation, name) for name in cls.base_fields}


class OrganisationMoveForm(BaseForm):
    submit_label = _("Move")
    new_parent = forms.ModelChoiceField(label=_("New parent"), queryset=Organisation.objects.none())

    def __init__(self, *args, parents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_parent"].queryset = parents
