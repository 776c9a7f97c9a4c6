from __future__ import annotations

from django import forms
from django.forms import BaseModelFormSet, modelformset_factory

from communities.models import CommunityProfile, Officer
from tenants.form_errors import ModelForm


class ProfileForm(ModelForm):
    class Meta:
        model = CommunityProfile
        fields = ["overview", "address", "area_km2", "population", "households", "office_hours", "phone"]
        widgets = {"overview": forms.Textarea(attrs={"rows": 5})}


OfficerFormSet: type[BaseModelFormSet[Officer, forms.ModelForm[Officer]]] = modelformset_factory(
    Officer,
    form=ModelForm,
    fields=["committee", "name", "post", "duties", "area_covered", "phone"],
    extra=2,
    can_delete=True,
)
