from renshi.api.decorators import api_get
from renshi.api.http import json_response
from renshi.api.openapi import SCHEMA


@api_get(auth=False)
def openapi(request):
    """The schema is public: it describes the interface, not any data."""
    return json_response(SCHEMA)
