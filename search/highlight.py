"""Snippets of the passage that matched, with the matching words marked, inflections included.

Works on the stored text with the same analyser as the index, so "Beschaffungen" marks
"Beschaffung" and "eleves" marks "élèves", whatever engine found the page.
"""

import re
from functools import cache, lru_cache

from django.utils.html import escape
from django.utils.safestring import mark_safe

from search.analysis import WORD_RE, analyzer, fold

WINDOW = 32  # words in a snippet
SCAN = 8000  # characters of a text searched for the best passage


def _marked(text, spans):
    out, last = [], 0
    for start, end in spans:
        out.append(escape(text[last:start]))
        out.append(f"<mark>{escape(text[start:end])}</mark>")
        last = end
    out.append(escape(text[last:]))
    return "".join(out)


def highlight(text, language, terms):
    """The whole text, escaped, with matching words in <mark>."""
    terms = set(terms)
    a = analyzer(language)
    spans = [(s, e) for s, e, word in a.words(text) if a.term(word) in terms]
    return mark_safe(_marked(text, spans))  # noqa: S308 (escaped above)


@cache
def _letters_folding_to():
    """{letter: every letter that folds to it} for Latin, Greek and Cyrillic letters."""
    found = {}
    for code in [
        *range(0x41, 0x5B),
        *range(0x61, 0x7B),
        *range(0xC0, 0x250),
        *range(0x370, 0x400),
        *range(0x400, 0x530),
    ]:
        letter = chr(code)
        folded = fold(letter).casefold()
        if len(folded) == 1 and letter.isalpha():
            found.setdefault(folded, set()).update({letter, letter.casefold()})
    return found


@lru_cache(maxsize=512)  # one per distinct query: bounded, as visitors choose them
def _candidates_pattern(terms):
    """A pattern for words that may carry one of `terms`: those starting like a term (its
    first three letters, accents and case aside). Stemming changes endings, not beginnings."""
    letters = _letters_folding_to()
    starts = set()
    for term in terms:
        head = term[:3]
        starts.add(
            "".join(
                "[" + "".join(sorted(map(re.escape, letters.get(c, {c}) | {c}))) + "]" for c in head
            )
        )
    return re.compile(r"(?<![^\W_])(?:" + "|".join(sorted(starts)) + r")[^\W_]*")


def _first_hit(text, term, terms, before=3):
    """Offset of the word `before` words ahead of the first match in `text`, or None."""
    for candidate in _candidates_pattern(frozenset(terms)).finditer(text):
        if term(candidate.group().casefold()) in terms:
            offset = candidate.start()
            low = max(0, offset - 300)
            previous = [m.start() for m in WORD_RE.finditer(text, low, offset)]
            if low == 0 and len(previous) <= before:
                return 0  # near the start, the snippet starts with the text
            return previous[-before] if len(previous) >= before else low
    return None


def snippet(text, language, terms, window=WINDOW):
    """The best window of `window` words around the matches, escaped, matches marked.

    Finds the first match, then looks only at a short stretch from there: the cost does not
    grow with the length of the text.
    """
    if not text:
        return ""
    text = text[:SCAN]
    terms = set(terms)
    term = analyzer(language).term
    begin_at = (_first_hit(text, term, terms) or 0) if terms else 0
    stretch = text[begin_at : begin_at + window * 30]
    words = [m.span() for m in WORD_RE.finditer(stretch)]
    if not words:
        return ""
    # Only words that start like a term can carry one: the others are not analysed.
    starts = (
        {m.start() for m in _candidates_pattern(frozenset(terms)).finditer(stretch)}
        if terms
        else set()
    )
    hits = [
        i
        for i, (s, e) in enumerate(words)
        if s in starts and term(stretch[s:e].casefold()) in terms
    ]
    start_word = 0
    if hits:
        # The window holding the most distinct terms, then the most matches, earliest first.
        best_score = (-1, -1)
        for first in hits:
            start = max(0, first - 3)
            inside = [i for i in hits if start <= i < start + window]
            found = {term(stretch[words[i][0] : words[i][1]].casefold()) for i in inside}
            score = (len(found), len(inside))
            if score > best_score:
                start_word, best_score = start, score
    end_word = min(len(words), start_word + window)
    begin = words[start_word][0] if (start_word or begin_at) else 0
    at_end = end_word == len(words) and begin_at + len(stretch) >= len(text)
    finish = len(stretch) if at_end else words[end_word - 1][1]
    hit_set = set(hits)
    spans = [
        (s - begin, e - begin)
        for i, (s, e) in enumerate(words[start_word:end_word], start=start_word)
        if i in hit_set
    ]
    prefix = "… " if (start_word or begin_at) else ""
    suffix = "" if at_end else " …"
    return mark_safe(prefix + _marked(stretch[begin:finish], spans) + suffix)  # noqa: S308
