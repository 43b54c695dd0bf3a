"""Thai text in the PDF that pdftotext, search and copy-paste read as it was typed.

Two quirks would make the Thai of the PDF unreadable to pdftotext, search and copy-paste:
1. WeasyPrint maps each glyph to the text of the cluster it was first drawn in. Thai shaping
   draws SARA AM (ำ) as NIKHAHIT + SARA AA, so the SARA AA glyph read as "ำ" or "า" everywhere
   in the file, whichever came first ("การ" came out as "กำร").
2. Thai marks have no width and sit where the next letter starts, so readers that order glyphs
   by position put a tone mark after the following consonant ("มุ่ง" came out as "มุง่").
The finisher below rewrites the /ToUnicode map of our fonts from the bundled files' glyph names
(each glyph maps to the character it depicts; WeasyPrint keeps the fonts' glyph ids when it
subsets them, so those of the bundled files apply), and wraps each run of Thai glyphs in an
/ActualText span holding its text in typing order, which pdftotext and PDF viewers read instead
of guessing from positions.
"""

import functools
import re
import unicodedata
from pathlib import Path

import pydyf
from django.conf import settings

from agreements.pdf.fonts import FONT_FACE_NAMES, FONT_FACES

LIGATURES = frozenset("\ufb00\ufb01\ufb02\ufb03\ufb04\ufb05\ufb06")
_UNI_NAME = re.compile(r"uni((?:[0-9A-F]{4})+)")
_TO_UNICODE_ENTRY = re.compile(rb"<([0-9a-f]{4,})> <([0-9a-f]*)>")
_SET_FONT = re.compile(rb"/(\S+) \S+ Tf")
_GLYPHS = re.compile(rb"<([0-9a-fA-F]*)>")
# NIKHAHIT, an optional tone mark, SARA AA: the decomposed SARA AM, composed again.
_SARA_AM = re.compile("\u0e4d([\u0e48-\u0e4b]?)\u0e32")


@functools.cache
def glyph_texts(font_file: str) -> dict[int, str]:
    """Glyph id → the text the glyph depicts, for one bundled font file."""
    from fontTools.ttLib import TTFont

    font = TTFont(Path(settings.BASE_DIR) / "static" / "fonts" / font_file, lazy=True)
    by_name: dict[str, int] = {}
    for codepoint, name in sorted(font.getBestCmap().items(), reverse=True):
        by_name[name] = codepoint  # the lowest code point wins (space before no-break space)
    texts = {}
    for glyph_id, name in enumerate(font.getGlyphOrder()):
        base = name.split(".")[0]
        if base in by_name:
            char = chr(by_name[base])
            # A Latin ligature (ﬁ) is read as its letters (fi), as WeasyPrint itself would.
            texts[glyph_id] = unicodedata.normalize("NFKC", char) if char in LIGATURES else char
        elif match := _UNI_NAME.fullmatch(base):
            chars = [chr(int(match[1][i : i + 4], 16)) for i in range(0, len(match[1]), 4)]
            # NIKHAHIT + tone ligature (น้ำ): typed as tone first, then the ำ it belongs to.
            if len(chars) == 2 and chars[0] == "\u0e4d":
                chars.reverse()
            texts[glyph_id] = "".join(chars)
    font.close()
    return texts


def _font_file(base_font: str) -> str | None:
    # BaseFont is "/ABCDEF+Kham-Sarabun" or "/ABCDEF+Kham-Sarabun-Bold" (Pango's description).
    style = base_font.partition("+")[2]
    for weight, _style, file in FONT_FACES:
        if style == FONT_FACE_NAMES.get(weight):
            return file
    return None


def _text(value: str | bytes) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def readable_text(document, pdf) -> None:
    """WeasyPrint finisher: make the Thai text extractable (see above)."""
    texts_by_font: dict[bytes, dict[int, str]] = {}
    for candidate in pdf.objects:
        if not isinstance(candidate, dict) or candidate.get("Subtype") != "/Type0":
            continue
        base_font = _text(candidate.get("BaseFont", ""))
        file = _font_file(base_font)
        reference = _text(candidate.get("ToUnicode", ""))
        if file is None or not reference:
            continue
        texts = texts_by_font[base_font.lstrip("/").partition("+")[0].encode()] = glyph_texts(file)
        _rewrite_to_unicode(pdf.objects[int(reference.split()[0])], texts)
    for candidate in pdf.objects:
        if isinstance(candidate, pydyf.Stream) and b"BT" in candidate.stream:
            candidate.stream = _with_actual_text(candidate.stream, texts_by_font)


def _rewrite_to_unicode(stream: pydyf.Stream, texts: dict[int, str]) -> None:
    lines = []
    for line in stream.stream:
        match = _TO_UNICODE_ENTRY.fullmatch(line) if isinstance(line, bytes) else None
        if match and int(match[1], 16) in texts:
            text = texts[int(match[1], 16)].encode("utf-16-be").hex()
            line = b"<%s> <%s>" % (match[1], text.encode())
        lines.append(line)
    stream.stream = lines


def _with_actual_text(items: list, texts_by_font: dict[bytes, dict[int, str]]) -> list:
    """The content stream `items` with each line's Thai glyph runs in an /ActualText span.

    A span starts at the first TJ after a text position (Tm) and ends at the next position or
    the end of the text object, so it covers one run of text, its raised marks included.
    """
    out: list = []
    texts: dict[int, str] | None = None
    span: list[str] | None = None  # the text of the open span; None when no span is open
    span_at = 0  # where the open span's BDC goes in `out`

    def close() -> None:
        nonlocal span
        if span is not None:
            text = _SARA_AM.sub("\\1\u0e33", "".join(span))
            if any("\u0e00" <= ch <= "\u0e7f" for ch in text):
                actual = ("\ufeff" + text).encode("utf-16-be").hex().encode()
                out.insert(span_at, b"/Span <</ActualText <%s>>> BDC" % actual)
                out.append(b"EMC")
        span = None

    for item in items:
        data = item if isinstance(item, bytes) else b""
        if data.endswith(b" Tm") or data in (b"BT", b"ET"):
            close()
        elif match := _SET_FONT.fullmatch(data):
            texts = texts_by_font.get(match[1])
        elif data.endswith(b"] TJ"):
            if texts is None:
                # A font of the system, not ours: leave the run to its own /ToUnicode map.
                span = None
            else:
                if span is None:
                    span, span_at = [], len(out)
                for run in _GLYPHS.findall(data):
                    span.extend(
                        texts.get(int(run[i : i + 4], 16), "") for i in range(0, len(run), 4)
                    )
        out.append(item)
    close()
    return out
