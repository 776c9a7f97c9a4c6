from django.apps import AppConfig


class ConfigConfig(AppConfig):
    """Hosts project-wide commands that touch every app (the role matrix document); config sits above
    all apps."""

    name = "config"
    verbose_name = "config"
