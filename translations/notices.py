"""The public notice on a translation whose original has changed since it was translated."""

from django.utils.translation import gettext as _

from home.languages.formats import format_date
from home.languages.i18n import is_fallback_page, language_name_translated
from translations.status import OUT_OF_DATE, translation_state


def out_of_date_notice(request, page):
    """ "The original version (English) was updated on …" when the translation is out of date
    by the translation status dashboard's rule (translations/status.py): a string of the
    original that it uses has changed since it was made. Republishing the original without
    changes shows no notice."""
    if is_fallback_page(page):
        return []
    original, state = translation_state(page, fallback=False)
    if state != OUT_OF_DATE:
        return []
    language = language_name_translated(original.locale.language_code)
    message = _(
        "The original version (%(language)s) was updated on %(date)s; this translation may not "
        "include the latest changes."
    ) % {"language": language, "date": format_date(original.last_published_at)}
    return [{"kind": "outdated", "message": message}]
