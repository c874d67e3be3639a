"""Vietnamese word and phrase pools for synthetic provincial news, written for this project.

Kept apart from the code that combines them so a reviewer can read the language on its own.
Every string here is NFC (a test checks it): the generator never normalises what it writes.
"""

from __future__ import annotations

# Pools laid out as tables, several short entries a line (one a line: 297 lines instead of 131).
# fmt: off
# (name, relative weight): the first one is the "deep" category with most of the articles.
CATEGORIES = [
    ("Thời sự", 30), ("Nông nghiệp", 15), ("Kinh tế", 10), ("Giáo dục", 8), ("Y tế", 8),
    ("Giao thông", 7), ("Văn hóa – Du lịch", 7), ("Xã hội", 6), ("Pháp luật", 4),
    ("Thể thao", 3), ("Khoa học – Công nghệ", 2),
]

# Communes and wards only: since 01/7/2025 there is no district level (no "huyện", no
# district-level city), and Tiền Giang is part of Đồng Tháp. Filler, not verified unit names.
PLACES = [
    "Đồng Tháp", "phường Cao Lãnh", "phường Sa Đéc", "phường Hồng Ngự", "phường Mỹ Tho",
    "phường Đạo Thạnh", "phường Gò Công", "phường Mỹ Trà", "xã Tháp Mười", "xã Tràm Chim",
    "xã Thanh Bình", "xã Lấp Vò", "xã Lai Vung", "xã Tân Hồng", "xã Mỹ An", "xã Tân Thuận Đông",
    "phường Mỹ Phú", "xã Bình Thạnh", "xã Phong Hòa", "xã Tân Hội Trung", "xã An Long",
    "xã Mỹ Hiệp", "xã Gáo Giồng", "phường An Hòa", "xã Tân Khánh Trung",
]

SUBJECTS = [
    "UBND tỉnh", "Sở Nông nghiệp và Môi trường", "Hội Nông dân tỉnh",
    "Sở Giáo dục và Đào tạo", "Sở Y tế", "Sở Xây dựng", "Công an tỉnh",
    "Ban Quản lý dự án", "Hội Liên hiệp Phụ nữ xã", "Đoàn Thanh niên xã",
    "Trung tâm Y tế khu vực", "Hợp tác xã nông nghiệp", "Ủy ban Mặt trận Tổ quốc xã",
    "Sở Văn hóa, Thể thao và Du lịch", "Liên đoàn Lao động tỉnh", "Bộ đội Biên phòng tỉnh",
    "Trường THPT Thành phố Cao Lãnh", "Ngân hàng Chính sách xã hội tỉnh",
]

ACTIONS = [
    "triển khai", "tổ chức", "kiểm tra", "hỗ trợ", "khánh thành", "phát động", "tổng kết",
    "đẩy mạnh", "ra quân", "sơ kết", "khởi công", "bàn giao", "nhân rộng", "giám sát",
    "tuyên truyền", "khảo sát",
]

OBJECTS = [
    "mô hình trồng xoài xuất khẩu", "vụ lúa Đông Xuân", "tuyến đường liên xã",
    "điểm trường mầm non", "chiến dịch tiêm chủng mở rộng", "lễ hội sen Đồng Tháp",
    "chương trình mỗi xã một sản phẩm", "công trình nước sạch nông thôn",
    "mô hình nuôi cá tra", "kế hoạch phòng chống sốt xuất huyết", "cầu giao thông nông thôn",
    "vùng trồng sen Tháp Mười", "chợ nông sản an toàn", "nhà tình nghĩa cho hộ nghèo",
    "hệ thống đê bao chống lũ", "phong trào xây dựng nông thôn mới", "kỳ thi tốt nghiệp THPT",
    "trạm y tế xã đạt chuẩn", "dự án kè chống sạt lở", "làng hoa Sa Đéc",
    "giải bóng đá thiếu niên", "mô hình chuyển đổi số cấp xã", "tuyến xe buýt nội tỉnh",
    "cánh đồng lớn liên kết tiêu thụ", "chương trình sữa học đường",
]

OUTCOMES = [
    "nhận được sự đồng tình của người dân", "vượt kế hoạch đề ra", "góp phần nâng cao thu nhập",
    "bảo đảm an toàn cho người tham gia giao thông", "giúp bà con yên tâm sản xuất",
    "tạo thêm việc làm cho lao động địa phương", "được cử tri đánh giá cao",
    "hoàn thành trước thời hạn", "mang lại hiệu quả thiết thực",
]

UNITS = [
    ("ha", "lúa"), ("ha", "xoài"), ("ha", "sen"), ("tấn", "cá tra"), ("km", "đường"),
    ("hộ", "dân"), ("học sinh", ""), ("lượt", "khách"), ("tỷ đồng", "vốn"),
]

PEOPLE = [
    "Nguyễn Văn Hùng", "Trần Thị Thu", "Lê Minh Tâm", "Phạm Văn Lộc", "Võ Thị Hồng",
    "Huỳnh Thanh Bình", "Đặng Văn Phúc", "Bùi Thị Ngọc", "Ngô Quốc Việt", "Hồ Thị Mai",
]

ROLES = [
    "Chủ tịch UBND xã", "Giám đốc Sở", "Phó Chủ tịch UBND phường", "Giám đốc hợp tác xã",
    "Hiệu trưởng nhà trường", "Giám đốc Trung tâm Y tế", "Trưởng ấp", "một nông dân trong vùng",
]

QUOTES = [
    "Năm nay thời tiết thuận lợi, bà con ai cũng phấn khởi",
    "Chúng tôi sẽ tiếp tục lắng nghe ý kiến của người dân",
    "Việc quan trọng nhất là bảo đảm đầu ra ổn định cho nông sản",
    "Con đường mới giúp học sinh đi học an toàn hơn trong mùa nước nổi",
    "Mọi thủ tục đều được công khai tại bộ phận một cửa",
    "Cần có sự phối hợp chặt chẽ giữa các ngành, các cấp",
]

HEADINGS = [
    "Kết quả bước đầu", "Khó khăn, vướng mắc", "Giải pháp thời gian tới", "Ý kiến người dân",
    "Số liệu chính", "Kinh nghiệm từ cơ sở", "Nhiệm vụ trọng tâm", "Bài học rút ra",
]

REPORTERS = [
    "Minh Hằng", "Thanh Tùng", "Hồng Nhung", "Văn Bảy", "Ngọc Trân", "Quốc Huy", "Thu Hà",
    "Bảo Ngọc", "Hữu Nghĩa", "Kim Loan", "Phương Thảo", "Trung Hiếu", "Theo TTXVN",
]

FAMILY_NAMES = [
    "Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Hoàng", "Võ", "Phan", "Trương", "Bùi", "Đặng",
    "Đỗ", "Ngô", "Hồ", "Dương", "Lý", "Đinh", "Lâm", "Châu", "Tạ",
]
MIDDLE_NAMES = [
    "Văn", "Thị", "Minh", "Ngọc", "Thanh", "Hữu", "Đức", "Thu", "Kim", "Quốc", "Hoài", "Bảo",
]
GIVEN_NAMES = [
    "An", "Bình", "Cường", "Dũng", "Hạnh", "Hoa", "Lan", "Lộc", "Mai", "Nam", "Phúc", "Quân",
    "Tâm", "Trang", "Tuấn", "Vy", "Yến", "Đạt", "Hiếu", "Khoa", "Linh", "Nhung", "Sơn", "Thảo",
    "Uyên", "Việt", "Xuân", "Châu", "Duyên", "Hậu",
]

COMMENT_SENTENCES = [
    "Bài viết rất thiết thực, cảm ơn phóng viên.",
    "Mong các cấp chính quyền sớm sửa chữa tuyến đường này.",
    "Giá lúa năm nay ổn định, bà con ở xã tôi rất phấn khởi.",
    "Xin hỏi hồ sơ đăng ký nộp ở đâu và cần những giấy tờ gì?",
    "Tôi đề nghị tỉnh hỗ trợ thêm đầu ra cho xoài xuất khẩu.",
    "Cuối tuần này gia đình tôi sẽ ghé đầm sen Tháp Mười.",
    "Trường học mới khang trang, các cháu đi học rất vui.",
    "Trạm y tế xã phục vụ tận tình, tôi rất hài lòng.",
    "Đoạn đường qua ấp tôi mùa mưa vẫn còn ngập, mong được quan tâm.",
    "Thông tin rất hữu ích cho bà con nông dân.",
    "Cho tôi hỏi lịch tiếp công dân tháng sau đã có chưa?",
    "Nên có thêm chuyến xe buýt vào buổi chiều cho học sinh.",
    "Tôi ủng hộ chủ trương này của tỉnh.",
    "Giá phân bón tăng cao, người trồng lúa lãi không được bao nhiêu.",
    "Hoa kiểng Sa Đéc năm nay đẹp quá, mong tỉnh quảng bá nhiều hơn.",
    "Cần xử lý nghiêm các trường hợp xe quá tải làm hư đường.",
    "Cảm ơn các y bác sĩ đã vất vả trong mùa dịch.",
    "Chúc mừng các em học sinh đạt giải cao!",
    "Đề nghị công khai danh sách hộ được hỗ trợ để người dân cùng giám sát.",
    "Ở phường tôi rác thải vẫn chưa được thu gom đúng giờ.",
]

LINKS = ["https://example.org/tin-tuc/dong-thap", "https://example.org/nong-san-ocop"]
# fmt: on
