"""Police charging pages. (Being written: each view below is replaced by its real implementation.)"""

from django.http import Http404, HttpRequest, HttpResponse


def _todo(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


case_charging = request_create = request_detail = request_edit = request_submit = request_review = _todo
request_withdraw = action_answer = request_resubmit = request_reopen = police_charge = _todo
