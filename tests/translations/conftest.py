import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from wagtail.models import Locale, Site
from wagtail_localize.models import StringSegment, StringTranslation, Translation
from wagtail_localize.operations import translate_object

from casestudies.models import CaseStudyPage
from home.languages.trees import synchronize_locale_trees
from tests.factories import CaseStudyIndexPageFactory, CaseStudyPageFactory, TopicFactory, body
from tests.utils import module_data

User = get_user_model()


def make_user(username, *groups, superuser=False):
    user = User.objects.create_user(
        username, f"{username}@example.org", "pw", is_superuser=superuser
    )
    user.groups.set([Group.objects.get(name=name) for name in groups])
    return user


@pytest.fixture
def locales(db):
    return {code: Locale.objects.get(language_code=code) for code in ("en", "de", "fr")}


@pytest.fixture
def translator(db):
    return make_user("greta", "Translators (de)")


@pytest.fixture
def editor(db):
    return make_user("elena", "Editors")


@pytest.fixture
def study(home):
    return make_study(home)


@module_data
def study_pk():
    """`study`, made once for a module that can share it: its primary key. A module opts in
    with a `study` fixture of its own reading the page back (`shared_study`)."""
    return make_study(Site.objects.get(is_default_site=True).root_page.specific).pk


def shared_study(study_pk):
    return CaseStudyPage.objects.get(pk=study_pk)


def make_study(home):
    """A published case study in the 24 language trees."""
    index = CaseStudyIndexPageFactory(parent=home)
    page = CaseStudyPageFactory(
        parent=index,
        slug="oslo",
        title="Oslo buys efficient street lights",
        summary="LED lighting for the whole city.",
        body=body(
            "## Background", "The city replaced its street lights.", "Energy use fell by half."
        ),
    )
    page.save_revision().publish()
    synchronize_locale_trees()
    return page


@pytest.fixture
def topic(db):
    topic = TopicFactory(name="Energy", slug="energy")
    topic.save_revision().publish()
    return topic


def translate(page, locale, texts=None, publish=True, capture=None):
    """Translate `page` into `locale` with wagtail-localize, every string given a text.

    `texts` maps the English text to its translation; other strings get "[xx] <English>".
    """
    translate_object(page, [locale])
    translation = Translation.objects.get(
        source__object_id=page.translation_key, target_locale=locale
    )
    fill(translation, texts)
    if publish:
        with capture(execute=True):
            translation.save_target(publish=True)
    return translation


def fill(translation, texts=None, only_missing=False):
    texts = texts or {}
    locale = translation.target_locale
    for segment in StringSegment.objects.filter(source=translation.source).select_related(
        "string", "context"
    ):
        exists = StringTranslation.objects.filter(
            translation_of=segment.string, locale=locale, context=segment.context
        ).exists()
        if only_missing and exists:
            continue
        text = segment.string.data
        StringTranslation.objects.update_or_create(
            translation_of=segment.string,
            locale=locale,
            context=segment.context,
            defaults={
                "data": texts.get(text, f"[{locale.language_code}] {text}"),
                "translation_type": "manual",
            },
        )


def edit_text(page, old, new):
    """Change a sentence of a page's body the way an editor would: same blocks, same ids."""
    import json

    raw = json.loads(json.dumps(list(page.body.raw_data)))
    for block in raw:
        if block["type"] == "paragraph" and old in block["value"]:
            block["value"] = block["value"].replace(old, new)
    page.body = json.dumps(raw)
    page.save_revision().publish()
