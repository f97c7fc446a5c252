"""digest-reader: triage arXiv Markdown digests in the terminal."""

__version__ = "0.1.0"
