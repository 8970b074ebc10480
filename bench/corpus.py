"""Synthetic findings files of realistic size for the build benchmark.

Each topic has three studies, ten findings and eight caveats, and its own source text
holding every quoted phrase, so the build's checks pass and no two outputs are alike.
The wording is invented for the benchmark; the shape follows
tests/fixtures/findings/topic_min.yaml.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from pathlib import Path

import yaml

# (condition, everyday words, measure, abbreviation, what the measure means)
CONDITIONS = [
    ("knee osteoarthritis", "sore knees", "WOMAC pain score", "WOMAC", "how much their knees hurt"),
    (
        "chronic low back pain",
        "a long-lasting sore back",
        "Roland-Morris score",
        "RMDQ",
        "how much back pain got in the way of daily life",
    ),
    (
        "migraine",
        "bad headaches",
        "monthly migraine days",
        "MMD",
        "how many days a month they had a headache",
    ),
    (
        "mild asthma",
        "mild asthma",
        "asthma control score",
        "ACQ",
        "how well their asthma was kept in check",
    ),
    (
        "atopic eczema",
        "itchy, dry skin",
        "eczema area score",
        "EASI",
        "how much of their skin was affected",
    ),
    (
        "high blood pressure",
        "high blood pressure",
        "systolic blood pressure",
        "SBP",
        "the top number of their blood pressure",
    ),
    ("insomnia", "trouble sleeping", "insomnia severity index", "ISI", "how badly they slept"),
    (
        "irritable bowel syndrome",
        "an upset gut",
        "symptom severity score",
        "IBS-SSS",
        "how bad their gut symptoms were",
    ),
    ("plantar fasciitis", "heel pain", "foot function index", "FFI", "how much their heel hurt"),
    (
        "neck pain",
        "a stiff, sore neck",
        "neck disability index",
        "NDI",
        "how much neck pain held them back",
    ),
]
# (name, everyday words, verb phrase for the press)
INTERVENTIONS = [
    ("brisk walking 30 min daily", "a brisk 30 minute walk each day", "walked briskly every day"),
    ("tai chi twice weekly", "a tai chi class twice a week", "did tai chi twice a week"),
    (
        "guided yoga three times weekly",
        "a yoga class three times a week",
        "did yoga three times a week",
    ),
    ("a stretching programme", "a short set of stretches each morning", "stretched each morning"),
    ("a swimming class", "a swimming class once a week", "swam once a week"),
    ("a breathing exercise app", "a phone app that teaches slow breathing", "used a breathing app"),
    ("group physiotherapy", "physiotherapy in a small group", "had group physiotherapy"),
    (
        "a cycling programme",
        "cycling on an exercise bike three times a week",
        "cycled three times a week",
    ),
]
COMPARATORS = [
    ("usual care", "their usual routine"),
    ("a waiting list", "a place on a waiting list"),
    ("health education leaflets", "leaflets about their health"),
]
UNIVERSITIES = [
    "Northfield",
    "Eastbrook",
    "Westmoor",
    "Southgate",
    "Riverside",
    "Hillcrest",
    "Lakeside",
    "Oakridge",
    "Stonebridge",
    "Millbank",
]
WEEKS = [8, 10, 12, 16, 24]


def _topic(i: int, rng: random.Random) -> tuple[dict, str]:
    cond, cond_plain, measure, abbr, measure_plain = CONDITIONS[i % len(CONDITIONS)]
    iv_name, iv_plain, iv_press = INTERVENTIONS[(i // len(CONDITIONS)) % len(INTERVENTIONS)]
    uni = UNIVERSITIES[(i * 7 + 3) % len(UNIVERSITIES)]
    slug = f"{iv_name.split()[1 if iv_name.startswith('a ') else 0]}-{cond.split()[-1]}-{i:04d}"
    slug = "".join(c if c.isalnum() or c == "-" else "-" for c in slug.lower())
    weeks = rng.choice(WEEKS)
    date = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(0, 600))
    release = f"release-{i}"
    sentences: list[str] = [
        f"{uni} University press office, {date:%d %B %Y}",
        f"Three studies look at {iv_plain} for people with {cond}.",
    ]

    def quote(sentence: str, phrase: str) -> dict:
        assert phrase in sentence, (phrase, sentence)
        sentences.append(sentence)
        return {"source": release, "quote": phrase}

    studies, findings = [], []
    for s in range(3):
        n = rng.randrange(30, 400)
        year = date.year - s
        preprint = s == 2
        cmp_name, cmp_plain = COMPARATORS[(i + s) % len(COMPARATORS)]
        sid = f"study-{s + 1}"
        studies.append(
            {
                "id": sid,
                "short_name": f"{uni} Trial {s + 1} {year}",
                "year": year,
                "status": "preprint" if preprint else "peer_reviewed",
                "design": "randomized_controlled",
                "blinding": "single_blind" if s == 1 else "open",
                "institution": f"{uni} University",
                "participants": {
                    "n": n,
                    "condition": cond,
                    "plain": cond_plain,
                    "population": "adults",
                    "ages": f"{rng.randrange(18, 40)}-{rng.randrange(60, 85)}",
                },
                "intervention": {"name": f"{iv_name} for {weeks} weeks", "plain": iv_plain},
                "comparator": {"name": cmp_name, "plain": cmp_plain},
                "measures": [{"name": measure, "abbreviation": abbr, "plain": measure_plain}],
                "timepoints": [f"{weeks} weeks"],
                "limitations": [
                    {
                        "patient": f"Only {n} people took part in this study.",
                        "clinician": f"Modest sample (n={n}); follow-up limited to {weeks} weeks.",
                    }
                ],
                "reported_by": [release],
            }
        )
        sentences.append(
            f"The {'third' if preprint else ['first', 'second'][s]} study enrolled {n} adults."
        )
        for f in range(4 if s == 0 else 3):
            a, b = rng.randrange(10, 35), rng.randrange(1, 9)
            phrase = f"fell by {a}% with the programme and by {b}% with {cmp_name}"
            ev = quote(f"In study {s + 1}, the {abbr} result {phrase} (finding {f + 1}).", phrase)
            findings.append(
                {
                    "id": f"s{s + 1}-f{f + 1}",
                    "study": sid,
                    "kind": "causal" if f == 0 else "descriptive",
                    "key": f == 0,
                    "figures": {"a": {"value": a, "unit": "%"}, "b": {"value": b, "unit": "%"}},
                    "clinician": f"{abbr} fell {{a}} with the programme vs {{b}} with {cmp_name} "
                    f"at {weeks} weeks (n={{n}}; outcome {f + 1}).",
                    "plain": f"In part {f + 1} of this study, {measure_plain} went down by {{a}} "
                    f"for people who {iv_press}, and by {{b}} for the others.",
                    "evidence": [ev],
                }
            )
    caveat_specs = [
        (
            "small-trials",
            "small-sample",
            ["patient", "clinician", "press"],
            "These were small studies, so the results could change.",
            "Small samples; effect estimates are imprecise.",
            "The studies were small.",
            "the studies were small",
        ),
        (
            "not-advice",
            "not-medical-advice",
            ["patient", "press"],
            "This leaflet is not medical advice. Talk to your doctor before you change your care.",
            "Not a clinical guideline.",
            "This summary is not medical advice.",
            "is not medical advice",
        ),
        (
            "preprint",
            "not-peer-reviewed",
            ["patient", "clinician", "press"],
            "The third study has not yet been checked by other experts.",
            "Study 3 is a preprint and has not been peer reviewed.",
            "One of the studies has not been checked by independent experts yet.",
            None,  # no source says so: the study status does, and guidance asks for it
        ),
        (
            "short-follow-up",
            "short-follow-up",
            ["clinician"],
            f"We only know about the first {weeks} weeks.",
            f"Follow-up ended at {weeks} weeks; durability is unknown.",
            f"The studies lasted only {weeks} weeks.",
            f"only followed people for {weeks} weeks",
        ),
        (
            "not-blinded",
            "open-label",
            ["clinician"],
            "People knew which group they were in, which can change how they rate their symptoms.",
            "Mostly open-label; self-reported outcomes are prone to expectation bias.",
            "Most people knew which group they were in.",
            "knew which group they were in",
        ),
        (
            "one-centre",
            "single-centre",
            [],
            "All three studies were run by one university.",
            "Single institution; generalisability is uncertain.",
            "All three studies came from one university.",
            "all run by the same team",
        ),
        (
            "self-report",
            "self-report",
            [],
            "People rated their own symptoms.",
            "Primary outcomes were patient-reported.",
            "The results rely on what people reported.",
            "people scored their own symptoms",
        ),
        (
            "adults-only",
            "population",
            [],
            "Only adults took part, so we do not know about children.",
            "Adults only; no paediatric data.",
            "Children were not included.",
            "only adults took part",
        ),
    ]
    caveats = []
    for cid, kind, mandatory, patient, clinician, press, phrase in caveat_specs:
        caveat = {
            "id": cid,
            "kind": kind,
            "mandatory_for": mandatory,
            "text": {"patient": patient, "clinician": clinician, "press": press},
        }
        if phrase:
            caveat["evidence"] = [quote(f"The authors noted that {phrase}.", phrase)]
        else:
            caveat["guidance"] = "ICMJE Recommendations, section on preprints"
        caveats.append(caveat)
    sentences.append("This summary is for information only.")
    doc = {
        "topic": slug,
        "title": f"{iv_plain[0].upper()}{iv_plain[1:]} and {cond}",
        "date": date,
        "sources_dir": "../sources",
        "subject": {"conditions": [cond]},
        "background": {
            "patient": f"Many people live with {cond_plain}. "
            f"These studies asked if {iv_plain} helps.",
            "clinician": f"Exercise-based care is often offered for {cond}; "
            f"three trials tested {iv_name}.",
        },
        "means": [
            {
                "patient": f"{iv_plain[0].upper()}{iv_plain[1:]} may help some people a little.",
                "clinician": "Supports the programme as one part of care.",
            }
        ],
        "does_not_mean": [{"patient": "It does not mean it will help everyone."}],
        "unknowns": [
            {
                "patient": f"We do not know if the benefit lasts past {weeks} weeks.",
                "clinician": f"Durability beyond {weeks} weeks is unknown.",
            }
        ],
        "press": {
            "headline": f"{iv_plain[0].upper()}{iv_plain[1:]} may ease {cond_plain} a little, "
            "trials suggest",
            "lede": f"In three small trials, adults with {cond} who {iv_press} "
            "reported a modest benefit.",
            "notes_to_editors": [f"The trials were small and lasted {weeks} weeks."],
        },
        "sources": [
            {
                "id": release,
                "file": f"{slug}.txt",
                "kind": "press_release",
                "publisher": f"{uni} University",
                "date": date,
            }
        ],
        "studies": studies,
        "findings": findings,
        "caveats": caveats,
        "glossary": [{"term": cond.split()[-1], "plain": f"the medical name for {cond_plain}"}],
    }
    doc["number_exceptions"] = {"years": True, "phrases": _typed_numbers(doc)}
    return doc, "\n\n".join(sentences) + "\n"


def _typed_numbers(doc: dict) -> list[str]:
    """The numbers the generator typed into prose (weeks, minutes, sample sizes), declared as
    exceptions to the number lock: they are the generator's own values, not figures read from
    a source, and the benchmark times the lock's scan either way."""
    found: set[str] = set()

    def walk(value: object, key: str = "") -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                if k not in ("figures", "evidence", "sources", "participants"):
                    walk(v, k)
        elif isinstance(value, list):
            for v in value:
                walk(v, key)
        elif isinstance(value, str) and key not in ("id", "study", "source", "file", "doi"):
            found.update(re.findall(r"\d+(?:\.\d+)?", value))

    walk(doc)
    return sorted(found, key=lambda n: (len(n), n))


class _NoAliasDumper(yaml.SafeDumper):
    """safe_dump writes a value shared by two keys once, as &id001/*id001; the loader refuses
    YAML aliases (the "billion laughs" guard), so every value is written out in full."""

    def ignore_aliases(self, data: object) -> bool:
        return True


def make_corpus(root: Path, n: int, seed: int = 1) -> list[Path]:
    """Write ``n`` findings files to root/findings and their sources to root/sources."""
    rng = random.Random(seed)
    (root / "findings").mkdir(parents=True, exist_ok=True)
    (root / "sources").mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        doc, source = _topic(i, rng)
        (root / "sources" / f"{doc['topic']}.txt").write_text(source, encoding="utf-8")
        path = root / "findings" / f"{doc['topic']}.yaml"
        path.write_text(
            yaml.dump(doc, Dumper=_NoAliasDumper, sort_keys=False, allow_unicode=True,
                      width=100),
            encoding="utf-8",
        )
        paths.append(path)
    return paths
