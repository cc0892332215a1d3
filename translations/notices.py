"""The public notice on a translation whose original has changed since it was translated."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import OuterRef, Subquery
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from wagtail.models import Page
from wagtail_localize.models import TranslationSource

from home.i18n import language_name_translated, stands_in_for_original


@dataclass
class Source:
    """What the notice needs of the wagtail-localize source a translation was made from."""

    language_code: str
    last_updated_at: datetime | None  # when the translation was last brought up to date
    original_published_at: datetime | None  # when the original page was last published


def source_of(page):
    """The source a translation was made from, or None. One query: the first source made
    from this translation set in another language, with its original page's last publish."""
    if stands_in_for_original(page):
        return None
    original = Page.objects.filter(
        translation_key=page.translation_key, locale_id=OuterRef("locale_id")
    ).values("last_published_at")[:1]
    row = (
        TranslationSource.objects.filter(object_id=page.translation_key)
        .exclude(locale_id=page.locale_id)
        .order_by("pk")
        .values_list("locale__language_code", "last_updated_at")
        .annotate(original_published_at=Subquery(original))
        .first()
    )
    return Source(*row) if row is not None else None


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
