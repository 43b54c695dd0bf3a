"""Buddhist-era (พ.ศ.) dates: formatting and parsing, in Thai and English.

Django's own ``th`` locale prints and parses Christian-era years, so Thai dates go through here.
Thai shows and reads Buddhist-era years (พ.ศ. = ค.ศ. + 543); English shows and reads Christian-era
years, day first. Pure Python, parameterised by language, so it is testable without Django and
usable from Celery tasks and PDF rendering alike.
"""

import re
import unicodedata
from datetime import date, datetime
from typing import Literal

Lang = Literal["th", "en"]
DateStyle = Literal["short", "medium", "long", "input"]

BE_OFFSET = 543

# The accepted input ranges are the same 300 years seen from either era (CE 1857 - 2157). A CE year
# typed in Thai mode (2008) falls outside the Thai range instead of silently becoming CE 1465.
TH_YEAR_MIN = 2400
TH_YEAR_MAX = 2700
EN_YEAR_MIN = TH_YEAR_MIN - BE_OFFSET
EN_YEAR_MAX = TH_YEAR_MAX - BE_OFFSET

TH_MONTHS = (
    "มกราคม",
    "กุมภาพันธ์",
    "มีนาคม",
    "เมษายน",
    "พฤษภาคม",
    "มิถุนายน",
    "กรกฎาคม",
    "สิงหาคม",
    "กันยายน",
    "ตุลาคม",
    "พฤศจิกายน",
    "ธันวาคม",
)
TH_MONTHS_ABBR = (
    "ม.ค.",
    "ก.พ.",
    "มี.ค.",
    "เม.ย.",
    "พ.ค.",
    "มิ.ย.",
    "ก.ค.",
    "ส.ค.",
    "ก.ย.",
    "ต.ค.",
    "พ.ย.",
    "ธ.ค.",
)
EN_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
EN_MONTHS_ABBR = (
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "May",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Oct",
    "Nov",
    "Dec",
)

DATE_STYLES: tuple[DateStyle, ...] = ("short", "medium", "long", "input")


def to_be_year(ce_year: int) -> int:
    return ce_year + BE_OFFSET


def to_ce_year(be_year: int) -> int:
    return be_year - BE_OFFSET


def normalise_lang(lang: str | None) -> Lang:
    """Map a language code ("th", "th-th", "en-us", None) to the two this module knows.

    None counts as Thai, the project's default language, as ``governance.bilingual`` does.
    """
    if lang is None or lang.lower().startswith("th"):
        return "th"
    return "en"


def month_name(month: int, lang: str = "th", *, abbreviated: bool = False) -> str:
    if not 1 <= month <= 12:
        raise ValueError(f"month must be 1-12, not {month}")
    if normalise_lang(lang) == "th":
        names = TH_MONTHS_ABBR if abbreviated else TH_MONTHS
    else:
        names = EN_MONTHS_ABBR if abbreviated else EN_MONTHS
    return names[month - 1]


def display_year(d: date, lang: str = "th") -> int:
    """The year as the language writes it: Buddhist era in Thai, Christian era in English."""
    return to_be_year(d.year) if normalise_lang(lang) == "th" else d.year


def format_date(d: date | None, style: str = "medium", lang: str = "th") -> str:
    """Format a date (or a datetime's date part; localise it first) for display or for an input.

    th: medium "1 ต.ค. 2551", long "1 ตุลาคม 2551", short "1/10/2551", input "01/10/2551".
    en: medium "1 Oct 2008", long "1 October 2008", short and input "01/10/2008".
    """
    if d is None:
        return ""
    if not isinstance(d, date):
        raise TypeError(f"format_date() needs a date or datetime, not {type(d).__name__}")
    if style not in DATE_STYLES:
        raise ValueError(f"unknown date style {style!r}; use one of {', '.join(DATE_STYLES)}")
    lang = normalise_lang(lang)
    year = display_year(d, lang)
    if style == "medium":
        return f"{d.day} {month_name(d.month, lang, abbreviated=True)} {year}"
    if style == "long":
        return f"{d.day} {month_name(d.month, lang)} {year}"
    if style == "short" and lang == "th":
        # Thai documents write short dates without leading zeros; inputs keep them so the columns
        # of a typed date line up with the placeholder "วว/ดด/ปปปป".
        return f"{d.day}/{d.month}/{year}"
    return f"{d.day:02d}/{d.month:02d}/{year}"


def format_datetime(dt: datetime | date | None, lang: str = "th") -> str:
    """ "1 ต.ค. 2551 14:05" / "1 Oct 2008 14:05"; a plain date is formatted without a time."""
    if dt is None:
        return ""
    if not isinstance(dt, datetime):
        return format_date(dt, "medium", lang)
    return f"{format_date(dt, 'medium', lang)} {dt:%H:%M}"


# --- Parsing ------------------------------------------------------------------------------------


class InvalidDate(ValueError):
    """Text that is not a date; ``code`` tells a form which message to show.

    Codes: "empty", "format" (not a date we can read, including a month outside 1-12),
    "year_range" (a year outside the language's range, e.g. a Christian-era or two-digit year typed
    in Thai), "day" (the day does not exist in that month and year).
    """

    def __init__(self, code: str, message: str, *, year: int | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.year = year


_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
# Zero-width characters come along when dates are pasted from Thai documents, where they mark word
# breaks; no-break and other Unicode spaces become plain spaces.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))
_SPACES = re.compile(r"\s+")

_NUMERIC_DMY = re.compile(r"(\d{1,2}) ?([/.-]) ?(\d{1,2}) ?\2 ?(\d+)", re.ASCII)
# Year first is unambiguous only with a four-digit year: "2551-10-01".
_NUMERIC_YMD = re.compile(r"(\d{4}) ?([/.-]) ?(\d{1,2}) ?\2 ?(\d{1,2})", re.ASCII)
_NAMED_MONTH = re.compile(r"(\d{1,2}) ?([^\d\s/-][^\d]*?),? ?(\d+)", re.ASCII)
# "พ.ศ." written before the year, with or without its dots and spaces ("พ.ศ. 2551", "พศ2551").
_BE_PREFIX = re.compile(r"พ\.? ?ศ\.? ?(?=\d)")
# Official documents write "วันที่ 1 ตุลาคม พ.ศ. 2551"; a pasted date keeps the "วันที่".
_THAI_DATE_WORD = re.compile(r"^วันที่ ?")


def _month_key(text: str) -> str:
    return text.replace(".", "").replace(" ", "").casefold()


# Month names in both languages are understood in either mode: the year range, not the month's
# spelling, is what tells the eras apart.
_MONTHS_BY_NAME: dict[str, int] = {
    _month_key(name): number
    for names in (TH_MONTHS, TH_MONTHS_ABBR, EN_MONTHS, EN_MONTHS_ABBR)
    for number, name in enumerate(names, start=1)
}
_MONTHS_BY_NAME["sept"] = 9


def _normalise_text(text: str) -> str:
    text = unicodedata.normalize("NFC", text).translate(_THAI_DIGITS).translate(_INVISIBLE)
    return _SPACES.sub(" ", text).strip()


def _split(text: str, lang: Lang) -> tuple[int, int, int]:
    """Day, month number and year as typed, or InvalidDate("format")."""
    if lang == "th":
        text = _THAI_DATE_WORD.sub("", text)
        text = _BE_PREFIX.sub("", text)
    if match := _NUMERIC_DMY.fullmatch(text):
        return int(match[1]), int(match[3]), int(match[4])
    if match := _NUMERIC_YMD.fullmatch(text):
        return int(match[4]), int(match[3]), int(match[1])
    if match := _NAMED_MONTH.fullmatch(text):
        month = _MONTHS_BY_NAME.get(_month_key(match[2]))
        if month is not None:
            return int(match[1]), month, int(match[3])
    raise InvalidDate("format", f"not a date: {text!r}")


def parse_date(text: str, lang: str = "th") -> date:
    """Read a date typed by a person: Buddhist-era years in Thai, Christian-era in English.

    Day comes first ("1/10/2551", "1-10-2551", "1.10.2551", "1 ต.ค. 2551", "1 ตุลาคม พ.ศ. 2551"), or
    the ISO order with a four-digit year ("2551-10-01"). Thai digits, surrounding and no-break
    spaces are fine. Two-digit years are refused: "1/10/51" could be 2551 or 2451.
    """
    lang = normalise_lang(lang)
    text = _normalise_text(text or "")
    if not text:
        raise InvalidDate("empty", "no date given")
    day, month, year = _split(text, lang)
    if not 1 <= month <= 12:
        raise InvalidDate("format", f"no month {month}")
    low, high = (TH_YEAR_MIN, TH_YEAR_MAX) if lang == "th" else (EN_YEAR_MIN, EN_YEAR_MAX)
    if not low <= year <= high:
        raise InvalidDate("year_range", f"year {year} outside {low}-{high}", year=year)
    ce_year = to_ce_year(year) if lang == "th" else year
    try:
        # Leap years follow the Christian-era year: 29/2/2551 (CE 2008) exists, 29/2/2552 does not.
        return date(ce_year, month, day)
    except ValueError:
        raise InvalidDate("day", f"no day {day} in month {month} of {year}", year=year) from None
