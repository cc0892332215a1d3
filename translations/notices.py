"""The public notice on a translation whose original has changed since it was translated."""

from django.db.models import OuterRef, Subquery
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from wagtail.models import Page
from wagtail_localize.models import TranslationSource

from home.i18n import language_name_translated, stands_in_for_original


def source_of(page):
    """The wagtail-localize source a translation was made from, or None; annotated with
    `original_published_at`, when the original page in that language was last published.
    One query."""
    if stands_in_for_original(page):
        return None
    originals = Page.objects.filter(
        translation_key=OuterRef("object_id"), locale_id=OuterRef("locale_id")
    )
    return (
        TranslationSource.objects.filter(object_id=page.translation_key)
        .exclude(locale_id=page.locale_id)
        .select_related("locale")
        .annotate(original_published_at=Subquery(originals.values("last_published_at")[:1]))
        .first()
    )


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
    language = language_name_translated(source.locale.language_code)
    message = _(
        "The original version (%(language)s) was updated on %(date)s; this translation may not "
        "include the latest changes."
    ) % {"language": language, "date": date_format(published, "DATE_FORMAT")}
    return [{"kind": "outdated", "message": message}]
