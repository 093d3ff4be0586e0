"""Chinese newspaper pages → aligned bilingual HTML and JSON."""

__version__ = "0.1.0"
