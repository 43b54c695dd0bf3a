from datetime import UTC, date, datetime

import pytest
from django.template import Context, Template
from django.utils import timezone
from django.utils.translation import override

from governance.templatetags.thai_dates import bedate, bedatetime, betime, fiscal_year

OCT_1_2008 = date(2008, 10, 1)
# 17:30 UTC on 30 September is 00:30 on 1 October in Bangkok (UTC+7): a new day and a new fiscal year.
LATE_SEP_30_UTC = datetime(2008, 9, 30, 17, 30, tzinfo=UTC)


def render(source: str, **context) -> str:
    # No {% load %}: the library is a template builtin (settings TEMPLATES OPTIONS "builtins").
    return Template(source).render(Context(context))


@pytest.mark.parametrize(
    ("lang", "source", "expected"),
    [
        ("th", "{{ d|bedate }}", "1 ต.ค. 2551"),
        ("th", '{{ d|bedate:"medium" }}', "1 ต.ค. 2551"),
        ("th", '{{ d|bedate:"long" }}', "1 ตุลาคม 2551"),
        ("th", '{{ d|bedate:"short" }}', "1/10/2551"),
        ("th", '{{ d|bedate:"input" }}', "01/10/2551"),
        ("en", "{{ d|bedate }}", "1 Oct 2008"),
        ("en", '{{ d|bedate:"long" }}', "1 October 2008"),
        ("en", '{{ d|bedate:"short" }}', "01/10/2008"),
        ("en", '{{ d|bedate:"input" }}', "01/10/2008"),
    ],
)
def test_bedate_in_each_language(lang, source, expected):
    with override(lang):
        assert render(source, d=OCT_1_2008) == expected


@pytest.mark.parametrize("lang", ["th-th", "th"])
def test_bedate_reads_any_thai_variant_as_thai(lang):
    with override(lang):
        assert bedate(OCT_1_2008) == "1 ต.ค. 2551"


@pytest.mark.parametrize(("lang", "expected"), [("th", "1 ต.ค. 2551"), ("en", "1 Oct 2008")])
def test_bedate_converts_an_aware_datetime_to_bangkok_before_taking_the_day(lang, expected):
    with override(lang):
        assert render("{{ d|bedate }}", d=LATE_SEP_30_UTC) == expected


@pytest.mark.parametrize(
    ("lang", "expected"), [("th", "1 ต.ค. 2551 00:30"), ("en", "1 Oct 2008 00:30")]
)
def test_bedatetime_shows_bangkok_wall_time(lang, expected):
    with override(lang):
        assert render("{{ d|bedatetime }}", d=LATE_SEP_30_UTC) == expected


def test_bedatetime_follows_the_current_time_zone():
    with override("en"), timezone.override("UTC"):
        assert render("{{ d|bedatetime }}", d=LATE_SEP_30_UTC) == "30 Sep 2008 17:30"


def test_bedatetime_leaves_a_naive_datetime_as_it_is():
    with override("th"):
        assert bedatetime(datetime(2008, 10, 1, 14, 5)) == "1 ต.ค. 2551 14:05"


@pytest.mark.parametrize("value", [None, "", "2008-10-01", 2551])
def test_filters_render_nothing_for_what_is_not_a_date(value):
    with override("th"):
        assert render("[{{ d|bedate }}][{{ d|bedatetime }}]", d=value) == "[][]"


def test_bedate_of_a_missing_variable_is_empty():
    with override("th"):
        assert render("[{{ missing|bedate }}]") == "[]"


def test_bedate_refuses_an_unknown_style():
    with override("th"), pytest.raises(ValueError, match="unknown date style 'full'"):
        render('{{ d|bedate:"full" }}', d=OCT_1_2008)


@pytest.mark.parametrize(
    ("lang", "value", "expected"),
    [
        ("th", 2552, "ปีงบประมาณ พ.ศ.\u00a02552"),
        ("th", "2552", "ปีงบประมาณ พ.ศ.\u00a02552"),
        ("en", 2552, "FY 2552"),
        ("th", None, ""),
        ("th", "", ""),
        ("th", "abc", ""),
    ],
)
def test_fiscal_year_filter(lang, value, expected):
    with override(lang):
        assert render("{{ y|fiscal_year }}", y=value) == expected


@pytest.mark.parametrize(
    ("lang", "source", "value", "expected"),
    [
        ("th", "{% betime d %}", OCT_1_2008, '<time datetime="2008-10-01">1 ต.ค. 2551</time>'),
        (
            "th",
            '{% betime d "long" %}',
            OCT_1_2008,
            '<time datetime="2008-10-01">1 ตุลาคม 2551</time>',
        ),
        ("en", "{% betime d %}", OCT_1_2008, '<time datetime="2008-10-01">1 Oct 2008</time>'),
        (
            "th",
            "{% betime d %}",
            LATE_SEP_30_UTC,
            '<time datetime="2008-10-01">1 ต.ค. 2551</time>',
        ),
        (
            "th",
            '{% betime d "datetime" %}',
            LATE_SEP_30_UTC,
            '<time datetime="2008-10-01T00:30+07:00">1 ต.ค. 2551 00:30</time>',
        ),
        (
            "en",
            '{% betime d "datetime" %}',
            LATE_SEP_30_UTC,
            '<time datetime="2008-10-01T00:30+07:00">1 Oct 2008 00:30</time>',
        ),
        (
            "th",
            '{% betime d "datetime" %}',
            OCT_1_2008,
            '<time datetime="2008-10-01">1 ต.ค. 2551</time>',
        ),
        ("th", "[{% betime d %}]", None, "[]"),
    ],
)
def test_betime_renders_an_accessible_time_element(lang, source, value, expected):
    with override(lang):
        assert render(source, d=value) == expected


def test_betime_output_is_not_escaped_twice():
    with override("en"):
        html = betime(OCT_1_2008)
    assert html == '<time datetime="2008-10-01">1 Oct 2008</time>'
    assert hasattr(html, "__html__")


def test_fiscal_year_filter_called_directly():
    with override("en"):
        assert fiscal_year(2567) == "FY 2567"
