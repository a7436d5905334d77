"""The daily infrastructure status report: what happened on both campuses in one day, as HTML, PDF, Markdown
and JSON, and its delivery by mail."""
