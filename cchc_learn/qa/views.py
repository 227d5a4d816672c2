"""Officials' pages: the list, asking, a thread, replies, acceptance, the FAQ, the API."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_limiter.util import get_remote_address
from flask_login import current_user

from ..access import signed_in
from ..boundary import page_number
from ..clock import LOCAL_TZ
from ..extensions import limiter
from . import faq, reading, service, similar, states
from .errors import QaError, QaForbidden, QaNotFound
from .forms import (
    AnswerForm,
    AskForm,
    AssignForm,
    BodyForm,
    ChoosePostForm,
    DuplicateForm,
    EditQuestionForm,
    FaqForm,
    ReasonForm,
)
from .settings import topics as known_topics
from .visibility import ANONYMOUS_ASKER

bp = Blueprint("qa", __name__, url_prefix="/qa")
api = Blueprint("qa_api", __name__, url_prefix="/api/v1/qa")


def account_key() -> str:
    """Rate limits count per account (a department shares one NAT address)."""
    if current_user.is_authenticated:
        return f"account:{current_user.id}"
    return f"address:{get_remote_address()}"


def _only_looking() -> bool:
    # The no-JavaScript "similar questions" button posts the ask form without asking.
    return request.form.get("action") == "similar"


posting_limit = limiter.shared_limit(
    lambda: current_app.config["QA_POST_RATE_LIMIT"],
    scope="qa-post",
    key_func=account_key,
    methods=["POST"],
    exempt_when=_only_looking,
)


def viewer() -> Any:
    """The signed-in account, as services take it."""
    return current_user._get_current_object()


def arg(name: str, max_len: int = 100) -> str | None:
    """A short query-string value, or None."""
    value = (request.args.get(name) or "").strip()
    return value[:max_len] or None


def parse_date(text: str | None, what: str) -> date | None:
    """A date typed dd/mm/yyyy (or ISO); QaError naming the field when it is not one."""
    text = (text or "").strip()
    if not text:
        return None
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text[:20], fmt).date()
        except ValueError:
            continue
    raise QaError(f"{what}: “{text[:20]}” không phải ngày dạng ngày/tháng/năm (ví dụ 24/02/2026).")


def parse_moment(text: str | None, what: str) -> datetime | None:
    """A local time typed "HH:MM dd/mm/yyyy" (or from a date-time picker), as aware UTC."""
    text = (text or "").strip()
    if not text:
        return None
    for fmt in ("%H:%M %d/%m/%Y", "%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M", "%d/%m/%Y"):
        try:
            return datetime.strptime(text[:20], fmt).replace(tzinfo=LOCAL_TZ)
        except ValueError:
            continue
    raise QaError(f"{what}: “{text[:20]}” không phải thời điểm dạng giờ:phút ngày/tháng/năm "
                  "(ví dụ 14:30 24/02/2026).")


@bp.route("/")
@signed_in
def index():
    mine = arg("mine") == "1"
    topic = arg("topic", 60)
    state = arg("state", 20)
    answered = arg("answered", 3)
    page = page_number()
    listing = reading.browse(viewer(), topic=topic, state=state, answered=answered,
                             mine=mine, page=page)
    args = {k: v for k, v in {"mine": "1" if mine else None, "topic": topic, "state": state,
                              "answered": answered}.items() if v}
    return render_template("qa/index.html", listing=listing, mine=mine, topic=topic,
                           state=state, answered=answered, page=page, args=args,
                           per_page=reading.PER_PAGE, topics=known_topics(),
                           state_labels=states.STATE_LABELS, anonymous=ANONYMOUS_ASKER)


@bp.route("/ask", methods=["GET", "POST"])
@signed_in
@posting_limit
def ask():
    form = AskForm()
    error, suggestions = None, None
    if request.method == "GET" and arg("title", 300):
        form.title.data = arg("title", 300)
    if form.validate_on_submit():
        if request.form.get("action") == "similar":
            suggestions = similar.similar(form.title.data, viewer())
        else:
            try:
                question = service.ask(
                    current_user.id, form.title.data or "", form.body.data or "",
                    form.topic_list(), visibility=form.visibility.data or "",
                    show_name=bool(form.show_name.data))
            except QaError as exc:
                error = str(exc)
            else:
                flash(f"Đã gửi câu hỏi. Hạn trả lời: {_due_text(question)}.", "success")
                return redirect(url_for("qa.show", question_id=question.id))
    elif request.method == "POST":
        error = "Biểu mẫu không hợp lệ; hãy tải lại trang và thử lại."
    return render_template("qa/ask.html", form=form, error=error, suggestions=suggestions), (
        400 if error else 200)


def _due_text(question) -> str:
    if question.due_at is None:
        return "chưa tính"
    return question.due_at.astimezone(LOCAL_TZ).strftime("%d/%m/%Y")


def render_thread(question_id: int, *, error: str | None = None, where: str | None = None,
                  drafts: dict[str, Any] | None = None, status: int = 200):
    """The question page (404 for whoever may not read it), with an error beside a form."""
    try:
        view = reading.thread(question_id, viewer(), template_slug=arg("template", 80))
    except QaNotFound:
        abort(404)
    drafts = drafts or {}
    question = view.question
    edit = EditQuestionForm(formdata=None, title=drafts.get("title", question.title),
                            body=drafts.get("body", question.body_md),
                            topics=drafts.get("topics", question.topics))
    answer = AnswerForm(formdata=None, body=drafts.get("answer", view.template.body_md
                                                       if view.template else ""),
                        template=view.template.slug if view.template else "")
    assign = AssignForm(formdata=None)
    assign.assignee.choices = [(str(u.id), u.full_name) for u in view.moderators]
    promote = FaqForm(formdata=None, documents=drafts.get(
        "documents", ", ".join(view.suggested_documents or [c.number for c in view.cited])))
    return render_template(
        "qa/show.html", view=view, q=question, error=error, where=where,
        editing=arg("edit") == "1" or where == "edit", edit_form=edit, answer_form=answer,
        reply_form=BodyForm(formdata=None, body=drafts.get("reply", "")),
        info_form=BodyForm(formdata=None, body=drafts.get("info", "")),
        choose_form=ChoosePostForm(formdata=None), reason_form=ReasonForm(formdata=None),
        assign_form=assign, duplicate_form=DuplicateForm(formdata=None), faq_form=promote,
        state_labels=states.STATE_LABELS, action_labels=states.ACTION_LABELS,
    ), status


@bp.route("/<int:question_id>")
@signed_in
def show(question_id: int):
    return render_thread(question_id)


def act(question_id: int, form, call, *, done: str, where: str,
        drafts: dict[str, Any] | None = None):
    """Run one service call for a form posted from the thread; show its error beside the form."""
    if not form.validate_on_submit():
        return render_thread(question_id, error="Biểu mẫu không hợp lệ; hãy tải lại trang.",
                             where=where, status=400)
    try:
        call()
    except QaNotFound:
        abort(404)
    except QaForbidden as exc:
        return render_thread(question_id, error=str(exc), where=where, drafts=drafts,
                             status=403)
    except QaError as exc:
        return render_thread(question_id, error=str(exc), where=where, drafts=drafts,
                             status=400)
    flash(done, "success")
    return redirect(url_for("qa.show", question_id=question_id))


@bp.route("/<int:question_id>/edit", methods=["POST"])
@signed_in
@posting_limit
def edit_question(question_id: int):
    form = EditQuestionForm()
    drafts = {"title": form.title.data, "body": form.body.data, "topics": form.topic_list()}
    return act(question_id, form, lambda: service.edit_question(
        question_id, current_user.id, form.title.data or "", form.body.data or "",
        form.topic_list(), reason=form.reason.data), done="Đã lưu câu hỏi.", where="edit",
        drafts=drafts)


@bp.route("/<int:question_id>/reply", methods=["POST"])
@signed_in
@posting_limit
def reply(question_id: int):
    form = BodyForm()
    return act(question_id, form, lambda: service.reply(question_id, current_user.id,
                                                        form.body.data or ""),
               done="Đã gửi.", where="reply", drafts={"reply": form.body.data})


@bp.route("/<int:question_id>/accept", methods=["POST"])
@signed_in
def accept(question_id: int):
    form = ChoosePostForm()
    post_id = form.post_id.data or ""
    chosen = int(post_id) if post_id.isdigit() and len(post_id) < 10 else -1
    return act(question_id, form, lambda: service.accept(question_id, current_user.id, chosen),
               done="Đã chấp nhận câu trả lời. Cảm ơn bạn!", where="accept")


@bp.route("/faq")
@signed_in
def faq_page():
    topic = arg("topic", 60)
    page = page_number()
    entries, total = faq.entries(topic=topic, page=page)
    return render_template("qa/faq.html", entries=entries, total=total, topic=topic, page=page,
                           per_page=30, topics=known_topics())


@api.route("/similar")
@signed_in
def similar_api():
    found = similar.similar(request.args.get("q", "")[:2000], viewer())
    return jsonify({"results": [s.as_json() for s in found]})


@api.route("/<int:question_id>")
@signed_in
def question_api(question_id: int):
    try:
        return jsonify(reading.as_json(question_id, viewer()))
    except QaNotFound:
        abort(404)
