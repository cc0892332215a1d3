"""Only strictly necessary cookies (none for visitors), and the accessibility statement and
privacy notice linked from the footer in every language."""

import pytest
from django.conf import settings

pytestmark = pytest.mark.browser


def test_anonymous_visitors_get_no_cookies(live_site, context):
    page = context.new_page()
    for path in [
        "/",
        "/de/",
        "/en/case-studies/?topic=energy",
        "/fr/search/?q=bus",
        "/en/manual/whole/",
        "/pl/news/",
        "/en/no-such-page/",
        "/sitemap.xml",
    ]:
        page.goto(live_site.url + path)
    assert context.cookies() == []


@pytest.mark.parametrize("lang", [code for code, _name in settings.LANGUAGES])
def test_footer_links_accessibility_statement_and_privacy_notice(live_site, context, lang):
    page = context.new_page()
    page.goto(f"{live_site.url}/{lang}/")
    footer = page.locator("footer.site-footer")
    for slug in ("accessibility", "privacy"):
        link = footer.locator(f'a[href="/{lang}/{slug}/"]')
        assert link.count() == 1, f"/{lang}/: no footer link to /{lang}/{slug}/"
        assert link.inner_text().strip()
    response = page.goto(f"{live_site.url}/{lang}/accessibility/")
    assert response.status == 200
    assert "WCAG 2.1" in page.content()
