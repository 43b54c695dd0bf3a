from datetime import date, datetime

import pytest

from governance.fiscal import (
    REPORTING_ROUNDS,
    default_sar_deadline,
    fiscal_year_bounds,
    fiscal_year_label,
    fiscal_year_of,
    round_period_end,
)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2008, 9, 30), 2551),
        (date(2008, 10, 1), 2552),
        (date(2008, 12, 31), 2552),
        (date(2009, 1, 1), 2552),
        (date(2009, 2, 28), 2552),
        (date(2009, 9, 30), 2552),
        (date(2009, 10, 1), 2553),
        (datetime(2009, 9, 30, 23, 59, 59), 2552),
        (datetime(2009, 10, 1, 0, 0), 2553),
    ],
)
def test_fiscal_year_of_changes_on_1_october(day, expected):
    assert fiscal_year_of(day) == expected


@pytest.mark.parametrize(
    ("year_be", "expected"),
    [
        (2552, (date(2008, 10, 1), date(2009, 9, 30))),
        (2567, (date(2023, 10, 1), date(2024, 9, 30))),
        (2400, (date(1856, 10, 1), date(1857, 9, 30))),
        (2700, (date(2156, 10, 1), date(2157, 9, 30))),
    ],
)
def test_fiscal_year_bounds(year_be, expected):
    assert fiscal_year_bounds(year_be) == expected


def test_fiscal_year_bounds_contain_exactly_their_own_year():
    start, end = fiscal_year_bounds(2552)
    assert fiscal_year_of(start) == 2552
    assert fiscal_year_of(end) == 2552
    assert fiscal_year_of(date.fromordinal(start.toordinal() - 1)) == 2551
    assert fiscal_year_of(date.fromordinal(end.toordinal() + 1)) == 2553


@pytest.mark.parametrize("year", [2009, 2399, 2701])
def test_fiscal_year_bounds_refuse_a_year_that_is_not_buddhist_era(year):
    with pytest.raises(ValueError, match=f"not {year}"):
        fiscal_year_bounds(year)


def test_reporting_rounds():
    assert REPORTING_ROUNDS == (6, 9, 12)


@pytest.mark.parametrize(
    ("months", "expected"),
    [(6, date(2009, 3, 31)), (9, date(2009, 6, 30)), (12, date(2009, 9, 30))],
)
def test_round_period_end(months, expected):
    assert round_period_end(2552, months) == expected


def test_twelve_month_round_ends_with_the_fiscal_year():
    assert round_period_end(2552, 12) == fiscal_year_bounds(2552)[1]


@pytest.mark.parametrize("months", [0, 3, 7, 13, 24])
def test_round_period_end_refuses_other_rounds(months):
    with pytest.raises(ValueError, match=f"not {months}"):
        round_period_end(2552, months)


def test_round_period_end_refuses_christian_era_year():
    with pytest.raises(ValueError, match="not 2009"):
        round_period_end(2009, 6)


@pytest.mark.parametrize(
    ("months", "days_after", "expected"),
    [
        (6, 15, date(2009, 4, 15)),
        (9, 15, date(2009, 7, 15)),
        (12, 15, date(2009, 10, 15)),  # after the year ends: the 12-month SAR reports on it
        (12, 0, date(2009, 9, 30)),
        (6, 30, date(2009, 4, 30)),
    ],
)
def test_default_sar_deadline(months, days_after, expected):
    assert default_sar_deadline(2552, months, days_after) == expected


def test_default_sar_deadline_is_fifteen_days_after_period_end():
    assert default_sar_deadline(2552, 6) == date(2009, 4, 15)


def test_default_sar_deadline_refuses_a_deadline_before_the_period_ends():
    with pytest.raises(ValueError, match="-1 days"):
        default_sar_deadline(2552, 6, -1)


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("th", "ปีงบประมาณ พ.ศ.\u00a02552"),
        ("th-th", "ปีงบประมาณ พ.ศ.\u00a02552"),
        ("en", "FY 2552"),
    ],
)
def test_fiscal_year_label(lang, expected):
    assert fiscal_year_label(2552, lang) == expected


def test_fiscal_year_label_defaults_to_thai():
    assert fiscal_year_label(2567) == "ปีงบประมาณ พ.ศ.\u00a02567"
