"""Customized PDFs: fonts, fitting, validation, overlay rendering and sanitizing."""
