from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UploadsConfig(AppConfig):
    name = "motcua.uploads"
    label = "uploads"
    verbose_name = _("Tệp tải lên")

    def ready(self) -> None:
        from motcua.uploads import checks, storage  # noqa: F401 - registers the system check and the signal
