"""Form support for Buddhist-era dates: a text input and a date field that read พ.ศ. years in Thai.

Django's DateField parses with the locale's DATE_INPUT_FORMATS, which read "1/10/2551" as CE 2551;
these read it as BE 2551 = CE 2008 (and Christian-era years in English).
"""

from datetime import date, datetime
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import EMPTY_VALUES
from django.utils.functional import lazy
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from governance.buddhist_era import InvalidDate, Lang, format_date, normalise_lang, parse_date


def _active_lang() -> Lang:
    return normalise_lang(get_language() or settings.LANGUAGE_CODE)


# Two messages, not one translated differently: an untranslated Thai page must still ask for the
# Buddhist-era year. Thai translation of the first: "วว/ดด/ปปปป (พ.ศ.)".
_PLACEHOLDER_BE = _("dd/mm/yyyy (B.E.)")
_PLACEHOLDER_CE = _("dd/mm/yyyy")


def _placeholder_now() -> str:
    return str(_PLACEHOLDER_BE if _active_lang() == "th" else _PLACEHOLDER_CE)


# Chosen when the widget renders, in the language of that request.
_placeholder = lazy(_placeholder_now, str)


class BuddhistDateInput(forms.TextInput):
    """dd/mm/yyyy in the active language's era; what the user typed is shown back unchanged.

    A text input, not ``type="date"``: browsers' date pickers show Christian-era years.
    """

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        defaults = {
            "placeholder": _placeholder(),
            # Browsers would otherwise offer dates typed elsewhere, often Christian-era ones.
            "autocomplete": "off",
        }
        super().__init__({**defaults, **(attrs or {})})

    def format_value(self, value: Any) -> str | None:
        if value in EMPTY_VALUES:
            return None
        if isinstance(value, date):
            day = value.date() if isinstance(value, datetime) else value
            return format_date(day, "input", _active_lang())
        # Bound data after an error: keep the text exactly as typed so it can be corrected.
        return str(value)


class BuddhistDateField(forms.DateField):
    """A date typed day first: Buddhist-era year in Thai ("1/10/2551"), Christian-era in English.

    Error codes are those of ``buddhist_era.InvalidDate``: "format", "year_range", "day".
    """

    widget = BuddhistDateInput
    # Messages differ by era ("_be" for Thai, "_ce" for English) rather than only by translation,
    # so an incomplete Thai catalogue still tells a Thai user to type the Buddhist-era year.
    default_error_messages = {
        "format_be": _("Enter a date as day/month/year in the Buddhist era, e.g. 1/10/2551."),
        "format_ce": _("Enter a date as day/month/year, e.g. 1/10/2008."),
        "year_range_be": _(
            "The year %(year)s is outside the accepted range; type the Buddhist-era year (e.g. 2551)."
        ),
        "year_range_ce": _(
            "The year %(year)s is outside the accepted range; type the full year (e.g. 2008)."
        ),
        "day": _("This day does not exist in that month."),
    }

    def to_python(self, value: Any) -> date | None:
        if value in EMPTY_VALUES:
            return None
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        lang = _active_lang()
        try:
            return parse_date(str(value), lang)
        except InvalidDate as error:
            if error.code == "empty":
                # Only invisible characters or spaces: the same as nothing typed, so "required"
                # decides.
                return None
            key = error.code
            if key in ("format", "year_range"):
                key = f"{key}_{'be' if lang == 'th' else 'ce'}"
            raise ValidationError(
                self.error_messages[key], code=error.code, params={"year": error.year}
            ) from error
