"""Render one named block of a page template, so a partial and its page can never disagree."""
from __future__ import annotations

from flask import current_app


def render_block(template_name: str, block: str, **context) -> str:
    """The block's HTML with the same context (g, request, globals) a full render would have."""
    template = current_app.jinja_env.get_template(template_name)
    current_app.update_template_context(context)
    return "".join(template.blocks[block](template.new_context(context)))
