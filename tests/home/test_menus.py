"""The navigation menu and the footer: links to pages in the visitor's language."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Locale, Site
from wagtail_localize.synctree import synchronize_tree

from home.languages.trees import synchronize_locale_trees
from home.models import Footer, NavigationMenu, StandardPage
from tests.factories import FooterFactory, NavigationMenuFactory, StandardPageFactory
from tests.utils import module_data

pytestmark = pytest.mark.django_db


def links(*values):
    return json.dumps([{"type": "link", "value": value} for value in values])


@module_data
def menu_pks():
    """Two pages in the 24 language trees, a menu and a footer, made once for the module."""
    home = Site.objects.get(is_default_site=True).root_page.specific
    about = StandardPageFactory(parent=home, title="About", slug="about")
    privacy = StandardPageFactory(parent=home, title="Privacy notice", slug="privacy")
    synchronize_locale_trees()  # every page has its German counterpart (an alias here)
    menu = NavigationMenuFactory(
        items=links(
            {"label": "About us", "page": about.pk, "url": ""},
            {"label": "Network", "page": None, "url": "https://procuraplus.org/"},
            {"label": "Gone", "page": 999999, "url": ""},  # a deleted page: no link
        )
    )
    footer = FooterFactory(links=links({"label": "Privacy", "page": privacy.pk, "url": ""}))
    return {"about": about.pk, "privacy": privacy.pk, "menu": menu.pk, "footer": footer.pk}


@pytest.fixture
def menus(menu_pks):
    """The module's pages, menu and footer, fresh from the database for each test."""
    return {
        "about": StandardPage.objects.get(pk=menu_pks["about"]),
        "privacy": StandardPage.objects.get(pk=menu_pks["privacy"]),
        "menu": NavigationMenu.objects.get(pk=menu_pks["menu"]),
        "footer": Footer.objects.get(pk=menu_pks["footer"]),
    }


def nav_and_footer(body):
    nav = body.split('<nav class="main-nav"', 1)[1].split("</nav>", 1)[0]
    footer = body.split("<footer", 1)[1].split("</footer>", 1)[0]
    return nav, footer


@pytest.mark.parametrize("language", ["en", "de"])
def test_links_go_to_the_page_in_the_visitors_language(client, menus, language):
    nav, footer = nav_and_footer(client.get(f"/{language}/").content.decode())
    assert f'href="/{language}/about/">About us</a>' in nav
    assert 'href="https://procuraplus.org/">Network</a>' in nav
    assert "Gone" not in nav
    assert f'href="/{language}/privacy/"' in footer


def test_queries_do_not_grow_with_the_number_of_links(client, menus, home, locale_de):
    def count():
        client.get("/de/")
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/de/").status_code == 200
        return len(captured)

    few = count()
    more = [StandardPageFactory(parent=home, title=f"Page {n}", slug=f"page-{n}") for n in range(6)]
    # The German tree only: the one language besides English that the test shows.
    synchronize_tree(Locale.get_default(), locale_de)
    menus["menu"].items = links(
        *[{"label": page.title, "page": page.pk, "url": ""} for page in more]
    )
    menus["menu"].save()
    assert count() == few


def test_each_language_has_its_own_menu_else_the_default_languages(client, menus, locale_de):
    german = menus["menu"].copy_for_translation(locale_de)
    german.items = links({"label": "Über uns", "page": menus["about"].pk, "url": ""})
    german.save()
    footer = menus["footer"]
    footer.about = "<p>A network of <b>public authorities</b>.</p>"
    footer.save()
    body_de = client.get("/de/").content.decode()
    nav, _footer = nav_and_footer(body_de)
    assert 'href="/de/about/">Über uns</a>' in nav and "About us" not in nav
    assert 'main-nav__list">' in body_de  # German on a German page: no lang of its own
    # French has no menu of its own: the English one, marked as English.
    body_fr = client.get("/fr/").content.decode()
    nav, footer_html = nav_and_footer(body_fr)
    assert 'main-nav__list" lang="en">' in body_fr
    assert 'href="/fr/about/">About us</a>' in nav
    assert "A network of <b>public authorities</b>." in footer_html
    assert 'site-footer__inner" lang="en"' in body_fr


def test_the_first_live_menu_of_a_language_is_shown(client, menus):
    NavigationMenuFactory(items=links({"label": "Second menu", "page": None, "url": "/x/"}))
    nav, _footer = nav_and_footer(client.get("/en/").content.decode())
    assert "About us" in nav and "Second menu" not in nav
    menus["menu"].live = False
    menus["menu"].save()
    nav, _footer = nav_and_footer(client.get("/en/").content.decode())
    assert "Second menu" in nav


def test_a_link_to_a_page_visitors_may_not_see_is_left_out(client, menus):
    from wagtail.models import PageViewRestriction

    assert "About us" in nav_and_footer(client.get("/en/").content.decode())[0]
    menus["about"].unpublish()
    assert "About us" not in nav_and_footer(client.get("/en/").content.decode())[0]
    PageViewRestriction.objects.create(
        page=menus["privacy"], restriction_type=PageViewRestriction.LOGIN
    )
    assert "Privacy" not in nav_and_footer(client.get("/de/").content.decode())[1]


def test_a_published_translation_takes_the_place_of_the_original(client, menus, locale_de):
    from wagtail.models import Page

    assert 'href="/de/about/">About us' in client.get("/de/").content.decode()
    german = Page.objects.get(translation_key=menus["about"].translation_key, locale=locale_de)
    german = german.specific
    german.alias_of = None
    german.slug = "ueber-uns"
    german.save_revision().publish()
    nav, _footer = nav_and_footer(client.get("/de/").content.decode())
    assert 'href="/de/ueber-uns/">About us</a>' in nav


def test_the_menus_are_read_from_the_cache_until_they_change(client, menus):
    def menu_queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/fr/").status_code == 200
        return [q["sql"] for q in captured if "home_navigationmenu" in q["sql"]]

    assert menu_queries()  # worked out
    assert menu_queries() == []  # kept
    menus["menu"].save()
    assert menu_queries()


def test_a_link_address_no_form_would_take_is_left_out(client, menus, locale_de):
    """A translator's override of a link's address (wagtail-localize's, stored unchecked) is
    held to the form's rule where the menu is shown: a `javascript:` address is no link."""
    german = menus["menu"].copy_for_translation(locale_de)
    german.items = links(
        {"label": "Netzwerk", "page": None, "url": "javascript:alert(document.cookie)"},
        {"label": "Oben", "page": None, "url": "//evil.example/"},
        {"label": "Themen", "page": None, "url": "/en/topics/"},
    )
    german.save()
    nav, _footer = nav_and_footer(client.get("/de/").content.decode())
    assert "javascript:" not in nav and "evil.example" not in nav
    assert "Netzwerk" not in nav
    assert 'href="/de/topics/">Themen</a>' in nav
