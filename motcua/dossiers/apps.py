from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DossiersConfig(AppConfig):
    name = "motcua.dossiers"
    label = "dossiers"
    verbose_name = _("Hồ sơ")

    def ready(self) -> None:
        from motcua.dossiers.drafts import draft_upload_visible
        from motcua.uploads.selectors import upload_gate_register

        upload_gate_register(draft_upload_visible)
