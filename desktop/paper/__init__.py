"""Printing: a `forms.paper.Paper` as a PDF, on the system printer, or in a print preview.

pages.py lays the HTML out on A4 and paints each sheet; fonts.py is the bundled CJK font;
pdf.py writes PDF files (also with no display, for the command line); printing.py is the
window's print preview and printer.
"""
