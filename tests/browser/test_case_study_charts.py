"""The case study index's map and chart in a real browser: seen, each with its table, at a
phone's width and a desktop's; countries reached and shown by keyboard; WCAG 2.1 AA (axe)
and valid HTML (the Nu Html Checker) with both tables open."""

import pytest

from tests.browser.checks import axe_violations, describe_violations, html_errors
from tests.browser.conftest import RESULTS, keep_artifacts

pytestmark = pytest.mark.browser

FOCUS_FILL = "rgb(255, 191, 71)"  # site.css: --focus


def open_index(page, live_site, lang, width, query=""):
    page.set_viewport_size({"width": width, "height": 900})
    response = page.goto(f"{live_site.url}/{lang}/case-studies/{query}")
    assert response.status == 200
    return response


def fits(page, selector, width):
    box = page.locator(selector).bounding_box()
    assert box is not None, f"{selector} is not drawn"
    assert box["width"] > 0.5 * width - 40, f"{selector} is {box['width']}px wide at {width}px"
    assert box["x"] >= 0 and box["x"] + box["width"] <= width + 0.5, (selector, box, width)
    return box


@pytest.mark.parametrize("width", [320, 375, 1280])
@pytest.mark.parametrize("lang", ["en", "de"])
def test_map_and_chart_with_their_tables(live_site, page, lang, width):
    open_index(page, live_site, lang, width)
    links = page.locator("svg.europe-map a")
    assert links.count() >= 2
    fits(page, "svg.europe-map", width)
    fits(page, "svg.impact-chart__bars", width)
    assert page.locator("svg.impact-chart__bars rect").count() >= 1

    # The map's table: one row per country linked on the map, the same count in its name.
    page.locator(".case-map__table summary").click()
    rows = page.locator(".case-map__table tbody tr")
    assert rows.first.is_visible()
    assert rows.count() == links.count()
    names = {links.nth(i).get_attribute("aria-label") for i in range(links.count())}
    for i in range(rows.count()):
        country = rows.nth(i).locator("th").inner_text()
        count = rows.nth(i).locator("td").inner_text()
        assert any(n.startswith(f"{country}: {count} ") for n in names), (country, count, names)
    # The chart's table, with every topic of the bars.
    page.locator(".impact-chart__table summary").click()
    topics = page.locator(".impact-chart__table tbody th")
    assert topics.first.is_visible()
    labels = page.locator("svg.impact-chart__bars .impact-chart__label").evaluate_all(
        "texts => texts.map((t) => t.textContent)"
    )
    assert labels
    assert set(labels) <= set(topics.all_inner_texts())
    fits(page, ".impact-chart__table", width)
    # Nothing is wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_countries_are_reached_and_shown_by_keyboard(live_site, page):
    open_index(page, live_site, "en", 1280)
    for _ in range(200):
        page.keyboard.press("Tab")
        if page.evaluate("!!document.activeElement.closest('svg.europe-map')"):
            break
    else:
        pytest.fail("no country of the map was reached with Tab")
    focused = page.evaluate(
        """() => {
            const a = document.activeElement;
            return {label: a.getAttribute("aria-label"), href: a.getAttribute("href"),
                    fill: getComputedStyle(a.querySelector("path")).fill};
        }"""
    )
    assert focused["fill"] == FOCUS_FILL, focused
    assert ": " in focused["label"] and focused["href"].startswith("?country=")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/case-studies/{focused['href']}")
    country = focused["href"].removeprefix("?country=")
    assert page.locator("#f-country").input_value() == country


@pytest.mark.parametrize("width", [320, 375, 1280])
def test_no_wcag_violations_and_valid_html(live_site, page, width):
    open_index(page, live_site, "en", width)
    page.locator(".case-map__table summary").click()
    page.locator(".impact-chart__table summary").click()
    violations = axe_violations(page)
    if violations:
        keep_artifacts(page, f"axe-case-study-charts-{width}")
    assert not violations, describe_violations(page.url, violations)
    folder = RESULTS / "html"
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for lang in ("en", "de"):
        response = page.goto(f"{live_site.url}/{lang}/case-studies/")
        path = folder / f"case-study-charts-{lang}.html"
        path.write_text(response.text(), encoding="utf-8")
        files.append(path)
    errors = {name: found for name, found in html_errors(files).items() if found}
    assert not errors, errors
