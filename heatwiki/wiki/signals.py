"""What the engine announces to the apps built on it.

``revision_committed`` is sent once the transaction that saved a revision has committed, with
``page`` (the kind's instance), ``revision``, ``snapshot`` (the revision's content) and
``previous`` (the snapshot of the revision before it; None for a new page).

``revisions_hidden`` is sent once a moderator's hiding (``hidden=True``) or unhiding
(``hidden=False``) of revisions has committed, with ``page_id`` and ``revisions``.

Apps subscribe from their own ``ready()``: the engine never imports them.
"""

from django.dispatch import Signal

revision_committed = Signal()
revisions_hidden = Signal()
# Sent once a page's deletion or undeletion has committed, with ``page``.
page_deleted = Signal()
page_undeleted = Signal()
