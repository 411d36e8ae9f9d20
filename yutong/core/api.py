"""API pieces of core: sign-in (token, logout, password, administration of accounts) and org
units."""

from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.signals import user_logged_in
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, generics, serializers, status, viewsets
from rest_framework.authentication import SessionAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from . import accounts, inbox, queries, roles, scope, services, twofactor
from .auth import issue_token, record_failure, refusal_message, token_expires
from .drf import DayField
from .models import LoginEvent, Message, OrgUnit
from .permissions import require_role

OTP_MISSING = "该账号须两步验证，请同时提交动态验证码（otp）。"
OTP_NOT_ENROLLED = "该账号须两步验证，请先在网页登录并绑定动态验证码。"
OTP_WRONG = "动态验证码不正确。"


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, trim_whitespace=False)
    otp = serializers.CharField(
        max_length=16,
        required=False,
        help_text="动态验证码或恢复码（须两步验证的账号必填）",
    )


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField()
    expires = serializers.DateTimeField(read_only=True)


class TokenView(ObtainAuthToken):
    """POST {"username", "password", "otp"?} → {"token", "expires"}.

    The same lockout as the login page; accounts that must use two-factor sign-in also send the
    one-time code (or a recovery code) as ``otp``."""

    @extend_schema(request=TokenRequestSerializer, responses=TokenResponseSerializer, auth=[])
    def post(self, request, *args, **kwargs):
        extra = TokenRequestSerializer(data=request.data)
        extra.is_valid(raise_exception=True)
        serializer = self.get_serializer(data=extra.validated_data)
        if not serializer.is_valid():
            locked = refusal_message(request)
            if locked:
                raise exceptions.ValidationError({"non_field_errors": [locked]})
            raise exceptions.ValidationError(serializer.errors)
        user = serializer.validated_data["user"]
        self._second_factor(request, user, extra.validated_data.get("otp", ""))
        token = issue_token(user)
        # A token is a login: the login log records it (and resets the failure count), and
        # last_login is updated, as for the login page.
        user_logged_in.send(sender=user.__class__, request=request, user=user)
        return Response({"token": token.key, "expires": token_expires(token)})

    @staticmethod
    def _second_factor(request, user, code: str) -> None:
        if not twofactor.asks_code(user):
            return
        if not twofactor.enrolled(user) and not code:
            raise exceptions.ValidationError({"otp": [OTP_NOT_ENROLLED]})
        if not code:
            raise exceptions.ValidationError({"otp": [OTP_MISSING]})
        if twofactor.verify(user, code) is None:
            record_failure(user.get_username(), "api", LoginEvent.Kind.OTP_FAILURE)
            raise exceptions.ValidationError({"otp": [OTP_WRONG]})


class LogoutView(APIView):
    """Revoke the caller's own token."""

    @extend_schema(request=None, responses={204: OpenApiResponse(description="令牌已作废")})
    def post(self, request):
        accounts.revoke_token(request.user, request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class PasswordChangeSerializer(serializers.Serializer):
    old_password = serializers.CharField(max_length=128, trim_whitespace=False)
    new_password = serializers.CharField(max_length=128, trim_whitespace=False)


class PasswordChangeResponseSerializer(serializers.Serializer):
    token = serializers.CharField(allow_null=True, help_text="新令牌（原令牌已作废）")


class PasswordChangeView(APIView):
    """Change one's own password: every token of the old one is revoked; a token caller gets
    a new one."""

    @extend_schema(request=PasswordChangeSerializer, responses=PasswordChangeResponseSerializer)
    def post(self, request):
        data = PasswordChangeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        token = accounts.change_own_password(request.user, channel="api", **data.validated_data)
        if isinstance(request.successful_authenticator, SessionAuthentication):
            update_session_auth_hash(request, request.user)  # a session caller stays signed in
        return Response({"token": token.key if token else None})


class TokenInfoSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username")
    display_name = serializers.CharField(source="user.display_name")
    unit = serializers.SlugRelatedField(source="user.unit", slug_field="code", read_only=True)
    expires = serializers.SerializerMethodField()

    class Meta:
        model = Token
        fields = ["username", "display_name", "unit", "created", "expires"]

    def get_expires(self, token) -> str:
        return serializers.DateTimeField().to_representation(token_expires(token))


class TokenListView(generics.ListAPIView):
    """API tokens of the accounts the administrator manages (never the keys)."""

    serializer_class = TokenInfoSerializer
    filterset_fields = []

    def list(self, request, *args, **kwargs):
        require_role(request.user, *roles.USER_ADMINS)
        return super().list(request, *args, **kwargs)

    def get_queryset(self):
        return queries.tokens_visible_to(self.request.user)


def _managed_user(request, username: str):
    require_role(request.user, *roles.USER_ADMINS)
    return get_object_or_404(queries.users_visible_to(request.user), username=username)


class TokenRevokeView(APIView):
    @extend_schema(request=None, responses={204: OpenApiResponse(description="令牌已作废")})
    def post(self, request, username: str):
        """Revoke an account's API token (administrator)."""
        accounts.revoke_token(request.user, _managed_user(request, username))
        return Response(status=status.HTTP_204_NO_CONTENT)


class UnlockView(APIView):
    @extend_schema(request=None, responses={204: OpenApiResponse(description="已解锁")})
    def post(self, request, username: str):
        """Clear an account's login lockout for every address (administrator)."""
        accounts.unlock(request.user, _managed_user(request, username), channel="api")
        return Response(status=status.HTTP_204_NO_CONTENT)


class TwoFactorResetView(APIView):
    @extend_schema(request=None, responses={204: OpenApiResponse(description="已重置")})
    def post(self, request, username: str):
        """Remove an account's authenticator and recovery codes (administrator)."""
        accounts.reset_two_factor(request.user, _managed_user(request, username))
        return Response(status=status.HTTP_204_NO_CONTENT)


class OrgUnitSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True)
    successor = serializers.SlugRelatedField(slug_field="code", read_only=True)
    current = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = OrgUnit
        fields = [
            "code",
            "name",
            "level",
            "kind",
            "parent",
            "valid_from",
            "valid_to",
            "successor",
            "current",
        ]


class OrgUnitViewSet(viewsets.ReadOnlyModelViewSet):
    """Org units in the caller's scope.

    Filters: ?level=district, ?parent=CODE, ?on=YYYY-MM-DD (units in force that day).
    """

    serializer_class = OrgUnitSerializer
    lookup_field = "code"
    filterset_fields = {"level": ["exact"], "kind": ["exact"]}

    def get_queryset(self):
        queryset = scope.units_visible_to(self.request.user).select_related("successor", "current")
        parent = self.request.query_params.get("parent")
        if parent:
            queryset = queryset.filter(parent__code=parent)
        on = self.request.query_params.get("on")
        if on:
            field = DayField()
            try:
                day = field.to_internal_value(on)
            except serializers.ValidationError as exc:
                raise exceptions.ValidationError({"on": exc.detail}) from exc
            queryset = queryset.filter(OrgUnit.valid_on_q(day))
        return queryset.order_by("code")


def auth_paths():
    """The routes under /api/v1/auth/ (mounted by the project's urls.py)."""
    from django.urls import path

    return [
        path("token/", TokenView.as_view(), name="api_token"),
        path("logout/", LogoutView.as_view(), name="api_logout"),
        path("password/", PasswordChangeView.as_view(), name="api_password"),
        path("tokens/", TokenListView.as_view(), name="api_tokens"),
        path("accounts/<str:username>/revoke-token/", TokenRevokeView.as_view()),
        path("accounts/<str:username>/unlock/", UnlockView.as_view()),
        path("accounts/<str:username>/reset-two-factor/", TwoFactorResetView.as_view()),
    ]


# --- messages (站内信) and the global search --------------------------------------------------


class MessageSerializer(serializers.ModelSerializer):
    sender = serializers.StringRelatedField()

    class Meta:
        model = Message
        fields = ["id", "kind", "title", "body", "url", "sender", "created_at", "read_at"]


class MessageFilterSerializer(serializers.Serializer):
    unread = serializers.BooleanField(required=False, help_text="只列未读")
    kind = serializers.ChoiceField(choices=Message.Kind.choices, required=False)


class MessageReadAllSerializer(serializers.Serializer):
    marked = serializers.IntegerField(help_text="本次标为已读的条数")


@extend_schema_view(list=extend_schema(parameters=[MessageFilterSerializer]))
class MessageViewSet(viewsets.ReadOnlyModelViewSet):
    """The caller's own messages, newest first."""

    serializer_class = MessageSerializer
    queryset = Message.objects.none()  # the schema's model; requests read the caller's own
    filterset_fields = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Message.objects.none()
        queryset = inbox.inbox_of(self.request.user).select_related("sender")
        if self.action != "list":
            return queryset
        params = MessageFilterSerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        if params.validated_data.get("unread"):
            queryset = queryset.filter(read_at__isnull=True)
        if params.validated_data.get("kind"):
            queryset = queryset.filter(kind=params.validated_data["kind"])
        return queryset

    @extend_schema(request=None, responses=MessageSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        """Mark one message read."""
        message = self.get_object()
        services.mark_messages_read(request.user, [message.pk])
        message.refresh_from_db()
        return Response(MessageSerializer(message).data)

    @extend_schema(request=None, responses=MessageReadAllSerializer)
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        """Mark every unread message read."""
        return Response({"marked": services.mark_messages_read(request.user)})


class SearchQuerySerializer(serializers.Serializer):
    q = serializers.CharField(
        min_length=2,
        max_length=100,
        help_text="企业名称或统一社会信用代码、案件编号、项目名称或编码",
    )


class SearchHitSerializer(serializers.Serializer):
    label = serializers.CharField()
    note = serializers.CharField()
    url = serializers.CharField()


class SearchGroupSerializer(serializers.Serializer):
    title = serializers.CharField()
    hits = SearchHitSerializer(many=True)


class SearchView(APIView):
    @extend_schema(parameters=[SearchQuerySerializer], responses=SearchGroupSerializer(many=True))
    def get(self, request):
        """Enterprises, projects and cases matching ``q``, each within the caller's scope (at
        most 10 per group)."""
        from .shell_views import search_hits

        params = SearchQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        return Response(search_hits(request.user, params.validated_data["q"].strip()))


def shell_paths():
    from django.urls import path

    return [path("search/", SearchView.as_view(), name="api_search")]
