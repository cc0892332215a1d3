"""The Manual: chapters numbered from the tree, tables of contents, navigation, whole book."""

import re

import pytest
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import rich_text

from home.models import HomePage, StandardPage
from manual.models import ManualChapterPage, ManualPage
from tests.factories import ManualChapterPageFactory, ManualPageFactory
from tests.utils import edit_form_data


@pytest.fixture
def book(home):
    book = ManualPageFactory(parent=home)
    why = ManualChapterPageFactory(parent=book, title="Why", slug="why")
    strategy = ManualChapterPageFactory(parent=book, title="Strategy", slug="strategy")
    ManualChapterPageFactory(parent=strategy, title="Commitment", slug="commitment")
    ManualChapterPageFactory(parent=strategy, title="Targets", slug="targets")
    ManualChapterPageFactory(parent=book, title="Tender", slug="tender")
    return {"book": book, "why": why, "strategy": strategy}


@pytest.mark.django_db
def test_chapters_are_numbered_from_their_order_in_the_tree(book):
    outline = [(c.title, number, level) for c, number, level in book["book"].outline()]
    assert outline == [
        ("Why", "1", 1),
        ("Strategy", "2", 1),
        ("Commitment", "2.1", 2),
        ("Targets", "2.2", 2),
        ("Tender", "3", 1),
    ]


@pytest.mark.django_db
def test_moving_a_chapter_renumbers_the_book(book):
    tender = ManualChapterPage.objects.get(slug="tender")
    tender.move(book["why"], pos="left")
    numbers = {c.title: n for c, n, _level in book["book"].outline()}
    assert numbers["Tender"] == "1"
    assert numbers["Why"] == "2"
    assert numbers["Targets"] == "3.2"


@pytest.mark.django_db
def test_chapter_has_toc_breadcrumb_and_neighbours(client, book):
    response = client.get("/en/manual/strategy/commitment/")
    body = response.content.decode()
    assert response.status_code == 200
    assert '<span class="chapter__number">2.1</span> Commitment' in body
    # Table of contents from the chapter's own headings, anchored.
    assert '<a href="#section-political-commitment">Political commitment</a>' in body
    assert '<h2 id="section-political-commitment">Political commitment</h2>' in body
    # Previous and next in reading order, across levels.
    assert re.search(r'href="/en/manual/strategy/" rel="prev">.*?2 Strategy', body, re.S)
    assert re.search(r'href="/en/manual/strategy/targets/" rel="next">.*?2.2 Targets', body, re.S)
    # Breadcrumb: Home › Manual › Strategy › Commitment.
    crumbs = re.search(r'<nav class="breadcrumbs.*?</nav>', body, re.S).group(0)
    assert re.findall(r'<a href="([^"]+)"', crumbs) == [
        "/en/",
        "/en/manual/",
        "/en/manual/strategy/",
        "/en/manual/strategy/commitment/",
    ]


@pytest.mark.django_db
def test_first_and_last_chapters_have_one_neighbour(client, book):
    first = client.get("/en/manual/why/").content.decode()
    assert 'rel="prev"' not in first and 'rel="next"' in first
    last = client.get("/en/manual/tender/").content.decode()
    assert 'rel="next"' not in last and 'rel="prev"' in last


@pytest.mark.django_db
def test_book_lists_chapters_and_whole_view_has_every_chapter(client, book):
    body = client.get("/en/manual/").content.decode()
    assert body.count('class="outline__item') == 5
    assert 'href="/en/manual/whole/"' in body
    whole = client.get("/en/manual/whole/")
    assert whole.status_code == 200
    text = whole.content.decode()
    for number, title in [("1", "Why"), ("2.1", "Commitment"), ("3", "Tender")]:
        assert f"{number} {title}</h" in text
    # Headings of different chapters stay unique on the one page.
    ids = re.findall(r' id="([^"]+)"', text)
    assert len(ids) == len(set(ids))
    assert 'media="print"' in text


@pytest.mark.django_db
def test_query_count_of_a_chapter_does_not_grow_with_the_book(client, home):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    book = ManualPageFactory(parent=home)
    first = ManualChapterPageFactory(parent=book, title="First", slug="first")

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/en/manual/first/").status_code == 200
        return len(captured)

    client.get("/en/manual/first/")
    small = queries()
    for n in range(20):
        ManualChapterPageFactory(parent=book if n % 2 else first, title=f"C{n}", slug=f"c{n}")
    assert queries() == small


class ManualPageTypeTests(WagtailPageTestCase):
    def setUp(self):
        self.home = HomePage.objects.get(depth=2, locale__language_code="en")
        self.user = self.login()

    def test_where_books_and_chapters_go(self):
        self.assertAllowedParentPageTypes(ManualPage, {HomePage})
        self.assertAllowedSubpageTypes(ManualPage, {ManualChapterPage})
        self.assertAllowedParentPageTypes(ManualChapterPage, {ManualPage, ManualChapterPage})
        self.assertCanNotCreateAt(StandardPage, ManualChapterPage)

    def test_render_edit_preview(self):
        book = ManualPageFactory(parent=self.home)
        chapter = ManualChapterPageFactory(parent=book)
        for page in (book, chapter):
            self.client.force_login(self.user)
            data = edit_form_data(self.client, page, body=[("paragraph", rich_text("<p>x</p>"))])
            self.assertPageIsRenderable(page)
            self.assertPageIsEditable(page, post_data=data)
            self.assertPageIsPreviewable(page, post_data=data)
        self.assertPageIsRenderable(book, route_path="/whole/")
