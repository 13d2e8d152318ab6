"""The project's URLs plus the upload view, until config/urls.py mounts it."""

from django.urls import include, path

from config.urls import urlpatterns as project_urlpatterns

urlpatterns = [
    *project_urlpatterns,
    path("tep-tai-len/", include("motcua.uploads.urls")),
]
