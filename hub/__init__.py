"""The township hub: a web service over PostgreSQL where every laptop's records meet.

Optional (`pip install yici[hub]`, the `yici-hub` command); never imports Qt or `desktop/`.
docs/HUB.md is the guide for the township's IT staff and describes the API laptops speak.
"""
