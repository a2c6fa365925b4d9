"""Referral trees: the kiosk's questions, their conditions, and the outcome of every path.

``model`` holds the YAML models, ``checks`` and ``conditions`` the checks run at
validation, ``session`` and ``steps`` a kiosk session walking a tree, ``outcomes``
the typed outcomes, ``engine`` the engine performing them (``fd.referral``), and
``mermaid`` the drawing of a tree. Nothing is imported here, so that loading the
configuration models does not load the engines.
"""
