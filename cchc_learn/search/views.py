"""/search and /api/v1/search."""

from __future__ import annotations

from flask import Blueprint, jsonify, render_template, request, url_for
from flask_login import current_user

from ..access import signed_in
from ..boundary import page_number
from . import service

bp = Blueprint("search", __name__)
api = Blueprint("search_api", __name__, url_prefix="/api/v1")


def _run() -> service.Answer:
    raw = request.args.get("q", "")[: service.MAX_QUERY_CHARS * 20]
    filters = service.clean_filters({name: request.args.get(name) for name in service.FACETS})
    page = page_number()
    return service.search(raw[: service.MAX_QUERY_CHARS * 20], user=current_user,
                          filters=filters, page=page)


def _facet_links(answer: service.Answer, args: dict[str, str]) -> dict[str, list[dict]]:
    """Each facet value with the URL that adds it (or removes it when already chosen)."""
    links: dict[str, list[dict]] = {}
    for name, values in answer.facets.items():
        for value, count in values[:12]:
            active = args.get(name) == value
            chosen = {k: v for k, v in args.items() if k != name}
            if not active:
                chosen[name] = value
            label = service.KIND_LABELS.get(value, value) if name == "kind" else value
            links.setdefault(name, []).append({
                "label": label, "count": count, "active": active,
                "url": url_for("search.search_page", q=answer.query, **chosen)})
    return links


@bp.route("/search")
@signed_in
def search_page():
    answer = _run()
    args = {k: v[:200] for k, v in request.args.items() if k in service.FACETS and v}
    return render_template("search/results.html", answer=answer, args=args,
                           facet_links=_facet_links(answer, args),
                           kind_labels=service.KIND_LABELS)


@api.route("/search")
@signed_in
def search_api():
    answer = _run()
    return jsonify({
        "query": answer.query,
        "total": answer.total,
        "page": answer.page,
        "error": answer.error,
        "suggestion": answer.suggestion,
        "repaired": answer.repaired,
        "facets": {k: [[v, n] for v, n in vals] for k, vals in answer.facets.items()},
        "results": [hit_json(h) for h in answer.hits],
    })


def hit_json(hit) -> dict:
    """One hit in the shape of the CLI and API contract."""
    out = {"kind": hit.kind, "id": hit.id, "title": hit.title, "url": hit.url,
           "snippet": hit.snippet, "score": round(float(hit.score), 4)}
    if hit.kind == "document":
        out["number"] = hit.number
    return out
