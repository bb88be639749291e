"""Pantau Kota: `streamlit run app.py`.

Streamlit runs this file as the script of every page (`__name__ == "__main__"`): the navigation.
`streamlit run` first reads it for an ASGI app (`st.App`) and, finding one, imports it as the module
`app` to serve it: the lake is then warmed (pandas, DuckDB, the briefing's queries, the demo built when
the lake is empty) before the server answers, so the first visitor does not pay for it.
"""

if __name__ == "__main__":
    from pantau.web import navigation

    navigation.run()
else:
    from streamlit.starlette import App

    from pantau.web.serve import lifespan

    app = App("app.py", lifespan=lifespan)
