"""A confirmation for the editor who approves a translation (or any page or snippet).

Wagtail's workflow action view approves the task and returns to where the editor came from
(the dashboard's "Awaiting your review", say) without a message: the row just disappears.
Wagtail offers no hook on workflow actions, and its signals carry no request; so this
middleware, after an "approve" posted to a page's or a snippet's workflow action, says what
became of it in Wagtail's messages, shown on the next page of the admin.
"""

from django.contrib import messages
from django.utils.translation import gettext as _
from wagtail.models import TaskState, WorkflowState


class ApprovalMessageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        task_state_id = getattr(request, "_approving_task_state", None)
        if task_state_id is not None:
            confirm_approval(request, task_state_id)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if (
            request.method == "POST"
            and match is not None
            and match.url_name == "workflow_action"
            and view_kwargs.get("action_name") == "approve"
            and (
                match.namespace == "wagtailadmin_pages"
                or match.namespace.startswith("wagtailsnippets_")
            )
        ):
            # Only a task still waiting is approved by this request.
            waiting = TaskState.objects.filter(
                pk=view_kwargs.get("task_state_id"), status=TaskState.STATUS_IN_PROGRESS
            )
            if waiting.exists():
                request._approving_task_state = view_kwargs["task_state_id"]
        return None


def confirm_approval(request, task_state_id):
    task_state = (
        TaskState.objects.filter(pk=task_state_id, status=TaskState.STATUS_APPROVED)
        .select_related("revision", "workflow_state")
        .first()
    )
    if task_state is None:
        return
    names = {"title": task_state.revision.object_str if task_state.revision else ""}
    if task_state.workflow_state.status == WorkflowState.STATUS_APPROVED:
        messages.success(request, _("“%(title)s” was approved and published.") % names)
    else:
        messages.success(request, _("“%(title)s” was approved.") % names)
