"""Sign-in and account forms. Error messages are constants so tests can import them."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import authenticate
from django.http import HttpRequest

from .models import User

SIGN_IN_ENTER_USERNAME = "Enter your username"
SIGN_IN_ENTER_PASSWORD = "Enter your password"  # noqa: S105 - a message
SIGN_IN_FAILED = "The username or password is not right. Check them and try again."
LOCKED_OUT = (
    "Your account has been locked because the wrong password was entered 5 times. "
    "Wait 30 minutes and try again, or ask your system administrator to unlock it."
)
CODE_ENTER = "Enter the 6-digit code from your authenticator app, or a backup code"
CODE_WRONG = "The code is not right or has expired. Enter the current code from your authenticator app."
CODE_THROTTLED = "You have entered too many wrong codes. Wait a minute, then enter the code your app shows."
SETUP_CODE_WRONG = "The code does not match. Scan the QR code again and enter the code your app shows now."


class SignInForm(forms.Form):
    username = forms.CharField(
        label="Username",
        max_length=150,
        error_messages={"required": SIGN_IN_ENTER_USERNAME},
        widget=forms.TextInput(attrs={"autocomplete": "username", "spellcheck": "false", "autocapitalize": "none"}),
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        error_messages={"required": SIGN_IN_ENTER_PASSWORD},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args: Any, request: HttpRequest, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.request = request
        self.user: User | None = None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        username, password = cleaned.get("username"), cleaned.get("password")
        if username and password:
            user = authenticate(self.request, username=username, password=password)
            if getattr(self.request, "axes_locked_out", False):
                raise forms.ValidationError(LOCKED_OUT, code="locked_out")
            if user is None or not user.is_active:
                raise forms.ValidationError(SIGN_IN_FAILED, code="invalid_login")
            self.user = user  # type: ignore[assignment]
        return cleaned


class OtpCodeForm(forms.Form):
    code = forms.CharField(
        label="Security code",
        max_length=16,
        error_messages={"required": CODE_ENTER},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "spellcheck": "false",
                "class": "govuk-input--width-10",
            }
        ),
    )

    def clean_code(self) -> str:
        return "".join(str(self.cleaned_data["code"]).split())
