"""Every public URL carries its language, "/" finds the visitor's, and <html lang> is right."""

import re

import pytest
from django.conf import settings

LANGUAGE_CODES = [code for code, _ in settings.LANGUAGES]


def html_lang(response):
    match = re.search(r'<html lang="([^"]+)"', response.content.decode())
    return match.group(1) if match else None


@pytest.mark.django_db
@pytest.mark.parametrize("code", LANGUAGE_CODES)
def test_each_language_has_its_home_page_with_the_right_lang(client, code):
    response = client.get(f"/{code}/")
    assert response.status_code == 200
    assert html_lang(response) == code
    assert response.headers["Content-Language"] == code


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("de-DE,de;q=0.9,en;q=0.8", "/de/"),
        ("fr-BE, nl;q=0.8", "/fr/"),
        ("mt", "/mt/"),
        ("ja,zh;q=0.9", "/en/"),  # not an EU language: English
        ("", "/en/"),
    ],
)
def test_root_redirects_to_the_best_language(client, accept, expected):
    response = client.get("/", headers={"accept-language": accept} if accept else {})
    assert response.status_code == 302
    assert response["Location"] == expected
    assert "Accept-Language" in response.headers.get("Vary", "")


@pytest.mark.django_db
def test_unknown_language_prefix_is_not_served_as_a_language(client):
    response = client.get("/xx/", follow=True)
    assert response.status_code == 404
    assert html_lang(response) == "en"


@pytest.mark.django_db
def test_language_switcher_links_to_the_same_page_in_every_language(client):
    from django.core.management import call_command
    from wagtail.models import Site

    from tests.factories import StandardPageFactory

    home = Site.objects.get(is_default_site=True).root_page
    StandardPageFactory(parent=home, title="Join the network", slug="join")
    call_command("setup_site", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115

    response = client.get("/pl/join/")
    assert response.status_code == 200
    body = response.content.decode()
    for code in LANGUAGE_CODES:
        assert f'href="/{code}/join/" hreflang="{code}" lang="{code}"' in body
    assert 'href="/pl/join/" hreflang="pl" lang="pl" aria-current="page"' in body


@pytest.mark.django_db
def test_a_view_that_is_not_a_page_links_to_itself_in_every_language(client):
    """The search page's switcher: its own address in each language, whichever language
    asked first (the addresses are remembered per process, see home/languages/i18n.py)."""
    for current in ("pl", "de"):
        body = client.get(f"/{current}/search/").content.decode()
        for code in LANGUAGE_CODES:
            assert f'href="/{code}/search/" hreflang="{code}" lang="{code}"' in body, code
        current_link = f'href="/{current}/search/" hreflang="{current}" lang="{current}"'
        assert current_link + ' aria-current="page"' in body


@pytest.mark.django_db
def test_skip_link_targets_main(client):
    body = client.get("/en/").content.decode()
    assert '<a class="skip-link" href="#main">' in body
    assert '<main id="main"' in body


def test_locale_table_follows_changes_to_locales(db, django_assert_num_queries):
    """Public pages read locales from a per-process table; a saved Locale refreshes it."""
    from wagtail.models import Locale

    from home.languages.i18n import active_locale, locale_for

    maltese = locale_for("mt")
    assert maltese == Locale.objects.get(language_code="mt")
    with django_assert_num_queries(0):
        assert locale_for("mt") == maltese and active_locale().language_code == "en"
    maltese.language_code = "ga-x"  # any change through the ORM
    maltese.save()
    assert locale_for("mt") is None
    assert locale_for("ga-x").pk == maltese.pk


def test_locale_table_expires_for_changes_made_by_other_processes(db, monkeypatch):
    """Another worker's change sends no signal here: the table is re-read after its lifetime."""
    from wagtail.models import Locale

    from home import memo
    from home.languages import i18n

    monkeypatch.setattr(i18n.locales, "seconds", 60)
    clock = [1000.0]
    monkeypatch.setattr(memo.time, "monotonic", lambda: clock[0])
    assert i18n.locale_for("mt") is not None
    Locale.objects.filter(language_code="mt").update(language_code="ga-x")  # no signal
    clock[0] += 59
    assert i18n.locale_for("mt") is not None  # still the table's copy
    clock[0] += 2
    assert i18n.locale_for("mt") is None
    assert i18n.locale_for("ga-x") is not None


@pytest.mark.django_db
def test_a_translation_is_checked_once_for_being_a_fallback_for_its_original(client, home):
    """Its notices, `lang` and canonical address all ask whether the page shows its
    original's text; the answer is worked out once a request."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import StandardPageFactory
    from tests.utils import translate_page

    page = StandardPageFactory(parent=home, title="About", slug="about")
    translate_page(page, "de", title="Über uns")
    client.get("/de/about/")
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/de/about/")
    assert response.status_code == 200 and "Über uns" in response.content.decode()
    asked = [q["sql"] for q in queries.captured_queries if '"wagtailcore_revision"' in q["sql"]]
    assert len(asked) == 1, asked


@pytest.mark.django_db
def test_pages_read_with_their_revision_owner_tell_their_fallback_pages_without_a_query(
    client, home, django_assert_num_queries
):
    """Listings read pages `with_revision_owner`; which of them show their original's text is
    then known without asking for their revisions, and is the same."""
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from wagtail.models import Page

    from casestudies.models import CaseStudyPage
    from home.languages.i18n import fallback_page_ids, with_revision_owner
    from tests.factories import CaseStudyIndexPageFactory, CaseStudyPageFactory
    from tests.utils import translate_page

    index = CaseStudyIndexPageFactory(parent=home, slug="case-studies")
    studies = [CaseStudyPageFactory(parent=index, title=f"Study {n}") for n in range(3)]
    for study in studies:
        study.save_revision().publish()
    call_command("setup_site", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
    studies = [CaseStudyPage.objects.get(pk=study.pk) for study in studies]
    assert all(study.live_revision_id for study in studies)
    translate_page(studies[0], "de", title="Studie null")  # translated and published
    # A translation begun and never published: the row holds the original's text and the
    # live revision it took over from the fallback page it replaced, the original's.
    begun = translate_page(studies[1], "de", publish=False)
    Page.objects.filter(pk=begun.pk).update(live=True, live_revision=studies[1].live_revision)
    keys = [study.translation_key for study in studies]
    german = CaseStudyPage.objects.filter(translation_key__in=keys, locale__language_code="de")

    expected = fallback_page_ids(list(german))  # asking for the revisions
    fallback_page = german.get(translation_key=studies[2].translation_key)
    assert expected == {begun.pk, fallback_page.pk}
    read = list(with_revision_owner(german))
    with django_assert_num_queries(0):
        assert fallback_page_ids(read) == expected
    # A page whose live revision changed since it was read is asked about afresh.
    translated = next(page for page in read if page.pk not in expected)
    translated.live_revision_id = studies[0].live_revision_id
    with django_assert_num_queries(1):
        assert fallback_page_ids(read) == expected | {translated.pk}

    # The German listing asks for no revision either.
    client.get("/de/case-studies/")
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/de/case-studies/")
    assert response.status_code == 200
    sqls = [q["sql"] for q in queries.captured_queries]
    assert [sql for sql in sqls if 'FROM "wagtailcore_revision"' in sql] == []
    listing = client.get("/de/case-studies/").content.decode()
    assert "Studie null" in listing
    assert listing.count('lang="en"') >= 2  # the begun translation's card and the fallback page's


@pytest.mark.django_db
def test_a_page_not_found_names_no_address_and_offers_each_languages_home_page(client):
    response = client.get("/de/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert 'rel="canonical"' not in html
    assert 'rel="alternate"' not in html
    assert '<meta name="robots" content="noindex">' in html
    switcher = re.search(r'<details class="language-switcher".*?</details>', html, re.S).group()
    links = re.findall(r'<a href="([^"]+)" hreflang="([^"]+)"', switcher)
    assert links == [(f"/{code}/", code) for code, _name in settings.LANGUAGES]
    assert "aria-current" not in switcher
    assert html_lang(response) == "de"
