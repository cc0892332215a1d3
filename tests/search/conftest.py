"""A small judged collection: case studies and news in six languages, and their fallback pages."""

import pytest

from home.languages.trees import synchronize_locale_trees
from search.engines import get_engine
from search.indexing import rebuild
from tests.factories import (
    CaseStudyIndexPageFactory,
    CaseStudyPageFactory,
    NewsIndexPageFactory,
    NewsPageFactory,
    TopicFactory,
    body,
)
from tests.utils import translate_page

# key: English title/body, then translations (title, body) per language.
COLLECTION = {
    "ghent": {
        "en": (
            "Ghent serves plant-based school meals",
            "The city changed its catering contracts so that pupils eat less meat.",
        ),
        "de": (
            "Gent serviert pflanzliche Schulessen",
            "Die Stadt stellte die Beschaffung ihrer Schulverpflegung um: weniger Fleisch, "
            "mehr regionale Lebensmittel.",
        ),
        "fr": (
            "Gand sert des repas végétariens à l'école",
            "Les élèves mangent moins de viande grâce aux nouveaux marchés de restauration.",
        ),
        "es": (
            "Gante sirve comidas escolares vegetales",
            "La contratación pública ecológica del comedor escolar redujo la carne.",
        ),
        "it": (
            "Gand serve pasti scolastici vegetali",
            "Gli appalti pubblici verdi della mensa scolastica hanno ridotto la carne.",
        ),
        "pl": (
            "Gandawa podaje roślinne posiłki szkolne",
            "Zielone zamówienia publiczne na stołówki szkolne ograniczyły mięso.",
        ),
    },
    "krakow": {
        "en": (
            "Kraków buys electric buses",
            "The transport company procured fifty battery buses with charging points.",
        ),
        "de": (
            "Krakau kauft Elektrobusse",
            "Das Verkehrsunternehmen beschaffte fünfzig Batteriebusse mit Ladestationen.",
        ),
        "fr": (
            "Cracovie achète des bus électriques",
            "L'entreprise de transport a acheté cinquante bus à batterie.",
        ),
        "es": (
            "Cracovia compra autobuses eléctricos",
            "La empresa de transporte adquirió cincuenta autobuses de batería.",
        ),
        "it": (
            "Cracovia acquista autobus elettrici",
            "L'azienda di trasporto ha acquistato cinquanta autobus a batteria.",
        ),
        "pl": (
            "Kraków kupuje autobusy elektryczne",
            "Przedsiębiorstwo komunikacyjne zamówiło pięćdziesiąt autobusów elektrycznych.",
        ),
    },
    "helsinki": {
        "en": (
            "Helsinki switches schools to heat pumps",
            "Eight schools replaced oil boilers with ground-source heat pumps.",
        ),
    },
}


@pytest.fixture(scope="module")
def collection(django_db_setup, django_db_blocker):
    """Built once per module inside a transaction that is rolled back after it; each test's
    own transaction nests inside (as a savepoint)."""
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        yield build_collection()
        transaction.set_rollback(True)


def build_collection():
    from wagtail.models import Site

    home = Site.objects.get(is_default_site=True).root_page.specific
    topic = TopicFactory(name="Food and catering", slug="food")
    energy = TopicFactory(name="Energy", slug="energy")
    studies = CaseStudyIndexPageFactory(parent=home)
    news = NewsIndexPageFactory(parent=home)
    pages = {}
    countries = {"ghent": "BE", "krakow": "PL", "helsinki": "FI"}
    years = {"ghent": 2021, "krakow": 2019, "helsinki": 2022}
    for key, texts in COLLECTION.items():
        title, text = texts["en"]
        page = CaseStudyPageFactory(
            parent=studies,
            slug=key,
            title=title,
            summary=text,
            body=body(text),
            country=countries[key],
            year=years[key],
            topics=[topic] if key == "ghent" else [energy],
            tags=[key],
        )
        pages[key] = page
    NewsPageFactory(
        parent=news,
        slug="meals-news",
        title="School meals webinar",
        summary="A webinar on school meals procurement.",
    )
    synchronize_locale_trees()
    for key, texts in COLLECTION.items():
        for language, (title, text) in texts.items():
            if language != "en":
                translate_page(pages[key], language, title=title, summary=text, body=body(text))
    rebuild()
    return pages


# --- An Elasticsearch cluster that is down --------------------------------------------------
# No cluster can run on these machines; an address where nothing listens (port 9) is a
# cluster that is down, for real: the client's connection is refused.

DOWN = "http://127.0.0.1:9"


@pytest.fixture
def engine_down(settings):
    settings.PROCURA_SEARCH = {**settings.PROCURA_SEARCH, "ELASTICSEARCH_URL": DOWN}
    engine = get_engine()
    assert engine.name == "elasticsearch"
    engine.down_until = None
    return settings


def engine_back(settings):
    """The database engine again, as the configuration names no cluster."""
    settings.PROCURA_SEARCH = {**settings.PROCURA_SEARCH, "ELASTICSEARCH_URL": ""}


def publish(page, capture):
    with capture(execute=True):
        page.save_revision().publish()
