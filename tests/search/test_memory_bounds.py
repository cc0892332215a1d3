"""Every in-process cache has a bound: what visitors type cannot grow a process without end
(bench/soak_bench.py measures a whole process over many distinct queries)."""

import pytest

from home.memo import Memo
from search import analysis, highlight
from search.analysis import Analyzer


def test_every_memo_is_bounded():
    import home.languages.i18n
    import home.routing
    import home.taxonomy  # noqa: F401
    import search.query  # noqa: F401

    assert Memo.every
    for memo in Memo.every:
        assert memo.size is not None and 0 < memo.size <= 20_000, memo


def test_a_memo_starts_afresh_past_its_size():
    memo = Memo("bounded", size=3)
    for key in range(10):
        memo.get(key, lambda key=key: key)
        assert len(memo.entries) <= 3


def test_the_highlighters_patterns_are_bounded():
    patterns = highlight._candidates_pattern
    limit = patterns.cache_info().maxsize
    assert limit is not None
    for number in range(limit + 50):
        highlight.snippet("Procurement of heat pumps", "en", {f"term{number}", "heat"})
    assert patterns.cache_info().currsize <= limit


def test_visitors_words_have_a_bounded_cache_of_their_own(monkeypatch):
    monkeypatch.setattr(analysis, "QUERY_WORDS_KEPT", 50)
    analyzer = Analyzer("en")
    analyzer.terms("Cities buy heat pumps")
    documents = dict(analyzer._cache)
    for number in range(500):
        analyzer.query_terms(f"heat pumps word{number}x")
        assert len(analyzer._query_cache) <= 50
    assert analyzer._cache == documents  # the documents' cache is left alone


@pytest.mark.parametrize(
    "text",
    ["Cities buy heat pumps", "the and of", "Heat HEAT heating pumps pump", "", "élèves l'eau"],
)
@pytest.mark.parametrize("language", ["en", "fr", "mt"])
def test_query_terms_are_the_texts_distinct_terms(text, language):
    analyzer = Analyzer(language)
    expected = list(dict.fromkeys(Analyzer(language).terms(text)))
    assert analyzer.query_terms(text) == expected
    assert analyzer.query_terms(text) == expected  # from its cache, the same
