"""What every engine does, and the parts the two database engines share."""

from dataclasses import dataclass, field

from django.db.models import Count, Window

from search.facets import FACET_NAMES
from search.models import IndexEntry, IndexFilter


@dataclass
class SearchRequest:
    """A query ready for an engine: terms per language of the documents to match."""

    # {language of the text: [terms]}; a document matches when it holds all the terms of the
    # query as analysed for its own language.
    terms: dict[str, list[str]]
    locale: str | None  # None: every language tree ("search all languages")
    include_fallbacks: bool = True
    filters: dict[str, list[str]] = field(default_factory=dict)
    offset: int = 0
    limit: int = 10
    facet_limit: int = 30
    # {language of the text: [group]}: a document must also hold, for each group, one of
    # its alternatives, each a tuple of terms that must all match (the variants of a glossary
    # term in the query, search/glossary.py).
    alternatives: dict[str, list[tuple[tuple[str, ...], ...]]] = field(default_factory=dict)

    def per_language(self):
        """(language, terms, groups) of each language with something to match."""
        for language in dict.fromkeys([*self.terms, *self.alternatives]):
            terms = self.terms.get(language) or []
            groups = self.alternatives.get(language) or []
            if terms or groups:
                yield language, terms, groups

    def has_terms(self):
        return any(True for _found in self.per_language())


@dataclass
class SearchResult:
    total: int
    hits: list[tuple[int, float]]  # (IndexEntry id, score), best first
    facets: dict[str, list[tuple[str, int]]]


class EngineUnavailable(Exception):
    """The engine cannot be reached or cannot answer now (a search may go elsewhere)."""


class SearchEngine:
    name = ""

    def index(self, entries):
        """Store freshly saved IndexEntry rows (with their filters) in the engine."""
        raise NotImplementedError

    def delete(self, entry_ids):
        raise NotImplementedError

    def replace(self, page_ids, entries, fresh=False):
        """Hold `entries` (committed) as the whole of these pages' documents: for an engine
        other than the database's own, written after the database's rows are committed.
        `fresh`: the pages have no documents yet (a rebuild)."""
        raise NotImplementedError

    def health(self):
        """Whether the engine answers now (raises EngineUnavailable where it does not)."""
        return True

    def clear(self):
        raise NotImplementedError

    def begin_rebuild(self):
        """Before writing the whole index anew (e.g. drop indexes that slow bulk writes)."""

    def end_rebuild(self):
        """After writing the whole index anew."""

    def search(self, request: SearchRequest) -> SearchResult:
        raise NotImplementedError


class DatabaseEngine(SearchEngine):
    """Matching in the database's own full-text index; filters, facets and paging in SQL."""

    def health(self):
        IndexEntry.objects.exists()  # answers when the database does
        return True

    def matching(self, request):
        """IndexEntry queryset of the matches, annotated with `score`."""
        raise NotImplementedError

    def scope(self, request):
        entries = IndexEntry.objects.all()
        if request.locale:
            entries = entries.filter(locale=request.locale)
        if not request.include_fallbacks:
            entries = entries.filter(is_fallback=False)
        return entries

    @staticmethod
    def apply_filters(queryset, filters, skip=None):
        for name, values in filters.items():
            if values and name != skip:
                ids = IndexFilter.objects.filter(name=name, value__in=values).values("entry_id")
                queryset = queryset.filter(pk__in=ids)
        return queryset

    # Up to this many matches, filters and facets are worked out from one read of the
    # matches and their filter values; past it, in SQL (one query per group of facets).
    IN_MEMORY_LIMIT = 20_000

    def search(self, request):
        matches = self.matching(request)
        rows = list(
            matches.order_by("-score", "-date", "pk").values_list("pk", "score")[
                : self.IN_MEMORY_LIMIT + 1
            ]
        )
        if len(rows) <= self.IN_MEMORY_LIMIT:
            return self.search_in_memory(rows, request)
        selected = self.apply_filters(matches, request.filters)
        found = list(
            selected.annotate(total=Window(Count("pk")))
            .order_by("-score", "-date", "pk")
            .values_list("pk", "score", "total")[request.offset : request.offset + request.limit]
        )
        total = found[0][2] if found else (selected.count() if request.offset else 0)
        hits = [(pk, float(score or 0)) for pk, score, _total in found]
        return SearchResult(total=total, hits=hits, facets=self.facets(matches, request))

    def filter_rows(self, entry_ids):
        """(entry id, filter name, value) of the given entries' facet filters."""
        return IndexFilter.objects.filter(entry_id__in=entry_ids, name__in=FACET_NAMES).values_list(
            "entry_id", "name", "value"
        )

    def value_counts(self, entry_ids):
        """(filter name, value, number of entries) over the given entries' facet filters."""
        return (
            IndexFilter.objects.filter(entry_id__in=entry_ids, name__in=FACET_NAMES)
            .values_list("name", "value")
            .annotate(n=Count("entry_id"))
            .order_by()
        )

    def search_in_memory(self, rows, request):
        """Filters and facet counts over the matches (ranked already), in Python.

        With no filter chosen (most searches), every match is selected and the database
        counts the values; otherwise each match's values are read and checked here.
        """
        if not any(request.filters.values()):
            counts = {name: {} for name in FACET_NAMES}
            if rows:
                for name, value, n in self.value_counts([pk for pk, _score in rows]):
                    counts[name][value] = n
            return self.in_memory_result(rows, counts, request)
        values = {}
        for entry_id, name, value in self.filter_rows([pk for pk, _score in rows]):
            values.setdefault(entry_id, {}).setdefault(name, []).append(value)
        wanted = {name: set(v) for name, v in request.filters.items() if v}

        def fails(entry_values):
            """The chosen filters this entry does not pass."""
            return [
                name
                for name, chosen in wanted.items()
                if chosen.isdisjoint(entry_values.get(name, ()))
            ]

        selected = []
        counts = {name: {} for name in FACET_NAMES}
        for pk, score in rows:
            entry_values = values.get(pk, {})
            failed = fails(entry_values) if wanted else ()
            if not failed:
                selected.append((pk, score))
            # A value counts for its filter when the entry passes every *other* filter.
            if len(failed) > 1:
                continue
            for name in failed or FACET_NAMES:
                found = counts[name]
                for value in entry_values.get(name, ()):
                    found[value] = found.get(value, 0) + 1
        return self.in_memory_result(selected, counts, request)

    @staticmethod
    def in_memory_result(selected, counts, request):
        facets = {
            name: sorted(found.items(), key=lambda option: (-option[1], option[0]))[
                : request.facet_limit
            ]
            for name, found in counts.items()
        }
        page = selected[request.offset : request.offset + request.limit]
        return SearchResult(
            total=len(selected),
            hits=[(pk, float(score or 0)) for pk, score in page],
            facets=facets,
        )

    def facets(self, matches, request):
        """Counts per filter value, each filter's under the other filters: the filters
        nobody chose share one query; a chosen filter's counts take one more."""
        facets = {name: [] for name in FACET_NAMES}
        groups = {}
        for name in FACET_NAMES:
            skip = name if request.filters.get(name) else None
            groups.setdefault(skip, []).append(name)
        for skip, names in groups.items():
            base = self.apply_filters(matches, request.filters, skip=skip)
            rows = IndexFilter.objects.filter(name__in=names, entry__in=base.values("pk"))
            if request.locale:
                rows = rows.filter(locale=request.locale)
            rows = rows.values_list("name", "value").annotate(n=Count("entry_id"))
            for name, value, n in rows:
                facets[name].append((value, n))
        for options in facets.values():
            options.sort(key=lambda option: (-option[1], option[0]))
            del options[request.facet_limit :]
        return facets
