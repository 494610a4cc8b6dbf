"""Notification pages. (Being written.)"""

from django.http import Http404, HttpRequest, HttpResponse


def _todo(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


notification_list = notification_open = notification_read_all = _todo
