"""The glossary in searches: a word of the query that is one of a glossary term's variants (a
place name in any language: Kraków, Krakau, Cracovie, krakow) stands for all of them.

The expansion happens when the query is analysed, not in the index: for the language of the
documents searched, each variant of the term is analysed with that language's analyser, and
a document matches the term when it holds one of them (search/engines/: `alternatives`). So
it works alike on every engine, and a change of the list takes effect without re-indexing.

A query word is one of a term's variants when, lower-case and accents folded, it is written
like one (any language's, several words in a row included: "Monaco di Baviera"), or when it
has the same search term as a single-word variant of the query's language (Polish
"Krakowie" and "Krakowa", German "Wiens"). Variants without diacritics need no entry of
their own: the folded form of every variant is matched and searched too.

The variants are read from the database once per process and kept with what is worked out
from them (home/memo.py); saving or deleting a term or a variant forgets them in every
process (search/signals.py). A search asks the database nothing for the glossary.
"""

import unicodedata
from dataclasses import dataclass, field

from home.memo import Memo
from search.analysis import WORD_RE, analyzer, fold
from search.models import GlossaryVariant

# Keys: the variants, and one table per language; 24 languages at most.
glossary = Memo("glossary", size=100)


def words(text):
    """The words of a text as the glossary compares them: lower-case, accents folded."""
    return tuple(fold(w) for w in WORD_RE.findall(unicodedata.normalize("NFKC", text).casefold()))


def variants():
    """(term id, language, text) of every variant, remembered."""
    return glossary.get(
        "variants",
        lambda: tuple(GlossaryVariant.objects.values_list("term_id", "language", "text")),
    )


@dataclass
class Table:
    """What a query in one language is compared with, and what each term widens to."""

    # words (folded) of a variant → the terms written so
    written: dict = field(default_factory=dict)
    # search term (in this language) of a one-word variant of this language → the terms
    stems: dict = field(default_factory=dict)
    # term → its variants as this language's analyser makes them: tuples of search terms
    alternatives: dict = field(default_factory=dict)
    longest: int = 0  # words of the longest variant


def table(language):
    return glossary.get(("table", language), lambda: build_table(language, variants()))


def build_table(language, rows):
    a = analyzer(language)
    found = Table()
    for term_id, variant_language, text in rows:
        written = words(text)
        if not written:
            continue
        found.written.setdefault(written, set()).add(term_id)
        found.longest = max(found.longest, len(written))
        alternatives = found.alternatives.setdefault(term_id, [])
        for form in dict.fromkeys([text, fold(text)]):
            terms = tuple(a.query_terms(form))
            if terms and terms not in alternatives:
                alternatives.append(terms)
            if len(written) == 1 and len(terms) == 1 and variant_language in ("", language):
                found.stems.setdefault(terms[0], set()).add(term_id)
    found.alternatives = {k: tuple(v) for k, v in found.alternatives.items()}
    return found


def expand(query, language):
    """(terms, groups) of a query in one language: the search terms of its words that are
    no glossary variant, and for each run of words that is one, the alternatives any of
    which a document must hold (each a tuple of search terms that must all match)."""
    a = analyzer(language)
    found = table(language)
    if not found.written:
        return a.query_terms(query), []
    typed = WORD_RE.findall(unicodedata.normalize("NFKC", query or "").casefold())
    folded = [fold(word) for word in typed]
    plain, groups = [], []
    at = 0
    while at < len(typed):
        term_ids, length = match(found, a, typed, folded, at)
        if not term_ids:
            plain.append(typed[at])
            at += 1
            continue
        own = tuple(a.query_terms(" ".join(typed[at : at + length])))
        alternatives = [own] if own else []
        for term_id in sorted(term_ids):
            alternatives.extend(t for t in found.alternatives[term_id] if t not in alternatives)
        group = tuple(alternatives)
        if group and group not in groups:
            groups.append(group)
        at += length
    return a.query_terms(" ".join(plain)), groups


def match(found, a, typed, folded, at):
    """(term ids, number of words) of the longest variant starting at word `at`, or (, 0)."""
    for length in range(min(found.longest, len(typed) - at), 0, -1):
        term_ids = found.written.get(tuple(folded[at : at + length]))
        if term_ids:
            return term_ids, length
    # As the query's other words: visitors' words do not grow the documents' word cache.
    terms = a.query_terms(typed[at])
    if len(terms) == 1 and terms[0] in found.stems:
        return found.stems[terms[0]], 1
    return (), 0
