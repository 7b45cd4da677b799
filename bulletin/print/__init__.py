"""The print side: model → print HTML + CSS → WeasyPrint (confined fetcher) → checked PDF."""
