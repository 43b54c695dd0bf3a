"""Forms of the people and roles pages: they check shape; the services check the rules."""

from crispy_forms.layout import Column, Fieldset, Layout, Row
from django import forms
from django.conf import settings
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.db.models import QuerySet
from django.forms.models import ModelChoiceIterator, ModelChoiceIteratorValue
from django.utils.translation import gettext_lazy as _

from governance.enums import Role
from governance.forms.base import BaseForm, PlainTextField
from governance.models import Organisation, User


class _TreeChoiceIterator(ModelChoiceIterator):
    """Indents each organisation by its depth below the shallowest one offered."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        organisations = list(self.queryset)
        top = min((organisation.depth for organisation in organisations), default=0)
        for organisation in organisations:
            # Non-breaking spaces: browsers collapse ordinary spaces inside <option>.
            indent = "\u00a0\u00a0\u00a0" * (organisation.depth - top)
            yield (
                ModelChoiceIteratorValue(self.field.prepare_value(organisation), organisation),
                indent + self.field.label_from_instance(organisation),
            )


class OrganisationChoiceField(forms.ModelChoiceField):
    """Organisations in tree order and indented, so a long list still reads as a tree."""

    iterator = _TreeChoiceIterator


class PasswordPairMixin(forms.Form):
    """A new password typed twice; the service applies Django's password validators."""

    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password_confirm = forms.CharField(
        label=_("Password (again)"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Type the same password again, to be sure of it."),
    )

    def clean(self):
        cleaned_data = super().clean()
        password, confirm = cleaned_data.get("password"), cleaned_data.get("password_confirm")
        if password and confirm and password != confirm:
            self.add_error("password_confirm", _("The two passwords are not the same."))
        return cleaned_data


class ProfileFieldsMixin(forms.Form):
    name_th = PlainTextField(label=_("Full name (Thai)"), max_length=200)
    name_en = PlainTextField(label=_("Full name (English)"), max_length=200, required=False)
    position_th = PlainTextField(label=_("Position (Thai)"), max_length=200, required=False)
    position_en = PlainTextField(label=_("Position (English)"), max_length=200, required=False)
    phone = PlainTextField(label=_("Phone"), max_length=40, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    language = forms.ChoiceField(
        label=_("Language"),
        choices=settings.LANGUAGES,
        initial=settings.LANGUAGE_CODE,
        help_text=_("The language of the pages and the e-mails this person receives."),
    )


class RoleFieldsMixin(forms.Form):
    organisation = OrganisationChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none()
    )
    role = forms.ChoiceField(label=_("Role"), choices=[("", "---------"), *Role.choices])
    includes_descendants = forms.BooleanField(
        label=_("Includes the units below"),
        required=False,
        help_text=_("The role then applies to this organisation and every organisation under it."),
    )

    def __init__(self, *args, organisations: QuerySet[Organisation], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations.order_by("path")


class PersonCreateForm(RoleFieldsMixin, PasswordPairMixin, ProfileFieldsMixin, BaseForm):
    submit_label = _("Add the person")

    username = forms.CharField(
        label=_("User name"),
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        help_text=_("Used to log in. Letters, digits and @/./+/-/_ only."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            Fieldset(_("Log-in"), "username", Row(Column("password"), Column("password_confirm"))),
            Fieldset(
                _("Profile"),
                Row(Column("name_th"), Column("name_en")),
                Row(Column("position_th"), Column("position_en")),
                Row(Column("phone"), Column("email")),
                "language",
            ),
            Fieldset(_("First role"), "organisation", "role", "includes_descendants"),
        )

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("password_confirm")
        return data


class PersonEditForm(ProfileFieldsMixin, BaseForm):
    is_active = forms.BooleanField(
        label=_("Active"),
        required=False,
        help_text=_("An inactive person can no longer log in; their history is kept."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            Row(Column("name_th"), Column("name_en")),
            Row(Column("position_th"), Column("position_en")),
            Row(Column("phone"), Column("email")),
            "language",
            "is_active",
        )

    @classmethod
    def initial_from(cls, person: User) -> dict:
        return {name: getattr(person, name) for name in cls.base_fields}


class PersonPasswordForm(PasswordPairMixin, BaseForm):
    submit_label = _("Set the password")


class MembershipCreateForm(RoleFieldsMixin, BaseForm):
    submit_label = _("Add the role")


class MembershipEditForm(BaseForm):
    includes_descendants = forms.BooleanField(
        label=_("Includes the units below"),
        required=False,
        help_text=_("The role then applies to this organisation and every organisation under it."),
    )


class PersonFilterForm(BaseForm):
    """The search bar of the people list: read from the query string, never saved."""

    submit_label = _("Search")

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("User name or name, Thai or English")}
        ),
    )
    organisation = OrganisationChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("All organisations"),
        help_text=_("With the units under it."),
    )
    role = forms.ChoiceField(
        label=_("Role"), required=False, choices=[("", _("All roles")), *Role.choices]
    )

    def __init__(self, *args, organisations: QuerySet[Organisation], results_url: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations.order_by("path")
        self.helper.form_method = "get"
        self.helper.form_action = results_url
        self.helper.form_id = "person-filter"
        # htmx swaps only the table while typing; without JavaScript the button submits the page.
        self.helper.attrs = {
            "hx-get": results_url,
            "hx-target": "#person-results",
            "hx-trigger": "input changed delay:400ms from:#id_q, change, submit",
            "hx-push-url": "true",
            "role": "search",
        }
        self.helper.layout = Layout(
            Row(
                Column("q", css_class="col-md-5"),
                Column("organisation", css_class="col-md-4"),
                Column("role", css_class="col-md-3"),
            )
        )
