"""Translatable snippets shared by the whole site: topics, the main navigation, the footer."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
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

from home.languages.drafts import KeepLiveContentMixin


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

    def validate_constraints(self, exclude=None):
        """The constraints that name the language (a slug unique per language) are checked
        although the language is no field of the admin's form, which Django would take as a
        reason to skip them: a taken slug is a form error, not a database error."""
        super().validate_constraints(exclude=set(exclude or ()) - {"locale"})


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


LINK_ADDRESS_MESSAGE = _(
    "Enter an address on this site starting with “/” (such as /en/topics/), or a full "
    "address starting with https:// or http://."
)
_absolute_url = URLValidator(schemes=["http", "https"], message=LINK_ADDRESS_MESSAGE)


def validate_link_address(value):
    """An address of this site ("/en/topics/") or an absolute http(s) URL; nothing else."""
    if value.startswith("/") and not value.startswith("//"):
        if any(c.isspace() for c in value):
            raise ValidationError(LINK_ADDRESS_MESSAGE, code="invalid")
        return
    _absolute_url(value)


class LinkAddressBlock(blocks.URLBlock):
    """A URLBlock that also takes addresses of this site ("/en/topics/"), so that links to
    its own views (topics, search) need no host name. Still a URLBlock for wagtail-localize:
    translators may give another address per language rather than translating it."""

    def __init__(self, required=True, help_text=None, max_length=None, **kwargs):
        super().__init__(required=required, help_text=help_text, max_length=max_length, **kwargs)
        self.field = forms.CharField(
            required=required,
            help_text=help_text,
            max_length=max_length,
            validators=[validate_link_address],
        )


class LinkBlock(blocks.StructBlock):
    label = blocks.CharBlock(label=_("Label"), max_length=80)
    page = blocks.PageChooserBlock(label=_("Page"), required=False)
    url = LinkAddressBlock(
        label=_("Or an address"),
        required=False,
        help_text=_(
            "For a page of this site, choose the page: each language then links to its own "
            "version. An address of this site that starts with a language (/en/…) leads "
            "each visitor to the same address in their own language."
        ),
    )

    class Meta:
        icon = "link"
        label = _("Link")

    def clean(self, value):
        value = super().clean(value)
        if not value.get("page") and not value.get("url"):
            raise blocks.StructBlockValidationError(
                block_errors={
                    "page": ValidationError(_("Choose a page or enter an address.")),
                }
            )
        return value


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
