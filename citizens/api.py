"""REST API v1 of citizens: my profile and my consents, mounted under /api/v1/ by smarthp.api_urls.

Signing up and in is allauth's headless API (/_allauth/app/v1/, citizens.headless). Here the
profile is read and written with the profile page's own form (citizens.forms.ProfileForm: its codes,
ward and group checks and messages) and saved by citizens.services, as the page does.

    GET/PUT/PATCH me/             my account and personal information
    GET/PUT       me/consents/    my decision per purpose (recorded with the text's version)
"""

import datetime

from django.core.exceptions import ValidationError
from django.urls import path
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from smarthp import api

from . import services
from .forms import ConsentForm, ProfileForm
from .models import ConsentPurpose, Profile


def _text(value):
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def profile_data(user):
    """My account and profile as the profile form holds them (codes for the ward and group)."""
    initial = ProfileForm.initial_for(user)
    profile = Profile.objects.filter(user=user).select_related("ward", "residential_group").first()
    data = {name: _text(initial.get(name)) for name in ProfileForm.base_fields}
    data["date_of_birth"] = initial.get("date_of_birth") or None
    data.update(
        {
            "phone": user.phone,
            "phone_verified": user.phone_verified,
            "email": user.email,
            "has_password": user.has_usable_password(),
            "ward_name": profile.ward.name if profile and profile.ward else "",
            "residential_group_name": profile.residential_group.name if profile and profile.residential_group else "",
        }
    )
    return data


PROFILE = api.form_serializer(
    ProfileForm,
    name="Profile",
    partial=True,
    extra={
        "phone": serializers.CharField(allow_null=True, help_text="E.164, e.g. +84912345678."),
        "phone_verified": serializers.BooleanField(),
        "email": serializers.CharField(),
        "has_password": serializers.BooleanField(),
        "ward": serializers.CharField(help_text="The ward's official code, or empty."),
        "residential_group": serializers.CharField(help_text="The residential group's id, or empty."),
        "ward_name": serializers.CharField(),
        "residential_group_name": serializers.CharField(),
    },
)
PROFILE_INPUT = api.form_serializer(
    ProfileForm,
    name="ProfileInput",
    partial=True,
    extra={
        "ward": serializers.CharField(required=False, help_text="A ward's official code, or empty."),
        "residential_group": serializers.CharField(required=False, help_text="A group id of that ward, or empty."),
    },
)
PROFILE_ERRORS = api.errors(api.COMMON_ERRORS, api.BAD_REQUEST)


class Me(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=["me"], summary="My account and personal information", responses={200: PROFILE, **api.COMMON_ERRORS}
    )
    def get(self, request):
        return Response(profile_data(request.user))

    def _save(self, request, *, partial):
        fields = api.form_fields(request)
        data = {}
        if partial:
            initial = ProfileForm.initial_for(request.user)
            data = {name: _text(initial.get(name)) for name in ProfileForm.base_fields}
        data.update({name: value for name, value in fields.items() if name in ProfileForm.base_fields})
        form = ProfileForm(data, user=request.user)
        if not form.is_valid():
            raise api.form_errors(form)
        try:
            services.update_profile(user=request.user, **form.profile_data())
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
            raise api.form_errors(form) from exc
        return Response(profile_data(request.user))

    @extend_schema(
        tags=["me"],
        summary="Replace my personal information (a field left out is emptied)",
        request=PROFILE_INPUT,
        responses={200: PROFILE, **PROFILE_ERRORS},
    )
    def put(self, request):
        return self._save(request, partial=False)

    @extend_schema(
        tags=["me"],
        summary="Change some of my personal information",
        request=PROFILE_INPUT,
        responses={200: PROFILE, **PROFILE_ERRORS},
    )
    def patch(self, request):
        return self._save(request, partial=True)


CONSENTS = inline_serializer(
    "Consents",
    {purpose.value: serializers.BooleanField(help_text=str(purpose.label)) for purpose in ConsentPurpose},
)
CONSENTS_INPUT = inline_serializer(
    "ConsentsInput",
    {
        purpose.value: serializers.BooleanField(required=False, help_text=str(purpose.label))
        for purpose in ConsentPurpose
    },
)


def _consents(user):
    return {purpose.value: granted for purpose, granted in services.current_consents(user).items()}


class Consents(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(tags=["me"], summary="My consent per purpose", responses={200: CONSENTS, **api.COMMON_ERRORS})
    def get(self, request):
        return Response(_consents(request.user))

    @extend_schema(
        tags=["me"],
        summary="Give or withdraw consent (a purpose left out is unchanged)",
        request=CONSENTS_INPUT,
        responses={200: CONSENTS, **PROFILE_ERRORS},
    )
    def put(self, request):
        fields = api.form_fields(request)
        current = _consents(request.user)
        data = {f"consent_{name}": "on" if granted else "" for name, granted in current.items()}
        data.update({f"consent_{name}": value for name, value in fields.items() if name in current})
        form = ConsentForm(data)
        if not form.is_valid():
            raise api.form_errors(form)
        services.record_consents(user=request.user, decisions=form.consent_decisions(), only_changes=True)
        return Response(_consents(request.user))


urlpatterns = [
    path("me/", Me.as_view(), name="me"),
    path("me/consents/", Consents.as_view(), name="my_consents"),
]
