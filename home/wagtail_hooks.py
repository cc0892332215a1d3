from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.actions.move_page import MovePageAction
from wagtail.admin import messages
from wagtail.models import Page
from wagtail.snippets.models import register_snippet
from wagtail_localize.synctree import create_aliases_for_new_page

from home.cache import page_tags, tag
from home.languages.i18n import fallback_source, language_name_translated, request_language_links
from home.languages.trees import (
    delete_versions,
    languages_with_slug_taken,
    version_moves,
    versions_following,
    versions_outside,
)
from home.models import Footer, NavigationMenu, TagName, Topic
from home.rich_text import VisiblePageLinkHandler
from home.snippet_views import OwnLanguageSnippetViewSet, TagNameViewSet
from home.visibility import is_published

for model in (Topic, NavigationMenu, Footer):
    register_snippet(model, viewset=OwnLanguageSnippetViewSet)
register_snippet(TagName, viewset=TagNameViewSet)


@hooks.register("before_serve_page")
def serve_only_published_pages(page, request, serve_args, serve_kwargs):
    """A page is served only while it and its original are published now (home/visibility.py):
    Wagtail serves any live page, an expired one and the fallback page of a scheduled one included.
    Whether a view restriction lets the visitor in is Wagtail's own check, which also marks
    the response of a restricted page, its password form and login redirect uncacheable."""
    if not is_published(page):
        raise Http404
    # What the response shows, for the edge cache's purges (home/cache.py).
    listed = getattr(page, "listed_types", ())
    tag(request, *page_tags(page), *(f"type:{model._meta.label_lower}" for model in listed))


# After Wagtail's own registration of the page link (order 0), which this one replaces.
@hooks.register("register_rich_text_features", order=100)
def link_only_pages_visitors_may_see(features):
    features.register_link_type(VisiblePageLinkHandler)


@hooks.register("construct_translated_pages_to_cascade_actions")
def language_versions_follow_their_original(pages, action):
    """An original moved or deleted in the admin takes its translations and fallback pages
    along.

    Wagtail's move view moves each version named here that sits under a version of the
    page's former parent to the version of its new parent in its language; its delete view
    deletes them. Both confirmations say how many translations go along. Otherwise the
    other languages would keep the page in its former section (listed there, at its former
    address), or keep 23 orphaned copies of a deleted page. A version that is not the
    original moves or goes alone. Unpublishing does not cascade: an unpublished original
    takes its versions offline (home/visibility.py, rule 2), and they come back with it."""
    if action not in ("move", "delete"):
        return None
    return {page: versions_following(page) for page in pages}


@hooks.register("after_copy_page")
def give_a_copy_its_language_versions(request, page, new_page):
    """A copy made in the admin, its subpages included, gets its fallback pages in the other
    languages, as a page created there does: wagtail-localize makes them from its
    page-created hook, which a copy does not reach, with the function used here. Parents come
    before their children. Pages made as aliases are left as they are (an alias of an alias
    is not a fallback page)."""
    copied = Page.objects.descendant_of(new_page, inclusive=True).filter(alias_of__isnull=True)
    for made in copied.order_by("path"):
        create_aliases_for_new_page(made)


# Wagtail's own message, translated by Wagtail's catalogues (a name, not a literal, so that
# makemessages leaves it out of the project's).
SLUG_TAKEN = (
    "The slug '%(page_slug)s' is already in use at the selected parent page. Make sure the slug"
    " is unique and try again."
)


@hooks.register("before_move_page")
def refuse_a_move_a_version_cannot_follow(request, page, destination):
    """Each version that moves along (above) goes under the new parent's version in its
    language, where its slug must be free. Wagtail checks the original's slug only, and a
    version's taken slug would fail the whole move with an error page: the move is refused
    first, as Wagtail refuses a slug taken in the original's tree (in Wagtail's words), naming
    the languages."""
    taken = languages_with_slug_taken(version_moves(page, destination))
    if not taken:
        return None
    _say_slug_taken(request, page, taken)
    return redirect("wagtailadmin_pages:move", page.pk)


def _say_slug_taken(request, page, languages):
    message = _(SLUG_TAKEN) % {"page_slug": page.slug}
    names = ", ".join(str(language_name_translated(code)) for code in languages)
    messages.error(request, f"{message} ({names})")


@hooks.register("before_bulk_action")
def versions_to_follow_a_bulk_action(request, action_type, objects, action):
    """Wagtail's bulk move and delete of pages (the page listing's "Move", "Delete") do not ask
    the cascade hook above: the versions that follow each original are worked out here, a
    bulk move refused where a version's slug is taken, and moved or deleted after it."""
    if action_type not in ("move", "delete") or not all(isinstance(o, Page) for o in objects):
        return None
    if action_type == "move":
        destination = action.cleaned_form.cleaned_data["chooser"]
        moves = {page: version_moves(page, destination) for page in objects}
        for page, planned in moves.items():
            taken = languages_with_slug_taken(planned)
            if taken:
                _say_slug_taken(request, page, taken)
                return redirect(action.next_url or "wagtailadmin_explore_root")
        request.procura_following = [move for planned in moves.values() for move in planned]
    else:
        request.procura_following_deletes = [
            pk for page in objects for pk in versions_outside(page)
        ]
    return None


@hooks.register("after_bulk_action")
def bulk_action_followed_by_the_versions(request, action_type, objects, action):
    for version, parent in getattr(request, "procura_following", ()):
        MovePageAction(
            Page.objects.get(pk=version.pk),
            Page.objects.get(pk=parent.pk),
            pos="last-child",
            user=request.user,
        ).execute()
    delete_versions(getattr(request, "procura_following_deletes", ()), request.user)
    return None


@hooks.register("before_delete_page")
def versions_to_go_with_a_page(request, page):
    """Wagtail's delete view deletes the versions of the page that sit beside it in their
    trees (named by the cascade hook above); those of it or of its subpages that sit
    elsewhere (moved on their own) are deleted after it."""
    request.procura_following_deletes = versions_outside(page)


@hooks.register("after_delete_page")
def versions_gone_with_a_page(request, page):
    delete_versions(getattr(request, "procura_following_deletes", ()), request.user)


@hooks.register("procura_page_notices")
def fallback_notice(request, page):
    """Tell visitors when a page is shown in its original language for want of a translation."""
    source = fallback_source(page)
    if source is None:
        return []
    # Translators: shown on /<your language>/ pages that are not translated yet. Name your
    # own language in place of "this language"; %(original)s is the original's language.
    message = _(
        "This page is not yet available in this language. "
        "You are reading the original version (%(original)s)."
    ) % {"original": language_name_translated(source.locale.language_code)}
    # The languages it can be read in: the original and its published translations.
    links = [
        link
        for link in (request_language_links(request, page) if request is not None else [])
        if link["translated"] and not link["is_current"]
    ]
    return [{"kind": "fallback", "message": message, "links": links}]


@hooks.register("procura_setup_site")
def tag_name_permissions(stdout=None):
    """Editors name the tags in every language. Translators name them in their own
    languages only: their groups get the permissions with their roles (translations/roles.py),
    the names of other languages are closed to them (translations/middleware.py, and the
    form's choice of language in home/snippet_views.py)."""
    from django.contrib.auth.models import Group, Permission

    editors, _created = Group.objects.get_or_create(name="Editors")  # translations/roles.py
    editors.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="home",
            codename__in=[f"{action}_tagname" for action in ("add", "change", "delete")],
        )
    )


@hooks.register("procura_smoke_urls")
def smoke_urls():
    return ["/en/topics/", "/de/topics/energy/", "/en/tags/heat-pumps/", "/health/"]
