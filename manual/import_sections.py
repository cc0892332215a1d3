"""Import sections for the Procura+ Manual: the book and its chapters (which may nest)."""

from django.core.exceptions import ValidationError

from importer.importing import (
    Field,
    ImportFileError,
    PageSection,
    find_page,
    html,
    number,
    text,
)
from importer.models import ImportRecord
from importer.sections import check_reference, home_page

from .models import ManualChapterPage, ManualPage


class ManualSection(PageSection):
    name = "manual"
    order = 30
    model = ManualPage
    creates_pages = True
    fields = [
        Field("title", text(max_length=255, required=True), "title", translatable=True),
        Field("slug", text(max_length=255), "slug"),
        Field("summary", text(max_length=600), "summary", translatable=True),
        Field("edition", text(max_length=80), "edition", translatable=True),
        Field("year", number(minimum=2000, maximum=2100, integer=True), "year"),
        Field("body_html", html(), None, translatable=True),
    ]

    def get_parent(self, record, ctx, locale):
        return home_page(locale).specific


class ManualChapterSection(PageSection):
    """Chapters are created in the order of their numbers, which is their order in the tree."""

    name = "manual_chapters"
    order = 50
    model = ManualChapterPage
    creates_pages = True
    fields = [
        Field("number", number(minimum=0, integer=True, required=True), None),
        Field("parent", text(), None),
        Field("manual", text(), None),
        Field("title", text(max_length=255, required=True), "title", translatable=True),
        Field("slug", text(max_length=255), "slug"),
        Field("summary", text(max_length=600), "summary", translatable=True),
        Field("body_html", html(), None, translatable=True),
    ]

    def validate(self, records, ctx):
        super().validate(records, ctx)
        keys = {r["key"]: r for r in records}
        for index, record in enumerate(records):
            parent = record.get("parent")
            if parent:
                if parent not in keys:
                    check_reference(
                        f"manual_chapters:{parent}", ctx, self.where(index, record), "parent"
                    )
                seen = {record["key"]}
                while parent in keys:  # a chapter cannot be its own ancestor
                    if parent in seen:
                        raise ImportFileError(
                            "chapters' parents form a loop", self.where(index, record), "parent"
                        )
                    seen.add(parent)
                    parent = keys[parent].get("parent")

    def apply(self, records, ctx):
        # Parents before children; siblings by number.
        by_key = {r["key"]: r for r in records}

        def depth(record):
            n, parent = 0, record.get("parent")
            while parent in by_key:
                n, parent = n + 1, by_key[parent].get("parent")
            return n

        ordered = sorted(records, key=lambda r: (depth(r), r.get("number", 0)))
        super().apply(ordered, ctx)

    def get_parent(self, record, ctx, locale):
        if record.get("parent"):
            parent = find_page(self.name, record["parent"], locale)
            if parent is None:
                # Deleted in the CMS since it was imported, or a chapter of another language.
                missing = f'chapter "{record["parent"]}" has no page in {locale.language_code}'
                raise ValidationError({"parent": missing})
            return parent.specific
        if record.get("manual"):
            found = ImportRecord.objects.filter(kind="manual", key=record["manual"]).first()
            if found is None:
                raise ImportFileError(f'no manual record "{record["manual"]}"')
            return ManualPage.objects.get(translation_key=found.translation_key, locale=locale)
        book = ManualPage.objects.filter(locale=locale, alias_of__isnull=True).first()
        if book is None:
            book = ManualPage(title="The Procura+ Manual", slug="manual", locale=locale)
            home_page(locale).specific.add_child(instance=book)
            book.save_revision().publish()
        return book
