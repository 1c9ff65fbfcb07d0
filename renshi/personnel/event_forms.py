"""Forms for personnel events; each maps onto one service in services/events.py."""

from django import forms

from renshi.core import codes
from renshi.personnel.forms import DateInput, PersonForm
from renshi.personnel.models import EstablishmentCategory, ReservationStatus, SlotReservation


class EventForm(forms.Form):
    date = forms.DateField(label="生效日期", widget=DateInput())
    document_number = forms.CharField(label="批准文号", max_length=60)


class AppointForm(EventForm):
    post_name = forms.CharField(label="职务名称", max_length=100)
    post_level = forms.ChoiceField(label="职务层次", required=False)
    is_leader = forms.BooleanField(label="领导职务（占领导职数）", required=False)
    rank = forms.ChoiceField(label="同时晋升职级", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from renshi.personnel.record_forms import rank_choices

        self.fields["post_level"].choices = [("", "——"), *codes.choices("post_level")]
        self.fields["rank"].choices = rank_choices()


class TransferForm(EventForm):
    to_unit = forms.ModelChoiceField(label="调入单位", queryset=None)
    category = forms.ChoiceField(label="编制类别", choices=EstablishmentCategory.choices)
    post_name = forms.CharField(label="新任职务", max_length=100, required=False)

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_unit"].queryset = units


class LeaveForm(EventForm):
    pass


class HireForm(PersonForm):
    category = forms.ChoiceField(label="编制类别", choices=EstablishmentCategory.choices)
    entry_type = forms.ChoiceField(label="进入方式")
    date = forms.DateField(label="入编日期", widget=DateInput())
    document_number = forms.CharField(label="批准文号", max_length=60)
    post_name = forms.CharField(label="职务", max_length=100, required=False)
    reservation = forms.ModelChoiceField(
        label="使用编制预留", queryset=SlotReservation.objects.none(), required=False
    )

    def __init__(self, *args, unit=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entry_type"].choices = codes.choices("entry_type")
        self.fields["reservation"].queryset = SlotReservation.objects.filter(
            unit=unit, status=ReservationStatus.OPEN
        )
        del self.fields["note"]


class ApproveForm(forms.Form):
    category = forms.ChoiceField(label="编制类别", choices=EstablishmentCategory.choices)
    approved = forms.IntegerField(label="核定编制数", min_value=0, max_value=100000)
    document_number = forms.CharField(label="批准文号", max_length=60)
    document_date = forms.DateField(label="批准日期", widget=DateInput(), required=False)
    note = forms.CharField(label="说明", max_length=200, required=False)


class LeaderPostForm(forms.Form):
    level = forms.ChoiceField(label="职务层次")
    approved = forms.IntegerField(label="核定职数", min_value=0, max_value=1000)
    document_number = forms.CharField(label="批准文号", max_length=60)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = codes.choices("post_level")


class ReserveForm(forms.Form):
    category = forms.ChoiceField(label="编制类别", choices=EstablishmentCategory.choices)
    count = forms.IntegerField(label="预留数", min_value=1, max_value=1000)
    reason = forms.CharField(label="事由", max_length=200)
    document_number = forms.CharField(label="文号", max_length=60, required=False)
