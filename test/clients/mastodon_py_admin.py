"""Drives Atelier's admin API with Mastodon.py (Debian's python3-mastodon), as a moderation bot would.

Run by test/clients/mastodon-py-admin.test.ts:
  run BASE_URL CONFIG_JSON  -> with an administrator's token (admin:read admin:write) and a user's,
                               runs every check and prints what the server answered as JSON

The client keeps the library's default version check, so each admin method also proves the version the
server reports is high enough for it. Each check is one function in CHECKS; a failing check records its
error and the others still run. Mastodon.py 1.8 has no domain-allow methods: that check uses the
library's own request helper, as check_instance in mastodon_py_script.py does for /api/v2/instance.
"""

import json
import sys
import traceback

from mastodon import Mastodon


def sid(value):
    """Mastodon.py turns ids into Python ints; JSON numbers that long lose digits in JavaScript."""
    return None if value is None else str(value)


def check_accounts(ctx):
    admin = ctx["admin"]
    local = admin.admin_accounts_v2(origin="local")
    one = admin.admin_account(ctx["config"]["bob_id"])
    return {
        "local_usernames": sorted(a["username"] for a in local),
        "bob_id": sid(one["id"]),
        "bob_username": one["username"],
        "bob_account_id": sid(one["account"]["id"]),
        "bob_silenced": one["silenced"],
    }


def check_silence(ctx):
    admin = ctx["admin"]
    bob_id = ctx["config"]["bob_id"]
    admin.admin_account_moderate(bob_id, action="silence", text="Too loud")
    silenced = admin.admin_account(bob_id)
    unsilenced = admin.admin_account_unsilence(bob_id)
    return {
        "silenced_after_moderate": silenced["silenced"],
        "silenced_after_unsilence": unsilenced["silenced"],
        "again": admin.admin_account(bob_id)["silenced"],
    }


def check_reports(ctx):
    admin = ctx["admin"]
    filed = ctx["bob"].report(ctx["config"]["carol_id"], comment="Spam from carol", category="spam")
    open_reports = admin.admin_reports()
    resolved = admin.admin_report_resolve(filed["id"])
    return {
        "filed_id": sid(filed["id"]),
        "open_ids": [sid(r["id"]) for r in open_reports],
        "open_target": [sid(r["target_account"]["id"]) for r in open_reports],
        "open_comment": [r["comment"] for r in open_reports],
        "resolved_id": sid(resolved["id"]),
        "resolved_action_taken": resolved["action_taken"],
        "open_after": [sid(r["id"]) for r in admin.admin_reports()],
        "resolved_listed": [sid(r["id"]) for r in admin.admin_reports(resolved=True)],
    }


def check_domain_blocks(ctx):
    admin = ctx["admin"]
    created = admin.admin_create_domain_block(
        "spam.example", severity="suspend", public_comment="Spam waves"
    )
    listed = admin.admin_domain_blocks()
    one = admin.admin_domain_blocks(id=created["id"])
    admin.admin_delete_domain_block(created["id"])
    return {
        "created_id": sid(created["id"]),
        "created_domain": created["domain"],
        "severity": created["severity"],
        "public_comment": created["public_comment"],
        "listed": [[sid(b["id"]), b["domain"]] for b in listed],
        "one_domain": one["domain"],
        "after_delete": [b["domain"] for b in admin.admin_domain_blocks()],
    }


def check_domain_allows(ctx):
    request = ctx["admin"]._Mastodon__api_request
    created = request("POST", "/api/v1/admin/domain_allows", {"domain": "Friends.Example"})
    listed = request("GET", "/api/v1/admin/domain_allows")
    one = request("GET", "/api/v1/admin/domain_allows/%s" % created["id"])
    request("DELETE", "/api/v1/admin/domain_allows/%s" % created["id"])
    return {
        "created_id": sid(created["id"]),
        "created_domain": created["domain"],
        "listed": [[sid(a["id"]), a["domain"]] for a in listed],
        "one_domain": one["domain"],
        "after_delete": request("GET", "/api/v1/admin/domain_allows"),
    }


CHECKS = [
    ("accounts", check_accounts),
    ("silence", check_silence),
    ("reports", check_reports),
    ("domain_blocks", check_domain_blocks),
    ("domain_allows", check_domain_allows),
]


def run(base_url, config):
    ctx = {
        "config": config,
        "admin": Mastodon(api_base_url=base_url, access_token=config["admin_token"]),
        "bob": Mastodon(api_base_url=base_url, access_token=config["bob_token"]),
    }
    results = {"me": ctx["admin"].me()["acct"]}
    for name, check in CHECKS:
        try:
            results[name] = check(ctx)
        except Exception as error:  # noqa: BLE001 - report every failure, keep checking
            results[name] = {"error": "%s: %s" % (type(error).__name__, error)}
            print(traceback.format_exc(), file=sys.stderr)
    print(json.dumps(results, default=str))


if __name__ == "__main__":
    run(sys.argv[2], json.loads(sys.argv[3]))
