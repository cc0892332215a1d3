"""Snippets of the passage that matched, with the matching words marked, inflections included.

Works on the stored text with the same analyser as the index, so "Beschaffungen" marks
"Beschaffung" and "eleves" marks "élèves", whatever engine found the page.
"""

from django.utils.html import escape
from django.utils.safestring import mark_safe

from search.analysis import analyzer

WINDOW = 32  # words in a snippet


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


def snippet(text, language, terms, window=WINDOW):
    """The best window of `window` words around the matches, escaped, matches marked."""
    if not text:
        return ""
    terms = set(terms)
    a = analyzer(language)
    words = list(a.words(text))
    if not words:
        return ""
    hits = [i for i, (_s, _e, word) in enumerate(words) if a.term(word) in terms]
    if hits:
        # The window holding the most matches (and the most distinct terms), earliest first.
        best, best_score = 0, (-1, -1)
        for first in hits:
            start = max(0, first - 3)
            inside = [i for i in hits if start <= i < start + window]
            distinct = len({a.term(words[i][2]) for i in inside})
            score = (distinct, len(inside))
            if score > best_score:
                best, best_score = start, score
        start_word = best
    else:
        start_word = 0
    end_word = min(len(words), start_word + window)
    begin = words[start_word][0] if start_word else 0
    finish = words[end_word - 1][1] if end_word < len(words) else len(text)
    excerpt = text[begin:finish]
    hit_set = set(hits)
    spans = [
        (s - begin, e - begin)
        for i, (s, e, _word) in enumerate(words[start_word:end_word], start=start_word)
        if i in hit_set
    ]
    prefix = "… " if start_word > 0 else ""
    suffix = " …" if end_word < len(words) else ""
    return mark_safe(prefix + _marked(excerpt, spans) + suffix)  # noqa: S308
