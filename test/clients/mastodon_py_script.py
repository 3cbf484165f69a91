"""Drives Atelier with Mastodon.py (Debian's python3-mastodon), as a Python bot would.

Two phases, run by test/clients/mastodon-py.test.ts:
  register BASE_URL            -> registers an app with Mastodon.create_app, prints its id and secret
  run BASE_URL CONFIG_JSON     -> signs in with the authorization code, runs every check, prints JSON

The client keeps the library's default version check ("created"): it reads /api/v1/instance/ and
refuses any endpoint newer than the version the server reports, so every check also proves the
reported version is high enough. Each check is one function in CHECKS; a failing check records its
error and the others still run, so the test shows everything that broke at once.
"""

import datetime
import json
import sys
import traceback

from mastodon import Mastodon

SCOPES = ["read", "write", "follow"]
OOB = "urn:ietf:wg:oauth:2.0:oob"


def sid(value):
    """Mastodon.py turns ids into Python ints; JSON numbers that long lose digits in JavaScript."""
    return None if value is None else str(value)


def ids(items):
    return [sid(item["id"]) for item in items]


def check_instance(ctx):
    me = ctx["alice"]
    v1 = me.instance()
    # Mastodon.py 1.8.0 has no instance_v2(); its own request helper reads the v2 entity.
    v2 = me._Mastodon__api_request("GET", "/api/v2/instance")
    return {
        "v1_uri": v1["uri"],
        "v1_version": v1["version"],
        "v2_domain": v2["domain"],
        "v2_version": v2["version"],
        "detected_version": [me.mastodon_major, me.mastodon_minor, me.mastodon_patch],
    }


def check_statuses(ctx):
    me = ctx["alice"]
    posted = me.status_post("Hello from Mastodon.py", visibility="public")
    ctx["alice_status"] = posted
    fetched = me.status(posted["id"])
    return {
        "id": sid(posted["id"]),
        "content": posted["content"],
        "visibility": posted["visibility"],
        "fetched_id": sid(fetched["id"]),
        "account": posted["account"]["acct"],
    }


def check_media(ctx):
    me = ctx["alice"]
    attachment = me.media_post(
        ctx["config"]["png"], mime_type="image/png", description="A tiny test square"
    )
    posted = me.status_post("A picture from Mastodon.py", media_ids=[attachment["id"]])
    return {
        "type": attachment["type"],
        "description": attachment["description"],
        "status_media": ids(posted["media_attachments"]),
        "attachment_id": sid(attachment["id"]),
        "status_id": sid(posted["id"]),
    }


def check_lists(ctx):
    me, bob = ctx["alice"], ctx["bob"]
    bob_id = ctx["config"]["bob_id"]
    relationship = me.account_follow(bob_id)
    created = me.list_create("Friends")
    me.list_accounts_add(created["id"], [bob_id])
    members = me.list_accounts(created["id"])
    bob_post = bob.status_post("Bob, seen through a list")
    timeline = me.timeline_list(created["id"])
    return {
        "following": relationship["following"],
        "title": created["title"],
        "lists": [entry["title"] for entry in me.lists()],
        "members": ids(members),
        "bob_status": sid(bob_post["id"]),
        "timeline": ids(timeline),
    }


def check_scheduled_statuses(ctx):
    me = ctx["alice"]
    when = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=2)
    scheduled = me.status_post("Later, from Mastodon.py", scheduled_at=when)
    listed = ids(me.scheduled_statuses())
    one = me.scheduled_status(scheduled["id"])
    me.scheduled_status_delete(scheduled["id"])
    return {
        "id": sid(scheduled["id"]),
        "text": scheduled["params"]["text"],
        "scheduled_at": str(scheduled["scheduled_at"]),
        "listed": listed,
        "fetched_id": sid(one["id"]),
        "listed_after_cancel": ids(me.scheduled_statuses()),
    }


def check_notifications(ctx):
    me, bob = ctx["alice"], ctx["bob"]
    target = ctx["alice_status"]
    bob.status_favourite(target["id"])
    mention = bob.status_post("@alice a mention from Mastodon.py")
    found = me.notifications()
    return {
        "mention_id": sid(mention["id"]),
        "notifications": [
            {
                "type": n["type"],
                "account": n["account"]["acct"],
                "status": sid(n["status"]["id"]) if n.get("status") else None,
            }
            for n in found
        ],
    }


def check_search(ctx):
    me = ctx["alice"]
    mine = me.search("from:me", result_type="statuses")
    words = me.search("Mastodon.py picture", result_type="statuses")
    people = me.search("bob", result_type="accounts")
    return {
        "from_me": ids(mine["statuses"]),
        "words": ids(words["statuses"]),
        "accounts": [a["acct"] for a in people["accounts"]],
    }


def check_filters(ctx):
    me, bob = ctx["alice"], ctx["bob"]
    created = me.filter_create("rhubarb", ["home"], irreversible=False, whole_word=True)
    hidden = me.filter_create("parsnip", ["home"], irreversible=True, whole_word=True)
    warned = bob.status_post("Rhubarb season at the harbour")
    dropped = bob.status_post("A parsnip, drawn by a model")
    home = me.timeline_home(limit=40)
    shown = {sid(s["id"]): s for s in home}
    warned_entry = shown.get(sid(warned["id"]))
    listed = [f["phrase"] for f in me.filters()]
    me.filter_delete(created["id"])
    me.filter_delete(hidden["id"])
    return {
        "phrase": created["phrase"],
        "context": created["context"],
        "listed": sorted(listed),
        "warned_id": sid(warned["id"]),
        "warned_in_home": warned_entry is not None,
        "warned_filtered": [
            {"title": f["filter"]["title"], "keywords": f["keyword_matches"]}
            for f in (warned_entry or {}).get("filtered", [])
        ],
        "dropped_in_home": sid(dropped["id"]) in shown,
        "listed_after_delete": [f["phrase"] for f in me.filters()],
    }


def check_polls(ctx):
    me, bob = ctx["alice"], ctx["bob"]
    question = bob.make_poll(["Watercolour", "Ink", "Risograph"], expires_in=3600, multiple=True)
    posted = bob.status_post("Which style next?", poll=question)
    poll_id = posted["poll"]["id"]
    # Mastodon.py 1.8.0's poll_vote sends the vote but returns nothing: read the poll back.
    me.poll_vote(poll_id, [0, 2])
    again = me.poll(poll_id)
    return {
        "options": [o["title"] for o in posted["poll"]["options"]],
        "multiple": posted["poll"]["multiple"],
        "voted": again["voted"],
        "own_votes": again["own_votes"],
        "counts": [o["votes_count"] for o in again["options"]],
        "voters_count": again["voters_count"],
    }


def check_pins_and_conversations(ctx):
    me, bob = ctx["alice"], ctx["bob"]
    mine = ctx["alice_status"]
    me.status_pin(mine["id"])
    pinned = me.account_statuses(ctx["config"]["alice_id"], pinned=True)
    me.status_unpin(mine["id"])
    direct = bob.status_post("@alice just between us", visibility="direct")
    conversations = me.conversations()
    return {
        "pinned": ids(pinned),
        "direct_id": sid(direct["id"]),
        "conversations": [
            {"last_status": sid(c["last_status"]["id"]), "unread": c["unread"]}
            for c in conversations
        ],
    }


def check_domain_blocks(ctx):
    me = ctx["alice"]
    me.domain_block("spam.example")
    blocked = me.domain_blocks()
    me.domain_unblock("spam.example")
    return {"blocked": list(blocked), "after_unblock": list(me.domain_blocks())}


# Order matters: statuses makes the post that notifications favourites and pins pin.
CHECKS = [
    ("instance", check_instance),
    ("statuses", check_statuses),
    ("media", check_media),
    ("lists", check_lists),
    ("scheduled_statuses", check_scheduled_statuses),
    ("notifications", check_notifications),
    ("search", check_search),
    ("filters", check_filters),
    ("polls", check_polls),
    ("pins_and_conversations", check_pins_and_conversations),
    ("domain_blocks", check_domain_blocks),
]


def register(base_url):
    client_id, client_secret = Mastodon.create_app(
        "Mastodon.py test", scopes=SCOPES, redirect_uris=OOB, api_base_url=base_url
    )
    print(json.dumps({"client_id": client_id, "client_secret": client_secret}))


def run(base_url, config):
    app = Mastodon(
        client_id=config["client_id"],
        client_secret=config["client_secret"],
        api_base_url=base_url,
    )
    access_token = app.log_in(code=config["code"], redirect_uri=OOB, scopes=SCOPES)
    ctx = {
        "config": config,
        "alice": Mastodon(api_base_url=base_url, access_token=access_token),
        "bob": Mastodon(api_base_url=base_url, access_token=config["bob_token"]),
    }
    results = {"me": ctx["alice"].me()["acct"]}
    for name, check in CHECKS:
        try:
            results[name] = check(ctx)
        except Exception as error:  # noqa: BLE001 - report every failure, keep checking
            results[name] = {"error": f"{type(error).__name__}: {error}"}
            print(traceback.format_exc(), file=sys.stderr)
    print(json.dumps(results, default=str))


if __name__ == "__main__":
    if sys.argv[1] == "register":
        register(sys.argv[2])
    else:
        run(sys.argv[2], json.loads(sys.argv[3]))
