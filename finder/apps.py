from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinderConfig(AppConfig):
    """The public index of every community's published items (public schema) and the reading of what
    residents type into a search box: words segmented by jieba, synonyms, periods, snippets."""

    name = "finder"
    label = "finder"
    verbose_name = _("公开内容检索")
