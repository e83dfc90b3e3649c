"""Education settings: schools, nurseries, colleges; shared by every authority placing a child."""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import db
from portal.models.types import str_enum


class SettingType(StrEnum):
    NURSERY = "nursery"
    PRIMARY = "primary"
    SECONDARY = "secondary"
    ALL_THROUGH = "all_through"
    SPECIAL = "special"
    COLLEGE = "college"
    ALTERNATIVE_PROVISION = "alternative_provision"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class EducationSetting(db.Model):
    __tablename__ = "education_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The DfE Unique Reference Number (six digits); unique where known.
    urn: Mapped[str | None] = mapped_column(String(8), unique=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    setting_type: Mapped[SettingType] = mapped_column(str_enum(SettingType))
    local_authority_area: Mapped[str | None] = mapped_column(String(120))

    def __repr__(self) -> str:
        return f"<EducationSetting {self.urn} {self.name}>"
