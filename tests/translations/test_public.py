"""What visitors see of translations: hreflang alternates, sitemap alternates, notices."""

import datetime
import re

import pytest
from lxml import etree

from tests.translations.conftest import make_study, shared_study, translate
from tests.utils import module_data

pytestmark = [pytest.mark.django_db, pytest.mark.long_running]

XHTML = "{http://www.w3.org/1999/xhtml}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@module_data
def translated_pk():
    """The conftest's study translated into German and French, made once for the module:
    no test here needs the site without it."""
    from django.test import TestCase
    from wagtail.models import Locale, Site

    study = make_study(Site.objects.get(is_default_site=True).root_page.specific)
    for code in ("de", "fr"):
        locale = Locale.objects.get(language_code=code)
        translate(study, locale, capture=TestCase.captureOnCommitCallbacks)
    return study.pk


@pytest.fixture
def study(translated_pk):
    return shared_study(translated_pk)


@pytest.fixture
def translated(study):
    return study


def alternates(html):
    return dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', html))


def test_hreflang_alternates_point_both_ways_with_x_default(client, translated):
    pages = {code: f"http://testserver/{code}/case-studies/oslo/" for code in ("en", "de", "fr")}
    for code, url in pages.items():
        html = client.get(url).content.decode()
        found = alternates(html)
        assert found == {**pages, "x-default": pages["en"]}, code
        assert f'<link rel="canonical" href="{url}">' in html


def test_fallback_page_points_to_its_original_and_is_no_alternate(client, translated):
    html = client.get("/it/case-studies/oslo/").content.decode()
    assert '<link rel="canonical" href="http://testserver/en/case-studies/oslo/">' in html
    assert 'hreflang="it"' not in "".join(re.findall(r"<link rel=\"alternate\"[^>]+>", html))
    assert 'class="notice notice--fallback"' in html
    assert '<header class="case-study__header" lang="en">' in html
    # The switcher still offers every language, the current one marked.
    assert 'href="/it/case-studies/oslo/" hreflang="it" lang="it" aria-current="page"' in html


def sitemap_urls(client):
    """{address: {hreflang: href}} of every section the sitemap index lists."""
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    sections = [loc.text for loc in etree.fromstring(response.content).iter(f"{SITEMAP}loc")]
    assert sections
    urls = {}
    for section in sections:
        response = client.get(section)
        assert response.status_code == 200, section
        for url in etree.fromstring(response.content).iter(f"{SITEMAP}url"):
            loc = url.findtext(f"{SITEMAP}loc")
            assert loc not in urls, f"{loc} is listed twice"
            links = url.iter(f"{XHTML}link")
            urls[loc] = {link.get("hreflang"): link.get("href") for link in links}
    return urls


def test_sitemap_lists_translations_with_symmetric_alternates(client, translated, site):
    urls = sitemap_urls(client)
    oslo = {loc: links for loc, links in urls.items() if loc.endswith("/case-studies/oslo/")}
    # Addresses on the site's own host, as Wagtail gives them (`get_full_url`).
    assert set(oslo) == {f"{site.root_url}/{c}/case-studies/oslo/" for c in ("en", "de", "fr")}
    assert oslo[f"{site.root_url}/de/case-studies/oslo/"]["x-default"].endswith(
        "/en/case-studies/oslo/"
    )
    for loc, links in urls.items():
        for code, href in links.items():
            if code == "x-default":
                continue
            assert href in urls, f"{loc} → {href} is not in the sitemap"
            assert urls[href].get(code) == href
            back = {c: h for c, h in urls[href].items() if c != "x-default"}
            assert loc in back.values(), f"{href} does not point back to {loc}"
    # Fallback pages are left out: they are not the page in that language.
    assert f"{site.root_url}/it/case-studies/oslo/" not in urls


def test_sitemap_splits_into_sections_of_the_protocols_size(client, translated, monkeypatch):
    from home.sitemaps import PageSitemap

    assert PageSitemap.limit == 50_000
    whole = sitemap_urls(client)
    monkeypatch.setattr(PageSitemap, "limit", 2)
    index = etree.fromstring(client.get("/sitemap.xml").content)
    sections = [loc.text for loc in index.iter(f"{SITEMAP}loc")]
    assert {"sitemap-en.xml", "sitemap-en.xml?p=2", "sitemap-de.xml"} <= {
        section.rsplit("/", 1)[1] for section in sections
    }
    for section in sections:
        root = etree.fromstring(client.get(section).content)
        assert len(list(root.iter(f"{SITEMAP}url"))) <= 2
    assert sitemap_urls(client) == whole  # the same addresses and alternates, split


def test_sitemap_queries_do_not_grow_with_the_pages_listed(client, translated, study, locales):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import CaseStudyPageFactory

    def count():
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/sitemap-en.xml").status_code == 200
        return len(captured)

    client.get("/sitemap-en.xml")
    few = count()
    for n in range(5):
        CaseStudyPageFactory(parent=study.get_parent(), slug=f"more-{n}", title=f"More {n}")
    assert count() == few


def test_the_sitemap_index_reads_no_pages_and_dates_each_language(client, translated, study):
    """The index gives each language's latest publication without reading its pages: the
    pages made in answering it do not grow with the site."""
    from django.db.models import Max
    from django.db.models.signals import post_init
    from wagtail.models import Page

    from tests.factories import CaseStudyPageFactory

    def pages_read():
        made = []

        def count(sender, **kwargs):
            if issubclass(sender, Page):
                made.append(sender)

        post_init.connect(count)
        try:
            index = etree.fromstring(client.get("/sitemap.xml").content)
        finally:
            post_init.disconnect(count)
        return len(made), index

    few, _index = pages_read()
    for n in range(5):
        CaseStudyPageFactory(parent=study.get_parent(), slug=f"more-{n}", title=f"More {n}")
    many, index = pages_read()
    assert many == few
    dates = {
        entry.findtext(f"{SITEMAP}loc").rsplit("/", 1)[1]: datetime.datetime.fromisoformat(
            entry.findtext(f"{SITEMAP}lastmod")
        )
        for entry in index.iter(f"{SITEMAP}sitemap")
        if entry.findtext(f"{SITEMAP}lastmod")  # not where a language has only fallback pages
    }
    for code in ("en", "de"):
        listed = Page.objects.filter(
            locale__language_code=code, live=True, alias_of__isnull=True, depth__gt=1
        )
        newest = listed.aggregate(newest=Max("last_published_at"))["newest"]
        assert newest is not None and dates[f"sitemap-{code}.xml"] == newest, code


def test_interface_and_content_languages(client, translated):
    html = client.get("/de/case-studies/oslo/").content.decode()
    assert '<html lang="de"' in html
    assert "[de] Oslo buys efficient street lights" in html
    assert 'lang="en"' not in re.search(r"<main.*</main>", html, re.S).group(0)


def test_notices_are_in_the_visitors_language(client, translated):
    from django.utils import translation

    html = client.get("/it/case-studies/oslo/").content.decode()
    with translation.override("it"):
        expected = translation.gettext(
            "This page is not yet available in this language. "
            "You are reading the original version (%(original)s)."
        ) % {"original": translation.gettext("English")}
    assert expected.split("(")[0].strip() in html
    assert "This page is not yet available" not in html


def test_robots_txt_points_to_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert "Sitemap: http://testserver/sitemap.xml" in response.content.decode()
    assert "Disallow: /admin/" in response.content.decode()


GENERATED = 60_000


def generate_pages(parent, count):
    """`count` live pages under `parent`, written by the database itself: one page through
    the ORM, then copies of its row (every column Django knows of Page) with their own
    title, slug, tree path, address and translation key."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection
    from django.utils import timezone
    from wagtail.models import Page

    now = timezone.now()
    (first,) = Page.objects.bulk_create(
        [
            Page(
                title="Generated 0",
                draft_title="Generated 0",
                slug="generated-0",
                path=parent.path + "2000",
                depth=parent.depth + 1,
                url_path=f"{parent.url_path}generated-0/",
                locale_id=parent.locale_id,
                content_type=ContentType.objects.get_for_model(Page),
                live=True,
                first_published_at=now,
                last_published_at=now,
            )
        ]
    )
    digits = "'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ'"
    # treebeard's path step, four base-36 digits: "2000" (93,312) and on for page n.
    step = " || ".join(
        f"substr({digits}, ((n + 93312) / {36**k}) %% 36 + 1, 1)" for k in (3, 2, 1, 0)
    )
    generated = {
        "title": "'Generated ' || n",
        "draft_title": "'Generated ' || n",
        "slug": "'generated-' || n",
        "path": f"%s || {step}",
        "url_path": "%s || 'generated-' || n || '/'",
        "translation_key": (
            "lpad(to_hex(n), 32, '0')::uuid"
            if connection.vendor == "postgresql"
            else "printf('%%032x', n)"
        ),
    }
    columns = [f.column for f in Page._meta.concrete_fields if not f.primary_key]
    quote = connection.ops.quote_name
    table = quote(Page._meta.db_table)
    values = [generated.get(column, f"page.{quote(column)}") for column in columns]
    with connection.cursor() as cursor:
        # Names from Page's metadata quoted by Django; the values are parameters.
        cursor.execute(
            "WITH RECURSIVE numbers(n) AS"  # noqa: S608
            " (SELECT 1 UNION ALL SELECT n + 1 FROM numbers WHERE n < %s)"
            f" INSERT INTO {table} ({', '.join(map(quote, columns))})"
            f" SELECT {', '.join(values)} FROM {table} page, numbers WHERE page.id = %s",
            [count - 1, parent.path, parent.url_path, first.pk],
        )
        if connection.vendor == "postgresql":  # what autovacuum does after a bulk load
            cursor.execute(f"ANALYZE {table}")


def test_a_sitemap_of_more_than_50000_pages_is_split_at_50000(client, home):
    """Pages written in bulk (plain rows under the English home page) stand in for a large
    site: the English sitemap holds 60,000 of them in two sections, the first of the
    protocol's 50,000 addresses, the second of the rest."""
    generate_pages(home, GENERATED)
    index = etree.fromstring(client.get("/sitemap.xml").content)
    english = [loc.text for loc in index.iter(f"{SITEMAP}loc") if "sitemap-en" in loc.text]
    assert [address.rsplit("/", 1)[1] for address in english] == [
        "sitemap-en.xml",
        "sitemap-en.xml?p=2",
    ]
    sections = [etree.fromstring(client.get(address).content) for address in english]
    assert len(list(sections[0].iter(f"{SITEMAP}url"))) == 50_000
    assert len(list(sections[1].iter(f"{SITEMAP}url"))) > GENERATED - 50_000
    generated = {
        loc.text
        for root in sections
        for loc in root.iter(f"{SITEMAP}loc")
        if "/generated-" in loc.text
    }
    assert len(generated) == GENERATED
