"""A third-party project; the test builds it without and with sphinxext_quicktakes."""

extensions = ["myst_parser"]
project = "Third party"
nitpicky = True
myst_enable_extensions = ["dollarmath"]
exclude_patterns = ["README.md"]
