"""Chinese labels for this app's audit actions and the change keys that are not model fields."""

ACTIONS = {
    "accept_complaint": "受理投诉",
    "assign_complaint": "分派投诉",
    "assign_inspectors": "指派监察员",
    "close_inspection_case": "监察案件结案",
    "complaint_materials_supplied": "投诉补正材料已提交",
    "compute_compliance_ratings": "评定守法诚信等级",
    "extend_inspection_case": "延长监察办案期限",
    "list_in_blacklist": "列入欠薪失信名单",
    "open_inspection_case": "监察立案",
    "override_compliance_rating": "调整守法诚信等级",
    "redirect_complaint": "转交投诉",
    "refuse_complaint": "不予受理投诉",
    "register_complaint": "登记投诉",
    "remove_from_blacklist": "移出欠薪失信名单",
    "request_complaint_materials": "通知补正投诉材料",
    "resume_inspection_case": "恢复监察办案",
    "suspend_inspection_case": "中止监察办案",
}
