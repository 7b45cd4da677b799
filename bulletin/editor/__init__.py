"""The editor's workflow: set up the next issue, add or import articles, preview while writing.

Each command reads and writes the same content tree the build reads, reports problems through the same
`Report`, and never overwrites a file that already exists.
"""
