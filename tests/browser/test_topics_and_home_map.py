"""The Topics page (each topic's description and number of case studies) and the home page's
map with its table: WCAG 2.1 AA with axe-core and valid HTML, in English, German and Greek,
at 1280 and 320 px."""

import pytest

from tests.browser.checks import axe_violations, describe_violations, html_errors
from tests.browser.conftest import RESULTS, keep_artifacts

pytestmark = pytest.mark.browser

LANGUAGES = ["en", "de", "el"]


@pytest.mark.parametrize("width", [1280, 320], ids=["desktop", "320px"])
@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_topics_page_has_no_wcag_violations(live_site, context, lang, width):
    page = context.new_page()
    page.set_viewport_size({"width": width, "height": 900})
    assert page.goto(f"{live_site.url}/{lang}/topics/").status == 200
    items = page.locator(".topic-list__item")
    assert items.count() > 3
    assert items.first.locator(".topic-list__count").inner_text().strip()
    violations = axe_violations(page)
    if violations:
        keep_artifacts(page, f"axe-topics-{lang}-{width}")
    assert not violations, describe_violations(page.url, violations)
    assert page.evaluate("document.documentElement.scrollWidth") <= max(width, 320)
    page.close()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_home_page_map_links_the_filtered_index(live_site, context, lang):
    page = context.new_page()
    page.goto(f"{live_site.url}/{lang}/")
    links = page.locator("main svg.europe-map a")
    assert links.count() > 3
    first = links.first.get_attribute("href")
    assert first.startswith(f"/{lang}/case-studies/?country=")
    page.locator("main .case-map__table summary").click()
    assert page.locator("main .case-map__table tbody tr").count() == links.count()
    page.goto(live_site.url + first)
    assert page.locator("main article.card").count() >= 1
    page.close()


def test_the_pages_are_valid_html(live_site, context):
    folder = RESULTS / "html"
    folder.mkdir(parents=True, exist_ok=True)
    page = context.new_page()
    files = []
    for lang in LANGUAGES:
        for name, path in (("topics", "topics/"), ("home-map", "")):
            response = page.goto(f"{live_site.url}/{lang}/{path}")
            file = folder / f"{name}-{lang}.html"
            file.write_text(response.text(), encoding="utf-8")
            files.append(file)
    errors = {name: found for name, found in html_errors(files).items() if found}
    assert not errors, errors
