"""GFM task list items (markdown-it-py's built-in ``tasklists`` option) in material's markup.

markdown-it-py puts ``meta["checked"]`` on the ``list_item_open``; material draws its
own box from ``label.task-list-control > span.task-list-indicator`` and hides the input.
"""

from __future__ import annotations


def task_checkbox(checked: bool) -> str:
    mark = " checked" if checked else ""
    return (
        f'<label class="task-list-control"><input type="checkbox" disabled{mark}>'
        '<span class="task-list-indicator"></span></label> '
    )
