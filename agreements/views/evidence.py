"""Evidence files: upload (htmx or a plain form post), download as an attachment, delete.

Rows are loaded through sars_visible_to (out of scope → 404); uploading and deleting need
agreements.enter_results on the result (403 otherwise), and the service checks the rest. A stored
file is only ever sent as an attachment with nosniff, whatever it holds.
"""

from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext
from django.views import View

from agreements.forms.evidence import EvidenceForm
from agreements.models import Evidence, KPIResult
from agreements.selectors import sars_visible_to
from agreements.services.evidence import (
    ENTER_RESULTS,
    evidence_add,
    evidence_can_change,
    evidence_remove,
)
from agreements.uploads import megabytes
from agreements.views.negotiation import wants_fragment
from governance.errors import ActionForbidden, DomainError
from governance.views.base import ScopedMixin

LIST_TEMPLATE = "agreements/includes/evidence_list.html"
# htmx swaps only 2xx answers unless told otherwise, so a refused upload comes back as 200 with
# the error in the fragment; a plain form post gets a redirect and a message instead.
FRAGMENT_ERROR_STATUS = 200


def evidence_visible_to(user):
    """Evidence of the results of SARs the person may see, with what the rules and views read."""
    return Evidence.objects.filter(
        result__sar__in=sars_visible_to(user).values("pk")
    ).select_related(
        "result__sar__agreement__organisation",
        "result__sar__round",
        "result__annex_kpi__kpi__owner",
    )


def ascii_fallback(evidence: Evidence) -> str:
    """The plain `filename=` for old clients: the name itself when it is safe ASCII, else a
    neutral one (the real name travels in `filename*`)."""
    name = evidence.original_name
    if name.isascii() and not any(char in name for char in '"\\;') and name.isprintable():
        return name
    return f"evidence-{evidence.pk}.{evidence.extension}"


def content_disposition(evidence: Evidence) -> str:
    # RFC 6266 with RFC 5987's filename*: browsers show the Thai name, the fallback is ASCII.
    return "attachment; filename=\"{}\"; filename*=UTF-8''{}".format(
        ascii_fallback(evidence), quote(evidence.original_name, safe="")
    )


def list_context(request, result: KPIResult, **extra) -> dict:
    """What the evidence list fragment needs when rendered on its own (after an htmx post)."""
    return {
        "result": result,
        "can_upload": request.user.has_perm(ENTER_RESULTS, result) and evidence_can_change(result),
        "evidence_max_mb": megabytes(settings.EVIDENCE_MAX_BYTES),
        # Rendered alone: the upload form comes along, swapped out of band.
        "fragment": True,
        **extra,
    }


def render_list(request, result: KPIResult, *, status: int = 200, **extra) -> HttpResponse:
    response = render(request, LIST_TEMPLATE, list_context(request, result, **extra), status=status)
    # The same URL answers with a fragment or a redirect: caches must tell them apart.
    patch_vary_headers(response, ["HX-Request"])
    return response


class EvidenceUpload(ScopedMixin, View):
    """POST a file for one result (pk = the result)."""

    http_method_names = ["post"]
    permission_required = ENTER_RESULTS

    def get_scoped_queryset(self):
        return KPIResult.objects.filter(
            sar__in=sars_visible_to(self.request.user).values("pk")
        ).select_related(
            "sar__agreement__organisation",
            "sar__agreement__framework",
            "sar__round",
            "annex_kpi__kpi__owner",
        )

    def post(self, request, *args, **kwargs) -> HttpResponse:
        result = self.object
        form = EvidenceForm(request.POST, request.FILES, result=result)
        evidence = None
        if form.is_valid():
            try:
                evidence = evidence_add(
                    actor=request.user,
                    result=result,
                    upload=form.cleaned_data["file"],
                    step=form.cleaned_data["step"],
                    description=form.cleaned_data["description"],
                )
            except ActionForbidden as error:
                raise PermissionDenied(error.message) from error
            except DomainError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)

        if wants_fragment(request):
            if evidence is None:
                return render_list(
                    request, result, status=FRAGMENT_ERROR_STATUS, evidence_form=form
                )
            notice = gettext("“%(name)s” has been added.") % {"name": evidence.original_name}
            return render_list(request, result, notice=notice)

        if evidence is None:
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
        else:
            messages.success(
                request, gettext("“%(name)s” has been added.") % {"name": evidence.original_name}
            )
        return HttpResponseRedirect(result.get_absolute_url())


class EvidenceDownload(ScopedMixin, View):
    """The stored file as an attachment, to anyone who may see the SAR."""

    http_method_names = ["get", "head"]

    def get_scoped_queryset(self):
        return evidence_visible_to(self.request.user)

    def get(self, request, *args, **kwargs) -> FileResponse:
        evidence = self.object
        try:
            stream = default_storage.open(evidence.file.name, "rb")
        except FileNotFoundError:
            raise Http404("The evidence file is missing from storage.") from None
        response = FileResponse(stream, content_type=evidence.content_type)
        response["Content-Disposition"] = content_disposition(evidence)
        # Never let a browser guess another type for stored bytes, nor keep a shared copy.
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-cache"
        return response


class EvidenceDelete(ScopedMixin, View):
    """POST only: remove one file (its row now, the stored bytes after the commit)."""

    http_method_names = ["post"]
    permission_required = ENTER_RESULTS

    def get_scoped_queryset(self):
        return evidence_visible_to(self.request.user)

    def post(self, request, *args, **kwargs) -> HttpResponse:
        evidence = self.object
        result = evidence.result
        error_message = ""
        try:
            evidence_remove(actor=request.user, evidence=evidence)
        except ActionForbidden as error:
            raise PermissionDenied(error.message) from error
        except DomainError as error:
            error_message = error.message
        removed = gettext("“%(name)s” has been removed.") % {"name": evidence.original_name}

        if wants_fragment(request):
            if error_message:
                return render_list(
                    request, result, status=FRAGMENT_ERROR_STATUS, error=error_message
                )
            return render_list(request, result, notice=removed)
        if error_message:
            messages.error(request, error_message)
        else:
            messages.success(request, removed)
        return HttpResponseRedirect(result.get_absolute_url())
