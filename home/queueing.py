"""Whether queued work (settings.TASKS) runs now or waits for the task worker.

A request queues what follows a change for the worker; a bulk command, which waits for its
work anyway, runs it at once (`importer/batching.py`), so that what it imported is complete and
searchable when it returns, with no queue of thousands of tasks left behind.
"""

import threading
from contextlib import contextmanager

_state = threading.local()

# The backend of settings.TASKS that runs a task as it is enqueued.
IMMEDIATE_BACKEND = "immediate"


@contextmanager
def run_queued_work_now():
    previous = getattr(_state, "inline", False)
    _state.inline = True
    try:
        yield
    finally:
        _state.inline = previous


def now_or_queued(task):
    """`task` to run at once inside `run_queued_work_now()`, else as configured."""
    if getattr(_state, "inline", False):
        return task.using(backend=IMMEDIATE_BACKEND)
    return task
