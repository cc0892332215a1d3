"""The public search index: one entry per live page translation, plus its filter values.

Text is stored twice: as written (for snippets and highlighting) and as analysed terms (what
the engines match). On PostgreSQL the terms also fill a weighted `tsvector` with a GIN index;
on SQLite an FTS5 table; on Elasticsearch one index per language (search/engines/).

The glossary (`GlossaryTerm`) is the editors' list of names that mean the same thing across
languages, which searches widen to (search/glossary.py).
"""

import uuid

from django.conf import settings
from django.contrib import admin
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.models import Orderable


class IndexEntry(models.Model):
    page = models.OneToOneField(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="+", verbose_name=_("page")
    )
    locale = models.CharField(_("language tree"), max_length=8)
    language = models.CharField(
        _("language of the text"),
        max_length=8,
        help_text=_("The original's language where the page is an untranslated fallback page."),
    )
    is_fallback = models.BooleanField(_("shown in the original's language"), default=False)
    content_type = models.CharField(_("type"), max_length=100)
    title = models.TextField(_("title"))
    summary = models.TextField(_("summary"), blank=True)
    body = models.TextField(_("body text"), blank=True)
    date = models.DateField(_("date"), null=True, blank=True)
    title_terms = models.TextField(blank=True)
    summary_terms = models.TextField(blank=True)
    body_terms = models.TextField(blank=True)
    # " word word " of the title, accent-folded and unstemmed, for autocomplete by prefix.
    title_words = models.TextField(blank=True)
    # PostgreSQL only (a plain text column elsewhere, never used there); see engines/postgres.
    search_vector = SearchVectorField(null=True, editable=False)
    indexed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("search index entry")
        verbose_name_plural = _("search index entries")
        indexes = [
            models.Index(fields=["locale", "language"], name="search_entry_locale"),
            models.Index(fields=["language", "is_fallback"], name="search_entry_language"),
        ]

    def __str__(self):
        return f"{self.locale}: {self.title}"


class IndexFilter(models.Model):
    """One filter value of an entry: ("topic", "food"), ("country", "BE"), ("year", "2021")."""

    entry = models.ForeignKey(IndexEntry, on_delete=models.CASCADE, related_name="filters")
    # The entry's language tree, repeated here so facet counts read one language's rows.
    locale = models.CharField(max_length=8, default="")
    name = models.CharField(max_length=20)
    value = models.CharField(max_length=100)

    class Meta:
        indexes = [
            models.Index(fields=["name", "value"], name="search_filter_value"),
            models.Index(fields=["locale", "name"], name="search_filter_locale"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["entry", "name", "value"], name="unique_entry_filter")
        ]

    def __str__(self):
        return f"{self.name}={self.value}"


class Vocabulary(models.Model):
    """Words seen in titles and summaries per language, for "did you mean" suggestions."""

    language = models.CharField(max_length=8)
    word = models.CharField(max_length=60)
    frequency = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["language", "word"], name="unique_vocabulary_word")
        ]
        indexes = [models.Index(fields=["language", "word"], name="search_vocabulary_word")]

    def __str__(self):
        return f"{self.language}: {self.word}"


class QueryLog(models.Model):
    """How often a query was searched, per language and day, and how often it found nothing."""

    locale = models.CharField(_("language"), max_length=8)
    query = models.CharField(_("query"), max_length=200)
    day = models.DateField(_("day"))
    searches = models.PositiveIntegerField(_("searches"), default=0)
    without_results = models.PositiveIntegerField(_("searches without results"), default=0)

    class Meta:
        verbose_name = _("search query")
        verbose_name_plural = _("search queries")
        constraints = [
            models.UniqueConstraint(fields=["locale", "query", "day"], name="unique_query_day")
        ]
        indexes = [
            models.Index(fields=["locale", "day"], name="search_querylog_day"),
            # Pruning (manage.py prune_query_log) deletes by day alone.
            models.Index(fields=["day"], name="search_querylog_prune"),
        ]

    def __str__(self):
        return f"{self.locale}: {self.query}"


class PendingIndexUpdate(models.Model):
    """A page whose search index update failed (the engine could not be reached), kept until
    the scheduled worker's retry succeeds (search/indexing.py, `retry_pending`)."""

    # No foreign key: the update of a deleted page (its removal) is kept too.
    page_id = models.IntegerField(unique=True)
    remove = models.BooleanField(default=False)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"{'remove' if self.remove else 'index'} page {self.page_id}"


class GlossaryTerm(ClusterableModel):
    """One thing named differently across languages, with all its names: a place and its
    exonyms (Kraków, Krakau, Cracovie, Krakow). A search for any of them finds every page
    that uses another (search/glossary.py). Place names only, for now; other kinds of term
    (procurement vocabulary) are meant to join them as choices of `kind`."""

    PLACE = "place"
    KINDS = [(PLACE, _("Place name"))]

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("type"), max_length=20, choices=KINDS, default=PLACE)
    # What an import file's record became (importer/importing.py, ImportRecord).
    uuid = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("kind"),
        InlinePanel("variants", heading=_("variants"), min_num=1),
    ]

    class Meta:
        verbose_name = _("glossary term")
        verbose_name_plural = _("glossary terms")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @admin.display(description=_("variants"))
    def variant_list(self):
        return ", ".join(variant.text for variant in self.variants.all())


class GlossaryVariant(Orderable):
    """One way of writing a glossary term: its name in a language, or a spelling of any
    language (without diacritics, say). Forms without diacritics are matched by themselves."""

    term = ParentalKey(GlossaryTerm, on_delete=models.CASCADE, related_name="variants")
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("Empty: a spelling of no particular language, e.g. without diacritics."),
    )
    text = models.CharField(_("name"), max_length=100)

    panels = [FieldPanel("language"), FieldPanel("text")]

    class Meta(Orderable.Meta):
        verbose_name = _("variant")
        verbose_name_plural = _("variants")

    def __str__(self):
        return f"{self.language or '*'}: {self.text}"
