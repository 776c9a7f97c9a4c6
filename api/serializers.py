from rest_framework import serializers

from inspection.models import ComplianceSummary
from tenants.models import Community, StreetOffice


class StreetOfficeSerializer(serializers.ModelSerializer):
    class Meta:
        model = StreetOffice
        fields = ["code", "name", "district"]


class ComplianceSerializer(serializers.ModelSerializer):
    community = serializers.CharField(source="community.schema_name")
    on_time_rate = serializers.DecimalField(
        max_digits=4, decimal_places=1, allow_null=True, coerce_to_string=False
    )

    class Meta:
        model = ComplianceSummary
        fields = [
            "community",
            "period_kind",
            "period",
            "start",
            "end",
            "due",
            "on_time",
            "late",
            "overdue",
            "waived",
            "not_yet_due",
            "corrections",
            "republications_ordered",
            "display_windows_ended",
            "display_windows_cut_short",
            "on_time_rate",
            "computed_on",
        ]


class CommunitySerializer(serializers.ModelSerializer):
    code = serializers.CharField(source="schema_name")
    street_office = serializers.CharField(source="street_office.code")
    compliance = serializers.SerializerMethodField()

    class Meta:
        model = Community
        fields = ["code", "name", "street_office", "address", "is_active", "compliance"]

    def get_compliance(self, community: Community) -> dict | None:
        """This year's figures, from the summary table (never from the community's schema)."""
        row = self.context.get("current_year", {}).get(community.pk)
        return ComplianceSerializer(row).data if row else None
