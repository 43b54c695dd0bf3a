"""Signing ceremonies: arrange one, follow the signing live, render the missing PDFs.

The detail page polls a small progress fragment with htmx every 2 seconds; once nothing is left
to wait for, the fragment comes back without its trigger and the polling stops by itself.
"""

from django.contrib import messages
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from agreements import services
from agreements.enums import FROZEN_STATES
from agreements.forms.ceremonies import CeremonyForm
from agreements.selectors import agreements_visible_to
from agreements.services.ceremonies import (
    CEREMONY_STATES,
    ceremonies_visible_to,
    ceremony_items,
    may_organise,
)
from governance.enums import Role
from governance.models import FiscalYear
from governance.selectors import organisations_in_scope
from governance.views.base import ScopedTemplateView, ServiceActionView, ServiceFormView

# Polling interval of the progress fragment (the htmx trigger reads it).
POLL_SECONDS = 2


class CeremonyList(ScopedTemplateView):
    """Visible ceremonies, newest first, with how many of their agreements are signed."""

    template_name = "agreements/ceremony_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        ceremonies = ceremonies_visible_to(user).annotate(
            agreement_count=Count("agreements", distinct=True),
            # Signed, reporting and closed agreements all stand on a fully signed version.
            signed_count=Count(
                "agreements", filter=Q(agreements__state__in=FROZEN_STATES), distinct=True
            ),
        )
        context.update(
            ceremonies=ceremonies.order_by("-held_on", "-pk"),
            can_create=may_organise(user),
        )
        return context


class CeremonyCreate(ServiceFormView):
    template_name = "agreements/ceremony_form.html"
    form_class = CeremonyForm
    success_message = _("The ceremony has been arranged.")

    def has_permission(self) -> bool:
        # The service checks the chosen host organisation; here, whether any is possible.
        return may_organise(self.request.user)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        user = self.request.user
        kwargs["fiscal_years"] = FiscalYear.objects.order_by("-year")
        kwargs["organisations"] = organisations_in_scope(
            user, roles=[Role.PLANNING, Role.ADMIN]
        ).order_by("path")
        kwargs["agreements"] = agreements_visible_to(user).filter(state__in=CEREMONY_STATES)
        return kwargs

    def get_initial(self):
        initial = super().get_initial()
        # The earliest open year is the one being signed.
        current = FiscalYear.objects.filter(is_closed=False).order_by("year").first()
        if current is not None:
            initial["fiscal_year"] = current
        return initial

    def perform(self, form):
        return services.ceremony_create(actor=self.request.user, **form.cleaned_data)


class CeremonyStatusMixin:
    """The ceremony's progress and its agreements' rows, shared by the page and its fragment."""

    def get_scoped_queryset(self):
        return ceremonies_visible_to(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        items = ceremony_items(self.object)
        progress = services.ceremony_progress(self.object, items=items)
        # The counts are the whole ceremony's; the rows only the agreements this person may open.
        visible = set(
            agreements_visible_to(user)
            .filter(pk__in=[item.agreement.pk for item in items])
            .values_list("pk", flat=True)
        )
        context.update(
            ceremony=self.object,
            progress=progress,
            rows=[
                {"item": item, "may_sign": item.may_sign(user)}
                for item in items
                if item.agreement.pk in visible
            ],
            hidden_count=len(items) - len(visible),
            poll_seconds=POLL_SECONDS,
        )
        return context


class CeremonyDetail(CeremonyStatusMixin, ScopedTemplateView):
    """The ceremony's agreements, their parties, who still has to sign, and the PDFs."""

    template_name = "agreements/ceremony_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_render"] = may_organise(self.request.user, self.object.organisation)
        return context


class CeremonyProgress(CeremonyStatusMixin, ScopedTemplateView):
    """The live part of the detail page, polled by htmx; without its trigger once done."""

    template_name = "agreements/ceremony_progress.html"


class CeremonyRender(ServiceActionView):
    """Enqueue the PDF of every signed agreement of the ceremony that has none yet."""

    def get_scoped_queryset(self):
        return ceremonies_visible_to(self.request.user)

    def has_permission(self) -> bool:
        return may_organise(self.request.user, self.object.organisation)

    def perform(self) -> int:
        count = services.ceremony_render(actor=self.request.user, ceremony=self.object)
        if count:
            messages.success(
                self.request,
                ngettext(
                    "%(count)s PDF is being rendered in the background.",
                    "%(count)s PDFs are being rendered in the background.",
                    count,
                )
                % {"count": count},
            )
        else:
            messages.info(self.request, _("Every signed agreement already has its PDF."))
        return count
