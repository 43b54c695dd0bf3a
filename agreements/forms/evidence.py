"""The evidence upload form: it checks shape; agreements.uploads and the service check the file."""

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from agreements.models import KPIResult
from agreements.services.evidence import DESCRIPTION_MAX_LENGTH, evidence_steps
from agreements.uploads import EXTENSIONS
from governance.forms.base import BaseForm, PlainTextField

ACCEPT = ",".join(f".{extension}" for extension in EXTENSIONS)


class EvidenceForm(BaseForm):
    submit_label = _("Upload the file")

    # Empty files reach the service, which refuses them with the same message as every caller.
    file = forms.FileField(
        label=_("Evidence file"),
        allow_empty_file=True,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )
    step = forms.TypedChoiceField(
        label=_("Evidence of"),
        required=False,
        coerce=int,
        empty_value=None,
    )
    description = PlainTextField(
        label=_("Description"), required=False, max_length=DESCRIPTION_MAX_LENGTH
    )

    def __init__(self, *args, result: KPIResult, **kwargs):
        super().__init__(*args, **kwargs)
        self.result = result
        steps = evidence_steps(result)
        self.fields["step"].choices = [
            ("", _("The result as a whole")),
            *((level, _("Step %(level)s") % {"level": level}) for level, _text in steps),
        ]
        if not steps:
            # A KPI measured by an outcome alone has no steps to attach a file to.
            self.fields["step"].widget = forms.HiddenInput()
        url = reverse("agreements:evidence_upload", args=[result.pk])
        self.helper.form_action = url
        self.helper.form_id = f"evidence-form-{result.pk}"
