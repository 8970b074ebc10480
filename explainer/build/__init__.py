"""One topic or many: the pipeline, atomic outputs, manifest, reports."""
