"""SQLite: an FTS5 table of the analysed terms, ranked by BM25 (the embedded default)."""

from django.db import connection
from django.db.models import FloatField, Q
from django.db.models.expressions import RawSQL

from .base import DatabaseEngine

TABLE = "search_fts"
# bm25() weights of the columns: title, summary, body.
BM25 = "bm25(search_fts, 10.0, 4.0, 1.0)"


def match_expression(terms):
    # Each term is quoted, so FTS5's operators (AND OR NOT NEAR * ^ : ( ) -) are just text.
    return " AND ".join('"' + term.replace('"', '""') + '"' for term in terms)


class SQLiteEngine(DatabaseEngine):
    name = "sqlite"

    def index(self, entries):
        rows = [(e.pk, e.title_terms, e.summary_terms, e.body_terms) for e in entries]
        if not rows:
            return
        with connection.cursor() as cursor:
            cursor.executemany(f"DELETE FROM {TABLE} WHERE rowid = %s", [(r[0],) for r in rows])
            cursor.executemany(
                f"INSERT INTO {TABLE} (rowid, title_terms, summary_terms, body_terms) "
                "VALUES (%s, %s, %s, %s)",
                rows,
            )

    def delete(self, entry_ids):
        with connection.cursor() as cursor:
            cursor.executemany(f"DELETE FROM {TABLE} WHERE rowid = %s", [(i,) for i in entry_ids])

    def clear(self):
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE}")

    def matching(self, request):
        entries = self.scope(request)
        conditions = Q()
        scores = []
        params = []
        for language, terms in request.terms.items():
            if not terms:
                continue
            expression = match_expression(terms)
            matched = RawSQL(f"SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH %s", [expression])
            conditions |= Q(language=language, pk__in=matched)
            scores.append("WHEN search_indexentry.language = %s THEN ({rank})")
            params.append((language, expression))
        if not scores:
            return entries.none().annotate(score=RawSQL("0", [], output_field=FloatField()))
        # BM25 is lower for better matches; negated so that higher is better everywhere.
        rank = (
            f"SELECT -{BM25} FROM {TABLE} WHERE {TABLE} MATCH %s "
            f"AND {TABLE}.rowid = search_indexentry.id"
        )
        sql = "CASE " + " ".join(s.format(rank=rank) for s in scores) + " ELSE 0 END"
        flat = [value for pair in params for value in pair]
        return entries.filter(conditions).annotate(
            score=RawSQL(sql, flat, output_field=FloatField())
        )
