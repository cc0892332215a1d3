"""Files for CAT tools, in a real browser: the German translator downloads PO files (the
pending strings of the Translations page, and one translation's from the translation editor)
and finds in them where each string is: the page, its address, and the StreamField block."""

import re

import polib
import pytest

from tests.browser.conftest import login

pytestmark = pytest.mark.browser

# "Body › Heading (block 3) › Heading": the field, the block's label and position, its part.
BLOCK_PLACE = re.compile(r"^Body › [^›]+ \(block \d+\)( › .+)?(, part \d+ of \d+)?$")


def download(page, link):
    with page.expect_download() as info:
        link.click()
    with open(info.value.path(), encoding="utf-8") as handle:
        return polib.pofile(handle.read())


def block_entries(po):
    return [e for e in po if e.comment and BLOCK_PLACE.match(e.comment.splitlines()[-1])]


SLUG = "twinning-visits-browser-test"
NEW_PAGE = f"""
from wagtail.models import Locale
from wagtail.rich_text import RichText
from home.models import HomePage, StandardPage
home = HomePage.objects.get(locale=Locale.get_default())
page = StandardPage(
    title="Twinning visits",
    slug="{SLUG}",
    summary="Authorities visit each other.",
    body=[
        ("paragraph", RichText("<p>Pairs of authorities visit each other.</p>")),
        ("quote", {{"quote": "We saw it work.", "attribution": "A visiting buyer"}}),
    ],
)
home.add_child(instance=page)
page.save_revision().publish()
"""
REMOVE_PAGE = f"""
from wagtail.models import Page
for page in Page.objects.filter(slug="{SLUG}").exclude(alias_of=None):
    page.delete()
for page in Page.objects.filter(slug="{SLUG}"):
    page.delete()
"""


@pytest.fixture
def page_to_translate(live_site):
    """An English page not yet translated into German, published by an editor (and removed
    afterwards: the site is shared by the session's browser tests)."""
    live_site.manage("shell", "-c", NEW_PAGE)
    yield
    live_site.manage("shell", "-c", REMOVE_PAGE)


def test_the_pending_strings_say_where_each_string_is(live_site, page, page_to_translate):
    login(page, live_site, "translator-de")
    page.goto(f"{live_site.url}/admin/translations/?locale=de")
    po = download(page, page.get_by_role("link", name="Download pending strings (PO)"))
    assert po.metadata["Language"] == "de"
    entry = next(e for e in po if e.msgid == "A visiting buyer")
    heading, address, place = entry.comment.splitlines()
    assert heading == "Standard page: Twinning visits"
    assert re.match(rf"^https?://\S+/en/{SLUG}/$", address), address
    assert place == "Body › Quote (block 2) › Attribution"
    # The id read back on upload is unchanged: "<translation>:<path>:<hash>".
    assert entry.msgctxt.count(":") == 2 and entry.msgctxt.split(":")[1].startswith("body.")


def german_translation_of_about(page, live_site):
    response = page.request.get(
        f"{live_site.url}/api/v2/pages/?locale=de&slug=about&fields=-title&limit=1"
    )
    assert response.ok, response.text()
    return response.json()["items"][0]["id"]


def test_the_translation_editors_po_file_says_where_each_string_is(live_site, page):
    login(page, live_site, "translator-de")
    page.goto(f"{live_site.url}/admin/pages/{german_translation_of_about(page, live_site)}/edit/")
    link = page.get_by_role("link", name="Download PO file").first
    po = download(page, link)
    assert po.metadata["Language"] == "de"
    assert po.metadata["X-WagtailLocalize-TranslationID"]
    entries = block_entries(po)
    assert entries, [e.comment for e in list(po)[:5]]
    heading, address, place = entries[0].comment.splitlines()
    assert heading.endswith(": About the network"), heading
    assert re.match(r"^https?://\S+/en/about/$", address), address
    # msgctxt stays wagtail-localize's path, which its upload reads back.
    assert entries[0].msgctxt.startswith("body.")
