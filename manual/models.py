"""The Procura+ Manual: a book of numbered chapters, readable chapter by chapter or whole."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField, TranslatableField

from home.blocks import BodyBlock, table_of_contents
from home.languages.i18n import with_content_language, with_revision_owner
from home.models import BasePage
from home.models.pages import PAGE_TRANSLATABLE_FIELDS
from home.visibility import published_q


class ManualPage(RoutablePageMixin, BasePage):
    """The book: its edition, an introduction, the chapters, and the whole text on one page."""

    edition = models.CharField(
        _("edition"), max_length=80, blank=True, help_text=_("e.g. 3rd edition")
    )
    year = models.PositiveSmallIntegerField(
        _("year"),
        null=True,
        blank=True,
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
    )
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("introduction"))
    pdf = models.ForeignKey(
        "wagtaildocs.Document",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("PDF of the whole Manual"),
    )

    parent_page_types = ["home.HomePage"]
    subpage_types = ["manual.ManualChapterPage"]
    max_count_per_parent = 1

    content_panels = [
        *BasePage.content_panels,
        FieldRowPanel([FieldPanel("edition"), FieldPanel("year")]),
        FieldPanel("body"),
        FieldPanel("pdf"),
    ]
    search_fields = [*BasePage.search_fields, index.SearchField("body")]
    translatable_fields = [
        *PAGE_TRANSLATABLE_FIELDS,
        TranslatableField("edition"),
        TranslatableField("body"),
        SynchronizedField("year"),
        SynchronizedField("pdf"),
    ]
    api_fields = [APIField("summary"), APIField("edition"), APIField("year"), APIField("body")]

    class Meta:
        verbose_name = _("manual")
        verbose_name_plural = _("manuals")

    @property
    def listed_types(self):
        return (ManualChapterPage,)  # the book's outline

    def chapters(self):
        """Every live chapter of this book, in reading order (depth-first), one query."""
        chapters = ManualChapterPage.objects.visible().descendant_of(self)
        return with_revision_owner(chapters).order_by("path")

    def outline(self, chapters=None):
        """[(chapter, "2.3", level)] in reading order; numbers follow the tree order."""
        chapters = with_content_language(self.chapters() if chapters is None else chapters)
        counters = {}
        numbers = {}
        outline = []
        for chapter in chapters:
            parent_path = chapter.path[: -chapter.steplen]
            counters[parent_path] = counters.get(parent_path, 0) + 1
            parent_number = numbers.get(parent_path)
            number = (
                f"{parent_number}.{counters[parent_path]}"
                if parent_number
                else str(counters[parent_path])
            )
            numbers[chapter.path] = number
            outline.append((chapter, number, chapter.depth - self.depth))
        return outline

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["outline"] = self.outline()
        return context

    @path("whole/", name="whole")
    def whole(self, request):
        """The whole Manual on one page, for reading through, printing and saving as PDF."""
        outline = self.outline()
        return TemplateResponse(
            request,
            "manual/manual_whole.html",
            {
                **self.get_context(request),
                "outline": outline,
                "chapters": [
                    {"page": c, "number": n, "level": lvl, "anchor": f"chapter-{n}"}
                    for c, n, lvl in outline
                ],
            },
        )


class ManualChapterPage(BasePage):
    """A chapter (or a section of one); sections nest inside chapters."""

    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))

    parent_page_types = ["manual.ManualPage", "manual.ManualChapterPage"]
    subpage_types = ["manual.ManualChapterPage"]

    content_panels = [*BasePage.content_panels, FieldPanel("body")]
    search_fields = [*BasePage.search_fields, index.SearchField("body")]
    translatable_fields = [*PAGE_TRANSLATABLE_FIELDS, TranslatableField("body")]
    api_fields = [APIField("summary"), APIField("body")]

    class Meta:
        verbose_name = _("manual chapter")
        verbose_name_plural = _("manual chapters")

    @property
    def listed_types(self):
        return (ManualChapterPage,)  # the book's outline

    def book(self):
        """The Manual the chapter is in, where it is published now (Wagtail serves a live
        chapter of an unpublished book, whose title and outline visitors may not see)."""
        return ManualPage.objects.ancestor_of(self).filter(published_q()).first()

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        book = self.book()
        outline = book.outline() if book else []
        position = next((i for i, (c, _n, _l) in enumerate(outline) if c.pk == self.pk), None)
        context.update(
            {
                "book": book,
                "outline": outline,
                "number": outline[position][1] if position is not None else "",
                "previous_chapter": outline[position - 1] if position else None,
                "next_chapter": (
                    outline[position + 1]
                    if position is not None and position + 1 < len(outline)
                    else None
                ),
                "toc": table_of_contents(self.body),
            }
        )
        return context
