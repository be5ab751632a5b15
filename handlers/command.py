"""`/guide`: one slash command, routed by its first words to a feature (`case add`, `cases`, ...), else a question.

A subcommand claims a message only when its words match exactly, so "case management on IDAP?" stays a question.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from handlers import ids
from handlers.ask import ask_command
from handlers.services import Services


@dataclass(frozen=True)
class Subcommand:
    """`matches(words)` says whether the text is this subcommand; `handle` stores it (or opens a modal) and acks."""

    matches: Callable[[list[str]], bool]
    handle: Callable[[Services, Ack, dict[str, Any], WebClient, BoltContext], None]


def register(app: App, services: Services, subcommands: list[Subcommand]) -> None:
    """The `/guide` listener: the first matching subcommand, or the question for Ask."""

    def on_command(ack: Ack, command: dict[str, Any], client: WebClient, context: BoltContext) -> None:
        words = str(command.get("text") or "").split()
        for subcommand in subcommands:
            if subcommand.matches([w.lower() for w in words]):
                subcommand.handle(services, ack, command, client, context)
                return
        ask_command(services, command, context)
        ack()

    app.command(ids.COMMAND)(on_command)
