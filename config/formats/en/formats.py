"""English formats, read by Django through FORMAT_MODULE_PATH ahead of its own ``en`` locale.

English pages show Christian-era years day first ("1 Oct 2008", "01/10/2008"), as
governance.buddhist_era does, so Django's ``|date`` and the admin agree with our ``bedate`` filter
instead of printing the US month-first order.
"""

DATE_FORMAT = "j F Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F Y, H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
FIRST_DAY_OF_WEEK = 0  # Sunday, the same week as the Thai calendar

# Only ISO. Django's English input formats read "01/10/2008" month first (10 January), while our
# English dates are day first; people type dates into BuddhistDateField (governance.fields), which
# parses them itself. ISO stays for machine input (APIs, imports, tests).
DATE_INPUT_FORMATS = ["%Y-%m-%d"]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%d %H:%M",
]
TIME_INPUT_FORMATS = ["%H:%M:%S", "%H:%M:%S.%f", "%H:%M"]

DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
