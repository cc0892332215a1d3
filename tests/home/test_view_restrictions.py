"""Private sections: a page with a view restriction, its descendants and its fallback pages in
other languages are kept out of listings and ask visitors to log in.

The project tests restrictions in the statement that lists pages, and finds a page's
restrictions in one query (home/models/base.py); these tests hold both to Wagtail's own."""

import pytest
from django.core.management import call_command
from wagtail.models import Page, PageViewRestriction
from wagtail.query import PageQuerySet

from casestudies.models import CaseStudyPage
from tests.factories import (
    CaseStudyIndexPageFactory,
    CaseStudyPageFactory,
    ManualChapterPageFactory,
    ManualPageFactory,
)

pytestmark = pytest.mark.django_db


def restrict(page):
    return PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)


def synchronise_languages():
    call_command("setup_site", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115


def wagtail_public(queryset):
    """The same pages filtered by Wagtail's own `public()`."""
    return set(PageQuerySet.public(queryset).values_list("pk", flat=True))


def test_a_restricted_case_study_is_not_listed_and_asks_for_login(client, home):
    index = CaseStudyIndexPageFactory(parent=home)
    open_study = CaseStudyPageFactory(parent=index, title="Open to all")
    private = CaseStudyPageFactory(parent=index, title="Members only")
    restrict(private)

    body = client.get(index.url).content.decode()
    assert "Open to all" in body
    assert "Members only" not in body
    assert "1 case study" in body
    response = client.get(private.url)
    assert response.status_code == 302
    assert "/login/" in response["Location"]
    assert client.get(open_study.url).status_code == 200
    assert set(index.case_studies().values_list("pk", flat=True)) == {open_study.pk}


def test_everything_under_a_restricted_page_is_private(client, home):
    manual = ManualPageFactory(parent=home)
    chapter = ManualChapterPageFactory(parent=manual)
    section = ManualChapterPageFactory(parent=chapter)
    index = CaseStudyIndexPageFactory(parent=home)
    CaseStudyPageFactory(parent=index)
    restrict(chapter)

    for page in (chapter, section):
        assert client.get(page.url).status_code == 302, page.url
    assert client.get(manual.url).status_code == 200
    everything = Page.objects.all()
    public = set(CaseStudyPage.objects.public().values_list("pk", flat=True))
    assert public == wagtail_public(CaseStudyPage.objects.all())
    assert set(manual.specific.chapters().values_list("pk", flat=True)) == set()
    # Ours and Wagtail's agree on every page of the tree.
    ours = set(everything.model.objects.all().values_list("pk", flat=True)) - {
        p.pk for p in everything if p.specific.get_view_restrictions().exists()
    }
    assert ours == wagtail_public(everything)


def test_a_fallback_page_is_governed_by_its_original(client, home):
    index = CaseStudyIndexPageFactory(parent=home)
    study = CaseStudyPageFactory(parent=index, title="Members only")
    synchronise_languages()
    german = Page.objects.get(translation_key=study.translation_key, locale__language_code="de")
    assert german.alias_of_id == study.pk
    restriction = restrict(study)

    assert client.get(german.url).status_code == 302
    # As in Wagtail: the alias answers to its original's restriction, not to its own.
    german = german.specific
    assert list(german.get_view_restrictions()) == [restriction]
    assert list(Page.get_view_restrictions(german)) == [restriction]
    restriction.delete()
    own = restrict(german)
    assert list(german.get_view_restrictions()) == []
    assert list(Page.get_view_restrictions(german)) == []
    own.delete()
    restrict(index)  # an ancestor in English governs the German fallback pages below it
    german_index = Page.objects.get(
        translation_key=index.translation_key, locale__language_code="de"
    ).specific
    assert set(german.get_view_restrictions()) == set(Page.get_view_restrictions(german))
    assert len(set(german.get_view_restrictions())) == 1
    assert client.get(german_index.url).status_code == 302


def governed_the_wagtail_way(pages):
    """The ids of these pages that Wagtail's own page serving finds a restriction for."""
    return {page.pk for page in pages if list(Page.get_view_restrictions(page))}


def test_the_rule_finds_the_restrictions_wagtail_finds_on_every_page(home):
    """`restricted_q` (home/visibility.py) is Wagtail's `get_view_restrictions` as a query
    condition: on every page of three languages they agree, fallback pages with a restriction of
    their own (which does not govern them) and sections under a restricted original included."""
    from home.visibility import restricted_q

    manual = ManualPageFactory(parent=home)
    chapter = ManualChapterPageFactory(parent=manual)
    ManualChapterPageFactory(parent=chapter)
    index = CaseStudyIndexPageFactory(parent=home)
    study = CaseStudyPageFactory(parent=index)
    CaseStudyPageFactory(parent=index)
    synchronise_languages()
    restrict(chapter)
    restrict(Page.objects.get(translation_key=study.translation_key, locale__language_code="de"))
    restrict(Page.objects.get(translation_key=index.translation_key, locale__language_code="fr"))

    pages = Page.objects.filter(depth__gt=2, locale__language_code__in=["en", "de", "fr"])
    wagtails = governed_the_wagtail_way(pages)
    ours = set(pages.filter(restricted_q()).values_list("pk", flat=True))
    assert ours == wagtails
    # The chapter and its section in each language are governed by the English chapter's
    # restriction; the French index and the German study are fallback pages (aliases) with a
    # restriction of their own, which does not govern them: their originals are open.
    assert len(wagtails) == 2 * 3
    assert set(CaseStudyPage.objects.public().values_list("pk", flat=True)) == set(
        CaseStudyPage.objects.exclude(pk__in=wagtails).values_list("pk", flat=True)
    )
