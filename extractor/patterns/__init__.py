"""Extractor layer: rule and vocabulary data files (JSON) read with importlib.resources."""
