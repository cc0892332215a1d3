"""The base every public page type builds on, and the contract pages keep with search.

`BasePage.indexed_content()` is all the `search` app knows of a page: the text it gives to
the index and the values it can be filtered by. Page types extend it; search never imports them.
"""

import datetime
from dataclasses import dataclass, field

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page, PageManager, PageViewRestriction
from wagtail.query import PageQuerySet
from wagtail.search import index

from home.blocks import stream_text
from home.forms import TaxonomyPageForm
from home.languages.drafts import KeepLiveContentMixin
from home.languages.fallback_updates import copying_now, queue_copy
from home.languages.i18n import default_locale, shows_own_text
from home.routing import page_url
from home.terms import terms_in_language, translatable_taxonomies
from home.visibility import original_of, restricted_q, visible


@dataclass
class IndexedContent:
    """What a page gives to the public search index."""

    title: str
    summary: str = ""
    body: str = ""
    date: datetime.date | None = None
    # Filter name -> values (slugs, codes, years as text); e.g. {"topic": ["food"]}.
    filters: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class PageSummary:
    """A short description of a page for listings and cards, independent of its type."""

    title: str
    url: str
    summary: str
    kind: str


class VisiblePageQuerySet(PageQuerySet):
    """Wagtail's page queryset, with the rule of who may see a page (home/visibility.py).

    `visible()` keeps the pages an anonymous visitor may see now. `public()` keeps Wagtail's
    meaning (no view restriction governs the page) but, as Wagtail's own page serving does,
    looks through a fallback page (alias) to its original's restrictions.
    """

    def private_q(self):
        return restricted_q()

    def visible(self):
        return visible(self)


class BasePage(KeepLiveContentMixin, Page):
    """Shared fields and behaviour of every public page type."""

    objects = PageManager.from_queryset(VisiblePageQuerySet)()

    summary = models.TextField(
        _("summary"),
        blank=True,
        max_length=600,
        help_text=_("One or two sentences shown in listings, search results and link previews."),
    )

    # Subclasses set these to take part in listings that span content types. A type listed
    # on the home page has a section there: its heading, its place among the sections and
    # how many cards it shows (`home_listing` chooses and orders them).
    listed_on_home = False
    home_heading = None
    home_position = 0
    home_limit = 3
    # The page types a page lists (its children, say): a change to any page of those types
    # changes it (home/cache.py).
    listed_types = ()
    # Relations `indexed_content()` reads, fetched for many pages at once when indexing.
    search_prefetch = ()

    search_fields = [*Page.search_fields, index.SearchField("summary")]
    content_panels = [*Page.content_panels, FieldPanel("summary")]
    # Topics and approaches offered in the page's own language (home/forms.py).
    base_form_class = TaxonomyPageForm

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.link_terms_in_own_language()
        return super().save(*args, **kwargs)

    @property
    def kind_label(self):
        return self._meta.verbose_name

    @classmethod
    def home_listing(cls, pages):
        """The pages of this type the home page's section shows, in order: `pages` are the
        visible ones of the home page's language. Newest first unless a type says otherwise."""
        return pages.order_by(models.F("first_published_at").desc(nulls_last=True), "-pk")

    @classmethod
    def home_featured(cls, pages):
        """The pages of this type the home page features, in order, where editors chose none
        (`pages` as for `home_listing`); None where the type offers none."""
        return None

    @property
    def listing_date(self):
        """The date a card shows: the day the page was first published, unless a type has a
        date of its own (a news item's, an event's start)."""
        if self.first_published_at is None:
            return None
        return timezone.localdate(self.first_published_at)

    @property
    def listed_until(self):
        """When the page leaves the listings that show it (an event, once it has ended), or
        None: they cache it no longer than that."""
        return None

    def update_aliases(self, *, revision=None, _content=None, _updated_ids=None):
        """Wagtail's copy of a publication into the fallback pages, queued as a task when a
        publish asks for it (home/languages/fallback_updates.py); aliases of aliases as
        Wagtail does."""
        if _updated_ids is None and not copying_now:
            queue_copy(self, revision)
            return
        super().update_aliases(revision=revision, _content=_content, _updated_ids=_updated_ids)

    def get_view_restrictions(self):
        """Wagtail's restrictions of the page (its own or, as an alias, the page it shows,
        and its ancestors'), and those that govern the page it shows and that page's original
        (home/visibility.py, rule 3): where the trees of the languages differ, or an alias
        sits in another section than its page, their audience still holds. Wagtail asks this
        before serving the page, as the admin does to show the page's privacy, and when it
        makes a fallback page (of its parent): one query, and one more to find the original
        of a translation or of what an alias shows in another language."""
        own = super().get_view_restrictions()  # reads (and keeps) self.alias_of
        default = default_locale()
        if self.alias_of_id is None and self.locale_id == default.pk:
            return own  # the original itself
        shown = self.alias_of if self.alias_of_id else self
        if shown.alias_of_id is None and shown.locale_id == default.pk:
            original = shown
        else:
            original = original_of(shown)
        governing = {page.pk: page for page in (shown, original) if page is not None}
        governing.pop(self.pk, None)
        if not governing:
            return own
        # Those pages and their ancestors, by their paths (an alias among them answers to the
        # page it is an alias of, as in Wagtail's own method), in the same query.
        paths = [
            page.path[:end]
            for page in governing.values()
            for end in range(Page.steplen, len(page.path) + 1, Page.steplen)
        ]
        on_path = Page.objects.filter(path__in=paths)
        governing = PageViewRestriction.objects.filter(
            models.Q(page__in=on_path.filter(alias_of__isnull=True))
            | models.Q(page__in=on_path.filter(alias_of__isnull=False).values("alias_of"))
        ).exclude(  # a copy of it here asks for the same password: one form, not two
            restriction_type=PageViewRestriction.PASSWORD,
            password__in=own.filter(restriction_type=PageViewRestriction.PASSWORD).values(
                "password"
            ),
        )
        return PageViewRestriction.objects.filter(
            models.Q(pk__in=own.values("pk")) | models.Q(pk__in=governing.values("pk"))
        )

    def serve_preview(self, request, mode_name):
        # Its live revision may still be its original's (a translation never published):
        # a preview shows this draft, with no fallback notice, `lang` or canonical of one.
        shows_own_text(self)
        return super().serve_preview(request, mode_name)

    def get_meta_description(self):
        return self.search_description or self.summary

    def get_url(self, request=None, current_site=None):
        """Wagtail's address of the page, remembered per process (home/routing.py)."""
        if current_site is not None:
            return super().get_url(request, current_site)
        return page_url(self, request)

    url = property(get_url)

    def get_body(self):
        return getattr(self, "body", None)

    def indexed_content(self) -> IndexedContent:
        """The page as the search index sees it; page types add their own filters."""
        return IndexedContent(
            title=self.title,
            summary=self.summary,
            body=stream_text(self.get_body()),
            date=(self.first_published_at.date() if self.first_published_at else None),
            filters={},
        )

    def link_terms_in_own_language(self):
        """Point the page's topics and approaches at its own language's versions of them,
        where translated. wagtail-localize gives a new or synchronised translation its
        original's links (the original language's terms); the admin offers a page its own
        language's terms only (home/forms.py)."""
        if self.locale_id is None:
            return
        for relation in translatable_taxonomies(type(self)):
            linked = list(getattr(self, relation.name).all())
            if any(term.locale_id != self.locale_id for term in linked):
                getattr(self, relation.name).set(terms_in_language(linked, self.locale_id))
