"""Thai formats, read by Django through FORMAT_MODULE_PATH ahead of its own ``th`` locale.

Django's date syntax has no Buddhist-era year, so these display patterns still print Christian-era
years: show dates to people with the ``bedate`` filter (governance.templatetags.thai_dates), never
with ``|date``. They are kept as Django ships them for the admin and third-party templates.
"""

DATE_FORMAT = "j F Y"
TIME_FORMAT = "G:i"
DATETIME_FORMAT = "j F Y, G:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y, G:i"
FIRST_DAY_OF_WEEK = 0  # Sunday, as Thai calendars print it

# Only ISO. Django's Thai input formats ("%d/%m/%Y") would read a typed "1/10/2551" as CE 2551,
# 543 years off, without any error. People type Buddhist-era dates into BuddhistDateField
# (governance.fields), which parses them itself; ISO stays for machine input (APIs, imports, tests).
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
