"""The inbox: approve (post now or at the next scan), edit with a preview, reject, undo, approve all of a client.

Every change is the outbox's conditional move and posting is the executor's: a second click finds the comment
already moved (or posted) and changes nothing.
"""
from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from scheduler.store.outbox import Outbox
from scheduler.store.schema import PENDING_REVIEW, REJECTED
from scheduler.web.app import back, render, with_form
from scheduler.web.context import WebContext
from scheduler.web.inbox import build_inbox, queued_one
from scheduler.worker.review import editable_text, edited_text

POST_NOW = "now"


def inbox_page(request: Request) -> Response:
    context: WebContext = request.app.state.context
    inbox = build_inbox(context)
    return render(request, "inbox.html", inbox=inbox, post_now=request.cookies.get("sk_post", POST_NOW) == POST_NOW)


@with_form
def approve(request: Request, form) -> Response:
    context: WebContext = request.app.state.context
    intent_id = request.path_params["intent_id"]
    post_now = form.get("when", POST_NOW) == POST_NOW
    outbox = Outbox(context.store)
    outbox.approve(intent_id)
    problems = _post(context, [intent_id]) if post_now else []
    return _outcome(request, intent_id, problems)


@with_form
def approve_all(request: Request, form) -> Response:
    """Every comment of one client waiting for review."""
    context: WebContext = request.app.state.context
    client = context.current().client(request.path_params["client"]).name
    outbox = Outbox(context.store)
    ids = [i.id for i in outbox.listed((PENDING_REVIEW,), client=client)]
    approved = [i for i in ids if outbox.approve(i)]
    problems = _post(context, approved) if form.get("when", POST_NOW) == POST_NOW and approved else []
    if request.headers.get("hx-request"):
        return render(request, "inbox_body.html", inbox=build_inbox(context), post_now=True,
                      notice=f"{len(approved)} comment(s) of {client} approved.", problems_now=problems)
    return back(request, "inbox_body.html")


def _post(context: WebContext, ids: list[int]) -> list[str]:
    result = context.executor().post(ids=ids)
    return result.problems


@with_form
def reject(request: Request, form) -> Response:
    context: WebContext = request.app.state.context
    intent_id = request.path_params["intent_id"]
    Outbox(context.store).reject(intent_id)
    return _outcome(request, intent_id, [])


@with_form
def restore(request: Request, form) -> Response:
    context: WebContext = request.app.state.context
    intent_id = request.path_params["intent_id"]
    outbox = Outbox(context.store)
    outbox.restore(intent_id)
    return _outcome(request, intent_id, [])


def edit_form(request: Request) -> Response:
    context: WebContext = request.app.state.context
    intent = Outbox(context.store).get(request.path_params["intent_id"])
    if intent is None:
        return render(request, "gone.html", 404)
    page = "edit.html" if request.headers.get("hx-request") else "edit_page.html"
    return render(request, page, intent=intent, body=editable_text(intent).rstrip(), preview=intent.text)


@with_form
def preview(request: Request, form) -> Response:
    """The comment as it will read on the card (a POST only because the text can be long; nothing is saved)."""
    context: WebContext = request.app.state.context
    intent = Outbox(context.store).get(request.path_params["intent_id"])
    if intent is None:
        return render(request, "gone.html", 404)
    text = edited_text(intent, str(form.get("text") or "")) or intent.text
    return render(request, "preview.html", text=text)


@with_form
def save_edit(request: Request, form) -> Response:
    context: WebContext = request.app.state.context
    intent_id = request.path_params["intent_id"]
    outbox = Outbox(context.store)
    intent = outbox.get(intent_id)
    if intent is None:
        return render(request, "gone.html", 404)
    text = edited_text(intent, str(form.get("text") or ""))
    error = None
    if not str(form.get("text") or "").strip():
        error = "The comment cannot be empty. To not post it at all, press Reject."
    elif text is not None and not outbox.reword(intent_id, text):
        error = "This comment was approved, posted or rejected meanwhile, so it was not changed."
    if error:
        hx = request.headers.get("hx-request") is not None
        return render(request, "edit.html" if hx else "edit_page.html", 200 if hx else 422,
                      intent=intent, body=str(form.get("text") or ""), preview=intent.text, error=error)
    return _outcome(request, intent_id, [])


def _outcome(request: Request, intent_id: int, problems: list[str]) -> Response:
    """The comment's card after a decision: its new state, with undo or a problem where there is one."""
    context: WebContext = request.app.state.context
    intent = Outbox(context.store).get(intent_id)
    if intent is None:
        return back(request, "gone.html")
    if intent.status == PENDING_REVIEW:
        # Back in the queue (an undo, an edit): the full card again, with why it was written.
        return back(request, "queued.html", queued=queued_one(context, intent), post_now=True)
    return back(request, "decided.html", intent=intent, problems=problems, rejected=intent.status == REJECTED)


def view(request: Request) -> Response:
    """The comment's card as it is now (after Cancel in the editor)."""
    return _outcome(request, request.path_params["intent_id"], [])


routes = [
    Route("/", inbox_page, methods=["GET"]),
    Route("/comments/{intent_id:int}/approve", approve, methods=["POST"]),
    Route("/comments/{intent_id:int}/reject", reject, methods=["POST"]),
    Route("/comments/{intent_id:int}/undo", restore, methods=["POST"]),
    Route("/comments/{intent_id:int}/view", view, methods=["GET"]),
    Route("/comments/{intent_id:int}/edit", edit_form, methods=["GET"]),
    Route("/comments/{intent_id:int}/edit", save_edit, methods=["POST"]),
    Route("/comments/{intent_id:int}/preview", preview, methods=["POST"]),
    Route("/inbox/{client:path}/approve-all", approve_all, methods=["POST"]),
]
