"""Filling a platform's web form in the browser the cadre already has (docs/PLATFORMS.md).

`devtools` starts that browser (Edge or Chrome on Windows; Chromium or a Chromium-based browser
such as UOS's on Linux) and speaks the Chrome DevTools Protocol to it over `websocket`, a client
of our own; `page` does what a person does on one tab; `recipe` reads and checks the YAML that
says how to fill one platform's form.
"""
