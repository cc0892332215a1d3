"""The engine-specific structures of the search index: a GIN index over the tsvector on
PostgreSQL, an FTS5 table on SQLite. Other databases get neither (and need Elasticsearch)."""

from django.db import migrations


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS search_entry_vector_gin "
            "ON search_indexentry USING gin (search_vector)"
        )
    elif vendor == "sqlite":
        schema_editor.execute(
            "CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5("
            "title_terms, summary_terms, body_terms, "
            "tokenize = 'unicode61 remove_diacritics 0')"
        )


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS search_entry_vector_gin")
    elif vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS search_fts")


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
