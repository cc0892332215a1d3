from .base import BasePage, IndexedContent, PageSummary
from .imports import ImportedVersion, ImportRecord
from .pages import HomePage, StandardPage
from .snippets import Footer, NavigationMenu, Topic

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
    "Topic",
]
