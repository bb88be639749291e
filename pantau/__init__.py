"""Pantau Kota: social indicators per kelurahan for a city government."""

__version__ = "0.1.0"

import pandas as _pd

# Strings in NumPy object arrays rather than Arrow: the app's frames are small (a kota's kelurahan),
# where each Arrow call's fixed cost dominates; Streamlit's table styling writes cell by cell.
_pd.options.mode.string_storage = "python"
