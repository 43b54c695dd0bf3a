"""Form conventions: crispy layout on the form, HTML refused in names, Thai-friendly widgets."""

import re

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

_MARKUP = re.compile(r"<[^>]*>|&[#a-zA-Z0-9]+;")


def reject_markup(value: str) -> str:
    """Names are printed in PDFs and e-mails: refuse markup rather than store it."""
    if value and _MARKUP.search(value):
        raise forms.ValidationError(_("Please remove the HTML tags or entities from this text."))
    return value


class PlainTextField(forms.CharField):
    def clean(self, value):
        return reject_markup(super().clean(value))


class BaseForm(forms.Form):
    submit_label = _("Save")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = True
        self.helper.add_input(Submit("submit", self.submit_label))
