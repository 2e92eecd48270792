"""The packaging tests run against a built bundle only: YICI_BUNDLE=dist/yici (see test_bundle.py)."""


def pytest_configure(config):
    config.addinivalue_line("markers", "packaging: runs the built bundle; needs YICI_BUNDLE=dist/yici")
