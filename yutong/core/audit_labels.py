"""Chinese labels for this app's audit actions and the change keys that are not model fields."""

from .roles import ROLE_NAMES

ACTIONS = {
    "cancel_import": "取消导入",
    "change_password": "修改密码",
    "commit_import": "确认导入",
    "create_organisation": "新建单位组织",
    "create_user": "新建账号",
    "end_org_unit": "撤销行政单位",
    "enrol_two_factor": "启用两步验证",
    "reset_two_factor": "重置两步验证",
    "retry_import": "重新导入",
    "reveal_personal_data": "查看个人信息",
    "revoke_token": "作废 API 令牌",
    "set_holiday_schedule": "设置节假日安排",
    "set_parameter": "设置参数",
    "set_password": "设置密码",
    "set_two_factor_roles": "设置两步验证策略",
    "unlock_account": "解锁账号",
    "update_user": "修改账号",
    "upload_import": "上传导入文件",
    "urge_case": "催办",
}

FIELDS = {
    "note": "催办事项",
    "tokens_ended": "作废的 API 令牌数",
    "created": "新建条数",
    "file": "文件",
    "password": "密码",
    "revealed": "查看内容",
    "roles": "角色",
    "items": "事项",
    "on": "日期",
    "days": "天数",
    "approver": "批准人",
    "from_day": "起始日",
    "to_day": "恢复日",
    "reason": "理由",
    "month": "月份",
    "import_job": "导入批次",
}

VALUES = {"roles": ROLE_NAMES}
