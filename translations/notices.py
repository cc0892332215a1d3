"""The public notice on a translation whose original has changed since it was translated."""

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from wagtail.models import Page
from wagtail_localize.models import TranslationSource

from home.i18n import language_name_translated, stands_in_for_original


def original_of(page):
    """The original a translation was made from, with its wagtail-localize source; or None."""
    if stands_in_for_original(page):
        return None
    sources = (
        TranslationSource.objects.filter(object_id=page.translation_key)
        .exclude(locale_id=page.locale_id)
        .select_related("locale")
    )
    source = sources.first()
    if source is None:
        return None
    original = (
        Page.objects.filter(translation_key=page.translation_key, locale_id=source.locale_id)
        .only("id", "last_published_at", "locale_id")
        .first()
    )
    return (original, source) if original else None


def out_of_date_notice(request, page):
    """ "The English original was updated on …" when it was published after this translation
    was made (or last brought up to date)."""
    found = original_of(page)
    if found is None:
        return []
    original, source = found
    published = original.last_published_at
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
