"""A refusal in the admin, in a real browser: the German translator opens a French page's
edit view and reads why it is refused, on the admin's own page, with a way back."""

import pytest

from tests.browser.checks import axe_violations, describe_violations
from tests.browser.conftest import login

pytestmark = pytest.mark.browser


def french_page_id(page, live_site):
    response = page.request.get(
        f"{live_site.url}/api/v2/pages/?locale=fr&type=home.HomePage&fields=-title&limit=1"
    )
    assert response.ok, response.text()
    return response.json()["items"][0]["id"]


def test_the_german_translator_is_told_why_a_french_page_is_refused(live_site, page):
    login(page, live_site, "translator-de")
    url = f"{live_site.url}/admin/pages/{french_page_id(page, live_site)}/edit/"
    response = page.goto(url)
    assert response.status == 403
    # The admin's own page (its menu and styles), not a bare "403 Forbidden".
    assert page.locator("aside.sidebar, #wagtail-sidebar").count() >= 1
    reason = page.locator("#refusal .refusal-reason")
    assert reason.inner_text() == "You translate into German; this page is in French."
    assert page.locator("h1").first.inner_text().strip() == "Not allowed"
    violations = axe_violations(page)
    assert not violations, describe_violations(url, violations)
    # The way back: the translation status of German.
    page.get_by_role("link", name="Translation status: German").click()
    page.wait_for_url(f"{live_site.url}/admin/translations/?locale=de")
    assert page.locator("#translation-status").is_visible()
