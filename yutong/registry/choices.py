from django.db import models

# GB/T 4754-2017 sections (门类).
INDUSTRY_SECTIONS = {
    "A": "农、林、牧、渔业",
    "B": "采矿业",
    "C": "制造业",
    "D": "电力、热力、燃气及水生产和供应业",
    "E": "建筑业",
    "F": "批发和零售业",
    "G": "交通运输、仓储和邮政业",
    "H": "住宿和餐饮业",
    "I": "信息传输、软件和信息技术服务业",
    "J": "金融业",
    "K": "房地产业",
    "L": "租赁和商务服务业",
    "M": "科学研究和技术服务业",
    "N": "水利、环境和公共设施管理业",
    "O": "居民服务、修理和其他服务业",
    "P": "教育",
    "Q": "卫生和社会工作",
    "R": "文化、体育和娱乐业",
    "S": "公共管理、社会保障和社会组织",
    "T": "国际组织",
}


class Industry(models.TextChoices):
    A = "A", INDUSTRY_SECTIONS["A"]
    B = "B", INDUSTRY_SECTIONS["B"]
    C = "C", INDUSTRY_SECTIONS["C"]
    D = "D", INDUSTRY_SECTIONS["D"]
    E = "E", INDUSTRY_SECTIONS["E"]
    F = "F", INDUSTRY_SECTIONS["F"]
    G = "G", INDUSTRY_SECTIONS["G"]
    H = "H", INDUSTRY_SECTIONS["H"]
    I = "I", INDUSTRY_SECTIONS["I"]  # noqa: E741 (the standard's own letter)
    J = "J", INDUSTRY_SECTIONS["J"]
    K = "K", INDUSTRY_SECTIONS["K"]
    L = "L", INDUSTRY_SECTIONS["L"]
    M = "M", INDUSTRY_SECTIONS["M"]
    N = "N", INDUSTRY_SECTIONS["N"]
    O = "O", INDUSTRY_SECTIONS["O"]  # noqa: E741
    P = "P", INDUSTRY_SECTIONS["P"]
    Q = "Q", INDUSTRY_SECTIONS["Q"]
    R = "R", INDUSTRY_SECTIONS["R"]
    S = "S", INDUSTRY_SECTIONS["S"]
    T = "T", INDUSTRY_SECTIONS["T"]


class Ownership(models.TextChoices):
    STATE_OWNED = "state_owned", "国有企业"
    COLLECTIVE = "collective", "集体企业"
    JOINT_STOCK = "joint_stock", "股份制企业"
    PRIVATE = "private", "私营企业"
    HMT_INVESTED = "hmt_invested", "港澳台商投资企业"
    FOREIGN_INVESTED = "foreign_invested", "外商投资企业"
    INDIVIDUAL = "individual", "个体经济组织"
    OTHER = "other", "其他"


class EnterpriseStatus(models.TextChoices):
    OPERATING = "operating", "存续经营"
    SUSPENDED = "suspended", "停业歇业"
    DEREGISTERED = "deregistered", "注销"


# Size bands by headcount, for filtering (the statistical size class also depends on
# industry and turnover, which the registry does not hold).
SIZE_BANDS = {
    "lt20": ("20人以下", 0, 19),
    "20_99": ("20-99人", 20, 99),
    "100_299": ("100-299人", 100, 299),
    "300_999": ("300-999人", 300, 999),
    "1000plus": ("1000人及以上", 1000, None),
}


class ProjectSector(models.TextChoices):
    """The kind of works, which names the industry authority that supervises the project's wage
    payment (《保障农民工工资支付条例》第十条: 住房城乡建设、交通运输、水利等行业工程建设
    主管部门)."""

    HOUSING = "housing", "房屋建筑和市政基础设施工程"
    TRANSPORT = "transport", "交通运输工程"
    WATER = "water", "水利工程"
    OTHER = "other", "其他工程"


class ProjectStatus(models.TextChoices):
    PLANNED = "planned", "未开工"
    UNDER_CONSTRUCTION = "under_construction", "在建"
    SUSPENDED = "suspended", "停工"
    COMPLETED = "completed", "竣工"


# A project is "live" (在建项目) while work may be going on and wages are owed monthly.
LIVE_PROJECT_STATUSES = (ProjectStatus.UNDER_CONSTRUCTION, ProjectStatus.SUSPENDED)
