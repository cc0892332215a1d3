"""Language analysis for search: the one place where text becomes search terms.

For each language: Unicode normalisation, lower-casing (case folding), word splitting, stop
word removal, Snowball stemming (PyStemmer) where a stemmer exists, and accent folding.
Documents and queries go through the same analyser, so every storage engine (PostgreSQL,
SQLite, Elasticsearch) stores and matches the same terms and gives the same matches.
"""

import re
import threading
import unicodedata
from functools import cache
from pathlib import Path

import Stemmer

# PyStemmer's Snowball algorithms for 18 of the 24 EU languages. Croatian has no Snowball
# stemmer of its own; Serbian's (Latin script, a close relative) is used, see docs/search.md.
SNOWBALL = {
    "cs": "czech",
    "da": "danish",
    "de": "german",
    "el": "greek",
    "en": "english",
    "es": "spanish",
    "et": "estonian",
    "fi": "finnish",
    "fr": "french",
    "ga": "irish",
    "hr": "serbian",
    "hu": "hungarian",
    "it": "italian",
    "lt": "lithuanian",
    "nl": "dutch",
    "pl": "polish",
    "pt": "portuguese",
    "ro": "romanian",
    "sv": "swedish",
}

STOPWORDS_DIR = Path(__file__).resolve().parent / "stopwords"
MAX_TERM_LENGTH = 60

# Words kept analysed per language: the documents' (a rebuild sees every one) and the words
# of visitors' queries (any text at all) apart, each cache started afresh when full.
WORDS_KEPT = 500_000
QUERY_WORDS_KEPT = 20_000

# Words: runs of letters and digits. Apostrophes split (l'eau → l, eau), as do hyphens.
WORD_RE = re.compile(r"[^\W_]+", re.UNICODE)


# Letters that carry their mark inside them and so do not decompose (Maltese ħ, Polish ł,
# Croatian đ, Danish ø…), folded as people type them on keyboards without them.
STROKED = str.maketrans(
    {
        "ħ": "h",
        "Ħ": "H",
        "ł": "l",
        "Ł": "L",
        "đ": "d",
        "Đ": "D",
        "ø": "o",
        "Ø": "O",
        "ß": "ss",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "þ": "th",
        "Þ": "TH",
        "ı": "i",
    }
)


def fold(text):
    """Remove accents and other marks: élèves → eleves, Ελληνικά → ελληνικα, łódź → lodz."""
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    return unicodedata.normalize("NFC", stripped).translate(STROKED)


@cache
def stop_words(language):
    path = STOPWORDS_DIR / f"{language}.txt"
    if not path.exists():
        return frozenset()
    words = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            word = line.casefold()
            words.update({word, fold(word)})
    return frozenset(words)


class Analyzer:
    """Turns text of one language into search terms."""

    def __init__(self, language):
        self.language = language
        self.algorithm = SNOWBALL.get(language)
        self.stop_words = stop_words(language)
        self._local = threading.local()  # PyStemmer objects are not thread-safe
        self._cache = {}  # word → term, of the documents' words (and the highlighter's)
        self._query_cache = {}  # word → term, of visitors' words the documents lack

    @property
    def stemmer(self):
        stemmer = getattr(self._local, "stemmer", None)
        if stemmer is None and self.algorithm:
            stemmer = self._local.stemmer = Stemmer.Stemmer(self.algorithm, 20_000)
        return stemmer

    def words(self, text):
        """(start, end, folded lower-case word) for each word of the text, stop words included."""
        for match in WORD_RE.finditer(text or ""):
            yield match.start(), match.end(), match.group().casefold()

    def term(self, word):
        """The search term of one lower-case word, or None for a stop word."""
        if word not in self._cache:
            self._learn({word})
        return self._cache[word] or None

    def terms(self, text):
        """The terms of a text, in order (repeats kept, for term frequency).

        The hot path of indexing: words are looked up in a per-analyser cache, and only new
        words go through the stemmer (in one batch).
        """
        words = WORD_RE.findall(unicodedata.normalize("NFKC", text or "").casefold())
        cache = self._cache
        missing = {w for w in words if w not in cache}
        if missing:
            self._learn(missing)
        return [term for term in map(cache.get, words) if term]

    def _analysed(self, words):
        """{word: term} of these words ("" for a stop word or an overlong word)."""
        found = dict.fromkeys(words, "")
        kept = [w for w in found if w not in self.stop_words and len(w) <= MAX_TERM_LENGTH]
        stems = self.stemmer.stemWords(kept) if self.stemmer else kept
        for word, stem in zip(kept, stems, strict=True):
            found[word] = fold(stem) or fold(word)
        return found

    def _learn(self, words):
        """Add the terms of new words to the cache."""
        if len(self._cache) > WORDS_KEPT:
            self._cache.clear()
        self._cache.update(self._analysed(words))

    def query_terms(self, text):
        """The distinct terms of a query, in order; stop words alone still count as words.

        Visitors' words new to the documents' cache go to a small cache of their own: what
        visitors type cannot grow the cache that indexing relies on.
        """
        words = WORD_RE.findall(unicodedata.normalize("NFKC", text or "").casefold())
        cache, typed = self._cache, self._query_cache
        missing = {w for w in words if w not in cache and w not in typed}
        if missing:
            if len(typed) + len(missing) > QUERY_WORDS_KEPT:
                typed.clear()
            typed.update(self._analysed(missing))
        seen = []
        for word in words:
            term = cache.get(word)
            if term is None:
                term = typed.get(word, "")
            if term and term not in seen:
                seen.append(term)
        return seen

    def folded_words(self, text):
        """Accent-folded, lower-case words without stemming (for title autocomplete)."""
        text = unicodedata.normalize("NFKC", text or "")
        return [fold(word) for _s, _e, word in self.words(text)]


@cache
def analyzer(language):
    return Analyzer(language)
