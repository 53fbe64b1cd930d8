extensions = ["sphinxext_quicktakes"]
project = "Layout"
nitpicky = True
quicktakes_base_url = "https://example.org/"
quicktakes_pages = {
    "learn/biology": "../content/learn/biology/*.md",
    "learn/physics": ["../content/learn/physics/*.md"],
}
