"""Menus in the admin: link addresses of this site, the demo menu saved as it is by an editor,
addresses shown in the visitor's language, and snippet lists in the user's language."""

import json
import re
import tempfile
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from wagtail.blocks import StreamValue
from wagtail.models import Locale, Page
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield
from wagtail.users.models import UserProfile

from home.languages.trees import synchronize_locale_trees
from home.menus import in_language
from home.models import Footer, NavigationMenu, Topic
from home.models.snippets import LinkAddressBlock, LinkBlock
from tests.factories import NavigationMenuFactory, StandardPageFactory, TopicFactory
from tests.utils import class_data

pytestmark = pytest.mark.django_db
LOGIN_BACKEND = "django.contrib.auth.backends.ModelBackend"


def links(*values):
    return json.dumps([{"type": "link", "value": value} for value in values])


def make_user(username, *groups, language=""):
    user = get_user_model().objects.create_user(username, f"{username}@example.org", "pw")
    user.groups.set([Group.objects.get(name=name) for name in groups])
    if language:
        profile = UserProfile.get_for_user(user)
        profile.preferred_language = language
        profile.save()
    return user


@pytest.fixture
def editor(db):
    return make_user("elena", "Editors")


# The address field ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "address",
    [
        "/en/topics/",
        "/de/topics/energy/?page=2#list",
        "/documents/1/report.pdf",
        "https://procuraplus.org/",
        "http://example.org/a?b=c",
    ],
)
def test_addresses_of_this_site_and_web_addresses_are_accepted(address):
    assert LinkAddressBlock(required=False).clean(address) == address


@pytest.mark.parametrize(
    "address",
    [
        "en/topics/",
        "//evil.example.org/",
        "/en/some topic/",
        "ftp://example.org/file",
        "javascript:alert(1)",
        "mailto:network@example.org",
        "www.example.org",
    ],
)
def test_anything_else_is_refused_with_a_message_that_says_what_to_enter(address):
    with pytest.raises(ValidationError) as refused:
        LinkAddressBlock(required=False).clean(address)
    assert "starting with “/”" in refused.value.messages[0]


def test_a_link_needs_a_page_or_an_address():
    block = LinkBlock()
    with pytest.raises(ValidationError) as refused:
        block.clean(block.to_python({"label": "Nowhere", "page": None, "url": ""}))
    assert "Choose a page or enter an address." in str(refused.value.block_errors["page"])
    assert block.clean(block.to_python({"label": "Topics", "page": None, "url": "/en/topics/"}))


# Addresses in the visitor's language ------------------------------------------------------


@pytest.mark.parametrize(
    ("address", "language", "shown"),
    [
        ("/en/topics/", "de", "/de/topics/"),
        ("/en/topics/", "en", "/en/topics/"),
        ("/en/topics/energy/?page=2#list", "fr", "/fr/topics/energy/?page=2#list"),
        ("/de/search/?q=bus", "pl", "/pl/search/?q=bus"),
        ("/en/", "de", "/de/"),
        ("/documents/1/report.pdf", "de", "/documents/1/report.pdf"),
        ("/en", "de", "/en"),
        ("https://procuraplus.org/en/", "de", "https://procuraplus.org/en/"),
    ],
)
def test_an_address_of_this_site_is_given_in_the_language_asked(address, language, shown):
    with translation.override(language):
        assert in_language(address) == shown


def test_the_topics_link_of_the_english_menu_goes_to_each_languages_topics(client, home):
    NavigationMenuFactory(items=links({"label": "Topics", "page": None, "url": "/en/topics/"}))
    for language in ("en", "de", "fr"):
        body = client.get(f"/{language}/").content.decode()
        nav = body.split('<nav class="main-nav"', 1)[1].split("</nav>", 1)[0]
        assert f'href="/{language}/topics/">Topics</a>' in nav


def test_a_page_chosen_in_another_languages_tree_links_each_languages_version(
    client, home, locale_de
):
    about = StandardPageFactory(parent=home, title="About", slug="about")
    synchronize_locale_trees()
    german = Page.objects.get(translation_key=about.translation_key, locale=locale_de)
    NavigationMenuFactory(items=links({"label": "About us", "page": german.pk, "url": ""}))
    for language in ("en", "de", "fr"):
        body = client.get(f"/{language}/").content.decode()
        assert f'href="/{language}/about/">About us</a>' in body


# The demo menus, saved in the admin as they are ---------------------------------------------

DEMO_SECTIONS = (
    "pages",
    "case_study_index",
    "manual",
    "news_index",
    "event_index",
    "navigation",
    "footer",
)


@class_data
def demo_menu_pks():
    """The demo file's menus and the pages they link to (pages in English only; the menus
    with two of their translations, to keep the tests short), imported once for the class:
    the menus' primary keys."""
    data = json.loads((settings.BASE_DIR / "demo" / "content.json").read_text("utf-8"))
    subset = {}
    for section in DEMO_SECTIONS:
        records = []
        for record in data[section]:
            kept = {"de", "fr"} if section in ("navigation", "footer") else set()
            translations = record.get("translations", {})
            records.append(
                {**record, "translations": {k: v for k, v in translations.items() if k in kept}}
            )
        subset[section] = records
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "menus.json"
        path.write_text(json.dumps(subset), encoding="utf-8")
        call_command("import_content", str(path), stdout=open("/dev/null", "w"))  # noqa: SIM115
    return {
        "navigation": NavigationMenu.objects.get(locale=Locale.get_default()).pk,
        "footer": Footer.objects.get(locale=Locale.get_default()).pk,
    }


@pytest.fixture
def demo_menus(demo_menu_pks):
    return {
        "navigation": NavigationMenu.objects.get(pk=demo_menu_pks["navigation"]),
        "footer": Footer.objects.get(pk=demo_menu_pks["footer"]),
    }


def stream_form_data(stream_value):
    """A StreamField of links as Wagtail's admin form posts it."""
    return streamfield(
        [
            (
                child.block_type,
                {
                    "label": child.value["label"],
                    "page": child.value["page"].pk if child.value["page"] else "",
                    "url": child.value["url"],
                },
            )
            for child in stream_value
        ]
    )


def raw_links(stream_value):
    return [
        (c["value"]["label"], c["value"]["page"], c["value"]["url"]) for c in stream_value.raw_data
    ]


class TestTheDemoMenus:
    """The demo menus, saved in the admin."""

    @pytest.mark.parametrize(("kind", "field"), [("navigation", "items"), ("footer", "links")])
    def test_the_demo_menus_save_unchanged_in_the_admin(
        self, client, editor, demo_menus, kind, field
    ):
        menu = demo_menus[kind]
        before = raw_links(getattr(menu, field))
        if kind == "navigation":
            assert ("Topics", None, "/en/topics/") in before
        meta = menu._meta
        url = reverse(f"wagtailsnippets_{meta.app_label}_{meta.model_name}:edit", args=[menu.pk])
        client.force_login(editor, backend=LOGIN_BACKEND)
        assert client.get(url).status_code == 200
        fields = {"name": menu.name, field: stream_form_data(getattr(menu, field))}
        if kind == "footer":
            fields["about"] = rich_text(menu.about)
        response = client.post(url, nested_form_data({**fields, "action-publish": "publish"}))
        assert response.status_code == 302, response.context["form"].errors
        menu.refresh_from_db()
        assert menu.live and not menu.has_unpublished_changes
        assert raw_links(getattr(menu, field)) == before
        if kind == "footer":
            assert "ICLEI" in menu.about

    def test_an_address_that_is_not_one_is_refused_in_the_admin_with_its_message(
        self, client, editor, demo_menus
    ):
        menu = demo_menus["navigation"]
        url = reverse("wagtailsnippets_home_navigationmenu:edit", args=[menu.pk])
        client.force_login(editor, backend=LOGIN_BACKEND)
        items = stream_form_data(
            StreamValue(menu.items.stream_block, [("link", menu.items[0].value)], is_lazy=False)
        )
        items["0"]["value"]["url"] = "topics"
        items["0"]["value"]["page"] = ""
        response = client.post(url, nested_form_data({"name": menu.name, "items": items}))
        assert response.status_code == 200
        error = response.context["form"].errors["items"].as_data()[0]
        url_error = error.block_errors[0].block_errors["url"]
        assert "starting with “/”" in url_error.messages[0]
        menu.refresh_from_db()
        assert raw_links(menu.items)[0][1] is not None  # unchanged


# Snippet lists in the user's language -------------------------------------------------------


@pytest.fixture
def topics_in_two_languages(locale_de):
    english = TopicFactory(name="Energy", slug="energy")
    german = english.copy_for_translation(locale_de)
    german.name = "Energie"
    german.save()
    return english, german


def listed(client, query=""):
    url = reverse("wagtailsnippets_home_topic:list")
    response = client.get(url + query)
    assert response.status_code == 200
    return {str(item) for item in response.context["object_list"]}


def test_a_snippet_list_opens_in_the_users_language(client, topics_in_two_languages):
    german_speaker = make_user("greta", "Editors", language="de")
    client.force_login(german_speaker, backend=LOGIN_BACKEND)
    assert listed(client) == {"Energie"}
    assert listed(client, "?locale=en") == {"Energy"}
    assert listed(client, "?locale=") == {"Energy", "Energie"}  # "All"


def test_an_english_speaker_sees_english_and_may_choose_all(client, topics_in_two_languages):
    client.force_login(make_user("ellen", "Editors", language="en"), backend=LOGIN_BACKEND)
    assert listed(client) == {"Energy"}
    response = client.get(reverse("wagtailsnippets_home_topic:list"))
    # The filter shows the language the list is in, and the "add" button adds in it.
    assert re.search(r'name="locale" value="en"[^>]* checked', response.content.decode())
    assert Topic.objects.count() == 2


def test_a_translator_s_list_opens_in_their_own_language(client, topics_in_two_languages):
    # The admin speaks English to them; they work in German (translations/permissions.py).
    client.force_login(make_user("greta", "Translators (de)", language="en"), backend=LOGIN_BACKEND)
    assert listed(client) == {"Energie"}
    assert listed(client, "?locale=en") == {"Energy"}
