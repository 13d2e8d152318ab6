"""Background work of notifications: each task takes an id, loads the row, calls one service.

Retries are the same task enqueued with `run_after` (services._enqueue_retry); the
`notifications_retry` command re-enqueues what a stopped worker left behind."""

from __future__ import annotations

from django_tasks import task

from motcua.notifications.services import notification_send


@task()
def send_notification(notification_id: int) -> str:
    return notification_send(notification_id)
