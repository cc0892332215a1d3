"""Body blocks render accessibly: headings with anchors, images with text alternatives,
quotes, tables with headers, document downloads."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.rich_text import RichText

from tests.factories import StandardPageFactory

pytestmark = pytest.mark.django_db


def png():
    buffer = io.BytesIO()
    PILImage.new("RGB", (40, 30), "green").save(buffer, "PNG")
    return SimpleUploadedFile("bikes.png", buffer.getvalue(), content_type="image/png")


def test_every_block_renders(client, home):
    image = Image.objects.create(
        title="Cargo bikes", file=png(), description="Two cargo bikes in a park"
    )
    image.contextual_alt_text, image.decorative = "", False  # as the editor leaves them
    document = Document.objects.create(
        title="Tender documents", file=SimpleUploadedFile("tender.pdf", b"%PDF-1.4 test")
    )
    StandardPageFactory(
        parent=home,
        slug="blocks",
        title="Blocks",
        body=[
            ("heading", {"text": "Why buy bikes?", "level": "h2"}),
            ("paragraph", RichText("<p>Because they <b>work</b>.</p>")),
            ("image", {"image": image, "caption": "The new fleet"}),
            ("quote", {"quote": "Best decision.", "attribution": "Parks manager"}),
            (
                "table",
                {
                    "data": [["Lot", "Bikes"], ["North", "4"]],
                    "first_row_is_table_header": True,
                    "first_col_is_header": False,
                    "table_caption": "Lots",
                },
            ),
            ("document", {"document": document, "title": ""}),
        ],
    )
    body = client.get("/en/blocks/").content.decode()
    assert '<h2 id="section-why-buy-bikes">Why buy bikes?</h2>' in body
    assert "Because they <b>work</b>." in body
    assert 'alt="Two cargo bikes in a park"' in body
    assert "<figcaption>The new fleet</figcaption>" in body
    assert "<blockquote><p>Best decision.</p></blockquote>" in body
    assert "<caption>Lots</caption>" in body
    assert '<th scope="col">Lot</th>' in body and "<td>North</td>" in body
    assert "Tender documents" in body and "(PDF" in body
