"""Chinese labels for this app's audit actions and the change keys that are not model fields."""

ACTIONS = {
    "add_follow_up": "新增跟进事项",
    "approve_contract": "审查通过集体合同",
    "close_bargaining_request": "结束协商要约",
    "complete_follow_up": "完成跟进事项",
    "correct_employment_filing": "更正用工备案",
    "disclose_affairs": "厂务公开",
    "dissolve_union": "撤销工会",
    "draft_contract": "起草集体合同",
    "establish_congress": "建立职工代表大会",
    "establish_union": "建立工会",
    "file_contract": "报送集体合同",
    "file_employment": "用工备案",
    "object_contract": "对集体合同提出异议",
    "record_bargaining_round": "记录协商会议",
    "record_congress_session": "记录职代会会议",
    "record_tripartite_meeting": "记录三方会议",
    "renew_contract": "续订集体合同",
    "reply_bargaining": "答复协商要约",
    "request_bargaining": "提出协商要约",
    "sign_contract": "签订集体合同",
    "terminate_contract": "终止集体合同",
    "update_draft_contract": "修改集体合同草案",
    "update_union": "修改工会信息",
}

FIELDS = {"renewal": "续订合同"}
