"""Forms of the signing and verify pages: they check shape; the services check the rules."""

from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from agreements.verify import MAX_SIZE
from governance.forms.base import BaseForm


class SignForm(BaseForm):
    """The signer re-enters their password: signing is a deliberate act of the person, not the session."""

    submit_label = _("Sign the agreement")

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("Re-enter the password you log in with to confirm that you sign."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # agreements.js disables the button once pressed, so a double click sends one request.
        self.helper.inputs = [
            Submit(
                "submit",
                self.submit_label,
                css_class="btn-success",
                data_disable_on_submit="true",
            )
        ]
        self.helper.form_id = "sign-form"


class VerifyForm(BaseForm):
    submit_label = _("Check the PDF")

    file = forms.FileField(
        label=_("PDF file"),
        help_text=_("A signed agreement downloaded from this system, at most 20 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.form_id = "verify-form"

    def clean_file(self):
        upload = self.cleaned_data["file"]
        # Checked on the declared size before anything is read into memory.
        if upload.size > MAX_SIZE:
            raise forms.ValidationError(
                _("The file is larger than %(size)s MB.") % {"size": MAX_SIZE // (1024 * 1024)},
                code="too_large",
            )
        return upload
