"""IndexEntry.facet_values: the entry's facet values on its own row, filled here from its
IndexFilter rows, so that an index built before needs no rebuild."""

from django.db import migrations, models

FACETS = ("type", "topic", "country", "year", "tag")  # search.engines.base.FACETS, as of now


def fill_facet_values(apps, schema_editor):
    IndexEntry = apps.get_model("search", "IndexEntry")
    IndexFilter = apps.get_model("search", "IndexFilter")
    values = {}
    rows = IndexFilter.objects.filter(name__in=FACETS).order_by("entry_id", "id")
    for entry_id, name, value in rows.values_list("entry_id", "name", "value").iterator():
        values.setdefault(entry_id, {}).setdefault(name, []).append(value)
    entries = []
    for entry_id, by_name in values.items():
        lines = [f"{name}={value}" for name in FACETS for value in by_name.get(name, ())]
        entries.append(IndexEntry(pk=entry_id, facet_values="\n".join(lines)))
    IndexEntry.objects.bulk_update(entries, ["facet_values"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0004_locale_language_statistics"),
    ]

    operations = [
        migrations.AddField(
            model_name="indexentry",
            name="facet_values",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(fill_facet_values, migrations.RunPython.noop, elidable=True),
    ]
