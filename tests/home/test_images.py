"""Hero images of the home page, case studies, news and events: a text alternative required to
publish unless the image is decorative, responsive AVIF/WebP/JPEG pictures cropped around the
focal point, cards that show them in a fixed number of queries, and the demo illustrations."""

import copy
import io
import json
import re
import uuid
from pathlib import Path

import pytest
import wagtail_factories
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.images import ImageFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image as PILImage
from PIL import features
from wagtail.images import get_image_model
from wagtail.models import Locale

from casestudies.models import CaseStudyPage
from home.templatetags.picture_tags import crop_sizes
from importer.importing import ImportFileError, import_content
from importer.management.commands.build_demo_illustrations import DRAWINGS, FOCAL_POINTS, render
from news.models import NewsPage
from tests.factories import (
    CaseStudyIndexPageFactory,
    CaseStudyPageFactory,
    EventIndexPageFactory,
    EventPageFactory,
    NewsIndexPageFactory,
    NewsPageFactory,
    StandardPageFactory,
)
from tests.utils import edit_form_data

pytestmark = [pytest.mark.django_db, pytest.mark.long_running]
ROOT = Path(settings.BASE_DIR)
DEMO = ROOT / "demo"
LOGIN_BACKEND = "django.contrib.auth.backends.ModelBackend"
ALT_REQUIRED = "Describe the image for people who cannot see it, or mark it as decorative."
Image = get_image_model()


def image(width=1600, height=900, **kwargs):
    return wagtail_factories.ImageFactory(
        file__width=width, file__height=height, file__color="green", **kwargs
    )


@pytest.fixture
def editor(client):
    user = get_user_model().objects.create_user("elena", "elena@example.org", "pw")
    user.groups.set([Group.objects.get(name="Editors")])
    client.force_login(user, backend=LOGIN_BACKEND)
    return user


def make(home, kind):
    if kind == "home":
        return home
    if kind == "case study":
        return CaseStudyPageFactory(parent=CaseStudyIndexPageFactory(parent=home))
    return NewsPageFactory(parent=NewsIndexPageFactory(parent=home))


def post_edit(client, page, publish=True, **fields):
    data = edit_form_data(client, page)
    data.update(fields)
    if publish:
        data["action-publish"] = "action-publish"
    else:
        del data["action-publish"]
    return client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)


# The text alternative -----------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["home", "case study", "news"])
def test_publishing_an_image_asks_for_its_text_alternative(client, editor, home, kind):
    page = make(home, kind)
    picture = image()
    refused = post_edit(client, page, hero_image=str(picture.pk), hero_image_alt="")
    assert refused.status_code == 200
    assert refused.context["form"].errors["hero_image_alt"] == [ALT_REQUIRED]
    assert ALT_REQUIRED in refused.content.decode()
    assert type(page).objects.get(pk=page.pk).hero_image is None

    published = post_edit(
        client, page, hero_image=str(picture.pk), hero_image_alt="Two buses at a depot"
    )
    assert published.status_code == 302
    page = type(page).objects.get(pk=page.pk)
    assert page.hero_image == picture and page.hero_image_alt == "Two buses at a depot"


def test_a_decorative_image_needs_none_and_a_draft_may_wait(client, editor, home):
    page = make(home, "news")
    picture = image()
    draft = post_edit(client, page, publish=False, hero_image=str(picture.pk))
    assert draft.status_code == 302  # saved: the alternative is asked for on publishing

    published = post_edit(client, page, hero_image=str(picture.pk), hero_image_decorative="on")
    assert published.status_code == 302
    page = NewsPage.objects.get(pk=page.pk)
    assert page.hero_image_decorative and page.hero_image_alt_text == ""
    body = client.get(page.url).content.decode()
    assert re.search(r'<img alt="" [^>]*fetchpriority="high"', body)


def test_no_image_needs_no_text_alternative(client, editor, home):
    page = make(home, "case study")
    assert post_edit(client, page, hero_image_alt="").status_code == 302


# Pictures -----------------------------------------------------------------------------------


def test_pillow_writes_avif():
    assert features.check("avif"), "Pillow without AVIF: the <picture> tags need it"


def picture_of(body, alt):
    """The <picture> element whose <img> has this alt."""
    for match in re.finditer(r"<picture>.*?</picture>", body, re.S):
        if f'alt="{alt}"' in match.group(0):
            return match.group(0)
    raise AssertionError(f"no picture with alt {alt!r}")


def test_hero_picture_offers_avif_webp_and_jpeg_at_several_widths(client, home):
    study = make(home, "case study")
    study.hero_image = image(2000, 1125)
    study.hero_image_alt = "Electric buses charging"
    study.save_revision().publish()
    body = client.get(study.url).content.decode()
    picture = picture_of(body, "Electric buses charging")
    sources = re.findall(r'<source sizes="([^"]+)" srcset="([^"]+)" type="([^"]+)">', picture)
    assert [kind for _sizes, _srcset, kind in sources] == ["image/avif", "image/webp"]
    for sizes, srcset, _kind in sources:
        assert sizes == "(min-width: 72rem) 68rem, 100vw"
        assert [c.split()[1] for c in srcset.split(", ")] == ["640w", "960w", "1280w", "1920w"]
    img = re.search(r"<img [^>]+>", picture).group(0)
    # A wide crop (21:9), so the picture does not push the case study's text off a desktop's
    # screen; the fallback is the smallest width.
    assert 'width="640"' in img and 'height="274"' in img
    assert ".jpg" in img and 'fetchpriority="high"' in img and "loading" not in img
    assert 'sizes="(min-width: 72rem) 68rem, 100vw"' in img


def test_a_small_image_is_not_offered_at_widths_it_does_not_have(client, home):
    small = image(700, 500)
    assert crop_sizes(small, "640,960,1280,1920", "16x9") == [(640, 360)]
    assert crop_sizes(image(100, 100), "400,800", "16x9") == [(400, 225)]
    study = make(home, "case study")
    study.hero_image = small
    study.hero_image_alt = "A small picture"
    study.save_revision().publish()
    picture = picture_of(client.get(study.url).content.decode(), "A small picture")
    assert " 640w" not in picture and "sizes=" not in picture  # one candidate each: no widths


def test_crops_follow_the_focal_point(home):
    """A 16:9 image, red on its left third, blue elsewhere: its 1:1 crop around a focal point
    on the left is red, around one on the right blue."""
    canvas = PILImage.new("RGB", (1600, 900), "blue")
    canvas.paste("red", (0, 0, 540, 900))
    buffer = io.BytesIO()
    canvas.save(buffer, "PNG")
    picture = Image(title="Halves", file=ImageFile(buffer, name="halves.png"))
    picture.save()

    def centre_colour(x):
        picture.focal_point_x, picture.focal_point_y = x, 450
        picture.focal_point_width, picture.focal_point_height = 100, 100
        picture.save()
        rendition = picture.get_rendition("fill-300x300|format-png")
        with rendition.file.open() as f, PILImage.open(f) as cropped:
            return cropped.convert("RGB").getpixel((150, 150))

    assert centre_colour(200)[0] > 200  # red
    assert centre_colour(1400)[2] > 200  # blue


@pytest.fixture
def cards(home):
    """A home page listing case studies, news and events, each with an image as large as
    the widest card picture (800 pixels): every width is offered, and no larger source
    image slows the renditions down."""
    studies = CaseStudyIndexPageFactory(parent=home)
    news = NewsIndexPageFactory(parent=home)
    events = EventIndexPageFactory(parent=home)

    def card_image():
        return image(800, 450)

    def add(start, count):
        for n in range(start, start + count):
            CaseStudyPageFactory(
                parent=studies,
                slug=f"study-{n}",
                hero_image=card_image(),
                hero_image_alt=f"Study {n}",
            )
            NewsPageFactory(
                parent=news, slug=f"news-{n}", hero_image=card_image(), hero_image_alt=f"News {n}"
            )
            EventPageFactory(
                parent=events,
                slug=f"event-{n}",
                hero_image=card_image(),
                hero_image_alt=f"Event {n}",
            )

    return add


def count_queries(client, url):
    client.get(url)  # renditions made and per-process caches filled, as on a running server
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response.content.decode()


@pytest.mark.parametrize("url", ["/en/", "/en/news/", "/en/case-studies/", "/en/events/"])
def test_card_images_take_queries_that_do_not_grow_with_the_cards(client, home, cards, url):
    cards(0, 1)
    small, body = count_queries(client, url)
    assert body.count('loading="lazy"') >= 1
    cards(1, 11)
    large, body = count_queries(client, url)
    assert small == large
    assert body.count("<picture>") >= 3
    assert 'type="image/avif"' in body


@pytest.mark.parametrize(
    ("url", "css_class"),
    [("/en/", "card__image"), ("/en/news/", "news-item__image"), ("/en/events/", "event__image")],
)
def test_listed_pages_images_are_lazy_and_decorative(client, home, cards, url, css_class):
    cards(0, 2)
    body = client.get(url).content.decode()
    imgs = re.findall(rf'<img [^>]*class="{css_class}"[^>]*>', body)
    assert len(imgs) >= 2
    for img in imgs:
        assert 'alt=""' in img and 'loading="lazy"' in img and "width=" in img


# The demo illustrations and their import -----------------------------------------------------


def test_the_committed_illustrations_are_what_the_generator_draws():
    assert set(FOCAL_POINTS) == set(DRAWINGS)
    sizes = {name: (DEMO / "images" / f"{name}.png").stat().st_size for name in DRAWINGS}
    assert sum(sizes.values()) < 1_500_000
    for name in ("energy", "network"):  # two of them: drawing takes a moment
        drawn = io.BytesIO()
        render(name).save(drawn, "PNG", optimize=True)
        assert drawn.getvalue() == (DEMO / "images" / f"{name}.png").read_bytes(), name
        with PILImage.open(DEMO / "images" / f"{name}.png") as committed:
            assert committed.size == (1280, 720)
    data = json.loads((DEMO / "content.json").read_text("utf-8"))
    for record in data["images"]:
        point = record["focal_point"]
        expected = FOCAL_POINTS[record["key"]]
        assert (point["x"], point["y"], point["width"], point["height"]) == expected
    assert "made by this project" in (DEMO / "images" / "README.md").read_text()


def german_only(record):
    record = copy.deepcopy(record)
    record["translations"] = {k: v for k, v in record.get("translations", {}).items() if k == "de"}
    return record


def demo_subset():
    """The demo's images and three of its case studies, with what they name (topics,
    approaches, tags), all in English and German only: translating into every language is
    the importer's tests' subject, not the images'."""
    data = json.loads((DEMO / "content.json").read_text("utf-8"))
    studies = []
    for record in data["case_studies"][:3]:
        record = german_only(record)
        record["related"] = []
        studies.append(record)

    def named(kind, field="key"):
        wanted = {name for record in studies for name in record[kind]}
        return [german_only(record) for record in data[kind] if record[field] in wanted]

    home = german_only(data["home"][0])
    home["featured"] = []
    return {
        "images": data["images"],
        "topics": named("topics"),
        "approaches": named("approaches"),
        "tags": named("tags", field="name"),
        "case_study_index": [german_only(record) for record in data["case_study_index"]],
        "case_studies": studies,
        "home": [home],
    }


def test_the_demo_images_are_imported_once_with_focal_points(client, home):
    data = demo_subset()
    import_content(data, base_dir=DEMO)
    assert Image.objects.count() == len(data["images"])
    energy = Image.objects.get(title="Demo illustration: Energy")
    x, y, width, height = FOCAL_POINTS["energy"]
    assert (energy.focal_point_x, energy.focal_point_y) == (x + width // 2, y + height // 2)
    assert (energy.focal_point_width, energy.focal_point_height) == (width, height)

    import_content(data, base_dir=DEMO)  # a re-run adds no image
    assert Image.objects.count() == len(data["images"])

    first = data["case_studies"][0]
    study = CaseStudyPage.objects.get(slug=first["key"], locale__language_code="en")
    assert study.hero_image.title.endswith("Food and catering")
    assert study.hero_image_alt == first["hero_image_alt"]
    german = study.get_translation(Locale.objects.get(language_code="de"))
    assert german.hero_image == study.hero_image
    assert german.hero_image_alt == first["translations"]["de"]["hero_image_alt"]

    english = client.get(study.url).content.decode()
    assert f'alt="{first["hero_image_alt"]}"' in english
    body = client.get(german.url).content.decode()
    assert f'alt="{first["translations"]["de"]["hero_image_alt"]}"' in body
    front = client.get("/en/").content.decode()
    assert 'alt="Illustration: coloured points joined by lines into a network"' in front
    assert front.count("<img ") >= 4  # the hero and the case study cards


def test_the_command_reads_image_files_beside_the_import_file(tmp_path, home):
    (tmp_path / "pictures").mkdir()
    (tmp_path / "pictures" / "bus.png").write_bytes((DEMO / "images" / "energy.png").read_bytes())
    path = tmp_path / "content.json"
    path.write_text(
        json.dumps({"images": [{"key": "bus", "file": "pictures/bus.png", "title": "Bus"}]}),
        encoding="utf-8",
    )
    call_command("import_content", str(path), stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Image.objects.get().title == "Bus"


def test_a_file_that_is_not_an_image_is_refused_by_name(tmp_path, home):
    (tmp_path / "fake.jpg").write_text("not a picture", encoding="utf-8")
    data = {"images": [{"key": "fake", "file": "fake.jpg", "title": "Fake"}]}
    with pytest.raises(ImportFileError, match='"fake.jpg": not an image that can be read'):
        import_content(data, base_dir=tmp_path)
    assert not Image.objects.exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"hero_image_alt": ""}, 'is required with "hero_image"'),
        ({"hero_image_alt": " \t"}, 'is required with "hero_image"'),
        ({"hero_image": "nowhere"}, 'refers to image "nowhere"'),
    ],
)
def test_the_import_checks_a_page_image_as_the_admin_does(home, change, message):
    data = demo_subset()
    data["case_studies"][0].update(change)
    data["case_studies"][0]["translations"] = {}
    with pytest.raises(ImportFileError, match=message):
        import_content(data, base_dir=DEMO)
    assert not Image.objects.exists()


def test_a_decorative_image_is_imported_without_a_text_alternative(home):
    data = demo_subset()
    record = data["case_studies"][0]
    record.update(hero_image_alt="", hero_image_decorative=True, translations={})
    record.update(topics=[], approaches=[], tags=[])
    data.update(
        images=[image for image in data["images"] if image["key"] == record["hero_image"]],
        topics=[],
        approaches=[],
        tags=[],
        case_studies=[record],
        home=[],
    )
    import_content(data, base_dir=DEMO)
    study = CaseStudyPage.objects.get(slug=record["key"], locale__language_code="en")
    assert study.hero_image_decorative and study.hero_image is not None


def stored_files(stem):
    """The files of the media folder's original images whose names begin with `stem`."""
    folder = Path(settings.MEDIA_ROOT) / "original_images"
    return sorted(path.name for path in folder.glob(f"{stem}*")) if folder.is_dir() else []


def an_image_record(tmp_path, stem):
    (tmp_path / f"{stem}.png").write_bytes((DEMO / "images" / "energy.png").read_bytes())
    # The same picture as a demo image would be that image: a pixel changed makes it new.
    picture = PILImage.open(tmp_path / f"{stem}.png").convert("RGB")
    picture.putpixel((0, 0), (1, 2, 3))
    picture.save(tmp_path / f"{stem}.png")
    return {"key": stem, "file": f"{stem}.png", "title": stem}


def test_a_dry_run_leaves_no_image_file_behind(tmp_path, home):
    stem = f"dry-{uuid.uuid4().hex[:12]}"
    path = tmp_path / "content.json"
    path.write_text(json.dumps({"images": [an_image_record(tmp_path, stem)]}), encoding="utf-8")
    out = io.StringIO()
    call_command("import_content", str(path), "--dry-run", stdout=out)
    assert "created" in out.getvalue() and not Image.objects.exists()
    assert stored_files(stem) == []


def test_an_import_that_fails_after_its_images_leaves_no_image_file_behind(tmp_path, home):
    stem = f"failed-{uuid.uuid4().hex[:12]}"
    StandardPageFactory(parent=home, slug="taken", title="Made in the admin")
    data = {
        "images": [an_image_record(tmp_path, stem)],
        "pages": [{"key": "taken", "title": "From the file", "summary": "S"}],
    }
    # Found when the page is written, after the image: the slug is taken under the home page.
    with pytest.raises(ImportFileError, match="slug"):
        import_content(data, base_dir=tmp_path)
    assert not Image.objects.exists()
    assert stored_files(stem) == []


def test_an_image_the_admin_would_refuse_is_refused_by_name(tmp_path, home, settings):
    (tmp_path / "drawing.png").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"></svg>', encoding="utf-8"
    )
    PILImage.new("1", (14_000, 14_000)).save(tmp_path / "bomb.png")  # 196 million pixels
    PILImage.new("RGB", (20, 20)).save(tmp_path / "small.png")
    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10
    for file, message in (
        ("drawing.png", '"drawing.png": a svg file, not one of'),
        ("bomb.png", '"bomb.png": not an image that can be read'),
        ("small.png", '"small.png": larger than 10 bytes'),
    ):
        data = {"images": [{"key": "x", "file": file, "title": "X"}]}
        with pytest.raises(ImportFileError, match=message):
            import_content(data, base_dir=tmp_path)
    assert not Image.objects.exists()


@pytest.mark.parametrize("file", ["../pyproject.toml", "/etc/passwd", "images/missing.png"])
def test_an_image_file_outside_the_folder_or_missing_is_refused(home, file):
    data = {"images": [{"key": "x", "file": file, "title": "X"}]}
    with pytest.raises(ImportFileError, match="file"):
        import_content(data, base_dir=DEMO)


def test_a_body_image_is_a_picture_of_the_widths_it_has(client, home):
    picture = image(1000, 600, description="Cargo bikes in a row")
    StandardPageFactory(
        parent=home, slug="bikes", body=[("image", {"image": picture, "caption": "Bikes"})]
    )
    body = client.get("/en/bikes/").content.decode()
    found = picture_of(body, "Cargo bikes in a row")
    assert 'type="image/avif"' in found and 'type="image/webp"' in found
    assert "480w" in found and "960w" in found and "1440w" not in found
    assert 'loading="lazy"' in found


# The API ---------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["home", "case study", "news"])
def test_the_api_gives_the_image_and_its_text_alternative(client, home, kind):
    page = make(home, kind)
    page.hero_image = image(title="Canteen")
    page.hero_image_alt = "A school canteen at lunchtime"
    page.save_revision().publish()
    detail = client.get(f"/api/v2/pages/{page.pk}/").json()
    assert detail["hero_image"]["id"] == page.hero_image.pk
    assert detail["hero_image"]["meta"]["detail_url"].endswith(
        f"/api/v2/images/{page.hero_image.pk}/"
    )
    assert detail["hero_image_alt_text"] == "A school canteen at lunchtime"
    # A decorative image is shown without a text alternative, and the API says so.
    page.hero_image_decorative = True
    page.save_revision().publish()
    assert client.get(f"/api/v2/pages/{page.pk}/").json()["hero_image_alt_text"] == ""
    image_detail = client.get(f"/api/v2/images/{page.hero_image.pk}/")
    assert image_detail.status_code == 200
