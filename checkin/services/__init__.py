"""Domain rules as verb_noun functions. Services take the actor and the time as keyword
arguments, never read the request, flush but never commit: the caller commits once."""
