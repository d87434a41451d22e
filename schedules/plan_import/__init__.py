"""Turning a plan document's text into a draft plan file (issue 13).

Pure: text in, draft out. Reading .docx/.pdf is the outside world's job (bot/plans/document_text.py).

    draft = plan_import.build(text, "ke-hoach-60.docx")
    draft.data      # dict in the plan schema, with `todo` for what a person must finish
    draft.to_yaml() # the file to hand to that person; `chibo plans check` fails until todo is empty
"""

from schedules.plan_import.draft import Draft, build

__all__ = ["Draft", "build"]
