"""The case study index on phones and on a desktop: the filters fold behind one toggle on
small screens so the list comes first, chips remove a chosen filter, the sort order works,
and every state passes axe and the Nu Html Checker."""

import pytest

from tests.browser.checks import axe_violations, describe_violations, html_errors
from tests.browser.conftest import (
    RESULTS,
)

pytestmark = pytest.mark.browser

WIDTHS = [320, 375, 1280]
INDEX = "/en/case-studies/"
FILTERS = "details.case-filters"
TOGGLE = "details.case-filters > summary"
FIRST_CARD = ".card-list > li:first-child .card"
CARD_TOP = f"document.querySelector('{FIRST_CARD}').getBoundingClientRect().top"


@pytest.fixture
def screen(screens):
    """A page of a browser `width` pixels wide: a touch screen phone below 768 px."""
    return screens


def is_open(page):
    return page.locator(FILTERS).evaluate("details => details.open")


def titles(page):
    return page.locator(".card-list .card__title").all_inner_texts()


@pytest.mark.parametrize("width", WIDTHS)
def test_the_first_result_is_on_the_first_screen_after_filtering(live_site, screen, width):
    page = screen(width)
    page.goto(live_site.url + INDEX)
    phone = width < 768
    # Closed on phones, open beside the list on a desktop.
    assert is_open(page) is not phone
    assert page.evaluate(CARD_TOP) < page.evaluate("window.innerHeight")
    if phone:
        page.locator(TOGGLE).tap()
        assert is_open(page)
    page.get_by_role("checkbox", name="Energy").check()
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**/case-studies/?topic=energy*")
    if phone:
        assert not is_open(page), "the filters are folded away again after applying them"
        page.locator(TOGGLE).tap()  # and they open and close by hand
        assert is_open(page)
        assert page.get_by_role("checkbox", name="Energy").is_checked()
        page.locator(TOGGLE).tap()
        assert not is_open(page)
    assert page.locator(".results__count").inner_text() == "4 case studies"
    top = page.evaluate(CARD_TOP)
    height = page.evaluate("window.innerHeight")
    assert 0 < top < height, f"the first result starts at {top}px on a {height}px screen"
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("language", ["de", "fr", "pl", "el", "ga"])
def test_a_filtered_list_starts_on_the_first_screen_in_other_languages(live_site, screen, language):
    """The longest words and introductions do not push the results down: on the smallest
    phone a filtered list (which leaves the series' introduction out) starts on screen."""
    page = screen(320)
    page.goto(f"{live_site.url}/{language}/case-studies/")
    assert page.locator(".listing-header .lead").count() == 1
    page.goto(f"{live_site.url}/{language}/case-studies/?topic=energy&country=PL")
    assert page.locator(".listing-header .lead").count() == 0
    assert not is_open(page)
    top = page.evaluate(CARD_TOP)
    height = page.evaluate("window.innerHeight")
    assert 0 < top < height, f"{language}: the first result starts at {top}px of {height}px"
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


def test_the_filters_work_without_javascript(live_site, screen):
    for width in (375, 1280):
        page = screen(width, javascript=False)
        page.goto(live_site.url + INDEX)
        assert not is_open(page)
        page.locator(TOGGLE).click()
        page.get_by_label("Country").select_option("PL")
        page.get_by_role("button", name="Apply filters").click()
        page.wait_for_url("**/case-studies/?country=PL*")
        assert titles(page) == [
            "Kraków's public transport company buys electric buses on life-cycle cost"
        ]


def test_chips_remove_a_filter_and_clear_all(live_site, screen):
    page = screen(375)
    page.goto(live_site.url + INDEX + "?topic=energy&country=PT&sort=title")
    assert titles(page) == ["Lisbon upgrades street lighting with a performance-based contract"]
    assert " ".join(page.locator(TOGGLE).text_content().split()) == "Filters (2)"
    page.get_by_role("link", name="Remove filter: Portugal").tap()
    page.wait_for_url("**/case-studies/?topic=energy&sort=title")
    assert page.locator(".results__count").inner_text() == "4 case studies"
    assert page.get_by_role("link", name="Remove filter: Portugal").count() == 0
    assert page.get_by_role("link", name="Remove filter: Energy").count() == 1
    page.get_by_role("link", name="Clear all").tap()
    page.wait_for_url("**/case-studies/?sort=title")
    assert page.locator(".chip").count() == 0
    assert page.locator(".results__count").inner_text() == "14 case studies"


@pytest.mark.parametrize("width", [375, 1280])
def test_sort_by_title_orders_the_titles(live_site, screen, width):
    page = screen(width)
    page.goto(live_site.url + INDEX)
    newest = titles(page)
    sort = page.get_by_role("list", name="Sort by")
    assert sort.get_by_role("link", name="Newest").get_attribute("aria-current") == "true"
    sort.get_by_role("link", name="A–Z").click()
    page.wait_for_url("**/case-studies/?sort=title")
    assert sort.get_by_role("link", name="A–Z").get_attribute("aria-current") == "true"
    shown = titles(page)
    assert shown != newest
    assert shown == sorted(shown, key=str.casefold)
    # The second page goes on in the same order.
    page.get_by_role("link", name="Next").click()
    page.wait_for_url("**/case-studies/?sort=title&page=2")
    rest = titles(page)
    assert sorted(shown + rest, key=str.casefold) == shown + rest
    assert len(shown + rest) == 14


def test_index_states_pass_axe_and_the_html_checker(live_site, screen):
    folder = RESULTS / "html-case-filters"
    folder.mkdir(parents=True, exist_ok=True)
    files, failures = [], []
    for width in WIDTHS:
        for query in ("", "?topic=energy&country=FI&sort=impact"):
            page = screen(width)
            page.goto(live_site.url + INDEX + query)
            for state in ("open", "closed"):
                if is_open(page) != (state == "open"):
                    page.locator(TOGGLE).click()
                assert is_open(page) == (state == "open")
                label = f"{width}-{state}-{'filtered' if query else 'all'}"
                violations = axe_violations(page)
                if violations:
                    failures.append(describe_violations(f"{page.url} ({label})", violations))
                path = folder / f"case-index-{label}.html"
                path.write_text(page.content(), encoding="utf-8")
                files.append(path)
    errors = {name: found for name, found in html_errors(files).items() if found}
    failures += [f"{name}:\n  " + "\n  ".join(found) for name, found in errors.items()]
    assert not failures, "\n".join(failures)
