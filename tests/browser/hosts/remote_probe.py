"""Run inside another network namespace: open the app at the host's address in Chromium and print what a
person on that other computer sees (the page text and the navigation links) as JSON; given a user name and
a password (argv 3 and 4), sign in and report what is seen after too."""

import json
import sys

from playwright.sync_api import sync_playwright

sys.path.insert(0, sys.argv[2])
from bench import harness  # noqa: E402

url = sys.argv[1]
with sync_playwright() as p:
    browser = harness.launch(p)
    page = browser.new_page()
    page.goto(url)
    page.wait_for_selector("[data-testid=stMain] h1, [data-testid=stMain] [data-testid=stForm]", timeout=90_000)
    page.wait_for_timeout(2500)
    nav = page.locator("[data-testid=stSidebarNav] a").all_inner_texts()
    # What the other computer could still click: every link in the page (none may lead to a data page).
    seen = {"text": page.locator("[data-testid=stMain]").inner_text(), "nav": nav}
    if len(sys.argv) > 4:  # then sign in with these and report what is seen after
        fields = page.locator("[data-testid=stForm] input")
        fields.nth(0).fill(sys.argv[3])
        fields.nth(1).fill(sys.argv[4])
        page.locator("[data-testid=stFormSubmitButton] button").click()
        page.wait_for_selector("[data-testid=stSidebarNav] a", timeout=90_000)
        page.wait_for_timeout(2500)
        seen["after"] = {"text": page.locator("[data-testid=stMain]").inner_text(),
                         "nav": page.locator("[data-testid=stSidebarNav] a").all_inner_texts()}
    print(json.dumps(seen))
    browser.close()
