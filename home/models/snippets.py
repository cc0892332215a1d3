"""Translatable snippets shared by the whole site: topics, the main navigation, the footer."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import (
    DraftStateMixin,
    LockableMixin,
    RevisionMixin,
    TranslatableMixin,
    WorkflowMixin,
)
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField, TranslatableField

from home.drafts import KeepLiveContentMixin


class ModeratedSnippet(
    KeepLiveContentMixin,
    WorkflowMixin,
    DraftStateMixin,
    LockableMixin,
    RevisionMixin,
    TranslatableMixin,
    models.Model,
):
    """A translatable snippet with drafts, revisions and moderation (translators submit,
    editors approve), like pages. Public queries use `.live()` only."""

    class Meta(TranslatableMixin.Meta):
        abstract = True


class Topic(ModeratedSnippet, index.Indexed):
    """A sector or product group (food, energy, ICT…) that case studies and news share."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(
        _("slug"), max_length=80, help_text=_("The same in every language; used in filters.")
    )
    description = models.TextField(_("description"), blank=True)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("description")]
    search_fields = [index.SearchField("name"), index.FilterField("locale_id")]
    translatable_fields = [
        TranslatableField("name"),
        TranslatableField("description"),
        SynchronizedField("slug"),
    ]

    class Meta(ModeratedSnippet.Meta):
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["slug", "locale"], name="unique_topic_slug_per_locale")
        ]

    def __str__(self):
        return self.name


class LinkBlock(blocks.StructBlock):
    label = blocks.CharBlock(label=_("Label"), max_length=80)
    page = blocks.PageChooserBlock(label=_("Page"), required=False)
    url = blocks.URLBlock(label=_("Or an address"), required=False)

    class Meta:
        icon = "link"
        label = _("Link")


class NavigationMenu(ModeratedSnippet):
    """The main navigation in the header; one per language."""

    name = models.CharField(_("name"), max_length=80, default="Main navigation")
    items = StreamField([("link", LinkBlock())], verbose_name=_("links"))

    panels = [FieldPanel("name"), FieldPanel("items")]
    translatable_fields = [SynchronizedField("name"), TranslatableField("items")]

    class Meta(ModeratedSnippet.Meta):
        verbose_name = _("navigation menu")
        verbose_name_plural = _("navigation menus")

    def __str__(self):
        return f"{self.name} ({self.locale.language_code})"


class Footer(ModeratedSnippet):
    """The footer: who we are, how to reach us, and the links every page must carry."""

    name = models.CharField(_("name"), max_length=80, default="Footer")
    about = RichTextField(_("about the network"), features=["bold", "italic", "link"], blank=True)
    links = StreamField([("link", LinkBlock())], verbose_name=_("links"), blank=True)

    panels = [FieldPanel("name"), FieldPanel("about"), FieldPanel("links")]
    translatable_fields = [
        SynchronizedField("name"),
        TranslatableField("about"),
        TranslatableField("links"),
    ]

    class Meta(ModeratedSnippet.Meta):
        verbose_name = _("footer")
        verbose_name_plural = _("footers")

    def __str__(self):
        return f"{self.name} ({self.locale.language_code})"
