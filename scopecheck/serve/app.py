"""The routes of the local page. Every request is answered from memory: the page's own files
are loaded once from the package, documents arrive in request bodies and leave in responses."""
from __future__ import annotations

import json
import re
from importlib import resources
from urllib.parse import quote, urlsplit

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from scopecheck import __version__
from scopecheck.errors import InputError
from scopecheck.serve import extras
from scopecheck.serve.checking import (AUTO_TYPE, Checker, CheckRequest, doc_type_choices,
                                       jurisdiction_choices)
from scopecheck.serve.convert import Converted, UnsupportedFile, convert, describe_accepted, safe_name
from scopecheck.serve.security import RequestGuard
from scopecheck.serve.settings import ServeSettings

STATIC_TYPES = {
    "index.html": "text/html; charset=utf-8",
    "app.css": "text/css; charset=utf-8",
    "app.js": "text/javascript; charset=utf-8",
    "favicon.svg": "image/svg+xml",
}
_JURISDICTION = re.compile(r"^[a-z]{2}(?:-[a-z0-9]{1,3})?$")
JSON_OVERHEAD = 64 * 1024


class RequestProblem(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def load_static() -> dict[str, bytes]:
    folder = resources.files("scopecheck.serve") / "static"
    return {name: (folder / name).read_bytes() for name in STATIC_TYPES}


async def read_body(request: Request, limit: int, what: str) -> bytes:
    """The whole body, in memory, refusing anything larger than `limit` as early as possible."""
    too_large = RequestProblem(413, f"{what} is larger than the {limit // (1024 * 1024)} MB limit; "
                                    "split it into smaller parts and check them one by one")
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise too_large
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise too_large
        chunks.append(chunk)
    return b"".join(chunks)


async def read_json(request: Request, limit: int) -> dict:
    if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
        raise RequestProblem(415, "send the request as JSON (Content-Type: application/json)")
    body = await read_body(request, limit, "The text")
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise RequestProblem(400, "the request is not valid JSON") from exc
    if not isinstance(data, dict):
        raise RequestProblem(400, "the request must be a JSON object")
    return data


def choice(value: object, allowed: set[str], what: str) -> str:
    if not isinstance(value, str) or value not in allowed:
        raise RequestProblem(400, f"unknown {what}: choose one of {', '.join(sorted(allowed))}")
    return value


def jurisdiction(value: object) -> str:
    if not isinstance(value, str) or not _JURISDICTION.match(value):
        raise RequestProblem(400, "unknown jurisdiction: use a code such as us, us-ca, uk or au")
    return value


class Routes:
    def __init__(self, settings: ServeSettings) -> None:
        self.settings = settings
        self.checker = Checker(settings)
        self.static = load_static()
        self.doc_types = {item["value"] for item in doc_type_choices()}

    def check_request(self, data: dict, text_field: str = "text") -> CheckRequest:
        text = data.get(text_field, "")
        if not isinstance(text, str):
            raise RequestProblem(400, "the text must be a string")
        if len(text) > self.settings.max_text_chars:
            raise RequestProblem(413, f"the text is longer than {self.settings.max_text_chars:,} characters; "
                                      "check it in parts")
        name = data.get("name") or "pasted-text"
        return CheckRequest(text=text.replace("\r\n", "\n").replace("\r", "\n"),
                            name=safe_name(str(name)),
                            doc_type=choice(data.get("doc_type", AUTO_TYPE), self.doc_types, "document type"),
                            jurisdiction=jurisdiction(data.get("jurisdiction", "us")))

    @property
    def json_limit(self) -> int:
        return self.settings.max_text_chars * 4 + JSON_OVERHEAD

    async def page(self, request: Request) -> Response:
        return self.static_file("index.html")

    async def asset(self, request: Request) -> Response:
        name = request.path_params["name"]
        if name not in self.static or name == "index.html":
            return JSONResponse({"error": "not found"}, status_code=404)
        return self.static_file(name)

    def static_file(self, name: str) -> Response:
        return Response(self.static[name], media_type=STATIC_TYPES[name],
                        headers={"cache-control": "no-cache"})

    async def options(self, request: Request) -> Response:
        return JSONResponse({
            "version": __version__,
            "doc_types": doc_type_choices(),
            "jurisdictions": jurisdiction_choices(),
            "accepted_files": describe_accepted(),
            "max_upload_bytes": self.settings.max_upload_bytes,
            "max_text_chars": self.settings.max_text_chars,
            "features": {
                "html_report": extras.html_report_available(),
                "fetch_url": extras.fetcher_available(),
                "disclaimer_templates": extras.disclaimer_available(),
            },
        }, headers={"cache-control": "no-store"})

    async def check(self, request: Request) -> Response:
        req = self.check_request(await read_json(request, self.json_limit))
        payload = await run_in_threadpool(self.checker.check, req)
        return JSONResponse(payload, headers={"cache-control": "no-store"})

    async def upload(self, request: Request) -> Response:
        params = request.query_params
        name = params.get("name", "")
        if not name:
            raise RequestProblem(400, "the file name is missing (add ?name=... to the request)")
        data = await read_body(request, self.settings.max_upload_bytes, "The file")
        converted = await run_in_threadpool(self._convert, data, name)
        return await self._loaded(converted, params.get("doc_type", AUTO_TYPE),
                                  params.get("jurisdiction", "us"), source=converted.name)

    async def fetch(self, request: Request) -> Response:
        data = await read_json(request, JSON_OVERHEAD)
        url = data.get("url")
        if not isinstance(url, str) or not url.strip():
            raise RequestProblem(400, "enter a website address, for example https://example.com/about")
        url = url.strip()
        if "://" not in url:
            url = "https://" + url
        parts = urlsplit(url)
        try:
            parts.port  # noqa: B018 - raises on a malformed port ("javascript:alert(1)" read as host:port)
        except ValueError:
            parts = urlsplit("invalid:")
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise RequestProblem(400, "only http:// and https:// website addresses can be read")
        if not extras.fetcher_available():
            raise RequestProblem(501, "reading a website address is not part of this scopecheck install; "
                                      "save the page from your browser (File > Save Page As) and upload it")
        try:
            page = await run_in_threadpool(extras.fetch, url, self.settings.max_upload_bytes)
        except extras.Unavailable as exc:
            raise RequestProblem(501, str(exc)) from exc
        except extras.FetchFailed as exc:
            raise RequestProblem(502, str(exc)) from exc
        converted = await run_in_threadpool(self._convert, page.data, page.name)
        converted.name = page.name
        return await self._loaded(converted, data.get("doc_type", AUTO_TYPE),
                                  data.get("jurisdiction", "us"), source=page.url)

    def _convert(self, data: bytes, name: str) -> Converted:
        try:
            return convert(data, name)
        except UnsupportedFile as exc:
            raise RequestProblem(415, str(exc)) from exc
        except InputError as exc:
            raise RequestProblem(422, str(exc)) from exc

    async def _loaded(self, converted: Converted, doc_type: object, place: object, source: str) -> Response:
        chosen = choice(doc_type, self.doc_types, "document type")
        req = CheckRequest(converted.text, converted.name, chosen, jurisdiction(place))
        payload = await run_in_threadpool(self.checker.check, req)
        return JSONResponse({
            "name": converted.name, "source": source, "text": converted.text,
            "format": converted.format, "converted": converted.converted,
            "warnings": converted.warnings, "result": payload,
        }, headers={"cache-control": "no-store"})

    async def disclaimer(self, request: Request) -> Response:
        data = await read_json(request, JSON_OVERHEAD)
        doc_type = choice(data.get("doc_type", AUTO_TYPE), self.doc_types, "document type")
        place = jurisdiction(data.get("jurisdiction", "us"))
        element = data.get("element")
        if element is not None and not isinstance(element, str):
            raise RequestProblem(400, "element must be a checklist element name")
        if extras.disclaimer_available() and doc_type != AUTO_TYPE and element is None:
            try:
                text = await run_in_threadpool(extras.render_disclaimer, doc_type, place)
                return JSONResponse({"text": text, "placement": "end", "source": "template"})
            except extras.Unavailable:
                pass
        suggestions = await run_in_threadpool(self.checker.require_suggestions, doc_type, place)
        if element is not None:
            if element not in suggestions:
                raise RequestProblem(404, f"there is no ready wording for '{element}'")
            wording, placement = suggestions[element]
            return JSONResponse({"text": wording, "placement": placement_hint(placement),
                                 "source": "rule"})
        missing = data.get("missing") or list(suggestions)
        if not isinstance(missing, list) or not all(isinstance(m, str) for m in missing):
            raise RequestProblem(400, "missing must be a list of checklist element names")
        lines = [suggestions[m][0] for m in missing if m in suggestions]
        if not lines:
            raise RequestProblem(404, "there is no ready wording for these elements")
        return JSONResponse({"text": "\n\n".join(lines), "placement": "end", "source": "rule"})

    async def report(self, request: Request) -> Response:
        fmt = request.query_params.get("format", "json")
        if fmt not in ("json", "html"):
            raise RequestProblem(400, "format must be json or html")
        req = self.check_request(await read_json(request, self.json_limit))
        report, _ = await run_in_threadpool(self.checker.run, req)
        data = report.to_dict()
        stem = req.name.rsplit(".", 1)[0] or "document"
        if fmt == "json":
            body = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
            media, filename = "application/json", f"{stem}-scopecheck.json"
        else:
            try:
                body = await run_in_threadpool(extras.render_html_report, data, req.name)
            except extras.Unavailable as exc:
                raise RequestProblem(501, str(exc)) from exc
            media, filename = "text/html; charset=utf-8", f"{stem}-scopecheck-report.html"
        return Response(body.encode("utf-8"), media_type=media, headers={
            "content-disposition": content_disposition(filename), "cache-control": "no-store"})


def placement_hint(placement: str) -> str:
    lowered = placement.lower()
    return "top" if any(w in lowered for w in ("top", "start", "beginning", "before")) else "end"


def content_disposition(filename: str) -> str:
    ascii_name = "".join(ch if ch.isascii() and ch.isalnum() or ch in "-_." else "_" for ch in filename)
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"


async def problem_response(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestProblem)
    return JSONResponse({"error": exc.message}, status_code=exc.status)


def create_app(settings: ServeSettings) -> RequestGuard:
    routes = Routes(settings)
    app = Starlette(routes=[
        Route("/", routes.page),
        Route("/static/{name}", routes.asset),
        Route("/api/options", routes.options),
        Route("/api/check", routes.check, methods=["POST"]),
        Route("/api/upload", routes.upload, methods=["POST"]),
        Route("/api/fetch", routes.fetch, methods=["POST"]),
        Route("/api/disclaimer", routes.disclaimer, methods=["POST"]),
        Route("/api/report", routes.report, methods=["POST"]),
    ], exception_handlers={RequestProblem: problem_response})
    app.state.routes = routes
    return RequestGuard(app, settings)
