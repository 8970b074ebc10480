"""The starter findings file that `explainer new` writes (starter.yaml.tmpl in this folder)."""
