"""The search forms' suggestions as you type (static/js/autocomplete.js), used with the keyboard
alone, at a phone's width and a desktop's: the combobox, its live region in the page's
language, the form on one line, and no accessibility violation with the list open."""

import pytest

from tests.browser.checks import axe_violations, describe_violations
from tests.browser.conftest import assert_no_csp_violations, keep_artifacts, new_context

pytestmark = pytest.mark.browser

WIDTHS = [320, 375, 1280]


@pytest.fixture(params=WIDTHS, ids=lambda width: f"{width}px")
def narrow_or_wide(browser, request):
    context = new_context(browser, viewport={"width": request.param, "height": 800})
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield page
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        keep_artifacts(page, request.node.name)
    try:
        assert_no_csp_violations(context.pages)
    finally:
        context.close()


def assert_on_one_line(page, form):
    field = page.locator(f"{form} input[name=q]")
    button = page.locator(f"{form} button[type=submit]")
    box, press = field.bounding_box(), button.bounding_box()
    assert box["width"] > 60, box  # the input shrinks, but stays usable
    assert press["y"] == box["y"], (box, press)  # the button beside the input, not under it
    width = page.evaluate("() => document.documentElement.clientWidth")
    assert press["x"] + press["width"] <= width, (press, width)  # nothing cut off


def open_suggestions(page, text):
    search = page.locator("#site-search-page")
    search.focus()
    page.keyboard.type(text, delay=40)
    listbox = page.locator("#site-search-page-suggestions")
    listbox.locator("[role=option]").first.wait_for()
    assert search.get_attribute("aria-expanded") == "true"
    return search, listbox


def test_choosing_a_suggestion_with_the_keyboard(narrow_or_wide, live_site):
    page = narrow_or_wide
    page.goto(f"{live_site.url}/de/search/")
    assert_on_one_line(page, ".search-form--page")
    search, listbox = open_suggestions(page, "Wärmep")

    assert search.get_attribute("role") == "combobox"
    assert search.get_attribute("aria-controls") == "site-search-page-suggestions"
    assert listbox.get_attribute("role") == "listbox"
    assert listbox.get_attribute("aria-label") == "Vorschläge"
    options = listbox.locator("[role=option]")
    titles = options.all_text_contents()
    # German titles only, from the German endpoint; the count said in German.
    assert "Helsinki stellt acht Schulen und Kitas auf Wärmepumpen um" in titles
    assert all("heat" not in title for title in titles)
    status = page.locator(".search-form--page [role=status]")
    assert status.text_content() == f"{len(titles)} Vorschläge verfügbar."

    page.keyboard.press("ArrowDown")
    first = options.first
    assert first.get_attribute("aria-selected") == "true"
    assert search.get_attribute("aria-activedescendant") == first.get_attribute("id")
    assert_on_one_line(page, ".search-form--page")  # the open list does not move the form
    violations = axe_violations(page)
    assert not violations, describe_violations(page.url, violations)

    target = first.get_attribute("data-url")
    assert target.startswith("/de/")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_site.url}{target}")
    assert page.locator("h1").first.text_content().strip() == titles[0]


def test_escape_closes_the_list_and_enter_searches(narrow_or_wide, live_site):
    page = narrow_or_wide
    page.goto(f"{live_site.url}/en/search/")
    search, listbox = open_suggestions(page, "heat")
    options = listbox.locator("[role=option]")
    count = options.count()
    assert count >= 2
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert options.nth(1).get_attribute("aria-selected") == "true"
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")  # from the first to the last
    assert options.nth(count - 1).get_attribute("aria-selected") == "true"

    page.keyboard.press("Escape")
    assert search.get_attribute("aria-expanded") == "false"
    assert listbox.is_hidden()
    assert search.get_attribute("aria-activedescendant") is None
    assert search.input_value() == "heat"  # Escape closed the list, kept the text

    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_site.url}/en/search/?q=heat")
    assert page.locator(".search-result").count() >= 2


def test_header_search_form_stays_on_one_line(narrow_or_wide, live_site):
    page = narrow_or_wide
    page.goto(f"{live_site.url}/en/")
    toggle = page.locator(".menu-toggle summary")
    if toggle.is_visible():  # small screens: search folds behind the menu toggle
        toggle.focus()
        page.keyboard.press("Enter")
    assert_on_one_line(page, ".site-header .search-form")
    search = page.locator(".site-header input[name=q]")
    assert search.get_attribute("role") == "combobox"
