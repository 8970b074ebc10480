"""Document -> per-audience view -> sandboxed Jinja2 -> self-contained HTML."""
