"""The roles a user can hold.

A user has exactly one role; officers also have an agency and a level.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ENTERPRISE = "enterprise", _("Enterprise user")
    INVESTOR = "investor", _("Investor")
    OFFICER = "officer", _("Agency officer")
    SERVICE_MANAGER = "service_manager", _("Service manager")
    DATA_STEWARD = "data_steward", _("Data steward")
    CITY_ADMIN = "city_admin", _("City administrator")


class OfficerLevel(models.TextChoices):
    CLERK = "clerk", _("Clerk")
    REVIEWER = "reviewer", _("Reviewer")
    HEAD = "head", _("Head of agency")


class InvestorKind(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual investor")
    COMPANY = "company", _("Company registered abroad")


# Roles people may choose for themselves at registration; the others are granted by staff.
SELF_REGISTRATION_ROLES = (Role.ENTERPRISE, Role.INVESTOR)
# Roles that work inside one agency.
AGENCY_ROLES = (Role.OFFICER, Role.DATA_STEWARD)
