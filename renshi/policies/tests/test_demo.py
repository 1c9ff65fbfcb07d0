import pytest

from renshi.policies import demo, selectors
from renshi.policies.models import Policy, StudyArticle, Validity

pytestmark = pytest.mark.django_db


def test_the_demo_library_loads_once_with_its_links():
    first = demo.load(log=lambda m: None)
    assert first["created"] >= 80 and first["links"] == len(demo.LINKS)
    assert demo.load(log=lambda m: None) == {"created": 0, "links": 0, "articles": 0}
    assert StudyArticle.objects.count() == 10
    old = Policy.objects.get(title="公务员考核规定（试行）")
    assert old.validity == Validity.REPEALED
    assert Policy.objects.get(title="中华人民共和国公务员法").validity == Validity.AMENDED
    # Local documents are marked as samples and carry no invented document number.
    assert not Policy.objects.filter(is_sample=True).exclude(doc_number="").exists()
    results = selectors.policy_search(q="公务员 考核", filters=selectors.Filters(), page_number=1)
    first_page = [p.title for p, _, _ in results.hits]
    assert "公务员考核规定" in first_page
    assert all("公务员" in t and "考核" in t for t in first_page[:5])
