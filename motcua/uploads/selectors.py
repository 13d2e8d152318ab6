"""Reads of uploads, and the one permission gate every interface uses to hand out their bytes.

Who may read an upload: its owner, the person who uploaded it, and whoever a registered gate
lets through. Other apps plug their own rule in from their AppConfig.ready(), e.g. the dossier
flow, once a dossier file points at an Upload:

    # motcua/dossiers/apps.py
    def ready(self) -> None:
        from motcua.uploads.selectors import upload_gate_register
        from motcua.dossiers.selectors import dossier_upload_visible  # (user, upload) -> bool

        upload_gate_register(dossier_upload_visible)

where `dossier_upload_visible` answers True when the upload belongs to a dossier in
`dossiers_visible_to(user)` (the same gate as the dossier page). A gate must be cheap and must
say False when unsure: any gate saying True is enough.
"""

from __future__ import annotations

from collections.abc import Callable

from motcua.accounts.models import User
from motcua.uploads.models import Upload

UploadGate = Callable[[User, Upload], bool]
_gates: list[UploadGate] = []


def upload_gate_register(gate: UploadGate) -> UploadGate:
    """Add a rule letting (some) officials read uploads; usable as a decorator."""
    if gate not in _gates:
        _gates.append(gate)
    return gate


def upload_gate_unregister(gate: UploadGate) -> None:
    if gate in _gates:
        _gates.remove(gate)


def upload_get_for_user(user: User, upload_id: int) -> Upload | None:
    """The upload if `user` may read it, else None (not found and forbidden look the same)."""
    if not user.is_authenticated:
        return None
    upload = Upload.objects.filter(pk=upload_id).first()
    if upload is None:
        return None
    if user.pk in (upload.owner_id, upload.uploaded_by_id):
        return upload
    if any(gate(user, upload) for gate in _gates):
        return upload
    return None
