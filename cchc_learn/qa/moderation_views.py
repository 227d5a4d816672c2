"""Moderators' pages: the queue, actions on a question, offline questions, rules, templates."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..access import roles_required
from ..boundary import page_number
from ..formkit import ActionForm
from . import answer_templates, faq, moderation, reading, routing, service, states
from .errors import QaError, QaNotFound
from .faq import split_numbers
from .forms import (
    AnswerForm,
    AssignForm,
    BodyForm,
    ChoosePostForm,
    DuplicateForm,
    EditAnswerForm,
    FaqForm,
    ReasonForm,
    RecordForm,
    RuleForm,
    TemplateForm,
)
from .settings import topics as known_topics
from .views import act, arg, bp, parse_date, parse_moment, posting_limit

MODERATOR = "moderator"


def _id(text: str | None) -> int:
    text = (text or "").strip().lstrip("#")
    return int(text) if text.isdigit() and len(text) < 10 else -1


@bp.route("/queue")
@roles_required(MODERATOR)
def queue():
    unit = arg("unit", 10)
    filters = {"topic": arg("topic", 60), "state": arg("state", 20),
               "assignee": arg("assignee", 10)}
    page = page_number()
    result = reading.queue(unit_id=_id(unit) if unit else None, moderator_id=current_user.id,
                           page=page, **filters)
    args = {k: v for k, v in {**filters, "unit": unit}.items() if v}
    return render_template(
        "qa/queue.html", result=result, filters=filters, unit=unit, args=args, page=page,
        per_page=50, topics=known_topics(), units=reading.unit_choices(),
        moderators=routing.moderators(), state_labels=states.STATE_LABELS,
        action_form=ActionForm())


@bp.route("/<int:question_id>/claim", methods=["POST"])
@roles_required(MODERATOR)
def claim(question_id: int):
    return act(question_id, ActionForm(), lambda: service.claim(question_id, current_user.id),
               done="Bạn đã nhận giải đáp câu hỏi này.", where="claim")


@bp.route("/<int:question_id>/assign", methods=["POST"])
@roles_required(MODERATOR)
def assign(question_id: int):
    form = AssignForm()
    return act(question_id, form, lambda: service.assign(
        question_id, current_user.id, _id(form.assignee.data)), done="Đã phân công.",
        where="assign")


@bp.route("/<int:question_id>/answer", methods=["POST"])
@roles_required(MODERATOR)
@posting_limit
def answer(question_id: int):
    form = AnswerForm()
    return act(question_id, form, lambda: service.answer(
        question_id, current_user.id, form.body.data or "", template_slug=form.template.data),
        done="Đã gửi câu trả lời; người hỏi đã được thông báo.", where="answer",
        drafts={"answer": form.body.data})


@bp.route("/<int:question_id>/needs-info", methods=["POST"])
@roles_required(MODERATOR)
@posting_limit
def request_info(question_id: int):
    form = BodyForm()
    return act(question_id, form, lambda: service.request_info(
        question_id, current_user.id, form.body.data or ""),
        done="Đã đề nghị người hỏi bổ sung thông tin; thời hạn tạm dừng.", where="info",
        drafts={"info": form.body.data})


@bp.route("/<int:question_id>/duplicate", methods=["POST"])
@roles_required(MODERATOR)
def mark_duplicate(question_id: int):
    form = DuplicateForm()
    return act(question_id, form, lambda: moderation.mark_duplicate(
        question_id, current_user.id, _id(form.original.data), form.reason.data),
        done="Đã đóng câu hỏi vì trùng lặp; người hỏi đã được thông báo.", where="duplicate")


@bp.route("/<int:question_id>/hide", methods=["POST"])
@roles_required(MODERATOR)
def hide(question_id: int):
    form = ReasonForm()
    return act(question_id, form, lambda: moderation.hide(
        question_id, current_user.id, form.reason.data or ""), done="Đã ẩn câu hỏi.",
        where="hide")


@bp.route("/<int:question_id>/close", methods=["POST"])
@roles_required(MODERATOR)
def close(question_id: int):
    form = ReasonForm()
    return act(question_id, form, lambda: moderation.close(
        question_id, current_user.id, form.reason.data), done="Đã đóng câu hỏi.", where="close")


@bp.route("/<int:question_id>/accept-on-behalf", methods=["POST"])
@roles_required(MODERATOR)
def accept_on_behalf(question_id: int):
    form = ChoosePostForm()
    post_id = _id(form.post_id.data) if form.post_id.data else None
    return act(question_id, form, lambda: service.accept_on_behalf(
        question_id, current_user.id, post_id),
        done="Đã chấp nhận câu trả lời thay người hỏi.", where="accept_on_behalf")


def _faq_call(question_id: int, form: FaqForm, call):
    def run():
        valid = parse_date(form.valid_as_of.data, "Đúng đến ngày")
        return call(question_id, current_user.id, valid, split_numbers(form.documents.data or ""))

    return act(question_id, form, run, done="Đã lưu mục hỏi đáp thường gặp.", where="faq",
               drafts={"documents": form.documents.data})


@bp.route("/<int:question_id>/faq", methods=["POST"])
@roles_required(MODERATOR)
def promote(question_id: int):
    return _faq_call(question_id, FaqForm(), faq.promote_to_faq)


@bp.route("/<int:question_id>/faq/review", methods=["POST"])
@roles_required(MODERATOR)
def review_faq(question_id: int):
    return _faq_call(question_id, FaqForm(), faq.review_faq)


@bp.route("/<int:question_id>/faq/remove", methods=["POST"])
@roles_required(MODERATOR)
def unpromote(question_id: int):
    return act(question_id, ActionForm(), lambda: faq.remove_from_faq(
        question_id, current_user.id), done="Đã gỡ khỏi mục hỏi đáp thường gặp.", where="faq")


@bp.route("/posts/<int:post_id>/edit", methods=["GET", "POST"])
@roles_required(MODERATOR)
def edit_answer(post_id: int):
    try:
        post = reading.post_for_moderator(post_id)
    except QaNotFound:
        abort(404)
    form = EditAnswerForm() if request.method == "POST" else EditAnswerForm(body=post.body_md)
    error = None
    if form.validate_on_submit():
        try:
            service.edit_answer(post_id, current_user.id, form.body.data or "",
                                form.reason.data or "")
        except QaError as exc:
            error = str(exc)
        else:
            flash("Đã sửa câu trả lời; lý do được lưu trong lịch sử.", "success")
            return redirect(url_for("qa.show", question_id=post.question_id))
    return render_template("qa/edit_answer.html", form=form, post=post, error=error), (
        400 if error else 200)


@bp.route("/record", methods=["GET", "POST"])
@roles_required(MODERATOR)
@posting_limit
def record():
    form = RecordForm()
    if request.method == "GET":
        form.visibility.data = "private"
    error = None
    if form.validate_on_submit():
        try:
            question = service.record_offline(
                current_user.id, form.asker.data or "", form.title.data or "",
                form.body.data or "", form.topic_list(), form.channel.data or "",
                visibility=form.visibility.data or "", show_name=bool(form.show_name.data),
                received_at=parse_moment(form.received_at.data, "Thời điểm nhận"))
        except QaError as exc:
            error = str(exc)
        else:
            flash("Đã ghi nhận câu hỏi; thời hạn trả lời tính như câu hỏi gửi trên hệ thống.",
                  "success")
            return redirect(url_for("qa.show", question_id=question.id))
    return render_template("qa/record.html", form=form, error=error), (400 if error else 200)


@bp.route("/routing", methods=["GET", "POST"])
@roles_required(MODERATOR)
def routing_rules():
    form = RuleForm()
    form.topic.choices = [(t, t) for t in known_topics()]
    form.moderator.choices = [(str(u.id), u.full_name) for u in routing.moderators()]
    error = None
    if form.validate_on_submit():
        remove = request.form.get("action") == "remove"
        call = routing.remove_rule if remove else routing.add_rule
        try:
            call(current_user.id, form.topic.data or "", _id(form.moderator.data))
        except QaError as exc:
            error = str(exc)
        else:
            flash("Đã bỏ quy tắc." if remove else "Đã thêm quy tắc phân công.", "success")
            return redirect(url_for("qa.routing_rules"))
    return render_template("qa/routing.html", form=form, rules=routing.rules(), error=error,
                           action_form=ActionForm()), (400 if error else 200)


@bp.route("/templates")
@roles_required(MODERATOR)
def templates():
    return render_template("qa/templates.html", templates=answer_templates.templates_for([]))


@bp.route("/templates/new", methods=["GET", "POST"])
@roles_required(MODERATOR)
def new_template():
    return _template_page(None)


@bp.route("/templates/<template_slug>/edit", methods=["GET", "POST"])
@roles_required(MODERATOR)
def edit_template(template_slug: str):
    template = answer_templates.get(template_slug)
    if template is None:
        abort(404)
    return _template_page(template)


def _template_page(template):
    form = TemplateForm()
    if request.method == "GET" and template is not None:
        form.title.data, form.body.data = template.title, template.body_md
        form.topics.data = list(template.topics or [])
    error, preview = None, None
    if form.validate_on_submit() and not (template is not None and template.from_file):
        try:
            if request.form.get("action") == "preview":
                preview = answer_templates.preview(form.body.data or "")
            else:
                saved = answer_templates.save(
                    current_user.id, template.slug if template else None,
                    form.title.data or "", form.topic_list(), form.body.data or "")
                flash("Đã lưu mẫu câu trả lời.", "success")
                return redirect(url_for("qa.templates", saved=saved.slug))
        except QaError as exc:
            error = str(exc)
    return render_template("qa/template_form.html", form=form, template=template, error=error,
                           preview=preview), (400 if error else 200)

