"""The sign-off report as a document: built from logged attempts, signed, rendered.

``document`` builds ``signoff.json`` (the one source), ``canonical`` and ``signing`` make it
tamper-evident, ``html`` renders it, ``verify`` checks a JSON or PDF report. Pure: no Qt, no I/O.
"""
