from renshi.api.decorators import api_get
from renshi.api.http import json_response, paginate
from renshi.api.serializers import RECORD_SETS, person_data, person_keyed, record_data
from renshi.api.services import people_reveal
from renshi.api.views.common import client_ip, wants_codes
from renshi.personnel import selectors
from renshi.personnel.models import RECORD_MODELS, SlotOccupancy

# Related name of each sub-record set (RECORD_MODELS is keyed by the UI's record kinds).
RECORD_QUERIES = {
    "posts": RECORD_MODELS["post"],
    "ranks": RECORD_MODELS["rank"],
    "titles": RECORD_MODELS["title"],
    "educations": RECORD_MODELS["education"],
    "degrees": RECORD_MODELS["degree"],
    "rewards": RECORD_MODELS["reward"],
    "appraisals": RECORD_MODELS["appraisal"],
    "entries": RECORD_MODELS["entry"],
    "exits": RECORD_MODELS["exit"],
    "family": RECORD_MODELS["family"],
    "occupancies": SlotOccupancy,
}


def _reveal(request, people) -> dict:
    """Full numbers only when asked (`?reveal=1`) and the role may see them; audited."""
    if request.GET.get("reveal") != "1":
        return {}
    allowed = [p for p in people if selectors.can_reveal(request.user, p)]
    return people_reveal(
        actor=request.user, token=request.api_token, people=allowed, ip=client_ip(request)
    )


@api_get()
def person_list(request):
    """People as the UI search finds them (q, unit, status, education, title_level, …)."""
    codes = wants_codes(request)
    people, envelope = paginate(request, selectors.search_people(request.user, request.GET))
    revealed = _reveal(request, people)
    results = [person_keyed(person_data(p, revealed.get(p.pk)), codes) for p in people]
    return json_response({**envelope, "revealed": bool(revealed), "results": results})


@api_get()
def person_detail(request, pk):
    codes = wants_codes(request)
    person = selectors.get_person_for(request.user, pk)
    revealed = _reveal(request, [person])
    data = person_keyed(person_data(person, revealed.get(person.pk)), codes)
    data["revealed"] = bool(revealed)
    data["records"] = {
        (RECORD_SETS.get(name, name) if codes else name): [
            record_data(r) for r in model.objects.filter(person=person)
        ]
        for name, model in RECORD_QUERIES.items()
    }
    return json_response(data)
