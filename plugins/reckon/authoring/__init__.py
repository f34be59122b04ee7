"""What pages import to write with: :class:`~reckon.authoring.formula.Formula`,
:class:`~reckon.authoring.table.Table`, and :mod:`~reckon.authoring.theme`'s palette-aware colours.

Plain Python, with no import of MkDocs, NumPy or matplotlib.
"""
