"""The importer's tables take its name, and the content types (and permissions) of its two
models follow them from the home app."""

from django.db import migrations

MODELS = ("importrecord", "importedversion")


def move_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="home", model__in=MODELS).exclude(
        model__in=ContentType.objects.filter(app_label="importer").values("model")
    ).update(app_label="importer")


def move_content_types_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="importer", model__in=MODELS).update(app_label="home")


class Migration(migrations.Migration):
    dependencies = [
        ("importer", "0001_initial"),
        ("home", "0007_importer_takes_import_records"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AlterModelTable(name="importrecord", table=None),
        migrations.AlterModelTable(name="importedversion", table=None),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
