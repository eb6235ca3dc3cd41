"""English catalogue: each module defines EN = {'中文': 'English'} for one feature."""
