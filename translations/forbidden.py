"""Refusals that explain themselves: a 403 in the admin is the admin's own page, saying what
was refused and why ("You translate into German; this page is in French"), with a way back.

The checks (translations/middleware.py, the dashboard) raise `Refusal`, a PermissionDenied
that carries what was refused and in which language; any other PermissionDenied in the admin
gets the same page with a general reason. The page is written in the user's interface
language (as Wagtail's admin views are), and its status stays 403. Outside the admin, and for
visitors who are not signed in, Django's own 403 answers.

Wagtail's admin turns PermissionDenied into a redirect to the dashboard; this app's views are
wrapped in `answers_403` so that they answer 403 like the rest of the admin.
"""

import functools

from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import defaults
from wagtail.admin.localization import get_localized_response
from wagtail.models import Locale, Page

from home.languages.i18n import language_name_translated
from translations.permissions import locales_for_user

# What was refused.
PAGE = "page"  # a page (or its form) in another language
SNIPPET = "snippet"  # a snippet in another language
TRANSLATION = "translation"  # a translation into another language
REQUESTED = "requested"  # a new translation asked for into another language
LANGUAGE = "language"  # the dashboard or the exchange of another language
EDITORS_ONLY = "editors_only"  # what changes every language (syncing an original)
SITE_LANGUAGES = "site_languages"  # the site's languages (adding, editing, deleting one)
DISCARDS = "discards"  # turning a translation back into a fallback page (editors only)
DETACHES = "detaches"  # turning a fallback page into a page of its own (editors only)
VERSIONS = "versions"  # a page whose versions in another language would go with it
NO_LANGUAGE = "no_language"  # a user without any language to translate into


class Refusal(PermissionDenied):
    """A refused action: what kind of thing was refused, and its language (a Locale id)."""

    def __init__(self, kind, locale_id=None):
        super().__init__(kind)
        self.kind = kind
        self.locale_id = locale_id


def _reason(kind, yours, language):
    """The sentence that says why, in the active language."""
    names = {"yours": yours, "language": language}
    if kind == PAGE and language:
        return _("You translate into %(yours)s; this page is in %(language)s.") % names
    if kind == SNIPPET and language:
        return _("You translate into %(yours)s; this item is in %(language)s.") % names
    if kind == TRANSLATION and language:
        return _("You translate into %(yours)s; this translation is into %(language)s.") % names
    if kind in (REQUESTED, LANGUAGE) and language:
        return _("You translate into %(yours)s; you asked for %(language)s.") % names
    if kind == VERSIONS and language:
        return (
            _(
                "You translate into %(yours)s; this page's version in %(language)s would go along "
                "with it."
            )
            % names
        )
    if kind == EDITORS_ONLY:
        return _("Only editors may do this: it changes the translations in every language.")
    if kind == SITE_LANGUAGES:
        return _("Only editors may manage the site's languages.")
    if kind == DISCARDS:
        return _(
            "Only editors may turn a translation back into a fallback page: that discards "
            "the translation."
        )
    if kind == DETACHES:
        return _(
            "Only editors may turn a fallback page into a page of its own: it would no longer "
            "follow its original."
        )
    if kind == NO_LANGUAGE or not yours:
        return _("You do not translate into any language yet; an editor can add you to one.")
    return _("You may not do this. You translate into %(yours)s.") % names


def explain(request, exception):
    """The refusal's page: a TemplateResponse with status 403 (call it in the user's
    interface language, as `refused` does)."""
    kind = getattr(exception, "kind", None)
    locale_id = getattr(exception, "locale_id", None)
    default_id = Locale.get_default().pk
    own_ids = locales_for_user(request.user)
    own = list(Locale.objects.filter(pk__in=own_ids).order_by("language_code"))
    translated_into = [locale for locale in own if locale.pk != default_id] or own
    yours = ", ".join(_name(locale) for locale in translated_into)
    refused_locale = Locale.objects.filter(pk=locale_id).first() if locale_id else None
    language = _name(refused_locale) if refused_locale else ""
    reason = _reason(kind, yours, language)
    if request.accepts("text/html") or not request.accepts("application/json"):
        return TemplateResponse(
            request,
            "translations/refused.html",
            {
                "reason": reason,
                "links": _links(translated_into, own_ids, default_id),
                "refused_language": language,
            },
            status=403,
        )
    return JsonResponse({"detail": reason}, status=403)


def _name(locale):
    return str(language_name_translated(locale.language_code))


def _links(translated_into, own_ids, default_id):
    """Ways back: the translation status of the user's language (or of every language), and
    the pages of each of the user's languages."""
    links = []
    dashboard = reverse("translations:dashboard")
    if len(translated_into) == 1 and translated_into[0].pk != default_id:
        locale = translated_into[0]
        name = _name(locale)
        links.append(
            (
                f"{dashboard}?locale={locale.language_code}",
                _("Translation status: %(language)s") % {"language": name},
            )
        )
    elif translated_into:
        links.append((dashboard, _("Translation status")))
    # An editor works in every language: the original's pages; a translator: their own.
    shown = [default_id] if default_id in own_ids else [locale.pk for locale in translated_into]
    homes = Page.objects.filter(depth=2, locale_id__in=shown).select_related("locale")
    for home in sorted(homes, key=lambda page: page.locale.language_code):
        name = _name(home.locale)
        links.append(
            (
                reverse("wagtailadmin_explore", args=[home.pk]),
                _("Pages in %(language)s") % {"language": name},
            )
        )
    if not links:
        links.append((reverse("wagtailadmin_home"), _("Admin home")))
    return links


def refused(request, exception=None):
    """The admin's refusal page, in the user's interface language."""
    response = get_localized_response(explain, request, exception)
    if hasattr(response, "render"):
        response.render()
    return response


def permission_denied(request, exception=None):
    """handler403: the admin's refusal page in the admin, Django's 403 elsewhere."""
    admin = request.path.startswith("/admin/")
    user = getattr(request, "user", None)
    if admin and user is not None and user.is_authenticated:
        return refused(request, exception)
    return defaults.permission_denied(request, exception)


def answers_403(view):
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied as err:
            return refused(request, err)

    return wrapped
