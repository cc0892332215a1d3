from wagtail import hooks
from wagtail.snippets.models import register_snippet

from casestudies.models import Approach

register_snippet(Approach)


@hooks.register("procura_import_sections")
def import_sections():
    from casestudies.import_sections import ApproachSection, CaseStudyIndexSection, CaseStudySection

    return [ApproachSection(), CaseStudyIndexSection(), CaseStudySection()]
