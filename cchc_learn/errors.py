"""Vietnamese error pages (JSON under /api/)."""

from __future__ import annotations

from flask import Flask, jsonify, render_template
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from .access import wants_json
from .extensions import db

MESSAGES = {
    400: ("Yêu cầu không hợp lệ", "Máy chủ không hiểu yêu cầu này. Vui lòng kiểm tra lại."),
    401: ("Cần đăng nhập", "Vui lòng đăng nhập để tiếp tục."),
    403: ("Không có quyền truy cập", "Tài khoản của bạn không được phép xem trang này."),
    404: ("Không tìm thấy trang", "Trang bạn tìm không tồn tại hoặc đã được chuyển đi."),
    405: ("Phương thức không được hỗ trợ", "Trang này không nhận loại yêu cầu đó."),
    413: ("Tệp quá lớn", "Tệp hoặc dữ liệu gửi lên vượt quá dung lượng cho phép."),
    429: ("Quá nhiều yêu cầu", "Bạn đã gửi quá nhiều yêu cầu. Vui lòng thử lại sau ít phút."),
    500: (
        "Lỗi hệ thống",
        "Đã xảy ra lỗi ngoài ý muốn. Vui lòng thử lại; nếu vẫn lỗi, hãy báo cho quản trị viên.",
    ),
}


def _respond(status: int, detail: str | None = None):
    title, message = MESSAGES.get(status, MESSAGES[500])
    if wants_json():
        return jsonify(
            {"error": {"status": status, "title": title, "message": detail or message}}
        ), status
    return render_template(
        "errors/error.html", status=status, title=title, message=detail or message
    ), status


def init_app(app: Flask) -> None:
    """Answer HTTP errors with Vietnamese pages."""

    @app.errorhandler(CSRFError)
    def _csrf(exc: CSRFError):
        return _respond(
            400,
            "Phiên làm việc đã hết hạn hoặc biểu mẫu không hợp lệ "
            "(thiếu mã CSRF). Hãy tải lại trang và thử lại.",
        )

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException):
        if exc.code is None or exc.code < 400:
            return exc
        if exc.code >= 500:
            db.session.rollback()
        return _respond(exc.code)

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        if isinstance(exc, HTTPException):
            return _http(exc)
        app.logger.exception("unhandled error", exc_info=exc)
        db.session.rollback()
        if app.config.get("RAISE_UNEXPECTED"):
            raise exc
        return _respond(500)

    app.register_error_handler(InternalServerError, _http)
