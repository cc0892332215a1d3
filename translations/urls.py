from django.urls import path

from translations.forbidden import answers_403
from translations.views import dashboard, exchange

app_name = "translations"

urlpatterns = [
    path("", answers_403(dashboard.dashboard), name="dashboard"),
    path(
        "<int:translation_id>/changes/", answers_403(dashboard.translation_changes), name="changes"
    ),
    path(
        "<int:translation_id>/submit/",
        answers_403(dashboard.submit_for_review),
        name="submit_for_review",
    ),
    path("export/", answers_403(exchange.export), name="export"),
    path("import/", answers_403(exchange.upload), name="import"),
]
