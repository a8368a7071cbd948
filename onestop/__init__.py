"""OneStop: a one-stop government service platform for investors and enterprises."""

__version__ = "0.1.0"
