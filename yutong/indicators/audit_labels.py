"""Chinese labels for this app's audit actions and the change keys that are not model fields."""

ACTIONS = {
    "remove_indicator_target": "删除指标目标值",
    "request_indicator_report": "生成指标报表",
    "set_indicator_target": "设置指标目标值",
    "update_indicator_settings": "修改指标设置",
}

FIELDS = {"report": "报表"}
