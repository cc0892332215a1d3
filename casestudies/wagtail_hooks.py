from wagtail import hooks
from wagtail.snippets.models import register_snippet

from casestudies.import_sections import ApproachSection, CaseStudyIndexSection, CaseStudySection
from casestudies.models import Approach
from home.snippet_views import OwnLanguageSnippetViewSet

register_snippet(Approach, viewset=OwnLanguageSnippetViewSet)


@hooks.register("procura_import_sections")
def import_sections():
    return [ApproachSection(), CaseStudyIndexSection(), CaseStudySection()]


@hooks.register("procura_smoke_urls")
def smoke_urls():
    return [
        "/en/case-studies/?format=csv",
        "/de/case-studies/?format=json&country=BE",
        "/fr/case-studies/?topic=energy&page=2",
        "/api/v2/pages/?locale=de&type=casestudies.CaseStudyPage",
    ]
