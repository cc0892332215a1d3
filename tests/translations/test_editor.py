"""The translation editor for translators: "Submit for review" is their main action, only
while there is anything to submit; "Convert to alias page" is for editors, behind a
confirmation; approving says so; the review preview shows the translation as it is."""

import html
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import Page, WorkflowState
from wagtail_localize.models import Translation

from home.languages.trees import synchronize_locale_trees
from tests.factories import CaseStudyPageFactory
from tests.translations.conftest import fill, shared_study, translate

pytestmark = pytest.mark.django_db


@pytest.fixture
def study(study_pk):
    """The conftest's study, made once for the module: no test here needs the site without it."""
    return shared_study(study_pk)


GERMAN_TITLE = "Oslo kauft effiziente Straßenlaternen"


def german(study):
    return Page.objects.get(
        translation_key=study.translation_key, locale__language_code="de"
    ).specific


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def editor_props(response):
    found = re.search(r'class="js-translation-editor" data-props="([^"]*)"', response.text)
    assert found, "no translation editor in the page"
    return json.loads(html.unescape(found.group(1)))


def review_footer(response):
    """The project's footer of the translation editor, or None."""
    found = re.search(
        r'<footer[^>]*id="translation-review-footer".*?</footer>', response.text, re.S
    )
    return found.group(0) if found else None


def submit_form(footer, translation):
    """The "Submit for review" form of the footer: (its tag, its content), or None."""
    action = reverse("translations:submit_for_review", args=[translation.pk])
    found = re.search(rf'(<form[^>]*action="{action}"[^>]*>)(.*?)</form>', footer, re.S)
    return found.groups() if found else None


@pytest.fixture
def begun(study, locales):
    """A German translation begun by the translator and never published."""
    return translate(
        study, locales["de"], {"Oslo buys efficient street lights": GERMAN_TITLE}, publish=False
    )


@pytest.fixture
def published(study, locales, django_capture_on_commit_callbacks):
    return translate(
        study,
        locales["de"],
        {"Oslo buys efficient street lights": GERMAN_TITLE},
        capture=django_capture_on_commit_callbacks,
    )


def test_submit_for_review_is_the_translators_main_action(client, translator, study, begun):
    client.force_login(translator)
    response = client.get(edit_url(german(study)))
    assert response.status_code == 200
    # The editor's own footer (whose last action, "Convert to alias page", would be the main
    # one) gives way to the project's, whose one action is "Submit for review".
    assert 'class="translation-editor--reviewed"' in response.text
    footer = review_footer(response)
    assert footer is not None
    tag, content = submit_form(footer, begun)
    assert "hidden" not in tag
    assert "Submit for review" in content
    assert footer.count('type="submit"') == 1
    assert reverse("wagtail_localize:preview_translation", args=[begun.pk]) in footer
    assert editor_props(response)["links"]["convertToAliasUrl"] is None
    # The main action does what it says.
    response = client.post(
        reverse("translations:submit_for_review", args=[begun.pk]),
        {"next": edit_url(german(study))},
        follow=True,
    )
    assert "was submitted for review" in response.text
    assert german(study).workflow_in_progress
    # Under review: nothing more to submit, and it says why.
    footer = review_footer(response)
    assert submit_form(footer, begun) is None
    assert "is already awaiting review" in footer


def test_the_editor_publishes_and_keeps_convert_to_alias_behind_a_confirmation(
    client, editor, study, begun
):
    client.force_login(editor)
    page = german(study)
    response = client.get(edit_url(page))
    assert response.status_code == 200
    assert review_footer(response) is None
    props = editor_props(response)
    convert = reverse("wagtail_localize:convert_to_alias", args=[page.pk])
    assert props["links"]["convertToAliasUrl"] == convert
    assert props["perms"]["canPublish"]
    # The link asks first, and changes nothing until confirmed.
    response = client.get(convert)
    assert response.status_code == 200
    assert "Are you sure you want to convert this page into an alias?" in response.text
    assert Translation.objects.filter(pk=begun.pk).exists()
    response = client.post(convert)
    assert response.status_code == 302
    assert not Translation.objects.filter(pk=begun.pk).exists()
    assert german(study).alias_of_id == study.pk


def test_translators_cannot_convert_a_translation_to_an_alias(client, translator, study, begun):
    client.force_login(translator)
    page = german(study)
    convert = reverse("wagtail_localize:convert_to_alias", args=[page.pk])
    for method in (client.get, client.post):
        response = method(convert)
        assert response.status_code == 403
        assert "Only editors may turn a translation back into a fallback page" in response.text
    # Nor through the page editor's action menu (posted by name).
    response = client.post(edit_url(page), {"localize-convert-to-alias": "1"}, follow=True)
    assert response.status_code == 403
    assert Translation.objects.filter(pk=begun.pk).exists()
    assert german(study).alias_of_id is None


def test_the_page_editors_convert_to_alias_is_for_editors_only(
    client, translator, editor, study, begun
):
    """A translation no longer synced is edited in Wagtail's page editor, whose action menu
    wagtail-localize gives "Convert to alias page"."""
    Translation.objects.filter(pk=begun.pk).update(enabled=False)
    page = german(study)
    client.force_login(translator)
    response = client.get(edit_url(page))
    assert response.status_code == 200
    assert 'name="action-submit"' in response.text  # Wagtail's "Submit to Translation review"
    assert "localize-convert-to-alias" not in response.text
    client.force_login(editor)
    assert "localize-convert-to-alias" in client.get(edit_url(page)).text


def approve_url(page, task_state):
    return reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk])


def submit(client, translator, translation):
    client.force_login(translator)
    client.post(reverse("translations:submit_for_review", args=[translation.pk]))
    page = Page.objects.get(
        translation_key=translation.source.object_id, locale=translation.target_locale
    )
    return page, WorkflowState.objects.get(object_id=str(page.pk), status="in_progress")


def test_approving_says_so(client, translator, editor, study, begun):
    page, state = submit(client, translator, begun)
    client.force_login(editor)
    dashboard = reverse("wagtailadmin_home")
    response = client.post(
        approve_url(page, state.current_task_state), {"next": dashboard}, follow=True
    )
    assert response.redirect_chain[-1][0] == dashboard
    assert f"“{GERMAN_TITLE}” was approved and published." in response.text
    state.refresh_from_db()
    assert state.status == "approved"
    assert german(study).live and german(study).title == GERMAN_TITLE


def test_approving_in_the_dashboards_dialog_says_so_on_the_next_page(
    client, translator, editor, study, begun
):
    """The dashboard's "Approve with comment" posts from a dialog and then goes to the
    address it is given: the message waits for that page."""
    page, state = submit(client, translator, begun)
    client.force_login(editor)
    response = client.post(
        approve_url(page, state.current_task_state),
        {"comment": "Gut.", "next": reverse("wagtailadmin_home")},
        headers={"x-requested-with": "XMLHttpRequest"},
    )
    assert response.json()["step"] == "success"
    assert "was approved and published." in client.get(reverse("wagtailadmin_home")).text
    # Posting it again approves nothing and says nothing of an approval.
    response = client.post(approve_url(page, state.current_task_state), follow=True)
    assert "was approved" not in response.text


def dashboard_row(response, title):
    rows = re.findall(r"<tr [^>]*>.*?</tr>", response.text, re.S)
    return next(row for row in rows if title in row)


def test_a_current_translation_offers_nothing_to_submit(client, translator, study, published):
    client.force_login(translator)
    dashboard = reverse("translations:dashboard") + "?locale=de"
    row = dashboard_row(client.get(dashboard), study.title)
    assert 'data-state="current"' in row
    assert "Submit for review" not in row
    # In the translation editor: no main action until a string changes, and why.
    response = client.get(edit_url(german(study)))
    footer = review_footer(response)
    assert "Nothing to submit" in footer
    tag, _content = submit_form(footer, published)
    assert "hidden" in tag and "data-shown-on-change" in tag
    # Submitting anyway starts no review.
    response = client.post(
        reverse("translations:submit_for_review", args=[published.pk]), follow=True
    )
    assert "Nothing to submit" in response.text
    assert not german(study).workflow_in_progress
    # A string translated anew: something to submit, in both places.
    fill(published, {"Oslo buys efficient street lights": "Oslo kauft LED-Straßenlaternen"})
    row = dashboard_row(client.get(dashboard), study.title)
    assert "Submit for review" in row
    tag, _content = submit_form(review_footer(client.get(edit_url(german(study)))), published)
    assert "hidden" not in tag


def test_a_current_snippet_translation_offers_nothing_to_submit(
    client, translator, topic, locales, django_capture_on_commit_callbacks
):
    translation = translate(
        topic, locales["de"], {"Energy": "Energie"}, capture=django_capture_on_commit_callbacks
    )
    client.force_login(translator)
    dashboard = reverse("translations:dashboard") + "?locale=de&type=home.topic"
    assert "Submit for review" not in dashboard_row(client.get(dashboard), "Energy")
    fill(translation, {"Energy": "Energiewirtschaft"})
    assert "Submit for review" in dashboard_row(client.get(dashboard), "Energy")


def test_the_dashboards_queries_do_not_grow_with_current_translations(
    client, translator, study, locales, django_capture_on_commit_callbacks
):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(dashboard).status_code == 200
        return len(captured)

    def add_translated_pages(numbers):
        pages = []
        for n in numbers:
            page = CaseStudyPageFactory(parent=study.get_parent(), slug=f"more-{n}")
            page.save_revision().publish()
            pages.append(page)
        synchronize_locale_trees()  # once for the pages added together
        for page in pages:
            translate(page, locales["de"], capture=django_capture_on_commit_callbacks)

    client.force_login(translator)
    dashboard = reverse("translations:dashboard") + "?locale=de&state=current"
    add_translated_pages([0])
    queries()  # the caches warm
    one = queries()
    add_translated_pages(range(1, 4))
    queries()
    assert queries() <= one


def test_the_review_preview_shows_the_translation_without_the_fallback_notice(
    client, translator, editor, study, begun
):
    client.force_login(translator)
    response = client.get(reverse("wagtail_localize:preview_translation", args=[begun.pk]))
    assert response.status_code == 200
    assert GERMAN_TITLE in response.text
    assert "notice--fallback" not in response.text
    assert '<header class="case-study__header" lang="en">' not in response.text
    # The editor's preview of the revision under review, from the dashboard.
    page, state = submit(client, translator, begun)
    client.force_login(editor)
    task_state = state.current_task_state
    response = client.get(
        reverse("wagtailadmin_pages:workflow_preview", args=[page.pk, task_state.task_id])
    )
    assert response.status_code == 200
    assert GERMAN_TITLE in response.text
    assert "notice--fallback" not in response.text
    # Visitors still see the original, with the notice, until it is approved.
    client.logout()
    public = client.get("/de/case-studies/oslo/").text
    assert "notice--fallback" in public and GERMAN_TITLE not in public
