"""The editor in the admin: the demo's main navigation saved as it is, and a German case
study's editor offering German topics and approaches only."""

import json
import re

import pytest

from tests.browser.conftest import ROOT, login

pytestmark = pytest.mark.browser


def demo_names(section, language):
    data = json.loads((ROOT / "demo" / "content.json").read_text("utf-8"))
    return {
        (record["translations"][language]["name"] if language != "en" else record["name"])
        for record in data[section]
    }


def test_editor_publishes_the_demo_menu_unchanged(live_site, page):
    login(page, live_site, "editor")
    page.goto(f"{live_site.url}/admin/snippets/home/navigationmenu/")
    # The list opens in the editor's language: the English menu only.
    rows = page.locator("table.listing tbody tr")
    assert rows.count() == 1
    assert "(en)" in rows.first.inner_text()
    with page.expect_navigation():
        rows.first.get_by_role("link").first.click()
    assert (
        page.locator("input[name$='-value-url']")
        .evaluate_all("inputs => inputs.map(i => i.value)")
        .count("/en/topics/")
        == 1
    )

    page.locator("footer [data-w-dropdown-target=toggle]").last.click()
    with page.expect_navigation():
        page.locator("button[name=action-publish]").click()
    messages = page.locator(".messages").inner_text()
    assert "published" in messages and "Enter a valid URL" not in messages
    assert page.locator(".error-message, .help-critical").count() == 0

    # Each language's menu leads to its own topic pages.
    for language in ("en", "fr"):
        page.goto(f"{live_site.url}/{language}/")
        nav = page.locator("nav.main-nav")
        assert nav.locator(f'a[href="/{language}/topics/"]').count() == 1


def test_a_german_case_study_offers_german_topics_and_approaches(live_site, page):
    login(page, live_site, "editor")
    api = page.request.get(
        f"{live_site.url}/api/v2/pages/?type=casestudies.CaseStudyIndexPage&locale=de"
    ).json()
    index_id = api["items"][0]["id"]
    page.goto(f"{live_site.url}/admin/pages/{index_id}/add_subpage/")
    page.wait_for_url(re.compile(r"/admin/pages/add/casestudies/casestudypage/"))

    for field, section in (("topics", "topics"), ("approaches", "approaches")):
        boxes = page.locator(f"input[type=checkbox][name={field}]")
        labels = {
            text.strip()
            for text in page.locator(f"label:has(input[name={field}])").all_inner_texts()
        }
        assert boxes.count() == len(demo_names(section, "de"))
        assert labels == demo_names(section, "de")
        assert not labels & demo_names(section, "en")
    # A ticked box is what will be saved.
    box = page.get_by_label("Energie", exact=True)
    box.check()
    assert box.is_checked()
