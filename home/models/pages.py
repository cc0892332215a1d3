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
from home.cache import tag
from home.i18n import with_content_language
from home.visibility import visible

from .base import BasePage

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


class HomePage(BasePage):
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
    ]

    class Meta:
        verbose_name = _("home page")
        verbose_name_plural = _("home pages")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["featured_pages"] = self.featured_pages()
        tag(request, *(f"page:{page.translation_key}" for page in context["featured_pages"]))
        context["latest_pages"] = self.latest_pages()
        return context

    @property
    def listed_types(self):
        return tuple(model for model in get_page_models() if model.listed_on_home)

    def featured_pages(self):
        """The chosen pages, in this page's language where a translation exists."""
        chosen_ids = [block.value.pk for block in self.featured if block.value]
        if not chosen_ids:
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

    def latest_pages(self, limit=4):
        """The newest pages of the types that ask to be listed on the home page."""
        listed = [model for model in get_page_models() if getattr(model, "listed_on_home", False)]
        if not listed:
            return []
        return with_content_language(
            visible(Page.objects.descendant_of(self))
            .type(*listed)
            .filter(locale_id=self.locale_id)
            .order_by("-first_published_at", "-pk")  # ties (bulk imports) newest first
            .specific()[:limit]
        )


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
