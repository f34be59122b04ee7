"""The MkDocs process's side of a page: read it, plan what to run, verify claims, put results in place.

Nothing here runs a page's code, and nothing here imports :mod:`reckon.run`: what comes back from a
page process arrives as the plain data of :mod:`reckon.wire`.
"""
