from django import forms

from zhengwei.wechat.inbound.models import KeywordReply, MenuClickReply


class _Bootstrap(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")


class KeywordReplyForm(_Bootstrap):
    class Meta:
        model = KeywordReply
        fields = ["keyword", "match", "reply_text", "active"]
        widgets = {"reply_text": forms.Textarea(attrs={"rows": 4})}


class MenuClickReplyForm(_Bootstrap):
    class Meta:
        model = MenuClickReply
        fields = ["event_key", "reply_text", "active"]
        widgets = {"reply_text": forms.Textarea(attrs={"rows": 4})}
