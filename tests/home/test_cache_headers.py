"""What visitors' responses tell a shared cache (home/cache.py), and what a change purges."""

import datetime
import re

import pytest
import wagtail_factories
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction, Site

from casestudies.models import CaseStudyIndexPage, CaseStudyPage
from home import cache
from tests.factories import (
    CaseStudyIndexPageFactory,
    CaseStudyPageFactory,
    EventIndexPageFactory,
    EventPageFactory,
    NewsIndexPageFactory,
    NewsPageFactory,
    TopicFactory,
)
from tests.utils import banned, module_data

pytestmark = pytest.mark.django_db


@module_data
def site_page_pks():
    """Case studies and news in the 24 language trees, made once for the module."""
    home = Site.objects.get(is_default_site=True).root_page.specific
    index = CaseStudyIndexPageFactory(parent=home)
    study = CaseStudyPageFactory(parent=index, slug="ghent", title="Ghent buys better")
    news = NewsIndexPageFactory(parent=home)
    NewsPageFactory(parent=news, slug="seminar")
    call_command("setup_site", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
    return index.pk, study.pk


@pytest.fixture
def site_pages(site_page_pks):
    index, study = site_page_pks
    return CaseStudyIndexPage.objects.get(pk=index), CaseStudyPage.objects.get(pk=study)


def tags_of(response):
    return set(response[cache.TAGS_HEADER].split())


def test_anonymous_pages_may_be_kept_by_shared_caches_and_set_no_cookies(client, site_pages):
    index, study = site_pages
    for path in (
        "/en/",
        "/de/case-studies/",
        "/en/case-studies/ghent/",
        "/sv/news/",
        "/sitemap.xml",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response["Cache-Control"] == "public, max-age=0, s-maxage=86400", path
        assert response["ETag"], path
        assert not response.cookies, path
    assert client.cookies == {}

    page = client.get("/en/case-studies/ghent/")
    assert tags_of(page) == {f"path:{study.path}", f"page:{study.translation_key}"}
    listing = client.get("/en/case-studies/")
    assert f"type:{study._meta.label_lower}" in tags_of(listing)
    # The home page lists the latest of these types: a new one purges it.
    listed = {"type:casestudies.casestudypage", "type:news.newspage", "type:news.eventpage"}
    assert listed <= tags_of(client.get("/de/"))
    assert tags_of(client.get("/sitemap.xml")) == {"pages"}


def test_an_unchanged_page_is_a_304_to_a_browser_that_has_it(client, site_pages):
    first = client.get("/en/case-studies/ghent/")
    again = client.get("/en/case-studies/ghent/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304


def test_search_is_kept_for_a_minute_and_a_404_too(client, site_pages):
    for path in ("/en/search/?q=ghent", "/en/search/autocomplete/?q=gh", "/en/no-such-page/"):
        response = client.get(path)
        assert response["Cache-Control"] == "public, max-age=0, s-maxage=60", path


def test_editors_the_admin_and_restricted_pages_are_never_kept(admin_client, client, site_pages):
    _index, study = site_pages
    response = admin_client.get("/en/case-studies/ghent/")
    assert "private" in response["Cache-Control"] and "s-maxage" not in response["Cache-Control"]
    assert "private" in admin_client.get("/admin/")["Cache-Control"]
    assert (
        "no-store" in client.get("/health/")["Cache-Control"]
        or "private" in client.get("/health/")["Cache-Control"]
    )

    PageViewRestriction.objects.create(page=study, restriction_type=PageViewRestriction.PASSWORD)
    for path in ("/en/case-studies/ghent/", "/de/case-studies/ghent/"):
        response = client.get(path)
        assert response.status_code == 200 and 'name="password"' in response.content.decode()
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
        assert cache.TAGS_HEADER not in response


def test_a_ban_pattern_reaches_a_page_what_lists_it_and_everything_below(site_pages):
    import re

    index, study = site_pages
    pattern = cache.ban_pattern({index.path}, {study.translation_key}, {"news.newspage"}, True)
    assert " " not in pattern and "\\" not in pattern and '"' not in pattern

    def banned(tags):
        return re.search(pattern.replace("[[:space:]]", r"\s"), tags) is not None

    assert banned(f"page:{study.translation_key} path:{study.path}")
    assert banned(f"path:{index.path}")
    assert banned(f"path:{study.path}")  # below the index
    assert banned("pages")
    assert banned("path:0001 type:news.newspage")
    assert not banned("path:0001 type:news.eventpage page:0000")
    assert not banned(f"path:{index.path[:-4]}")  # above it


def test_a_deleted_page_purges_the_listings_of_its_type_in_every_language(
    client, bans, site_pages, django_capture_on_commit_callbacks
):
    """A deleted page cannot be read once the delete commits: what it was is queued before."""
    index, study = site_pages
    listings = {code: client.get(f"/{code}/case-studies/") for code in ("en", "de", "sv")}
    with django_capture_on_commit_callbacks(execute=True):  # in every language, as the admin does
        for version in Page.objects.filter(translation_key=study.translation_key).specific():
            version.delete()
    for code, listing in listings.items():
        assert banned(bans, listing), code


def test_a_restricted_section_bans_what_lists_its_pages_in_every_language(
    client, bans, site_pages, django_capture_on_commit_callbacks
):
    index, study = site_pages
    fronts = {code: client.get(f"/{code}/") for code in ("en", "de", "sv")}
    assert all(study.title in front.content.decode() for front in fronts.values())
    with django_capture_on_commit_callbacks(execute=True):
        PageViewRestriction.objects.create(page=index, restriction_type="login")
    for code, front in fronts.items():
        assert banned(bans, front), code


def test_a_deleted_topic_bans_every_page(
    client, bans, site_pages, django_capture_on_commit_callbacks
):
    topic = TopicFactory(name="Energy", slug="energy")
    topic.save_revision().publish()
    page = client.get("/en/topics/energy/")
    assert page.status_code == 200
    bans.clear()
    with django_capture_on_commit_callbacks(execute=True):
        topic.delete()
    assert banned(bans, page)


def test_a_translation_turned_back_into_a_fallback_page_is_banned(
    client, admin_client, bans, site_pages, django_capture_on_commit_callbacks
):
    from wagtail.models import Locale

    from tests.translations.conftest import translate

    index, study = site_pages
    german = Locale.objects.get(language_code="de")
    translate(
        study,
        german,
        {study.title: "Gent kauft besser"},
        capture=django_capture_on_commit_callbacks,
    )
    german = study.get_translation(german)
    page = client.get(german.url)
    assert "Gent kauft besser" in page.content.decode()
    bans.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(reverse("wagtail_localize:convert_to_alias", args=[german.pk]))
    assert response.status_code == 302
    assert banned(bans, page)


def test_a_changed_image_bans_the_pages_that_show_it_and_their_listings(
    client, bans, site_pages, django_capture_on_commit_callbacks
):
    index, study = site_pages
    picture = wagtail_factories.ImageFactory(title="Canteen")
    for version in Page.objects.filter(translation_key=study.translation_key).specific():
        version.hero_image = picture
        version.hero_image_alt = "A canteen"
        version.save()
    shown = [client.get(f"/{code}/case-studies/{study.slug}/") for code in ("en", "de", "sv")]
    shown.append(client.get("/de/case-studies/"))
    bans.clear()
    with django_capture_on_commit_callbacks(execute=True):
        picture.focal_point_x, picture.focal_point_y = 10, 10
        picture.focal_point_width = picture.focal_point_height = 5
        picture.save()
    assert all(banned(bans, response) for response in shown)
    bans.clear()
    with django_capture_on_commit_callbacks(execute=True):
        picture.delete()
    assert all(banned(bans, response) for response in shown)


def test_a_document_answers_to_its_collection(client, bans, db, django_capture_on_commit_callbacks):
    from django.core.files.base import ContentFile
    from wagtail.documents import get_document_model
    from wagtail.models import Collection, CollectionViewRestriction

    document = get_document_model().objects.create(
        title="Report", file=ContentFile(b"%PDF-1.4 report", name="report.pdf")
    )
    response = client.get(document.url)
    assert response.status_code == 200 and tags_of(response) == {cache.DOCUMENTS_TAG}
    assert "public" in response["Cache-Control"]
    with django_capture_on_commit_callbacks(execute=True):
        CollectionViewRestriction.objects.create(
            collection=Collection.get_first_root_node(), restriction_type="password", password="x"
        )
    assert banned(bans, response)
    assert "public" not in client.get(document.url).get("Cache-Control", "")


@pytest.mark.parametrize("address", ["/en/events/", "/en/events/ending/"])
def test_an_event_is_kept_no_longer_than_until_it_ends(client, home, address):
    events = EventIndexPageFactory(parent=home, slug="events")
    end = timezone.now() + datetime.timedelta(minutes=30)
    EventPageFactory(parent=events, slug="ending", start=end - datetime.timedelta(hours=1), end=end)
    control = client.get(address)["Cache-Control"]
    seconds = int(re.search(r"s-maxage=(\d+)", control).group(1))
    assert 0 < seconds <= 30 * 60
