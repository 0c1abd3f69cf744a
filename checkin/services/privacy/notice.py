"""The information text residents see when they sign up, and its version.

The text itself lives in the templates (translated); whenever its meaning changes, bump the
version so each booking records which text its contact person was shown (CONTEXT.md, privacy).
"""

from __future__ import annotations

INFO_TEXT_VERSION = "2026-11"
