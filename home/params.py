"""Reading text from outside: what visitors type into query strings, and what imports and
translators' files bring.

PostgreSQL refuses NUL bytes, browsers and bots send lone surrogates and control characters,
and a filter value is only ever a short slug or code. Every public view reads its free text and
filter values through `printable` and `filter_values`, so bad input becomes an empty result,
not an error. Text that becomes a page's is refused instead where it holds a character no
page may hold (`forbidden_character`): imports and translation files say where.
"""

import re
import unicodedata

# NUL (PostgreSQL refuses it), the control characters (C0 but tab and line breaks, DEL, C1), the
# non-characters U+FFFE and U+FFFF (HTML and XML forbid them: a feed or a sitemap holding one
# cannot be read), and lone surrogates (half of a character, which UTF-8 cannot write).
FORBIDDEN_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def forbidden_character(text):
    """What is wrong with the first character of `text` no page may hold, or None."""
    found = FORBIDDEN_CHARACTERS.search(text)
    if found is None:
        return None
    code = ord(found.group())
    if code == 0:
        return "contains a null character"
    if 0xD800 <= code <= 0xDFFF:
        return f"contains \\u{code:04x}, half of a character (lone surrogate)"
    if code >= 0xFFFE:
        return f"contains U+{code:04X}, which is no character"
    return f"contains the control character U+{code:04X}"


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
