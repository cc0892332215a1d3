"""Create the 24 EU locales and the English home page as the default site's root.

The other languages' home pages are created as aliases of this one by `manage.py setup_site`
(wagtail-localize's tree synchronisation), which needs the real models.
"""

import uuid

from django.conf import settings
from django.db import migrations


def create_locales_and_home(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Locale = apps.get_model("wagtailcore.Locale")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    HomePage = apps.get_model("home.HomePage")

    for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES:
        Locale.objects.get_or_create(language_code=code)
    english = Locale.objects.get(language_code=settings.LANGUAGE_CODE)

    if HomePage.objects.exists():
        return
    # Wagtail's own initial "Welcome" page makes way for ours.
    welcome_type = ContentType.objects.get(app_label="wagtailcore", model="page")
    Page.objects.filter(content_type=welcome_type, depth=2).delete()
    root = Page.objects.get(depth=1)

    home_type, _ = ContentType.objects.get_or_create(app_label="home", model="homepage")
    siblings = Page.objects.filter(depth=2).count()
    home = HomePage.objects.create(
        title="Procura+ Network",
        draft_title="Procura+ Network",
        slug="home",
        content_type=home_type,
        path=f"{root.path}{siblings + 1:04d}",
        depth=2,
        numchild=0,
        url_path="/home/",
        locale=english,
        translation_key=uuid.uuid4(),
        live=True,
        hero_heading="Sustainable and innovation procurement, shared across Europe",
        intro=(
            "The Procura+ Network connects European public authorities that buy "
            "sustainably and innovatively."
        ),
        featured="[]",
        body="[]",
    )
    root.numchild = siblings + 1
    root.save(update_fields=["numchild"])

    Site.objects.filter(is_default_site=True).delete()
    Site.objects.create(
        hostname="localhost",
        port=80,
        root_page_id=home.pk,
        is_default_site=True,
        site_name="Procura+ Network",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0001_initial"),
        ("wagtailcore", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_locales_and_home, migrations.RunPython.noop)]
