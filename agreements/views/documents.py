"""Signing, the signed PDF and the verify page.

Signing shows the person exactly what they sign (the frozen content and its SHA-256) and asks for
their password again; the service records the signature. The signed PDF is streamed from storage
as it was rendered, never re-rendered. The verify page reads an upload in memory and stores nothing.
"""

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext
from django.views import View
from django.views.generic import FormView

from agreements import services
from agreements.enums import AgreementState, Party
from agreements.forms.documents import SignForm, VerifyForm
from agreements.models import AgreementVersion
from agreements.selectors import agreements_visible_to, latest_version
from agreements.verify import Outcome, verify_pdf
from governance.bilingual import pick
from governance.errors import ActionForbidden, DomainError
from governance.views.base import ScopedMixin, ServiceFormView

# The browser string is kept for the record, cut to the column's length.
USER_AGENT_LENGTH = 500


@dataclass(frozen=True)
class FrozenKPI:
    code: str
    name: str
    unit: str
    weight: str
    target: str
    is_sub: bool


@dataclass(frozen=True)
class FrozenDimension:
    number: int
    name: str
    weight: str
    kpis: list[FrozenKPI]


def frozen_annex(content: dict[str, Any]) -> list[FrozenDimension]:
    """The annex as the frozen content holds it (not the live rows): what the signature covers."""
    dimensions: dict[int, FrozenDimension] = {}
    for kpi in content.get("kpis") or []:
        number = int(kpi["dimension"])
        if number not in dimensions:
            dimensions[number] = FrozenDimension(
                number=number,
                name=pick(kpi.get("dimension_name_th", ""), kpi.get("dimension_name_en", "")),
                weight=kpi.get("dimension_weight") or "",
                kpis=[],
            )
        dimensions[number].kpis.append(
            FrozenKPI(
                code=kpi["code"],
                name=pick(kpi.get("name_th", ""), kpi.get("name_en", "")),
                unit=pick(kpi.get("unit_th", ""), kpi.get("unit_en", "")),
                weight=kpi.get("weight") or "",
                target=kpi.get("target") or "",
                is_sub=bool(kpi.get("composite")),
            )
        )
    return sorted(dimensions.values(), key=lambda d: d.number)


def party_of(user, agreement) -> str | None:
    if user.pk == agreement.maker_id:
        return Party.MAKER
    if user.pk == agreement.receiver_id:
        return Party.RECEIVER
    return None


class AgreementSign(ServiceFormView):
    """One party signs the approved version after re-entering the password."""

    template_name = "agreements/sign.html"
    form_class = SignForm
    permission_required = "agreements.sign"

    def get_scoped_queryset(self):
        return agreements_visible_to(self.request.user)

    def has_permission(self) -> bool:
        # A superuser passes every permission but is no party: only the two parties sign.
        return super().has_permission() and party_of(self.request.user, self.object) is not None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        agreement, user = self.object, self.request.user
        version = latest_version(agreement)
        content = version.content if version is not None and version.is_frozen else None
        party = party_of(user, agreement)
        signatures = list(version.signatures.select_related("user")) if version else []
        own = next((s for s in signatures if s.party == party), None)
        is_approved = agreement.state == AgreementState.APPROVED
        context.update(
            agreement=agreement,
            version=version,
            content=content,
            organisation_name=(
                pick(content["organisation"]["name_th"], content["organisation"]["name_en"])
                if content
                else ""
            ),
            dimensions=frozen_annex(content) if content else [],
            party=Party(party),
            # What the signature records: the Thai name and position, the official record.
            signer_name=getattr(agreement, f"{party}_name_th"),
            signer_position=getattr(agreement, f"{party}_position_th"),
            signatures=signatures,
            own_signature=own,
            can_sign=is_approved and own is None and version is not None and version.is_frozen,
            is_approved=is_approved,
        )
        return context

    def perform(self, form):
        meta = self.request.META
        return services.agreement_sign(
            actor=self.request.user,
            agreement=self.object,
            password=form.cleaned_data["password"],
            # The peer address as the server saw it; a trusted proxy in front is configured for
            # the whole site (AXES_IPWARE_PROXY_COUNT), never taken from a header here.
            ip_address=meta.get("REMOTE_ADDR") or None,
            user_agent=meta.get("HTTP_USER_AGENT", "")[:USER_AGENT_LENGTH],
        )

    def form_valid(self, form) -> HttpResponse:
        try:
            signature = self.perform(form)
        except ActionForbidden as error:
            raise PermissionDenied(error.message) from error
        except DomainError as error:
            if error.code == "already_signed":
                # A double click: the first request signed, this one only reports it.
                messages.info(self.request, error.message)
                return HttpResponseRedirect(self.object.get_absolute_url())
            field = error.field if error.field in form.fields else None
            form.add_error(field, error.message)
            return self.form_invalid(form)
        if signature.version.signatures.count() == len(Party.values):
            messages.success(
                self.request,
                gettext(
                    "You have signed the agreement. Both parties have now signed; the signed PDF "
                    "is being prepared."
                ),
            )
        else:
            messages.success(
                self.request,
                gettext("You have signed the agreement. The other party has not signed yet."),
            )
        return HttpResponseRedirect(self.object.get_absolute_url())


class SignedPDF(ScopedMixin, View):
    """The stored signed PDF of one version, as a download (404 until it is rendered)."""

    http_method_names = ["get", "head"]

    def get_scoped_queryset(self):
        return agreements_visible_to(self.request.user)

    def get(self, request, *args, **kwargs):
        version = get_object_or_404(
            AgreementVersion.objects.exclude(pdf_sha256="").exclude(pdf=""),
            agreement=self.object,
            number=self.kwargs["number"],
        )
        try:
            stream = default_storage.open(version.pdf.name, "rb")
        except FileNotFoundError:
            raise Http404("The signed PDF is missing from storage.") from None
        agreement = self.object
        filename = (
            f"agreement-{agreement.organisation.code}-{agreement.fiscal_year.year}"
            f"-v{version.number}.pdf"
        )
        response = FileResponse(
            stream, as_attachment=True, filename=filename, content_type="application/pdf"
        )
        # Never let a browser guess another type for stored bytes, nor keep a shared copy.
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-cache"
        return response


class VerifyPDF(FormView):
    """Any logged-in person checks whether a PDF is the signed original of one of our agreements."""

    template_name = "agreements/verify.html"
    form_class = VerifyForm

    def form_valid(self, form) -> HttpResponse:
        # Read from the upload handler's buffer or temporary file; nothing is kept afterwards.
        data = form.cleaned_data["file"].read()
        try:
            verification = verify_pdf(data)
        except DomainError as error:
            form.add_error("file" if error.field == "file" else None, error.message)
            return self.form_invalid(form)
        version = verification.version
        context = self.get_context_data(
            form=VerifyForm(),
            verification=verification,
            outcome=Outcome(verification.outcome),
            version=version,
            agreement=version.agreement if version else None,
            signatures=list(version.signatures.all()) if version else [],
            can_open=(
                version is not None
                and agreements_visible_to(self.request.user)
                .filter(pk=version.agreement_id)
                .exists()
            ),
            filename=form.cleaned_data["file"].name,
        )
        return self.render_to_response(context)
