"""The navigation menu and the footer: links to pages in the visitor's language."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from home.trees import synchronize_locale_trees
from tests.factories import FooterFactory, NavigationMenuFactory, StandardPageFactory

pytestmark = pytest.mark.django_db


def links(*values):
    return json.dumps([{"type": "link", "value": value} for value in values])


@pytest.fixture
def menus(home):
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
    return {"about": about, "privacy": privacy, "menu": menu, "footer": footer}


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


def test_queries_do_not_grow_with_the_number_of_links(client, menus, home):
    def count():
        client.get("/de/")
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/de/").status_code == 200
        return len(captured)

    few = count()
    more = [StandardPageFactory(parent=home, title=f"Page {n}", slug=f"page-{n}") for n in range(6)]
    synchronize_locale_trees()
    menus["menu"].items = links(
        *[{"label": page.title, "page": page.pk, "url": ""} for page in more]
    )
    menus["menu"].save()
    assert count() == few
