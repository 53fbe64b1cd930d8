extensions = ["myst_parser", "sphinxext_quicktakes"]
project = "Workbook"
author = "Teachers"
version = release = "1.0"
exclude_patterns = ["bank/**"]
quicktakes_answers = "hidden"
epub_copyright = "2026, Teachers"
