"""Drives Atelier's quotes (Mastodon 4.5) and Pleroma's emoji reactions with Mastodon.py.

Run by test/clients/mastodon-py-quotes.test.ts:
  run BASE_URL CONFIG_JSON  -> with two users' tokens (alice, the author; bob, who quotes and
                               reacts), runs every check and prints the answers as JSON

Debian's Mastodon.py 1.8 has neither quote nor reaction methods: those calls go through the
library's own request helper, which still checks errors and parses the entities (ids, dates) as its
methods do. Each check is one function in CHECKS; a failing check records its error, the others run.
"""

import json
import sys
import traceback
from urllib.parse import quote as urlquote

from mastodon import Mastodon, MastodonAPIError

EMOJI = "\U0001f3a8"  # the artist palette, a unicode emoji


def sid(value):
    """Mastodon.py turns ids into Python ints; JSON numbers that long lose digits in JavaScript."""
    return None if value is None else str(value)


def request(client):
    return client._Mastodon__api_request


def refusal(call):
    """The HTTP status and message of the API error Mastodon.py raises; None if none is raised."""
    try:
        call()
    except MastodonAPIError as error:
        return {"status": error.args[1], "message": error.args[3]}
    return None


def shown_quote(status):
    q = status["quote"]
    if q is None:
        return None
    inner = q.get("quoted_status")
    return {"state": q["state"], "quoted_status_id": sid(inner["id"]) if inner else None}


def check_quotes(ctx):
    alice, bob = ctx["alice"], ctx["bob"]
    original = request(alice)(
        "POST",
        "/api/v1/statuses",
        {
            "status": "Quote me, followers",
            "visibility": "public",
            "quote_approval_policy": "followers",
        },
    )
    oid = original["id"]

    def quote(text):
        return request(bob)("POST", "/api/v1/statuses", {"status": text, "quoted_status_id": oid})

    stranger_view = bob.status(oid)["quote_approval"]
    refused = refusal(lambda: quote("Not a follower yet"))
    relationship = bob.account_follow(ctx["config"]["alice_id"])
    follower_view = bob.status(oid)["quote_approval"]
    accepted = quote("Now a follower")
    listed = request(alice)("GET", "/api/v1/statuses/%s/quotes" % oid)
    told = alice.notifications(types=["quote"])
    revoke = "/api/v1/statuses/%s/quotes/%s/revoke" % (oid, accepted["id"])
    revoked = request(alice)("POST", revoke)
    return {
        "original_id": sid(oid),
        "policy": original["quote_approval"],
        "stranger_current_user": stranger_view["current_user"],
        "refused": refused,
        "following": relationship["following"],
        "follower_current_user": follower_view["current_user"],
        "quote_id": sid(accepted["id"]),
        "accepted": shown_quote(accepted),
        "listed": [sid(s["id"]) for s in listed],
        "notified": [[n["type"], sid(n["account"]["id"]), sid(n["status"]["id"])] for n in told],
        "revoked_id": sid(revoked["id"]),
        "revoked": shown_quote(revoked),
        "seen_by_bob": shown_quote(bob.status(accepted["id"])),
        "listed_after": [
            sid(s["id"]) for s in request(alice)("GET", "/api/v1/statuses/%s/quotes" % oid)
        ],
    }


def reactions_of(status):
    return [[r["name"], r["count"], r["me"]] for r in status["pleroma"]["emoji_reactions"]]


def check_reactions(ctx):
    alice, bob = ctx["alice"], ctx["bob"]
    posted = alice.status_post("React to this", visibility="public")
    path = "/api/v1/pleroma/statuses/%s/reactions" % posted["id"]
    one = "%s/%s" % (path, urlquote(EMOJI, safe=""))
    reacted = request(bob)("PUT", one)
    by_bob = request(bob)("GET", path)
    by_alice = request(alice)("GET", path)
    told = alice.notifications(types=["pleroma:emoji_reaction"])
    unreacted = request(bob)("DELETE", one)
    return {
        "status_id": sid(posted["id"]),
        "bob_id": ctx["config"]["bob_id"],
        "reacted_status": [sid(reacted["id"]), reactions_of(reacted)],
        "listed_for_bob": [
            [r["name"], r["count"], r["me"], [sid(a["id"]) for a in r["accounts"]]] for r in by_bob
        ],
        "listed_for_alice": [[r["name"], r["count"], r["me"]] for r in by_alice],
        "notified": [
            [n["type"], sid(n["account"]["id"]), sid(n["status"]["id"]), n.get("emoji")]
            for n in told
        ],
        # Mastodon's own clients do not know the type: a plain list leaves it out.
        "plain_types": sorted({n["type"] for n in alice.notifications()}),
        "unreacted_status": reactions_of(unreacted),
        "listed_after": request(bob)("GET", path),
        "seen_after": reactions_of(bob.status(posted["id"])),
    }


CHECKS = [
    ("quotes", check_quotes),
    ("reactions", check_reactions),
]


def run(base_url, config):
    ctx = {
        "config": config,
        "alice": Mastodon(api_base_url=base_url, access_token=config["alice_token"]),
        "bob": Mastodon(api_base_url=base_url, access_token=config["bob_token"]),
    }
    results = {"me": [ctx["alice"].me()["acct"], ctx["bob"].me()["acct"]]}
    for name, check in CHECKS:
        try:
            results[name] = check(ctx)
        except Exception as error:  # noqa: BLE001 - report every failure, keep checking
            results[name] = {"error": "%s: %s" % (type(error).__name__, error)}
            print(traceback.format_exc(), file=sys.stderr)
    print(json.dumps(results, default=str))


if __name__ == "__main__":
    run(sys.argv[2], json.loads(sys.argv[3]))
