"""Reading what visitors type into query strings: text that is safe to hand to any database.

PostgreSQL refuses NUL bytes, browsers and bots send lone surrogates and control characters,
and a filter value is only ever a short slug or code. Every public view reads its free text and
filter values through these two functions, so bad input becomes an empty result, not an error.
"""

import unicodedata


def printable(raw):
    """``raw`` without control characters or lone surrogates, NFKC-normalised, spaces collapsed."""
    if not isinstance(raw, str):
        return ""
    text = raw.encode("utf-8", "replace").decode("utf-8")
    text = "".join(c for c in text if unicodedata.category(c)[0] != "C" or c in " \t")
    return " ".join(unicodedata.normalize("NFKC", text).split())


def filter_values(params, name, *, max_values=20, max_length=100):
    """The distinct, non-empty, printable values of one filter parameter, in order."""
    values = []
    for value in params.getlist(name)[:max_values]:
        value = printable(value[:max_length])
        if value and value not in values:
            values.append(value)
    return values
