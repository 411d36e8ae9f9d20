"""Chinese labels for this app's audit actions and the change keys that are not model fields."""

ACTIONS = {
    "record_wage_deposit": "记录工资保证金",
    "record_wage_account": "记录农民工工资专用账户",
    "record_real_name": "记录实名制管理",
    "record_bank_payroll": "记录总包代发工资",
    "record_notice_board": "记录维权信息告示牌",
    "upload_payroll": "上传工资发放表",
    "replace_payroll": "替换工资发放表",
    "update_wage_code_rule": "修改工资码规则",
    "update_wage_settings": "修改工资设置",
}
