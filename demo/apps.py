from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo street office, its communities, accounts and a year of work (``manage.py demo_seed``).

    It sits at the top with ``config``: it knows every app and no app knows it.
    """

    name = "demo"
    verbose_name = "demo"
