"""The public notice on a translation whose original has changed since it was translated."""

from dataclasses import dataclass
from datetime import datetime
from functools import cache

from django.db import connection
from django.db.models import DateTimeField, Value
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from wagtail.models import Locale, Page
from wagtail_localize.models import TranslationSource

from home.i18n import language_name_translated, stands_in_for_original


@dataclass
class Source:
    """What the notice needs of the wagtail-localize source a translation was made from."""

    language_code: str
    last_updated_at: datetime | None  # when the translation was last brought up to date
    original_published_at: datetime | None  # when the original page was last published


@cache
def _source_statement():
    quote = connection.ops.quote_name
    sources = quote(TranslationSource._meta.db_table)
    locales = quote(Locale._meta.db_table)
    pages = quote(Page._meta.db_table)
    # The first source made from this translation set in another language, with the original
    # page in that language. A plain statement: every public page asks it, and Django takes
    # longer to build it from a queryset than the database takes to answer.
    return f"""
        SELECT l.language_code, s.last_updated_at, o.last_published_at
        FROM {sources} s
        JOIN {locales} l ON l.id = s.locale_id
        LEFT JOIN {pages} o ON o.translation_key = s.object_id AND o.locale_id = s.locale_id
        WHERE s.object_id = %s AND s.locale_id <> %s
        ORDER BY s.id
        LIMIT 1
    """  # noqa: S608 (table names only; the values are parameters)


def source_of(page):
    """The source a translation was made from, or None. One query."""
    if stands_in_for_original(page):
        return None
    key = TranslationSource._meta.get_field("object_id").get_db_prep_value(
        page.translation_key, connection
    )
    with connection.cursor() as cursor:
        cursor.execute(_source_statement(), [key, page.locale_id])
        row = cursor.fetchone()
    if row is None:
        return None
    # As the ORM reads a date-time column: SQLite gives text, to be parsed in the time zone.
    moment = Value(None, output_field=DateTimeField())
    converters = connection.ops.get_db_converters(moment)
    updated, published = row[1:]
    for convert in converters:
        updated, published = (
            None if value is None else convert(value, moment, connection)
            for value in (updated, published)
        )
    return Source(row[0], updated, published)


def out_of_date_notice(request, page):
    """ "The English original was updated on …" when it was published after this translation
    was made (or last brought up to date)."""
    source = source_of(page)
    if source is None:
        return []
    published = source.original_published_at
    translated = page.last_published_at
    if not published or not translated:
        return []
    if published <= translated and (
        not source.last_updated_at or published <= source.last_updated_at
    ):
        return []
    language = language_name_translated(source.language_code)
    message = _(
        "The original version (%(language)s) was updated on %(date)s; this translation may not "
        "include the latest changes."
    ) % {"language": language, "date": date_format(published, "DATE_FORMAT")}
    return [{"kind": "outdated", "message": message}]
