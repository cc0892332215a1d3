"""The editor's, the translator's and the visitor's journeys, as they click through them.

The journeys build on one another (the German translator translates the case study the
editor published), so they run in order in one module.
"""

import re

import polib
import pytest

from tests.browser.conftest import login, new_context

pytestmark = pytest.mark.browser

TITLE = "Tartu buys electric cargo bikes for its parks service"
SLUG = "tartu-buys-electric-cargo-bikes-for-its-parks-service"
GERMAN_TITLE = "Tartu kauft elektrische Lastenräder für seine Parkverwaltung"
BODY = "The parks service replaced two diesel vans with electric cargo bikes for its daily rounds."
GERMAN = {
    TITLE: GERMAN_TITLE,
    "Electric cargo bikes replace two diesel vans.": (
        "Elektrische Lastenräder ersetzen zwei Dieseltransporter."
    ),
    "City of Tartu": "Stadt Tartu",
    BODY: (
        "Die Parkverwaltung ersetzte für ihre täglichen Runden zwei Dieseltransporter durch "
        "elektrische Lastenräder."
    ),
}


def admin_url(live_site, path):
    return f"{live_site.url}/admin/{path}"


@pytest.fixture(scope="module")
def journey_state():
    return {}


def test_1_editor_creates_and_publishes_a_case_study(live_site, page, journey_state):
    login(page, live_site, "editor")
    api = page.request.get(
        f"{live_site.url}/api/v2/pages/?type=casestudies.CaseStudyIndexPage&locale=en"
    ).json()
    index_id = api["items"][0]["id"]
    # "Add child page": the series takes only case studies, so the form opens directly.
    page.goto(admin_url(live_site, f"pages/{index_id}/add_subpage/"))
    page.wait_for_url(re.compile(r"/admin/pages/add/casestudies/casestudypage/"))
    page.fill("#id_title", TITLE)
    page.fill("#id_summary", "Electric cargo bikes replace two diesel vans.")
    page.fill("#id_organisation", "City of Tartu")
    page.select_option("#id_country", "EE")
    page.select_option("#id_authority_type", "municipality")
    page.fill("#id_year", "2024")
    page.get_by_label("Transport and mobility", exact=True).check()
    tags = page.locator("#id_tags + ul .tagit-new input")
    tags.fill("cargo bikes")
    tags.press("Enter")
    page.fill("#id_co2e_tonnes_per_year", "18")
    page.locator("#body-root .c-sf-add-button").first.click()
    page.locator(".w-combobox__option", has_text="Text").first.click()
    editor = page.locator("#body-root .public-DraftEditor-content").first
    editor.click()
    page.keyboard.type(
        "The parks service replaced two diesel vans with electric cargo bikes for its daily rounds."
    )
    # Draftail keeps its value in a hidden input, updated as the editor's state settles.
    page.wait_for_function(
        """() => [...document.querySelectorAll('#body-root input[type=hidden]')]
                 .some(i => i.value.includes('daily rounds'))"""
    )
    # Wagtail autosaves the new page as a draft half a second after the last change, then
    # turns the form into the page's edit form. Publishing while that is under way would
    # post the form to "add" a second time (on a slow machine it did: "slug already in
    # use"), so the editor publishes once the draft is saved, as the indicator says.
    page.wait_for_function(
        """() => document.querySelector('#w-autosave-indicator')
                 ?.getAttribute('data-w-autosave-state-value') === 'saved'
                 && document.querySelector('#page-edit-form')?.action.includes('/edit/')"""
    )
    page.locator("footer [data-w-dropdown-target=toggle]").last.click()
    page.locator("button[name=action-publish]").click()
    page.wait_for_url(re.compile(r"/admin/pages/\d+/$"))
    assert "published" in page.locator(".messages").inner_text()

    # It appears in the listing and in search.
    page.goto(f"{live_site.url}/en/case-studies/?topic=transport-mobility")
    assert page.get_by_role("link", name=TITLE).count() == 1
    # The search index follows within seconds, from the task worker.
    found = 0
    for _attempt in range(60):
        page.goto(f"{live_site.url}/en/search/?q=cargo+bike")
        found = page.get_by_role("link", name=TITLE).count()
        if found:
            break
        page.wait_for_timeout(500)
    assert found == 1
    page.goto(f"{live_site.url}/en/case-studies/{SLUG}/")
    assert page.locator("h1").inner_text() == TITLE
    assert "Estonia" in page.content() and "18 t" in page.content()
    assert "replaced two diesel vans with electric cargo bikes" in page.content()
    journey_state["published"] = True


def test_2_german_translator_translates_and_editor_approves(
    live_site, page, context, journey_state, tmp_path
):
    if not journey_state.get("published"):
        pytest.skip("needs the case study of the editor's journey")
    login(page, live_site, "translator-de")
    # The German page exists as a fallback page for the English original; translate it.
    page.goto(f"{live_site.url}/de/case-studies/{SLUG}/")
    assert page.locator(".notice--fallback").count() == 1
    page.goto(admin_url(live_site, "translations/?locale=de&state=missing"))
    page.get_by_role("row", name=re.compile(re.escape(TITLE))).get_by_role(
        "link", name=re.compile("Translate|Übersetzen")
    ).first.click()
    page.locator("form button[type=submit], form input[type=submit]").last.click()
    page.wait_for_url(re.compile(r"/admin/pages/\d+/edit/"))

    # Work offline: download the PO file, translate it, upload it back.
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile("Download PO file|PO-Datei")).click()
    po_path = tmp_path / "tartu.po"
    download_info.value.save_as(po_path)
    po = polib.pofile(str(po_path))
    translated = 0
    for entry in po:
        if entry.msgid in GERMAN:
            entry.msgstr = GERMAN[entry.msgid]
            translated += 1
    assert translated == len(GERMAN), [e.msgid for e in po]
    po.save(str(po_path))
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name=re.compile("Upload PO file|PO-Datei")).click()
    with page.expect_navigation():
        chooser.value.set_files(str(po_path))

    # Submit for review from the translation status page.
    page.goto(admin_url(live_site, "translations/?locale=de"))
    row = page.get_by_role("row", name=re.compile(re.escape(TITLE)))
    row.get_by_role("button", name=re.compile("Submit for review|Zur Prüfung")).click()
    page.wait_for_load_state()
    assert "submitted for review" in page.content() or "Prüfung" in page.content()
    # Not public before an editor approves it.
    visitor = new_context(context.browser).new_page()
    visitor.goto(f"{live_site.url}/de/case-studies/{SLUG}/")
    assert GERMAN_TITLE not in visitor.content()

    # The editor approves it from the dashboard (in a browser of their own).
    editor_context = new_context(context.browser)
    editor_page = editor_context.new_page()
    login(editor_page, live_site, "editor")
    editor_page.goto(admin_url(live_site, ""))
    panel = editor_page.locator("section").filter(
        has=editor_page.get_by_role("heading", name="Awaiting your review")
    )
    row = panel.get_by_role("row").filter(has_text=GERMAN_TITLE)
    row.get_by_role("button").last.click()  # the row's "More actions" menu
    with editor_page.expect_navigation():
        panel.get_by_role("button", name="Approve", exact=True).click()
    editor_context.close()

    visitor.goto(f"{live_site.url}/de/case-studies/{SLUG}/")
    assert visitor.locator("h1").inner_text() == GERMAN_TITLE
    assert "Die Parkverwaltung ersetzte" in visitor.content()
    # The language switcher links both ways.
    english = visitor.locator(f'a[hreflang="en"][href="/en/case-studies/{SLUG}/"]')
    assert english.count() == 1
    visitor.goto(f"{live_site.url}/en/case-studies/{SLUG}/")
    assert visitor.locator(f'a[hreflang="de"][href="/de/case-studies/{SLUG}/"]').count() == 1
    journey_state["translated"] = True


def test_3_visitor_filters_searches_and_switches_language(live_site, page):
    page.goto(f"{live_site.url}/de/")
    page.locator("nav.main-nav").get_by_role("link").first.click()
    assert "/de/case-studies/" in page.url
    # Filter by topic and country with the form.
    page.locator("form.filters input[name=topic][value=energy]").check()
    page.select_option("form.filters select[name=country]", "FI")
    page.locator("form.filters button[type=submit]").click()
    page.wait_for_url(re.compile(r"topic=energy"))
    assert "country=FI" in page.url
    cards = page.locator(".card__title a")
    assert cards.count() == 1
    # Search with another form of the word than the pages use: "Wärmepumpe" finds
    # "Wärmepumpen", marked in the snippets.
    page.fill("#site-search-header", "Wärmepumpe Schulen")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/de/search/\?q="))
    assert page.locator(".search-result mark", has_text="Wärmepumpen").count() >= 1
    result = page.locator(".search-result__title a", has_text="Helsinki")
    assert result.count() == 1
    result.click()
    assert page.url.endswith("/de/case-studies/helsinki-school-heat-pumps/")
    # Switch to English with the language switcher.
    page.locator("details.language-switcher summary").click()
    page.locator('details.language-switcher a[hreflang="en"]').click()
    assert page.url.endswith("/en/case-studies/helsinki-school-heat-pumps/")
    assert page.locator("html").get_attribute("lang") == "en"


def focused(page):
    return page.evaluate(
        "() => { const e = document.activeElement; return e ? (e.id || e.getAttribute('href') "
        "|| e.getAttribute('name') || e.tagName) : null; }"
    )


def focus_is_visible(page):
    return page.evaluate(
        """() => { const e = document.activeElement; if (!e) return false;
            const s = getComputedStyle(e);
            return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2; }"""
    )


def test_4_keyboard_only(live_site, page):
    page.goto(f"{live_site.url}/de/case-studies/")
    # The skip link comes first, is visible when focused, and moves focus to the content.
    page.keyboard.press("Tab")
    assert focused(page) == "#main"
    assert focus_is_visible(page)
    assert page.locator(".skip-link").bounding_box()["y"] >= 0
    page.keyboard.press("Enter")
    assert focused(page) == "main"
    # Through the header: brand, search field and button, language switcher.
    page.goto(f"{live_site.url}/de/case-studies/")
    seen = []
    for _ in range(6):
        page.keyboard.press("Tab")
        seen.append(focused(page))
        assert focus_is_visible(page), f"no visible focus on {seen[-1]}"
    assert "site-search-header" in seen
    assert "SUMMARY" in seen
    # Open the language switcher with the keyboard and pick English.
    while focused(page) != "SUMMARY":
        page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")
    for _ in range(40):
        page.keyboard.press("Tab")
        if focused(page) == "/en/case-studies/":
            break
    assert focused(page) == "/en/case-studies/"
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/en/case-studies/$"))

    # Filters by keyboard: tick a topic with Space, submit with Enter.
    page.goto(f"{live_site.url}/en/case-studies/")
    page.focus("form.filters input[name=topic][value=energy]")
    page.keyboard.press("Space")
    assert page.locator("form.filters input[name=topic][value=energy]").is_checked()
    page.focus("form.filters button[type=submit]")
    assert focus_is_visible(page)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"topic=energy"))

    # Search by keyboard.
    page.focus("#site-search-header")
    page.keyboard.type("heat pumps")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/en/search/\?q=heat"))
    assert page.locator(".search-result").count() >= 1
