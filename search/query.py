"""A visitor's search, from the query string to results ready to show.

The query is analysed with the visitor's language (and with the language of any fallback
content in their tree), its place names widened to their names in every language (the
glossary, search/glossary.py), handed to the engine with the filters, and the hits come back
with their page, type, language and a highlighted snippet. Also: spelling suggestions when
nothing matches, editors' picks (Wagtail search promotions) and the per-language query log.
"""

import difflib
import logging
import time
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F, prefetch_related_objects
from django.db.models.functions import Length, Substr
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Locale, Page

from home.memo import Memo
from home.params import filter_values, printable
from home.routing import page_url, site_for_request
from home.visibility import visible
from search.analysis import analyzer
from search.engines import EngineUnavailable, database_engine, get_engine
from search.engines.base import FACET_NAMES, SearchRequest
from search.glossary import expand
from search.highlight import SCAN, highlight, snippet
from search.models import IndexEntry, QueryLog, Vocabulary

logger = logging.getLogger(__name__)

MAX_QUERY_LENGTH = 200
MAX_TERMS = 12
MAX_PAGE = 100
PAGE_SIZE = 10
MAX_FILTER_VALUES = 10
# Titles the autocomplete offers at most (the search forms' suggestions).
AUTOCOMPLETE_LIMIT = 8
# Columns of an entry a hit does not show (the body is read as its opening only).
DEFERRED = {"search_vector", "title_words", "body", "indexed_at"}


class QueryError(ValueError):
    """The query cannot be run; the message says why, for the visitor."""


@dataclass
class Hit:
    title: str
    url: str
    kind: str
    content_type: str
    locale: str
    language: str
    is_fallback: bool
    snippet: str
    title_html: str
    date: object = None


@dataclass
class Results:
    query: str
    locale: str
    all_languages: bool
    total: int = 0
    page: int = 1
    page_size: int = PAGE_SIZE
    hits: list = field(default_factory=list)
    facets: dict = field(default_factory=dict)
    filters: dict = field(default_factory=dict)
    suggestion: str = ""
    promotions: list = field(default_factory=list)
    # "elasticsearch" or "database": which answered; degraded: the configured engine could
    # not, and the database's own index (kept in step with it) did.
    engine: str = ""
    degraded: bool = False

    @property
    def num_pages(self):
        return max(1, -(-self.total // self.page_size))


def remember_site(request):
    """Give the request its site from the per-process memo (home/routing.py), before links
    to pages are made for it: Wagtail would otherwise look the site up in the database."""
    if request is not None:
        site_for_request(request)


def clean_query(raw):
    """The query as searched: normalised, control characters and lone surrogates removed."""
    text = printable(raw)
    if len(text) > MAX_QUERY_LENGTH:
        raise QueryError(
            _("Your search is too long. Please use at most %(max)d characters.")
            % {"max": MAX_QUERY_LENGTH}
        )
    return text


def clean_filters(params):
    filters = {}
    for name in FACET_NAMES:
        values = filter_values(params, name, max_values=MAX_FILTER_VALUES)
        if values:
            filters[name] = values
    return filters


def page_number(raw):
    try:
        number = int(raw)
    except (TypeError, ValueError):
        return 1
    return min(max(number, 1), MAX_PAGE)


def query_languages(locale, all_languages):
    """Languages whose documents the query must be analysed for (cached for a minute)."""
    key = f"search:languages:{'*' if all_languages else locale}"
    languages = cache.get(key)
    if languages is None:
        entries = IndexEntry.objects.all()
        if not all_languages:
            entries = entries.filter(locale=locale)
        languages = set(entries.order_by().values_list("language", flat=True).distinct())
        cache.set(key, languages, 60)
    return sorted(languages | {locale})


def analysed_query(query, languages):
    """({language: [terms]}, {language: [groups]}): the query analysed for the documents of
    each language, its glossary terms (place names) widened to all their variants."""
    terms, alternatives = {}, {}
    for language in languages:
        plain, groups = expand(query, language)
        terms[language] = plain[:MAX_TERMS]
        if groups:
            alternatives[language] = groups[:MAX_TERMS]
    return terms, alternatives


def marked_terms(terms, alternatives):
    """{language: [terms]} a hit's text is highlighted with: the query's own and every
    alternative of its glossary terms (the variant the text holds is marked)."""
    marked = {language: list(found) for language, found in terms.items()}
    for language, groups in alternatives.items():
        found = marked.setdefault(language, [])
        for group in groups:
            for alternative in group:
                found.extend(t for t in alternative if t not in found)
    return marked


def search(
    query,
    locale,
    *,
    filters=None,
    page=1,
    all_languages=False,
    request=None,
    log=True,
    page_size=PAGE_SIZE,
):
    """Run a search. Raises QueryError for a query that cannot be run."""
    query = clean_query(query)
    remember_site(request)
    filters = filters or {}
    results = Results(
        query=query,
        locale=locale,
        all_languages=all_languages,
        page=page,
        page_size=page_size,
        filters=filters,
    )
    results.engine = engine_kind(get_engine())
    if not query:
        return results
    languages = query_languages(locale, all_languages)
    terms, alternatives = analysed_query(query, languages)
    wanted = SearchRequest(
        terms=terms,
        alternatives=alternatives,
        locale=None if all_languages else locale,
        include_fallbacks=not all_languages,
        filters=filters,
        offset=(page - 1) * page_size,
        limit=page_size,
    )
    if not wanted.has_terms():
        return results
    found, results.engine, results.degraded = run_search(wanted)
    results.total = found.total
    results.facets = found.facets
    results.hits = build_hits(found.hits, marked_terms(terms, alternatives), request)
    if results.total == 0:
        results.suggestion = suggest(query, locale)
    results.promotions = promotions(query, locale, request)
    if log:
        log_query(query, locale, results.total)
    return results


def engine_kind(engine):
    return "elasticsearch" if engine.name == "elasticsearch" else "database"


_fallback_logged = {"at": None}
FALLBACK_LOG_EVERY = 60  # seconds


def run_search(request):
    """(SearchResult, engine kind, degraded): the configured engine's answer, or the
    database's own where that engine cannot answer now (logged once a minute at most)."""
    engine = get_engine()
    try:
        return engine.search(request), engine_kind(engine), False
    except EngineUnavailable as error:
        now = time.monotonic()
        last = _fallback_logged["at"]
        if last is None or now - last >= FALLBACK_LOG_EVERY:
            _fallback_logged["at"] = now
            logger.warning("Search falls back to the database's own index: %s", error)
    return database_engine().search(request), "database", True


def build_hits(hits, terms, request):
    ids = [entry_id for entry_id, _score in hits]
    entries = {
        e.pk: e
        # One query for the entries and their pages (the address is all a hit needs of one).
        for e in IndexEntry.objects.filter(pk__in=ids)
        .select_related("page")
        # The snippet looks at the opening of the text only: no need to read the rest.
        .annotate(body_head=Substr("body", 1, SCAN))
        .only(
            *(f.name for f in IndexEntry._meta.concrete_fields if f.name not in DEFERRED),
            "page__id",
            "page__url_path",
        )
    }
    from django.apps import apps

    built = []
    for entry_id in ids:
        entry = entries.get(entry_id)
        if entry is None:  # gone since the search
            continue
        page = entry.page
        app_label, model_name = entry.content_type.split(".")
        model = apps.get_model(app_label, model_name)
        language_terms = terms.get(entry.language, [])
        text = entry.summary if not entry.body_head else f"{entry.summary}\n{entry.body_head}"
        # Matched by the title alone: the text's opening is the snippet, no need to scan it.
        stored = f" {entry.summary_terms} {entry.body_terms} "
        text_terms = language_terms if any(f" {t} " in stored for t in language_terms) else []
        built.append(
            Hit(
                title=entry.title,
                url=page_url(page, request) or "",
                kind=str(model._meta.verbose_name),
                content_type=entry.content_type,
                locale=entry.locale,
                language=entry.language,
                is_fallback=entry.is_fallback,
                snippet=snippet(text, entry.language, text_terms),
                title_html=highlight(entry.title, entry.language, language_terms),
                date=entry.date,
            )
        )
    return built


def suggest(query, locale):
    """A corrected query from words the site uses, if one gives results; else ""."""
    a = analyzer(locale)
    words = [w for _s, _e, w in a.words(query)]
    if not words:
        return ""
    corrected, changed = [], False
    for word in words:
        folded = a.folded_words(word)[0] if a.folded_words(word) else word
        known = Vocabulary.objects.filter(language=locale, word=folded).exists()
        if known or len(folded) < 3 or a.term(word) is None:
            corrected.append(word)
            continue
        candidates = list(
            Vocabulary.objects.filter(language=locale, word__startswith=folded[0])
            .annotate(length=Length("word"))
            .filter(length__range=(max(1, len(folded) - 2), len(folded) + 2))
            .order_by("-frequency")
            .values_list("word", flat=True)[:5000]
        )
        match = difflib.get_close_matches(folded, candidates, n=1, cutoff=0.75)
        if match:
            corrected.append(match[0])
            changed = True
        else:
            corrected.append(word)
    if not changed:
        return ""
    suggestion = " ".join(corrected)
    terms = {locale: a.query_terms(suggestion)}
    found, _engine, _degraded = run_search(SearchRequest(terms=terms, locale=locale, limit=1))
    return suggestion if found.total else ""


# Most searches have no editors' picks. The queries that have some are remembered
# (home/memo.py), forgotten when a pick or its query is saved or deleted (search/signals.py):
# a search without picks then asks nothing more.
promoted = Memo("queries with editors' picks")


def promoted_queries():
    """The query strings that have editors' picks."""
    from wagtail.contrib.search_promotions.models import SearchPromotion

    return promoted.get(
        "queries",
        lambda: frozenset(SearchPromotion.objects.values_list("query__query_string", flat=True)),
    )


def promotions(query, locale, request):
    """Editors' picks for this query, in the visitor's language where translated."""
    from wagtail.contrib.search_promotions.models import SearchPromotion

    if query.lower() not in promoted_queries():
        return []
    picks = list(
        SearchPromotion.objects.filter(query__query_string=query.lower())
        .only("page", "external_link_url", "external_link_text", "description")
        .order_by("sort_order")
    )
    if not picks:
        return []
    prefetch_related_objects(picks, "page")
    target = Locale.objects.filter(language_code=locale).first()
    pages = {}
    for pick in picks:
        if pick.page is not None:
            found = pick.page.get_translation_or_none(target) if target else None
            pages[pick.pk] = found or pick.page
    shown = set(
        visible(Page.objects.filter(pk__in=[p.pk for p in pages.values()])).values_list(
            "pk", flat=True
        )
    )
    chosen = []
    for pick in picks:
        if pick.page is None:
            if pick.external_link_url:
                chosen.append(
                    {
                        "title": pick.external_link_text or pick.external_link_url,
                        "url": pick.external_link_url,
                        "description": pick.description,
                    }
                )
            continue
        page = pages[pick.pk]
        if page.pk in shown:
            chosen.append(
                {
                    "title": page.title,
                    "url": page_url(page, request),
                    "description": pick.description,
                }
            )
    return chosen


def log_query(query, locale, hits):
    """Count the query for the "popular searches" report (per language and day)."""
    normalised = " ".join(query.casefold().split())[:200]
    today = timezone.localdate()
    without = 0 if hits else 1
    updated = QueryLog.objects.filter(locale=locale, query=normalised, day=today).update(
        searches=F("searches") + 1, without_results=F("without_results") + without
    )
    if not updated:
        try:
            with transaction.atomic():
                QueryLog.objects.create(
                    locale=locale, query=normalised, day=today, searches=1, without_results=without
                )
        except IntegrityError:
            QueryLog.objects.filter(locale=locale, query=normalised, day=today).update(
                searches=F("searches") + 1, without_results=F("without_results") + without
            )


def autocomplete(prefix, locale, request=None, limit=AUTOCOMPLETE_LIMIT):
    """Titles in this language whose words start with what was typed."""
    text = clean_query(prefix)
    remember_site(request)
    a = analyzer(locale)
    words = a.folded_words(text)
    if not words or len(words[-1]) < 2:
        return []
    entries = IndexEntry.objects.filter(locale=locale)
    for word in words[:-1]:
        entries = entries.filter(title_words__contains=f" {word} ")
    entries = entries.filter(title_words__contains=f" {words[-1]}").order_by("-date")[:limit]
    entries = list(entries.values_list("page_id", "title"))
    pages = {
        p.pk: p
        for p in Page.objects.filter(pk__in=[pk for pk, _t in entries]).only("id", "url_path")
    }
    return [
        {"title": title, "url": page_url(pages[pk], request)}
        for pk, title in entries
        if pk in pages
    ]
