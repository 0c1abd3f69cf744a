"""Domain rules as verb_noun functions, one package per domain (DESIGN.md §3).

Services take the actor and the time as keyword arguments, never read the request, and flush
but never commit: the request boundary (``checkin.boundary``) or the CLI command commits once.
A broken rule raises ``errors.DomainError`` with a stable code.

Each package exports its verbs from its ``__init__``; code outside ``services`` imports the
package (``from checkin.services.booking import create_booking``), code inside imports the
module, so the packages load in one direction: people, tickets and accounts below notify,
notify below booking, booking below planning, privacy and desk; stats and exports stand apart.
``errors``, ``clock``, ``audit``, ``codes`` and ``ages`` are shared by every domain.
"""
