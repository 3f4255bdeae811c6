"""Interface layer: the coder entry point, the FastAPI service and the command line."""

__version__ = "0.1.0"
