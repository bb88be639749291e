"""The floor: the smallest Streamlit page, started and loaded the same way as Pantau."""

import streamlit as st

st.title("Hello")
