"""HomePage and StandardPage: where they may be created, and render/edit/preview checks."""

from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from home.models import HomePage, StandardPage
from tests.factories import StandardPageFactory
from tests.utils import edit_form_data


class HomePageTests(WagtailPageTestCase):
    def setUp(self):
        self.home = HomePage.objects.get(depth=2, locale__language_code="en")
        self.user = self.login()

    def test_home_pages_live_only_under_the_root(self):
        self.assertAllowedParentPageTypes(HomePage, {Page})
        self.assertCanNotCreateAt(StandardPage, HomePage)

    def test_standard_pages_under_home_and_each_other(self):
        self.assertAllowedParentPageTypes(StandardPage, {HomePage, StandardPage})
        self.assertCanCreateAt(HomePage, StandardPage)
        self.assertCanCreateAt(StandardPage, StandardPage)

    def test_home_page_renders_edits_previews(self):
        data = edit_form_data(self.client, self.home)
        self.assertPageIsRenderable(self.home)
        self.assertPageIsEditable(self.home, post_data=data)
        self.assertPageIsPreviewable(self.home, post_data=data)


class StandardPageTests(WagtailPageTestCase):
    def setUp(self):
        self.home = HomePage.objects.get(depth=2, locale__language_code="en")
        self.user = self.login()

    def test_editor_can_create_a_standard_page_with_a_body(self):
        self.assertCanCreate(
            self.home,
            StandardPage,
            nested_form_data(
                {
                    "title": "Accessibility statement",
                    "slug": "accessibility",
                    "summary": "How accessible this site is.",
                    "body": streamfield(
                        [
                            ("heading", {"text": "Compliance status", "level": "h2"}),
                            ("paragraph", rich_text("<p>This site meets WCAG 2.1 AA.</p>")),
                        ]
                    ),
                }
            ),
        )
        page = StandardPage.objects.get(slug="accessibility", locale__language_code="en")
        # Created in the admin, the page appears at once in every language tree.
        self.assertEqual(
            StandardPage.objects.filter(translation_key=page.translation_key).count(), 24
        )
        response = self.client.get(page.url)
        self.assertContains(
            response, '<h2 id="section-compliance-status">Compliance status</h2>', html=True
        )
        self.assertContains(response, "This site meets WCAG 2.1 AA.")

    def test_standard_page_renders_edits_previews(self):
        page = StandardPageFactory(parent=self.home, title="Privacy notice", slug="privacy")
        data = edit_form_data(self.client, page, body=[("paragraph", rich_text("<p>x</p>"))])
        self.assertPageIsRenderable(page)
        self.assertPageIsEditable(page, post_data=data)
        self.assertPageIsPreviewable(page, post_data=data)
