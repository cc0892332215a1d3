"""Language of parts (WCAG 3.1.2) on pages showing another language's text, heading order of
the topic and tag listings (1.3.1), and heading anchors that cannot take the layout's ids.

A page not yet translated is served in each language as a fallback page: the original's
text (English here) in an interface in the visitor's language (German here). Only the
elements holding the page's own text (title, summary, body, a card's title link and
summary) may say `lang="en"`; the interface text around them (headings such as "At a
glance", labels, dates, buttons, card kinds) is German and must not be inside them.
"""

import pytest
from bs4 import BeautifulSoup
from taggit.models import Tag
from wagtail.models import Site

from home.languages.trees import synchronize_locale_trees
from home.models import TagName
from tests.factories import (
    CaseStudyIndexPageFactory,
    CaseStudyPageFactory,
    EventIndexPageFactory,
    EventPageFactory,
    ManualChapterPageFactory,
    ManualPageFactory,
    NewsIndexPageFactory,
    NewsPageFactory,
    StandardPageFactory,
    TopicFactory,
    body,
)
from tests.utils import module_data, translate_page

pytestmark = pytest.mark.django_db

# Interface text of the pages below, in the visitor's language whatever the page's text is in.
INTERFACE = [
    "#facts-heading",
    ".facts dt",
    ".facts h2",
    ".impact dt",
    ".taxonomy",
    ".event-facts dt",
    ".event-actions",
    ".eyebrow time",
    "#toc-heading",
    ".chapter-pager__label",
    "#whole-contents-heading",
    ".no-print",
    ".feeds",
    ".card__kind",
    ".card__meta",
    ".card__impact",
    ".card__topics",
    ".event__when",
    ".news-item__date",
    ".results__count",
]


@module_data
def content():
    """English pages of every kind, each served as a fallback page in the other 23
    languages: made once for the module (their primary keys)."""
    home = Site.objects.get(is_default_site=True).root_page.specific
    topic = TopicFactory(name="Energy", slug="energy")
    topic.save_revision().publish()
    index = CaseStudyIndexPageFactory(parent=home)
    study = CaseStudyPageFactory(
        parent=index,
        slug="oslo",
        title="Oslo buys efficient street lights",
        summary="LED lighting for the whole city.",
        organisation="City of Oslo",
        co2e_note="Measured over two winters.",
        contact_name="Kari Nordmann",
        contact_role="Energy officer",
        body=body("## Background", "The city replaced its street lights."),
        topics=[topic],
        tags=["heat pumps", "LED lighting"],
    )
    TagName.objects.create(
        tag=Tag.objects.get(slug="led-lighting"), language="de", name="LED-Beleuchtung"
    )
    news = NewsPageFactory(
        parent=NewsIndexPageFactory(parent=home),
        slug="cities-join",
        title="Three cities join",
        summary="The network grows again.",
        tags=["heat pumps"],
    )
    event = EventPageFactory(
        parent=EventIndexPageFactory(parent=home),
        slug="lcc-webinar",
        title="Life-cycle costing webinar",
        venue="Town hall of Ghent",
        registration_url="https://example.org/register",
    )
    book = ManualPageFactory(parent=home)
    why = ManualChapterPageFactory(parent=book, title="Why", slug="why")
    strategy = ManualChapterPageFactory(parent=book, title="Strategy", slug="strategy")
    ManualChapterPageFactory(parent=strategy, title="Commitment", slug="commitment")
    ManualChapterPageFactory(parent=strategy, title="Targets", slug="targets")
    # A body heading named as the layout's ids are.
    StandardPageFactory(
        parent=home,
        slug="layout-words",
        title="Layout words",
        body=body("## Main", "Text.", "## Site menu", "More.", "## Main", "Again."),
    )
    for page in (study, news, event, book, why, strategy):
        page.save_revision().publish()
    synchronize_locale_trees()
    return {"study": study.pk, "strategy": strategy.pk}


def parse(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    return BeautifulSoup(response.content.decode(), "html.parser")


def language(element):
    """The language an element's text is in: its own `lang`, else its nearest ancestor's."""
    for node in [element, *element.parents]:
        if node.get("lang"):
            return node["lang"]
    return None


def main(page):
    return page.find("main")


def assert_interface_in_german(page):
    """Every piece of interface text found is in German, none inside an English element."""
    found = [element for selector in INTERFACE for element in main(page).select(selector)]
    assert found
    wrong = [str(element)[:120] for element in found if language(element) != "de"]
    assert wrong == []


def assert_in_english(*elements):
    assert all(elements)
    assert [language(element) for element in elements] == ["en"] * len(elements)


def test_a_fallback_case_study_marks_its_own_text_english_and_its_interface_german(client, content):
    page = parse(client, "/de/case-studies/oslo/")
    assert page.html["lang"] == "de"
    assert_interface_in_german(page)
    article = main(page).find("article")
    assert article.get("lang") is None
    assert_in_english(
        article.find("h1"),
        article.find("p", class_="lead"),
        article.find("h2", string="Background"),
        article.find(string="The city replaced its street lights.").parent,
        article.find("dd", string="City of Oslo"),
        article.find(string="Measured over two winters.").parent,
        article.find(string="Energy officer").parent,
    )
    # The figures, in the visitor's number format, are not marked English either.
    assert language(page.select_one(".impact__figure")) == "de"


def test_a_fallback_news_item_and_its_tags(client, content):
    page = parse(client, "/de/news/cities-join/")
    assert_interface_in_german(page)
    assert main(page).find("article").get("lang") is None
    assert_in_english(
        main(page).find("h1"),
        main(page).find("p", class_="lead"),
        main(page).find(string="The network grows.").parent,
    )


def test_a_fallback_event_page(client, content):
    page = parse(client, "/de/events/lcc-webinar/")
    assert_interface_in_german(page)
    assert page.select_one(".event-actions a.button[href='https://example.org/register']")
    assert_in_english(
        main(page).find("h1"),
        main(page).find("p", class_="lead"),
        main(page).find(string="Town hall of Ghent").parent,
        main(page).find(string="Agenda to follow.").parent,
    )
    assert language(page.select_one(".event-facts dd time")) == "de"


def test_a_fallback_manual_chapter_its_pager_and_its_book(client, content):
    page = parse(client, "/de/manual/strategy/commitment/")
    assert_interface_in_german(page)
    assert main(page).find("article").get("lang") is None
    toc = page.select_one("nav.chapter-toc")
    assert_in_english(
        main(page).find("h1"),
        main(page).find("p", class_="lead"),
        toc.find("a", string="Political commitment"),
        main(page).find("h2", string="Political commitment"),
        page.select_one("#book-contents-heading"),
    )
    # The neighbours' titles, English, in German links.
    previous, following = page.select(".chapter-pager a")
    assert_in_english(previous.find(string="Strategy").parent)
    assert_in_english(following.find(string="Targets").parent)
    assert language(previous) == language(following) == "de"


def test_the_whole_manual_as_a_fallback_page(client, content):
    page = parse(client, "/de/manual/whole/")
    assert_interface_in_german(page)
    assert main(page).find("article").get("lang") is None
    assert_in_english(
        main(page).find("h1"),
        main(page).find("p", class_="eyebrow"),
        main(page).find(string="How to use this Manual.").parent,
        *page.select(".book-toc li"),
        *page.select("section.print-chapter"),
    )


def test_breadcrumbs_mark_the_titles_of_fallback_pages(client, content):
    from wagtail.models import Page

    page = parse(client, "/de/manual/strategy/commitment/")
    crumbs = page.select("nav.breadcrumbs a")
    assert [a["href"] for a in crumbs] == [
        "/de/",
        "/de/manual/",
        "/de/manual/strategy/",
        "/de/manual/strategy/commitment/",
    ]
    assert [language(a) for a in crumbs] == ["de", "en", "en", "en"]

    # Once translated, an ancestor's title is German: no longer marked.
    translate_page(Page.objects.get(pk=content["strategy"]).specific, "de", title="Strategie")
    synchronize_locale_trees()  # the fallback pages under it, again
    page = parse(client, "/de/manual/strategy/commitment/")
    crumbs = page.select("nav.breadcrumbs a")
    assert [(a.get_text(strip=True), language(a)) for a in crumbs][1:3] == [
        ("The Procura+ Manual", "en"),
        ("Strategie", "de"),
    ]


def test_cards_mark_only_their_titles_and_summaries(client, content):
    for path in ("/de/", "/de/topics/energy/", "/de/tags/heat-pumps/"):
        page = parse(client, path)
        cards = main(page).select("article.card")
        assert cards, path
        for card in cards:
            assert card.get("lang") is None
            assert language(card.select_one(".card__kind")) == "de"
            assert_in_english(card.select_one(".card__title a"))
            if card.select_one(".card__summary"):
                assert_in_english(card.select_one(".card__summary"))


def test_case_study_cards_mark_only_the_studys_own_text(client, content):
    page = parse(client, "/de/case-studies/")
    (card,) = main(page).select("article.card--case-study")
    assert card.get("lang") is None
    assert_in_english(
        card.find(string="City of Oslo").parent,
        card.select_one(".card__title a"),
        card.select_one(".card__summary"),
    )
    assert language(card.select_one(".card__impact")) == "de"
    assert language(card.select_one(".card__topics")) == "de"


def test_event_and_news_listings_mark_only_the_pages_own_text(client, content):
    events = parse(client, "/de/events/")
    (event,) = main(events).select("article.event")
    assert event.get("lang") is None
    assert language(event.select_one(".event__when")) == "de"
    assert_in_english(
        event.select_one(".event__title a"), event.find(string="Town hall of Ghent").parent
    )

    news = parse(client, "/de/news/")
    assert_interface_in_german(news)
    (item,) = main(news).select("article.news-item")
    assert item.get("lang") is None
    assert_in_english(
        item.select_one(".news-item__title a"), item.find(string="The network grows again.").parent
    )
    assert main(news).select_one("header.listing-header").get("lang") is None
    assert_in_english(main(news).find("h1"))


def test_the_tag_page_marks_a_tag_name_of_another_language(client, content):
    page = parse(client, "/de/tags/heat-pumps/")
    heading = main(page).find("h1")
    assert language(heading) == "de"
    marked = heading.find_all(lang=True)
    assert [(element.get_text(), element["lang"]) for element in marked] == [("heat pumps", "en")]
    # Named in German: nothing to mark.
    page = parse(client, "/de/tags/led-lighting/")
    assert main(page).find("h1").find(lang=True) is None
    # In English, the tag's own name is the page's language.
    page = parse(client, "/en/tags/heat-pumps/")
    assert main(page).find("h1").find(lang=True) is None


def test_the_original_pages_mark_no_part_as_another_language(client, content):
    for path in (
        "/en/case-studies/oslo/",
        "/en/news/cities-join/",
        "/en/events/lcc-webinar/",
        "/en/manual/strategy/commitment/",
        "/en/manual/whole/",
        "/en/",
    ):
        page = parse(client, path)
        assert main(page).find_all(lang=True) == [], path
        assert page.select("nav.breadcrumbs [lang]") == [], path


def heading_levels(page):
    return [int(h.name[1]) for h in main(page).find_all(["h1", "h2", "h3", "h4", "h5", "h6"])]


def assert_no_skipped_level(levels):
    assert levels and levels[0] == 1
    for before, after in zip(levels, levels[1:], strict=False):
        assert after <= before + 1, levels


@pytest.mark.parametrize("path", ["/en/topics/energy/", "/en/tags/heat-pumps/"])
def test_topic_and_tag_listings_skip_no_heading_level(client, content, path):
    page = parse(client, path)
    levels = heading_levels(page)
    assert_no_skipped_level(levels)
    assert 3 in levels  # the cards' titles, under the listing's h2


def test_body_headings_do_not_take_the_layouts_ids(client, content):
    page = parse(client, "/en/layout-words/")
    ids = [element["id"] for element in page.find_all(id=True)]
    assert len(ids) == len(set(ids)), ids
    assert page.find(id="main").name == "main"
    assert page.find(id="site-menu").name == "div"
    headings = [h["id"] for h in main(page).select(".prose h2")]
    assert headings == ["section-main", "section-site-menu", "section-main-2"]
    # The skip link still leads to the main content.
    assert page.select_one("a.skip-link")["href"] == "#main"
