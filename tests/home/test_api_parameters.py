"""The public API answers any query parameter: a 400 with a JSON message for a bad value,
never a server error (home/api.py)."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wagtail.models import Site

from casestudies.models import CaseStudyPage
from home.languages.trees import synchronize_locale_trees
from tests.factories import CaseStudyIndexPageFactory, CaseStudyPageFactory
from tests.utils import module_data

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"


@module_data
def study_pk():
    """A case study in the 24 language trees, built once for the module."""
    home = Site.objects.get(is_default_site=True).root_page.specific
    index = CaseStudyIndexPageFactory(parent=home)
    study = CaseStudyPageFactory(parent=index, title="Oslo lights", year=2021)
    synchronize_locale_trees()
    return study.pk


@pytest.fixture
def studies(study_pk):
    return CaseStudyPage.objects.get(pk=study_pk)


def test_good_parameters_still_work(client, studies):
    response = client.get(
        "/api/v2/pages/",
        {
            "type": "casestudies.CaseStudyPage",
            "locale": "en",
            "child_of": studies.get_parent().pk,
            "fields": "title,year",
            "order": "-title",
            "offset": "0",
            "limit": "5",
            "year": "2021",
        },
    )
    assert response.status_code == 200, response.content
    assert [item["title"] for item in response.json()["items"]] == ["Oslo lights"]
    response = client.get("/api/v2/pages/", {"search": "Oslo", "search_operator": "or"})
    assert response.status_code == 200, response.content


@pytest.mark.parametrize(
    "address",
    [
        "/api/v2/pages/?locale=de&fields=title",
        "/api/v2/pages/?type=casestudies.CaseStudyPage&child_of={parent}",
        "/api/v2/pages/{pk}/",
    ],
)
def test_the_visible_pages_are_worked_out_once_a_request(client, studies, monkeypatch, address):
    """Wagtail asks the view for its base queryset up to three times a request (the
    listing, the serializer's context, a parent filter); the languages' trees are ORed
    together once (home/api.py)."""
    from wagtail.api.v2 import views

    calls = []
    original = views.get_public_pages_queryset
    monkeypatch.setattr(
        views, "get_public_pages_queryset", lambda request: calls.append(1) or original(request)
    )
    response = client.get(address.format(parent=studies.get_parent().pk, pk=studies.pk))
    assert response.status_code == 200, response.content
    assert "Oslo lights" in response.content.decode()
    assert len(calls) == 1


@pytest.mark.parametrize(
    ("endpoint", "params", "message"),
    [
        ("pages", {"search": "\x00"}, "null character"),
        ("pages", {"search": "Oslo\x00lights"}, "null character"),
        ("pages", {"offset": HUGE}, "offset"),
        ("pages", {"offset": "-1"}, "offset"),
        ("pages", {"limit": HUGE}, "limit"),
        ("pages", {"limit": "1.5"}, "limit"),
        ("pages", {"child_of": HUGE}, "child_of"),
        ("pages", {"child_of": "-3"}, "child_of"),
        ("pages", {"descendant_of": HUGE}, "descendant_of"),
        ("pages", {"ancestor_of": HUGE}, "ancestor_of"),
        ("pages", {"translation_of": HUGE}, "translation_of"),
        ("pages", {"locale": "\x00"}, "null character"),
        ("pages", {"locale": "xx"}, "locale"),
        ("pages", {"site": "\x00"}, "null character"),
        ("pages", {"site": "nowhere.example"}, "site"),
        ("pages", {"site": "localhost:99999999999"}, "port"),
        ("pages", {"order": "title\x00"}, "null character"),
        ("pages", {"fields": "title\x00"}, "null character"),
        ("pages", {"fields": "locale(" * 5000}, "fields"),
        ("pages", {"fields": "locale(" * 5000 + ")" * 5000}, "fields"),
        ("pages", {"type": "\x00"}, "null character"),
        ("pages", {"type": "casestudies.Nope"}, "type"),
        ("pages", {"search": "Oslo", "search_operator": "xor"}, "search_operator"),
        ("pages", {"id": HUGE}, "id"),
        ("pages", {"type": "casestudies.CaseStudyPage", "year": "nineteen"}, "year"),
        ("pages", {"type": "casestudies.CaseStudyPage", "year": HUGE}, "year"),
        ("pages", {"type": "casestudies.CaseStudyPage", "co2e_tonnes_per_year": "lots"}, "co2e"),
        ("pages", {"first_published_at": "yesterday"}, "first_published_at"),
        ("pages", {"search": "x" * 1001}, "search"),
        ("images", {"search": "\x00"}, "null character"),
        ("images", {"offset": HUGE}, "offset"),
        ("images", {"width": HUGE}, "width"),
        ("images", {"fields": "tags(" * 5000}, "fields"),
        ("documents", {"search": "\x00"}, "null character"),
        ("documents", {"offset": HUGE}, "offset"),
        ("documents", {"title": "a\x00"}, "null character"),
        # No word to search for: only spaces, or characters that are not text.
        ("pages", {"search": " "}, "search must contain a word"),
        ("pages", {"search": "\u3000\t\u2028"}, "search must contain a word"),
        ("images", {"search": "\n"}, "search must contain a word"),
        ("documents", {"search": "\x1f"}, "search must contain a word"),
        # More digits than Python reads as a number (4,300).
        ("pages", {"limit": "9" * 5000}, "limit"),
        ("pages", {"child_of": "9" * 5000}, "child_of"),
        ("pages", {"site": "localhost:" + "9" * 5000}, "port"),
        ("images", {"offset": "9" * 5000}, "offset"),
    ],
)
def test_bad_values_are_a_400_with_a_message(client, studies, endpoint, params, message):
    response = client.get(f"/api/v2/{endpoint}/", params)
    assert response.status_code == 400, response.content
    assert message in response.json()["message"]


@pytest.mark.parametrize(
    "params",
    [
        {"html_path": "\x00"},
        {"html_path": "/en/\x00/"},
        {"id": HUGE},
        {"id": "9" * 5000},
        {"id": "x\x00"},
    ],
)
def test_find_view_answers_bad_values(client, studies, params):
    assert client.get("/api/v2/pages/find/", params).status_code in (400, 404)


def test_detail_view_answers_bad_values(client, studies):
    # Not found (a 404, which LocaleMiddleware redirects to a language's page tree).
    assert client.get(f"/api/v2/pages/{2**40}/").status_code in (302, 404)
    assert client.get(f"/api/v2/pages/{HUGE}/").status_code in (302, 404)
    response = client.get(f"/api/v2/pages/{studies.pk}/", {"fields": "\x00"})
    assert response.status_code == 400


# Any text a URL can carry (no lone surrogates: they cannot be encoded), numbers of any size.
TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
NUMBER = st.integers(min_value=-(10**30), max_value=10**30).map(str)
VALUE = st.one_of(
    TEXT,
    NUMBER,
    st.sampled_from(["", "\x00", "root", "0", "-0", "1e3", HUGE, "title", "-title", "*", "random"]),
)
PAGE_PARAMETERS = [
    "offset",
    "limit",
    "search",
    "search_operator",
    "order",
    "fields",
    "type",
    "child_of",
    "descendant_of",
    "ancestor_of",
    "translation_of",
    "locale",
    "site",
    "id",
    "title",
    "slug",
    "first_published_at",
    "year",
    "co2e_tonnes_per_year",
    "country",
    "rich_text_format",
]
FILE_PARAMETERS = ["offset", "limit", "search", "order", "fields", "id", "title", "tags"]


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    params=st.dictionaries(st.sampled_from(PAGE_PARAMETERS), VALUE, min_size=1, max_size=4),
    typed=st.booleans(),
)
def test_fuzzed_page_parameters_never_fail(client, studies, params, typed):
    if typed:
        params = {"type": "casestudies.CaseStudyPage", **params}
    response = client.get("/api/v2/pages/", params)
    assert response.status_code in (200, 400), (params, response.content[:500])
    if response.status_code == 400:
        assert response.json()["message"]


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    endpoint=st.sampled_from(["images", "documents"]),
    params=st.dictionaries(st.sampled_from(FILE_PARAMETERS), VALUE, min_size=1, max_size=3),
)
def test_fuzzed_image_and_document_parameters_never_fail(client, studies, endpoint, params):
    response = client.get(f"/api/v2/{endpoint}/", params)
    assert response.status_code in (200, 400), (params, response.content[:500])
    if response.status_code == 400:
        assert response.json()["message"]


@pytest.mark.parametrize("digits", [20, 5000])
def test_a_document_address_with_an_id_longer_than_any_is_not_found(client, digits):
    assert client.get(f"/documents/{'9' * digits}/report.pdf").status_code == 404
