"""The translation editor as the German translator uses it, in a real browser: they change a
string of a published translation, submit it for review from the editor's main action, and
the editor approves it and is told so."""

import re

import pytest

from tests.browser.conftest import login, new_context

pytestmark = pytest.mark.browser

ENGLISH_TITLE = "Munich equips its administration with refurbished laptops"
GERMAN_TITLE = "München stattet seine Verwaltung mit generalüberholten Laptops aus"
NEW_TITLE = "München stattet seine Verwaltung mit aufbereiteten Laptops aus"


def test_the_translator_submits_from_the_editor_and_the_editor_approves(live_site, page, context):
    login(page, live_site, "translator-de")
    page.goto(f"{live_site.url}/admin/translations/?locale=de")
    row = page.get_by_role("row", name=re.compile(re.escape(ENGLISH_TITLE)))
    row.get_by_role("link", name="Open translation editor").click()
    page.wait_for_url(re.compile(r"/admin/pages/\d+/edit/"))

    # The footer is the project's: "Submit for review" is the main action, and
    # wagtail-localize's "Convert to alias page" is nowhere.
    footer = page.locator("#translation-review-footer")
    footer.wait_for()
    submit = footer.get_by_role("button", name="Submit for review")
    assert page.get_by_text("Convert to alias page").count() == 0
    assert not page.locator(".js-translation-editor > footer").is_visible()
    # The published translation is current: nothing to submit until a string changes.
    assert not submit.is_visible()
    assert "Nothing to submit" in footer.inner_text()

    # The translator changes the title.
    segment = page.locator("li").filter(has=page.get_by_text(GERMAN_TITLE, exact=True)).last
    segment.get_by_role("button", name="Edit").click()
    # One string is edited at a time: its field has the focus, beside "Save".
    page.locator("textarea:focus").fill(NEW_TITLE)
    assert submit.is_visible()
    page.get_by_role("button", name="Save", exact=True).click()
    page.locator("li").filter(has=page.get_by_text(NEW_TITLE, exact=True)).last.wait_for()
    page.get_by_text("Saving...").wait_for(state="detached")

    with page.expect_navigation():
        submit.click()
    assert "was submitted for review" in page.locator(".messages").inner_text()
    assert "is already awaiting review" in footer.inner_text()
    assert not submit.is_visible()

    # The editor approves it from the dashboard, in a browser of their own, and is told so.
    editor_context = new_context(context.browser)
    try:
        editor_page = editor_context.new_page()
        editor_page.set_default_timeout(20_000)
        login(editor_page, live_site, "editor")
        panel = editor_page.locator("section").filter(
            has=editor_page.get_by_role("heading", name="Awaiting your review")
        )
        row = panel.get_by_role("row").filter(has_text="München stattet seine Verwaltung")
        row.get_by_role("button").last.click()  # the row's "More actions" menu
        with editor_page.expect_navigation():
            panel.get_by_role("button", name="Approve", exact=True).click()
        message = editor_page.locator(".messages").inner_text()
        assert f"“{NEW_TITLE}” was approved and published." in message
        assert panel.get_by_role("row").filter(has_text="München stattet").count() == 0
    finally:
        editor_context.close()
