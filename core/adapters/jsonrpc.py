"""JSON-RPC over the one HTTP stack: single calls and batches, errors as SourceError."""

from __future__ import annotations

import itertools
from typing import Any

from ..errors import SourceError
from ..http import Http

_ids = itertools.count(1)


class RpcError(SourceError):
    """The node answered with a JSON-RPC error object.

    Attributes:
        code: The JSON-RPC error code.
    """

    def __init__(self, message: str, code: int | None) -> None:
        super().__init__(message)
        self.code = code


async def batch(http: Http, url: str, calls: list[tuple[str, list[Any]]]) -> list[Any | RpcError]:
    """Send several calls in one HTTP round trip; each result or its RpcError, in order.

    Raises:
        SourceError: Transport failure, or an answer that is not a JSON-RPC batch reply.
    """
    requests = [{"jsonrpc": "2.0", "id": next(_ids), "method": m, "params": p} for m, p in calls]
    body = await http.post_json(url, requests if len(requests) > 1 else requests[0])
    replies = body if isinstance(body, list) else [body]
    by_id = {r.get("id"): r for r in replies if isinstance(r, dict)}
    out: list[Any | RpcError] = []
    for request in requests:
        reply = by_id.get(request["id"])
        if reply is None:
            if len(replies) == 1 and isinstance(replies[0], dict) and "error" in replies[0]:
                reply = replies[0]  # a node that refuses batches answers with one error
            else:
                raise SourceError(f"{url} left {request['method']} unanswered in a batch reply.")
        if "error" in reply:
            error = reply["error"] if isinstance(reply["error"], dict) else {"message": reply["error"]}
            out.append(RpcError(f"{request['method']}: {error.get('message', 'error')}", error.get("code")))
        elif "result" in reply:
            out.append(reply["result"])
        else:
            raise SourceError(f"{url} sent a JSON-RPC reply without result or error.")
    return out


async def call(http: Http, url: str, method: str, params: list[Any]) -> Any:
    """Send one call and return its result.

    Raises:
        SourceError: Transport failure or a JSON-RPC error (as :class:`RpcError`).
    """
    (result,) = await batch(http, url, [(method, params)])
    if isinstance(result, RpcError):
        raise result
    return result
