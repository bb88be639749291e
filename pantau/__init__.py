"""Pantau Kota: social indicators per kelurahan for a city government."""

__version__ = "0.1.0"
