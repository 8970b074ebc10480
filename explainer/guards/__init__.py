"""Checks on the data and on the outputs: caveats, claims, numbers, communication."""
