"""Buddhist-era dates in templates: ``{{ value|bedate }}``, ``{{ value|bedate:"long" }}``,
``{{ value|bedatetime }}``, ``{{ year|fiscal_year }}`` and ``{% betime value "medium" %}``.

Registered as a template builtin in settings, so templates use it without ``{% load %}``.
"""

from datetime import date, datetime

from django import template
from django.conf import settings
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from governance.buddhist_era import Lang, format_date, format_datetime, normalise_lang
from governance.fiscal import fiscal_year_label

register = template.Library()


def active_lang() -> Lang:
    """The active language reduced to "th" or "en"; with translations off, the site's default."""
    return normalise_lang(get_language() or settings.LANGUAGE_CODE)


def _local(value: date) -> date:
    # An aware datetime is stored in UTC; 20:00 UTC is already the next day in Bangkok.
    if isinstance(value, datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


@register.filter
def bedate(value: date | None, style: str = "medium") -> str:
    # Like Django's own |date, anything that is not a date renders as nothing rather than failing
    # the page; an unknown style is a template bug and raises.
    if not isinstance(value, date):
        return ""
    return format_date(_local(value), style, active_lang())


@register.filter
def bedatetime(value: date | None) -> str:
    if not isinstance(value, date):
        return ""
    return format_datetime(_local(value), active_lang())


@register.filter
def fiscal_year(value: int | str | None) -> str:
    if value is None or value == "":
        return ""
    try:
        year_be = int(value)
    except (TypeError, ValueError):
        return ""
    return fiscal_year_label(year_be, active_lang())


@register.simple_tag
def betime(value: date | None, style: str = "medium") -> SafeString | str:
    """A ``<time>`` element: machine-readable ISO value, Buddhist-era text for people.

    ``style`` is a date style or "datetime" (date and time, for a datetime value).
    """
    if not isinstance(value, date):
        return ""
    value = _local(value)
    if style == "datetime" and isinstance(value, datetime):
        machine = value.isoformat(timespec="minutes")
        text = format_datetime(value, active_lang())
    else:
        # The machine value says what the text says: the (local) day, not the instant.
        day = value.date() if isinstance(value, datetime) else value
        machine = day.isoformat()
        text = format_date(day, "medium" if style == "datetime" else style, active_lang())
    return format_html('<time datetime="{}">{}</time>', machine, text)
