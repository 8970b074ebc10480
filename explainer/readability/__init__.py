"""Readability scores against targets, down to hard sentences and words."""
