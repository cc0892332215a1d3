"""The whole Manual on one page: headings in one outline (WCAG 1.3.1), each chapter's body
below its own title whatever its depth in the book, and ids that stay unique (the book's own
introduction, the chapters, the layout), with every table of contents leading to them."""

import pytest
from bs4 import BeautifulSoup

from home.blocks import heading_anchors, table_of_contents
from manual.models import ManualChapterPage
from tests.factories import ManualChapterPageFactory, ManualPageFactory

pytestmark = pytest.mark.django_db

HEADINGS = ["h1", "h2", "h3", "h4", "h5", "h6"]


def sections(*titles):
    """A body of an h2 and an h3 heading per title, each with a paragraph."""
    blocks = []
    for title in titles:
        blocks.append(("heading", {"text": title, "level": "h2"}))
        blocks.append(("paragraph", f"<p>About {title}.</p>"))
        blocks.append(("heading", {"text": f"{title} in detail", "level": "h3"}))
        blocks.append(("paragraph", f"<p>More about {title}.</p>"))
    return blocks


@pytest.fixture
def book(home):
    book = ManualPageFactory(
        parent=home,
        # The introduction names chapters, and a heading as the layout's main content.
        body=sections("Chapter 1", "Main"),
    )
    why = ManualChapterPageFactory(parent=book, title="Why", slug="why", body=sections("Why"))
    strategy = ManualChapterPageFactory(
        parent=book, title="Strategy", slug="strategy", body=sections("Plan")
    )
    commitment = ManualChapterPageFactory(
        parent=strategy, title="Commitment", slug="commitment", body=sections("Why commit")
    )
    ManualChapterPageFactory(
        parent=commitment, title="Mandate", slug="mandate", body=sections("Council vote")
    )
    ManualChapterPageFactory(
        parent=strategy,
        title="Targets",
        slug="targets",
        body=sections("Targets", "Targets"),  # the same heading twice
    )
    return {"book": book, "why": why}


def whole(client):
    response = client.get("/en/manual/whole/")
    assert response.status_code == 200
    return BeautifulSoup(response.content.decode(), "html.parser")


def level(heading):
    return int(heading.name[1])


def test_the_outline_skips_no_level(client, book):
    page = whole(client)
    levels = [level(h) for h in page.find("main").find_all(HEADINGS)]
    assert levels[0] == 1
    for before, after in zip(levels, levels[1:], strict=False):
        assert after <= before + 1, levels


def test_each_chapters_title_and_body_are_placed_by_its_level_in_the_book(client, book):
    page = whole(client)
    found = {}
    for section in page.select("section.print-chapter"):
        title, *body = section.find_all(HEADINGS)
        assert title["id"] == section["aria-labelledby"]
        number = title["id"].removeprefix("chapter-")
        found[number] = (level(title), sorted({level(h) for h in body}))
        # Below the chapter's own title, every one of its headings.
        assert all(level(h) > level(title) for h in body), section["aria-labelledby"]
    assert found == {
        "1": (2, [3, 4]),  # Why
        "2": (2, [3, 4]),  # Strategy
        "2.1": (3, [4, 5]),  # Commitment
        "2.1.1": (4, [5, 6]),  # Mandate
        "2.2": (3, [4, 5]),  # Targets
    }


def test_ids_are_unique_and_the_layouts_and_chapters_keep_theirs(client, book):
    page = whole(client)
    ids = [element["id"] for element in page.find_all(id=True)]
    assert len(ids) == len(set(ids)), sorted(ids)
    assert page.find(id="main").name == "main"
    # "Chapter 1", a heading of the introduction, is not chapter 1.
    assert page.find(id="chapter-1").get_text(strip=True) == "1 Why"
    introduction = [h["id"] for h in page.select(".manual-whole > .stream-body h2")]
    assert introduction == ["section-introduction-chapter-1", "section-introduction-main"]


def test_every_link_within_the_page_leads_to_one_heading(client, book):
    page = whole(client)
    targets = [a["href"][1:] for a in page.find("main").select('a[href^="#"]')]
    assert len(targets) == 5  # the contents, one per chapter
    for target in targets:
        (element,) = page.find_all(id=target)
        assert element.name in HEADINGS


def test_a_chapters_table_of_contents_leads_to_its_headings(client, book):
    response = client.get("/en/manual/strategy/targets/")
    page = BeautifulSoup(response.content.decode(), "html.parser")
    links = page.select("nav.chapter-toc a")
    assert [a["href"] for a in links] == [
        "#section-targets",
        "#section-targets-in-detail",
        "#section-targets-2",
        "#section-targets-in-detail-2",
    ]
    for link in links:
        (heading,) = page.find_all(id=link["href"][1:])
        assert heading.name in HEADINGS and heading.get_text() == link.get_text()


def test_anchors_have_a_start_of_their_own_and_the_bodys_prefix(book):
    chapter = ManualChapterPage.objects.get(slug="targets")
    anchors = heading_anchors(chapter.body)
    assert list(anchors.values()) == [
        "section-targets",
        "section-targets-in-detail",
        "section-targets-2",
        "section-targets-in-detail-2",
    ]
    assert [entry["anchor"] for entry in table_of_contents(chapter.body)] == list(anchors.values())
    prefixed = heading_anchors(chapter.body, prefix="chapter-2.2")
    assert list(prefixed.values())[0] == "section-chapter-2.2-targets"
