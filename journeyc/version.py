"""journeyc's version: a leaf module (the package's __init__ loads the whole
pipeline's API, so modules that only need the version import it from here)."""
__version__ = "0.1.0"
