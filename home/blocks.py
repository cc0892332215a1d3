"""StreamField blocks shared by every page type's body.

Each block renders accessible HTML and gives its text to translators (wagtail-localize) and to
the search index (`stream_text`).
"""

import re
from html import unescape

from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock as WagtailTableBlock
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageBlock
from wagtail_localize.segments import StringSegmentValue

RICH_TEXT_FEATURES = ["bold", "italic", "link", "document-link", "ol", "ul", "hr"]


class HeadingBlock(blocks.StructBlock):
    """A section heading; its anchor comes from its text, so translations get their own."""

    text = blocks.CharBlock(label=_("Heading"), max_length=200)
    level = blocks.ChoiceBlock(
        choices=[("h2", _("Section (level 2)")), ("h3", _("Subsection (level 3)"))],
        default="h2",
        label=_("Level"),
    )

    class Meta:
        icon = "title"
        label = _("Heading")
        template = "blocks/heading.html"


class CaptionedImageBlock(blocks.StructBlock):
    image = ImageBlock(label=_("Image"))
    caption = blocks.CharBlock(required=False, max_length=300, label=_("Caption"))

    class Meta:
        icon = "image"
        label = _("Image")
        template = "blocks/image.html"


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock(label=_("Quote"))
    attribution = blocks.CharBlock(required=False, max_length=200, label=_("Attribution"))

    class Meta:
        icon = "openquote"
        label = _("Quote")
        template = "blocks/quote.html"


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Document"))
    title = blocks.CharBlock(
        required=False,
        max_length=200,
        label=_("Link text"),
        help_text=_("Defaults to the document's title."),
    )

    class Meta:
        icon = "doc-full"
        label = _("Document download")
        template = "blocks/document.html"


class TableBlock(WagtailTableBlock):
    """Wagtail's table editor, with every cell and the caption offered to translators."""

    class Meta:
        icon = "table"
        label = _("Table")
        template = "blocks/table.html"

    def translatable_segment_label(self, path):
        """Where a string of the table is, for translators (translations/context.py)."""
        if path == "caption":
            return str(_("Caption"))
        cell = re.fullmatch(r"r(\d+)c(\d+)", path)
        if cell is None:
            return path
        return str(
            _("Row %(row)d, column %(column)d")
            % {"row": int(cell.group(1)) + 1, "column": int(cell.group(2)) + 1}
        )

    def get_translatable_segments(self, value):
        if not value:
            return []
        segments = []
        if value.get("table_caption"):
            segments.append(StringSegmentValue("caption", value["table_caption"]))
        for row_index, row in enumerate(value.get("data") or []):
            for col_index, cell in enumerate(row):
                if cell not in (None, ""):
                    segments.append(StringSegmentValue(f"r{row_index}c{col_index}", str(cell)))
        return segments

    def restore_translated_segments(self, value, segments):
        value = dict(value)
        data = [list(row) for row in value.get("data") or []]
        for segment in segments:
            text = segment.render_text()
            if segment.path == "caption":
                value["table_caption"] = text
                continue
            row, col = segment.path[1:].split("c")
            data[int(row)][int(col)] = text
        value["data"] = data
        return value


class BodyBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(
        features=RICH_TEXT_FEATURES, label=_("Text"), template="blocks/paragraph.html"
    )
    heading = HeadingBlock()
    image = CaptionedImageBlock()
    quote = QuoteBlock()
    table = TableBlock()
    document = DocumentBlock()
    embed = EmbedBlock(
        label=_("Embedded media"),
        template="blocks/embed.html",
        help_text=_("A link to a video or slides, e.g. on YouTube or Vimeo."),
    )

    class Meta:
        block_counts = {}


# Every heading anchor starts so, and no id of the layout does (`main`, `site-menu`, the
# `…-heading` of each section, the whole Manual's `chapter-2.1`…): a heading "Main" or
# "Chapter 1" gets an anchor of its own rather than a second element with the layout's id.
ANCHOR_START = "section"


def heading_anchors(stream_value, prefix=""):
    """Return {block id: anchor} for every heading, unique within the page.

    Anchors read `section-<prefix>-<heading text>`; `prefix` keeps anchors unique where
    several bodies share a page (the whole Manual: each chapter's, and the book's own).
    """
    start = "-".join(part for part in (ANCHOR_START, prefix) if part)
    anchors = {}
    seen = set()
    for block in stream_value or []:
        if block.block_type != "heading":
            continue
        base = f"{start}-{slugify(block.value['text'], allow_unicode=True) or 'heading'}"
        anchor, n = base, 2
        while anchor in seen:
            anchor, n = f"{base}-{n}", n + 1
        seen.add(anchor)
        anchors[block.id] = anchor
    return anchors


def table_of_contents(stream_value):
    """The headings of a body as (anchor, text, level) for an in-page table of contents."""
    anchors = heading_anchors(stream_value)
    return [
        {"anchor": anchors[block.id], "text": block.value["text"], "level": block.value["level"]}
        for block in stream_value or []
        if block.block_type == "heading"
    ]


TAG_RE = re.compile(r"<[^>]*>")


def html_text(html):
    """The text of a rich-text fragment (Wagtail's own well-formed HTML)."""
    return unescape(TAG_RE.sub(" ", html or ""))


def stream_text(stream_value):
    """The plain text of a body, in reading order, for the search index and feeds.

    Read from the stored form: no block is converted to Python, and no database query is
    made (a document download counts with its link text), which keeps indexing fast.
    """
    parts = []
    for block in getattr(stream_value, "raw_data", stream_value) or []:
        kind, value = block.get("type"), block.get("value")
        if kind == "paragraph":
            parts.append(html_text(value))
        elif kind == "heading":
            parts.append(value.get("text", ""))
        elif kind == "quote":
            parts.extend([value.get("quote", ""), value.get("attribution") or ""])
        elif kind == "image":
            parts.append(value.get("caption") or "")
        elif kind == "table":
            parts.append(value.get("table_caption") or "")
            parts.extend(str(c) for row in value.get("data") or [] for c in row if c)
        elif kind == "document":
            parts.append(value.get("title") or "")
    return "\n".join(p.strip() for p in parts if p and p.strip())
