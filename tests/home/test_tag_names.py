"""Free tags: one language-neutral key (the slug) shared by every language version of a page,
shown by its name in the visitor's language where editors gave one, else by its own name."""

import json
import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from taggit.models import Tag
from wagtail.models import Site

from casestudies.models import CaseStudyPage
from home.languages.trees import synchronize_locale_trees
from home.models import TagName
from home.taxonomy import tag_names, tag_names_memo
from importer.importing import import_content
from tests.factories import CaseStudyIndexPageFactory, CaseStudyPageFactory
from tests.utils import class_data, translate_page

pytestmark = pytest.mark.django_db

DEMO = Path(__file__).resolve().parents[2] / "demo" / "content.json"


def name(slug, language, text):
    return TagName.objects.create(tag=Tag.objects.get(slug=slug), language=language, name=text)


@pytest.fixture
def index(home):
    return CaseStudyIndexPageFactory(parent=home)


@class_data
def study_pk():
    """A tagged case study in the 24 language trees, made once for the class that reads it
    (its primary key); the module's other tests import tags of the same names."""
    home = Site.objects.get(is_default_site=True).root_page.specific
    page = CaseStudyPageFactory(
        parent=CaseStudyIndexPageFactory(parent=home),
        title="Oslo lights",
        slug="oslo",
        tags=["LED lighting", "heat pumps"],
    )
    name("led-lighting", "de", "LED-Beleuchtung")
    name("led-lighting", "fr", "Éclairage LED")  # another language's name is not shown in German
    synchronize_locale_trees()
    return page.pk


def heading(body):
    return re.search(r"<h1[^>]*>(.*?)</h1>", body, re.S).group(1).strip()


def title(body):
    return re.search(r"<title>(.*?)</title>", body, re.S).group(1).strip()


@pytest.mark.django_db
class TestTheTagsOfAStudy:
    @pytest.fixture
    def study(self, study_pk):
        return CaseStudyPage.objects.get(pk=study_pk)

    def test_a_german_case_study_names_its_tags_in_german_and_links_their_german_pages(
        self, client, study
    ):
        translate_page(study, "de", title="Oslo beleuchtet")
        body = client.get("/de/case-studies/oslo/").content.decode()
        assert "Oslo beleuchtet" in body
        assert '<a href="/de/tags/led-lighting/">LED-Beleuchtung</a>' in body
        assert "LED lighting" not in body and "Éclairage LED" not in body
        # A tag without a German name keeps its own.
        assert '<a href="/de/tags/heat-pumps/">heat pumps</a>' in body

    def test_the_german_fallback_page_names_the_tags_in_german_too(self, client, study):
        body = client.get("/de/case-studies/oslo/").content.decode()
        assert '<a href="/de/tags/led-lighting/">LED-Beleuchtung</a>' in body

    def test_the_english_page_keeps_the_tags_own_names(self, client, study):
        body = client.get("/en/case-studies/oslo/").content.decode()
        assert '<a href="/en/tags/led-lighting/">LED lighting</a>' in body
        assert "LED-Beleuchtung" not in body

    def test_the_tag_page_in_german_is_titled_in_german(self, client, study):
        body = client.get("/de/tags/led-lighting/").content.decode()
        assert heading(body) == "Verschlagwortet mit „LED-Beleuchtung“"
        assert title(body).startswith("Verschlagwortet mit „LED-Beleuchtung“")
        assert 'href="/de/case-studies/oslo/"' in body

    def test_the_tag_page_falls_back_to_the_tags_own_name(self, client, study):
        body = client.get("/de/tags/heat-pumps/").content.decode()
        # The name is the tag's own, in English: marked so inside the German heading.
        assert heading(body) == 'Verschlagwortet mit „<span lang="en">heat pumps</span>“'
        assert title(body).startswith("Verschlagwortet mit „heat pumps“")

    def test_the_case_study_index_filters_by_tags_named_in_german(self, client, study):
        body = client.get("/de/case-studies/").content.decode()
        count = '<span class="tag__count">'
        assert re.search(rf'href="\?tag=led-lighting"[^>]*>LED-Beleuchtung {count}', body)
        assert re.search(rf'href="\?tag=heat-pumps"[^>]*>heat pumps {count}', body)
        selected = client.get("/de/case-studies/", {"tag": "led-lighting"}).content.decode()
        assert "LED-Beleuchtung <span" in selected and "led-lighting <span" not in selected

    def test_an_editor_names_a_tag_in_the_admin_and_the_next_request_shows_it(
        self, client, study, django_capture_on_commit_callbacks
    ):
        translate_page(study, "de", title="Oslo beleuchtet")
        assert "heat pumps</a>" in client.get("/de/case-studies/oslo/").content.decode()
        generation = tag_names_memo.changes.current()
        stale = dict(tag_names_memo.entries)

        editor = get_user_model().objects.create_user("elena", "elena@example.org", "pw")
        editor.groups.add(Group.objects.get(name="Editors"))
        client.force_login(editor)
        add = reverse("wagtailsnippets_home_tagname:add")
        assert client.get(add).status_code == 200
        data = {
            "tag": Tag.objects.get(slug="heat-pumps").pk,
            "language": "de",
            "name": "Wärmepumpen",
        }
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(add, data)
        assert response.status_code == 302, response.content.decode()[:2000]
        listing = client.get(reverse("wagtailsnippets_home_tagname:list"), {"q": "Wärme"})
        assert "Wärmepumpen" in listing.content.decode()
        client.logout()
        assert "Wärmepumpen</a>" in client.get("/de/case-studies/oslo/").content.decode()

        # Another process, holding the names from before, sees the bumped generation.
        assert tag_names_memo.changes.current() != generation
        tag_names_memo.entries, tag_names_memo.generation = stale, generation
        tag_names_memo.checked = None
        assert tag_names("de")["heat-pumps"] == "Wärmepumpen"

        named = TagName.objects.get(name="Wärmepumpen")
        client.force_login(editor)
        edit = reverse("wagtailsnippets_home_tagname:edit", args=[named.pk])
        with django_capture_on_commit_callbacks(execute=True):
            assert client.post(edit, {**data, "name": "Wärmepumpenanlagen"}).status_code == 302
        client.logout()
        body = client.get("/de/tags/heat-pumps/").content.decode()
        assert heading(body) == "Verschlagwortet mit „Wärmepumpenanlagen“"


def queries(client, path):
    client.get(path)  # the per-process memos (locales, addresses, menus, names), read once
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured.captured_queries)


def test_queries_do_not_grow_with_the_number_of_tags_shown(client, index):
    few = CaseStudyPageFactory(parent=index, title="Few", slug="few", tags=["t0"])
    many = CaseStudyPageFactory(
        parent=index, title="Many", slug="many", tags=[f"t{i}" for i in range(12)]
    )
    for i in range(12):
        name(f"t{i}", "de", f"Schlagwort {i}")
    synchronize_locale_trees()
    translate_page(few, "de", title="Wenige")
    translate_page(many, "de", title="Viele")
    assert "Schlagwort 11" in client.get("/de/case-studies/many/").content.decode()
    assert queries(client, "/de/case-studies/many/") == queries(client, "/de/case-studies/few/")


def test_the_index_asks_nothing_more_for_the_tag_names(client, index):
    CaseStudyPageFactory(parent=index, title="One", slug="one", tags=["t0"])
    synchronize_locale_trees()
    without = queries(client, "/de/case-studies/")
    CaseStudyPageFactory(parent=index, title="Two", slug="two", tags=[f"t{i}" for i in range(12)])
    for i in range(12):
        name(f"t{i}", "de", f"Schlagwort {i}")
    synchronize_locale_trees()
    assert "Schlagwort 11" in client.get("/de/case-studies/").content.decode()
    assert queries(client, "/de/case-studies/") == without


def demo_tags():
    return json.loads(DEMO.read_text(encoding="utf-8"))["tags"]


def test_the_demo_seed_names_every_demo_tag_in_five_languages_and_loads():
    data = json.loads(DEMO.read_text(encoding="utf-8"))
    used = {
        tag
        for section in ("case_studies", "news", "events")
        for record in data[section]
        for tag in record.get("tags") or []
    }
    assert {record["name"] for record in data["tags"]} == used
    ctx = import_content({"tags": data["tags"]})
    assert not ctx.conflicts
    for language in ("de", "fr", "pl", "es", "it"):
        assert TagName.objects.filter(language=language).count() == len(used)
    assert tag_names("de")["led-lighting"] == "LED-Beleuchtung"
    assert tag_names("pl")["heat-pumps"] == "pompy ciepła"
    assert tag_names("fi") == {}  # no Finnish names: tags show their own


def test_the_import_is_idempotent_and_keeps_what_editors_changed():
    records = demo_tags()
    import_content({"tags": records})
    count = TagName.objects.count()
    again = import_content({"tags": records})
    assert TagName.objects.count() == count and not again.conflicts
    assert again.counts["tags"]["de"]["unchanged"] == len(records)

    edited = TagName.objects.get(tag__slug="heat-pumps", language="de")
    edited.name = "Wärmepumpenanlagen"
    edited.save()
    ctx = import_content({"tags": records})
    assert [str(c) for c in ctx.conflicts] == [
        'tags "heat-pumps" (de): not as the file has it (changed in the admin or in the file)'
    ]
    assert TagName.objects.get(pk=edited.pk).name == "Wärmepumpenanlagen"
    forced = import_content({"tags": records}, force={"tags:heat-pumps"})
    assert forced.counts["tags"]["de"]["updated"] == 1
    assert TagName.objects.get(pk=edited.pk).name == "Wärmepumpen"


def test_the_import_writes_nothing_when_a_record_is_wrong():
    from importer.importing import ImportFileError

    records = [*demo_tags(), {"key": "Not a slug", "name": "x"}]
    with pytest.raises(ImportFileError, match="slug"):
        import_content({"tags": records})
    assert not TagName.objects.exists()


def test_the_demo_case_studies_use_the_seeded_tags():
    """The tags section comes before the case studies, which find its tags by name."""
    from importer.sections import tag_named

    import_content({"tags": demo_tags()})
    tags = Tag.objects.count()
    assert tag_named("LED lighting").slug == "led-lighting"
    assert Tag.objects.count() == tags
