"""A framework's KPI list as an Excel file, and the all-or-nothing import of one."""

import re
from collections.abc import Sequence
from urllib.parse import quote

from django.http import HttpResponse
from django.utils.text import slugify
from django.utils.translation import gettext
from django.views import View

from governance.views.base import ScopedMixin, ServiceFormView
from kpis import selectors, transfer
from kpis.forms.transfer import FrameworkImportForm
from kpis.models import Framework

_UNSAFE_IN_FILENAME = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')


def attachment_header(ascii_name: str, utf8_name: str) -> str:
    """Content-Disposition naming the file twice: plain ASCII for old clients, UTF-8 (RFC 5987)
    for the others, which then save the Thai name."""
    utf8_name = _UNSAFE_IN_FILENAME.sub("-", utf8_name).strip()
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(utf8_name, safe='')}"


def export_filenames(framework: Framework) -> tuple[str, str]:
    organisation, year = framework.organisation, framework.fiscal_year.year
    ascii_name = f"kpis-{slugify(organisation.code) or organisation.pk}-{year}.xlsx"
    label = organisation.abbreviation or organisation.name
    kpis_word = gettext("KPIs")
    utf8_name = f"{kpis_word} {label} {year}.xlsx"
    return ascii_name, utf8_name


class FrameworkExport(ScopedMixin, View):
    """Anyone who can see the framework may download its KPI list."""

    http_method_names = ["get", "head"]

    def get_scoped_queryset(self):
        return selectors.frameworks_visible_to(self.request.user)

    def get(self, request, *args, **kwargs):
        response = HttpResponse(
            transfer.export_framework(self.object), content_type=transfer.XLSX_CONTENT_TYPE
        )
        response["Content-Disposition"] = attachment_header(*export_filenames(self.object))
        # Internal figures: keep them out of shared caches.
        response["Cache-Control"] = "private, no-store"
        return response


class FrameworkImport(ServiceFormView):
    template_name = "kpis/framework_import.html"
    form_class = FrameworkImportForm
    permission_required = "kpis.change_kpis"
    import_errors: Sequence[transfer.RowError] = ()

    def get_scoped_queryset(self):
        return selectors.frameworks_visible_to(self.request.user)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            framework=self.object, import_errors=self.import_errors, **kwargs
        )

    def perform(self, form):
        try:
            result = transfer.framework_import(
                actor=self.request.user,
                framework=self.object,
                upload=form.cleaned_data["file"],
                mode=form.cleaned_data["mode"],
            )
        except transfer.ImportRefused as refused:
            # ServiceFormView shows the summary at the file field; the page lists every problem.
            self.import_errors = refused.errors
            raise
        self.success_message = gettext(
            "The KPI list has been imported. KPIs created: %(created)s; updated: %(updated)s; "
            "deleted: %(deleted)s."
        ) % {"created": result.created, "updated": result.updated, "deleted": result.deleted}
        return self.object
