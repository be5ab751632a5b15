"""Deep validation of Block Kit payloads with slack_sdk's own models, which know Slack's limits."""

from __future__ import annotations

import json
from typing import Any

from slack_sdk.errors import SlackObjectFormationError
from slack_sdk.models.blocks import Block

MAX_BLOCKS = 50


def validate_blocks(blocks: Any) -> list[dict[str, Any]]:
    """Parse and deep-validate a `blocks` value (a list or its JSON string); returns the normalised dicts.

    `Block.parse_all` turns unknown types into None instead of failing, and `validate_json()` is shallow,
    so this checks for None and calls `to_dict()`, which validates every nested element.
    """
    if isinstance(blocks, str):
        blocks = json.loads(blocks)
    if not isinstance(blocks, list):
        raise SlackObjectFormationError(f"blocks must be a list, got {type(blocks).__name__}")
    if len(blocks) > MAX_BLOCKS:
        raise SlackObjectFormationError(f"a message may hold at most {MAX_BLOCKS} blocks, got {len(blocks)}")
    _unique_ids(blocks)
    parsed = Block.parse_all(blocks)
    unknown = [raw.get("type") for raw, block in zip(blocks, parsed, strict=True) if block is None]
    if unknown:
        raise SlackObjectFormationError(f"unknown block type(s): {unknown}")
    return [block.to_dict() for block in parsed]


def _unique_ids(blocks: list[Any]) -> None:
    """Slack refuses a message whose block_ids repeat, or whose elements repeat an action_id within a block."""
    block_ids = [b.get("block_id") for b in blocks if isinstance(b, dict) and b.get("block_id")]
    if len(block_ids) != len(set(block_ids)):
        raise SlackObjectFormationError(f"block_id repeated in one message: {block_ids}")
    for block in blocks:
        elements = block.get("elements") if isinstance(block, dict) and block.get("type") == "actions" else None
        action_ids = [e.get("action_id") for e in elements or [] if isinstance(e, dict) and e.get("action_id")]
        if len(action_ids) != len(set(action_ids)):
            raise SlackObjectFormationError(f"action_id repeated in one actions block: {action_ids}")


def visible_text(node: Any) -> str:
    """Every string Slack renders from a payload (text objects, fallback), not the opaque button values."""
    if isinstance(node, str):
        return node
    if isinstance(node, list):
        return "\n".join(visible_text(item) for item in node)
    if isinstance(node, dict):
        return "\n".join(visible_text(v) for k, v in node.items() if k not in ("value", "action_id", "block_id"))
    return ""
