"""ipywidgets components and one app per dashboard."""
