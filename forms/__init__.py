"""What is entered and kept: form definitions and their engine, and the local store (forms/store/).

Never imports sync/, desktop/ or Qt (tests/test_house_rules.py)."""
