"""`bulletin desk`: the editorial desk, a web application over the project folder (issue 14)."""
