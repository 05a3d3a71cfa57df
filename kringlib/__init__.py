"""kringlib: formulas, rules and workflows of the Kring Pajak 1500200 supervisor workbench."""

__version__ = "0.1.0"
