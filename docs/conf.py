"""Sphinx configuration for the hocus documentation (MyST Markdown pages)."""

project = "hocus"
author = "the hocus developers"
extensions = ["myst_parser"]
source_suffix = {".md": "markdown"}
exclude_patterns = ["_build"]
myst_heading_anchors = 3
html_theme = "alabaster"
