"""The online service hall (电子政务办事大厅): the item catalogue and the cases filed under it."""

from renshi.hall.models.cases import *  # noqa: F403
from renshi.hall.models.cases import CLOSED_STATUSES, OPEN_STATUSES, RUNNING  # noqa: F401
from renshi.hall.models.catalogue import *  # noqa: F403
from renshi.hall.models.catalogue import CONTENT_FIELDS  # noqa: F401
