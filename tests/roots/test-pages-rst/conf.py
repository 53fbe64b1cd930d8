extensions = ["sphinxext_quicktakes"]
project = "Course"
nitpicky = True
quicktakes_base_url = "https://course.example/"
quicktakes_pages = ["questions/pages/*.md"]
