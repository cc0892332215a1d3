"""Per-language roles, through the admin's HTTP views: a translator works in their language
only, and everything in another language answers 403."""

import pytest
from django.contrib.auth.models import Group
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.urls import reverse
from wagtail.models import GroupPagePermission, Page, WorkflowContentType, WorkflowPage
from wagtail_localize.models import StringTranslation, Translation

from casestudies.models import Approach
from home.models import Topic
from tests.translations.conftest import shared_study, translate

pytestmark = pytest.mark.django_db


def test_groups_and_workflow_are_set_up(locales):
    assert Group.objects.filter(name="Editors").exists()
    translator_groups = Group.objects.filter(name__startswith="Translators (")
    assert translator_groups.count() == 23
    german = Group.objects.get(name="Translators (de)")
    roots = GroupPagePermission.objects.filter(group=german).values_list(
        "page__locale__language_code", "page__depth", "permission__codename"
    )
    assert set(roots) == {("de", 2, "add_page"), ("de", 2, "change_page")}
    assert WorkflowPage.objects.filter(
        page__locale=locales["de"], page__depth=2, workflow__name="Translation review"
    ).exists()
    assert not WorkflowPage.objects.filter(page__locale=locales["en"], page__depth=2).exists()
    assert WorkflowContentType.objects.filter(content_type__model="topic").exists()


@pytest.fixture
def study(study_pk):
    """The conftest's study, made once for the module: no test here needs the site without it."""
    return shared_study(study_pk)


@pytest.fixture
def translations(study, locales, django_capture_on_commit_callbacks):
    return {
        code: translate(study, locales[code], capture=django_capture_on_commit_callbacks)
        for code in ("de", "fr")
    }


def page_in(study, code):
    return Page.objects.get(translation_key=study.translation_key, locale__language_code=code)


def test_page_editor_in_own_language_only(client, translator, study, translations):
    client.force_login(translator)
    assert (
        client.get(reverse("wagtailadmin_pages:edit", args=[page_in(study, "de").pk])).status_code
        == 200
    )
    for code in ("fr", "en"):
        url = reverse("wagtailadmin_pages:edit", args=[page_in(study, code).pk])
        assert client.get(url).status_code == 403, code
        assert client.post(url, {"title": "hijack"}).status_code == 403, code


def test_translation_editor_po_and_machine_translation_per_language(
    client, translator, translations
):
    client.force_login(translator)
    de, fr = translations["de"], translations["fr"]
    # Own language: allowed.
    response = client.get(reverse("wagtail_localize:download_pofile", args=[de.pk]))
    assert response.status_code == 200
    assert b"msgctxt" in response.content
    response = client.post(reverse("wagtail_localize:machine_translate", args=[de.pk]))
    assert response.status_code == 302
    # Another language: refused, and nothing changes.
    before = StringTranslation.objects.filter(locale=fr.target_locale).count()
    for name, method in [
        ("download_pofile", "get"),
        ("upload_pofile", "post"),
        ("machine_translate", "post"),
        ("preview_translation", "get"),
        ("stop_translation", "post"),
    ]:
        response = getattr(client, method)(reverse(f"wagtail_localize:{name}", args=[fr.pk]))
        assert response.status_code == 403, name
    assert StringTranslation.objects.filter(locale=fr.target_locale).count() == before


def test_editing_a_string_of_another_language_is_refused(client, translator, translations):
    from wagtail_localize.models import StringSegment

    client.force_login(translator)
    fr = translations["fr"]
    segment = StringSegment.objects.filter(source=fr.source).first()
    url = reverse("wagtail_localize:edit_string_translation", args=[fr.pk, segment.pk])
    assert client.put(url, {"value": "piraté"}, content_type="application/json").status_code == 403


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ("", "application/x-www-form-urlencoded"),
        ("other=1", "application/x-www-form-urlencoded"),
        ('{"value": "x"}', "application/json"),
        ("--x--", "multipart/form-data; boundary=x"),
    ],
)
def test_a_strings_translation_without_a_value_is_a_bad_request(
    client, translator, translations, body, content_type
):
    from wagtail_localize.models import StringSegment

    client.force_login(translator)
    de = translations["de"]
    segment = StringSegment.objects.filter(source=de.source).first()
    url = reverse("wagtail_localize:edit_string_translation", args=[de.pk, segment.pk])
    assert client.put(url, body, content_type=content_type).status_code == 400
    # As the translation editor sends it (FormData): read again by the view after the check.
    sent = client.put(url, encode_multipart(BOUNDARY, {"value": "Hallo"}), MULTIPART_CONTENT)
    assert sent.status_code in (200, 201)
    assert StringTranslation.objects.filter(locale=de.target_locale, data="Hallo").exists()


@pytest.mark.parametrize("kind", ["page", "snippet"])
def test_submitting_a_translation_offers_and_accepts_own_language_only(
    kind, client, translator, study, topic, locales
):
    """The "Translate" forms of pages and snippets are this project's
    (translations/views/submit.py), at wagtail-localize's addresses: they offer the user's
    languages and refuse others."""
    client.force_login(translator)
    if kind == "page":
        original = study
        url = reverse("wagtail_localize:submit_page_translation", args=[study.pk])
    else:
        original = topic
        url = reverse(
            "wagtail_localize:submit_snippet_translation", args=["home", "topic", topic.pk]
        )
    response = client.get(url)
    assert response.status_code == 200
    offered = list(response.context["form"].fields["locales"].queryset)
    assert offered == [locales["de"]]
    response = client.post(url, {"locales": [locales["fr"].pk]})
    assert response.status_code == 403
    assert not Translation.objects.filter(target_locale=locales["fr"]).exists()
    response = client.post(url, {"locales": [locales["de"].pk]})
    assert response.status_code == 302
    assert Translation.objects.filter(
        target_locale=locales["de"], source__object_id=original.translation_key
    ).exists()


def test_syncing_sources_is_for_editors(client, translator, editor, translations):
    url = reverse("wagtail_localize:update_translations", args=[translations["de"].source.pk])
    client.force_login(translator)
    assert client.get(url).status_code == 403
    client.force_login(editor)
    assert client.get(url).status_code == 200


def test_snippets_in_own_language_only(
    client, translator, topic, locales, django_capture_on_commit_callbacks
):
    german = translate(
        topic, locales["de"], {"Energy": "Energie"}, capture=django_capture_on_commit_callbacks
    )
    french = translate(topic, locales["fr"], capture=django_capture_on_commit_callbacks)
    de_topic = german.get_target_instance()
    fr_topic = french.get_target_instance()
    client.force_login(translator)
    assert (
        client.get(reverse("wagtailsnippets_home_topic:edit", args=[de_topic.pk])).status_code
        == 200
    )
    assert (
        client.get(reverse("wagtailsnippets_home_topic:edit", args=[fr_topic.pk])).status_code
        == 403
    )
    assert (
        client.get(reverse("wagtailsnippets_home_topic:edit", args=[topic.pk])).status_code == 403
    )
    assert client.get(reverse("wagtailsnippets_home_topic:add") + "?locale=fr").status_code == 403
    # Wagtail creates a row in the `?locale=` of the address (English without one), whatever
    # language the posted form names.
    for model in ("home_topic", "casestudies_approach"):
        before = Topic.objects.count() + Approach.objects.count()
        sneaked = client.post(
            reverse(f"wagtailsnippets_{model}:add"),
            {"locale": "de", "name": "Sneaky", "slug": "sneaky", "action-submit": "1"},
        )
        assert sneaked.status_code == 403, model
        assert Topic.objects.count() + Approach.objects.count() == before
    assert (
        client.post(reverse("wagtailsnippets_home_topic:delete", args=[fr_topic.pk])).status_code
        == 403
    )
    assert (
        client.get(reverse("wagtail_localize:download_pofile", args=[french.pk])).status_code == 403
    )
    assert (
        client.get(reverse("wagtail_localize:download_pofile", args=[german.pk])).status_code == 200
    )


def test_editors_work_in_every_language(client, editor, study, translations):
    client.force_login(editor)
    for code in ("en", "de", "fr"):
        url = reverse("wagtailadmin_pages:edit", args=[page_in(study, code).pk])
        assert client.get(url).status_code == 200, code
    assert (
        client.get(
            reverse("wagtail_localize:download_pofile", args=[translations["fr"].pk])
        ).status_code
        == 200
    )


def test_dashboard_shows_the_translators_language_and_refuses_others(
    client, translator, translations
):
    client.force_login(translator)
    response = client.get(reverse("translations:dashboard"))
    assert response.status_code == 200
    assert response.context["locale"].language_code == "de"
    assert [c.language_code for c, _name in response.context["locale_choices"]] == ["de"]
    assert client.get(reverse("translations:dashboard") + "?locale=fr").status_code == 403
    assert client.get(reverse("translations:export") + "?locale=fr").status_code == 403
    assert (
        client.get(reverse("translations:changes", args=[translations["fr"].pk])).status_code == 403
    )
    response = client.post(reverse("translations:submit_for_review", args=[translations["fr"].pk]))
    assert response.status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client, translations):
    response = client.get(reverse("translations:dashboard"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_every_wagtail_localize_view_is_classified():
    """A release of wagtail-localize with a new admin view fails here: classify it in
    translations/middleware.py (until then it is refused to all but editors). Every URL of
    the site is walked: a view defined in the package, or in a namespace that holds one
    (wagtail-localize's own, its locales admin, any nested one), is wagtail-localize's."""
    from translations.middleware import KNOWN, localize_namespaces, localize_view_names

    assert {"wagtail_localize", "wagtaillocales"} <= localize_namespaces()
    names = localize_view_names()
    assert "wagtail_localize:edit_string_translation" in names
    assert "wagtaillocales:add" in names
    assert names <= KNOWN, sorted(names - KNOWN)


def test_the_snippet_translate_form_of_a_key_that_is_no_number_is_not_found(client, editor, topic):
    client.force_login(editor)
    url = reverse("wagtail_localize:submit_snippet_translation", args=["home", "topic", "abc"])
    # Not found (Django's LocaleMiddleware first tries the address with a language prefix).
    assert client.get(url, follow=True).status_code == 404


def test_translating_a_topic_into_a_language_where_its_slug_is_taken_is_a_form_error(
    client, translator, topic, locales
):
    """A German topic made by hand holds the slug already: the translation is refused with
    Django's message, and nothing is made."""
    client.force_login(translator)
    added = client.post(
        reverse("wagtailsnippets_home_topic:add") + "?locale=de",
        {"name": "Energie", "slug": topic.slug},
    )
    assert added.status_code == 302
    before = Topic.objects.count()
    url = reverse("wagtail_localize:submit_snippet_translation", args=["home", "topic", topic.pk])
    answer = client.post(url, {"locales": [locales["de"].pk]})
    assert answer.status_code == 200
    assert "Topic with this Slug and Locale already exists." in answer.content.decode()
    assert Topic.objects.count() == before


def test_a_view_the_middleware_does_not_know_is_for_editors_only(rf, translator, editor):
    from django.core.exceptions import PermissionDenied

    from translations.middleware import check_localize

    request = rf.post("/admin/localize/something-new/")
    request.user = translator
    with pytest.raises(PermissionDenied):
        check_localize(request, "wagtail_localize:something_new", {})
    request.user = editor
    assert check_localize(request, "wagtail_localize:something_new", {}) is None


def test_a_new_view_in_a_nested_or_new_namespace_is_wagtail_localizes():
    """Nested in wagtail-localize's namespace, or defined in the package under a namespace of
    its own: either is checked, and, being unknown, refused to translators."""
    from django.urls import ResolverMatch

    from translations.middleware import is_localize

    def plain_view(request):
        return None

    def package_view(request):
        return None

    package_view.__module__ = "wagtail_localize.views.something_new"
    nested = ResolverMatch(plain_view, (), {}, "new", namespaces=["wagtail_localize", "inner"])
    assert is_localize(nested.namespace, plain_view)
    own = ResolverMatch(package_view, (), {}, "new", namespaces=["localize_extras"])
    assert is_localize(own.namespace, package_view)
    elsewhere = ResolverMatch(plain_view, (), {}, "index", namespaces=["wagtailadmin_pages"])
    assert not is_localize(elsewhere.namespace, plain_view)


def test_translators_are_refused_the_languages_admin(client, translator, locales):
    """wagtail-localize's admin of the site's languages is not a translator's."""
    client.force_login(translator)
    response = client.get(reverse("wagtaillocales:index"))
    assert response.status_code == 403
    assert "Only editors may manage the site&#x27;s languages." in response.content.decode()
    edit = reverse("wagtaillocales:edit", args=[locales["de"].pk])
    assert client.post(edit, {"language_code": "de"}).status_code == 403
