"""The findings file and explainer.yaml: reading, validating, the model."""
