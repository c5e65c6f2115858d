"""What the benchmarks share (run as scripts from this folder, they import it
as ``_common``)."""

from odoo import Command


def bench_user(env, login, groups, name=None):
    """A user of the benchmark in ``groups`` (XML ids), with an email address
    (the chatter needs a sender) and no password-reset mail."""
    return (
        env["res.users"]
        .with_context(no_reset_password=True)
        .create(
            {
                "name": name or login,
                "login": login,
                "email": f"{login}@example.com",
                "groups_id": [Command.link(env.ref(g).id) for g in groups],
            }
        )
    )
