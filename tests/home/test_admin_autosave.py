"""Wagtail's autosave in the admin: while an editor types, the editor's form is posted (asking
for JSON) to the page's or snippet's edit or create view, which saves a draft. For every page
type and the translatable snippets it answers 2xx; what a draft may still lack (an event's
venue and dates, a case study's year) is required when publishing."""

import datetime
import threading

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.backends.sqlite3.base import DatabaseWrapper
from django.db.utils import OperationalError
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page
from wagtail.test.utils.form_data import nested_form_data, querydict_from_html, rich_text
from wagtail.test.utils.form_data import streamfield as stream_data

from casestudies.models import CaseStudyPage
from news.models import EventPage
from tests.factories import (
    ApproachFactory,
    CaseStudyIndexPageFactory,
    CaseStudyPageFactory,
    EventIndexPageFactory,
    EventPageFactory,
    FooterFactory,
    ManualChapterPageFactory,
    ManualPageFactory,
    NavigationMenuFactory,
    NewsIndexPageFactory,
    NewsPageFactory,
    StandardPageFactory,
    TopicFactory,
)
from tests.utils import edit_form_data

pytestmark = [pytest.mark.django_db, pytest.mark.long_running]
LOGIN_BACKEND = "django.contrib.auth.backends.ModelBackend"
JSON = {"Accept": "application/json"}


@pytest.fixture
def editor(client):
    user = get_user_model().objects.create_user("elena", "elena@example.org", "pw")
    user.groups.set([Group.objects.get(name="Editors")])
    client.force_login(user, backend=LOGIN_BACKEND)
    return user


FACTORIES = {
    "standard": lambda parent: StandardPageFactory(parent=parent, title="About", slug="about"),
    "case study index": lambda parent: CaseStudyIndexPageFactory(parent=parent),
    "case study": lambda parent: CaseStudyPageFactory(parent=parent),
    "manual": lambda parent: ManualPageFactory(parent=parent),
    "manual chapter": lambda parent: ManualChapterPageFactory(parent=parent),
    "news index": lambda parent: NewsIndexPageFactory(parent=parent),
    "news": lambda parent: NewsPageFactory(parent=parent),
    "event index": lambda parent: EventIndexPageFactory(parent=parent),
    "event": lambda parent: EventPageFactory(parent=parent, online=False, venue="Bonn"),
}
PARENTS = {
    "case study": "case study index",
    "manual chapter": "manual",
    "news": "news index",
    "event": "event index",
}


def make_page(home, kind):
    """A published page of the kind (under published parents), as the demo content has it."""
    if kind == "home":
        page = home
    else:
        parent = make_page(home, PARENTS[kind]) if kind in PARENTS else home
        page = FACTORIES[kind](parent)
    page.save_revision().publish()
    return page.specific_class.objects.get(pk=page.pk)


PAGE_TYPES = [
    "home",
    "standard",
    "case study index",
    "case study",
    "manual",
    "manual chapter",
    "news index",
    "news",
    "event index",
    "event",
]


def has_body(page):
    return any(field.name == "body" for field in page._meta.get_fields())


def autosave_data(client, page, title):
    """The edit form as the editor's browser posts it when autosaving: the form as loaded
    (with the revision it was loaded at), a new title and a paragraph typed into the body."""
    streams = {"body": [("paragraph", rich_text("<p>Typed while editing.</p>"))]}
    data = edit_form_data(client, page, **(streams if has_body(page) else {}))
    del data["action-publish"]
    data["title"] = title
    return data


@pytest.mark.parametrize("kind", PAGE_TYPES)
def test_autosaving_an_edit_saves_a_draft_of_every_page_type(client, editor, home, kind):
    page = make_page(home, kind)
    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    data = autosave_data(client, page, "Edited while typing")
    assert data["loaded_revision_id"] == str(page.latest_revision_id)

    response = client.post(url, data, headers=JSON)
    assert response.status_code == 200, response.content[:500]
    answer = response.json()
    assert answer["success"] is True
    revision = page.revisions.get(pk=answer["revision_id"])
    assert revision.content["title"] == "Edited while typing"
    page.refresh_from_db()
    assert page.live and page.has_unpublished_changes and page.title != "Edited while typing"

    # The editor goes on typing: the next autosave overwrites the draft it made.
    data["title"] = "Edited while typing, twice"
    data["overwrite_revision_id"] = answer["revision_id"]
    again = client.post(url, data, headers=JSON)
    assert again.status_code == 200, again.content[:500]
    assert again.json()["revision_id"] == answer["revision_id"]
    revision.refresh_from_db()
    assert revision.content["title"] == "Edited while typing, twice"


CREATABLE = [
    ("standard", "home", "home", "standardpage"),
    ("case study", "case study index", "casestudies", "casestudypage"),
    ("manual chapter", "manual", "manual", "manualchapterpage"),
    ("news", "news index", "news", "newspage"),
    ("event", "event index", "news", "eventpage"),
]


@pytest.mark.parametrize(("kind", "parent", "app", "model"), CREATABLE)
def test_autosaving_a_new_page_saves_a_draft_from_the_first_keystroke(
    client, editor, home, kind, parent, app, model
):
    """Wagtail autosaves a new page half a second after the editor types its title: the
    draft is saved while the fields the page needs for publishing are still empty."""
    parent = make_page(home, parent)
    url = reverse("wagtailadmin_pages:add", args=[app, model, parent.pk])
    form = client.get(url)
    assert form.status_code == 200
    data = querydict_from_html(form.content.decode(), form_id="page-edit-form").dict()
    data.update(nested_form_data({"body": stream_data([])}))
    # Wagtail's script fills the slug in from the title.
    data.update(title="A new page", slug="a-new-page")

    response = client.post(url, data, headers=JSON)
    assert response.status_code == 200, response.content[:500]
    answer = response.json()
    assert answer["success"] is True
    draft = Page.objects.get(pk=answer["pk"]).specific
    assert draft.title == "A new page" and not draft.live
    assert draft.get_parent().pk == parent.pk


def create_and_publish(client, parent, app, model, **fields):
    url = reverse("wagtailadmin_pages:add", args=[app, model, parent.pk])
    data = querydict_from_html(client.get(url).content.decode(), form_id="page-edit-form").dict()
    data.update(nested_form_data({"body": stream_data([])}))
    data.update(fields, **{"action-publish": "action-publish"})
    return client.post(url, data)


def test_a_case_study_is_published_with_its_year_only(client, editor, home):
    index = make_page(home, "case study index")
    fields = {
        "title": "Tartu cargo bikes",
        "slug": "tartu-cargo-bikes",
        "organisation": "City of Tartu",
        "country": "EE",
        "authority_type": "municipality",
    }
    refused = create_and_publish(client, index, "casestudies", "casestudypage", **fields)
    assert refused.status_code == 200
    assert "year" in refused.context["form"].errors
    assert not CaseStudyPage.objects.filter(slug="tartu-cargo-bikes").exists()

    published = create_and_publish(
        client, index, "casestudies", "casestudypage", **fields, year="2024"
    )
    assert published.status_code == 302
    study = CaseStudyPage.objects.get(slug="tartu-cargo-bikes", locale__language_code="en")
    assert study.live and study.year == 2024


def test_an_event_is_published_with_its_dates_and_a_venue_or_online_only(client, editor, home):
    index = make_page(home, "event index")
    start = timezone.localtime() + datetime.timedelta(days=10)
    fields = {"title": "Heat pumps webinar", "slug": "heat-pumps-webinar"}
    dates = {
        "start": start.strftime("%Y-%m-%d %H:%M"),
        "end": (start + datetime.timedelta(hours=1)).strftime("%Y-%m-%d %H:%M"),
    }

    refused = create_and_publish(client, index, "news", "eventpage", **fields)
    assert refused.status_code == 200
    assert {"start", "end", "venue"} <= set(refused.context["form"].errors)

    refused = create_and_publish(client, index, "news", "eventpage", **fields, **dates)
    assert refused.status_code == 200
    assert refused.context["form"].errors["venue"] == ["Give a venue, or mark the event as online."]

    published = create_and_publish(
        client, index, "news", "eventpage", **fields, **dates, online="on"
    )
    assert published.status_code == 302
    event = EventPage.objects.get(slug="heat-pumps-webinar", locale__language_code="en")
    assert event.live and event.online and event.start is not None


def with_empty_related_row(data):
    """The form after the editor clicked "Add related case study", before choosing one."""
    n = int(data["related_case_studies-TOTAL_FORMS"])
    data.update(
        {
            f"related_case_studies-{n}-id": "",
            f"related_case_studies-{n}-case_study": "",
            f"related_case_studies-{n}-ORDER": str(n + 1),
            f"related_case_studies-{n}-DELETE": "",
            "related_case_studies-TOTAL_FORMS": str(n + 1),
        }
    )
    return data


def test_a_related_case_study_not_yet_chosen_is_autosaved_not_published(client, editor, home):
    study = make_page(home, "case study")
    url = reverse("wagtailadmin_pages:edit", args=[study.pk])
    data = with_empty_related_row(autosave_data(client, study, "Related to come"))
    response = client.post(url, data, headers=JSON)
    assert response.status_code == 200, response.content[:500]
    assert response.json()["success"] is True

    data = with_empty_related_row(edit_form_data(client, study))
    data["action-publish"] = "action-publish"
    refused = client.post(url, data)
    assert refused.status_code == 200
    assert refused.context["form"].formsets["related_case_studies"].errors[-1] == {
        "case_study": ["This field is required."]
    }
    study.refresh_from_db()
    assert study.related_case_studies.count() == 0


def test_a_draft_event_without_dates_previews(client, editor, home):
    """The preview panel refreshes as the editor types; a new event has no dates yet."""
    index = make_page(home, "event index")
    url = reverse("wagtailadmin_pages:preview_on_add", args=["news", "eventpage", index.pk])
    add_url = reverse("wagtailadmin_pages:add", args=["news", "eventpage", index.pk])
    data = querydict_from_html(
        client.get(add_url).content.decode(), form_id="page-edit-form"
    ).dict()
    data.update(nested_form_data({"body": stream_data([])}))
    data.update(title="Heat pumps webinar", slug="heat-pumps-webinar")
    posted = client.post(url, data)
    assert posted.status_code == 200
    assert posted.json() == {"is_valid": True, "is_available": True}
    shown = client.get(url)
    assert shown.status_code == 200
    assert "Heat pumps webinar" in shown.content.decode()


def link(label, url):
    return ("link", {"label": label, "page": "", "url": url})


SNIPPETS = {
    "navigation menu": (
        lambda: NavigationMenuFactory(),
        lambda: {"name": "Main navigation", "items": stream_data([link("Topics", "/en/topics/")])},
    ),
    "footer": (
        lambda: FooterFactory(),
        lambda: {
            "name": "Footer",
            "about": rich_text("<p>ICLEI co-ordinates the network.</p>"),
            "links": stream_data([link("Privacy", "/en/privacy/")]),
        },
    ),
    "topic": (lambda: TopicFactory(name="Energy", slug="energy"), lambda: {"slug": "energy"}),
    "approach": (
        lambda: ApproachFactory(name="Life-cycle costing", slug="life-cycle-costing"),
        lambda: {"slug": "life-cycle-costing", "description": ""},
    ),
}


@pytest.mark.parametrize("kind", SNIPPETS)
def test_autosaving_a_snippet_saves_a_draft(client, editor, kind):
    make, fields = SNIPPETS[kind]
    snippet = make()
    snippet.save_revision().publish()
    snippet.refresh_from_db()
    meta = snippet._meta
    url = reverse(f"wagtailsnippets_{meta.app_label}_{meta.model_name}:edit", args=[snippet.pk])
    form = client.get(url)
    assert form.status_code == 200
    revision = snippet.latest_revision
    data = nested_form_data(fields())
    data["name"] = "Edited while typing"
    data["loaded_revision_id"] = str(revision.pk)
    data["loaded_revision_created_at"] = revision.created_at.isoformat()

    response = client.post(url, data, headers=JSON)
    assert response.status_code == 200, response.content[:500]
    answer = response.json()
    assert answer["success"] is True
    assert snippet.revisions.get(pk=answer["revision_id"]).content["name"] == (
        "Edited while typing"
    )


# Two editors' autosaves at the same moment, on SQLite (`make run`) -------------------------


@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3",
    reason="SQLite's locking only",
)
def test_two_writers_on_sqlite_wait_for_each_other(tmp_path):
    """Each autosave reads, then writes in one transaction. In SQLite's default (deferred)
    mode the second of two such transactions fails at once ("database is locked": a 500 for
    one of two editors autosaving together); in the mode the settings choose it waits."""

    def connect():
        return DatabaseWrapper(
            {**settings.DATABASES["default"], "NAME": str(tmp_path / "db.sqlite3")},
            alias="writers",
        )

    def begin(wrapper):
        # What transaction.atomic() does first on SQLite.
        wrapper.ensure_connection()
        wrapper._start_transaction_under_autocommit()

    first = connect()
    with first.cursor() as cursor:
        cursor.execute("CREATE TABLE draft (id INTEGER PRIMARY KEY, title TEXT)")
        cursor.execute("INSERT INTO draft VALUES (1, 'loaded')")
    first_wrote, second_done = threading.Event(), threading.Event()
    errors = []

    def second_editor():
        second = connect()
        first_wrote.wait()
        try:
            begin(second)
            with second.cursor() as cursor:
                cursor.execute("SELECT title FROM draft")
                cursor.execute("UPDATE draft SET title = 'second' WHERE id = 1")
                cursor.execute("COMMIT")
        except OperationalError as error:
            errors.append(error)
        finally:
            second_done.set()
            second.close()

    thread = threading.Thread(target=second_editor)
    thread.start()
    begin(first)
    with first.cursor() as cursor:
        cursor.execute("SELECT title FROM draft")
        cursor.execute("UPDATE draft SET title = 'first' WHERE id = 1")
        first_wrote.set()
        # In deferred mode the second transaction fails while this one is open; in immediate
        # mode it waits for this one to commit.
        second_done.wait(timeout=2)
        cursor.execute("COMMIT")
    thread.join()
    with first.cursor() as cursor:
        cursor.execute("SELECT title FROM draft")
        title = cursor.fetchone()[0]
    first.close()
    assert errors == []
    assert title == "second"
