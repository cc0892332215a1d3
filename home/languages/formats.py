"""Numbers, money and dates in the visitor's language, by the Unicode CLDR (through Babel).

Django's own formats group digits only where a language's format module says so, and it
has none or old ones for some of the site's languages (Irish and Bulgarian printed
1000000, English "Feb. 10, 2027, 10 a.m."). CLDR has all 24. Machine formats (the CSV and
JSON exports, `<time datetime>`, iCalendar) do not come here.

A `babel.Locale` reads its data from disk the first time; `cldr_locale` keeps one per
language for the life of the process.
"""

import copy
import datetime
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel import dates as babel_dates
from django.conf import settings
from django.utils import timezone, translation


@lru_cache(maxsize=64)
def cldr_locale(language_code):
    """Babel's locale of a Django language code (`pt-br` → `pt_BR`), English if CLDR has none."""
    try:
        return Locale.parse(translation.to_locale(language_code or settings.LANGUAGE_CODE))
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en")


def _language(language_code=None):
    return language_code or translation.get_language() or settings.LANGUAGE_CODE


def _decimal(value):
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


@lru_cache(maxsize=256)
def _pattern(language_code, kind, decimals):
    """The language's decimal or currency pattern, with 0 to `decimals` fraction digits."""
    locale = cldr_locale(language_code)
    formats = locale.currency_formats if kind == "currency" else locale.decimal_formats
    pattern = copy.copy(formats["standard" if kind == "currency" else None])
    pattern.frac_prec = (0, decimals)
    return pattern


def format_number(value, decimals=2, language_code=None):
    """`value` grouped and with the decimal sign of the language, rounded to at most
    `decimals` places, without trailing zeros (en 120.5, 50,000; de 1.234,5; fr 50 000).
    What is not a number is returned as it is."""
    number = _decimal(value)
    if number is None:
        return "" if value is None else value
    language_code = _language(language_code)
    return _pattern(language_code, "decimal", int(decimals)).apply(
        number, cldr_locale(language_code)
    )


def format_money(value, currency="EUR", decimals=0, language_code=None):
    """An amount in the language's currency format (en €50,000; de 50.000 €; nl € 50.000)."""
    number = _decimal(value)
    if number is None:
        return "" if value is None else value
    language_code = _language(language_code)
    return _pattern(language_code, "currency", int(decimals)).apply(
        number, cldr_locale(language_code), currency=currency, currency_digits=False
    )


def _local(value):
    """A datetime in the current time zone (`{% timezone %}` sets it); dates as they are."""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def format_date(value, length="long", language_code=None):
    """A date (or a datetime's date, in the current time zone): en February 10, 2027;
    de 10. Februar 2027; bg 10 февруари 2027 г."""
    if not isinstance(value, datetime.date):
        return value if value is not None else ""
    locale = cldr_locale(_language(language_code))
    value = _local(value)
    day = value.date() if isinstance(value, datetime.datetime) else value
    return babel_dates.format_date(day, length, locale=locale)


def format_time(value, length="short", language_code=None):
    """A time of day in the current time zone: en 10:00 AM; de 10:00; fi 10.00."""
    if not isinstance(value, datetime.datetime | datetime.time):
        return value if value is not None else ""
    locale = cldr_locale(_language(language_code))
    value = _local(value)
    if isinstance(value, datetime.datetime):
        value = value.replace(tzinfo=None).time()
    return babel_dates.format_time(value, length, locale=locale)


def format_datetime(value, length="long", language_code=None):
    """A date and its time of day, joined as the language joins them: en February 10, 2027,
    10:00 AM; hu 2027. február 10. 10:00."""
    if not isinstance(value, datetime.datetime):
        return format_date(value, length, language_code)
    locale = cldr_locale(_language(language_code))
    # CLDR's pattern for a date and a time: {1} the date, {0} the time, quotes around literals.
    joined = str(locale.datetime_formats[length]).replace("'", "")
    day = format_date(value, length, language_code)
    return joined.replace("{1}", day).replace("{0}", format_time(value, "short", language_code))


def preload():
    """Read every language's CLDR data now, so that no visitor's request waits for it (it is
    read from disk on first use): called once a server process has loaded the site."""
    for code, _name in settings.LANGUAGES:
        cldr_locale(code).number_symbols  # noqa: B018 (the data is read on first access)
