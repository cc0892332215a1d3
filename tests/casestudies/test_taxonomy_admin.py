"""Topics and approaches in the page editor: a page's own language's terms, as checkboxes;
translations made by wagtail-localize linked to their language's terms."""

import pytest
from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.urls import reverse
from wagtail_localize.models import TranslationSource

from casestudies.models import Approach
from home.languages.trees import synchronize_locale_trees
from tests.factories import (
    ApproachFactory,
    CaseStudyIndexPageFactory,
    CaseStudyPageFactory,
    NewsIndexPageFactory,
    NewsPageFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db
LOGIN_BACKEND = "django.contrib.auth.backends.ModelBackend"


def translated(term, locale, name):
    version = term.copy_for_translation(locale)
    version.name = name
    version.save()
    return version


@pytest.fixture
def terms(locale_de):
    energy = TopicFactory(name="Energy", slug="energy")
    food = TopicFactory(name="Food and catering", slug="food")  # not translated
    lcc = ApproachFactory(name="Life-cycle costing", slug="life-cycle-costing")
    return {
        "energy": energy,
        "energie": translated(energy, locale_de, "Energie"),
        "food": food,
        "lcc": lcc,
        "lzk": translated(lcc, locale_de, "Lebenszykluskosten"),
        "jp": ApproachFactory(name="Joint procurement", slug="joint-procurement"),
    }


@pytest.fixture
def editor(client):
    user = get_user_model().objects.create_user("elena", "elena@example.org", "pw")
    user.groups.set([Group.objects.get(name="Editors")])
    client.force_login(user, backend=LOGIN_BACKEND)
    return user


@pytest.fixture
def index(home):
    return CaseStudyIndexPageFactory(parent=home)


@pytest.fixture
def german_study(index, locale_de, terms):
    """A case study written in German (its own original, edited in Wagtail's page editor)."""
    index_de = index.copy_for_translation(locale_de)
    return CaseStudyPageFactory(
        parent=index_de,
        title="Wärmepumpen für Schulen",
        topics=[terms["energie"], terms["food"]],
        approaches=[terms["lzk"]],
    )


def test_a_german_translation_links_the_german_terms(
    index, terms, locale_de, django_capture_on_commit_callbacks
):
    study = CaseStudyPageFactory(
        parent=index,
        topics=[terms["energy"], terms["food"]],
        approaches=[terms["lcc"], terms["jp"]],
    )
    study.save_revision().publish()
    synchronize_locale_trees()
    source, _created = TranslationSource.get_or_create_from_instance(study)
    with django_capture_on_commit_callbacks(execute=True):
        source.create_or_update_translation(locale_de, publish=True, fallback=True)

    german = study.get_translation(locale_de)
    assert german.alias_of_id is None and german.live
    # "Energy" becomes "Energie"; a term without a German version stays as it is.
    assert set(german.topics.all()) == {terms["energie"], terms["food"]}
    assert set(german.approaches.all()) == {terms["lzk"], terms["jp"]}
    revision = german.get_latest_revision().as_object()
    assert set(revision.topics.all()) == {terms["energie"], terms["food"]}
    # The original keeps its own.
    study.refresh_from_db()
    assert set(study.topics.all()) == {terms["energy"], terms["food"]}
    # Synchronised again after the original changes: still German.
    study.topics.set([terms["energy"]])
    study.save_revision().publish()
    source.update_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        source.create_or_update_translation(locale_de, publish=True, fallback=True)
    german.refresh_from_db()
    assert list(german.topics.all()) == [terms["energie"]]


def edit_form(client, page):
    response = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert response.status_code == 200
    return response.context["form"], response.content.decode()


def test_a_german_case_study_offers_german_terms_as_checkboxes(client, editor, german_study, terms):
    form, html = edit_form(client, german_study)
    topics, approaches = form.fields["topics"], form.fields["approaches"]
    assert isinstance(topics.widget, forms.CheckboxSelectMultiple)
    assert isinstance(approaches.widget, forms.CheckboxSelectMultiple)
    # German terms, and the linked one that has no German version yet (kept, not dropped).
    assert set(topics.queryset) == {terms["energie"], terms["food"]}
    assert set(approaches.queryset) == {terms["lzk"]}
    assert set(form.initial["topics"]) == {terms["energie"].pk, terms["food"].pk}
    assert f'type="checkbox" name="topics" value="{terms["energie"].pk}"' in html
    assert f'name="topics" value="{terms["energy"].pk}"' not in html
    assert f'name="approaches" value="{terms["jp"].pk}"' not in html
    with pytest.raises(ValidationError):
        topics.clean([terms["energy"].pk])
    assert list(topics.clean([terms["energie"].pk])) == [terms["energie"]]


def test_an_english_case_study_offers_english_terms(client, editor, index, terms):
    study = CaseStudyPageFactory(parent=index, topics=[terms["energy"]])
    form, _html = edit_form(client, study)
    assert set(form.fields["topics"].queryset) == {terms["energy"], terms["food"]}
    assert set(form.fields["approaches"].queryset) == {terms["lcc"], terms["jp"]}
    assert form.initial["topics"] == [terms["energy"].pk]


def test_a_page_linking_another_languages_term_shows_it_in_its_own_language(
    client, editor, german_study, terms
):
    # As a translation kept from before: linked to the English row.
    german_study.topics.through.objects.filter(
        casestudypage=german_study, topic=terms["energie"]
    ).update(topic=terms["energy"])
    form, _html = edit_form(client, german_study)
    assert terms["energie"].pk in form.initial["topics"]
    assert terms["energy"] not in form.fields["topics"].queryset


def test_a_new_case_study_in_the_german_tree_offers_german_terms(
    client, editor, german_study, terms
):
    url = reverse(
        "wagtailadmin_pages:add",
        args=["casestudies", "casestudypage", german_study.get_parent().pk],
    )
    response = client.get(url)
    assert response.status_code == 200
    form = response.context["form"]
    assert {t.locale.language_code for t in form.fields["topics"].queryset} == {"de"}
    assert set(form.fields["approaches"].queryset) == set(
        Approach.objects.filter(locale__language_code="de")
    )


def test_news_pages_offer_their_own_languages_topics(client, editor, home, locale_de, terms):
    news = NewsIndexPageFactory(parent=home).copy_for_translation(locale_de)
    item = NewsPageFactory(parent=news, title="Neue Mitglieder")
    item.topics.set([terms["energy"]])
    item.save()
    assert list(item.topics.all()) == [terms["energie"]]  # saved in its own language
    form, _html = edit_form(client, item)
    assert isinstance(form.fields["topics"].widget, forms.CheckboxSelectMultiple)
    assert set(form.fields["topics"].queryset) == {terms["energie"]}


@pytest.mark.parametrize("model", ["home_topic", "casestudies_approach"])
def test_a_slug_taken_in_the_language_is_a_form_error(client, editor, terms, model):
    """Slugs are unique per language (a database constraint that names the language, which
    is no field of the form): adding or publishing a taken one is refused with a message."""
    taken = {"home_topic": "energy", "casestudies_approach": "life-cycle-costing"}[model]
    client.force_login(editor, backend=LOGIN_BACKEND)
    added = client.post(
        reverse(f"wagtailsnippets_{model}:add") + "?locale=en", {"name": "Again", "slug": taken}
    )
    assert added.status_code == 200
    assert "with this Slug and Locale already exists." in added.content.decode()
    other = {"home_topic": terms["food"], "casestudies_approach": None}[model]
    if other is not None:
        edited = client.post(
            reverse(f"wagtailsnippets_{model}:edit", args=[other.pk]),
            {"name": other.name, "slug": taken, "action-publish": "1"},
        )
        assert edited.status_code == 200
        assert "with this Slug and Locale already exists." in edited.content.decode()
        other.refresh_from_db()
        assert other.slug == "food"
