"""PostgreSQL: tell the planner that an entry's language tree and text language go together.

Most entries of the German tree are in German. Without statistics over both columns the
planner multiplies their selectivities (1/24 × 1/24), expects 90 rows where there are 2,000,
and reads every entry of the language, tsvector and all, instead of using the GIN index
(measured at 50,000 pages: 10.7 ms against 4.7 ms for a two-word query).
"""

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE STATISTICS IF NOT EXISTS search_entry_locale_language (dependencies, mcv) "
            "ON locale, language FROM search_indexentry"
        )
        schema_editor.execute("ANALYZE search_indexentry")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP STATISTICS IF EXISTS search_entry_locale_language")


class Migration(migrations.Migration):
    dependencies = [("search", "0003_filter_locale")]

    operations = [migrations.RunPython(create, drop)]
