import factory

from renshi.core.models import User
from renshi.core.roles import Role


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"用户{n}")
    role = Role.PERSONNEL
    password = factory.PostGenerationMethodCall("set_password", "Renshi-Test-2026!")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()
