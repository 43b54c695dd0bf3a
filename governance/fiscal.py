"""Thai fiscal-year arithmetic: 1 October - 30 September, named by the Buddhist-era year it ends in.

FY 2552 runs from 1 Oct 2008 to 30 Sep 2009. Pure Python, so it is tested without a database.
"""

from datetime import date, timedelta

from governance.buddhist_era import TH_YEAR_MAX, TH_YEAR_MIN, normalise_lang, to_be_year, to_ce_year

FISCAL_YEAR_START_MONTH = 10

# SAR rounds are counted in months from 1 October (DOMAIN.md section 3).
REPORTING_ROUNDS = (6, 9, 12)
_ROUND_END_MONTH_DAY = {6: (3, 31), 9: (6, 30), 12: (9, 30)}


def _check_year(year_be: int) -> None:
    # A Christian-era year passed by mistake (2009) would otherwise give dates in CE 1465.
    if not TH_YEAR_MIN <= year_be <= TH_YEAR_MAX:
        raise ValueError(
            f"fiscal years are Buddhist-era years {TH_YEAR_MIN}-{TH_YEAR_MAX}, not {year_be}"
        )


def fiscal_year_of(d: date) -> int:
    """The Buddhist-era fiscal year a date (or a localised datetime) falls in."""
    ce_year = d.year + 1 if d.month >= FISCAL_YEAR_START_MONTH else d.year
    return to_be_year(ce_year)


def fiscal_year_bounds(year_be: int) -> tuple[date, date]:
    """First and last day of the fiscal year, both inclusive."""
    _check_year(year_be)
    ce_end = to_ce_year(year_be)
    return date(ce_end - 1, FISCAL_YEAR_START_MONTH, 1), date(ce_end, 9, 30)


def round_period_end(year_be: int, months: int) -> date:
    """Last day covered by the 6-, 9- or 12-month report: 31 Mar, 30 Jun or 30 Sep."""
    _check_year(year_be)
    if months not in _ROUND_END_MONTH_DAY:
        raise ValueError(f"reporting rounds are {REPORTING_ROUNDS} months, not {months}")
    month, day = _ROUND_END_MONTH_DAY[months]
    # Every round ends in the calendar year the fiscal year is named after.
    return date(to_ce_year(year_be), month, day)


def default_sar_deadline(year_be: int, months: int, days_after: int = 15) -> date:
    """When a round's SAR is due unless the year's calendar says otherwise."""
    if days_after < 0:
        raise ValueError(f"a SAR cannot be due before its period ends ({days_after} days)")
    return round_period_end(year_be, months) + timedelta(days=days_after)


def fiscal_year_label(year_be: int, lang: str = "th") -> str:
    """ "ปีงบประมาณ พ.ศ. 2552" / "FY 2552": the year keeps its official Buddhist-era name in English.

    The no-break space keeps "พ.ศ." on the same line as its year, as Thai typesetting requires.
    """
    if normalise_lang(lang) == "th":
        return f"ปีงบประมาณ พ.ศ.\u00a0{year_be}"
    return f"FY {year_be}"
