"""Chinese labels for this app's audit actions and the change keys that are not model fields."""

ACTIONS = {
    "import_enterprise": "导入企业",
    "register_enterprise": "登记企业",
    "register_project": "登记工程项目",
    "set_union_established": "设置已建工会",
    "update_enterprise": "修改企业信息",
    "update_project": "修改工程项目",
}
