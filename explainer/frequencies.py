"""Numbers as natural frequencies for patients: "7 out of 12", "about 80 in 100".

Risk communication research (Gigerenzer and Hoffrage 1995; CDC Clear Communication Index
items 15-16, whole numbers) finds counts of people easier to follow than percentages or
decimals, so patient text words a count of a known group as "k out of n" and a percentage
as "about N in 100".
"""

from __future__ import annotations

from .model import Figure


def natural_frequency(count: int | float, of: int) -> str:
    """``7, 12`` -> ``"7 out of 12"``; a count that is not whole is rounded and said "about"."""
    whole = round(count)
    about = "" if float(count) == whole else "about "
    return f"{about}{whole} out of {of}"



def percent_as_frequency(percent: float) -> str:
    """``80.3`` -> ``"about 80 in 100"``; ``50`` -> ``"50 in 100"``."""
    whole = round(percent)
    about = "" if float(percent) == whole else "about "
    return f"{about}{whole} in 100"



def patient_figure(figure: Figure) -> str:
    """A figure as a patient reads it: counts of a known group and percentages become natural
    frequencies; anything else prints as the file stores it."""
    value = figure.value
    if figure.of is not None and isinstance(value, int | float):
        return natural_frequency(value, figure.of)
    if figure.unit and figure.unit.strip() == "%" and isinstance(value, int | float):
        return percent_as_frequency(value)
    return as_stored(figure)



def plain_figure(figure: Figure) -> str:
    """A figure for clinicians and the press: "7 of 12" for a count, else as stored."""
    if figure.of is not None and isinstance(figure.value, int | float):
        return f"{figure.value} of {figure.of}"
    return as_stored(figure)


def as_stored(figure: Figure) -> str:
    """Value and unit, with a space before a word unit ("0.5 mg/kg") but not before "%" (the
    model strips the space a findings file puts at the start of a unit)."""
    unit = figure.unit or ""
    if not unit or unit.startswith(("%", "°")):
        return f"{figure.value}{unit}"
    return f"{figure.value} {unit}"

