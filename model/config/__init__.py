"""Configs: YAML with line numbers, `extends:` and overrides, the scenario and experiment schemas, error messages,
and the vocabulary every other package shares (order kinds and fields, base statuses, the condition model).
Imports nothing else from `model`."""
