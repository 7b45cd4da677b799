"""Files → model: reading text safely, YAML with line numbers, issues and articles."""
