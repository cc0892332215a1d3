"""Building large benchmark corpora fast: pages written in bulk, with correct tree paths.

Creating 50,000 pages one by one through Wagtail takes most of an hour; the benchmarks are
about reading them, so pages are inserted in bulk (Page rows with computed tree paths, then
the page type's own table). Text comes from the demo content in the page's language where
there is some, so the analysers see real words.
"""

import datetime
import json
import random
import re
import uuid
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone
from django.utils.html import strip_tags
from wagtail.models import Locale, Page, Revision

ROOT = Path(__file__).resolve().parents[1]
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def child_path(parent_path, position):
    """Wagtail's materialised path of the `position`-th child (1-based) of a parent."""
    digits = ""
    number = position
    while number:
        number, rest = divmod(number, 36)
        digits = ALPHABET[rest] + digits
    return parent_path + digits.rjust(Page.steplen, "0")


def sentences_by_language():
    """Sentences of the demo content per language (English for languages it lacks)."""
    data = json.loads((ROOT / "demo" / "content.json").read_text(encoding="utf-8"))
    found = {}

    def add(language, html):
        text = strip_tags(html or "")
        for sentence in re.split(r"(?<=[.!?])\s+", text):
            words = sentence.split()
            if 6 <= len(words) <= 40:
                found.setdefault(language, []).append(sentence.strip())

    for section in ("case_studies", "manual_chapters", "news", "pages"):
        for record in data.get(section, []):
            add("en", record.get("body_html"))
            add("en", record.get("summary"))
            for language, fields in record.get("translations", {}).items():
                add(language, fields.get("body_html"))
                add(language, fields.get("summary"))
    english = found["en"]
    return {code: found.get(code) or english for code, _name in settings.LANGUAGES}


class TextMaker:
    def __init__(self, seed=7):
        self.random = random.Random(seed)
        self.sentences = sentences_by_language()

    def title(self, language):
        words = self.random.choice(self.sentences[language]).rstrip(".").split()
        return " ".join(words[: self.random.randint(5, 9)])

    def paragraph(self, language, count):
        return " ".join(self.random.choice(self.sentences[language]) for _ in range(count))

    def body(self, language, paragraphs=6):
        blocks = []
        for n in range(paragraphs):
            text = self.paragraph(language, 4)
            blocks.append({"type": "paragraph", "value": f"<p>{text}</p>", "id": str(uuid.uuid4())})
            if n == 2:
                blocks.append(
                    {
                        "type": "heading",
                        "id": str(uuid.uuid4()),
                        "value": {"text": self.title(language), "level": "h2"},
                    }
                )
        return json.dumps(blocks)


def locale_parent(model, language, title, slug):
    """A real (not a fallback) listing page of `model` under the home page of `language`."""
    locale = Locale.objects.get(language_code=language)
    home = Page.objects.get(depth=2, locale=locale).specific
    existing = model.objects.filter(locale=locale, slug=slug, depth=3).first()
    if existing:
        return existing
    parent = model(title=title, slug=slug, locale=locale)
    home.add_child(instance=parent)
    parent.save_revision().publish()
    return parent


@transaction.atomic
def bulk_pages(parent, model, rows, table_columns):
    """Insert pages of `model` under `parent`: `rows` are (title, slug, own fields) tuples.

    `table_columns` names the model's own table columns, in the order of the own fields.
    """
    content_type = ContentType.objects.get_for_model(model)
    start = parent.numchild
    now = timezone.now()
    pages = []
    for offset, (title, slug, _own) in enumerate(rows, start=1):
        pages.append(
            Page(
                title=title,
                draft_title=title,
                slug=slug,
                content_type=content_type,
                path=child_path(parent.path, start + offset),
                depth=parent.depth + 1,
                numchild=0,
                url_path=f"{parent.url_path}{slug}/",
                live=True,
                has_unpublished_changes=False,
                locale_id=parent.locale_id,
                translation_key=uuid.uuid4(),
                first_published_at=now,
                last_published_at=now,
                latest_revision_created_at=now,
            )
        )
    created = Page.objects.bulk_create(pages, batch_size=1000)
    if connection.vendor != "postgresql":  # SQLite returns no ids from bulk inserts
        created = list(Page.objects.filter(path__in=[p.path for p in pages]).order_by("path"))
    table = model._meta.db_table
    # The model's other required columns take their defaults (a field added to a page type,
    # an image's "decorative" box say, needs no change here).
    defaults = {
        field.column: field.get_default()
        for field in model._meta.local_concrete_fields
        if not field.null and not field.primary_key and field.column not in table_columns
    }
    names = ["page_ptr_id", *table_columns, *defaults]
    columns = ", ".join(names)
    marks = ", ".join(["%s"] * len(names))
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} ({columns}) VALUES ({marks})",  # noqa: S608 (fixed names)
            [
                (page.pk, *own, *defaults.values())
                for page, (_t, _s, own) in zip(created, rows, strict=True)
            ],
        )
    _live_revisions(created, content_type, now)
    Page.objects.filter(pk=parent.pk).update(numchild=start + len(rows))
    parent.numchild = start + len(rows)
    return [p.pk for p in created]


def _live_revisions(pages, content_type, now):
    """A published revision per page, as publishing would leave it. Without one, a page in a
    language other than the default looks like a translation never published, a fallback page for
    its original (home/languages/i18n.py), and would be indexed and shown as such."""
    page_type = ContentType.objects.get_for_model(Page)
    revisions = Revision.objects.bulk_create(
        [
            Revision(
                content_type=content_type,
                base_content_type=page_type,
                object_id=str(page.pk),
                object_str=page.title,
                created_at=now,
                content={"pk": page.pk, "title": page.title},
            )
            for page in pages
        ],
        batch_size=1000,
    )
    if connection.vendor != "postgresql":
        revisions = Revision.objects.filter(
            base_content_type=page_type, object_id__in=[str(p.pk) for p in pages]
        )
    with connection.cursor() as cursor:
        cursor.executemany(
            "UPDATE wagtailcore_page SET live_revision_id = %s, latest_revision_id = %s "
            "WHERE id = %s",
            [(r.pk, r.pk, int(r.object_id)) for r in revisions],
        )


def analyze():
    """Fresh planner statistics and no dead rows after a bulk load, as autovacuum would leave
    the tables of a running site (it is off on this machine's PostgreSQL)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE)")


def random_date(rand, start_year=2016, end_year=2026):
    start = datetime.date(start_year, 1, 1).toordinal()
    end = datetime.date(end_year, 11, 1).toordinal()
    return datetime.date.fromordinal(rand.randint(start, end))
