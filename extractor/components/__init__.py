"""Extractor layer: spaCy components, one per module, registered as ``shotcoder_*`` factories."""
