"""The shape of an API token and its stored digest.

A token is ``mappa_`` followed by 32 random bytes in URL-safe base64 (43 characters).
Only the SHA-256 of the whole token is stored: the secret has 256 bits of entropy,
so a plain digest (no salt, no slow hash) cannot be reversed and lets the token be
found by an indexed equality lookup.
"""

import hashlib
import re
import secrets

TOKEN_PREFIX = "mappa_"  # noqa: S105 - the visible label, not a secret
_SECRET_BYTES = 32
TOKEN_LENGTH = len(TOKEN_PREFIX) + 43
# Anything longer than this is refused before any other work is done on it.
MAX_HEADER_TOKEN_LENGTH = 256
DISPLAY_PREFIX_LENGTH = len(TOKEN_PREFIX) + 6
_TOKEN_PATTERN = re.compile(r"mappa_[A-Za-z0-9_-]{43}")


def generate_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(_SECRET_BYTES)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def display_prefix(token: str) -> str:
    return token[:DISPLAY_PREFIX_LENGTH]


def is_well_formed(token: str) -> bool:
    return len(token) == TOKEN_LENGTH and _TOKEN_PATTERN.fullmatch(token) is not None
