import factory

from tenants.models import User

PASSWORD = "pw-Test-123"


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    real_name = factory.Faker("name", locale="zh_CN")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.invalid")

    # factory_boy calls this with the user it built, not with the factory.
    @factory.post_generation
    def password(user: User, create: bool, extracted: str | None, **kwargs: object) -> None:
        user.set_password(extracted or PASSWORD)
        if create:
            user.save(update_fields=["password"])
