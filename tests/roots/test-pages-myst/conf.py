extensions = ["myst_parser", "sphinxext_quicktakes"]
project = "Course"
nitpicky = True
quicktakes_base_url = "https://course.example/"
exclude_patterns = ["questions/good/**"]  # a MyST project reads every .md file as a page
quicktakes_pages = ["questions/pages/*.md"]
