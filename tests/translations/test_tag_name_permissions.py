"""Translators name the free tags in their own languages, in the admin's tag name snippets:
the names of other languages are neither listed, offered, created, changed nor deleted."""

import re

import pytest
from django.urls import reverse
from taggit.models import Tag

from home.languages.trees import synchronize_locale_trees
from home.models import TagName
from tests.factories import CaseStudyIndexPageFactory, CaseStudyPageFactory
from tests.translations.conftest import make_user

pytestmark = pytest.mark.django_db

LIST = reverse("wagtailsnippets_home_tagname:list")
ADD = reverse("wagtailsnippets_home_tagname:add")


def edit_url(name):
    return reverse("wagtailsnippets_home_tagname:edit", args=[name.pk])


@pytest.fixture
def names(home):
    index = CaseStudyIndexPageFactory(parent=home)
    CaseStudyPageFactory(parent=index, slug="oslo", tags=["LED lighting", "heat pumps"])
    synchronize_locale_trees()
    led = Tag.objects.get(slug="led-lighting")
    return {
        "de": TagName.objects.create(tag=led, language="de", name="LED-Beleuchtung"),
        "fr": TagName.objects.create(tag=led, language="fr", name="Éclairage LED"),
    }


@pytest.fixture
def translator(db):
    return make_user("greta", "Translators (de)")


def offered_languages(html):
    select = re.search(r'<select name="language".*?</select>', html, re.S).group(0)
    return [code for code in re.findall(r'<option value="(\w*)"', select) if code]


def test_a_translator_lists_and_edits_the_names_of_their_language(client, translator, names):
    client.force_login(translator)
    listing = client.get(LIST)
    assert listing.status_code == 200
    body = listing.content.decode()
    assert "LED-Beleuchtung" in body and "Éclairage LED" not in body

    response = client.get(edit_url(names["de"]))
    assert response.status_code == 200
    assert offered_languages(response.content.decode()) == ["de"]
    data = {"tag": names["de"].tag_id, "language": "de", "name": "LED-Leuchten"}
    assert client.post(edit_url(names["de"]), data).status_code == 302
    names["de"].refresh_from_db()
    assert names["de"].name == "LED-Leuchten"
    client.logout()
    assert '<a href="/de/tags/led-lighting/">LED-Leuchten</a>' in (
        client.get("/de/case-studies/oslo/").content.decode()
    )


def test_a_translator_names_a_tag_in_their_language(client, translator, names):
    client.force_login(translator)
    response = client.get(ADD)
    assert response.status_code == 200
    assert offered_languages(response.content.decode()) == ["de"]
    pumps = Tag.objects.get(slug="heat-pumps")
    response = client.post(ADD, {"tag": pumps.pk, "language": "de", "name": "Wärmepumpen"})
    assert response.status_code == 302
    assert TagName.objects.get(tag=pumps, language="de").name == "Wärmepumpen"


def test_names_of_other_languages_are_refused(client, translator, names):
    client.force_login(translator)
    french = names["fr"]
    assert client.get(edit_url(french)).status_code == 403
    data = {"tag": french.tag_id, "language": "fr", "name": "piraté"}
    assert client.post(edit_url(french), data).status_code == 403
    # Nor may a German name be moved to another language, nor a new one made in it.
    german = {"tag": names["de"].tag_id, "language": "fr", "name": "piraté"}
    assert client.post(edit_url(names["de"]), german).status_code == 403
    pumps = Tag.objects.get(slug="heat-pumps")
    assert client.post(ADD, {"tag": pumps.pk, "language": "en", "name": "x"}).status_code == 403
    assert not TagName.objects.filter(name__in=["piraté", "x"]).exists()
    assert TagName.objects.get(pk=french.pk).name == "Éclairage LED"
    # Deleting is the editors' (translators are given add and change only).
    delete = reverse("wagtailsnippets_home_tagname:delete", args=[names["de"].pk])
    assert client.post(delete).status_code in (302, 403)
    assert TagName.objects.filter(pk=names["de"].pk).exists()


def test_an_unknown_name_is_not_found(client, translator, names):
    client.force_login(translator)
    url = reverse("wagtailsnippets_home_tagname:edit", args=[999999])
    assert client.get(url, follow=True).status_code == 404


def test_an_editor_names_tags_in_every_language(client, names):
    client.force_login(make_user("elena", "Editors"))
    body = client.get(LIST).content.decode()
    assert "LED-Beleuchtung" in body and "Éclairage LED" in body
    assert len(offered_languages(client.get(ADD).content.decode())) == 24
    assert client.get(edit_url(names["fr"])).status_code == 200
