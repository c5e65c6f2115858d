"""The web client's JSON-RPC calls, on a requests-like session (requests.Session
or Locust's HttpSession): log in, call a model method, press a button, open a
page. Shared by the load test and the replica benchmark."""

import itertools

_ids = itertools.count(1)


class OdooError(Exception):
    """An error returned by Odoo (UserError, AccessError, ...)."""


def _payload(params):
    return {"jsonrpc": "2.0", "method": "call", "id": next(_ids), "params": params}


def _result(response):
    response.raise_for_status()
    body = response.json()
    if "error" in body:
        error = body["error"]
        raise OdooError(error.get("data", {}).get("message") or error.get("message"))
    return body["result"]


def post(session, url, path, params, **kwargs):
    return _result(session.post(f"{url}{path}", json=_payload(params), **kwargs))


def login(session, url, db, login_name, password, **kwargs):
    result = post(
        session,
        url,
        "/web/session/authenticate",
        {"db": db, "login": login_name, "password": password},
        **kwargs,
    )
    if not result.get("uid"):
        raise OdooError(f"{login_name} could not log in")
    return result["uid"]


def call(session, url, model, method, *args, kw=None, **kwargs):
    """model.method(*args, **kw) as /web/dataset/call_kw (read-only methods
    run on a replica when Odoo has one)."""
    return post(
        session,
        url,
        f"/web/dataset/call_kw/{model}/{method}",
        {"model": model, "method": method, "args": list(args), "kwargs": kw or {}},
        **kwargs,
    )


def button(session, url, model, method, ids, *, context=None, **kwargs):
    """A button of type object, as /web/dataset/call_button."""
    return post(
        session,
        url,
        f"/web/dataset/call_button/{model}/{method}",
        {
            "model": model,
            "method": method,
            "args": [ids],
            "kwargs": {"context": context or {}},
        },
        **kwargs,
    )
