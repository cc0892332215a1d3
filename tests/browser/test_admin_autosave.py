"""The editor at work in the admin, in a real browser: the editor of every page type, of new
case studies and events, and of the menu and a topic, each open in a tab of one browser, a
change typed into each, then half a minute of Wagtail's autosave, its editing-session pings
and its preview checks. No request fails, none answers 4xx or 5xx, and autosave is never
paused."""

import re

import pytest

from tests.browser.conftest import login

pytestmark = pytest.mark.browser

PAGE_TYPES = [
    "home.HomePage",
    "home.StandardPage",
    "casestudies.CaseStudyIndexPage",
    "casestudies.CaseStudyPage",
    "manual.ManualPage",
    "manual.ManualChapterPage",
    "news.NewsIndexPage",
    "news.NewsPage",
    "news.EventIndexPage",
    "news.EventPage",
]
# New pages whose first draft is saved while fields they need for publishing are empty.
NEW_PAGES = {
    "casestudies.CaseStudyIndexPage": "casestudies/casestudypage",
    "news.EventIndexPage": "news/eventpage",
}
SNIPPETS = ["home/navigationmenu", "home/topic"]

# Remembers whether the autosave indicator ever said "paused", however briefly.
PAUSE_WATCH = """
new MutationObserver(() => {
    const indicator = document.querySelector("#w-autosave-indicator");
    if (indicator && indicator.getAttribute("data-w-autosave-state-value") === "paused") {
        window.__autosavePaused = indicator.getAttribute("data-w-tooltip-content-value");
    }
}).observe(document, {
    subtree: true, attributes: true, attributeFilter: ["data-w-autosave-state-value"],
});
"""


def english_page_id(page, live_site, page_type):
    response = page.request.get(
        f"{live_site.url}/api/v2/pages/?type={page_type}&locale=en&fields=-title&limit=1"
    )
    assert response.ok, response.text()
    return response.json()["items"][0]["id"]


def first_snippet_url(page, live_site, snippet):
    page.goto(f"{live_site.url}/admin/snippets/{snippet}/")
    href = page.locator("table.listing tbody tr a[href*='/edit/']").first.get_attribute("href")
    return live_site.url + href


@pytest.mark.long_running
def test_every_editor_autosaves_without_an_error(live_site, context, page):
    login(page, live_site, "editor")
    editors = {}
    for page_type in PAGE_TYPES:
        page_id = english_page_id(page, live_site, page_type)
        editors[page_type] = (f"{live_site.url}/admin/pages/{page_id}/edit/", "#id_title")
        if page_type in NEW_PAGES:
            url = f"{live_site.url}/admin/pages/add/{NEW_PAGES[page_type]}/{page_id}/"
            editors[f"new {NEW_PAGES[page_type]}"] = (url, "#id_title")
    for snippet in SNIPPETS:
        editors[snippet] = (first_snippet_url(page, live_site, snippet), "#id_name")

    problems = []

    def on_response(response):
        if response.status >= 400:
            problems.append(f"{response.status} {response.request.method} {response.url}")

    context.on("response", on_response)
    context.on(
        "requestfailed",
        lambda request: problems.append(
            f"failed {request.method} {request.url}: {request.failure}"
        ),
    )
    context.add_init_script(PAUSE_WATCH)

    tabs = {}
    for name, (url, _field) in editors.items():
        tab = context.new_page()
        tab.set_default_timeout(20_000)
        response = tab.goto(url)
        assert response.status == 200, name
        tabs[name] = tab
    for name, tab in tabs.items():
        tab.wait_for_load_state("networkidle")
        field = tab.locator(editors[name][1])
        field.click()
        tab.keyboard.press("End")
        tab.keyboard.type(" (autosaved)" if not name.startswith("new ") else "Autosaved draft")

    page.wait_for_timeout(30_000)

    for name, tab in tabs.items():
        indicator = tab.locator("#w-autosave-indicator")
        state = indicator.get_attribute("data-w-autosave-state-value")
        paused = tab.evaluate("() => window.__autosavePaused || null")
        assert paused is None, f"{name}: autosave paused: {paused}"
        assert not indicator.get_by_text("Autosave is paused").is_visible(), name
        assert state == "saved", f"{name}: the autosave indicator says {state!r}"
        if name.startswith("new "):
            # The first autosave made the draft; the tab now edits it.
            assert re.search(r"/admin/pages/\d+/edit/", tab.url), name
    assert not problems, "\n".join(problems)
