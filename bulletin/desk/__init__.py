"""`bulletin desk`: the editorial desk. This package's operations (articles, issues, order, checks,
imports, jobs, history) work on the project folder itself — the Markdown and YAML files stay the source of
truth — and know nothing of the web; the web application calls them."""
