"""Renderers: take a view's model and give what a person sees or downloads: pydeck maps (`maps`) and plotly
charts (`charts`), small HTML and SVG pieces (`cards`), the offline deck as PPTX, PDF and PNG (`slides`),
downloads as CSV and XLSX (`export`), and numbers, rates and dates in the reader's language (`fmt`)."""
