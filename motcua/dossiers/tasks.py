"""Background work of dossiers (django-tasks): thin wrappers around one service each."""

from __future__ import annotations

from django_tasks import task

from motcua.dossiers.services import dossiers_warn_deadlines


@task()
def warn_deadlines() -> dict[str, int]:
    return dossiers_warn_deadlines()
