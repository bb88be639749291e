"""Presentasi: the rakor on a projector, one topic a screen, keyboard to move; the same deck as PPTX and PDF."""

import html

import streamlit as st

from pantau.i18n import t
from pantau.render import cards, fmt, maps, pptx_deck, slides
from pantau.views import presentasi
from pantau.views.shared import is_demo, period_options
from pantau.web import fit, map_ui, session, ui

view = ui.page_view(indicator_widget=False)
lang, kota = view.lang, view.kota
today = ui.today()
periods = period_options(ui.run, kota)
with ui.guard(lang):
    wilayah = ui.run("kelurahan_by_kota", kota_kode=kota)
    geometry = ui.run("geometry_by_kota", kota_kode=kota)
    assets = map_ui.map_assets(kota, lang)
    demo_data = is_demo(ui.run)
kecamatan = wilayah[wilayah["tingkat"] == "kecamatan"]
kec_names = dict(zip(kecamatan["kode"], kecamatan["nama"]))
presenting = st.session_state.get("deck_on", False)

if not presenting:
    st.title(t("nav.presentasi", lang))
    st.caption(f"{(view.kota_nama if len(view.wilayah) < 5 else view.wilayah_nama)} · {fmt.period(view.periode, lang)}")
    st.subheader(t("deck.settings", lang))
    topics = st.multiselect(t("deck.topics", lang), list(presentasi.TOPICS), default=list(presentasi.TOPICS),
                            key="w_deck_topics", format_func=lambda k: t(f"deck.topic.{k}", lang))
    c1, c2 = st.columns(2)
    # A camat's deck is their kecamatan only; the whole-kota deck is for users of the whole kota.
    # A province's or the nation's scope (Lingkup on Ringkasan) has no deck: the rakor is a kota's.
    if len(view.wilayah) < 5:
        st.info(t("deck.per_kota", lang, kota=view.kota_nama), icon=":material/info:")
    scopes = [None, *kec_names] if view.wilayah in (kota, kota[:2], "") else [view.wilayah]
    scope = c1.selectbox(t("deck.scope", lang), scopes, key="w_deck_scope",
                         format_func=lambda k: t("deck.scope_kota", lang) if k is None else f"Kec. {kec_names[k]}")
    older = [p for p in periods if p < view.periode] or [view.periode]
    since = c2.selectbox(t("deck.since", lang), older, index=min(2, len(older) - 1), key="w_deck_since",
                         format_func=lambda p: fmt.period(p, lang))
    public = session.public_forced() or st.toggle(t("deck.public", lang), key="w_deck_public")
else:
    # The settings widgets are not drawn while presenting; their values were kept when the show started.
    topics, scope, since, public = st.session_state["deck_settings"]

options = presentasi.DeckOptions(kota, view.kota_nama, view.periode, view.sumber, since, scope, tuple(topics), public,
                                 demo_data, lang)
with ui.guard(lang):
    screens = presentasi.build(ui.run, options, today)

if not presenting:
    with st.container(horizontal=True):
        if st.button(t("deck.start", lang), type="primary", icon=":material/slideshow:", key="b_deck_start",
                     disabled=not screens):
            st.session_state.update(deck_on=True, deck_i=0, deck_settings=(topics, scope, since, public))
            st.rerun()
        name = f"pantau-rakor-{kota}-{view.periode}" + ("-publik" if public else "")
        what = f"deck {kota} {view.periode}" + (" publik" if public else "")
        st.download_button(t("deck.pptx", lang),
                           session.logged(f"{what} pptx", lambda: pptx_deck.pptx_bytes(screens, geometry, lang, demo_data)),
                           f"{name}.pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation",
                           icon=":material/download:", on_click="ignore", key="dl_deck_pptx")
        st.download_button(t("deck.pdf", lang),
                           session.logged(f"{what} pdf", lambda: slides.pdf_bytes(screens, geometry, lang, demo_data)),
                           f"{name}.pdf", "application/pdf", icon=":material/download:", on_click="ignore",
                           key="dl_deck_pdf")
    st.caption(t("deck.keys", lang))
    for i, screen in enumerate(screens, 1):
        st.markdown(f"**{i}. {screen.title}** — {screen.headline}")
    st.stop()

# Projector mode.
st.html(ui.PRESENT_CSS)
i = min(st.session_state.get("deck_i", 0), len(screens) - 1)


MAP_FIT = (520, 530)  # px: the smallest map area (1024x768, 1280x720) until the browser has told its size
MAP_ROWS, ROWS = 6, 8  # table rows beside a map, and alone; the rest as "… dan N lainnya"


def go(to: int) -> None:
    st.session_state["deck_i"] = max(0, min(to, len(screens) - 1))


def step(by: int) -> None:
    """Previous or next from the slide shown now: a clicker pressed twice before the page redrew still moves
    from where the first press went, not from the slide the buttons were drawn on."""
    go(st.session_state.get("deck_i", i) + by)


screen = screens[i]
# A slide is exactly one viewport (present.css): the headline, then the map beside its table (or the table, or
# the tiles) in the height left, the source line, and one slim row of controls that fades until the pointer comes.
with st.container(key="deck_slide", gap="small"):
    demo_mark = '<span class="pk-deck-demo">DEMO</span>' if demo_data else ""
    st.html(f'<div class="pk-deck-top">{demo_mark}<h1 class="pk-deck-title">{html.escape(screen.title)}</h1>'
            f'<p class="pk-deck-head">{html.escape(screen.headline)}</p></div>')
    if screen.topic == "judul":
        st.html(presentasi.tiles_html(screen))
    elif screen.model is not None:
        with st.container(horizontal=True, key="deck_body", gap="medium"):
            with st.container(key="deck_map"):
                kodes = screen.model.frame["kode"].tolist()
                bounds = presentasi.scope_bounds(geometry, kodes)
                chart = maps.choropleth_deck(assets, screen.model.frame, screen.model.classes, screen.model.colors,
                                             assets["labels"][assets["labels"]["kode"].isin(kodes)], None, lang,
                                             False, outlined=screen.outlined, label_size=18, bounds=bounds)
                # The whole kota (or kecamatan) fitted to the map area as this projector draws it.
                fit.chart(chart, "deck", height="stretch", bounds=bounds, fallback=MAP_FIT, key=f"deck_map_{i}")
            with st.container(key="deck_side"):
                st.html(cards.legend_html(screen.title, screen.model.legend))
                st.html(presentasi.table_html(screen.table, lang, MAP_ROWS))
    else:
        st.html(presentasi.table_html(screen.table, lang, ROWS))
    st.html(f'<div class="pk-deck-note">{html.escape(screen.note)}</div>')

with st.container(horizontal=True, vertical_alignment="center", key="deck_bar", gap="small"):
    st.button(t("deck.prev", lang), icon=":material/arrow_back:", shortcut="Left", on_click=step, args=(-1,),
              key="b_deck_prev", disabled=i == 0, type="tertiary")
    st.markdown(f"**{t('deck.position', lang, i=i + 1, n=len(screens))}**")
    st.button(t("deck.next", lang), icon=":material/arrow_forward:", shortcut="Right", on_click=step, args=(1,),
              key="b_deck_next", type="tertiary", disabled=i == len(screens) - 1)
    if screen.model is not None:
        st.download_button(t("deck.png", lang), lambda: slides.png_bytes(screen, geometry, lang, demo_data),
                           f"pantau-{kota}-{screen.indicator}-{view.periode}.png", "image/png", type="tertiary",
                           icon=":material/image:", on_click="ignore", key=f"dl_deck_png_{i}")
    if st.button(t("deck.stop", lang), shortcut="Esc", key="b_deck_stop", icon=":material/close:", type="tertiary"):
        st.session_state["deck_on"] = False
        st.rerun()

# Keys only, never seen (present.css): a clicker's PageUp/PageDown, 1-9 and 0 (the tenth) to jump, Home and
# End for the first and the last (a kota with SIGIZI has ten slides).
with st.container(key="deck_keys"):
    st.button("PageUp", shortcut="PageUp", on_click=step, args=(-1,), key="b_deck_pgup")
    st.button("PageDown", shortcut="PageDown", on_click=step, args=(1,), key="b_deck_pgdn")
    st.button("Home", shortcut="Home", on_click=go, args=(0,), key="b_deck_home")
    st.button("End", shortcut="End", on_click=go, args=(len(screens) - 1,), key="b_deck_end")
    for n in range(1, min(len(screens), 10) + 1):
        st.button(str(n % 10), shortcut=str(n % 10), on_click=go, args=(n - 1,), key=f"b_deck_{n}")
