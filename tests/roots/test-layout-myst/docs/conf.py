extensions = ["myst_parser", "sphinxext_quicktakes"]
project = "Layout"
nitpicky = True
quicktakes_base_url = "https://example.org/"
quicktakes_pages = {"learn": "../content/learn/**/*.md"}
