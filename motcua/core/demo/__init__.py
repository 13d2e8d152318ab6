"""Demo data for `manage.py seed_demo`: a Hồ Chí Minh City agency tree and the real procedures.

`procedures.json` holds facts as published (copied from shared/domain); the plain-language
lines below are our own wording. Agency identifier codes are illustrative, in the Circular
10/2016 shape, not the city's real codes.
"""

from __future__ import annotations

from dataclasses import dataclass

PROVINCE_CODE = 79  # Thành phố Hồ Chí Minh in the 34-province list (vietnam-provinces)


@dataclass(frozen=True)
class DemoAgency:
    code: str
    name: str
    name_en: str
    kind: str
    parent: str | None = None
    ward_code: int | None = None
    receiving: bool = False
    address: str = ""
    phone: str = ""
    email: str = ""


CITY = "000.00.00.H29"
SERVICE_CENTRE = "000.00.01.H29"
JUSTICE = "000.00.12.H29"
HOME_AFFAIRS = "000.00.13.H29"
CONSTRUCTION = "000.00.14.H29"
AGRICULTURE_ENVIRONMENT = "000.00.15.H29"
INDUSTRY_TRADE = "000.00.16.H29"
FINANCE = "000.00.17.H29"
POLICE = "000.00.18.H29"
EMPLOYMENT_CENTRE = "000.01.13.H29"
LAND_OFFICE = "000.01.15.H29"
DEMO_WARD = "000.00.31.H29"

AGENCIES: list[DemoAgency] = [
    DemoAgency(
        CITY,
        "Ủy ban nhân dân Thành phố Hồ Chí Minh",
        "Ho Chi Minh City People's Committee",
        "province_committee",
        address="86 Lê Thánh Tôn, Phường Sài Gòn",
        phone="028 3829 6052",
    ),
    DemoAgency(
        SERVICE_CENTRE,
        "Trung tâm Phục vụ hành chính công Thành phố Hồ Chí Minh",
        "Ho Chi Minh City Public Administrative Service Centre",
        "service_centre",
        CITY,
        receiving=True,
        address="Phường Sài Gòn, Thành phố Hồ Chí Minh",
        phone="1022",
    ),
    DemoAgency(JUSTICE, "Sở Tư pháp Thành phố Hồ Chí Minh", "Department of Justice", "department", CITY),
    DemoAgency(HOME_AFFAIRS, "Sở Nội vụ Thành phố Hồ Chí Minh", "Department of Home Affairs", "department", CITY),
    DemoAgency(CONSTRUCTION, "Sở Xây dựng Thành phố Hồ Chí Minh", "Department of Construction", "department", CITY),
    DemoAgency(
        AGRICULTURE_ENVIRONMENT,
        "Sở Nông nghiệp và Môi trường Thành phố Hồ Chí Minh",
        "Department of Agriculture and Environment",
        "department",
        CITY,
    ),
    DemoAgency(
        INDUSTRY_TRADE, "Sở Công Thương Thành phố Hồ Chí Minh", "Department of Industry and Trade", "department", CITY
    ),
    DemoAgency(FINANCE, "Sở Tài chính Thành phố Hồ Chí Minh", "Department of Finance", "department", CITY),
    DemoAgency(POLICE, "Công an Thành phố Hồ Chí Minh", "Ho Chi Minh City Police", "department", CITY),
    DemoAgency(
        EMPLOYMENT_CENTRE,
        "Trung tâm Dịch vụ việc làm Thành phố Hồ Chí Minh",
        "Employment Service Centre",
        "division",
        HOME_AFFAIRS,
        receiving=True,
    ),
    DemoAgency(
        LAND_OFFICE,
        "Văn phòng Đăng ký đất đai Thành phố Hồ Chí Minh",
        "Land Registration Office",
        "division",
        AGRICULTURE_ENVIRONMENT,
        receiving=True,
    ),
]

# (code, ward code from vietnam-provinces). The first is the demo ward of the demo accounts.
WARDS: list[tuple[str, int]] = [
    (DEMO_WARD, 26740),  # Phường Sài Gòn
    ("000.00.32.H29", 26743),  # Phường Bến Thành
    ("000.00.33.H29", 26737),  # Phường Tân Định
    ("000.00.34.H29", 27343),  # Phường Chợ Lớn
    ("000.00.35.H29", 26824),  # Phường Thủ Đức
    ("000.00.36.H29", 27664),  # Xã Cần Giờ
]

# Province-level procedures: the department that decides, by field (lĩnh vực).
DEPARTMENT_BY_FIELD: dict[str, str] = {
    "Lý lịch tư pháp": POLICE,
    "Việc làm": HOME_AFFAIRS,
    "Thành lập và hoạt động doanh nghiệp": FINANCE,
    "Đường bộ (sát hạch, cấp giấy phép lái xe)": POLICE,
    "Đất đai": AGRICULTURE_ENVIRONMENT,
    "An toàn thực phẩm": INDUSTRY_TRADE,
}
RECEIVING_BY_FIELD: dict[str, str] = {
    "Việc làm": EMPLOYMENT_CENTRE,
    "Đất đai": LAND_OFFICE,
}


@dataclass(frozen=True)
class DemoTopic:
    slug: str
    name: str
    name_en: str
    icon: str
    description: str


TOPICS: list[DemoTopic] = [
    DemoTopic("sinh-con", "Có con nhỏ", "Having a baby", "👶", "Khai sinh, giấy tờ cho con."),
    DemoTopic("ket-hon", "Kết hôn, gia đình", "Marriage and family", "💍", "Đăng ký kết hôn, xác nhận độc thân."),
    DemoTopic("nguoi-than-qua-doi", "Người thân qua đời", "When someone dies", "🕯️", "Khai tử, di chúc, thừa kế."),
    DemoTopic("noi-o", "Nơi ở, cư trú", "Where you live", "🏠", "Thường trú, tạm trú."),
    DemoTopic("nha-dat", "Nhà, đất", "Land and housing", "🗺️", "Sổ đỏ, sang tên, cấp đổi, cấp lại."),
    DemoTopic("xay-nha", "Xây, sửa nhà", "Building a house", "🧱", "Giấy phép xây dựng."),
    DemoTopic(
        "kinh-doanh", "Mở cửa hàng, kinh doanh", "Starting a business", "🏪", "Hộ kinh doanh, công ty, giấy phép con."
    ),
    DemoTopic("viec-lam", "Việc làm, mất việc", "Work and job loss", "🧰", "Trợ cấp thất nghiệp, giấy phép lao động."),
    DemoTopic(
        "giay-to",
        "Sao y, chứng thực giấy tờ",
        "Copies and attestation",
        "📄",
        "Chứng thực bản sao, chữ ký, bản sao từ sổ gốc, lý lịch tư pháp.",
    ),
    DemoTopic("xe-co", "Xe cộ, lái xe", "Vehicles and driving", "🛵", "Đăng ký xe, đổi giấy phép lái xe."),
    DemoTopic("tin-nguong", "Tín ngưỡng, lễ hội", "Beliefs and festivals", "🏮", "Đăng ký hoạt động tín ngưỡng."),
]


@dataclass(frozen=True)
class PlainWords:
    """Our own plain-language lead for a procedure: who it is for and what you get."""

    lead: str
    lead_en: str
    topics: tuple[str, ...]


# Keyed by national code, or by the published name where the code is not known.
PLAIN: dict[str, PlainWords] = {
    "1.001193": PlainWords(
        "Khi em bé chào đời, cha hoặc mẹ đăng ký để bé có Giấy khai sinh và số định danh cá nhân.",
        "Register a newborn to get the birth certificate and personal ID number.",
        ("sinh-con",),
    ),
    "1.000894": PlainWords(
        "Hai người muốn thành vợ chồng hợp pháp cùng đến đăng ký để nhận Giấy chứng nhận kết hôn.",
        "A couple registers their marriage and receives the marriage certificate.",
        ("ket-hon",),
    ),
    "1.000656": PlainWords(
        "Khi người thân mất, gia đình báo và đăng ký khai tử để có Trích lục khai tử.",
        "Register a death to receive the death extract.",
        ("nguoi-than-qua-doi",),
    ),
    "2.000635": PlainWords(
        "Cần thêm bản sao Giấy khai sinh, giấy kết hôn...? Xin bản sao từ sổ hộ tịch tại đây.",
        "Get a copy of a birth, marriage or other civil status record.",
        ("sinh-con", "giay-to"),
    ),
    "1.004873": PlainWords(
        "Chứng minh bạn đang độc thân (để kết hôn, mua bán nhà đất...) bằng Giấy xác nhận tình trạng hôn nhân.",
        "Get a certificate of marital status.",
        ("ket-hon",),
    ),
    "1.004222": PlainWords(
        "Chuyển đến ở lâu dài tại nơi mới thì đăng ký thường trú để được ghi vào Cơ sở dữ liệu về cư trú.",
        "Register your permanent residence at a new address.",
        ("noi-o",),
    ),
    "1.004194": PlainWords(
        "Đến ở nơi khác từ 30 ngày trở lên (đi làm, đi học, thuê trọ) thì đăng ký tạm trú.",
        "Register temporary residence when staying 30 days or more.",
        ("noi-o",),
    ),
    "2.000815": PlainWords(
        "Cần bản sao có giá trị như bản chính? Mang bản chính đến để được chứng thực bản sao.",
        "Have copies certified as true copies of the original.",
        ("giay-to",),
    ),
    "2.000884": PlainWords(
        "Xác nhận chữ ký trên giấy tờ đúng là của bạn (hoặc điểm chỉ nếu không ký được).",
        "Have your signature on a document attested.",
        ("giay-to",),
    ),
    "2.001019": PlainWords(
        "Muốn di chúc của mình được chứng thực để tránh tranh chấp về sau.",
        "Have your will attested.",
        ("nguoi-than-qua-doi", "giay-to"),
    ),
    "2.001035": PlainWords(
        "Mua bán, tặng cho, thế chấp nhà đất hoặc xe cộ: hợp đồng được chứng thực tại đây.",
        "Attest contracts on land, housing or movable property.",
        ("nha-dat", "giay-to"),
    ),
    "2.000908": PlainWords(
        "Mất bằng cấp, giấy tờ? Xin bản sao từ sổ gốc nơi đã cấp cho bạn.",
        "Get a copy from the master register of the body that issued your document.",
        ("giay-to",),
    ),
    "3.000333": PlainWords(
        "Đi làm, đi du học cần chứng minh không có án tích: xin Phiếu lý lịch tư pháp.",
        "Get a criminal record certificate for work or study.",
        ("giay-to", "viec-lam"),
    ),
    "1.001978": PlainWords(
        "Mất việc và đã đóng bảo hiểm thất nghiệp đủ thời gian: đề nghị được nhận tiền trợ cấp thất nghiệp hằng tháng.",
        "Claim unemployment benefit after losing your job.",
        ("viec-lam",),
    ),
    "1.014199": PlainWords(
        "Doanh nghiệp thuê người nước ngoài làm việc tại Việt Nam xin giấy phép lao động cho họ.",
        "Employers apply for work permits for foreign workers.",
        ("viec-lam", "kinh-doanh"),
    ),
    "Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ": PlainWords(
        "Xây nhà mới cần có giấy phép xây dựng trước khi khởi công.",
        "Get a building permit before you build a new house.",
        ("xay-nha", "nha-dat"),
    ),
    "Đăng ký thành lập hộ kinh doanh": PlainWords(
        "Mở quán ăn, tiệm tạp hóa, cửa hàng nhỏ: đăng ký hộ kinh doanh để buôn bán hợp pháp.",
        "Register a household business to trade legally.",
        ("kinh-doanh",),
    ),
    "Đăng ký thành lập công ty trách nhiệm hữu hạn một thành viên": PlainWords(
        "Một người muốn lập công ty: đăng ký công ty TNHH một thành viên để có Giấy chứng nhận đăng ký doanh nghiệp.",
        "Register a single-member limited liability company.",
        ("kinh-doanh",),
    ),
    "Đổi giấy phép lái xe": PlainWords(
        "Bằng lái sắp hết hạn, bị hỏng hoặc cần đổi sang mẫu mới: đổi giấy phép lái xe.",
        "Exchange your driving licence.",
        ("xe-co",),
    ),
    "Đăng ký xe lần đầu (cấp chứng nhận đăng ký xe, biển số xe)": PlainWords(
        "Mua xe mới cần đăng ký để có giấy đăng ký xe và biển số.",
        "Register a new vehicle to get its registration certificate and number plate.",
        ("xe-co",),
    ),
    "1.013978": PlainWords(
        "Lần đầu xin cấp sổ đỏ (Giấy chứng nhận quyền sử dụng đất) cho đất, nhà của gia đình.",
        "Register land and get the land-use right certificate for the first time.",
        ("nha-dat",),
    ),
    "1.013831": PlainWords(
        "Mua bán, tặng cho, thừa kế nhà đất: đăng ký sang tên trên sổ đỏ.",
        "Register a transfer of land-use rights (sale, gift, inheritance).",
        ("nha-dat",),
    ),
    "1.012783": PlainWords(
        "Sổ đỏ cũ, rách, hoặc muốn đổi sang mẫu mới: xin cấp đổi.",
        "Exchange a worn or old-format land-use right certificate.",
        ("nha-dat",),
    ),
    "2.000591": PlainWords(
        "Cơ sở sản xuất, kinh doanh thực phẩm xin giấy chứng nhận đủ điều kiện an toàn thực phẩm.",
        "Food businesses apply for the food-safety certificate.",
        ("kinh-doanh",),
    ),
    "2.000620": PlainWords(
        "Cửa hàng muốn bán lẻ rượu cần có giấy phép bán lẻ rượu.",
        "Shops apply for a liquor retail licence.",
        ("kinh-doanh",),
    ),
    "Đăng ký hoạt động tín ngưỡng (hằng năm)": PlainWords(
        "Đình, đền, miếu... đăng ký các hoạt động tín ngưỡng dự kiến trong năm.",
        "Register the year's planned belief activities of a shrine or temple.",
        ("tin-nguong",),
    ),
    "1.001028": PlainWords(
        "Có thêm hoạt động tín ngưỡng chưa đăng ký từ đầu năm: đăng ký bổ sung.",
        "Register additional belief activities not registered for the year.",
        ("tin-nguong",),
    ),
    "1.012786": PlainWords(
        "Lỡ làm mất sổ đỏ: đề nghị cấp lại Giấy chứng nhận quyền sử dụng đất.",
        "Replace a lost land-use right certificate.",
        ("nha-dat",),
    ),
}

DEMO_PASSWORD = "motcua-demo"  # noqa: S105 - documented public demo password, refused when DEBUG is off

# (username, kind, role or None, full name). Officials exist at the demo ward and, with a
# ".so" suffix, at the Department of Justice.
CITIZEN_ACCOUNTS = [
    ("congdan", "citizen", "Nguyễn Văn An"),
    ("doanhnghiep", "business", "Công ty TNHH Một Cửa Demo"),
]
OFFICIAL_ROLES = [
    ("tiepnhan", "receiving_officer", "Trần Thị Bích", "Cán bộ tiếp nhận"),
    ("chuyenvien", "specialist", "Lê Văn Cường", "Chuyên viên"),
    ("truongphong", "department_head", "Phạm Thị Dung", "Trưởng phòng"),
    ("lanhdao", "leader", "Hoàng Văn Em", "Phó Chủ tịch"),
    ("quantri", "agency_admin", "Võ Thị Giang", "Quản trị hệ thống"),
]
