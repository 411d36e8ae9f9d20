"""Chinese labels for this app's audit actions and the change keys that are not model fields."""

ACTIONS = {
    "add_harmony_document": "上传和谐企业创建材料",
    "enrol_harmony": "报名和谐企业创建",
    "remove_harmony_document": "删除和谐企业创建材料",
    "save_harmony_question": "保存体检题目",
    "save_harmony_items": "保存评分项目",
    "save_harmony_vetoes": "保存否决事项",
    "save_harmony_documents": "保存材料种类",
    "save_harmony_themes": "保存体检主题",
    "submit_health_check": "提交企业体检",
    "withdraw_harmony_enrollment": "退出和谐企业创建",
    "start_harmony_evaluation": "开始和谐企业评价",
    "submit_harmony_evaluation": "提交和谐企业评价",
    "score_harmony_evaluation": "评分和谐企业评价",
    "review_harmony_evaluation": "审核和谐企业评价",
    "withdraw_harmony_evaluation": "撤回和谐企业评价",
    "revoke_harmony_evaluation": "撤销和谐企业称号",
}

FIELDS = {"documents": "材料"}
