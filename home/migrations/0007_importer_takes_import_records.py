"""The import bookkeeping (ImportRecord, ImportedVersion) belongs to the importer app now;
its migration 0001 takes the models over with their tables."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0006_home_page_hero_image"),
        ("importer", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="ImportedVersion"),
                migrations.DeleteModel(name="ImportRecord"),
            ],
            database_operations=[],
        ),
    ]
