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
