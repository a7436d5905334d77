"""The netops terminal dashboard (``netops tui``), built on Textual.

Imported only by ``netops tui``: the ``netops`` package never imports it.
"""
