"""The Streamlit glue, the only package that imports Streamlit: cached lake access, the query runner, page setup
and the view sidebar (`ui`), sign-in, the session and the audit log (`session`), the maps' shape files, PNG and
clicks (`map_ui`), shared widgets and downloads (`widgets`), who may see and do what (`access`, itself free of
Streamlit), starting the server (`serve`) and checking a deployment (`doctor`). Pages in `pages/` use it for
widgets and layout only."""
