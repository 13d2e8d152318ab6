from django.apps import AppConfig


class EformsConfig(AppConfig):
    name = "motcua.eforms"
    label = "eforms"
