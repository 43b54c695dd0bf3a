"""The e-SAR card of one SAR: as an HTML page and as a PDF download.

Anyone who may see the SAR may see its card (out of scope → 404 through sars_visible_to). The
numbers are the stored scores (agreements.cards); the PDF is rendered in the request's language.
"""

import re

from django.http import HttpResponse
from django.utils.translation import get_language
from django.views import View

from agreements.cards import sar_card_context
from agreements.pdf.card import render_card_pdf
from agreements.selectors import sars_visible_to
from governance.buddhist_era import normalise_lang
from governance.views.base import ScopedMixin, ScopedTemplateView


class SARCardScopeMixin:
    def get_scoped_queryset(self):
        return sars_visible_to(self.request.user)


class SARCard(SARCardScopeMixin, ScopedTemplateView):
    """The card on screen, with its PDF download and a print-friendly layout."""

    template_name = "agreements/sar_card.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(sar_card_context(self.object))
        return context


def card_filename(sar) -> str:
    """e-sar-card-<organisation code>-<fiscal year>-<months>m.pdf, safe in a header as it is."""
    agreement = sar.agreement
    code = re.sub(r"[^A-Za-z0-9._-]+", "-", agreement.organisation.code).strip("-.") or "org"
    return f"e-sar-card-{code}-{agreement.fiscal_year.year}-{sar.round.months}m.pdf"


class SARCardPDF(SARCardScopeMixin, ScopedMixin, View):
    """The card as a one-page PDF (landscape A4), in the request's language (Thai by default)."""

    http_method_names = ["get", "head"]

    def get(self, request, *args, **kwargs):
        sar = self.object
        content = render_card_pdf(sar, language=normalise_lang(get_language()))
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{card_filename(sar)}"'
        response["X-Content-Type-Options"] = "nosniff"
        # Scores change with every recompute: never serve a kept copy.
        response["Cache-Control"] = "private, no-cache"
        return response
