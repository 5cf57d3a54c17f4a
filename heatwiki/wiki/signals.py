"""What the engine announces to the apps built on it.

``revision_committed`` is sent once the transaction that saved a revision has committed, with
``page`` (the kind's instance), ``revision`` and ``snapshot`` (the revision's content). Apps
subscribe from their own ``ready()``: the engine never imports them.
"""

from django.dispatch import Signal

revision_committed = Signal()
# Sent once a page's deletion or undeletion has committed, with ``page``.
page_deleted = Signal()
page_undeleted = Signal()
