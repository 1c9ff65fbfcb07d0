from renshi.api.http import bad_request


def wants_codes(request) -> bool:
    """`?keys=codes` keys fields by information-set item codes instead of English names."""
    keys = request.GET.get("keys", "")
    if keys not in ("", "fields", "codes"):
        raise bad_request(f"参数keys只能为fields或codes，收到「{keys}」")
    return keys == "codes"


def client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None
