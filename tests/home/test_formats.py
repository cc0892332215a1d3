"""Numbers, money and dates in the visitor's language, by CLDR (home/languages/formats.py), in every
language of the site, on the pages that show them; the machine formats left alone."""

import datetime
import json
import re
import zoneinfo
from decimal import Decimal

import pytest
from django.conf import settings
from django.utils import timezone, translation
from wagtail.models import Site

from home.languages import formats
from home.languages.trees import synchronize_locale_trees
from tests.factories import (
    CaseStudyIndexPageFactory,
    CaseStudyPageFactory,
    EventIndexPageFactory,
    EventPageFactory,
    NewsIndexPageFactory,
    NewsPageFactory,
)
from tests.utils import module_data

LANGUAGES = [code for code, _name in settings.LANGUAGES]
NNBSP, NBSP = "\u202f", "\u00a0"

# CLDR's own answers (Babel's data), written out for languages whose conventions differ.
MILLION = {
    "en": "1,000,000",
    "de": "1.000.000",
    "fr": f"1{NNBSP}000{NNBSP}000",
    "ga": "1,000,000",
    "mt": "1,000,000",
    "bg": f"1{NBSP}000{NBSP}000",
    "pl": f"1{NBSP}000{NBSP}000",
    "it": "1.000.000",
}
DECIMAL = {
    "en": "1,234.5",
    "de": "1.234,5",
    "ga": "1,234.5",
    "bg": f"1{NBSP}234,5",
    "mt": "1,234.5",
}
EUROS = {
    "en": "€50,000",
    "de": f"50.000{NBSP}€",
    "nl": f"€{NBSP}50.000",
    "ga": "€50,000",
    "mt": "€50,000",
    "bg": f"50{NBSP}000{NBSP}€",
    "hu": f"50{NBSP}000{NBSP}EUR",
}
DATE = {
    "en": "February 10, 2027",
    "de": "10. Februar 2027",
    "fr": "10 février 2027",
    "ga": "10 Feabhra 2027",
    "mt": "10 ta’ Frar 2027",
    "bg": f"10 февруари 2027{NNBSP}г.",
    "hu": "2027. február 10.",
    "lt": "2027 m. vasario 10 d.",
}
DATETIME = {
    "en": f"February 10, 2027, 10:00{NNBSP}AM",
    "de": "10. Februar 2027, 10:00",
    "ga": "10 Feabhra 2027 10:00",
    "fi": "10. helmikuuta 2027 10.00",
}
# 10:00 in Brussels.
MOMENT = datetime.datetime(2027, 2, 10, 9, 0, tzinfo=datetime.UTC)
BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")


def digits(text):
    return re.sub(r"\D", "", text)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_million_is_grouped_in_every_language(language):
    with translation.override(language):
        shown = formats.format_number(1000000)
    if language in MILLION:
        assert shown == MILLION[language]
    # Three groups, split by the language's separator, never the digits run together.
    assert digits(shown) == "1000000"
    groups = re.fullmatch(r"1(\D+)000(\D+)000", shown)
    assert groups, shown
    assert (
        groups[1] == groups[2]
        and groups[1] == formats.cldr_locale(language).number_symbols["latn"]["group"]
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_decimals_use_the_languages_sign_and_drop_trailing_zeros(language):
    with translation.override(language):
        shown = formats.format_number(Decimal("1234.50"))
        whole = formats.format_number(Decimal("2200.00"), 0)
        rounded = formats.format_number(Decimal("0.456"), 2)
    if language in DECIMAL:
        assert shown == DECIMAL[language]
    symbols = formats.cldr_locale(language).number_symbols["latn"]
    assert shown == f"1{symbols['group']}234{symbols['decimal']}5"
    assert whole == f"2{symbols['group']}200"
    assert rounded == f"0{symbols['decimal']}46"


@pytest.mark.parametrize("language", LANGUAGES)
def test_money_is_in_whole_euros_in_the_languages_currency_format(language):
    with translation.override(language):
        shown = formats.format_money(Decimal("50000.40"))
    if language in EUROS:
        assert shown == EUROS[language]
    assert digits(shown) == "50000"  # whole euros, no cents
    assert "€" in shown or "EUR" in shown
    group = formats.cldr_locale(language).number_symbols["latn"]["group"]
    assert f"50{group}000" in shown


@pytest.mark.parametrize("language", LANGUAGES)
def test_dates_and_times_are_written_as_the_language_writes_them(language):
    with translation.override(language), timezone.override(BRUSSELS):
        date = formats.format_date(MOMENT)
        time = formats.format_time(MOMENT)
        both = formats.format_datetime(MOMENT)
    if language in DATE:
        assert date == DATE[language]
    if language in DATETIME:
        assert both == DATETIME[language]
    assert "2027" in date and "10" in date
    # The month by name, in the language: not Django's English abbreviation, not a number.
    assert "Feb." not in date and not re.fullmatch(r"[\d\W]+", date)
    if language != "en":
        assert "February" not in date
    assert "10" in time and "00" in time  # 10:00 in Brussels, not 09:00 UTC
    assert date in both and time in both


def test_times_follow_the_current_time_zone():
    with translation.override("en"), timezone.override(zoneinfo.ZoneInfo("Europe/Lisbon")):
        assert formats.format_time(MOMENT) == f"9:00{NNBSP}AM"
    with translation.override("de"), timezone.override(zoneinfo.ZoneInfo("Europe/Sofia")):
        assert formats.format_datetime(MOMENT) == "10. Februar 2027, 11:00"


def test_a_date_without_time_is_shown_as_it_is():
    with translation.override("de"), timezone.override(zoneinfo.ZoneInfo("Pacific/Kiritimati")):
        assert formats.format_date(datetime.date(2026, 3, 2)) == "2. März 2026"


def test_what_is_not_a_number_is_left_alone():
    assert formats.format_number(None) == ""
    assert formats.format_number("") == ""
    assert formats.format_number("n/a") == "n/a"
    assert formats.format_money(None) == ""
    assert formats.format_date(None) == ""
    with translation.override("en"):
        assert formats.format_number(-5) == "-5"


def test_each_languages_cldr_data_is_read_once_per_process():
    assert formats.cldr_locale("bg") is formats.cldr_locale("bg")
    assert formats.cldr_locale("pt-br").territory == "BR"
    assert formats.cldr_locale("xx").language == "en"  # not in CLDR: English


# --- On the pages ----------------------------------------------------------------------


@module_data
def big_study():
    """A case study with large figures in the 24 language trees, built once for the module."""
    home = Site.objects.get(is_default_site=True).root_page.specific
    index = CaseStudyIndexPageFactory(parent=home)
    study = CaseStudyPageFactory(
        parent=index,
        slug="sofia-heat",
        title="Sofia district heating",
        co2e_tonnes_per_year=Decimal("2200"),
        energy_mwh_per_year=Decimal("1234.5"),
        cost_saving_eur=Decimal("1000000"),
    )
    synchronize_locale_trees()
    return study.pk


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "co2e", "energy", "cost"),
    [
        ("ga", "2,200 t", "1,234.5 MWh", "€1,000,000"),
        ("bg", f"2{NBSP}200 t", f"1{NBSP}234,5 MWh", f"1{NBSP}000{NBSP}000{NBSP}€"),
        ("de", "2.200 t", "1.234,5 MWh", f"1.000.000{NBSP}€"),
        ("en", "2,200 t", "1,234.5 MWh", "€1,000,000"),
    ],
)
def test_case_study_page_and_listing_group_figures_in_the_language(
    client, big_study, language, co2e, energy, cost
):
    body = client.get(f"/{language}/case-studies/sofia-heat/").content.decode()
    figures = re.findall(r'<span class="impact__figure">([^<]+)</span>', body)
    assert figures == [co2e, energy, cost]
    listing = client.get(f"/{language}/case-studies/").content.decode()
    assert co2e.split(" t")[0] in listing
    assert cost in listing


@pytest.mark.django_db
def test_exports_keep_machine_numbers_in_every_language(client, big_study):
    for language in ("ga", "bg", "de"):
        data = json.loads(client.get(f"/{language}/case-studies/?format=json").content)
        (row,) = data["results"]
        assert json.dumps(row).count("1000000") == 1
        response = client.get(f"/{language}/case-studies/?format=csv")
        csv = b"".join(response.streaming_content).decode()
        assert "1000000" in csv and "2200" in csv
        assert "1,000,000" not in csv and f"1{NBSP}000" not in csv


@module_data
def seminar():
    """An event and a news item in the 24 language trees, built once for the module."""
    home = Site.objects.get(is_default_site=True).root_page.specific
    index = EventIndexPageFactory(parent=home)
    start = datetime.datetime(2027, 2, 10, 9, 0, tzinfo=datetime.UTC)  # 10:00 in Brussels
    event = EventPageFactory(
        parent=index,
        slug="seminar-2027",
        title="Procura+ Seminar 2027",
        start=start,
        end=start + datetime.timedelta(hours=7),
        time_zone="Europe/Brussels",
    )
    news = NewsIndexPageFactory(parent=home)
    NewsPageFactory(parent=news, slug="joined", date=datetime.date(2026, 3, 2))
    synchronize_locale_trees()
    return event.pk


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "when"),
    [
        ("en", f'February 10, 2027, 10:00{NNBSP}AM</time> – <time datetime="[^"]+">5:00{NNBSP}PM'),
        ("de", 'Februar 2027, 10:00</time> – <time datetime="[^"]+">17:00'),
        ("ga", 'Feabhra 2027 10:00</time> – <time datetime="[^"]+">17:00'),
        ("bg", f'февруари 2027{NNBSP}г., 10:00</time> – <time datetime="[^"]+">17:00'),
    ],
)
def test_event_pages_give_the_date_and_time_as_the_language_writes_them(
    client, seminar, language, when
):
    body = client.get(f"/{language}/events/seminar-2027/").content.decode()
    assert re.search(when, body), when
    # The machine value stays ISO 8601, in the event's zone.
    assert '<time datetime="2027-02-10T10:00:00+01:00">' in body
    listing = client.get(f"/{language}/events/").content.decode()
    assert '<time datetime="2027-02-10T10:00:00+01:00">' in listing
    assert re.search(when.split("</time>")[0], listing)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "date"),
    [("en", "March 2, 2026"), ("de", "2. März 2026"), ("mt", "2 ta’ Marzu 2026")],
)
def test_news_dates_are_written_in_the_language(client, seminar, language, date):
    for path in (f"/{language}/news/", f"/{language}/news/joined/"):
        body = client.get(path).content.decode()
        assert f'<time datetime="2026-03-02">{date}</time>' in body, path
