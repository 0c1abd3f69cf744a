"""Unguessable codes for tickets, households and manage links."""

from __future__ import annotations

import secrets

# Crockford-style alphabet without look-alikes (no 0/O, 1/I/L, U): 30 symbols, ~4.9 bits each.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
TICKET_CODE_LENGTH = 27  # 27 * log2(30) = 132.5 bits >= 128


def new_ticket_code() -> str:
    """A random code of at least 128 bits, URL-safe, upper case, no look-alike characters."""
    return "".join(secrets.choice(ALPHABET) for _ in range(TICKET_CODE_LENGTH))


def new_secret_token() -> str:
    """A 256-bit URL-safe secret for manage links (never typed by hand)."""
    return secrets.token_urlsafe(32)


def new_pseudonym() -> str:
    """A short random public id for a participant in pseudonymous exports."""
    return "P" + "".join(secrets.choice(ALPHABET) for _ in range(9))


def normalise_code(raw: str) -> str:
    """A typed or scanned code in canonical form: upper case, spaces and separators dropped.
    Look-alikes are not mapped: an O or a 0 is not in the alphabet, so such a code is refused
    rather than guessed."""
    return "".join(ch for ch in raw.strip().upper() if ch.isalnum())
