"""Views, one module per page: takes a query runner `run(name, **params) -> DataFrame` and the page's
choices, applies the domain rules, and gives the model that page shows (figures, tables, texts in the
reader's language); what several pages use (the view state, values per part of a wilayah, the
choropleth model) is in `shared`. No Streamlit here, so every view runs in tests and on the command line."""
