"""Package data: the HTML report's jinja2 templates, CSS and JavaScript (a package so they ship)."""
