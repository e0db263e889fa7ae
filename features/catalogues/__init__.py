"""Catalogues declared once: case statuses, the labels of the portfolio's categories and the
languages. Everything else, the schema included, derives from them."""
