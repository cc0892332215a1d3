"""One page, its language versions, one audience: the visibility matrix.

A small site, built once for the module, has four pages of each kind (case study, news item,
event, Manual chapter), each group titled with a marker word that appears nowhere else:

- open pages (`OPEN`), which every surface that lists pages must show;
- hidden pages (`MARK`), published and translated, which each test hides one way: a password,
  a login or a groups restriction on the pages or on their sections, unpublishing, expiry;
- pages never published (`NEVER`), only drafts, which a test schedules;
- published pages whose draft (`DRAFT`) must not show.

Then every public surface, in English (the originals), German (real translations) and
Swedish (the fallback pages, wagtail-localize's aliases, and under a restricted section the
fallback pages of its children), must show nothing of what is hidden: not the titles, text or
addresses (the markers are in the slugs too), not a count of them.

`test_removing_the_fallback_page_rule_makes_cells_fail` runs cells again with the fallback page part
of the rule taken out, and finds leaks: the cells can fail.
"""

import datetime
import json
import re

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction

from casestudies.models import RelatedCaseStudy
from home import visibility
from search.indexing import rebuild
from tests.factories import (
    CaseStudyIndexPageFactory,
    CaseStudyPageFactory,
    EventIndexPageFactory,
    EventPageFactory,
    ManualChapterPageFactory,
    ManualPageFactory,
    NewsIndexPageFactory,
    NewsPageFactory,
    TopicFactory,
    body,
)
from tests.utils import translate_page

pytestmark = [pytest.mark.django_db, pytest.mark.long_running]

OPEN = "openquartz"
MARK = "zephyrquartz"
NEVER = "neverquartz"
DRAFT = "draftquartz"  # in drafts of the pages titled PUBLIC
PUBLIC = "publicquartz"
LANGUAGES = {"en": "original", "de": "translation", "sv": "fallback page"}
KINDS = ("case study", "news", "event", "chapter")
SECTIONS = {"case study": "case-studies", "news": "news", "event": "events", "chapter": "manual"}


def make(sections, topic, kind, word, live=True):
    values = {
        "title": f"{word} {kind}",
        "slug": f"{word}-{kind.replace(' ', '-')}",
        "summary": f"{word} summary",
        "live": live,
    }
    parent = sections[kind]
    if kind == "case study":
        page = CaseStudyPageFactory(parent=parent, topics=[topic], tags=["heat-pumps"], **values)
    elif kind == "news":
        page = NewsPageFactory(parent=parent, tags=["heat-pumps"], **values)
    elif kind == "event":
        page = EventPageFactory(parent=parent, **values)
    else:
        page = ManualChapterPageFactory(parent=parent, **values)
    page.body = body(f"{word} procurement in practice.")
    revision = page.save_revision()
    if live:
        revision.publish()
    return page


def build_site():
    from wagtail.models import Site

    home = Site.objects.get(is_default_site=True).root_page.specific
    topic = TopicFactory(name="Energy", slug="energy")
    sections = {
        "case study": CaseStudyIndexPageFactory(parent=home),
        "news": NewsIndexPageFactory(parent=home),
        "event": EventIndexPageFactory(parent=home),
        "chapter": ManualPageFactory(parent=home),
    }
    groups = {
        word: {kind: make(sections, topic, kind, word, live=word != NEVER) for kind in KINDS}
        for word in (OPEN, MARK, NEVER, PUBLIC)
    }
    # The open case study names the hidden one as related; the home page features both.
    opened = groups[OPEN]["case study"]
    RelatedCaseStudy.objects.create(page=opened, case_study=groups[MARK]["case study"])
    opened.save_revision().publish()
    home.featured = [("page", groups[MARK]["case study"]), ("page", opened)]
    home.save_revision().publish()
    for section in sections.values():
        section.save_revision().publish()

    call_command("setup_site", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
    for word, pages in groups.items():
        for page in pages.values():
            translate_page(
                page,
                "de",
                publish=page.live,
                title=f"{word} Übersetzung",
                summary=f"{word} Zusammenfassung",
            )
    rebuild()
    return sections, groups


@pytest.fixture(scope="module")
def site(django_db_setup, django_db_blocker):
    """Built once per module inside a transaction rolled back after it; each test's own
    transaction nests inside it."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_site()
        transaction.set_rollback(True)


def hide(kind, sections, groups):
    """Hide the pages the way an editor would."""
    now = timezone.now()
    restriction = {
        "password": PageViewRestriction.PASSWORD,
        "login": PageViewRestriction.LOGIN,
        "groups": PageViewRestriction.GROUPS,
        "login on the section": PageViewRestriction.LOGIN,
        "password on the section": PageViewRestriction.PASSWORD,
    }.get(kind)
    if restriction:
        targets = sections.values() if "section" in kind else groups[MARK].values()
        for page in targets:
            made = PageViewRestriction.objects.create(
                page=page, restriction_type=restriction, password="members-only"
            )
            if restriction == PageViewRestriction.GROUPS:
                made.groups.set([Group.objects.get_or_create(name="Members")[0]])
        return MARK
    if kind == "scheduled":
        for page in groups[NEVER].values():
            page = Page.objects.get(pk=page.pk).specific
            page.go_live_at = now + datetime.timedelta(hours=1)
            page.save_revision().publish()
        return NEVER
    if kind == "draft only":
        return NEVER
    if kind == "draft of a live page":
        for page in groups[PUBLIC].values():
            page = Page.objects.get(pk=page.pk).specific
            page.title = f"{DRAFT} draft"
            page.summary = f"{DRAFT} draft summary"
            page.save_revision()  # not published
        return DRAFT
    for page in groups[MARK].values():
        page = Page.objects.get(pk=page.pk).specific
        if kind == "unpublished":
            page.unpublish()
        elif kind == "expired":
            # Its expiry has passed (published as if a minute ago), the worker not yet run.
            page.expire_at = now - datetime.timedelta(minutes=1)
            page.save_revision().publish()
    return MARK


def surfaces(marker, ids):
    """(language or None, surface, address) of every public surface."""
    query = marker.upper()  # matches the marker; its echo on the search page is not it
    found = []
    for language in LANGUAGES:
        found += [
            (language, "home page", f"/{language}/"),
            (language, "case study listing", f"/{language}/case-studies/"),
            (language, "CSV export", f"/{language}/case-studies/?format=csv"),
            (language, "JSON export", f"/{language}/case-studies/?format=json"),
            (language, "news listing", f"/{language}/news/"),
            (language, "RSS feed", f"/{language}/news/feed/"),
            (language, "Atom feed", f"/{language}/news/feed/atom/"),
            (language, "event listing", f"/{language}/events/"),
            (language, "events calendar", f"/{language}/events/ical/"),
            (language, "Manual", f"/{language}/manual/"),
            (language, "whole Manual", f"/{language}/manual/whole/"),
            (language, "related case studies", f"/{language}/case-studies/{OPEN}-case-study/"),
            (language, "topic page", f"/{language}/topics/energy/"),
            (language, "tag page", f"/{language}/tags/heat-pumps/"),
            (language, "search", f"/{language}/search/?q={query}"),
            (language, "search, all languages", f"/{language}/search/?q={query}&all=1"),
            (language, "search JSON", f"/{language}/search/?q={query}&format=json"),
            (language, "search facets", f"/{language}/search/?q=procurement&format=json"),
            (language, "autocomplete", f"/{language}/search/autocomplete/?q={query[:6]}"),
            (language, "API listing", f"/api/v2/pages/?locale={language}&limit=100&fields=title"),
            (language, "sitemap", f"/sitemap-{language}.xml"),
            *[
                (language, "the page itself", f"/{language}/{section}/{marker}-{slug}/")
                for slug, section in (
                    (kind.replace(" ", "-"), section) for kind, section in SECTIONS.items()
                )
            ],
            (language, "calendar file", f"/{language}/events/{marker}-event/ical/"),
        ]
    found += [(None, "API detail", f"/api/v2/pages/{pk}/") for pk in ids]
    found += [(None, "API search", f"/api/v2/pages/?search={query}&limit=100")]
    return found


SERVED = ("API detail", "the page itself", "calendar file")


def leaks(client, marker, ids, languages=LANGUAGES, public=False, seen=None):
    """Every (language, surface, address) that shows anything of the pages marked `marker`
    (with `ids`), or of the pages never published; of the marked pages' text only, where
    the pages themselves are `public`. What each address answered goes into `seen`."""
    found = []
    for language, surface, address in surfaces(marker, ids):
        if language is not None and language not in languages:
            continue
        response = client.get(address)
        text = text_of(response)
        if seen is not None:
            seen[address] = text
        if surface in SERVED:
            # The address asked for, echoed: a password form's return address, the
            # language switcher of a 404 page.
            text = text.replace(address.split("/", 2)[-1], "")
        if marker in text or NEVER in text:
            found.append((language, surface, address))
        elif surface == "search JSON" and json.loads(text)["total"]:
            found.append((language, "search count", address))
        elif public:
            continue
        elif surface == "search facets" and count_of_type_facets(text) > shown(marker):
            found.append((language, "search facet count", address))
        elif response.status_code == 200 and surface in SERVED and not asks_password(text):
            found.append((language, surface, address))
    return found


def asks_password(text):
    return 'name="password"' in text


def text_of(response):
    if response.streaming:
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


def shown(marker):
    """How many pages say "procurement" that visitors may see: the open pages, those titled
    PUBLIC and, where others are hidden, those marked MARK."""
    return len(KINDS) * (2 if marker == MARK else 3)


def count_of_type_facets(text):
    """How many pages the type facet of a search counts."""
    facets = json.loads(text)["facets"].get("type", [])
    return sum(option["count"] for option in facets)


def shows_the_open_pages(client, seen):
    """The open pages show on the surfaces that list pages, in every language: the
    listings as `leaks` read them (`seen`), and searches for the open pages."""
    for language in LANGUAGES:
        for address in (
            f"/{language}/case-studies/",
            f"/{language}/news/feed/",
            f"/{language}/events/",
            f"/{language}/manual/",
            f"/{language}/topics/energy/",
            f"/api/v2/pages/?locale={language}&limit=100&fields=title",
        ):
            assert OPEN in seen[address], (language, address)
        address = f"/{language}/search/?q={OPEN}"
        assert OPEN in client.get(address).content.decode(), (language, address)
    assert OPEN in seen["/sitemap-en.xml"]
    address = f"/api/v2/pages/?search={OPEN}"
    assert OPEN in client.get(address).content.decode(), address


def versions(pages):
    keys = [page.translation_key for page in pages.values()]
    return list(
        Page.objects.filter(
            translation_key__in=keys, locale__language_code__in=LANGUAGES
        ).values_list("pk", flat=True)
    )


MATRIX = [
    "password",
    "login",
    "groups",
    "login on the section",
    "password on the section",
    "unpublished",
    "scheduled",
    "expired",
    "draft only",
    "draft of a live page",
]


def report(found):
    return "\n".join(map(str, found))


@pytest.mark.parametrize("kind", MATRIX)
def test_nothing_hidden_reaches_any_public_surface(
    client, site, django_capture_on_commit_callbacks, kind
):
    sections, groups = site
    with django_capture_on_commit_callbacks(execute=True):
        marker = hide(kind, sections, groups)
    word = {MARK: MARK, NEVER: NEVER, DRAFT: PUBLIC}[marker]
    ids = versions(groups[word])
    assert len(ids) == len(KINDS) * len(LANGUAGES)
    if kind == "expired":
        # Before the worker has run, search still holds the pages: every other surface
        # hides them at once; within the minute the worker unpublishes them, search too.
        early = [leak for leak in leaks(client, marker, ids) if "search" not in leak[1]]
        assert early == [], report(early)
        with django_capture_on_commit_callbacks(execute=True):
            call_command("run_worker", "--once")
    seen = {}
    found = leaks(client, marker, ids, public=marker == DRAFT, seen=seen)
    assert found == [], report(found)
    if "section" not in kind:  # under a hidden section, the open pages are hidden too
        shows_the_open_pages(client, seen)


def test_the_swedish_fallback_pages_under_a_restricted_section_are_governed(
    client, site, django_capture_on_commit_callbacks
):
    """The child fallback page of the matrix: a Swedish news item under the Swedish news section,
    both fallback pages, the English section restricted."""
    sections, groups = site
    with django_capture_on_commit_callbacks(execute=True):
        hide("login on the section", sections, groups)
    original = groups[MARK]["news"]
    news = Page.objects.get(translation_key=original.translation_key, locale__language_code="sv")
    assert news.alias_of_id == original.pk
    assert news.get_parent().alias_of_id == sections["news"].pk
    response = client.get(news.url)
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert "no-store" in response["Cache-Control"]


def test_a_translation_asks_for_its_originals_password(
    client, site, django_capture_on_commit_callbacks
):
    """Restrictions reach translations by a copy (translations/restrictions.py); the German
    translation then asks for the password as the original does."""
    sections, groups = site
    with django_capture_on_commit_callbacks(execute=True):
        hide("password", sections, groups)
    german = Page.objects.get(
        translation_key=groups[MARK]["case study"].translation_key, locale__language_code="de"
    )
    assert german.alias_of_id is None
    copy = german.view_restrictions.get()
    assert (copy.restriction_type, copy.password) == (PageViewRestriction.PASSWORD, "members-only")
    response = client.get(german.url)
    text = response.content.decode().replace(german.url, "")  # the form's return address
    assert response.status_code == 200 and asks_password(text)
    assert MARK not in text
    assert "no-store" in response["Cache-Control"]
    # One password lets the visitor in: the original's restriction, which governs the
    # translation too, asks for the same password and is not asked again.
    action = re.search(r'action="([^"]*authenticate_with_password[^"]*)"', text).group(1)
    client.post(action, {"password": "members-only", "return_url": german.url})
    response = client.get(german.url)
    text = response.content.decode().replace(german.url, "")
    assert response.status_code == 200 and not asks_password(text) and MARK in text


def test_pages_made_public_again_come_back(client, site, django_capture_on_commit_callbacks):
    sections, groups = site
    with django_capture_on_commit_callbacks(execute=True):
        hide("login", sections, groups)
    assert leaks(client, MARK, versions(groups[MARK])) == []
    with django_capture_on_commit_callbacks(execute=True):
        PageViewRestriction.objects.filter(page__in=groups[MARK].values()).delete()
    for language in LANGUAGES:
        response = client.get(f"/{language}/search/?q={MARK}&format=json")
        assert json.loads(response.content)["total"] == len(KINDS), language
        assert client.get(f"/{language}/case-studies/{MARK}-case-study/").status_code == 200
    assert MARK in client.get("/sitemap-en.xml").content.decode()


def fallback_rule_removed(monkeypatch):
    """The rule as stock Wagtail's querysets have it: a page answers only to itself."""

    def published_q():
        return visibility._published_here()

    def restricted_q():
        governed = visibility.Q(pk__in=[])
        for path in PageViewRestriction.objects.values_list("page__path", flat=True):
            governed |= visibility.Q(path__startswith=path)
        return governed

    monkeypatch.setattr(visibility, "published_q", published_q)
    monkeypatch.setattr(visibility, "restricted_q", restricted_q)


@pytest.mark.parametrize("kind", ["login on the section", "unpublished", "expired"])
def test_removing_the_fallback_page_rule_makes_cells_fail(
    client, site, monkeypatch, django_capture_on_commit_callbacks, kind
):
    fallback_rule_removed(monkeypatch)
    sections, groups = site
    with django_capture_on_commit_callbacks(execute=True):
        hide(kind, sections, groups)
    found = leaks(client, MARK, versions(groups[MARK]), languages=["de", "sv"])
    leaking = {surface for _language, surface, _address in found}
    assert {"API listing", "sitemap", "topic page"} & leaking, report(found)
    if kind != "unpublished":  # unpublishing takes the fallback pages down with the original
        assert any(language == "sv" for language, *_rest in found), report(found)
