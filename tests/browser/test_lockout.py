"""The admin's lockout page in a real browser: shown after the fifth wrong password, in the
admin's look, within the admin's Content-Security-Policy (the context fixture fails the test
on any violation)."""

import pytest

pytestmark = pytest.mark.browser


def test_wrong_passwords_end_on_the_lockout_page(live_site, page):
    # A user name of its own, so that no other test's account is locked.
    for attempt in range(5):
        page.goto(f"{live_site.url}/admin/login/")
        page.fill("input[name=username]", "nobody-lockout-test")
        page.fill("input[name=password]", f"wrong-{attempt}")
        with page.expect_navigation() as navigation:
            page.click("button[type=submit]")
    response = navigation.value
    assert response.status == 429
    assert "private" in response.headers["cache-control"]
    assert page.locator("h1").inner_text() == "Too many failed attempts"
    assert "Try again in 15 min." in page.locator("main").inner_text()
    # Wagtail's admin stylesheet applies (the page is not a bare error).
    assert page.locator("link[href*='wagtailadmin/css/core']").count() >= 1
