"""Browser tests: the lessons in JupyterLab, driven by headless Chromium."""
