"""A third-party project; the test builds it without and with sphinxext_quicktakes."""

extensions = []
project = "Third party"
nitpicky = True
