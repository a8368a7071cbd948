"""The policies router of the one API (mounted in onestop/api.py)."""

from ninja import Router

router = Router(tags=["policies"])
