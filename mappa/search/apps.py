from typing import Any

from django.apps import AppConfig
from django.db.backends.signals import connection_created


def _add_sqlite_functions(sender: Any, connection: Any, **kwargs: Any) -> None:
    # SQLite has no pg_trgm: give it the same similarity() so candidates are
    # ordered alike on both databases.
    if connection.vendor == "sqlite":
        from mappa.search.matching import trigram_similarity

        connection.connection.create_function(
            "mappa_trigram_similarity", 2, trigram_similarity, deterministic=True
        )


class SearchConfig(AppConfig):
    name = "mappa.search"
    label = "search"

    def ready(self) -> None:
        connection_created.connect(_add_sqlite_functions, dispatch_uid="mappa_search_sqlite")
