"""factory_boy factories shared by the suite."""

from __future__ import annotations

from decimal import Decimal

import factory

from core.models import User
from core.roles import Role
from partners.kraljic import EngagementModel, Quadrant
from partners.lifecycle import LifecycleStage
from partners.models import AnnualSpend, Category, Partner, PartnerUser, SupplierContact

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    role = Role.PROCUREMENT_MANAGER
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj: User, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            obj.save()


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"cat-{n}")
    name = factory.LazyAttribute(lambda c: c.code.replace("-", " ").title())


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner

    legal_name = factory.Sequence(lambda n: f"Partner {n} GmbH")
    short_name = factory.Sequence(lambda n: f"Partner {n}")
    country = "DE"
    currency = "EUR"
    engagement_model = EngagementModel.STRATEGIC_PARTNERSHIP
    quadrant = Quadrant.STRATEGIC
    lifecycle_stage = LifecycleStage.ACTIVE


class AnnualSpendFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AnnualSpend

    partner = factory.SubFactory(PartnerFactory)
    category = factory.SubFactory(CategoryFactory)
    year = 2026
    amount = Decimal("100000.00")


class SupplierContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupplierContact

    partner = factory.SubFactory(PartnerFactory)
    name = factory.Faker("name")
    email = factory.Faker("email")


def supplier_user(partner: Partner, username: str | None = None) -> User:
    """A supplier user bound to ``partner``."""
    user = UserFactory(role=Role.SUPPLIER_USER, **({"username": username} if username else {}))
    PartnerUser.objects.create(user=user, partner=partner)
    return user
