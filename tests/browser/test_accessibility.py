"""WCAG 2.1 AA with axe-core, and valid HTML with the Nu Html Checker, on the main pages in
English and German, at a desktop width and at 320 px."""

import pytest

from tests.browser.checks import PAGES, QUERIES, axe_violations, describe_violations, html_errors
from tests.browser.conftest import RESULTS, keep_artifacts

pytestmark = pytest.mark.browser

CASES = [(name, lang) for name in PAGES for lang in ("en", "de")]


def url_of(live_site, name, lang):
    return live_site.url + PAGES[name].format(lang=lang, query=QUERIES[lang])


@pytest.mark.parametrize("width", [1280, 320], ids=["desktop", "320px"])
@pytest.mark.parametrize(("name", "lang"), CASES, ids=[f"{name}-{lang}" for name, lang in CASES])
def test_no_wcag_violations(live_site, context, name, lang, width):
    page = context.new_page()
    page.set_viewport_size({"width": width, "height": 900})
    response = page.goto(url_of(live_site, name, lang))
    assert response.status == (404 if name == "not-found" else 200)
    assert page.locator("html").get_attribute("lang") == lang
    violations = axe_violations(page)
    if violations:
        keep_artifacts(page, f"axe-{name}-{lang}-{width}")
    assert not violations, describe_violations(page.url, violations)
    if width == 320:
        # Nothing wider than the screen: no sideways scrolling at 320 px (WCAG 1.4.10).
        overflow = page.evaluate("document.documentElement.scrollWidth")
        assert overflow <= 320, f"{page.url} is {overflow}px wide at 320px"
    page.close()


def test_pages_are_valid_html(live_site, context):
    folder = RESULTS / "html"
    folder.mkdir(parents=True, exist_ok=True)
    page = context.new_page()
    files = []
    for name, lang in CASES:
        response = page.goto(url_of(live_site, name, lang))
        assert response is not None
        path = folder / f"{name}-{lang}.html"
        path.write_text(response.text(), encoding="utf-8")
        files.append(path)
    errors = {name: found for name, found in html_errors(files).items() if found}
    for name in errors:  # a screenshot of each failing page
        page_name, lang = name.removesuffix(".html").rsplit("-", 1)
        page.goto(url_of(live_site, page_name, lang))
        keep_artifacts(page, f"html-{name}")
    assert not errors, "\n".join(
        f"{name}:\n  " + "\n  ".join(found) for name, found in errors.items()
    )
