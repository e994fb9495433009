"""HTTP service: the JSON API for intake forms and the web page for case officers."""
