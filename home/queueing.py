"""Whether queued work (settings.TASKS) runs now or waits for the task worker.

A request queues what follows a change for the worker; a bulk command, which waits for its
work anyway, runs it at once (`home/batching.py`), so that what it imported is complete and
searchable when it returns, with no queue of thousands of tasks left behind.
"""

from home.switches import ThreadSwitch

# The backend of settings.TASKS that runs a task as it is enqueued.
IMMEDIATE_BACKEND = "immediate"


# On where queued work runs at once: `with run_queued_work_now.on():`.
run_queued_work_now = ThreadSwitch()


def now_or_queued(task):
    """`task` to run at once inside `run_queued_work_now.on()`, else as configured."""
    if run_queued_work_now:
        return task.using(backend=IMMEDIATE_BACKEND)
    return task
