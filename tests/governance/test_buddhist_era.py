from datetime import date, datetime, timedelta, timezone

import pytest

from governance.buddhist_era import (
    BE_OFFSET,
    EN_MONTHS,
    EN_MONTHS_ABBR,
    TH_MONTHS,
    TH_MONTHS_ABBR,
    InvalidDate,
    format_date,
    format_datetime,
    month_name,
    normalise_lang,
    parse_date,
    to_be_year,
    to_ce_year,
)

OCT_1_2008 = date(2008, 10, 1)


def test_be_offset_converts_both_ways():
    assert BE_OFFSET == 543
    assert to_be_year(2008) == 2551
    assert to_ce_year(2551) == 2008


def test_month_tables_have_twelve_distinct_names():
    for names in (TH_MONTHS, TH_MONTHS_ABBR, EN_MONTHS, EN_MONTHS_ABBR):
        assert len(set(names)) == 12
    assert TH_MONTHS[0] == "มกราคม"
    assert TH_MONTHS[11] == "ธันวาคม"
    assert TH_MONTHS_ABBR == (
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


@pytest.mark.parametrize(
    ("month", "lang", "abbreviated", "expected"),
    [
        (10, "th", False, "ตุลาคม"),
        (10, "th", True, "ต.ค."),
        (2, "th", False, "กุมภาพันธ์"),
        (10, "en", False, "October"),
        (10, "en", True, "Oct"),
    ],
)
def test_month_name(month, lang, abbreviated, expected):
    assert month_name(month, lang, abbreviated=abbreviated) == expected


@pytest.mark.parametrize("month", [0, 13])
def test_month_name_refuses_month_outside_1_to_12(month):
    with pytest.raises(ValueError, match="month must be 1-12"):
        month_name(month)


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("th", "th"),
        ("th-th", "th"),
        ("TH", "th"),
        (None, "th"),
        ("en", "en"),
        ("en-us", "en"),
        ("fr", "en"),
    ],
)
def test_normalise_lang(code, expected):
    assert normalise_lang(code) == expected


# --- format_date ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "style", "lang", "expected"),
    [
        (OCT_1_2008, "medium", "th", "1 ต.ค. 2551"),
        (OCT_1_2008, "long", "th", "1 ตุลาคม 2551"),
        (OCT_1_2008, "short", "th", "1/10/2551"),
        (OCT_1_2008, "input", "th", "01/10/2551"),
        (OCT_1_2008, "medium", "en", "1 Oct 2008"),
        (OCT_1_2008, "long", "en", "1 October 2008"),
        (OCT_1_2008, "short", "en", "01/10/2008"),
        (OCT_1_2008, "input", "en", "01/10/2008"),
        (date(2009, 9, 30), "medium", "th", "30 ก.ย. 2552"),
        (date(2008, 2, 29), "long", "th", "29 กุมภาพันธ์ 2551"),
        (date(2009, 12, 31), "short", "th", "31/12/2552"),
        (date(2009, 1, 5), "input", "th", "05/01/2552"),
        (date(2009, 1, 5), "short", "en", "05/01/2009"),
    ],
)
def test_format_date(value, style, lang, expected):
    assert format_date(value, style, lang) == expected


def test_format_date_defaults_to_thai_medium():
    assert format_date(OCT_1_2008) == "1 ต.ค. 2551"


def test_format_date_uses_the_date_part_of_a_datetime():
    assert format_date(datetime(2008, 10, 1, 23, 59), "long") == "1 ตุลาคม 2551"


def test_format_date_of_none_is_empty():
    assert format_date(None) == ""
    assert format_date(None, "long", "en") == ""


def test_format_date_refuses_unknown_style():
    with pytest.raises(ValueError, match="unknown date style 'full'"):
        format_date(OCT_1_2008, "full")


def test_format_date_refuses_a_string():
    with pytest.raises(TypeError, match="not str"):
        format_date("2008-10-01")


@pytest.mark.parametrize(
    ("lang", "expected"), [("th", "1 ต.ค. 2551 14:05"), ("en", "1 Oct 2008 14:05")]
)
def test_format_datetime(lang, expected):
    assert format_datetime(datetime(2008, 10, 1, 14, 5, 59), lang) == expected


def test_format_datetime_keeps_the_wall_time_of_an_aware_datetime():
    bangkok = timezone(timedelta(hours=7))
    assert format_datetime(datetime(2008, 10, 1, 0, 30, tzinfo=bangkok)) == "1 ต.ค. 2551 00:30"


def test_format_datetime_of_a_plain_date_has_no_time():
    assert format_datetime(OCT_1_2008) == "1 ต.ค. 2551"


def test_format_datetime_of_none_is_empty():
    assert format_datetime(None) == ""


# --- parse_date: Thai -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "1/10/2551",
        "01/10/2551",
        "1-10-2551",
        "1.10.2551",
        "1 ต.ค. 2551",
        "1 ตค 2551",
        "1ต.ค.2551",
        "1 ตุลาคม 2551",
        "2551-10-01",
        "๑/๑๐/๒๕๕๑",
        "๑ ต.ค. ๒๕๕๑",
        "  1/10/2551  ",
        "\t1/10/2551\n",
        "1 ต.ค. พ.ศ. 2551",
        "1 ตุลาคม พ.ศ.2551",
        "1 ตุลาคม พศ 2551",
        "วันที่ 1 ตุลาคม พ.ศ. 2551",
        "1\u00a0ต.ค.\u00a02551",
        "1\u00a0ตุลาคม\u00a0พ.ศ.\u00a02551",
        "1\u200b/10/2551",
        "1 / 10 / 2551",
        "1 Oct 2551",
    ],
)
def test_parse_date_thai_reads_buddhist_era(text):
    assert parse_date(text) == OCT_1_2008
    assert parse_date(text, "th") == OCT_1_2008


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("29/2/2551", date(2008, 2, 29)),  # CE 2008 is a leap year
        ("29 ก.พ. 2551", date(2008, 2, 29)),
        ("29/02/2547", date(2004, 2, 29)),
        ("30/9/2552", date(2009, 9, 30)),
        ("31/12/2551", date(2008, 12, 31)),
        ("1/1/2400", date(1857, 1, 1)),
        ("31/12/2700", date(2157, 12, 31)),
        ("2700-12-31", date(2157, 12, 31)),
        ("1 กุมภาพันธ์ 2552", date(2009, 2, 1)),
        ("5 มี.ค. 2552", date(2009, 3, 5)),
        ("5 เม.ย. 2552", date(2009, 4, 5)),
        ("5 พ.ค. 2552", date(2009, 5, 5)),
        ("5 พ.ย. 2551", date(2008, 11, 5)),
        ("5 พฤศจิกายน 2551", date(2008, 11, 5)),
        ("๒๙/๒/๒๕๕๑", date(2008, 2, 29)),
    ],
)
def test_parse_date_thai_examples(text, expected):
    assert parse_date(text, "th") == expected


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("\u00a0\u200b", "empty"),
        ("abc", "format"),
        ("2551", "format"),
        ("1//2551", "format"),
        ("1/13/2551", "format"),
        ("1/0/2551", "format"),
        ("1 xyz 2551", "format"),
        ("1/10-2551", "format"),
        ("1/10/2551/3", "format"),
        ("001/10/2551", "format"),
        ("1 ต.ค. ค.ศ. 2008", "format"),
        ("32/1/2551", "day"),
        ("0/1/2551", "day"),
        ("31/4/2551", "day"),
        ("30/2/2551", "day"),
        ("29/2/2552", "day"),  # CE 2009 is not a leap year
        ("29 กุมภาพันธ์ 2552", "day"),
        ("1/10/2008", "year_range"),  # a Christian-era year typed in Thai
        ("2008-10-01", "year_range"),
        ("1 Oct 2008", "year_range"),
        ("1/10/51", "year_range"),  # two-digit years are ambiguous
        ("1 ต.ค. 51", "year_range"),
        ("1/1/2399", "year_range"),
        ("31/12/2701", "year_range"),
    ],
)
def test_parse_date_thai_rejects(text, code):
    with pytest.raises(InvalidDate) as raised:
        parse_date(text, "th")
    assert raised.value.code == code


def test_invalid_date_is_a_value_error_and_carries_the_typed_year():
    with pytest.raises(ValueError, match="year 2008 outside 2400-2700") as raised:
        parse_date("1/10/2008")
    assert raised.value.year == 2008


def test_parse_date_of_none_is_empty():
    with pytest.raises(InvalidDate) as raised:
        parse_date(None)
    assert raised.value.code == "empty"


def test_parse_date_reads_what_format_date_writes():
    day = date(2008, 10, 1)
    for lang in ("th", "en"):
        for style in ("short", "medium", "long", "input"):
            assert parse_date(format_date(day, style, lang), lang) == day


# --- parse_date: English --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "01/10/2008",
        "1/10/2008",
        "1-10-2008",
        "2008-10-01",
        "1 Oct 2008",
        "1 oct 2008",
        "1 Oct, 2008",
        "1 October 2008",
        " 1\u00a0October\u00a02008 ",
    ],
)
def test_parse_date_english_reads_christian_era_day_first(text):
    assert parse_date(text, "en") == OCT_1_2008


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("29/2/2008", date(2008, 2, 29)),
        ("1 Sept 2008", date(2008, 9, 1)),
        ("1/1/1857", date(1857, 1, 1)),
        ("31/12/2157", date(2157, 12, 31)),
    ],
)
def test_parse_date_english_examples(text, expected):
    assert parse_date(text, "en") == expected


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "empty"),
        ("abc", "format"),
        ("1 ต.ค. พ.ศ. 2551", "format"),  # "พ.ศ." announces a Thai year, not read in English
        ("1/13/2008", "format"),
        ("29/2/2009", "day"),
        ("1/10/2551", "year_range"),  # a Buddhist-era year typed in English
        ("1/1/1856", "year_range"),
        ("1/1/2158", "year_range"),
        ("1/10/08", "year_range"),
    ],
)
def test_parse_date_english_rejects(text, code):
    with pytest.raises(InvalidDate) as raised:
        parse_date(text, "en")
    assert raised.value.code == code
