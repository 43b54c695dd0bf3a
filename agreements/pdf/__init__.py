"""The signed agreement as a PDF: Thai official-document layout, rendered by WeasyPrint.

Everything printed comes from the version's frozen content (`version.content`, see snapshot.py)
and its signatures, never from live rows, so the PDF says exactly what was signed. The core,
`render_snapshot_pdf`, takes plain data (the content dict and a list of `SignatureLine`), so it
runs without a database (the benchmark renders hundreds of snapshots that way).

Modules: fonts.py (the bundled faces), fetcher.py (what WeasyPrint may read), text.py (Thai
text that extracts as typed).

The PDF carries its identity in the metadata: /Keywords holds
"kham-rabrong:agreement=<id>;version=<n>;content=<sha256>", which `verify.py` reads back.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import pgettext

from agreements.enums import Party, VersionKind
from agreements.pdf.fonts import FONT_FACES, fonts_url
from agreements.snapshot import content_hash
from governance.fiscal import fiscal_year_label
from kpis.enums import CriteriaType

TEMPLATE = "pdf/agreement.html"
KEYWORD_PREFIX = "kham-rabrong:"
LANGUAGES = ("th", "en")


@dataclass(frozen=True)
class SignatureLine:
    """What a signature block prints: plain data, so rendering needs no database."""

    party: str
    name: str
    position: str
    signed_at: datetime


def signature_lines(version) -> list[SignatureLine]:
    return [
        SignatureLine(party=s.party, name=s.name, position=s.position, signed_at=s.signed_at)
        for s in version.signatures.all()
    ]


def render_agreement_pdf(version, *, language: str = "th") -> bytes:
    """The PDF of a frozen `version` in `language` ("th" or "en"), with its signatures."""
    if not version.content or not version.content_sha256:
        raise ValueError(f"agreement version {version.pk} is not frozen: nothing to render")
    return render_snapshot_pdf(
        version.content,
        signatures=signature_lines(version),
        language=language,
        content_sha256=version.content_sha256,
    )


def render_snapshot_pdf(
    content: dict[str, Any],
    *,
    signatures: Sequence[SignatureLine] = (),
    language: str = "th",
    content_sha256: str | None = None,
) -> bytes:
    """The PDF of frozen `content` (snapshot.build_snapshot's dict), without touching the DB."""
    # WeasyPrint is imported when a PDF is rendered, not when the package is: web processes
    # import it for the verify page, and WeasyPrint's import is heavy and logs.
    from weasyprint import HTML

    from agreements.pdf.fetcher import StaticOnlyFetcher
    from agreements.pdf.text import readable_text

    html = agreement_html(
        content, signatures=signatures, language=language, content_sha256=content_sha256
    )
    document = HTML(string=html, base_url=fonts_url(), url_fetcher=StaticOnlyFetcher())
    return document.write_pdf(finisher=readable_text)


def agreement_html(
    content: dict[str, Any],
    *,
    signatures: Sequence[SignatureLine] = (),
    language: str = "th",
    content_sha256: str | None = None,
) -> str:
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}, not {language!r}")
    sha256 = content_sha256 or content_hash(content)
    with translation.override(language):
        _require_catalogue(language)
        context = document_context(content, signatures=signatures, lang=language, sha256=sha256)
        return render_to_string(TEMPLATE, context)


def _require_catalogue(language: str) -> None:
    # A signed PDF is rendered once and kept forever: a worker deployed without the compiled
    # Thai catalogue must fail loudly rather than freeze a "Thai" document with English headings
    # (the task is idempotent, so it can simply be run again once the catalogue is there).
    if (
        language == "th"
        and pgettext("agreement PDF", "Performance agreement") == "Performance agreement"
    ):
        raise ImproperlyConfigured(
            "The Thai message catalogue has no PDF strings: run `make compilemessages`."
        )


def keywords(content: dict[str, Any], sha256: str) -> str:
    """The identity the PDF carries in /Keywords (no commas: WeasyPrint splits keywords on them)."""
    return (
        f"{KEYWORD_PREFIX}agreement={int(content['agreement'])};"
        f"version={int(content['version'])};content={sha256}"
    )


KEYWORD_PATTERN = re.compile(
    rb"kham-rabrong:agreement=(\d{1,12});version=(\d{1,6});content=([0-9a-f]{64})"
)


@dataclass(frozen=True)
class Claim:
    """The agreement version a PDF says it is (read from its metadata)."""

    agreement_id: int
    version_number: int
    content_sha256: str


def parse_keywords(text: str | bytes) -> Claim | None:
    raw = text.encode() if isinstance(text, str) else text
    match = KEYWORD_PATTERN.search(raw)
    if match is None:
        return None
    return Claim(int(match[1]), int(match[2]), match[3].decode())


# --- The view of the snapshot that the template prints -----------------------------------------


def css_string(text: str) -> str:
    """`text` as a double-quoted CSS string, safe inside a <style> element.

    Everything but letters, digits and spaces becomes a CSS hex escape, so neither a quote nor
    "</style>" in an organisation's name can end the string or the style sheet.
    """
    escaped = "".join(ch if ch.isalnum() or ch == " " else f"\\{ord(ch):x} " for ch in text)
    return f'"{escaped}"'


def _pick(bilingual: dict[str, Any], key: str, lang: str) -> str:
    thai = bilingual.get(f"{key}_th") or ""
    if lang == "en":
        return bilingual.get(f"{key}_en") or thai
    return thai


def _decimal(text: str | None) -> Decimal:
    return Decimal(text) if text else Decimal(0)


def _number(value: Decimal) -> str:
    return format(value.normalize(), "f")


NUMBERED = re.compile(r"^\s*([0-9๐-๙]{1,3})[.)]\s+")


@dataclass
class Clause:
    number: str
    lines: list[str]


def clause_paragraphs(text: str) -> list[Clause]:
    """Paragraphs of the clauses (separated by blank lines), with their own numbers taken off.

    The numbers are printed in a column of their own; a paragraph without one (the standard
    clauses open with the agreement's name) prints as it stands.
    """
    paragraphs = []
    for block in re.split(r"\n\s*\n", text.replace("\r\n", "\n").strip()):
        match = NUMBERED.match(block)
        number = match[1] if match else ""
        body = block[match.end() :] if match else block
        lines = [line.strip() for line in body.split("\n") if line.strip()]
        if lines:
            paragraphs.append(Clause(number=number, lines=lines))
    return paragraphs


@dataclass
class Level:
    text: str
    is_step: bool = False


@dataclass
class KPIRow:
    code: str
    name: str
    unit: str
    weight: str
    target: str
    is_sub: bool
    is_composite: bool
    higher_is_better: bool
    levels: list[Level]


@dataclass
class DimensionGroup:
    number: int
    name: str
    weight: str
    subtotal: str
    rows: list[KPIRow] = field(default_factory=list)


def kpi_levels(kpi: dict[str, Any]) -> list[Level]:
    """The five criteria levels: step texts for the first `step_count` levels, then thresholds."""
    kind = kpi.get("criteria_type")
    if kind == CriteriaType.COMPOSITE:
        return []
    steps = kpi.get("steps") or [""] * 5
    thresholds = kpi.get("thresholds") or [None] * 5
    step_count = 5 if kind == CriteriaType.MILESTONE else int(kpi.get("step_count") or 0)
    levels = []
    for index in range(5):
        if index < step_count:
            levels.append(Level(text=steps[index] or "", is_step=True))
        else:
            value = thresholds[index]
            levels.append(Level(text=value if value is not None else "–"))
    return levels


def annex_groups(kpis: list[dict[str, Any]], lang: str) -> list[DimensionGroup]:
    groups: dict[int, DimensionGroup] = {}
    subtotals: dict[int, Decimal] = {}
    for kpi in kpis:
        number = int(kpi["dimension"])
        group = groups.get(number)
        if group is None:
            group = groups[number] = DimensionGroup(
                number=number,
                name=_pick(kpi, "dimension_name", lang),
                weight=kpi.get("dimension_weight") or "",
                subtotal="",
            )
            subtotals[number] = Decimal(0)
        is_sub = bool(kpi.get("composite"))
        # A sub-KPI's weight counts within its composite KPI, not towards the dimension.
        if not is_sub:
            subtotals[number] += _decimal(kpi.get("weight"))
        group.rows.append(
            KPIRow(
                code=kpi["code"],
                name=_pick(kpi, "name", lang),
                unit=_pick(kpi, "unit", lang),
                weight=kpi.get("weight") or "",
                target=kpi.get("target") or "",
                is_sub=is_sub,
                is_composite=kpi.get("criteria_type") == CriteriaType.COMPOSITE,
                higher_is_better=bool(kpi.get("higher_is_better", True)),
                levels=kpi_levels(kpi),
            )
        )
    for number, group in groups.items():
        group.subtotal = _number(subtotals[number])
    return sorted(groups.values(), key=lambda g: g.number)


@dataclass
class SignatureBlock:
    party: str
    role: str
    name: str
    position: str
    signed_on: date | None


def signature_blocks(
    content: dict[str, Any], signatures: Sequence[SignatureLine], lang: str
) -> list[SignatureBlock]:
    """The receiver's block, then the maker's, as Thai agreements print them (left, right).

    A signature prints the name and position it was given with; in English, the frozen English
    name of the party is used when the signer is that party.
    """
    by_party = {s.party: s for s in signatures}
    roles = {
        Party.RECEIVER: pgettext("agreement PDF", "Receiver of the agreement"),
        Party.MAKER: pgettext("agreement PDF", "Maker of the agreement"),
    }
    blocks = []
    for party, role in roles.items():
        frozen = content.get(party.value) or {}
        signature = by_party.get(party.value)
        name = _pick(frozen, "name", lang)
        position = _pick(frozen, "position", lang)
        signed_on = None
        if signature is not None:
            signed_on = timezone.localtime(signature.signed_at).date()
            if signature.name != frozen.get("name_th"):
                name, position = signature.name, signature.position
        blocks.append(SignatureBlock(party.value, role, name, position, signed_on))
    return blocks


def document_context(
    content: dict[str, Any], *, signatures: Sequence[SignatureLine], lang: str, sha256: str
) -> dict[str, Any]:
    """Everything the template prints, in `lang`; call inside translation.override(lang)."""
    organisation = _pick(content["organisation"], "name", lang)
    year_label = fiscal_year_label(int(content["fiscal_year"]), lang)
    heading = pgettext("agreement PDF", "Performance agreement")
    of_organisation = pgettext("agreement PDF", "of %(organisation)s") % {
        "organisation": organisation
    }
    title = f"{heading} {of_organisation} {year_label}"
    resolution_date = content.get("resolution_date")
    groups = annex_groups(content.get("kpis") or [], lang)
    total = sum((_decimal(g.subtotal) for g in groups), Decimal(0))
    clauses = content.get("clauses_en") if lang == "en" else ""
    return {
        "lang": lang,
        "title": title,
        "heading": heading,
        "of_organisation": of_organisation,
        "year_label": year_label,
        "organisation": organisation,
        "version_number": content["version"],
        "is_amendment": content.get("kind") == VersionKind.AMENDMENT,
        "parties": signature_blocks(content, (), lang),
        "clauses": clause_paragraphs(clauses or content.get("clauses_th") or ""),
        "resolution": content.get("resolution") or "",
        "resolution_date": date.fromisoformat(resolution_date) if resolution_date else None,
        "groups": groups,
        "total_weight": _number(total),
        "signatures": signature_blocks(content, signatures, lang),
        "content_sha256": sha256,
        "keywords": keywords(content, sha256),
        "font_faces": [
            {"weight": weight, "style": style, "src": css_string(fonts_url() + file)}
            for weight, style, file in FONT_FACES
        ],
        "css_title": css_string(title),
        "css_page": css_string(pgettext("agreement PDF", "Page")),
        "css_hash": css_string(
            pgettext("agreement PDF", "Content SHA-256: %(hash)s") % {"hash": sha256}
        ),
    }
