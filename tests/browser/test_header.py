"""The header on the smallest phones and on a desktop: every language reachable by tap and by
keyboard, a short header with its menu folded away, WCAG 2.1 AA and valid HTML in every state,
and one name for the case studies in menu, breadcrumb and title."""

import functools
import json
import re

import pytest
from django.conf import settings

from tests.browser.checks import axe_violations, describe_violations, html_errors
from tests.browser.conftest import (
    RESULTS,
    ROOT,
)

pytestmark = pytest.mark.browser

LANGUAGE_CODES = [code for code, _ in settings.LANGUAGES]
WIDTHS = [320, 375, 1280]
STUDY_SLUG = "helsinki-school-heat-pumps"
STUDY = f"/de/case-studies/{STUDY_SLUG}/"
SWITCHER = "details.language-switcher"

# Whether an element lies wholly inside the visible viewport and is what a tap at its centre
# hits (not hidden under the sheet's bar or anything else).
FULLY_VISIBLE = """el => {
    const r = el.getBoundingClientRect();
    const width = document.documentElement.clientWidth, height = window.innerHeight;
    const inside = r.width > 0 && r.height > 0 && r.left >= -0.5 && r.top >= -0.5
        && r.right <= width + 0.5 && r.bottom <= height + 0.5;  // to within subpixel rounding
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    return inside && hit !== null && el.contains(hit);
}"""


def study_languages():
    """The languages the demo translates the Helsinki case study into, and English."""
    demo = json.loads((ROOT / "demo" / "content.json").read_text(encoding="utf-8"))
    study = next(s for s in demo["case_studies"] if s["key"] == STUDY_SLUG)
    return {settings.LANGUAGE_CODE, *study.get("translations", {})}


@pytest.fixture
def phone(screens):
    """A page of a touch screen browser `width` pixels wide (a desktop at 1280), in German."""
    return functools.partial(screens, locale="de-DE")


def switcher_codes(page):
    return page.locator(f"{SWITCHER} nav a").evaluate_all("els => els.map(e => e.hreflang)")


@pytest.mark.parametrize("width", WIDTHS)
def test_every_language_can_be_tapped(live_site, phone, width):
    page = phone(width)
    page.goto(live_site.url + STUDY)
    page.locator(f"{SWITCHER} > summary").tap()
    assert page.locator(SWITCHER).evaluate("el => el.open")

    codes = switcher_codes(page)
    assert sorted(codes) == sorted(LANGUAGE_CODES)
    translated = page.locator(
        f"{SWITCHER} .language-switcher__list:not(.language-switcher__list--fallback) a"
    )
    assert set(translated.evaluate_all("els => els.map(e => e.hreflang)")) == study_languages()
    for code in codes:
        link = page.locator(f'{SWITCHER} a[hreflang="{code}"]')
        link.scroll_into_view_if_needed()
        assert link.evaluate(FULLY_VISIBLE), f"{code} cannot be tapped at {width}px"
    if width < 768:
        # The sheet covers the screen; the page behind it does not scroll.
        box = page.locator(SWITCHER).bounding_box()
        assert (box["x"], box["y"], box["width"]) == (0, 0, width)

    # A tap on the language furthest down the list leads to the page in that language.
    last = codes[-1]
    page.locator(f'{SWITCHER} a[hreflang="{last}"]').tap()
    page.wait_for_url(f"**/{last}/case-studies/{STUDY_SLUG}/")
    assert page.locator("html").get_attribute("lang") == last


@pytest.mark.parametrize("width", WIDTHS)
def test_every_language_can_be_reached_by_keyboard(live_site, phone, width):
    page = phone(width)
    page.goto(live_site.url + STUDY)
    summary = page.locator(f"{SWITCHER} > summary")
    summary.focus()
    page.keyboard.press("Enter")
    assert page.locator(SWITCHER).evaluate("el => el.open")
    codes = switcher_codes(page)
    reached = []
    for _ in range(len(codes) + 5):
        page.keyboard.press("Tab")
        focused = page.locator(":focus")
        code = focused.get_attribute("hreflang")
        if code is None:
            break
        assert focused.evaluate(FULLY_VISIBLE), f"{code} is focused out of sight at {width}px"
        reached.append(code)
        if len(reached) == len(codes):
            break
    assert reached == codes
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/{codes[-1]}/case-studies/{STUDY_SLUG}/")

    # Escape closes the picker and gives the focus back to its toggle.
    page.locator(f"{SWITCHER} > summary").focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    page.keyboard.press("Escape")
    assert not page.locator(SWITCHER).evaluate("el => el.open")
    assert page.evaluate("document.activeElement.matches('details.language-switcher > summary')")


@pytest.mark.parametrize("width", [320, 375])
def test_header_is_short_with_its_menu_closed_in_every_language(live_site, phone, width):
    page = phone(width)
    for code in LANGUAGE_CODES:
        page.goto(f"{live_site.url}/{code}/case-studies/{STUDY_SLUG}/")
        height = page.locator(".site-header").bounding_box()["height"]
        assert height <= 120, f"/{code}/: the header takes {height}px at {width}px"
        assert page.evaluate("document.documentElement.scrollWidth") <= width, code
        assert not page.locator("nav.main-nav").is_visible(), code


@pytest.mark.parametrize("javascript", [True, False], ids=["script", "no-script"])
def test_menu_opens_and_closes_on_small_screens(live_site, phone, javascript):
    page = phone(375, javascript=javascript)
    page.goto(f"{live_site.url}/de/")
    toggle = page.locator("details.menu-toggle > summary")
    nav = page.locator("nav.main-nav")
    search = page.locator(".site-header input[name=q]")
    assert not nav.is_visible() and not search.is_visible()
    toggle.tap()
    assert nav.is_visible() and search.is_visible()
    first = nav.get_by_role("link").first
    assert first.evaluate(FULLY_VISIBLE)
    toggle.tap()
    assert not nav.is_visible()
    # The language sheet works without script too, and its bar closes it.
    page.locator(f"{SWITCHER} > summary").tap()
    assert page.locator(f'{SWITCHER} a[hreflang="sv"]').is_visible()
    page.locator(f"{SWITCHER} > summary").tap()
    assert not page.locator(f'{SWITCHER} a[hreflang="sv"]').is_visible()


def test_menu_is_always_shown_on_wide_screens(live_site, phone):
    page = phone(1280)
    page.goto(f"{live_site.url}/de/")
    assert not page.locator("details.menu-toggle > summary").is_visible()
    assert page.locator("nav.main-nav").get_by_role("link").first.is_visible()
    assert page.locator(".site-header input[name=q]").is_visible()


STATES = {
    "closed": [],
    "menu-open": ["details.menu-toggle > summary"],
    "languages-open": [f"{SWITCHER} > summary"],
}
STATE_CASES = [(width, state) for width in (320, 375, 1280) for state in STATES]


def test_header_states_pass_axe_and_the_html_checker(live_site, phone):
    folder = RESULTS / "html-header"
    folder.mkdir(parents=True, exist_ok=True)
    files, failures = [], []
    for width, state in STATE_CASES:
        if width >= 768 and state == "menu-open":
            continue  # no toggle: the menu is always shown
        page = phone(width)
        page.goto(live_site.url + STUDY)
        for toggle in STATES[state]:
            page.locator(toggle).tap()
        violations = axe_violations(page)
        if violations:
            failures.append(describe_violations(f"{page.url} ({width}px, {state})", violations))
        path = folder / f"header-{width}-{state}.html"
        path.write_text(page.content(), encoding="utf-8")
        files.append(path)
    errors = {name: found for name, found in html_errors(files).items() if found}
    failures += [f"{name}:\n  " + "\n  ".join(found) for name, found in errors.items()]
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("code", ["de", "fr", "es", "it", "pl"])
def test_one_name_for_case_studies_in_menu_breadcrumb_and_title(live_site, phone, code):
    page = phone(1280)
    page.goto(f"{live_site.url}/{code}/case-studies/{STUDY_SLUG}/")
    menu = page.locator(f'nav.main-nav a[href="/{code}/case-studies/"]').inner_text()
    crumbs = page.locator("nav.breadcrumbs li").all_inner_texts()
    crumb = re.sub(r"^\W+", "", crumbs[1]).strip()
    page.goto(f"{live_site.url}/{code}/case-studies/")
    title = page.locator("h1").first.inner_text()
    assert menu.strip() == crumb == title.strip(), (menu, crumb, title)
