"""Chinese labels for this app's audit actions and the change keys that are not model fields."""

ACTIONS = {
    "close_park": "撤销园区",
    "create_park": "登记园区",
    "import_enterprise": "导入企业",
    "import_park": "导入园区",
    "register_enterprise": "登记企业",
    "register_project": "登记工程项目",
    "reopen_park": "恢复园区运营",
    "set_union_established": "设置已建工会",
    "update_enterprise": "修改企业信息",
    "update_park": "修改园区信息",
    "update_project": "修改工程项目",
}

FIELDS = {
    "effective_on": "变更日期",
    "reopened_on": "恢复运营日期",
}
