from .base import BasePage, IndexedContent, PageSummary
from .imports import ImportRecord
from .pages import HomePage, StandardPage
from .snippets import Footer, NavigationMenu, Topic

__all__ = [
    "BasePage",
    "Footer",
    "HomePage",
    "ImportRecord",
    "IndexedContent",
    "NavigationMenu",
    "PageSummary",
    "StandardPage",
    "Topic",
]
