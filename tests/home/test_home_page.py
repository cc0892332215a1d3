"""The home page: featured case studies, the latest case studies and news, the upcoming
events, each card dated in the visitor's language; only what visitors may see; its title
once."""

import datetime
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Locale, PageViewRestriction
from wagtail_localize.synctree import synchronize_tree

from tests.factories import (
    CaseStudyIndexPageFactory,
    CaseStudyPageFactory,
    EventIndexPageFactory,
    EventPageFactory,
    NewsIndexPageFactory,
    NewsPageFactory,
)
from tests.utils import translate_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def sections(home):
    return {
        "case studies": CaseStudyIndexPageFactory(parent=home),
        "news": NewsIndexPageFactory(parent=home),
        "events": EventIndexPageFactory(parent=home),
    }


def event(sections, slug, days, **fields):
    start = timezone.now() + datetime.timedelta(days=days)
    fields = {"start": start, "end": start + datetime.timedelta(hours=2), **fields}
    return EventPageFactory(parent=sections["events"], slug=slug, **fields)


def section(html, heading):
    """The HTML of the home page's section under the heading `heading`."""
    match = re.search(
        rf"<h2 id=\"[\w-]+\">{re.escape(heading)}</h2>(.*?)</section>", html, re.DOTALL
    )
    assert match, f"no section {heading!r}"
    return match.group(1)


def synchronize_german():
    synchronize_tree(Locale.get_default(), Locale.objects.get(language_code="de"))


def test_latest_case_studies_news_and_upcoming_events_dated(client, sections):
    for n in range(3):  # featured, for their results
        CaseStudyPageFactory(parent=sections["case studies"], co2e_tonnes_per_year=900 + n)
    study = CaseStudyPageFactory(
        parent=sections["case studies"], title="Electric buses in Ghent", co2e_tonnes_per_year=1
    )
    study.save_revision().publish()
    NewsPageFactory(
        parent=sections["news"], title="Three cities join", date=datetime.date(2026, 3, 2)
    )
    past = event(sections, "past", -10, title="Seminar that was")
    upcoming = event(
        sections,
        "soon",
        40,
        title="Webinar to come",
        time_zone="Europe/Brussels",
        start=datetime.datetime(2027, 2, 10, 23, 30, tzinfo=datetime.UTC),
        end=datetime.datetime(2027, 2, 11, 1, 0, tzinfo=datetime.UTC),
    )

    html = client.get("/en/").content.decode()

    studies = section(html, "Latest case studies")
    assert "Electric buses in Ghent" in studies
    published = timezone.localdate(study.first_published_at)
    assert f'<time datetime="{published.isoformat()}">' in studies
    news = section(html, "Latest news")
    assert "Three cities join" in news
    assert '<time datetime="2026-03-02">March 2, 2026</time>' in news
    events = section(html, "Upcoming events")
    assert upcoming.title in events
    # The day it starts where it is held: 11 February in Brussels, 10 February in UTC.
    assert '<time datetime="2027-02-11">February 11, 2027</time>' in events
    assert past.title not in html


def test_dates_and_headings_in_the_visitors_language_with_translations(client, sections):
    item = NewsPageFactory(
        parent=sections["news"], title="Three cities join", date=datetime.date(2026, 3, 2)
    )
    NewsPageFactory(parent=sections["news"], title="Untranslated item")
    synchronize_german()
    translate_page(item, "de", title="Drei Städte treten bei")

    html = client.get("/de/").content.decode()

    news = section(html, "Neueste Nachrichten")
    assert "Drei Städte treten bei" in news
    assert "Three cities join" not in news
    assert '<time datetime="2026-03-02">2. März 2026</time>' in news
    # The untranslated item shows its English text, marked as English: its title (and
    # summary), not the card, whose kind and date are German.
    assert re.search(
        r'<article class="card">\s*<p class="card__kind">[^<]*</p>\s*'
        r'<h3 class="card__title"><a href="/de/news/[^"]+" lang="en">Untranslated item',
        news,
    )


def test_private_and_draft_pages_are_not_listed(client, sections):
    CaseStudyPageFactory(parent=sections["case studies"], title="Open case study")
    private = CaseStudyPageFactory(parent=sections["case studies"], title="Members-only study")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    draft = NewsPageFactory(parent=sections["news"], title="Draft news", live=False)
    NewsPageFactory(parent=sections["news"], title="Published news")
    expired = event(sections, "expired", 5, title="Expired event")
    expired.expire_at = timezone.now() - datetime.timedelta(minutes=1)
    expired.save()
    event(sections, "open", 6, title="Open event")

    html = client.get("/en/").content.decode()

    for shown in ("Open case study", "Published news", "Open event"):
        assert shown in html
    for hidden in (private.title, draft.title, expired.title):
        assert hidden not in html


def test_featured_falls_back_to_the_case_studies_with_the_highest_results(client, sections):
    for n, co2e in enumerate(["10", "900", None, "50", "300"]):
        CaseStudyPageFactory(
            parent=sections["case studies"],
            title=f"Study {n}",
            co2e_tonnes_per_year=Decimal(co2e) if co2e else None,
        )

    html = client.get("/en/").content.decode()

    featured = section(html, "Featured")
    titles = re.findall(r'class="card__title"><a href="[^"]+">([^<]+)</a>', featured)
    assert titles == ["Study 1", "Study 4", "Study 3"]
    # Not shown twice: the latest are the others, newest first.
    latest = section(html, "Latest case studies")
    titles = re.findall(r'class="card__title"><a href="[^"]+">([^<]+)</a>', latest)
    assert titles == ["Study 2", "Study 0"]


def test_featured_as_editors_chose_them(client, home, sections):
    chosen = CaseStudyPageFactory(parent=sections["case studies"], title="Chosen study")
    CaseStudyPageFactory(
        parent=sections["case studies"], title="Biggest study", co2e_tonnes_per_year=9999
    )
    home.featured = [("page", chosen)]
    home.save_revision().publish()

    featured = section(client.get("/en/").content.decode(), "Featured")

    assert "Chosen study" in featured
    assert "Biggest study" not in featured


def test_title_once(client, sections):
    item = NewsPageFactory(parent=sections["news"], title="Three cities join")
    synchronize_german()

    def title(url):
        return re.search(r"<title>(.*?)</title>", client.get(url).content.decode()).group(1)

    assert title("/en/") == "Procura+ Network"
    assert title("/de/") == "Procura+ Netzwerk"
    assert title(item.url) == "Three cities join · Procura+ Network"


def test_edge_keeps_the_page_no_longer_than_the_next_event_lasts(client, sections):
    event(sections, "soon", 0.5, title="Webinar in twelve hours")
    response = client.get("/en/")
    s_maxage = int(re.search(r"s-maxage=(\d+)", response["Cache-Control"]).group(1))
    assert s_maxage <= 14.5 * 3600


def add_items(sections, start, count):
    for n in range(start, start + count):
        CaseStudyPageFactory(parent=sections["case studies"], slug=f"study-{n}", title=f"S {n}")
        NewsPageFactory(parent=sections["news"], slug=f"news-{n}", title=f"N {n}")
        event(sections, f"event-{n}", 3 + n, title=f"E {n}")
        event(sections, f"past-{n}", -3 - n, title=f"P {n}")


def queries(client, url):
    client.get(url)  # per-process caches, as on a running server
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response.content.decode().count('<article class="card"')


def feature_the_first(home, sections, count):
    home.featured = [("page", page) for page in sections["case studies"].get_children()[:count]]
    home.save_revision().publish()


@pytest.mark.parametrize("chosen", [False, True], ids=["fallback", "chosen"])
def test_query_count_does_not_grow_with_the_cards(client, home, sections, chosen):
    add_items(sections, 0, 4)  # one card at least in each section, one in the last
    if chosen:
        feature_the_first(home, sections, 1)
    synchronize_german()
    small = {url: queries(client, url) for url in ("/en/", "/de/")}
    add_items(sections, 4, 4)
    if chosen:
        feature_the_first(home, sections, 3)
    synchronize_german()
    large = {url: queries(client, url) for url in ("/en/", "/de/")}
    for url in small:
        assert small[url][1] < large[url][1], url  # more cards shown
        assert small[url][0] >= large[url][0], (url, small[url][0], large[url][0])
