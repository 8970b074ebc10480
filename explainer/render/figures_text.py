"""A structured figure worded for one audience.

A plain figure (a value and maybe a unit) prints the same for everyone. A figure with an
effect measure, an interval, a denominator or a rate base is worded for its reader, after
Gigerenzer & Hoffrage 1995 (natural frequencies are understood where percentages and
conditional probabilities are not) and Moynihan et al. 2000, NEJM 342:1645-1650 (relative
changes alone overstate benefit, so the press gets absolute figures beside them):

* patient:   natural frequencies ("7 out of 12" for a small group, "about 6 in 1,000",
             "about 80 in 100" for a percentage), relative changes in words
* clinician: the measure with its confidence interval and p value
* press:     the absolute figure beside the relative one
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..document.model import Audience, Figure

RATIOS = frozenset({"hr", "rr", "or", "rate_ratio"})
PROPORTIONS = frozenset({"percentage", "absolute_risk", "sensitivity", "specificity", "ppv",
                         "npv"})
MEASURE_NAMES = {"hr": "hazard ratio", "rr": "relative risk", "or": "odds ratio",
                 "rate_ratio": "rate ratio", "mean_difference": "mean difference",
                 "risk_difference": "risk difference", "nnt": "number needed to treat",
                 "sensitivity": "sensitivity", "specificity": "specificity",
                 "ppv": "positive predictive value", "npv": "negative predictive value"}


def with_unit(value: object, unit: str | None) -> str:
    """'7.9 years', '80.3%', '0.5 mg/kg': a word unit gets one space, a sign none."""
    unit = (unit or "").strip()
    value = f"{value:,}" if isinstance(value, int) and not isinstance(value, bool) else value
    if not unit:
        return str(value)
    joined = unit[0] in "%‰°" and not unit.startswith("°C ")
    return f"{value}{unit}" if joined else f"{value} {unit}"


def number(value: float) -> str:
    """A number as people write it: thousands separated; a float keeps its decimal ('1.0')."""
    return f"{value:,}"


def _float(value: object) -> float | None:
    try:
        return float(str(value).replace(",", ""))
    except ValueError:
        return None


def natural_frequency(share: float, base: int | None = None) -> str:
    """A share (0-1) as 'about k in N', N the smallest of 100, 1,000, 10,000 ... that
    gives k at least 5 (or the given base)."""
    if base is None:
        base = 100
        while round(share * base) < 5 and base < 1_000_000:  # two figures where it helps
            base *= 10
    k = round(share * base)
    return f"about {number(int(k))} in {number(int(base))}"


SMALL_GROUP = 100  # up to this many people, "7 out of 12" is a group a reader can picture


def count_in_group(count: int | float, of: int) -> str:
    """``7, 12`` -> "7 out of 12"; a count that is not whole is rounded and said "about"."""
    whole = round(count)
    about = "" if float(count) == whole else "about "
    return f"{about}{number(int(whole))} out of {number(of)}"


def _count(value: object) -> str:
    return f"{value:,}" if isinstance(value, int) else str(value)


def _interval(fig: Figure, unit: bool) -> str:
    ci = fig.ci
    if ci is None:
        return ""
    low, high = number(ci.low), number(ci.high)
    if unit and fig.unit and fig.unit.strip() == "%":
        low, high = f"{low}%", f"{high}%"
    return f"{ci.level}% CI {low} to {high}"


def _p(fig: Figure) -> str:
    if fig.p is None:
        return ""
    text = str(fig.p).strip()
    return f"p {text}" if text[:1] in "<>≤≥=" else f"p = {text}"


def _clinician(fig: Figure) -> str:
    base = with_unit(fig.value, fig.unit)
    if fig.of is not None:
        base = f"{with_unit(_count(fig.value), None)} of {number(fig.of)}"
    elif fig.per is not None:
        base = f"{base} per {number(fig.per)}"
    at = f"at {fig.follow_up}" if fig.follow_up else ""
    extra = "; ".join(x for x in (_interval(fig, True), _p(fig), at) if x)
    return f"{base} ({extra})" if extra else base


def _share(fig: Figure) -> float | None:
    """The figure as a share of 1, when it is one."""
    value = _float(fig.value)
    if value is None:
        return None
    if fig.of is not None:
        return value / fig.of
    if fig.per is not None:
        return value / fig.per
    if (fig.unit or "").strip() == "%" and (fig.measure in PROPORTIONS or fig.measure is None):
        return value / 100
    return None


def _relative(fig: Figure) -> str | None:
    value = _float(fig.value)
    if value is None or fig.measure not in RATIOS:
        return None
    change = round(abs(1 - value) * 100)
    if change == 0:
        return "about the same"
    return f"about {change}% {'lower' if value < 1 else 'higher'}"


def _patient(fig: Figure) -> str:
    if fig.measure == "nnt":
        return f"1 in every {fig.value}"
    relative = _relative(fig)
    if relative:
        return relative
    value = _float(fig.value)
    if fig.of is not None and fig.of <= SMALL_GROUP and value is not None:
        return count_in_group(value, fig.of)
    share = _share(fig)
    if share is not None:
        base = fig.per if fig.per and fig.of is None else None
        return natural_frequency(share, base)
    return with_unit(fig.value, fig.unit)


def _press(fig: Figure, siblings: dict[str, Figure]) -> str:
    relative = _relative(fig)
    if relative:
        return f"{relative} ({MEASURE_NAMES[fig.measure or 'hr']} {fig.value})"
    if fig.of is not None:
        text = f"{_count(fig.value)} of {number(fig.of)}"
    elif fig.per is not None:
        text = f"{with_unit(fig.value, fig.unit)} per {number(fig.per)}"
    else:
        text = with_unit(fig.value, fig.unit)
    other = siblings.get(fig.versus or "")
    if other is not None:
        text += f", against {_press(other, {})}"
        if other.group:
            text += f" {other.group}"
    return text


def structured(fig: Figure) -> bool:
    return any(x is not None for x in (fig.of, fig.measure, fig.ci, fig.p, fig.per, fig.versus))


def _percent(fig: Figure) -> bool:
    return (fig.unit or "").strip() == "%" and _float(fig.value) is not None


def figure_text(fig: Figure, audience: Audience | None,
                siblings: dict[str, Figure] | None = None) -> str:
    """The figure as this audience reads it; a plain figure the same for all."""
    # A bare percentage is a proportion to a patient too: "about 80 in 100", not "80.3%".
    if audience is None or not (structured(fig) or (audience == "patient" and _percent(fig))):
        return with_unit(fig.value, fig.unit)
    if audience == "patient":
        return _patient(fig)
    if audience == "clinician":
        return _clinician(fig)
    return _press(fig, siblings or {})
