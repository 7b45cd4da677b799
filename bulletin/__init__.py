"""bulletin: build a Chinese internal bulletin's archive site and print-ready PDFs from Markdown."""

__version__ = "0.1.0"
