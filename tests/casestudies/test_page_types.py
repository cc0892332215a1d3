"""Case study page types: where they may be created, and Wagtail's render/edit/preview checks."""

from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from casestudies.models import CaseStudyIndexPage, CaseStudyPage
from home.models import HomePage, StandardPage, Topic
from tests.factories import CaseStudyIndexPageFactory, CaseStudyPageFactory, TopicFactory
from tests.utils import edit_form_data


class CaseStudyPageTypeTests(WagtailPageTestCase):
    def setUp(self):
        self.home = HomePage.objects.get(depth=2, locale__language_code="en")
        self.index = CaseStudyIndexPageFactory(parent=self.home)
        self.user = self.login()

    def test_the_series_lives_under_home_once_per_language(self):
        self.assertAllowedParentPageTypes(CaseStudyIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(CaseStudyIndexPage, {CaseStudyPage})
        # One index per home page: a second cannot be created beside the first.
        self.assertFalse(CaseStudyIndexPage.can_create_at(self.home))

    def test_case_studies_live_only_in_the_series(self):
        self.assertAllowedParentPageTypes(CaseStudyPage, {CaseStudyIndexPage})
        self.assertCanNotCreateAt(StandardPage, CaseStudyPage)
        self.assertCanNotCreateAt(HomePage, CaseStudyPage)

    def test_editor_creates_a_case_study_with_topic_tags_and_results(self):
        topic = TopicFactory(name="Food and catering", slug="food")
        data = nested_form_data(
            {
                "title": "Copenhagen goes organic",
                "slug": "copenhagen-organic",
                "summary": "90% organic food in public kitchens.",
                "organisation": "City of Copenhagen",
                "country": "DK",
                "authority_type": "municipality",
                "population_band": "250k_1m",
                "year": "2019",
                "tags": "organic, school meals",
                "co2e_tonnes_per_year": "310.5",
                "co2e_note": "Supplier data.",
                "body": streamfield(
                    [("paragraph", rich_text("<p>Kitchens converted step by step.</p>"))]
                ),
                "related_case_studies": inline_formset([]),
            }
        )
        data["topics"] = [topic.pk]  # a multiple choice: one key, several values
        self.assertCanCreate(self.index, CaseStudyPage, data)
        page = CaseStudyPage.objects.get(slug="copenhagen-organic", locale__language_code="en")
        self.assertEqual(page.country.code, "DK")
        self.assertEqual([t.slug for t in page.topics.all()], ["food"])
        self.assertEqual(sorted(t.name for t in page.tags.all()), ["organic", "school meals"])
        response = self.client.get(page.url)
        self.assertContains(response, "310.5 t")
        self.assertContains(response, "Denmark")
        self.assertContains(response, 'href="/en/topics/food/"')

    def test_index_and_case_study_render_edit_preview(self):
        page = CaseStudyPageFactory(parent=self.index, topics=[TopicFactory()])
        for target in (self.index, page):
            self.client.force_login(self.user)
            streams = {"body": [("paragraph", rich_text("<p>x</p>"))]} if target is page else {}
            self.client.force_login(self.user)
            data = edit_form_data(self.client, target, **streams)
            if target is page:
                data.update(nested_form_data({"related_case_studies": inline_formset([])}))
            self.assertPageIsRenderable(target)
            self.assertPageIsEditable(target, post_data=data)
            self.assertPageIsPreviewable(target, post_data=data)

    def test_topics_shown_in_the_visitors_language(self):
        from wagtail.models import Locale

        from home.languages.trees import synchronize_locale_trees

        topic = TopicFactory(name="Food and catering", slug="food")
        de = topic.copy_for_translation(Locale.objects.get(language_code="de"))
        de.name = "Lebensmittel und Verpflegung"
        de.save()
        page = CaseStudyPageFactory(parent=self.index, slug="ghent", topics=[topic])
        synchronize_locale_trees()
        response = self.client.get("/de/case-studies/ghent/")
        self.assertContains(response, "Lebensmittel und Verpflegung")
        self.assertNotIn(b">Food and catering<", response.content)
        self.assertEqual(Topic.objects.filter(slug="food").count(), 2)
        self.assertIsNotNone(page)
