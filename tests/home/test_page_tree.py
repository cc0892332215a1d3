from django.conf import settings
from wagtail.models import Locale, Page

from home.models import HomePage


def test_every_eu_language_is_a_content_locale(db):
    codes = set(Locale.objects.values_list("language_code", flat=True))
    assert codes == {code for code, _ in settings.LANGUAGES}
    assert len(codes) == 24
    assert settings.WAGTAIL_CONTENT_LANGUAGES == settings.LANGUAGES


def test_one_home_page_per_language_under_the_root(home):
    roots = HomePage.objects.filter(depth=2)
    assert roots.count() == 24
    assert set(roots.values_list("locale__language_code", flat=True)) == {
        code for code, _ in settings.LANGUAGES
    }
    # One page translated 24 ways: the English original and its fallback pages.
    assert set(roots.values_list("translation_key", flat=True)) == {home.translation_key}


def test_site_root_is_the_english_home_page(site, home):
    assert site.root_page_id == home.pk
    assert home.locale.language_code == "en"
    assert home.alias_of_id is None


def test_untranslated_languages_hold_aliases_of_the_original(home):
    others = Page.objects.filter(translation_key=home.translation_key).exclude(pk=home.pk)
    assert others.count() == 23
    assert set(others.values_list("alias_of_id", flat=True)) == {home.pk}


def test_a_page_added_in_english_appears_in_every_language(home):
    from django.core.management import call_command

    from tests.factories import StandardPageFactory

    page = StandardPageFactory(parent=home, title="About the network", slug="about")
    call_command("setup_site", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
    copies = Page.objects.filter(translation_key=page.translation_key)
    assert copies.count() == 24
    assert set(copies.exclude(pk=page.pk).values_list("alias_of_id", flat=True)) == {page.pk}
    assert copies.get(locale__language_code="fi").url_path.endswith("/about/")


def entries(page_index):
    return [
        (
            entry.content_type,
            entry.translation_key,
            entry.parent_translation_key,
            sorted(entry.locales),
            sorted(entry.aliased_locales),
        )
        for entry in page_index
    ]


def test_the_page_index_is_wagtail_localizes_read_in_one_pass(home, django_assert_max_num_queries):
    """The language trees' synchronisation reads its page index itself (home/languages/trees.py):
    the same entries in the same order as wagtail-localize's own, for originals, translations
    (also of a page under a fallback page) and fallback pages, in fewer queries."""
    from django.core.management import call_command
    from wagtail_localize.synctree import PageIndex

    from home.languages.trees import page_index_from_database
    from tests.factories import NewsIndexPageFactory, NewsPageFactory, StandardPageFactory
    from tests.utils import translate_page

    news = NewsIndexPageFactory(parent=home)
    items = [NewsPageFactory(parent=news, slug=f"item-{n}") for n in range(3)]
    StandardPageFactory(parent=home, slug="about")
    call_command("setup_site", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
    translate_page(items[1], "de")  # under the German fallback page of the news section
    translate_page(news, "fr")
    unsynced = StandardPageFactory(parent=news, slug="new")  # in no other language yet

    expected = entries(PageIndex.from_database().sort_by_tree_position())
    with django_assert_max_num_queries(3):
        found = entries(page_index_from_database())
    assert found == expected
    assert len(found) == 7  # one entry per page, its translations included
    languages = dict(Locale.objects.values_list("pk", "language_code"))
    by_key = {entry[1]: entry for entry in found}
    assert {languages[pk] for pk in by_key[items[1].translation_key][3]} == {"en", "de"}
    assert {languages[pk] for pk in by_key[news.translation_key][3]} == {"en", "fr"}
    assert by_key[unsynced.translation_key][4] == []


def test_synchronising_again_creates_nothing_and_reads_no_page_twice(
    home, django_assert_max_num_queries
):
    """Languages that hold every page are left alone: no query per page and language."""
    from home.languages.trees import synchronize_locale_trees
    from tests.factories import StandardPageFactory

    for n in range(5):
        StandardPageFactory(parent=home, slug=f"page-{n}")
    synchronize_locale_trees()
    count = Page.objects.count()
    with django_assert_max_num_queries(10):
        synchronize_locale_trees()
    assert Page.objects.count() == count == 1 + 24 * 6  # the root, 6 pages in 24 languages
