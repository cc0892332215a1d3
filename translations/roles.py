"""The groups and the moderation workflow of the translation process (idempotent).

- "Editors": every language, publish, snippets, images and documents, search promotions,
  the "Popular searches" report.
- "Translators (xx)", one per language but the default: edit, translate and submit for
  moderation in their own language tree only; name the free tags in their language (not
  moderated: a tag name is no translated object); choose images and documents.
- "Translation review" workflow: one step, approved by an editor; it applies to every
  language tree but the default one, and to the translatable snippets.
"""

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Locale,
    Page,
    Workflow,
    WorkflowContentType,
    WorkflowPage,
    WorkflowTask,
)

from home.languages.i18n import language_name_english

EDITORS = "Editors"
WORKFLOW = "Translation review"
TASK = "Approval by an editor"

MODERATED_SNIPPETS = [
    ("home", "topic"),
    ("home", "navigationmenu"),
    ("home", "footer"),
    ("casestudies", "approach"),
]


def translators_group_name(language_code):
    return f"Translators ({language_code})"


def _perm(app_label, codename):
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def _page_perms(group, page, codenames):
    for codename in codenames:
        GroupPagePermission.objects.get_or_create(
            group=group, page=page, permission=_perm("wagtailcore", codename)
        )


def _collection_perms(group, codenames):
    root = Collection.get_first_root_node()
    for app_label, codename in codenames:
        GroupCollectionPermission.objects.get_or_create(
            group=group, collection=root, permission=_perm(app_label, codename)
        )


def _snippet_perms(actions):
    perms = []
    for app_label, model in MODERATED_SNIPPETS:
        for action in actions:
            perms.append(_perm(app_label, f"{action}_{model}"))
    return perms


@transaction.atomic
def setup_roles(stdout=None):
    root = Page.get_first_root_node()
    default = Locale.get_default()
    admin_access = _perm("wagtailadmin", "access_admin")
    submit = _perm("wagtail_localize", "submit_translation")

    editors, _created = Group.objects.get_or_create(name=EDITORS)
    editors.permissions.add(
        admin_access,
        submit,
        *_snippet_perms(["add", "change", "delete", "publish", "lock", "unlock"]),
        *[
            _perm("wagtailsearchpromotions", f"{action}_searchpromotion")
            for action in ("add", "change", "delete")
        ],
        _perm("search", "view_querylog"),  # the "Popular searches" report
    )
    _page_perms(
        editors,
        root,
        ["add_page", "change_page", "publish_page", "bulk_delete_page", "lock_page", "unlock_page"],
    )
    _collection_perms(
        editors,
        [("wagtailimages", c) for c in ("add_image", "change_image", "choose_image")]
        + [("wagtaildocs", c) for c in ("add_document", "change_document", "choose_document")],
    )

    task = GroupApprovalTask.objects.filter(name=TASK).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=TASK)
    task.groups.set([editors])
    workflow, _created = Workflow.objects.get_or_create(name=WORKFLOW)
    WorkflowTask.objects.get_or_create(
        workflow=workflow, task=task.task_ptr, defaults={"sort_order": 0}
    )
    for app_label, model in MODERATED_SNIPPETS:
        content_type = ContentType.objects.get(app_label=app_label, model=model)
        WorkflowContentType.objects.update_or_create(
            content_type=content_type, defaults={"workflow": workflow}
        )

    home_pages = {page.locale_id: page for page in root.get_children().select_related("locale")}
    translators = 0
    for locale in Locale.objects.exclude(pk=default.pk):
        group, _created = Group.objects.get_or_create(
            name=translators_group_name(locale.language_code)
        )
        group.permissions.add(
            admin_access,
            submit,
            *_snippet_perms(["add", "change"]),
            # The names of the free tags in their language (translations/middleware.py).
            *[_perm("home", f"{action}_tagname") for action in ("add", "change")],
        )
        _collection_perms(
            group, [("wagtailimages", "choose_image"), ("wagtaildocs", "choose_document")]
        )
        home = home_pages.get(locale.pk)
        if home is not None:
            _page_perms(group, home, ["add_page", "change_page"])
            WorkflowPage.objects.update_or_create(page=home, defaults={"workflow": workflow})
        translators += 1
    if stdout:
        stdout.write(
            f"Groups: {EDITORS} and {translators} translator groups; workflow “{WORKFLOW}”."
        )


def demo_translator_accounts():
    """The demo German translator for `make run`."""
    group = Group.objects.filter(name=translators_group_name("de")).first()
    editors = Group.objects.filter(name=EDITORS).first()
    accounts = []
    if group:
        accounts.append(
            {
                "username": "translator-de",
                "first_name": "Greta",
                "last_name": "Weber",
                "role": f"translator ({language_name_english('de')})",
                "groups": [group],
            }
        )
    if editors:
        accounts.append(
            {
                "username": "editor",
                "first_name": "Elena",
                "last_name": "Rossi",
                "role": "editor (all languages)",
                "groups": [editors],
            }
        )
    return accounts
