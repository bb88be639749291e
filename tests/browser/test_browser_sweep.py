"""Issue 16, in a real browser: a sample of the sweep's URLs (tests/web/test_sweep.py) through `streamlit run`
in Debian's Chromium, as tests/browser/test_browser.py drives it: no Streamlit error box, no "Page not found"
dialog, no request that leaves this machine. Two servers: the demo lake, and its copy after one upload.
"""

from __future__ import annotations

from urllib.parse import urlencode

import pytest

from bench import harness
from tests.sweep import TODAY, cases_for, lake_info, make_upload_lake, url_of

APP = harness.ROOT / "app.py"

# (page, what the sampled case must have): the first case of the page's all-pairs set that fits.
SAMPLE = [
    ("ringkasan", {"adres": "root", "month": "after_upload"}),  # / after the upload, no periode
    ("ringkasan", {"adres": "ringkasan", "lingkup": "provinsi"}),  # /ringkasan
    ("peta", {"month": "after_upload_nov"}),
    ("wilayah", {"lingkup": "provinsi"}),
    ("tren", {"month": "unreported"}),
    ("rekonsiliasi", {"lingkup": "nasional"}),
    ("drainase", {"month": "newest"}),
    ("prioritas", {"lingkup": "provinsi"}),
    ("tindak_lanjut", {"month": "oldest"}),
    ("presentasi", {"lingkup": "provinsi"}),
    ("data", {"month": "after_upload"}),
]


def sample(lakes: dict) -> list[tuple[str, str, dict]]:
    out = []
    for page, wanted in SAMPLE:
        case = next(c for c in cases_for(page) if all(c.get(k) == v for k, v in wanted.items()))
        out.append(url_of(page, case, lakes))
    return out


@pytest.fixture(scope="module")
def lakes(demo_lake, tmp_path_factory) -> dict:
    upload = make_upload_lake(demo_lake.path, tmp_path_factory.mktemp("browser_sweep") / "lake")
    return {"demo": lake_info(demo_lake), "upload": lake_info(upload)}


@pytest.fixture(scope="module")
def servers(lakes):
    with harness.streamlit_server(APP, env={"PANTAU_LAKE": str(lakes["demo"]["path"]), "PANTAU_TODAY": TODAY}) as demo, \
         harness.streamlit_server(APP, env={"PANTAU_LAKE": str(lakes["upload"]["path"]), "PANTAU_TODAY": TODAY}) as up:
        yield {"demo": demo, "upload": up}


def _settled(pg) -> None:
    """Wait for the page's title, then for Streamlit to stop running the script."""
    pg.locator("h1").first.wait_for(state="visible", timeout=60_000)
    for _ in range(2):  # a page visited first reruns once through app.py
        pg.wait_for_function("() => !document.querySelector('[data-testid=stStatusWidget]')", timeout=60_000)
        pg.wait_for_timeout(1000)


def test_a_sample_of_the_sweep_in_chromium(lakes, servers, browser):
    urls = sample(lakes)
    assert len(urls) >= 10 and any(path == "/ringkasan" for _, path, _ in urls)
    failures = []
    for lake, path, params in urls:
        url = f"{servers[lake]}{path}?{urlencode(params)}"
        where = f"[{lake} lake] {path}?{urlencode(params)}"
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        pg = context.new_page()
        outside = []
        pg.on("request", lambda r: None if harness.is_local(r.url) else outside.append(r.url))
        try:
            pg.goto(url)
            _settled(pg)
            found = []
            for box in ("stException", "stAlertContentError"):
                texts = pg.locator(f"[data-testid={box}]").all_inner_texts()
                found += [f"{box}: {text.strip()[:300]}" for text in texts]
            if pg.get_by_text("Page not found", exact=False).count():
                found.append("'Page not found' dialog")
            if outside:
                found.append(f"requests beyond localhost: {sorted(set(outside))[:5]}")
        except Exception as exc:  # noqa: BLE001 - a page that never settles is a failure of this URL
            found = [f"{type(exc).__name__}: {str(exc).splitlines()[0]}"]
        finally:
            context.close()
        if found:
            failures.append(f"{where}\n    " + "\n    ".join(found))
    print(f"browser sweep: {len(urls)} URLs")
    if failures:
        pytest.fail(f"{len(failures)} of {len(urls)} URLs failed:\n" + "\n".join(failures), pytrace=False)
