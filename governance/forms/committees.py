from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from governance.enums import CommitteeKind, CommitteePosition
from governance.fields import BuddhistDateField
from governance.forms.base import BaseForm, PlainTextField
from governance.models import Committee, CommitteeMember, Organisation, User


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        # Two people can share a name; the user name tells them apart.
        return f"{obj.display_name} ({obj.username})"


class CommitteeForm(BaseForm):
    """The fields committee_update accepts; CommitteeCreateForm adds the organisation."""

    kind = forms.ChoiceField(label=_("Kind"), choices=CommitteeKind.choices)
    name_th = PlainTextField(label=_("Name (Thai)"), max_length=255)
    name_en = PlainTextField(label=_("Name (English)"), max_length=255, required=False)
    appointed_by_th = PlainTextField(
        label=_("Appointing authority (Thai)"),
        max_length=255,
        help_text=_("Who signed the appointment order, e.g. รัฐมนตรีว่าการกระทรวงสาธารณสุข."),
    )
    appointed_by_en = PlainTextField(
        label=_("Appointing authority (English)"), max_length=255, required=False
    )
    appointing_committee = forms.ModelChoiceField(
        label=_("Appointed by committee"),
        queryset=Committee.objects.none(),
        required=False,
        help_text=_("When another committee appointed this one, e.g. the negotiation committee."),
    )
    order_reference = PlainTextField(
        label=_("Order number"),
        max_length=100,
        required=False,
        help_text=_("The number of the appointment order, e.g. 1234/2551."),
    )
    appointed_on = BuddhistDateField(label=_("Appointment date"))
    duties_th = PlainTextField(
        label=_("Duties (Thai)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    duties_en = PlainTextField(
        label=_("Duties (English)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, committees: QuerySet[Committee], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["appointing_committee"].queryset = committees

    @classmethod
    def initial_from(cls, committee: Committee) -> dict:
        return {name: getattr(committee, name) for name in cls.base_fields}


class CommitteeCreateForm(CommitteeForm):
    organisation = forms.ModelChoiceField(
        label=_("Organisation served"), queryset=Organisation.objects.none()
    )

    field_order = ["organisation"]

    def __init__(self, *args, organisations: QuerySet[Organisation], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class CommitteeMemberEditForm(BaseForm):
    position = forms.ChoiceField(label=_("Position"), choices=CommitteePosition.choices)
    capacity_th = PlainTextField(
        label=_("Capacity (Thai)"),
        max_length=255,
        required=False,
        help_text=_("Why the person sits on the committee, e.g. ผู้ทรงคุณวุฒิ (a qualified expert)."),
    )
    capacity_en = PlainTextField(label=_("Capacity (English)"), max_length=255, required=False)
    order = forms.IntegerField(
        label=_("Order"),
        min_value=0,
        max_value=32767,
        help_text=_("Members are listed by this number, smallest first."),
    )

    @classmethod
    def initial_from(cls, member: CommitteeMember) -> dict:
        return {name: getattr(member, name) for name in cls.base_fields}


class CommitteeMemberAddForm(CommitteeMemberEditForm):
    submit_label = _("Add")
    # Named "user" as the service names the field in its errors ("already a member").
    user = PersonChoiceField(
        label=_("Person"),
        queryset=User.objects.none(),
        help_text=_("Members may come from other organisations, e.g. a qualified expert."),
    )

    field_order = ["user"]

    def __init__(self, *args, people: QuerySet[User], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = people
        order = self.fields["order"]
        order.required = False
        order.help_text = _("Leave empty to list the person last.")
