"""The importer's bookkeeping, until now the home app's: the tables and their rows stay as
they are; only Django's record of which app owns the models moves (home 0007 lets go)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("home", "0006_home_page_hero_image"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ImportRecord",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("kind", models.CharField(max_length=50, verbose_name="section")),
                        ("key", models.CharField(max_length=200, verbose_name="key")),
                        ("translation_key", models.UUIDField(verbose_name="translation key")),
                        (
                            "imported_at",
                            models.DateTimeField(auto_now=True, verbose_name="last imported"),
                        ),
                    ],
                    options={
                        "verbose_name": "imported record",
                        "verbose_name_plural": "imported records",
                        "db_table": "home_importrecord",
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("kind", "key"), name="unique_import_key"
                            )
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="ImportedVersion",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "locale",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="wagtailcore.locale",
                            ),
                        ),
                        (
                            "record",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="versions",
                                to="importer.importrecord",
                            ),
                        ),
                        (
                            "revision",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to="wagtailcore.revision",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "imported version",
                        "verbose_name_plural": "imported versions",
                        "db_table": "home_importedversion",
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("record", "locale"), name="unique_imported_version"
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
