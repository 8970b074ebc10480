"""Writing a findings file: new, draft, serve."""
