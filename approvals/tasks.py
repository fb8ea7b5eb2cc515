from __future__ import annotations

from celery import shared_task

from .services import approvals_sweep


@shared_task(name="approvals.sweep", time_limit=55, soft_time_limit=50)
def sweep() -> int:
    return approvals_sweep()
