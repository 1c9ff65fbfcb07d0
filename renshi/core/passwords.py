from django.core.exceptions import ValidationError


class CharacterClassValidator:
    """等保 8.1.4.1 a): at least three of upper case, lower case, digits and symbols."""

    def validate(self, password, user=None):
        classes = [
            any(c.isupper() for c in password),
            any(c.islower() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        ]
        if sum(classes) < 3:
            raise ValidationError(
                "密码须至少包含大写字母、小写字母、数字、符号中的三类", code="password_classes"
            )

    def get_help_text(self):
        return "密码须至少包含大写字母、小写字母、数字、符号中的三类"
