"""Closes the admin per language: anything in another language than the user's answers 403.

wagtail-localize checks that a user may edit the object being translated, and that they hold
the (global) `submit_translation` permission; it does not check the language. Snippet
permissions are per model, not per language. And Wagtail answers a refused page or snippet
view with a redirect to the dashboard. So every admin view that acts on a page, a snippet or
a translation is checked here, before it runs, against the user's languages
(translations/permissions.py). A wagtail-localize view this module does not know (a new
release's: any view defined in the package, or in a URL namespace that holds one) is refused to
everyone but editors, until it is classified here.
"""

import functools
import logging
from io import BytesIO

from django.conf import settings
from django.contrib.admin.utils import unquote
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist, ValidationError
from django.http import Http404, HttpResponseBadRequest, HttpResponseNotAllowed, QueryDict
from django.http.multipartparser import MultiPartParserError
from django.urls import URLResolver, get_resolver
from wagtail.models import Locale, Page
from wagtail_localize.models import Translation

from home.languages.trees import versions_following, versions_outside
from translations import forbidden
from translations.permissions import can_translate_into, is_editor

# wagtail-localize's admin views by their full URL names. The ones of a translation (its id in
# the address) are checked against the translation's language.
BY_TRANSLATION = {
    "wagtail_localize:edit_string_translation",
    "wagtail_localize:edit_override",
    "wagtail_localize:download_pofile",
    "wagtail_localize:upload_pofile",
    "wagtail_localize:machine_translate",
    "wagtail_localize:preview_translation",
    "wagtail_localize:stop_translation",
}
# Views that show nothing of one language and change nothing: the interface's strings, the
# report of translations (filtered by the user's permissions), the snippet chooser's API.
OPEN = {
    "wagtail_localize:javascript_catalog",
    "wagtail_localize:translations_report",
    "wagtail_localize:translations_report_results",
    "wagtail_localize:snippets_api_listing",
    "wagtail_localize:snippets_api_detail",
}
BY_REQUESTED_LOCALES = {
    "wagtail_localize:submit_page_translation",
    "wagtail_localize:submit_snippet_translation",
}
# Syncing a source touches every language: the editors' (and then Wagtail's permissions decide).
EDITORS_ONLY = {"wagtail_localize:update_translations"}
# The site's languages (wagtail-localize's admin of Wagtail's locales): every page has a
# version in each of them, so they are the editors' too.
SITE_LANGUAGES = {
    f"wagtaillocales:{name}"
    for name in (
        "index", "index_results", "add", "edit", "delete",
        "history", "history_results", "usage", "copy",
    )
}  # fmt: skip
# Turning a translation back into a fallback page deletes the translation: editors decide that.
DISCARDS_TRANSLATION = {"wagtail_localize:convert_to_alias"}
KNOWN = (
    OPEN
    | BY_TRANSLATION
    | BY_REQUESTED_LOCALES
    | EDITORS_ONLY
    | SITE_LANGUAGES
    | DISCARDS_TRANSLATION
)

PACKAGE = "wagtail_localize"


def view_module(callback):
    """The module a URL pattern's view is defined in (a class-based view's class's)."""
    view_class = getattr(callback, "view_class", None)
    return getattr(view_class or callback, "__module__", "") or ""


def in_package(module):
    return module == PACKAGE or module.startswith(f"{PACKAGE}.")


@functools.cache
def localize_namespaces():
    """The URL namespaces (full, such as "wagtaillocales") that hold a view of wagtail-localize:
    every view in them is wagtail-localize's, Wagtail's generic views it mounts included."""
    return frozenset(
        view_name.rpartition(":")[0]
        for view_name, callback in url_views()
        if ":" in view_name and in_package(view_module(callback))
    )


def url_views(resolver=None, namespace=""):
    """(full view name, view) of every named URL pattern of the site."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from url_views(pattern, inner)
        elif pattern.name:
            yield (f"{namespace}:{pattern.name}" if namespace else pattern.name), pattern.callback


def is_localize(namespace, view):
    """Whether a view, in its full URL namespace, is one of wagtail-localize's: defined in the
    package, or in one of its namespaces or a namespace nested in one."""
    if in_package(view_module(view)):
        return True
    parts = namespace.split(":") if namespace else []
    namespaces = localize_namespaces()
    return any(":".join(parts[: depth + 1]) in namespaces for depth in range(len(parts)))


def localize_view_names():
    """The full names of every view of wagtail-localize in the site's URLs: all must be in
    KNOWN."""
    return {
        view_name
        for view_name, callback in url_views()
        if is_localize(view_name.rpartition(":")[0], callback)
    }


logger = logging.getLogger(__name__)


def _translation_locale(translation_id):
    return (
        Translation.objects.filter(pk=translation_id)
        .values_list("target_locale_id", flat=True)
        .first()
    )


class TranslationLocaleMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None or not request.path.startswith("/admin/"):
            return None
        if not request.user.is_authenticated:
            return None
        of_a_translation = match.view_name in BY_TRANSLATION and is_localize(
            match.namespace, view_func
        )
        if of_a_translation:
            require_target(view_kwargs.get("translation_id"))
        if is_snippet_copy(match) and request.method != "GET":
            # The copy form posts to the add view; Wagtail's copy view would save its form
            # over the row being copied, and take it offline.
            return HttpResponseNotAllowed(["GET"])
        if request.user.is_superuser:
            pass
        elif match.namespace == "wagtailadmin_pages" and PAGE_IDS & set(view_kwargs):
            check_page_view(request.user, match.url_name, view_kwargs)
        elif match.url_name == "wagtail_bulk_action" and _of_pages(view_kwargs):
            for page_id in bulk_page_ids(request):
                check_page_view(request.user, view_kwargs.get("action"), {"page_id": page_id})
        elif match.namespace.startswith("wagtailsnippets_"):
            check_snippet(request, view_func, view_kwargs)
        elif is_localize(match.namespace, view_func):
            check_localize(request, match.view_name, view_kwargs)
        if of_a_translation and match.view_name in TAKES_A_VALUE and not has_value(request):
            return HttpResponseBadRequest("A value is required.")
        return None


# wagtail-localize's views that store a posted `value` (a string's translation, an override)
# and read it without asking whether it is there.
TAKES_A_VALUE = {"wagtail_localize:edit_string_translation", "wagtail_localize:edit_override"}


def has_value(request):
    """Whether a PUT carries a `value` as a form's field, where wagtail-localize reads it (the
    body is kept for the view, which parses it again)."""
    if request.method != "PUT":
        return True
    body = request.body
    if request.content_type == "application/x-www-form-urlencoded":
        data = QueryDict(body, encoding=request.encoding)
    elif request.content_type == "multipart/form-data":
        try:
            data, _files = request.parse_file_upload(request.META, BytesIO(body))
        except MultiPartParserError:
            return False
    else:
        return False
    return "value" in data


def require_target(translation_id):
    """A translation's views act on its page or snippet in the target language: where there
    is none yet (a translation begun by a download of pending strings, say), they answer 404
    rather than fail on its absence."""
    translation = Translation.objects.filter(pk=translation_id).select_related("source").first()
    if translation is None:
        return  # the view answers 404 itself
    try:
        translation.get_target_instance()
    except ObjectDoesNotExist:
        raise Http404 from None


def is_snippet_copy(match):
    return match.namespace.startswith("wagtailsnippets_") and match.url_name == "copy"


# The pages a page view of Wagtail's acts on, by the names of its URL's arguments.
PAGE_IDS = {"page_id", "page_to_move_id", "destination_id", "parent_page_id"}
# Views that take a page's language versions along (home/wagtail_hooks.py): by URL name, and
# by the name of a bulk action.
TAKES_VERSIONS = {"delete": "delete", "move": "move", "move_confirm": "move"}


def _of_pages(view_kwargs):
    return (view_kwargs.get("app_label"), view_kwargs.get("model_name")) == ("wagtailcore", "page")


def bulk_page_ids(request):
    """The pages a bulk action acts on: those chosen, or for "all" (the listing's pages,
    perhaps filtered by a search) the page whose listing it is and every page under it. "All"
    pages of the site are for editors only."""
    ids = request.GET.getlist("id")
    if "all" not in ids:
        return ids
    parent = _page_id(request.GET.get("childOf"))
    if parent is None:
        if not is_editor(request.user):
            raise forbidden.Refusal(forbidden.EDITORS_ONLY)
        return []
    under = Page.objects.filter(pk=parent).first()
    if under is None:
        return []
    return [parent, *Page.objects.descendant_of(under).values_list("pk", flat=True)]


def check_page_view(user, url_name, view_kwargs):
    """A page view of Wagtail's (or a bulk action on pages), for a user who is not a
    superuser: every page it acts on must be in the user's languages, and so must the versions
    that would go along with a page deleted or moved; only editors may turn a fallback page
    into a page of its own, which then no longer follows its original."""
    for name in PAGE_IDS & set(view_kwargs):
        check_page(user, view_kwargs[name])
    page_id = view_kwargs.get("page_id", view_kwargs.get("page_to_move_id"))
    if url_name in TAKES_VERSIONS:
        check_versions_going_along(user, page_id, TAKES_VERSIONS[url_name])
    elif url_name == "convert_alias" and not is_editor(user):
        raise forbidden.Refusal(forbidden.DETACHES)


def _page_id(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None  # no such page: the view answers 404


def check_page(user, page_id):
    locale_id = (
        Page.objects.filter(pk=_page_id(page_id)).values_list("locale_id", flat=True).first()
    )
    if locale_id is not None and not can_translate_into(user, locale_id):
        raise forbidden.Refusal(forbidden.PAGE, locale_id)


def check_versions_going_along(user, page_id, action):
    """A deleted original takes its versions in every language along, and those of the pages
    under it; a moved one its own: the user must translate into each of their languages."""
    page = Page.objects.filter(pk=_page_id(page_id)).first()
    if page is None:
        return
    if action == "delete":
        versions = Page.objects.filter(pk__in=versions_outside(page))
    else:
        versions = Page.objects.filter(pk__in=[v.pk for v in versions_following(page)])
    for locale_id in versions.values_list("locale_id", flat=True).distinct().order_by():
        if not can_translate_into(user, locale_id):
            raise forbidden.Refusal(forbidden.VERSIONS, locale_id)


def _language_code_field(model):
    """The field of a snippet that is not translatable yet belongs to one language by a
    language code (home.TagName's `language`), or None."""
    if hasattr(model, "locale_id"):
        return None
    try:
        field = model._meta.get_field("language")
    except FieldDoesNotExist:
        return None
    codes = {code for code, _name in settings.LANGUAGES}
    return field if {value for value, _label in field.choices or ()} == codes else None


def _locale_id_of_code(code):
    return Locale.objects.filter(language_code=code).values_list("pk", flat=True).first()


def check_snippet(request, view_func, view_kwargs):
    # Snippet views get their model as an argument of as_view().
    model = getattr(view_func, "view_initkwargs", {}).get("model") or getattr(
        getattr(view_func, "view_class", None), "model", None
    )
    if model is None:
        return
    language_field = _language_code_field(model)
    if language_field is not None:
        check_language_row(request, model, language_field.name, view_kwargs.get("pk"))
        return
    if not hasattr(model, "locale_id"):
        return
    pk = view_kwargs.get("pk")
    if pk is not None:
        locale_id = (
            model._base_manager.filter(pk=unquote(str(pk)))
            .values_list("locale_id", flat=True)
            .first()
        )
    elif request.resolver_match.url_name == "add":
        # The language Wagtail's create view gives the new row: `?locale=`, else the
        # default one (a `locale` in the posted form is not read).
        code = request.GET.get("locale")
        locale = Locale.objects.filter(language_code=code).first() if code else None
        locale_id = (locale or Locale.get_default()).pk
    else:
        return
    if locale_id is not None and not can_translate_into(request.user, locale_id):
        raise forbidden.Refusal(forbidden.SNIPPET, locale_id)


def check_language_row(request, model, field_name, pk):
    """A row of one language by its code (a tag's name): the row's language and, when one is
    posted, the language it is to have must be the user's."""
    codes = []
    if pk is not None:
        try:
            row = model._base_manager.filter(pk=unquote(str(pk)))
            codes += list(row.values_list(field_name, flat=True)[:1])
        except (ValueError, ValidationError):
            pass  # no such row: the view answers 404
    if request.method == "POST" and request.POST.get(field_name):
        codes.append(request.POST[field_name])
    for code in codes:
        locale_id = _locale_id_of_code(code)
        if locale_id is not None and not can_translate_into(request.user, locale_id):
            raise forbidden.Refusal(forbidden.SNIPPET, locale_id)


def check_localize(request, name, view_kwargs):
    """Check a view of wagtail-localize, by its full URL name, for the user."""
    user = request.user
    if name in OPEN:
        return
    if name in BY_TRANSLATION:
        locale_id = _translation_locale(view_kwargs.get("translation_id"))
        if locale_id is not None and not can_translate_into(user, locale_id):
            raise forbidden.Refusal(forbidden.TRANSLATION, locale_id)
    elif name in DISCARDS_TRANSLATION:
        if not is_editor(user):
            raise forbidden.Refusal(forbidden.DISCARDS)
    elif name in BY_REQUESTED_LOCALES:
        check_requested_locales(request)
    elif not is_editor(user):  # EDITORS_ONLY, SITE_LANGUAGES, or a view this module does not know
        if name in SITE_LANGUAGES:
            raise forbidden.Refusal(forbidden.SITE_LANGUAGES)
        if name not in EDITORS_ONLY:
            logger.warning("wagtail-localize view %r is not classified: editors only", name)
        raise forbidden.Refusal(forbidden.EDITORS_ONLY)


def check_requested_locales(request):
    """A translation may only be submitted into the user's own languages."""
    if request.method != "POST":
        return
    for locale_id in request.POST.getlist("locales"):
        try:
            locale = Locale.objects.get(pk=int(locale_id))
        except (ValueError, Locale.DoesNotExist):
            raise forbidden.Refusal(forbidden.REQUESTED) from None
        if not can_translate_into(request.user, locale):
            raise forbidden.Refusal(forbidden.REQUESTED, locale.pk)
