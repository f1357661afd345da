"""Every Flask test client of the suite keeps the owner tokens of what it creates, as the page that created a game
or an experiment does (reliability_helpers.OwnerClient); tests of the owner rule use plain_client()."""
from __future__ import annotations

from flask import Flask

from reliability_helpers import OwnerClient

Flask.test_client_class = OwnerClient
