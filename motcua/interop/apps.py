from django.apps import AppConfig


class InteropConfig(AppConfig):
    name = "motcua.interop"
    label = "interop"
