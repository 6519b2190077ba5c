"""Reading the audit shipping target from one environment value.

Kept free of Django imports so that config/settings.py can use it:

- ""                          no shipping (the default)
- "file:/var/log/mappa/audit.jsonl"   append JSON lines to a file
- "syslog:/dev/log"           a local syslog socket
- "syslog:logs.example.org:514"   a syslog server over UDP

The result is the ``MAPPA_AUDIT_SHIP`` setting that mappa.audit.shipping reads.
"""

from typing import Any


def parse_ship_target(value: str) -> dict[str, Any] | None:
    value = (value or "").strip()
    if not value:
        return None
    kind, _, rest = value.partition(":")
    kind = kind.strip().lower()
    rest = rest.strip()
    if kind == "file" and rest:
        return {"kind": "file", "path": rest}
    if kind == "syslog" and rest:
        if rest.startswith("/"):
            return {"kind": "syslog", "address": rest}
        host, _, port = rest.rpartition(":")
        if host and port.isdigit():
            return {"kind": "syslog", "address": [host, int(port)]}
    raise ValueError(
        f"The audit shipping target {value!r} is not understood: use file:PATH, "
        "syslog:/dev/log or syslog:HOST:PORT"
    )
