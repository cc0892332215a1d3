"""Who may translate into which language.

A translator's languages are those of the language trees their groups hold page permissions
on (the "Translators (de)" group has them on the German home page); an editor's group holds
them on the root, hence every language. The same languages apply to snippets, the translation
editor, PO/XLIFF exchange, machine translation and submitting translations.
"""

from django.conf import settings
from wagtail.models import GroupPagePermission, Locale, Page


def locales_for_user(user):
    """The Locale ids this user may translate into (and edit in)."""
    if not user.is_authenticated or not user.is_active:
        return set()
    if user.is_superuser:
        return set(Locale.objects.values_list("pk", flat=True))
    cache_name = "_translatable_locale_ids"
    if not hasattr(user, cache_name):
        roots = Page.objects.filter(
            pk__in=GroupPagePermission.objects.filter(
                group__user=user, permission__codename="change_page"
            ).values("page_id")
        ).values_list("depth", "locale_id")
        ids = set()
        for depth, locale_id in roots:
            if depth == 1:  # the root: every language
                ids = set(Locale.objects.values_list("pk", flat=True))
                break
            ids.add(locale_id)
        setattr(user, cache_name, ids)
    return getattr(user, cache_name)


def can_translate_into(user, locale):
    locale_id = locale if isinstance(locale, int) else getattr(locale, "pk", None)
    return locale_id in locales_for_user(user)


def is_editor(user):
    """Editors work in every language, including the original's."""
    default = Locale.objects.filter(language_code=settings.LANGUAGE_CODE).first()
    return default is not None and can_translate_into(user, default)
