"""The Streamlit glue, the only package that imports Streamlit: cached lake access, view state and the
shared widgets (`ui`), who may see and do what (`access`, itself free of Streamlit), and starting the
server (`serve`). Pages in `pages/` use it for widgets and layout only."""
