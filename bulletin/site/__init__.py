"""The archive site: model → pages (HTML, feeds, search index)."""
