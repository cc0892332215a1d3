from .base import BasePage, IndexedContent, PageSummary
from .pages import HomePage, StandardPage
from .snippets import Footer, NavigationMenu, Topic
from .tags import TagName

__all__ = [
    "BasePage",
    "Footer",
    "HomePage",
    "ImportRecord",
    "ImportedVersion",
    "IndexedContent",
    "NavigationMenu",
    "PageSummary",
    "StandardPage",
    "TagName",
    "Topic",
]
