"""Facet values are kept in IndexFilter alone: PostgreSQL counts a search's facets by joining
them, as the other engines read them."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0008_glossary"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="indexentry",
            name="facet_values",
        ),
    ]
