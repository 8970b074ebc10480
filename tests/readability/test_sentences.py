"""Sentence splitting on medical text: abbreviations, figures, names, links, lists, headings."""

from __future__ import annotations

import pytest

from explainer.readability.sentences import split_blocks, split_sentences


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Dr. Jelen led the study. It found a benefit.",
         ["Dr. Jelen led the study.", "It found a benefit."]),
        ("Ketamine (e.g. 0.5 mg/kg) was given. Scores fell, i.e. mood improved.",
         ["Ketamine (e.g. 0.5 mg/kg) was given.", "Scores fell, i.e. mood improved."]),
        ("Ketamine vs. placebo was tested. Fig. 2 shows it. See Fig. 3.",
         ["Ketamine vs. placebo was tested.", "Fig. 2 shows it.", "See Fig. 3."]),
        ("Jelen et al. (2025) reported this. Others disagree.",
         ["Jelen et al. (2025) reported this.", "Others disagree."]),
        ("Mood improved (MADRS, r=0.60; p < 0.001). Blood flow rose, r=0.56.",
         ["Mood improved (MADRS, r=0.60; p < 0.001).", "Blood flow rose, r=0.56."]),
        ("L. A. Jelen and J. Smith wrote it. The trial ran for 2.5 weeks.",
         ["L. A. Jelen and J. Smith wrote it.", "The trial ran for 2.5 weeks."]),
        ("See https://doi.org/10.1038/s41591-025-0123-4. The paper is open.",
         ["See https://doi.org/10.1038/s41591-025-0123-4.", "The paper is open."]),
        ("The DOI is 10.1016/j.biopsych.2025.01.002 and it is public.",
         ["The DOI is 10.1016/j.biopsych.2025.01.002 and it is public."]),
        ("Patients took vitamin D. The rest did not.",
         ["Patients took vitamin D.", "The rest did not."]),
        ("The U.S. Food and Drug Administration approved it. Approx. three quarters improved.",
         ["The U.S. Food and Drug Administration approved it.",
          "Approx. three quarters improved."]),
        ("It was approved in the U.S. The study came later.",
         ["It was approved in the U.S.", "The study came later."]),
        ('Did it help? Yes. "It did," she said. "Really."',
         ["Did it help?", "Yes.", '"It did," she said.', '"Really."']),
        ("Ketamine is used (see No. 4). It works.", ["Ketamine is used (see No. 4).", "It works."]),
    ],
)
def test_medical_sentences(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


def test_lists_and_headings_without_full_stops_are_sentences() -> None:
    text = ("Key findings\nKetamine helped 40 people.\n- Nausea\n- Headache\n1. First item\n"
            "2) Second")
    assert split_sentences(text) == [
        "Key findings", "Ketamine helped 40 people.", "Nausea", "Headache", "First item", "Second",
    ]


def test_wrapped_lines_are_joined_back_into_sentences() -> None:
    text = ("The study found that the drug was safe in most of the people who took it, and\n"
            "that it worked within hours. A treat-\nment plan followed.")
    assert split_sentences(text) == [
        "The study found that the drug was safe in most of the people who took it, and that it "
        "worked within hours.",
        "A treat-ment plan followed.",
    ]


def test_blocks_drop_page_numbers_and_split_on_blank_lines() -> None:
    assert split_blocks("First paragraph.\n\n12\n\nSecond paragraph.") == [
        "First paragraph.", "Second paragraph.",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('She said, "That is a striking truth!" Goat took advantage of it.',
         ['She said, "That is a striking truth!"', "Goat took advantage of it."]),
        ("She said, “Is that true?” Nobody answered.",
         ["She said, “Is that true?”", "Nobody answered."]),
        ("‘Run!’ The dog ran. ‘Stop?’ he asked.",
         ["‘Run!’", "The dog ran.", "‘Stop?’ he asked."]),
        ('"Why not?" asked Tom. "Because!" Ann said.',
         ['"Why not?" asked Tom.', '"Because!"', "Ann said."]),
        ('He said, "She told me \'Go!\'" Then he left.',
         ['He said, "She told me \'Go!\'"', "Then he left."]),
        ("He shouted _Help!_ Nobody came.", ["He shouted _Help!_", "Nobody came."]),
        ('He shouted "Stop!" and ran on.', ['He shouted "Stop!" and ran on.']),
        ('"Is it?" he asked. "Yes." She nodded.',
         ['"Is it?" he asked.', '"Yes."', "She nodded."]),
        ('"I saw Dr. Jelen." Then she left.', ['"I saw Dr. Jelen."', "Then she left."]),
    ],
)
def test_dialogue_and_quoted_speech(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Use a 2½ in. diameter cup. It holds the dose.",
         ["Use a 2½ in. diameter cup.", "It holds the dose."]),
        ('Smith et al. said "It works!" Others were unsure.',
         ['Smith et al. said "It works!"', "Others were unsure."]),
        ('He said "see e.g. Fig. 2." Then he left.',
         ['He said "see e.g. Fig. 2."', "Then he left."]),
    ],
)
def test_quotes_keep_the_medical_abbreviations(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected
