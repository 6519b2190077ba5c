"""Create the benchmark's PostgreSQL database if it is missing: ``ensure_db.py URL``."""

import sys
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql


def ensure_database(url: str) -> bool:
    """Return True when the database had to be created."""
    parts = urlsplit(url.replace("postgres://", "postgresql://", 1))
    name = parts.path.lstrip("/")
    if not name:
        raise SystemExit(f"No database name in {url}")
    # Connect to the server's maintenance database to look for, and create, the one named.
    maintenance = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True, connect_timeout=5) as connection:
        found = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if found:
            return False
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return True


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit("usage: ensure_db.py postgres://user@host:port/name")
    created = ensure_database(sys.argv[1])
    print("Created the database." if created else "The database exists.")
