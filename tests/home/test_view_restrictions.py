"""Private sections: a page with a view restriction, its descendants and its stand-ins in
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


def test_a_stand_in_is_governed_by_its_original(client, home):
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
    restrict(index)  # an ancestor in English governs the German stand-ins below it
    german_index = Page.objects.get(
        translation_key=index.translation_key, locale__language_code="de"
    ).specific
    assert set(german.get_view_restrictions()) == set(Page.get_view_restrictions(german))
    assert len(set(german.get_view_restrictions())) == 1
    assert client.get(german_index.url).status_code == 302


def test_one_query_for_a_pages_restrictions(home, django_assert_num_queries):
    manual = ManualPageFactory(parent=home)
    chapter = ManualChapterPageFactory(parent=manual)
    restrict(manual)
    chapter = Page.objects.get(pk=chapter.pk).specific
    with django_assert_num_queries(1):
        assert len(list(chapter.get_view_restrictions())) == 1


def test_the_routing_knows_which_pages_no_restriction_governs(home, django_assert_num_queries):
    """The walk that finds a page also tells whether a restriction governs it; a page it
    clears answers Wagtail's question without a query, the others ask the database."""
    from django.test import RequestFactory
    from django.utils import translation

    from home import routing

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

    checked = {True: 0, False: 0}
    for page in Page.objects.filter(depth__gt=2, locale__language_code__in=["en", "de", "fr"]):
        language = page.locale.language_code
        root = Page.objects.get(depth=2, locale=page.locale)
        path = page.url_path.removeprefix(root.url_path)
        with translation.override(language):
            found = routing.find_page(RequestFactory().get(f"/{language}/{path}"), path)
        served = found[0]
        assert served.pk == page.pk
        governed = bool(list(Page.get_view_restrictions(served)))
        cleared = getattr(served, "_no_view_restrictions", False)
        assert cleared is not governed, page.url_path
        if cleared:
            with django_assert_num_queries(0):
                assert list(served.get_view_restrictions()) == []
        checked[governed] += 1
    # The chapter and its section in each language are governed by the English chapter's
    # restriction; the French index and the German study are stand-ins (aliases) with a
    # restriction of their own, which does not govern them: their originals are open.
    assert checked == {True: 2 * 3, False: 4 * 3}
