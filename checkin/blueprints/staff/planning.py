"""Routes of this blueprint (being written)."""
