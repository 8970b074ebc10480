"""The live preview page that `explainer serve` shows (static files; data via /status.json)."""
