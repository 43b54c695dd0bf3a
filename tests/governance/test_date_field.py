from datetime import date, datetime

import pytest
from django import forms
from django.utils.formats import get_format
from django.utils.translation import gettext, override

from governance.fields import BuddhistDateField, BuddhistDateInput

OCT_1_2008 = date(2008, 10, 1)

FORMAT_BE = "Enter a date as day/month/year in the Buddhist era, e.g. 1/10/2551."
FORMAT_CE = "Enter a date as day/month/year, e.g. 1/10/2008."
YEAR_RANGE_BE = (
    "The year %(year)s is outside the accepted range; type the Buddhist-era year (e.g. 2551)."
)
YEAR_RANGE_CE = "The year %(year)s is outside the accepted range; type the full year (e.g. 2008)."
DAY = "This day does not exist in that month."


class DeadlineForm(forms.Form):
    deadline = BuddhistDateField(label="Deadline")


class OptionalDateForm(forms.Form):
    deadline = BuddhistDateField(label="Deadline", required=False)


def errors_of(form: forms.Form) -> list[dict[str, str]]:
    assert not form.is_valid()
    return form.errors.get_json_data()["deadline"]


# --- valid input ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "typed", "expected"),
    [
        ("th", "1/10/2551", OCT_1_2008),
        ("th", "01/10/2551", OCT_1_2008),
        ("th", "1 ต.ค. 2551", OCT_1_2008),
        ("th", "1 ตุลาคม พ.ศ. 2551", OCT_1_2008),
        ("th", "๑/๑๐/๒๕๕๑", OCT_1_2008),
        ("th", " 2551-10-01 ", OCT_1_2008),
        ("th", "29/2/2551", date(2008, 2, 29)),
        ("th", "1/1/2400", date(1857, 1, 1)),
        ("th", "31/12/2700", date(2157, 12, 31)),
        ("en", "01/10/2008", OCT_1_2008),
        ("en", "2008-10-01", OCT_1_2008),
        ("en", "1 Oct 2008", OCT_1_2008),
        ("en", "1 October 2008", OCT_1_2008),
        ("en", "29/2/2008", date(2008, 2, 29)),
    ],
)
def test_valid_input_is_cleaned_to_a_date(lang, typed, expected):
    with override(lang):
        form = DeadlineForm(data={"deadline": typed})
        assert form.is_valid()
    assert form.cleaned_data["deadline"] == expected


def test_a_date_value_passes_through():
    field = BuddhistDateField()
    assert field.clean(OCT_1_2008) == OCT_1_2008
    assert field.clean(datetime(2008, 10, 1, 14, 5)) == OCT_1_2008


@pytest.mark.parametrize("typed", ["", "   ", "\u00a0"])
def test_optional_field_left_empty_is_none(typed):
    with override("th"):
        form = OptionalDateForm(data={"deadline": typed})
        assert form.is_valid()
    assert form.cleaned_data["deadline"] is None


@pytest.mark.parametrize("typed", ["", "   "])
def test_required_field_left_empty_says_so(typed):
    with override("en"):
        errors = errors_of(DeadlineForm(data={"deadline": typed}))
    assert errors == [{"message": "This field is required.", "code": "required"}]


# --- error messages -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "message", "code"),
    [
        ("abc", FORMAT_CE, "format"),
        ("1/13/2008", FORMAT_CE, "format"),
        ("1//2008", FORMAT_CE, "format"),
        ("2008", FORMAT_CE, "format"),
        ("1/10/2551", YEAR_RANGE_CE % {"year": 2551}, "year_range"),
        ("1/10/08", YEAR_RANGE_CE % {"year": 8}, "year_range"),
        ("32/1/2008", DAY, "day"),
        ("29/2/2009", DAY, "day"),
    ],
)
def test_english_error_messages(typed, message, code):
    with override("en"):
        errors = errors_of(DeadlineForm(data={"deadline": typed}))
    assert errors == [{"message": message, "code": code}]


@pytest.mark.parametrize(
    ("typed", "msgid", "params", "code"),
    [
        ("abc", FORMAT_BE, {}, "format"),
        ("2551", FORMAT_BE, {}, "format"),
        ("1//2551", FORMAT_BE, {}, "format"),
        ("1/13/2551", FORMAT_BE, {}, "format"),
        ("1/10/2008", YEAR_RANGE_BE, {"year": 2008}, "year_range"),
        ("1 ต.ค. 51", YEAR_RANGE_BE, {"year": 51}, "year_range"),
        ("1/1/2399", YEAR_RANGE_BE, {"year": 2399}, "year_range"),
        ("1/1/2701", YEAR_RANGE_BE, {"year": 2701}, "year_range"),
        ("32/1/2551", DAY, {}, "day"),
        ("29/2/2552", DAY, {}, "day"),
    ],
)
def test_thai_error_messages_ask_for_the_buddhist_era(typed, msgid, params, code):
    with override("th"):
        errors = errors_of(DeadlineForm(data={"deadline": typed}))
        # Whatever the Thai catalogue says, it is the Buddhist-era message that is chosen.
        expected = gettext(msgid) % params if params else gettext(msgid)
    assert errors == [{"message": expected, "code": code}]


# --- rendering ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "typed"),
    [
        ("th", "30/2/2552"),
        ("th", "1/10/2008"),
        ("th", "abc <b>"),
        ("en", "1/10/2551"),
    ],
)
def test_input_typed_is_kept_when_the_form_is_redisplayed(lang, typed):
    with override(lang):
        form = DeadlineForm(data={"deadline": typed})
        assert not form.is_valid()
        assert form["deadline"].value() == typed
        html = form["deadline"].as_widget()
    escaped = typed.replace("<", "&lt;").replace(">", "&gt;")
    assert f'value="{escaped}"' in html


def test_redisplayed_widget_markup():
    with override("en"):
        form = DeadlineForm(data={"deadline": "29/2/2009"})
        form.is_valid()
        html = form["deadline"].as_widget()
    assert html == (
        '<input type="text" name="deadline" value="29/2/2009" placeholder="dd/mm/yyyy"'
        ' autocomplete="off" required aria-invalid="true" aria-describedby="id_deadline_error"'
        ' id="id_deadline">'
    )


@pytest.mark.parametrize(
    ("lang", "initial", "expected_value"),
    [
        ("th", OCT_1_2008, "01/10/2551"),
        ("en", OCT_1_2008, "01/10/2008"),
        ("th", datetime(2009, 9, 30, 8, 0), "30/09/2552"),
    ],
)
def test_initial_date_is_shown_in_the_active_languages_era(lang, initial, expected_value):
    with override(lang):
        html = DeadlineForm(initial={"deadline": initial})["deadline"].as_widget()
    assert f'value="{expected_value}"' in html


def test_unbound_empty_widget_has_no_value():
    with override("en"):
        html = DeadlineForm()["deadline"].as_widget()
    assert html == (
        '<input type="text" name="deadline" placeholder="dd/mm/yyyy" autocomplete="off"'
        ' required id="id_deadline">'
    )


@pytest.mark.parametrize(("lang", "msgid"), [("th", "dd/mm/yyyy (B.E.)"), ("en", "dd/mm/yyyy")])
def test_placeholder_follows_the_language_at_render_time(lang, msgid):
    # One widget instance, rendered in two languages (as forms declared at import time are).
    widget = BuddhistDateInput()
    with override(lang):
        html = widget.render("d", None)
        expected = gettext(msgid)
    assert html == f'<input type="text" name="d" placeholder="{expected}" autocomplete="off">'


def test_widget_attrs_override_the_defaults():
    widget = BuddhistDateInput(attrs={"placeholder": "วันที่ลงนาม", "class": "form-control"})
    with override("th"):
        html = widget.render("d", OCT_1_2008)
    assert html == (
        '<input type="text" name="d" value="01/10/2551" placeholder="วันที่ลงนาม"'
        ' autocomplete="off" class="form-control">'
    )


def test_round_trip_of_a_rendered_value_is_unchanged():
    with override("th"):
        form = DeadlineForm(initial={"deadline": OCT_1_2008}, data={"deadline": "01/10/2551"})
        assert form.is_valid()
        assert not form.has_changed()


# --- format modules (config/formats) --------------------------------------------------------------


@pytest.mark.parametrize("lang", ["th", "en"])
def test_django_date_parsing_is_iso_only(lang):
    assert get_format("DATE_INPUT_FORMATS", lang) == ["%Y-%m-%d"]


def test_plain_django_date_field_in_thai_refuses_day_first_instead_of_reading_it_as_ce():
    with override("th"):
        field = forms.DateField()
        assert field.clean("2008-10-01") == OCT_1_2008
        with pytest.raises(forms.ValidationError):
            field.clean("1/10/2551")


@pytest.mark.parametrize(
    ("lang", "setting", "expected"),
    [
        ("th", "THOUSAND_SEPARATOR", ","),
        ("th", "DECIMAL_SEPARATOR", "."),
        ("th", "NUMBER_GROUPING", 3),
        ("th", "FIRST_DAY_OF_WEEK", 0),
        ("en", "SHORT_DATE_FORMAT", "d/m/Y"),
        ("en", "FIRST_DAY_OF_WEEK", 0),
    ],
)
def test_format_modules(lang, setting, expected):
    assert get_format(setting, lang) == expected
