"""CSV files as the site writes them, safe to open in a spreadsheet program.

A cell whose text begins with =, +, -, @, a tab or a carriage return is read by Excel,
LibreOffice and Google Sheets as a formula, which can run commands or send the sheet's data
elsewhere ("CSV injection"). Following OWASP's advice, such text is written with a leading
apostrophe, which spreadsheet programs take as "this is text". Numbers written as numbers
(int, float, Decimal) are left alone, so -5 in a numeric column stays -5; text that merely
looks like a number ("-5") gets the apostrophe like any other text.

Every CSV the project writes goes through `writer()` or `DictWriter`: the case study export,
and, through `SpreadsheetExportMixin.stream_csv` (replaced in `protect_admin_exports`),
every CSV export of the Wagtail admin (the project's reports and Wagtail's own).
"""

import csv

from django.utils.functional import Promise

from home.upstream import replace

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# The digest of the source of Wagtail's `SpreadsheetExportMixin.stream_csv`, which is replaced.
UPSTREAM_DIGEST = "15f5f90018ee0560"


def neutralise(value):
    """A cell's value, with an apostrophe before text a spreadsheet would run as a formula."""
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class Writer:
    """`csv.writer` with every cell neutralised."""

    def __init__(self, file, *args, **kwargs):
        self._writer = csv.writer(file, *args, **kwargs)

    def writerow(self, row):
        return self._writer.writerow([neutralise(value) for value in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def writer(file, *args, **kwargs):
    return Writer(file, *args, **kwargs)


class DictWriter(csv.DictWriter):
    """`csv.DictWriter` with every cell, the headings included, neutralised."""

    def writerow(self, rowdict):
        return super().writerow({key: neutralise(value) for key, value in rowdict.items()})

    def writerows(self, rowdicts):
        for rowdict in rowdicts:
            self.writerow(rowdict)


class Echo:
    """A file that hands back what is written to it, for streamed responses."""

    def write(self, value):
        return value


def _stream_csv(self, queryset):
    from wagtail.admin.views.mixins import Echo as EchoBytes  # as Wagtail's: UTF-8 bytes

    writer = DictWriter(EchoBytes(), fieldnames=self.list_export)
    yield writer.writerow({field: self.get_heading(queryset, field) for field in self.list_export})
    for item in queryset:
        yield self.write_csv_row(writer, self.to_row_dict(item))


def protect_admin_exports():
    """Make Wagtail's spreadsheet exports write their CSV through `DictWriter`.

    Every "Download CSV" of the admin (reports, the search terms and redirects listings,
    form submissions, listings with `list_export`) streams its rows from
    `SpreadsheetExportMixin.stream_csv`, which writes cells as they are and offers no hook
    for escaping them; its XLSX exports already store such cells as text.
    """
    from wagtail.admin.views.mixins import SpreadsheetExportMixin

    # Where Wagtail's method changes, it stays off with a warning (home/upstream.py), and
    # tests/home/test_spreadsheets.py fails until someone looks: it fails too once Wagtail
    # escapes such cells itself (then this is to go), or once a view streams its own CSV.
    replace(
        SpreadsheetExportMixin, "stream_csv", _stream_csv, UPSTREAM_DIGEST, "home/spreadsheets.py"
    )
