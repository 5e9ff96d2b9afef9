"""The Starlette application: routes, the token check and the static page.

Routes read the request (uploads into memory, perfxl.serve.uploads), hand the
CPU-bound work to a worker thread (perfxl.serve.checks, .sheet, .inbox) under a small
capacity limiter, so the event loop keeps answering while a workbook is read and a
burst of uploads cannot hold more workbooks in memory than there are workers.
"""

from __future__ import annotations

import hmac
import json
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import quote

import anyio
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Receive, Scope, Send

from perfxl import __version__
from perfxl.profiles import DEFAULT_PROFILE, Profile, ProfileError, available_profiles, load_profile
from perfxl.serve import checks, inbox
from perfxl.serve.settings import ServeSettings
from perfxl.serve.sheet import SheetError, check_sheet
from perfxl.serve.uploads import UploadError, read_body, read_upload

STATIC = Path(__file__).parent / "static"
WORKERS = 4  # workbooks checked at once; more wait their turn (memory stays bounded)
JSON_TYPE = "application/json; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ChineseJSON(JSONResponse):
    """JSON as UTF-8 text, Chinese left readable (ensure_ascii=False), no NaN."""

    media_type = JSON_TYPE

    def render(self, content: Any) -> bytes:
        return json.dumps(content, ensure_ascii=False, allow_nan=False).encode("utf-8")


def error(status: int, message: str, **extra: Any) -> Response:
    return ChineseJSON({"error": message, **extra}, status_code=status)


class TokenGate:
    """Every /api/* request must carry `Authorization: Bearer <token>` (401 otherwise)."""

    def __init__(self, app: ASGIApp, token: str) -> None:
        self.app = app
        self.token = token.encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].startswith("/api/"):
            given = b""
            for key, value in scope["headers"]:
                if key == b"authorization":
                    given = value
            scheme, _, token = given.partition(b" ")
            if scheme.lower() != b"bearer" or not hmac.compare_digest(token.strip(), self.token):
                response = error(401, "需要访问令牌：请求头应为 Authorization: Bearer <令牌>")
                response.headers["WWW-Authenticate"] = "Bearer"
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


class Service:
    """The routes of one app, over its settings."""

    def __init__(self, settings: ServeSettings) -> None:
        self.settings = settings
        self.limiter = anyio.CapacityLimiter(WORKERS)

    # -- profiles ------------------------------------------------------------------

    @property
    def default_profile(self) -> str:
        """--profile, else the county settings' default, else perfxl's (as consolidate)."""
        county = self.settings.county
        return self.settings.profile or (county.default_profile if county else DEFAULT_PROFILE)

    def profile(self, requested: str | None) -> Profile:
        """The profile a request asks for by name (shipped profiles only: a client never
        names a file on this machine), else the service's default."""
        if requested is not None and not isinstance(requested, str):
            raise UploadError(400, "profile 应为评分规则名称（文本）")
        name = (requested or "").strip()
        if name:
            if name not in available_profiles():
                raise UploadError(
                    400, f"未知的评分规则“{name[:40]}”；可选：{'、'.join(available_profiles())}"
                )
            return load_profile(name)
        return load_profile(self.default_profile)

    async def run(self, func, *args) -> Any:
        return await anyio.to_thread.run_sync(partial(func, *args), limiter=self.limiter)

    # -- routes --------------------------------------------------------------------

    async def info(self, request: Request) -> Response:
        return ChineseJSON(
            {
                "version": __version__,
                "profile": Path(self.default_profile).stem,
                "inbox": self.settings.inbox is not None,
                "profiles": available_profiles(),
            }
        )

    async def validate(self, request: Request) -> Response:
        upload = await read_upload(request, self.settings.max_upload)
        profile = self.profile(upload.fields.get("profile"))
        text = await self.run(checks.validate_document, upload.filename, upload.data, profile)
        return Response(text, media_type=JSON_TYPE)

    async def score(self, request: Request) -> Response:
        upload = await read_upload(request, self.settings.max_upload)
        profile = self.profile(upload.fields.get("profile"))
        text = await self.run(checks.score_document, upload.filename, upload.data, profile)
        return Response(text, media_type=JSON_TYPE)

    async def annotate(self, request: Request) -> Response:
        upload = await read_upload(request, self.settings.max_upload)
        profile = self.profile(upload.fields.get("profile"))
        made = await self.run(checks.annotate_upload, upload.filename, upload.data, profile)
        if made.data is None:
            findings = [f.to_dict() for f in checks.ordered(made.check)]
            return error(422, made.problem or checks.UNREADABLE, findings=findings)
        # RFC 6266: an ASCII name for old clients, the real (Chinese) one in filename*
        fallback = "annotated" + Path(made.filename).suffix
        disposition = (
            f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(made.filename)}"
        )
        return Response(
            made.data, media_type=XLSX_TYPE, headers={"Content-Disposition": disposition}
        )

    async def check_sheet(self, request: Request) -> Response:
        body = await read_body(request, self.settings.max_upload)
        try:
            data = json.loads(body, parse_constant=_no_constant)
        except (ValueError, RecursionError):
            return error(400, "请求体不是有效的 JSON")
        try:
            profile = self.profile(data.get("profile") if isinstance(data, dict) else None)
            answer = await self.run(check_sheet, data, profile)
        except SheetError as exc:
            return error(400, str(exc))
        return ChineseJSON(answer)

    async def submit(self, request: Request) -> Response:
        folder = self.settings.inbox
        if folder is None:
            return error(404, "本服务未开启收件箱（启动时未指定 --inbox），不能提交")
        upload = await read_upload(request, self.settings.max_upload)
        return await self.run(self._submit, folder, upload.filename, upload.data)

    def _submit(self, folder: Path, name: str, data: bytes) -> Response:
        """Check with the profile consolidation will use for the stored path (the county
        settings' folder rule, else --profile, else their default), store when error-free."""
        check = checks.check_upload(name, data, load_profile(self.default_profile))
        try:
            target = self._target(folder, name, check)
            county = self.settings.county
            rule = county.profile_for(target.relative_to(folder).as_posix()) if county else ""
            # as consolidate does: a folder's own rule wins, --profile replaces the default
            if rule and rule != county.default_profile:
                check = checks.check_upload(name, data, load_profile(rule))
                target = self._target(folder, name, check)
        except inbox.InboxError as exc:
            findings = [f.to_dict() for f in checks.ordered(check)]
            return error(422, str(exc), findings=findings)
        if check.errors:
            findings = [f.to_dict() for f in checks.ordered(check)]
            return error(
                422, f"工作簿有 {check.errors} 个错误，未提交；请修改后重新提交", findings=findings
            )
        try:
            stored = inbox.store(folder, target, data)
        except inbox.InboxError as exc:
            return error(422, str(exc))
        scored = checks.score_json([checks.as_scored(check)])
        table = json.loads(scored)["files"][0]["tables"][0]
        receipt = {
            "time": stored.time,
            "sha256": stored.sha256,
            "total": table.get("total"),  # a 监控表 has no total or grade: null
            "grade": table.get("grade"),
            "path": stored.path,
            "version": stored.version,
            "profile": table["profile"],
            "kind": table.get("kind", "self"),
        }
        return ChineseJSON({"receipt": receipt})

    @staticmethod
    def _target(folder: Path, name: str, check) -> Path:
        """DIR/<主管部门>/<项目名称>: a workbook of several tables by the upload's name, a
        监控表 as <项目名称>（N月监控）, so it never replaces the project's 自评表."""
        tables = check.checks  # 自评表 first, then 监控表
        if check.rejected or not tables:
            raise inbox.InboxError("工作簿无法读取或其中没有自评表、监控表，未提交")
        first = tables[0]
        table = first.result.table
        project = table.project if len(tables) == 1 else Path(name).stem
        if first.kind == "monitoring" and project:
            month = first.result.month
            project = f"{project}（{month}月监控）" if month else f"{project}（监控）"
        suffix = Path(name).suffix.lower()
        return inbox.place(folder, table.department, project, suffix)


def _no_constant(name: str) -> None:
    raise ValueError(f"{name} is not JSON")


async def index(request: Request) -> Response:
    return FileResponse(STATIC / "index.html", media_type="text/html; charset=utf-8")


def _guarded(handler):
    """A route whose upload errors become their status and Chinese message, and whose
    unforeseen failure is a 500 with one Chinese line (never a traceback page)."""

    async def route(request: Request) -> Response:
        try:
            return await handler(request)
        except UploadError as exc:
            return error(exc.status, exc.message)
        except ProfileError as exc:
            return error(500, f"评分规则无法使用：{exc}")
        except Exception as exc:  # the last line of defence: the service stays up
            return error(500, f"程序内部出错，请求未完成（{type(exc).__name__}）")

    return route


# Starlette's own answers (a mistyped address, GET where POST is meant) are English
# words; a clerk sees them in the page or the WPS add-in, so they are said in Chinese.
_HTTP_MESSAGES = {
    404: "没有这个地址，请检查网址（校验页面在 /，接口在 /api/ 下）",
    405: "该地址不支持这种请求方式（上传工作簿请用 POST）",
}


async def _http_error(request: Request, exc: Exception) -> Response:
    status = getattr(exc, "status_code", 500)
    return error(status, _HTTP_MESSAGES.get(status, f"请求无法处理（HTTP {status}）"))


async def _server_error(request: Request, exc: Exception) -> Response:
    return error(500, f"程序内部出错，请求未完成（{type(exc).__name__}）")


def create_app(settings: ServeSettings) -> Starlette:
    """The app for `settings`; with an inbox holding perfxl-county.toml and no county
    settings given, those are read (perfxl.county.SettingsError when they are wrong)."""
    if settings.inbox is not None and settings.county is None:
        from perfxl.county import SETTINGS_NAME, load_settings

        if (Path(settings.inbox) / SETTINGS_NAME).is_file():
            settings.county = load_settings(Path(settings.inbox) / SETTINGS_NAME)
    service = Service(settings)
    api = [
        ("/api/info", service.info, "GET"),
        ("/api/validate", service.validate, "POST"),
        ("/api/score", service.score, "POST"),
        ("/api/annotate", service.annotate, "POST"),
        ("/api/check-sheet", service.check_sheet, "POST"),
        ("/api/submit", service.submit, "POST"),
    ]
    routes = [Route(path, _guarded(handler), methods=[method]) for path, handler, method in api]
    routes += [
        Route("/", index, methods=["GET"]),
        Mount("/static", app=StaticFiles(directory=STATIC), name="static"),
    ]
    app = Starlette(
        routes=routes,
        exception_handlers={HTTPException: _http_error, Exception: _server_error},
    )
    app.state.settings = settings
    if settings.token:
        app.add_middleware(TokenGate, token=settings.token)
    # The WPS add-in (addins/wps, docs/wps.md) runs from a file:// page, origin "null"
    # (a loopback http origin under `wpsjs debug`): let it read the answers. Added last,
    # so it is outermost and answers CORS preflights before the token check.
    app.add_middleware(
        CORSMiddleware,
        allow_origins=["null"],
        allow_origin_regex=r"http://(127\.0\.0\.1|localhost)(:[0-9]+)?",
        allow_methods=["GET", "POST"],
        allow_headers=["Authorization", "Content-Type"],
        allow_private_network=True,
    )
    return app
