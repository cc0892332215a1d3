"""PostgreSQL: the figures the case study index counts and sums, readable from an index.

The listing's summary (casestudies/listing.py) reads, for every live case study of a
language, its country, year and the three impact figures. With them in an index that covers
them, PostgreSQL can answer that part of the statement from the narrow index alone instead
of reading the table's wide rows, which carry every other field of the case study too. Other
databases have no covering indexes; they read the table as before.
"""

from django.db import migrations

COLUMNS = "country, year, co2e_tonnes_per_year, energy_mwh_per_year, cost_saving_eur"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS casestudy_listing_cover "
            f"ON casestudies_casestudypage (page_ptr_id) INCLUDE ({COLUMNS})"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS casestudy_listing_cover")


class Migration(migrations.Migration):
    dependencies = [("casestudies", "0002_initial")]

    operations = [migrations.RunPython(create, drop)]
