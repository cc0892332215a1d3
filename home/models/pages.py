"""The home page of each language tree and the standard page for About, Join, policies."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page, get_page_models
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField, TranslatableField

from home.blocks import BodyBlock
from home.cache import cache_until, tag
from home.languages.i18n import with_content_language, with_revision_owner
from home.visibility import visible

from .base import BasePage
from .images import (
    HERO_IMAGE_API_FIELDS,
    HERO_IMAGE_TRANSLATABLE_FIELDS,
    HeroImageMixin,
    with_card_images,
)

# Fields every page type shares with Wagtail's Page, grouped as translators meet them.
PAGE_TRANSLATABLE_FIELDS = [
    TranslatableField("title"),
    TranslatableField("seo_title"),
    TranslatableField("search_description"),
    TranslatableField("summary"),
    # One slug in every language keeps /en/news/ and /de/news/ parallel, so the language
    # switcher and feeds have a predictable address in each language.
    SynchronizedField("slug"),
]


class HomePage(HeroImageMixin, BasePage):
    """The root of one language's tree: what the network is and where to go next."""

    hero_heading = models.CharField(_("hero heading"), max_length=200, blank=True)
    intro = models.TextField(_("introduction"), blank=True)
    featured = StreamField(
        [("page", blocks.PageChooserBlock(label=_("Page")))],
        blank=True,
        verbose_name=_("featured pages"),
        help_text=_("Case studies, chapters or news to show first."),
    )
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "home.StandardPage",
        "casestudies.CaseStudyIndexPage",
        "manual.ManualPage",
        "news.NewsIndexPage",
        "news.EventIndexPage",
    ]

    content_panels = [
        *BasePage.content_panels,
        FieldPanel("hero_heading"),
        FieldPanel("intro"),
        HeroImageMixin.hero_image_panel(),
        FieldPanel("featured"),
        FieldPanel("body"),
    ]
    search_fields = [*BasePage.search_fields, index.SearchField("intro")]
    translatable_fields = [
        *PAGE_TRANSLATABLE_FIELDS,
        TranslatableField("hero_heading"),
        TranslatableField("intro"),
        SynchronizedField("featured"),
        TranslatableField("body"),
        *HERO_IMAGE_TRANSLATABLE_FIELDS,
    ]
    api_fields = [*HERO_IMAGE_API_FIELDS]

    class Meta:
        verbose_name = _("home page")
        verbose_name_plural = _("home pages")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        featured = self.featured_pages()
        sections = self.latest_sections(exclude={page.translation_key for page in featured})
        shown = with_card_images(
            [*featured, *(page for _heading, pages in sections for page in pages)]
        )
        context["featured_pages"] = featured
        context["latest_sections"] = sections
        tag(request, *(f"page:{page.translation_key}" for page in featured))
        # An upcoming event leaves the page when it ends: the edge keeps it no longer.
        cache_until(request, [getattr(page, "listed_until", None) for page in shown])
        return context

    @property
    def listed_types(self):
        """The page types the home page lists (the edge cache's `type:` tags of its
        responses: a change to a page of one of them purges it)."""
        return tuple(self._listed_models())

    def _listed_models(self):
        # Wagtail's own Page, among the page models, has no `listed_on_home`.
        listed = [model for model in get_page_models() if getattr(model, "listed_on_home", False)]
        return sorted(listed, key=lambda model: (model.home_position, model._meta.label))

    def _own_visible(self, model):
        """The pages of `model` visitors may see in this page's language tree, each read
        with its live revision's owner (whether it shows its original's text)."""
        return with_revision_owner(
            model.objects.visible().descendant_of(self).filter(locale_id=self.locale_id)
        )

    def featured_pages(self, limit=3):
        """The chosen pages, in this page's language where a translation exists; where none
        are chosen, what the listed types offer (case studies with the highest results)."""
        chosen_ids = [block.value.pk for block in self.featured if block.value]
        if not chosen_ids:
            for model in self._listed_models():
                offered = model.home_featured(self._own_visible(model))
                if offered is not None:
                    return with_content_language(offered[:limit])
            return []
        chosen = Page.objects.filter(pk__in=chosen_ids).values_list("pk", "translation_key")
        keys = dict(chosen)
        localized = {
            page.translation_key: page
            for page in visible(
                Page.objects.filter(translation_key__in=keys.values(), locale_id=self.locale_id)
            ).specific()
        }
        return with_content_language(
            localized[keys[pk]] for pk in chosen_ids if keys.get(pk) in localized
        )

    def latest_sections(self, exclude=()):
        """(heading, pages) for each type listed on the home page: its newest visible pages
        in this page's language (an event type: the next upcoming), leaving out those in
        `exclude` (translation keys of pages already featured)."""
        sections = []
        for model in self._listed_models():
            pages = model.home_listing(self._own_visible(model))
            if exclude:
                pages = pages.exclude(translation_key__in=exclude)
            pages = with_content_language(pages[: model.home_limit])
            if pages:
                sections.append((model.home_heading or model._meta.verbose_name_plural, pages))
        return sections


class StandardPage(BasePage):
    """A page of prose: About, Join the network, the accessibility statement, privacy."""

    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))

    parent_page_types = ["home.HomePage", "home.StandardPage"]
    subpage_types = ["home.StandardPage"]

    content_panels = [*BasePage.content_panels, FieldPanel("body")]
    search_fields = [*BasePage.search_fields, index.SearchField("body")]
    translatable_fields = [*PAGE_TRANSLATABLE_FIELDS, TranslatableField("body")]

    class Meta:
        verbose_name = _("standard page")
        verbose_name_plural = _("standard pages")

    @property
    def kind_label(self):
        return _("Page")
