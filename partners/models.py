"""Who the partners are (SPEC 1.1, 1.2) and which users belong to which partner."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models

from partners.kraljic import EngagementModel, Quadrant
from partners.lifecycle import LifecycleStage
from srm.core.models import TimeStampedModel


def _choices(
    enum: type[EngagementModel] | type[Quadrant] | type[LifecycleStage],
) -> list[tuple[str, str]]:
    return [(member.value, member.label) for member in enum]


class Category(models.Model):
    """A category of spend (e.g. battery cells, packaging, logistics)."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=120)

    class Meta:
        ordering = ("name",)
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.name


class Partner(TimeStampedModel):
    """A supplier company we work with; the tenant of the partner portal."""

    legal_name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(max_length=60)
    country = models.CharField(max_length=2, help_text="ISO 3166-1 alpha-2 code, e.g. DE")
    currency = models.CharField(max_length=3, default="EUR", help_text="ISO 4217 code, e.g. EUR")
    website = models.URLField(blank=True)
    categories = models.ManyToManyField(Category, blank=True, related_name="partners")
    lifecycle_stage = models.CharField(
        max_length=20, choices=_choices(LifecycleStage), default=LifecycleStage.IDENTIFIED
    )
    engagement_model = models.CharField(
        max_length=32, choices=_choices(EngagementModel), default=EngagementModel.TRANSACTIONAL
    )
    quadrant = models.CharField(max_length=20, choices=_choices(Quadrant), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_partners",
        help_text="Internal owner (category manager).",
    )
    alliance_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="managed_partners",
    )
    executive_sponsor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sponsored_partners",
    )
    tags = models.JSONField(default=list, blank=True)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ("short_name",)

    def __str__(self) -> str:
        return self.short_name


class AnnualSpend(models.Model):
    """What we spent with a partner in one year and category."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="spend")
    year = models.PositiveSmallIntegerField()
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="spend")
    amount = models.DecimalField(
        max_digits=16, decimal_places=2, validators=[MinValueValidator(Decimal(0))]
    )

    class Meta:
        ordering = ("-year", "category__name")
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "year", "category"], name="annual_spend_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(amount__gte=0), name="annual_spend_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.partner} {self.year} {self.category}: {self.amount}"


class SupplierContact(models.Model):
    """A person on the supplier's side."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=120)
    role = models.CharField(max_length=120, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    is_executive_sponsor = models.BooleanField(default=False)
    is_portal_user = models.BooleanField(default=False)

    class Meta:
        ordering = ("name",)

    def __str__(self) -> str:
        return f"{self.name} ({self.partner})"


class NoteVisibility(models.TextChoices):
    INTERNAL = "internal", "Internal only"
    SHARED = "shared", "Shared with partner"


class PartnerNote(models.Model):
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField()
    visibility = models.CharField(
        max_length=10, choices=NoteVisibility.choices, default=NoteVisibility.INTERNAL
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return f"Note on {self.partner}"


class LifecycleTransition(models.Model):
    """One recorded move between lifecycle stages: who, when, why."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="transitions")
    from_stage = models.CharField(max_length=20, choices=_choices(LifecycleStage))
    to_stage = models.CharField(max_length=20, choices=_choices(LifecycleStage))
    reason = models.TextField()
    lessons_learned = models.TextField(blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-at", "-id")

    def __str__(self) -> str:
        return f"{self.partner}: {self.from_stage} → {self.to_stage}"


class PartnerUser(models.Model):
    """Binds a supplier user to exactly one partner: the only company they may see."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="partner_link"
    )
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="users")

    def __str__(self) -> str:
        return f"{self.user} @ {self.partner}"
