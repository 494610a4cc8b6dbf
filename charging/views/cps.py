"""CPS charging pages. (Being written: each view below is replaced by its real implementation.)"""

from django.http import Http404, HttpRequest, HttpResponse


def _todo(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


queue = request_triage = request_allocate = workspace = decision_record = decision_correct = _todo
