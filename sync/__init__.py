"""Where it goes: the delivery engine, one module per target kind, credentials in the keyring.

Never imports desktop/ or Qt (tests/test_house_rules.py)."""
