"""Source texts: quotes, screening, cross-source agreement, timeliness."""
