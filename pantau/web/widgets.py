"""Widgets the pages share: a table in the user's language, a decimal input, CSV and XLSX downloads."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from pantau.i18n import t
from pantau.render import fmt
from pantau.web.session import logged, public_forced
from pantau.web.ui import current_lang


def dataframe(data, **kwargs):
    """st.dataframe, or a sentence in the user's language where there is no row (Streamlit's grid would
    say "empty" in English)."""
    frame = getattr(data, "data", data)  # a Styler holds its frame
    if frame is None or len(frame) == 0:
        st.caption(t("table.empty", current_lang()))
        return None
    return st.dataframe(data, **kwargs)


def decimal_input(label: str, value: float | None, key: str, lang: str, digits: int = 1) -> float | None:
    """A number typed the way the reader writes it ("7,5" in Indonesian, "7.5" in English); Streamlit's
    number_input shows a decimal point whatever the language. Returns None (with a message) when the
    text is not a number of zero or more."""
    if key not in st.session_state:
        st.session_state[key] = "" if value is None else fmt.number(value, lang, digits)
    text = st.text_input(label, key=key)
    if lang == "en":  # 7.5 and 1,250.5 as an English reader writes them
        try:
            number = float(text.replace(",", "").strip()) if text.strip() else None
        except ValueError:
            number = None
    else:
        number = fmt.parse_number_or_none(text) if text.strip() else None
    if text.strip() and (number is None or number < 0):
        st.error(t("input.not_number", lang, value=text), icon=":material/error:")
        return None
    return number


def downloads(frame_fn, file_name: str, sheet: str, lang: str) -> None:
    """CSV and XLSX buttons for the data behind a chart (a DataFrame, or the Styler the screen shows);
    the file is made only when clicked, with numbers as numbers in the language's CSV dialect."""
    from pantau.render import export

    forced = public_forced()
    with st.container(horizontal=True):
        public = forced or st.checkbox(t("export.public", lang), key=f"pub_{file_name}", help=t("export.public_help", lang))

    def shown() -> pd.DataFrame:
        frame = export.table_frame(frame_fn(), lang)
        return export.public_frame(frame) if public else frame

    what = file_name + (" (publik)" if public else "")
    with st.container(horizontal=True):
        st.download_button(t("tren.download_csv", lang), logged(what, lambda: export.csv_bytes(shown(), lang)),
                           f"{file_name}.csv",
                           "text/csv", icon=":material/download:", key=f"dl_{file_name}_csv", on_click="ignore")
        st.download_button(t("tren.download_xlsx", lang), logged(what, lambda: export.xlsx_bytes(shown(), sheet, lang)),
                           f"{file_name}.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                           icon=":material/download:", key=f"dl_{file_name}_xlsx", on_click="ignore")
