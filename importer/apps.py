from django.apps import AppConfig


class ImporterConfig(AppConfig):
    """The import file: its framework (sections, fields, conflicts, all or nothing), the
    sections of the shared base's content, the commands that load a file or the demo."""

    name = "importer"
    verbose_name = "Importer"
