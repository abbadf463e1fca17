"""The console's web app (aiohttp): the page, its static files and the JSON API.

Without a session every route answers 401 (the page's 401 carries the login form); the
login routes are the only ones that take a request without one. Forms and state-changing
calls carry the session's CSRF token (``X-CSRF-Token`` or a ``csrf`` field).
"""

from __future__ import annotations

import csv
import io
import json
import secrets
from datetime import date, timedelta
from html import escape
from pathlib import Path
from typing import Awaitable, Callable, Optional, Tuple

from aiohttp import web

from console.accounts import Accounts, Session
from console.stats import Feed

STATIC = Path(__file__).parent / "static"
COOKIE = "console_session"
LOGIN_CSRF_COOKIE = "console_login_csrf"
OPEN_ROUTES = {("POST", "/console/api/login"), ("POST", "/console/login")}
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def _secure(request: web.Request) -> bool:
    return request.secure or request.headers.get("X-Forwarded-Proto", "") == "https"


def _address(request: web.Request) -> str:
    return request.remote or "?"


def _login_page(request: web.Request, message: str = "") -> web.Response:
    token = secrets.token_urlsafe(24)
    body = (STATIC / "login.html").read_text(encoding="utf-8")
    body = body.replace("{{csrf}}", token).replace("{{message}}", escape(message))
    response = web.Response(status=401, text=body, content_type="text/html")
    response.set_cookie(LOGIN_CSRF_COOKIE, token, httponly=True, samesite="Strict", secure=_secure(request))
    return response


@web.middleware
async def guard(request: web.Request, handler: Handler) -> web.StreamResponse:
    accounts: Accounts = request.app["accounts"]
    if (request.method, request.path) not in OPEN_ROUTES:
        session = accounts.session(request.cookies.get(COOKIE))
        if session is None:
            if request.method == "GET" and request.path == "/":
                response: web.StreamResponse = _login_page(request)
            else:
                response = web.json_response({"error": "login required"}, status=401)
            response.headers.update(SECURITY_HEADERS)
            return response
        if request.method not in ("GET", "HEAD"):
            form = await request.post() if request.content_type == "application/x-www-form-urlencoded" else {}
            sent = request.headers.get("X-CSRF-Token") or form.get("csrf")
            if not sent or not secrets.compare_digest(str(sent), session.csrf):
                return web.json_response({"error": "missing or wrong CSRF token"}, status=403)
        request["session"] = session
    response = await handler(request)
    response.headers.update(SECURITY_HEADERS)
    return response


def _session(request: web.Request) -> Session:
    return request["session"]


def _require(request: web.Request, *roles: str) -> None:
    if _session(request).role not in roles:
        raise web.HTTPForbidden(
            text=json.dumps({"error": "not allowed for this role"}), content_type="application/json"
        )


def _range(request: web.Request) -> Tuple[date, date]:
    try:
        end = date.fromisoformat(request.query["to"]) if request.query.get("to") else date.today()
        start = date.fromisoformat(request.query["from"]) if request.query.get("from") else end - timedelta(days=29)
    except ValueError:
        raise web.HTTPBadRequest(
            text=json.dumps({"error": "dates are YYYY-MM-DD"}), content_type="application/json"
        ) from None
    if start > end:
        raise web.HTTPBadRequest(text=json.dumps({"error": "'from' is after 'to'"}), content_type="application/json")
    return start, end


def _set_session_cookie(request: web.Request, response: web.StreamResponse, token: str) -> None:
    from console.accounts import SESSION_SECONDS

    response.set_cookie(
        COOKIE, token, max_age=SESSION_SECONDS, httponly=True, samesite="Strict", secure=_secure(request), path="/"
    )


async def _check_login(request: web.Request, name: str, password: str) -> Optional[str]:
    accounts: Accounts = request.app["accounts"]
    if accounts.throttled("name:" + name, "address:" + _address(request)):
        raise web.HTTPTooManyRequests(
            text=json.dumps({"error": "too many failed logins; try again later"}), content_type="application/json"
        )
    return accounts.login(name, password, _address(request))


async def api_login(request: web.Request) -> web.StreamResponse:
    if request.content_type != "application/json":  # a cross-site form cannot send JSON
        return web.json_response({"error": "send JSON"}, status=415)
    try:
        body = await request.json()
        name, password = str(body["username"]), str(body["password"])
    except (ValueError, KeyError, TypeError):
        return web.json_response({"error": "username and password required"}, status=400)
    token = await _check_login(request, name, password)
    if token is None:
        return web.json_response({"error": "wrong name or password"}, status=401)
    session = request.app["accounts"].session(token)
    response = web.json_response({"user": session.name, "role": session.role, "csrf": session.csrf})
    _set_session_cookie(request, response, token)
    return response


async def form_login(request: web.Request) -> web.StreamResponse:
    form = await request.post()
    sent, expected = str(form.get("csrf", "")), request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not expected or not secrets.compare_digest(sent, expected):
        return _login_page(request, "The form expired; please try again.")
    token = await _check_login(request, str(form.get("username", "")), str(form.get("password", "")))
    if token is None:
        return _login_page(request, "Wrong name or password.")
    response = web.HTTPSeeOther("/")
    _set_session_cookie(request, response, token)
    response.del_cookie(LOGIN_CSRF_COOKIE)
    return response


async def logout(request: web.Request) -> web.StreamResponse:
    request.app["accounts"].logout(request.cookies.get(COOKIE, ""))
    response = web.json_response({"ok": True})
    response.del_cookie(COOKIE, path="/")
    return response


async def page(request: web.Request) -> web.StreamResponse:
    return web.FileResponse(STATIC / "index.html")


async def static(request: web.Request) -> web.StreamResponse:
    name = request.match_info["name"]
    path = (STATIC / name).resolve()
    if STATIC.resolve() not in path.parents or not path.is_file():
        raise web.HTTPNotFound()
    return web.FileResponse(path)


async def me(request: web.Request) -> web.StreamResponse:
    session = _session(request)
    return web.json_response({"user": session.name, "role": session.role, "csrf": session.csrf})


async def stats(request: web.Request) -> web.StreamResponse:
    start, end = _range(request)
    return web.json_response(request.app["feed"].stats(start, end))


async def export(request: web.Request) -> web.StreamResponse:
    start, end = _range(request)
    numbers = request.app["feed"].stats(start, end)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["section", "key", "date", "value"])
    for row in numbers["per_day"]:
        for key in ("conversations", "finished", "emergency", "urgent", "routine"):
            writer.writerow(["per_day", key, row["date"], row[key]])
    for level, count in numbers["by_level"].items():
        writer.writerow(["by_level", level, "", count])
    for item in numbers["dropoff"]:
        writer.writerow(["stopped_at_question", item["question"], "", item["stopped"]])
    for flag in numbers["red_flags"]:
        for day, count in sorted(flag["per_day"].items()):
            writer.writerow(["red_flag", flag["id"], day, count])
    for cause in numbers["causes"]:
        writer.writerow(["cause_shown", cause["id"], "", cause["count"]])
    for topic in numbers["topics"]:
        writer.writerow(["topic", topic["topic"], "", topic["count"]])
    for answer, count in numbers["feedback"].items():
        writer.writerow(["feedback", answer, "", count])
    filename = f"console-{start.isoformat()}-to-{end.isoformat()}.csv"
    return web.Response(
        text=out.getvalue(),
        content_type="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


async def conversations(request: web.Request) -> web.StreamResponse:
    _require(request, "clinician", "admin")
    start, end = _range(request)
    return web.json_response({"conversations": request.app["feed"].listing(start, end)})


async def transcript(request: web.Request) -> web.StreamResponse:
    _require(request, "clinician", "admin")
    conversation = request.match_info["conversation"]
    messages = request.app["feed"].transcript(conversation)
    if messages is None:
        raise web.HTTPNotFound(text=json.dumps({"error": "no such conversation"}), content_type="application/json")
    request.app["accounts"].audit(_session(request).name, conversation)
    return web.json_response({"conversation": conversation, "messages": messages})


async def audit(request: web.Request) -> web.StreamResponse:
    _require(request, "admin")
    return web.json_response({"audit": request.app["accounts"].audit_log()})


def make_app(accounts: Optional[Accounts] = None, feed: Optional[Feed] = None) -> web.Application:
    app = web.Application(middlewares=[guard], client_max_size=64 * 1024)
    app["accounts"] = accounts or Accounts()
    app["feed"] = feed or Feed()
    app.router.add_get("/", page)
    app.router.add_get("/static/{name:.+}", static)
    app.router.add_post("/console/login", form_login)
    app.router.add_post("/console/api/login", api_login)
    app.router.add_post("/console/api/logout", logout)
    app.router.add_get("/console/api/me", me)
    app.router.add_get("/console/api/stats", stats)
    app.router.add_get("/console/api/export.csv", export)
    app.router.add_get("/console/api/conversations", conversations)
    app.router.add_get("/console/api/transcript/{conversation}", transcript)
    app.router.add_get("/console/api/audit", audit)
    return app
