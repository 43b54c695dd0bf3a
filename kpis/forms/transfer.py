"""The upload form of a KPI list: it checks that the file is a usable XLSX; the import checks rows."""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from governance.errors import DomainError
from governance.forms.base import BaseForm
from kpis.transfer import MAX_UPLOAD_BYTES, XLSX_CONTENT_TYPE, ImportMode, open_workbook


class FrameworkImportForm(BaseForm):
    submit_label = _("Check and import")

    file = forms.FileField(
        label=_("KPI list (Excel .xlsx)"),
        error_messages={
            "empty": _("The file is empty."),
            "invalid": _("Choose an Excel workbook (.xlsx) to upload."),
            "missing": _("Choose an Excel workbook (.xlsx) to upload."),
        },
        widget=forms.ClearableFileInput(attrs={"accept": f".xlsx,{XLSX_CONTENT_TYPE}"}),
    )
    mode = forms.ChoiceField(
        label=_("What to do with the KPIs already in the framework"),
        choices=ImportMode.choices,
        initial=ImportMode.UPDATE,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = gettext(
            "At most %(limit)s MB. Use the layout of the exported file: one KPI per row below the "
            "header row; headers may be in Thai or English."
        ) % {"limit": MAX_UPLOAD_BYTES // (1024 * 1024)}

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(
                _("Only Excel workbooks (.xlsx) can be imported; “%(name)s” is not one."),
                params={"name": upload.name},
            )
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(limit)s MB."),
                params={"limit": MAX_UPLOAD_BYTES // (1024 * 1024)},
            )
        # The content decides, not the name: a renamed PDF or web page is refused here.
        try:
            open_workbook(upload).close()
        except DomainError as error:
            raise forms.ValidationError(error.message) from error
        return upload
