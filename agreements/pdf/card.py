"""The e-SAR card as a PDF: one landscape A4 page per agreement and round, in Thai or English.

The same data as the HTML page (agreements.cards.sar_card_context) and the same table template
(templates/agreements/includes/card_table.html), printed with the agreement PDF's machinery: the
bundled Sarabun faces declared with @font-face on the files, WeasyPrint's fetcher limited to our
static fonts and stylesheets, "หน้า x / y" at the foot, and Thai text that extracts as typed.
"""

from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import pgettext

from agreements.cards import sar_card_context
from agreements.models import SAR
from agreements.pdf import LANGUAGES, css_string
from agreements.pdf.fonts import FONT_FACES, fonts_url
from governance.buddhist_era import format_datetime
from governance.fiscal import fiscal_year_label

TEMPLATE = "pdf/sar_card.html"
STYLESHEET = Path("css") / "card.css"


def card_stylesheet() -> str:
    """The card's own stylesheet (static/css/card.css), shared with the HTML page."""
    return (Path(settings.BASE_DIR) / "static" / STYLESHEET).read_text(encoding="utf-8")


def card_keywords(sar: SAR) -> str:
    # No commas: WeasyPrint splits keywords on them. Not the agreement's pattern, so the
    # verify page never takes a card for a signed agreement.
    return f"kham-rabrong:sar-card={int(sar.pk)};revision={int(sar.inputs_revision)}"


def card_context(sar: SAR, *, language: str = "th") -> dict:
    """The card's data and the PDF's furniture, in `language`."""
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}, not {language!r}")
    with translation.override(language):
        context = sar_card_context(sar)
        organisation = sar.agreement.organisation.name
        year_label = fiscal_year_label(sar.agreement.fiscal_year.year, language)
        title = pgettext("e-SAR card", "e-SAR card of %(organisation)s, %(year)s, %(round)s") % {
            "organisation": organisation,
            "year": year_label,
            "round": sar.round.get_months_display(),
        }
        printed = pgettext("e-SAR card", "Printed %(when)s") % {
            "when": format_datetime(timezone.localtime(), language)
        }
        context.update(
            lang=language,
            title=title,
            year_label=year_label,
            keywords=card_keywords(sar),
            card_css=card_stylesheet(),
            font_faces=[
                {"weight": weight, "style": style, "src": css_string(fonts_url() + file)}
                for weight, style, file in FONT_FACES
            ],
            css_title=css_string(title),
            css_page=css_string(pgettext("agreement PDF", "Page")),
            css_hash=css_string(printed),
        )
    return context


def card_html(context: dict, *, dense: bool = False) -> str:
    with translation.override(context["lang"]):
        return render_to_string(TEMPLATE, {**context, "dense": dense})


def render_card_pdf(sar: SAR, *, language: str = "th") -> bytes:
    """The e-SAR card of `sar` as PDF bytes, rendered in `language` ("th" or "en").

    A card that runs onto a second page is laid out once more in the dense style (smaller type,
    tighter cells); that one is kept when it fits a single page, as a card is read at a glance.
    """
    # Imported here, as agreements.pdf does: WeasyPrint's import is heavy.
    from weasyprint import HTML

    from agreements.pdf.fetcher import StaticOnlyFetcher
    from agreements.pdf.text import readable_text

    context = card_context(sar, language=language)

    def layout(dense: bool):
        html = card_html(context, dense=dense)
        return HTML(string=html, base_url=fonts_url(), url_fetcher=StaticOnlyFetcher()).render()

    document = layout(dense=False)
    if len(document.pages) > 1:
        dense = layout(dense=True)
        if len(dense.pages) == 1:
            document = dense
    return document.write_pdf(finisher=readable_text)
