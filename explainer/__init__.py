"""explainer: plain-language explainers of medical research for patients, clinicians, press."""

__version__ = "0.1.0"
