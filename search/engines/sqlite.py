"""SQLite: an FTS5 table (search_fts) of the analysed terms, ranked by BM25 (the embedded
default). Every value reaches SQL as a parameter; the SQL text itself is constant."""

from django.db import connection
from django.db.models import FloatField, Q
from django.db.models.expressions import RawSQL

from .base import DatabaseEngine

MATCHING_IDS = "SELECT rowid FROM search_fts WHERE search_fts MATCH %s"
# BM25 weights of the columns title, summary, body; lower is better, hence negated.
RANK = (
    "SELECT -bm25(search_fts, 10.0, 4.0, 1.0) FROM search_fts "
    "WHERE search_fts MATCH %s AND search_fts.rowid = search_indexentry.id"
)
DELETE_ROW = "DELETE FROM search_fts WHERE rowid = %s"
INSERT_ROW = (
    "INSERT INTO search_fts (rowid, title_terms, summary_terms, body_terms) VALUES (%s, %s, %s, %s)"
)


def quoted(term):
    # Each term is quoted, so FTS5's operators (AND OR NOT NEAR * ^ : ( ) -) are just text.
    return '"' + term.replace('"', '""') + '"'


def match_expression(terms, groups=()):
    """All the terms, and one alternative of each group: "a" AND ("b" OR ("c" AND "d"))."""
    parts = [quoted(term) for term in terms]
    for group in groups:
        parts.append(
            "(" + " OR ".join("(" + " AND ".join(map(quoted, alt)) + ")" for alt in group) + ")"
        )
    return " AND ".join(parts)


class SQLiteEngine(DatabaseEngine):
    name = "sqlite"

    def index(self, entries):
        rows = [(e.pk, e.title_terms, e.summary_terms, e.body_terms) for e in entries]
        if not rows:
            return
        with connection.cursor() as cursor:
            cursor.executemany(DELETE_ROW, [(r[0],) for r in rows])
            cursor.executemany(INSERT_ROW, rows)

    def delete(self, entry_ids):
        with connection.cursor() as cursor:
            cursor.executemany(DELETE_ROW, [(i,) for i in entry_ids])

    def clear(self):
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_fts")

    def matching(self, request):
        entries = self.scope(request)
        conditions = Q()
        cases, params = [], []
        for language, terms, groups in request.per_language():
            expression = match_expression(terms, groups)
            matched = RawSQL(MATCHING_IDS, [expression])  # noqa: S611 (constant SQL)
            conditions |= Q(language=language, pk__in=matched)
            cases.append("WHEN search_indexentry.language = %s THEN (" + RANK + ")")
            params.extend([language, expression])
        if not cases:
            return entries.none().annotate(score=RawSQL("0", [], output_field=FloatField()))
        score = "CASE " + " ".join(cases) + " ELSE 0 END"
        return entries.filter(conditions).annotate(
            score=RawSQL(score, params, output_field=FloatField())  # noqa: S611 (constant SQL)
        )
