from django.apps import AppConfig


class ConfigConfig(AppConfig):
    """Hosts project-wide commands that touch every app (demo data); config sits above all apps."""

    name = "config"
    verbose_name = "config"
