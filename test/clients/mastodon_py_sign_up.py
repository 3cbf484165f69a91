"""Mastodon.py's create_account against an Atelier instance: signs up one account, then tries the same
name again with return_detailed_error, printing both results as JSON."""

import json
import sys

from mastodon import Mastodon

SCOPES = ["read", "write", "follow"]


def main(base_url):
    client_id, client_secret = Mastodon.create_app(
        "Mastodon.py sign-up", scopes=SCOPES, api_base_url=base_url
    )
    api = Mastodon(client_id=client_id, client_secret=client_secret, api_base_url=base_url)
    token = api.create_account(
        "pythonista",
        "a long enough password",
        "pythonista@example.com",
        agreement=True,
        locale="en",
        scopes=SCOPES,
    )
    again = Mastodon(client_id=client_id, client_secret=client_secret, api_base_url=base_url)
    _, error = again.create_account(
        "pythonista",
        "a long enough password",
        "other@example.com",
        agreement=True,
        scopes=SCOPES,
        return_detailed_error=True,
    )
    print(json.dumps({"token": token, "taken": error}))


if __name__ == "__main__":
    main(sys.argv[1])
