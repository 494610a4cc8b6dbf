"""The offence code search page: find the CJS code for an offence while building a case.

The offence list is public reference data, so any signed-in user may search it; nothing about a case
is shown, so nothing is audited.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ..dg6 import dg6_label
from ..offence_codes import SEARCH_LIMIT_MAX, SEARCH_TEXT_MAX, offence_code_search
from ._common import MODE_OF_TRIAL_TAG_CLASSES

QUERY_REQUIRED = "Enter an offence code or words from the offence title"
QUERY_TOO_LONG = f"Search text must be {SEARCH_TEXT_MAX} characters or fewer"


class OffenceCodeSearchForm(forms.Form):
    q = forms.CharField(
        label="Search offences by code or words",
        help_text="For example, TH68001, CJ88 or assault by beating",
        max_length=SEARCH_TEXT_MAX,
        error_messages={"required": QUERY_REQUIRED, "max_length": QUERY_TOO_LONG},
    )


@login_required
def offence_code_search_page(request: HttpRequest) -> HttpResponse:
    # Unbound until the form is submitted, so a first visit shows no error.
    form = OffenceCodeSearchForm(request.GET if "q" in request.GET else None)
    results = None
    if form.is_bound and form.is_valid():
        results = [
            {
                "offence": offence,
                "mode_tag_class": MODE_OF_TRIAL_TAG_CLASSES.get(offence.mode_of_trial, "govuk-tag--grey"),
                "dg6_label": dg6_label(offence.dg6_group),
            }
            for offence in offence_code_search(query=form.cleaned_data["q"], limit=SEARCH_LIMIT_MAX)
        ]
    return render(request, "casework/offence_code_search.html", {"form": form, "results": results})
