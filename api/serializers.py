"""What the API shows and accepts. Input serializers name only the fields a caller may set."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import Department, User
from tickets.attachments import validate_uploads
from tickets.models import Attachment, Comment, Platform, ProblemType, Queue, Ticket


class PersonSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "full_name"]


class QueueSerializer(serializers.ModelSerializer):
    class Meta:
        model = Queue
        fields = ["id", "name", "slug", "description"]


class QueueRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Queue
        fields = ["id", "name"]


class PlatformSerializer(serializers.ModelSerializer):
    class Meta:
        model = Platform
        fields = ["id", "name", "slug"]


class ProblemTypeSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProblemType
        fields = ["id", "name", "slug", "help_text"]


class ProfileSerializer(serializers.ModelSerializer):
    department: serializers.StringRelatedField[Department] = serializers.StringRelatedField()

    class Meta:
        model = User
        fields = ["id", "email", "full_name", "role", "department"]


class TicketSerializer(serializers.ModelSerializer):
    reference = serializers.CharField(read_only=True)
    queue = QueueRefSerializer(read_only=True)
    platform = PlatformSerializer(read_only=True)
    problem_type = ProblemTypeSerializer(read_only=True)
    requester = PersonSerializer(read_only=True)
    assignee = PersonSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Ticket
        fields = [
            "id",
            "reference",
            "subject",
            "status",
            "priority",
            "queue",
            "platform",
            "problem_type",
            "requester",
            "assignee",
            "company_account",
            "created_at",
            "updated_at",
            "first_response_at",
            "resolved_at",
            "sla_due_at",
        ]
        read_only_fields = fields


class AttachmentSerializer(serializers.ModelSerializer):
    download = serializers.SerializerMethodField(help_text="Where the file is: always sent as a download.")

    class Meta:
        model = Attachment
        fields = ["id", "name", "size", "content_type", "created_at", "download"]
        read_only_fields = fields

    def get_download(self, attachment: Attachment) -> str:
        return reverse("api:attachment", args=[attachment.pk])


class UploadsField(serializers.ListField):
    """Files sent as multipart/form-data, refused as a set by the screens' own rules."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            child=serializers.FileField(),
            required=False,
            help_text=f"Up to {settings.ATTACHMENT_MAX_COUNT} files (multipart/form-data only).",
            **kwargs,
        )

    def to_internal_value(self, data: Any) -> list[Any]:
        files: list[Any] = super().to_internal_value(data)
        try:
            validate_uploads(files)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from error
        return files


class CommentSerializer(serializers.ModelSerializer):
    author = PersonSerializer(read_only=True)
    internal = serializers.BooleanField(source="is_internal", read_only=True)
    attachments = AttachmentSerializer(many=True, read_only=True)

    class Meta:
        model = Comment
        fields = ["id", "author", "body", "internal", "created_at", "attachments"]
        read_only_fields = fields


class TicketDetailSerializer(TicketSerializer):
    attachments = serializers.SerializerMethodField(help_text="The files sent with the request itself.")
    comments = serializers.SerializerMethodField()

    class Meta(TicketSerializer.Meta):
        fields = [*TicketSerializer.Meta.fields, "description", "attachments", "comments"]
        read_only_fields = fields

    @extend_schema_field(AttachmentSerializer(many=True))
    def get_attachments(self, ticket: Ticket) -> Any:
        return AttachmentSerializer(self.context["attachments"], many=True).data

    @extend_schema_field(CommentSerializer(many=True))
    def get_comments(self, ticket: Ticket) -> Any:
        # The view hands over the conversation the caller may read, fetched once.
        return CommentSerializer(self.context["comments"], many=True).data


class TicketCreateSerializer(serializers.Serializer):
    platform = serializers.PrimaryKeyRelatedField(queryset=Platform.objects.filter(is_active=True))
    problem_type = serializers.PrimaryKeyRelatedField(queryset=ProblemType.objects.filter(is_active=True))
    subject = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=20_000)
    company_account = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class TicketCreateUploadSerializer(TicketCreateSerializer):
    files = UploadsField()


class TicketChangeSerializer(serializers.Serializer):
    """Each field is one service call; the ones left out are left alone."""

    status = serializers.ChoiceField(choices=Ticket.Status.choices, required=False)
    priority = serializers.ChoiceField(choices=Ticket.Priority.choices, required=False)
    assignee = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), required=False, allow_null=True
    )
    queue = serializers.PrimaryKeyRelatedField(queryset=Queue.objects.all(), required=False)

    def validate(self, data: dict[str, object]) -> dict[str, object]:
        if not data:
            raise serializers.ValidationError("Send at least one of status, priority, assignee or queue.")
        return data


class CommentCreateSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=20_000, trim_whitespace=True)
    internal = serializers.BooleanField(default=False)


class CommentCreateUploadSerializer(CommentCreateSerializer):
    files = UploadsField()


class EmailKindSerializer(serializers.Serializer):
    kind = serializers.CharField()
    # DRF's metaclass takes declared fields off the class: this is no Field.label.
    label = serializers.CharField()  # type: ignore[assignment]
    enabled = serializers.BooleanField()


class PreferencesSerializer(serializers.Serializer):
    optional = EmailKindSerializer(many=True, help_text="Emails you may turn off.")
    always = EmailKindSerializer(many=True, help_text="Emails the desk always sends you.")


class PreferencesChangeSerializer(serializers.Serializer):
    enabled = serializers.ListField(
        child=serializers.CharField(), help_text="The optional kinds to receive; the others are turned off."
    )
