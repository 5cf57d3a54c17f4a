"""Rendered pages for anonymous readers, keyed by the wiki's content generation.

Any committed change to content (a revision, a protection, a hidden revision, a block, an
admin edit, a deploy's ``migrate``) moves the generation on, so no reader is ever served a
page older than the last change.
"""
